"""The `mojibake-repaired` finding's example costs time linear in the line (issue 18 item 4).

The example used to come from `difflib` over the whole repaired line, quadratic in
its length (a 20,000-character line took 44 s to validate). It now comes from one
scan for the first difference and a diff of a short window from there; the tests
pin that the window stays short whatever the line's length, and that the example
is the same first changed stretch as before.
"""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modegraph.modes import text as text_module
from modegraph.modes.text import decode

WINDOW = 4 * 24
"""The most characters the example's diff may see (`text._EXAMPLE_WINDOW`)."""


@pytest.fixture
def diffed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The lengths of the sequences every `SequenceMatcher` of `text` was given.

    A longer one fails at once (the whole-line diff would take minutes to finish).
    """
    seen: list[int] = []
    real = difflib.SequenceMatcher

    def matcher(*args: Any, **kwargs: Any) -> difflib.SequenceMatcher[str]:
        sizes = (len(kwargs.get("a") or ""), len(kwargs.get("b") or ""))
        assert max(sizes) <= WINDOW, f"diffed {sizes} characters, more than the window"
        seen.extend(sizes)
        return real(*args, **kwargs)

    monkeypatch.setattr(text_module.difflib, "SequenceMatcher", matcher)
    return seen


@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_a_long_line_is_diffed_in_a_short_window_only(diffed: list[int], where: str) -> None:
    filler = "plain words " * 2_000  # 24,000 characters
    line = {
        "start": f"ðŸš€ Deploy {filler}",
        "middle": f"{filler}ðŸš€ Deploy {filler}",
        "end": f"{filler}ðŸš€",
    }[where]
    text, findings = decode(f"# Mode: x\n{line}\n".encode())
    assert text == f"# Mode: x\n{line.replace('ðŸš€', '🚀')}\n"
    (finding,) = findings
    assert "(ðŸš€ -> 🚀)" in finding.message or "(ðŸš€ Deploy -> 🚀 Deploy)" in finding.message
    assert finding.line == 2
    assert diffed and max(diffed) <= WINDOW


def test_a_line_full_of_mojibake_gives_the_first_stretch(diffed: list[int]) -> None:
    line = "cafÃ© " * 5_000 + "âœ… done"
    text, findings = decode(line.encode())
    assert text == "café " * 5_000 + "✅ done"
    assert "(Ã© -> é)" in findings[0].message
    assert max(diffed) <= WINDOW


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40), st.text(min_size=1, max_size=40))
def test_first_difference_is_where_the_strings_part(prefix: str, a: str, b: str) -> None:
    first = text_module._first_difference(prefix + a, prefix + b)
    common = next((n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), None)
    expected = min(len(a), len(b)) if common is None else common  # the obvious answer
    assert first == len(prefix) + expected


def test_the_benchmark_runs() -> None:
    script = Path(__file__).resolve().parents[2] / "benchmarks" / "mojibake_example.py"
    out = subprocess.run(
        [sys.executable, str(script), "--smoke"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "decode" in out and "whole-line diff" in out
