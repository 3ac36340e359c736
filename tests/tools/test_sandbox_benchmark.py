"""A tiny run of benchmarks/sandbox_cost.py, so it never rots."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "sandbox_cost.py"


def test_sandbox_cost_smoke() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--smoke", "--json"],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout)
    assert set(figures) == {
        "command start",
        "allow-rule judgment",
        "file read (5 folders deep)",
        "search_files",
    }
    assert all(row["guarded_s"] > 0 and row["baseline_s"] > 0 for row in figures.values())
