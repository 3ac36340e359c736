"""A tiny run of every benchmark script, so they never rot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


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


def test_startup_smoke() -> None:
    out = _run("startup.py", "--smoke")
    assert "modegraph modes list" in out
    line = next(ln for ln in out.splitlines() if ln.startswith("modegraph modes list"))
    assert "langgraph" not in line, "modes commands must not import LangGraph"


def test_escalation_cost_smoke() -> None:
    out = _run("escalation_cost.py", "--smoke")
    rows = [ln.split() for ln in out.splitlines() if ln.startswith(("modegraph ", "bare "))]
    # modegraph: N handoffs cost N+1 calls plus the integration turn: 3 + 1 + 1
    assert any(r[0] == "modegraph" and r[2] == "5" for r in rows), out
    assert "overhead vs bare LangGraph (sqlite)" in out
    pytest.importorskip("langgraph_supervisor")
    sup = [ln for ln in out.splitlines() if ln.startswith("langgraph-supervisor")]
    assert sup and all(ln.split()[2] == "7" for ln in sup), out


def test_throughput_smoke() -> None:
    out = _run("throughput.py", "--smoke")
    assert "concurrent / sequential throughput" in out


def test_catalog_files_smoke() -> None:
    out = _run("catalog_files.py", "--smoke")
    assert "size limit: 10 MiB per mode file" in out
    assert "50 MiB file refused in" in out and "at most 10.0 MiB" in out
    assert "alias bomb refused in" in out


def _needs_temporal() -> None:
    pytest.importorskip(
        "temporalio", reason="the temporal extra is not installed: pip install -e '.[dev]'"
    )


@pytest.mark.slow
def test_temporal_throughput_smoke() -> None:
    _needs_temporal()
    out = _run("temporal_throughput.py", "--smoke")
    assert "local, one after another" in out
    row = next(line for line in out.splitlines() if line.startswith("temporal, 1 worker"))
    assert float(row.split()[4]) > 0  # tasks per second


@pytest.mark.slow
def test_temporal_recovery_smoke() -> None:
    _needs_temporal()
    out = _run("temporal_recovery.py", "--smoke")
    row = out.strip().splitlines()[-1].split()
    heartbeat, again, done, up = (float(x) for x in row)
    assert heartbeat == 2
    # `up` is when the server first lists the new worker among its pollers, which on a
    # loaded machine can come after that worker already took the turn: only the task's
    # end is sure to come after both
    assert again <= done and up <= done
