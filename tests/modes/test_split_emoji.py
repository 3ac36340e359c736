"""A display name's leading emoji is split off, written apart or against the name."""

from __future__ import annotations

import pytest

from modegraph.modes.formats._fields import split_emoji


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("🚀 FastAPI Developer", ("🚀", "FastAPI Developer")),
        ("⚡️ SPARC Orchestrator", ("⚡️", "SPARC Orchestrator")),
        ("❓Ask", ("❓", "Ask")),
        ("🧑\u200d💼Data Product Manager", ("🧑\u200d💼", "Data Product Manager")),
        ("C++ Developer", (None, "C++ Developer")),
        (".NET Specialist", (None, ".NET Specialist")),
        ("(beta) Writer", (None, "(beta) Writer")),
        ("#1 Reviewer", (None, "#1 Reviewer")),
        ("  Ask  ", (None, "Ask")),
    ],
)
def test_split_emoji(name: str, split: tuple[str | None, str]) -> None:
    assert split_emoji(name) == split
