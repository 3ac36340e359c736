"""The append benchmark runs (tiny) and reports sane figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).parents[2] / "benchmarks" / "journal_append.py"


def test_benchmark_smoke_run() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARK), "--smoke", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    figures = out["journal"]
    assert [f["processes"] for f in figures] == [1, 2]
    for figure in figures:
        assert figure["entries_in_file"] == figure["total_appends"]
        assert figure["appends_per_second"] > 0
    assert len(out["disk"]) == 2 and all(rate > 0 for rate in out["disk"])
