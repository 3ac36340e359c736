"""A tiny run of the Temporal benchmarks, so they never rot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"


def _run(script: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.slow
def test_temporal_throughput_smoke() -> None:
    out = _run("temporal_throughput.py", "--smoke")
    assert "local, one after another" in out
    row = next(line for line in out.splitlines() if line.startswith("temporal, 1 worker"))
    assert float(row.split()[4]) > 0  # tasks per second


@pytest.mark.slow
def test_temporal_recovery_smoke() -> None:
    out = _run("temporal_recovery.py", "--smoke")
    row = out.strip().splitlines()[-1].split()
    heartbeat, again, done, up = (float(x) for x in row)
    assert heartbeat == 2
    assert up <= again <= done
