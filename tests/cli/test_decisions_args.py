"""`resume`'s answer arguments: ids, short ids, mistyped ids (see cli/_decisions.py)."""

from __future__ import annotations

import pytest

from modegraph.cli._decisions import pair_arguments

T = "TASK-API-20261206-100416"
VALUED = frozenset({"--journal", "--checkpoint"})


@pytest.mark.parametrize(
    ("args", "paired"),
    [
        # the shapes that always worked
        ([T, "--approve"], [T, "--approve"]),
        ([T, "--reject", "too risky"], [T, "--reject", "too risky"]),
        ([T, "--approve", f"{T}:approval:1:2"], [T, "--approve-id", f"{T}:approval:1:2"]),
        (
            [T, "--reject", f"{T}:approval:1:2", "why"],
            [T, "--reject-id", f"{T}:approval:1:2", "--reject-why", "why"],
        ),
        (["--approve", T], ["--approve", T]),  # the task id after the flag
        # a short id is the task's request
        ([T, "--approve", "approval:1:1"], [T, "--approve-id", f"{T}:approval:1:1"]),
        # a mistyped id is an id (the run lists the waiting ones), not an extra argument
        ([T, "--approve", "BOGUS"], [T, "--approve-id", "BOGUS"]),
        ([T, "--reject", "BOGUS", "why"], [T, "--reject-id", "BOGUS", "--reject-why", "why"]),
        # an option's value is not the task id
        (
            ["--journal", "j", "--approve", T],
            ["--journal", "j", "--approve", T],
        ),
        ([T, "--reject", "too risky", "--json"], [T, "--reject", "too risky", "--json"]),
    ],
)
def test_pairing(args: list[str], paired: list[str]) -> None:
    assert pair_arguments(args, VALUED) == paired
