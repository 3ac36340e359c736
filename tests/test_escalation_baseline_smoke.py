"""A tiny run of `escalation_cost.py --baseline`: two trees in turn, ratios per saver."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_escalation_cost_against_a_baseline_tree() -> None:
    # this tree stands in for the older one: the comparison runs it twice
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "escalation_cost.py"),
            "--baseline",
            str(ROOT / "src"),
            "--smoke",
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "baseline: 5 supersteps" in out and "5 LLM calls a task" in out, out
    rows = [line.split() for line in out.splitlines() if line.startswith(("none", "sqlite"))]
    assert {(r[0], r[1]) for r in rows} >= {("none", "baseline"), ("sqlite", "this")}, out
