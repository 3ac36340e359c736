"""The entry rule, the orchestrator role and `--edges declared` (`roles.coordination`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from modegraph.findings import Code
from modegraph.modes.catalog import Catalog, load_catalog
from modegraph.modes.catalog.implied import EdgeMode
from modegraph.modes.catalog.loader import load_paths
from modegraph.modes.catalog.orchestrator import BUILT_IN_WHY, is_builtin_orchestrator
from modegraph.modes.model import EdgeKind, Mode, Reference
from modegraph.roles.coordination import EntryRule, coordinate
from modegraph.roles.escalation import EscalationGraph
from modegraph.roles.render import GraphFormat, render_graph

DATA = Path(__file__).parents[1] / "data" / "coordination"


def _load(name: str) -> Catalog:
    return Catalog(load_paths([DATA / name]).modes)


def _flat(*slugs: str) -> list[Mode]:
    return [Mode(slug=s, name=s.title(), description=f"The {s} role.") for s in slugs]


def test_a_catalog_with_no_edges_enters_the_built_in_orchestrator() -> None:
    done = coordinate(_load("flat.roomodes"))
    assert done.entry is not None
    assert (done.entry.slug, done.entry.rule, done.entry.built_in) == (
        "orchestrator",
        EntryRule.ORCHESTRATOR,
        True,
    )
    assert "none of the catalog's 4 roles declares a delegate or escalate edge" in done.entry.reason
    role = done.catalog["orchestrator"]
    assert is_builtin_orchestrator(role)
    others = ["api-builder", "schema-keeper", "shipper", "doc-writer"]
    assert [r.slug for r in role.delegates_to] == others
    # every mode reports back to it
    for slug in others:
        assert [(r.slug, r.implied_by) for r in done.catalog[slug].reports_to] == [
            ("orchestrator", BUILT_IN_WHY)
        ]
    # its own profile names no specialty: no description, tags, stack or capabilities
    assert (role.description, role.when_to_use, role.tags, role.stack) == ("", "", (), ())
    assert [f.code for f in done.findings] == [Code.BUILT_IN_ORCHESTRATOR]


def test_the_orchestrator_is_in_the_graph_marked_built_in_with_its_edges() -> None:
    graph = EscalationGraph.from_catalog(coordinate(_load("flat.roomodes")).catalog)
    assert graph.graph.nodes["orchestrator"]["built_in"] is True
    assert graph.graph.nodes["shipper"]["built_in"] is False
    assert graph.reachable("orchestrator")[1:] == [
        "api-builder",
        "schema-keeper",
        "shipper",
        "doc-writer",
    ]
    backs = graph.sources("orchestrator", (EdgeKind.REPORT,))
    assert len(backs) == 4 and all(e.implied == BUILT_IN_WHY for e in backs)
    for fmt in (GraphFormat.MERMAID, GraphFormat.DOT, GraphFormat.HTML):
        assert "Orchestrator (built in)" in render_graph(graph, fmt).replace("#40;", "(").replace(
            "#41;", ")"
        )
    assert '"built_in": true' in render_graph(graph, GraphFormat.JSON)


def test_a_catalog_mode_named_orchestrator_takes_the_built_in_ones_place() -> None:
    own = Mode(slug="orchestrator", name="Our Conductor", role_definition="We route the work.")
    done = coordinate(Catalog([*_flat("alpha", "beta"), own]))
    assert done.entry is not None
    assert (done.entry.slug, done.entry.built_in) == ("orchestrator", False)
    role = done.catalog["orchestrator"]
    assert role.role_definition == "We route the work."  # its own text
    assert [r.slug for r in role.delegates_to] == ["alpha", "beta"]
    assert "the catalog's own orchestrator mode" in done.entry.reason


def test_a_coordinator_whose_text_assigns_work_is_the_entry() -> None:
    done = coordinate(_load("conductor.roomodes"))
    assert done.entry is not None
    assert (done.entry.slug, done.entry.rule) == ("conductor", EntryRule.COORDINATOR)
    assert done.entry.reason.startswith("conductor is the catalog's coordinator: it can reach 4 of")
    assert "orchestrator" not in done.catalog


def test_edges_declared_leaves_implied_edges_out() -> None:
    done = coordinate(_load("conductor.roomodes"), edges=EdgeMode.DECLARED)
    assert done.catalog["conductor"].delegates_to == ()
    assert done.entry is not None and done.entry.slug == "orchestrator"
    assert not [f for f in done.findings if f.code is Code.IMPLIED_EDGE]


def test_a_small_hierarchy_beside_a_flat_folder_enters_the_orchestrator() -> None:
    lead = Mode(
        slug="team-lead",
        name="Team Lead",
        level="020-lead",
        delegates_to=(Reference(slug="worker-a"), Reference(slug="worker-b")),
    )
    flat = _flat(*(f"agent-{n}" for n in range(6)))
    done = coordinate(Catalog([lead, *_flat("worker-a", "worker-b"), *flat]))
    assert done.entry is not None and done.entry.slug == "orchestrator"
    assert "team-lead, can reach only 3 of its 9 roles" in done.entry.reason


def test_the_bundled_library_keeps_its_coordinator_and_gains_nothing() -> None:
    catalog = load_catalog(include_bundled=True, user_dir=DATA / "none", project_dir=DATA / "none")
    done = coordinate(catalog)
    assert done.entry is not None
    assert (done.entry.slug, done.entry.rule) == ("roo-commander", EntryRule.COORDINATOR)
    assert done.findings == []
    assert [m.model_dump() for m in done.catalog] == [m.model_dump() for m in catalog]


def test_mode_orchestrator_adds_the_role_to_any_catalog() -> None:
    done = coordinate(_load("conductor.roomodes"), entry="orchestrator")
    assert done.entry is not None
    assert (done.entry.rule, done.entry.built_in) == (EntryRule.GIVEN, True)
    assert len(done.catalog["orchestrator"].delegates_to) == 5


def test_a_given_entry_is_kept_as_given() -> None:
    done = coordinate(_load("flat.roomodes"), entry="shipper")
    assert done.entry is not None
    assert (done.entry.slug, done.entry.rule, done.entry.reason) == (
        "shipper",
        EntryRule.GIVEN,
        "--mode shipper",
    )
    assert "orchestrator" not in done.catalog


def test_an_empty_catalog_has_no_entry() -> None:
    assert coordinate(Catalog([])).entry is None


def test_the_coordination_benchmark_runs() -> None:
    script = Path(__file__).parents[2] / "benchmarks" / "coordination_cost.py"
    out = subprocess.run(
        [sys.executable, str(script), "--smoke"],
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    ).stdout
    assert "50 modes" in out and "entry role-0000" in out
    assert "implied edges found: 53" in out  # 49 listed by the coordinator, 4 sentences
