"""The catalog scale benchmark runs at its smallest size and prints its table."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "catalog_scale.py"


def load_benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("catalog_scale", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["catalog_scale"] = module  # dataclasses look the module up by name
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["catalog_scale"]
    return module


def test_plan_is_shaped_like_a_catalog() -> None:
    bench = load_benchmark()
    specs = bench.plan(1000)
    assert len(specs) == 1000
    assert len({s.slug for s in specs}) == 1000
    levels = [s.level.split("-")[1] for s in specs]
    assert levels.count("executive") == 1
    assert {"director", "lead", "worker", "assistant"} <= set(levels)
    edges = sum(len(s.delegates) + len(s.escalates) + len(s.reports) for s in specs)
    assert 4 <= edges / len(specs) <= 6  # about five edges per mode


def test_smoke_run_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load_benchmark()
    assert bench.main(["--smoke"]) == 0
    out = capsys.readouterr().out
    header, rule, row, note = out.splitlines()
    assert set(rule) == {"-"}
    assert header.split()[:3] == ["modes", "edges", "finds"]
    cells = row.split()
    assert cells[0] == "100" and int(cells[1]) > 400
    assert cells[2] == "0"  # the synthetic catalog is clean: lint finds nothing
    assert "linear" in note


def test_bad_sizes_are_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load_benchmark()
    with pytest.raises(SystemExit) as exc:
        bench.main(["--sizes", "ten"])
    assert exc.value.code == 2
    assert "write mode counts like 100,1000" in capsys.readouterr().err


def test_baseline_runs_both_trees_and_prints_both(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load_benchmark()
    src = Path(__file__).resolve().parents[2] / "src"
    assert bench.main(["--smoke", "--baseline", str(src)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["modes", "stage", "before", "s"]
    stages = [line.split()[1] for line in lines[2:-1]]
    assert stages == ["load", "build", "lint", "total"]
    assert all(line.split()[0] == "100" for line in lines[2:-1])
    assert "fresh process" in lines[-1]


def test_a_baseline_without_modegraph_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = load_benchmark()
    with pytest.raises(SystemExit) as exc:
        bench.main(["--baseline", str(tmp_path)])
    assert exc.value.code == 2
    assert "no modegraph package" in capsys.readouterr().err


def test_runs_gives_min_and_median_per_stage(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load_benchmark()
    assert bench.main(["--sizes", "10,100", "--runs", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "this tree:"
    assert lines[1].split()[:4] == ["modes", "stage", "cpu", "min"]
    rows = [line.split() for line in lines[3:-1]]
    assert [(r[0], r[1]) for r in rows] == [
        (size, stage) for stage in ("load", "build", "lint", "total") for size in ("10", "100")
    ]
    for row in rows:
        cpu_min, cpu_med = float(row[2]), float(row[3])
        assert 0 <= cpu_min <= cpu_med  # lint of 10 modes may print as 0.000
    assert [r[6] for r in rows if r[0] == "10"] == ["-"] * 4  # nothing 10x smaller
    assert all(r[6].endswith("x") for r in rows if r[0] == "100" and r[1] in ("load", "total"))
    assert "2 fresh processes per size" in lines[-1]


def test_counts_are_per_mode_and_grow_with_the_catalog(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench = load_benchmark()
    assert bench.main(["--sizes", "10,100", "--counts"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["modes", "stage", "calls/mode"]
    rows = {(r[0], r[1]): r for r in (line.split() for line in lines[2:-1])}
    assert set(rows) == {(s, t) for s in ("10", "100") for t in ("load", "build", "lint")}
    load = rows[("100", "load")]
    assert float(load[2]) > 100  # Python calls per mode file read
    assert float(load[4]) >= float(load[5]) > 1000  # peak and kept bytes per mode
    assert 9.0 <= float(load[6].rstrip("x")) <= 11.0  # calls: ten times the modes


def test_runs_with_a_baseline_prints_both_trees(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load_benchmark()
    src = str(Path(__file__).resolve().parents[2] / "src")
    assert bench.main(["--sizes", "10", "--runs", "1", "--baseline", src]) == 0
    out = capsys.readouterr().out
    before, after = out.split("\n\n")
    assert before.splitlines()[0] == f"{src}:"
    assert after.splitlines()[0] == "this tree:"
    assert len(before.splitlines()) == len(after.splitlines()) - 1 == 3 + 4  # + the note
    assert "per size and tree" in out.splitlines()[-1]
