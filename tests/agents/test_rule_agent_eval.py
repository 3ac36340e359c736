"""The rule agent on the labelled goals of tests/catalogs: first-hop accuracy and precision.

The figures are printed whether or not pytest captures output (`capsys.disabled`)
and recorded as test properties. The floors are set below the measured figures,
so a change that makes routing clearly worse fails.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from modegraph.agents.protocol import AllowedTarget, RoleTurn
from modegraph.agents.rule.agent import RuleAgent
from modegraph.coordinator.routing import Routes
from modegraph.modes.catalog import Catalog
from modegraph.modes.catalog.layers import bundled_library_dir
from modegraph.modes.catalog.loader import load_paths
from modegraph.roles.escalation import EscalationGraph

CATALOGS = Path(__file__).parents[1] / "catalogs"
GOALS = CATALOGS / "goals.yaml"
HELD_OUT = CATALOGS / "goals_heldout.yaml"


@dataclass(frozen=True)
class Scored:
    catalog: str
    entry: str
    goal: str
    expect: frozenset[str]
    got: frozenset[str]


@cache
def catalog_named(name: str) -> tuple[Catalog, Routes, RuleAgent]:
    path = bundled_library_dir() if name == "bundled" else CATALOGS / name
    assert path is not None
    catalog = Catalog(load_paths([path]).modes)
    routes = Routes(catalog=catalog, graph=EscalationGraph.from_catalog(catalog))
    return catalog, routes, RuleAgent(catalog=catalog)


def first_hop(name: str, entry: str, goal: str) -> frozenset[str]:
    catalog, routes, agent = catalog_named(name)
    allowed = tuple(
        AllowedTarget(mode=catalog[e.target], kind=e.kind, note=e.note)
        for e in routes.allowed(entry)
    )
    turn = RoleTurn(
        task_id="EVAL",
        subtask_id="EVAL",
        mode=catalog[entry],
        goal=goal,
        allowed=allowed,
        chain=(entry,),
    )
    return frozenset(h.target for h in agent.run(turn).handoffs)


def score_all(path: Path = GOALS) -> list[Scored]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Scored(
            catalog=item["catalog"],
            entry=item["entry"],
            goal=item["goal"],
            expect=frozenset(item["expect"]),
            got=first_hop(item["catalog"], item["entry"], item["goal"]),
        )
        for item in data["goals"]
    ]


def figures(items: list[Scored]) -> dict[str, float]:
    exact = sum(s.got == s.expect for s in items)
    handed = sum(len(s.got) for s in items)
    expected = sum(len(s.expect) for s in items)
    right = sum(len(s.got & s.expect) for s in items)
    return {
        "goals": len(items),
        "exact": exact / len(items),
        "precision": right / handed if handed else 1.0,
        "recall": right / expected if expected else 1.0,
    }


def line(name: str, f: dict[str, float]) -> str:
    return (
        f"{name:<11} goals {int(f['goals']):>3}  exact match {f['exact']:6.1%}  "
        f"precision {f['precision']:6.1%}  recall {f['recall']:6.1%}"
    )


@pytest.fixture(scope="module")
def scored() -> list[Scored]:
    if not GOALS.is_file():  # pragma: no cover - the labelled set ships with the tests
        pytest.skip("tests/catalogs/goals.yaml is missing")
    return score_all()


@pytest.fixture(scope="module")
def held_out() -> list[Scored]:
    if not HELD_OUT.is_file():  # pragma: no cover - the held-out set ships with the tests
        pytest.skip("tests/catalogs/goals_heldout.yaml is missing")
    return score_all(HELD_OUT)


def test_labelled_set_is_big_enough(scored: list[Scored]) -> None:
    assert len(scored) >= 40
    assert len({s.catalog for s in scored} - {"bundled"}) >= 2


def report(
    title: str, scored: list[Scored], prefix: str, record_property: Any
) -> tuple[dict[str, float], dict[str, list[Scored]]]:
    """The figures of `scored` overall and per catalog, with its misses, as printed lines."""
    by_catalog: dict[str, list[Scored]] = defaultdict(list)
    for item in scored:
        by_catalog[item.catalog].append(item)
    overall = figures(scored)
    lines = ["", f"RuleAgent first-hop routing on {title}"]
    for name in sorted(by_catalog):
        f = figures(by_catalog[name])
        lines.append(line(name, f))
        for key in ("exact", "precision", "recall"):
            record_property(f"{prefix}{name}_{key}", round(f[key], 4))
    lines.append(line("all", overall))
    for s in scored:
        if s.got != s.expect:
            lines.append(
                f"  miss [{s.catalog}/{s.entry}] {s.goal[:70]!r}: "
                f"expected {sorted(s.expect)}, got {sorted(s.got)}"
            )
    for key in ("exact", "precision", "recall"):
        record_property(f"{prefix}all_{key}", round(overall[key], 4))
    print("\n".join(lines))
    return overall, by_catalog


def test_first_hop_figures(
    scored: list[Scored], capsys: pytest.CaptureFixture[str], record_property: Any
) -> None:
    with capsys.disabled():
        overall, by_catalog = report("tests/catalogs/goals.yaml", scored, "", record_property)
    # measured when written: exact 80.3%, precision 90.5%, recall 90.5% (71 goals);
    # after the matching rules were revised: exact 85.9%, precision 95.0%, recall 91.4%;
    # after the flat-catalog routing work: exact 90.1%, precision 98.0%, recall 93.3%
    assert overall["exact"] >= 0.75
    assert overall["precision"] >= 0.88
    assert overall["recall"] >= 0.84
    for name, items in by_catalog.items():
        assert figures(items)["exact"] >= 0.62, name


def test_held_out_figures(
    held_out: list[Scored], capsys: pytest.CaptureFixture[str], record_property: Any
) -> None:
    """Goals written and labelled before the rules were last revised, never tuned on."""
    with capsys.disabled():
        overall, _ = report(
            "tests/catalogs/goals_heldout.yaml (held out)", held_out, "heldout_", record_property
        )
    assert len(held_out) >= 25
    # measured when written, before the rules were revised: exact 62.8%, precision 76.9%,
    # recall 85.1%; after: exact 83.7%, precision 91.1%, recall 87.2% (43 goals); after the
    # flat-catalog routing work: exact 88.4%, precision 91.8%, recall 95.7%
    assert overall["exact"] >= 0.72
    assert overall["precision"] >= 0.82
    assert overall["recall"] >= 0.78


def test_the_rule_agent_is_deterministic() -> None:
    goal = "Build a users API with signup and login, and deploy it with Docker"
    first = first_hop("bundled", "fastapi-developer", goal)
    catalog_named.cache_clear()
    assert first_hop("bundled", "fastapi-developer", goal) == first


# -- flat catalogs: Claude Code agents and a Roo Code .roomodes with an orchestrator ----------


def _bench_module() -> Any:
    """benchmarks/routing.py, which builds each entry's targets (a coordinator where needed)."""
    path = Path(__file__).parents[2] / "benchmarks" / "routing.py"
    spec = importlib.util.spec_from_file_location("routing_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def flat_bench() -> Any:
    bench = _bench_module()
    return bench, bench.Bench(paths=dict(bench.BUILT_IN))


def _flat_figures(
    flat_bench: Any, name: str, capsys: pytest.CaptureFixture[str]
) -> dict[str, dict[str, float]]:
    module, bench = flat_bench
    outcomes = module.score(bench, CATALOGS / name)
    with capsys.disabled():
        print()
        figures_by = module.report(CATALOGS / name, outcomes, misses=False)
    return dict(figures_by)


def test_flat_dev_figures(flat_bench: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """68 overlapping Claude agents and a Roo orchestrator, goals written blind (dev split)."""
    figures_by = _flat_figures(flat_bench, "flat_goals_dev.yaml", capsys)
    # measured before this work: claude_agents exact 60.0%, precision 75.8%, uncovered 80.0%;
    # roo_orchestrated 33.3%, 88.9%, 80.0%. After: 68.0%, 79.4%, 88.0%; 66.7%, 92.3%, 66.7%
    assert figures_by["claude_agents"]["exact"] >= 0.5
    assert figures_by["claude_agents"]["precision"] >= 0.65
    assert figures_by["claude_agents"]["uncovered"] >= 0.8
    assert figures_by["roo_orchestrated"]["exact"] >= 0.6
    assert figures_by["roo_orchestrated"]["precision"] >= 0.8
    assert figures_by["all"]["uncovered"] >= 0.72


def test_flat_held_out_figures(flat_bench: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """The held-out split: reported, never tuned on; the floors only catch a collapse."""
    figures_by = _flat_figures(flat_bench, "flat_goals_heldout.yaml", capsys)
    # measured before this work: all exact 47.5%, precision 66.7%, uncovered 80.0%;
    # after: 57.5%, 73.2%, 72.5%
    assert figures_by["all"]["exact"] >= 0.42
    assert figures_by["all"]["precision"] >= 0.6
    assert figures_by["all"]["uncovered"] >= 0.62


def test_crew_goals_wait_for_the_crewai_reader(flat_bench: Any) -> None:
    module, bench = flat_bench
    crew = [o for o in module.score(bench, CATALOGS / "flat_goals_dev.yaml") if o.catalog == "crew"]
    if "crew" in bench.skipped:
        why = bench.skipped["crew"]
        pytest.skip(f"crew goals skipped: {why} (the CrewAI reader is not in yet)")
    assert crew, "the crew catalog loads now: report its figures and set floors for it"


def test_routing_benchmark_runs_on_a_catalog_given_by_path(tmp_path: Path) -> None:
    script = Path(__file__).parents[2] / "benchmarks" / "routing.py"
    goals = tmp_path / "goals.yaml"
    goals.write_text(
        "catalog: " + str(CATALOGS / "roo_orchestrated") + "\n"
        "goals:\n"
        "  - entry: orchestrator\n"
        '    goal: "Add a dbt model for weekly revenue, and write a poem for my aunt"\n'
        "    expect: [data-pipeline]\n"
        "    uncovered: true\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script), "--json", str(goals)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "exact" in done.stdout and "uncovered" in done.stdout
    smoke = subprocess.run(
        [sys.executable, str(script), "--smoke"],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert smoke.returncode == 0, smoke.stderr[-2000:]
    assert "flat_goals_dev.yaml" in smoke.stdout and "flat_goals_heldout.yaml" in smoke.stdout
