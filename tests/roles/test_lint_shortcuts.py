"""Cases the faster lint and graph build must keep: same tiers, self-edges, repeated names."""

from __future__ import annotations

import random
from collections.abc import Callable

import networkx as nx

from modegraph.findings import Code, Finding
from modegraph.modes.catalog import Catalog
from modegraph.modes.model import EdgeKind
from modegraph.roles.escalation import EdgeRow, EscalationGraph
from modegraph.roles.levels import parse_level
from modegraph.roles.lint import _loops, lint_catalog

Build = Callable[..., Catalog]


def codes(findings: list[Finding]) -> list[tuple[Code, str | None]]:
    return [(f.code, f.slug) for f in findings]


def test_edges_within_one_tier_never_go_up_or_down(catalog_of: Build) -> None:
    findings = lint_catalog(
        catalog_of(
            ("boss", "000-executive", ["a", "b"], [], []),
            ("a", "020-lead-x", ["b"], ["b"], ["boss"]),
            ("b", "021-lead-y", ["a"], ["boss"], ["boss"]),
        )
    )
    assert Code.ESCALATES_DOWN not in {f.code for f in findings}
    assert Code.DELEGATES_UP not in {f.code for f in findings}


def test_a_mode_whose_only_edge_is_to_itself_is_an_orphan(catalog_of: Build) -> None:
    findings = lint_catalog(
        catalog_of(
            ("boss", "000-executive", ["lead"], [], []),
            ("lead", "020-lead", [], ["boss"], ["boss"]),
            ("loner", "020-lead", [], ["loner"], []),
        )
    )
    assert codes(findings) == [(Code.ORPHAN, "loner"), (Code.SELF_EDGE, "loner")]


def test_a_worker_reaching_a_lead_through_a_peer_has_an_escalation_path(
    catalog_of: Build,
) -> None:
    findings = lint_catalog(
        catalog_of(
            ("boss", "000-executive", ["lead", "w1", "w2"], [], []),
            ("lead", "020-lead", ["w1", "w2"], ["boss"], ["boss"]),
            ("w1", "030-worker", [], ["w2"], ["lead"]),
            ("w2", "030-worker", [], ["lead"], ["lead"]),
            ("w3", "030-worker", [], ["w1"], []),
            ("w4", "030-worker", [], ["w5"], []),
            ("w5", "030-worker", [], [], []),
        )
    )
    stuck = [f.slug for f in findings if f.code is Code.NO_ESCALATION_PATH]
    assert stuck == ["w4", "w5"]


def test_a_name_used_by_many_modes_resolves_the_same_for_each(catalog_of: Build) -> None:
    catalog = catalog_of(
        ("fastapi-developer", "032-worker-backend", [], [], []),
        ("lead", "020-lead", ["032-worker-backend-fastapi-developer", "ghost"], [], []),
        ("other", "020-lead", ["032-worker-backend-fastapi-developer", "ghost"], [], []),
    )
    graph = EscalationGraph.from_catalog(catalog)
    assert [(e.source, e.target, e.missing) for e in graph.edges()] == [
        ("lead", "fastapi-developer", False),
        ("lead", "ghost", True),
        ("other", "fastapi-developer", False),
        ("other", "ghost", True),
    ]


def test_a_level_read_twice_is_equal_and_unchanged() -> None:
    first, again = parse_level(" 032-worker-backend "), parse_level(" 032-worker-backend ")
    assert first == again
    assert (first.tier.value, first.code, first.department, first.raw) == (
        "worker",
        32,
        "backend",
        "032-worker-backend",
    )


def _escalation_edges(pairs: list[tuple[str, str]]) -> list[EdgeRow]:
    return [EdgeRow(s, t, EdgeKind.ESCALATE, None, False) for s, t in pairs]


def test_escalation_loops_are_the_strongly_connected_sets_networkx_finds() -> None:
    rng = random.Random(15)
    for case in range(300):
        size = rng.randint(1, 30)
        modes = [f"m{i}" for i in range(size)]
        pairs = [(rng.choice(modes), rng.choice(modes)) for _ in range(rng.randint(0, size * 3))]
        edges = _escalation_edges(pairs)
        edges += [EdgeRow(modes[0], "ghost", EdgeKind.ESCALATE, None, True)]  # missing: ignored
        edges += [EdgeRow(t, s, EdgeKind.DELEGATE, None, False) for s, t in pairs[:3]]  # not kinds
        reference = nx.DiGraph()
        reference.add_nodes_from(modes)
        reference.add_edges_from((s, t) for s, t in pairs if s != t)
        expected = sorted(
            sorted(c) for c in nx.strongly_connected_components(reference) if len(c) > 1
        )
        assert sorted(sorted(c) for c in _loops(modes, edges)) == expected, case


def test_a_loop_of_thousands_of_escalations_is_found_without_recursion() -> None:
    modes = [f"m{i}" for i in range(5000)]
    ring = _escalation_edges([(a, b) for a, b in zip(modes, modes[1:] + modes[:1], strict=True)])
    assert [len(loop) for loop in _loops(modes, ring)] == [5000]


def test_edge_rows_are_the_edges_in_declaration_order_for_built_graphs_and_others(
    catalog_of: Build,
) -> None:
    graph = EscalationGraph.from_catalog(
        catalog_of(
            ("boss", "000-executive", ["lead", "ghost"], [], []),
            ("lead", "020-lead", ["w1", "w2"], ["boss"], ["boss"]),
            ("w1", "030-worker", [], ["lead", "w2", "lead"], ["lead"]),
            ("w2", "030-worker", [], ["w1"], ["lead"]),
        )
    )

    def projected(g: EscalationGraph) -> list[EdgeRow]:
        return [EdgeRow(e.source, e.target, e.kind, e.line, e.missing) for e in g.edges()]

    assert graph.edge_rows() == projected(graph)
    sub = graph.subgraph("w1", depth=1)  # no rows of its own: read from networkx
    assert sub.edge_rows() == projected(sub) and len(sub.edge_rows()) < len(graph.edge_rows())
    graph.graph.remove_edge("w2", "w1", key=EdgeKind.ESCALATE.value)  # changed in place
    assert graph.edge_rows() == projected(graph)
