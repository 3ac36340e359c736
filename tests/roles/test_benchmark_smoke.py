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
