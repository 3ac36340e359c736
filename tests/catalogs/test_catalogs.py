"""The evaluation catalogs are lint-clean and every label of the goal sets is a legal first hop."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from modegraph.findings import Severity
from modegraph.modes.catalog import Catalog
from modegraph.modes.catalog.loader import load_paths
from modegraph.roles.escalation import EscalationGraph
from modegraph.roles.levels import Tier, parse_level
from modegraph.roles.lint import lint_catalog

HERE = Path(__file__).resolve().parent
DIRS = {
    "bundled": HERE.parents[1] / "src" / "modegraph" / "library",
    "roo_shaped": HERE / "roo_shaped",
    "small": HERE / "small",
}
GOALS: list[dict[str, Any]] = yaml.safe_load((HERE / "goals.yaml").read_text("utf-8"))["goals"]
HELD_OUT: list[dict[str, Any]] = yaml.safe_load((HERE / "goals_heldout.yaml").read_text("utf-8"))[
    "goals"
]


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Catalog]:
    loaded = {}
    for name, path in DIRS.items():
        result = load_paths([path])
        assert [f.format() for f in result.findings if f.severity is not Severity.INFO] == []
        loaded[name] = Catalog(result.modes)
    return loaded


@pytest.mark.parametrize("name", sorted(DIRS))
def test_catalog_is_lint_clean(catalogs: dict[str, Catalog], name: str) -> None:
    assert [f.format() for f in lint_catalog(catalogs[name])] == []


def test_roo_shaped_catalog_has_the_promised_shape(catalogs: dict[str, Catalog]) -> None:
    catalog = catalogs["roo_shaped"]
    tiers = Counter(parse_level(mode.level).tier for mode in catalog)
    assert len(catalog) >= 40
    assert tiers[Tier.EXECUTIVE] == 1 and tiers[Tier.DIRECTOR] == 3
    assert tiers[Tier.LEAD] >= 6 and tiers[Tier.WORKER] >= 30
    commander = catalog["roo-commander"]
    direct_workers = [
        ref
        for ref in commander.delegates_to
        if parse_level(catalog[ref.slug].level).tier is Tier.WORKER
    ]
    assert len(direct_workers) >= 24
    refs = [ref for mode in catalog for ref in (*mode.delegates_to, *mode.escalates_to)]
    assert sum(1 for ref in refs if ref.note) / len(refs) > 0.9


def test_small_catalog_is_small(catalogs: dict[str, Catalog]) -> None:
    assert 5 <= len(catalogs["small"]) <= 8


def test_goal_counts() -> None:
    per_catalog = Counter(goal["catalog"] for goal in GOALS)
    assert len(GOALS) >= 48
    assert set(per_catalog) == set(DIRS)
    assert min(per_catalog.values()) >= 16
    bundled_entries = {goal["entry"] for goal in GOALS if goal["catalog"] == "bundled"}
    assert bundled_entries == {"fastapi-developer", "roo-commander"}
    assert any(goal["expect"] == [] for goal in GOALS)
    assert sum(1 for goal in GOALS if len(goal["expect"]) >= 3) >= 8


def test_held_out_goal_counts() -> None:
    per_catalog = Counter(goal["catalog"] for goal in HELD_OUT)
    assert len(HELD_OUT) >= 25
    assert set(per_catalog) == set(DIRS)

    def key(goal: dict[str, Any]) -> tuple[str, str, str]:
        return goal["catalog"], goal["entry"], goal["goal"].lower()

    assert not {key(g) for g in HELD_OUT} & {key(g) for g in GOALS}


@pytest.mark.parametrize(
    "goal",
    GOALS + HELD_OUT,
    ids=lambda g: f"{g['catalog']}:{g['entry']}:{g['goal'][:30]}",
)
def test_every_label_is_a_direct_target_of_the_entry(
    catalogs: dict[str, Catalog], goal: dict[str, Any]
) -> None:
    assert set(goal) == {"catalog", "entry", "goal", "expect"}
    graph = EscalationGraph(catalogs[goal["catalog"]])
    allowed = {edge.target for edge in graph.targets(goal["entry"])}
    assert allowed, goal["entry"]
    assert len(set(goal["expect"])) == len(goal["expect"])
    assert set(goal["expect"]) <= allowed


FLAT_DIRS = {"claude_agents": HERE / "claude_agents", "roo_orchestrated": HERE / "roo_orchestrated"}
FLAT: dict[str, list[dict[str, Any]]] = {
    name: yaml.safe_load((HERE / name).read_text("utf-8"))["goals"]
    for name in ("flat_goals_dev.yaml", "flat_goals_heldout.yaml")
}


@pytest.fixture(scope="module")
def flat_catalogs() -> dict[str, Catalog]:
    return {name: Catalog(load_paths([path]).modes) for name, path in FLAT_DIRS.items()}


def test_flat_catalogs_have_the_promised_shape(flat_catalogs: dict[str, Catalog]) -> None:
    claude = flat_catalogs["claude_agents"]
    assert len(claude) == 68
    assert all(not m.delegates_to and not m.escalates_to for m in claude)
    roo = flat_catalogs["roo_orchestrated"]
    assert len(roo) == 24 and "orchestrator" in roo
    assert "Use `new_task` to assign:" in roo["orchestrator"].custom_instructions


@pytest.mark.parametrize("name", sorted(FLAT))
def test_flat_goal_labels(flat_catalogs: dict[str, Catalog], name: str) -> None:
    crew = {"market_researcher", "competitor_analyst", "customer_insights"}
    crew |= {"pricing_strategist", "launch_copywriter", "report_editor"}
    for goal in FLAT[name]:
        assert set(goal) == {"catalog", "entry", "goal", "expect", "uncovered"}
        assert goal["entry"] == "orchestrator"
        assert len(set(goal["expect"])) == len(goal["expect"])
        assert goal["expect"] or goal["uncovered"], goal["goal"]
        known = crew if goal["catalog"] == "crew" else set(flat_catalogs[goal["catalog"]].slugs)
        assert set(goal["expect"]) <= known - {"orchestrator"}, goal["goal"]


def test_flat_dev_and_held_out_goals_do_not_overlap() -> None:
    dev, held = ({g["goal"].lower() for g in goals} for goals in FLAT.values())
    assert not dev & held
    assert len(FLAT["flat_goals_dev.yaml"]) >= 40 and len(FLAT["flat_goals_heldout.yaml"]) >= 40
