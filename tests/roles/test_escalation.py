from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import pytest

from modegraph.errors import CatalogError
from modegraph.modes.catalog import Catalog
from modegraph.modes.model import EdgeKind, Mode
from modegraph.roles import ROUTING_KINDS, Edge, EscalationGraph, Tier

Build = Callable[..., Catalog]


def test_nodes_carry_tier_level_name_emoji_and_missing(
    catalog_of: Build, mode_of: Callable[..., Mode]
) -> None:
    graph = EscalationGraph.from_catalog(
        catalog_of(
            mode_of(
                "fastapi-developer",
                "032-worker-backend",
                escalates=["ghost"],
                emoji="🚀",
                description="APIs",
            ),
        )
    )
    assert isinstance(graph.graph, nx.MultiDiGraph)
    node = graph.graph.nodes["fastapi-developer"]
    assert node["tier"] is Tier.WORKER
    assert node["level"].department == "backend"
    assert node["name"] == "Fastapi Developer"
    assert node["emoji"] == "🚀"
    assert node["description"] == "APIs"
    assert node["missing"] is False
    assert graph.graph.nodes["ghost"]["missing"] is True
    assert graph.is_missing("ghost") and graph.tier("ghost") is Tier.OTHER


def test_edges_carry_kind_note_line(team: Catalog) -> None:
    graph = EscalationGraph(team)
    data = graph.graph.get_edge_data("fastapi-developer", "database-specialist")
    assert set(data) == {"escalate"}
    assert data["escalate"]["kind"] is EdgeKind.ESCALATE
    assert data["escalate"]["note"] == "For complex database design"
    assert data["escalate"]["line"] == 10
    # delegate and report between the same pair are two edges of a multigraph
    assert set(graph.graph.get_edge_data("backend-lead", "technical-architect")) == {
        "escalate",
        "report",
    }


def test_targets_in_declaration_order_and_by_kind(team: Catalog) -> None:
    graph = EscalationGraph(team)
    assert [e.target for e in graph.targets("fastapi-developer")] == [
        "database-specialist",
        "backend-lead",
    ]
    assert graph.targets("fastapi-developer", [EdgeKind.REPORT]) == [
        Edge(source="fastapi-developer", target="backend-lead", kind=EdgeKind.REPORT, line=12)
    ]
    assert graph.targets("nobody") == []
    assert [e.source for e in graph.sources("backend-lead")] == [
        "technical-architect",
        "fastapi-developer",
        "database-specialist",
    ]


def test_duplicate_reference_keeps_the_first(catalog_of: Build) -> None:
    graph = EscalationGraph(
        catalog_of(
            ("a", "020-lead", [], ["b # first", "b # second"], []),
            ("b", "010-director", [], [], []),
        )
    )
    [edge] = graph.targets("a")
    assert edge.note == "first"


def test_reachable_follows_routing_kinds_only(team: Catalog) -> None:
    graph = EscalationGraph(team)
    assert graph.reachable("react-developer")[0] == "react-developer"
    assert set(graph.reachable("react-developer")) == set(team.slugs)
    assert graph.reachable("react-developer", [EdgeKind.REPORT]) == [
        "react-developer",
        "frontend-lead",
        "technical-architect",
        "commander",
    ]
    assert ROUTING_KINDS == (EdgeKind.DELEGATE, EdgeKind.ESCALATE)


def test_path_is_shortest_and_respects_direction(team: Catalog) -> None:
    graph = EscalationGraph(team)
    chain = graph.path("fastapi-developer", "react-developer")
    assert chain is not None
    assert [(e.source, e.kind.value, e.target) for e in chain] == [
        ("fastapi-developer", "escalate", "backend-lead"),
        ("backend-lead", "escalate", "technical-architect"),
        ("technical-architect", "delegate", "frontend-lead"),
        ("frontend-lead", "delegate", "react-developer"),
    ]
    assert graph.path("commander", "commander") == []
    # reports do not carry work
    assert graph.path("react-developer", "frontend-lead", [EdgeKind.DELEGATE]) is None


def test_path_none_when_direction_forbids(catalog_of: Build) -> None:
    graph = EscalationGraph(
        catalog_of(("lead", "020-lead", ["w"], [], []), ("w", "030-worker", [], [], ["lead"]))
    )
    assert graph.path("lead", "w") is not None
    assert graph.path("w", "lead") is None


def test_path_to_unknown_slug_raises(team: Catalog) -> None:
    with pytest.raises(CatalogError, match=r"no mode with slug 'nobody'.*modegraph modes list"):
        EscalationGraph(team).path("commander", "nobody")


def test_path_never_ends_at_a_missing_node(catalog_of: Build) -> None:
    graph = EscalationGraph(
        catalog_of(
            ("dev", "030-worker", [], ["ghost"], []),
            ("ops", "030-worker", ["ghost"], [], []),
        )
    )
    # one escalate edge leads there, but no mode declares it: not a handoff
    with pytest.raises(
        CatalogError, match=r"^ghost is referenced by dev, ops but no mode declares it; "
    ):
        graph.path("dev", "ghost")
    # nor can a path start there
    with pytest.raises(CatalogError, match=r"ghost is referenced by dev, ops"):
        graph.path("ghost", "dev")


def test_closest_reachable_is_never_a_missing_node(catalog_of: Build) -> None:
    graph = EscalationGraph(
        catalog_of(
            ("dev", "030-worker", [], ["ghost", "helper"], []),
            ("helper", "030-worker", [], [], []),
            ("middle", "030-worker", ["helper"], [], []),
            ("lead", "020-lead", ["ghost", "middle"], [], []),
        )
    )
    assert graph.path("dev", "lead") is None
    # ghost is one hop (undirected) from lead, helper two; but ghost is no role
    assert graph.closest_reachable("dev", "lead") == "helper"


def test_closest_reachable_names_the_nearest_role(catalog_of: Build) -> None:
    graph = EscalationGraph(
        catalog_of(
            ("director", "010-director", ["lead-a", "lead-b"], [], []),
            ("lead-a", "020-lead", ["w1"], ["director"], []),
            ("lead-b", "020-lead", ["w2"], ["director"], []),
            ("w1", "030-worker", [], ["lead-a"], []),
            ("w2", "030-worker", [], [], ["lead-b"]),
            ("island", "030-worker", [], [], []),
        )
    )
    # w2 escalates nowhere: from w2 you reach nothing, so nothing is closest
    assert graph.path("w2", "w1") is None
    assert graph.closest_reachable("w2", "w1") is None
    # a reachable target is its own closest role
    assert graph.closest_reachable("w1", "w2") == "w2"
    # island is connected to nothing
    assert graph.closest_reachable("director", "island") is None


def test_closest_reachable_prefers_fewest_hops_to_target(catalog_of: Build) -> None:
    graph = EscalationGraph(
        catalog_of(
            ("lead", "020-lead", ["w1", "w2"], [], []),
            ("w1", "030-worker", [], [], []),
            ("w2", "030-worker", [], [], ["target"]),
            ("target", "020-lead", [], [], []),
        )
    )
    assert graph.path("lead", "target") is None
    assert graph.closest_reachable("lead", "target") == "w2"


def test_subgraph_from_entry_with_depth(team: Catalog) -> None:
    graph = EscalationGraph(team)
    sub = graph.subgraph("backend-lead", depth=1)
    assert sub.slugs == [
        "technical-architect",
        "backend-lead",
        "fastapi-developer",
        "database-specialist",
    ]
    # edges of every kind between kept nodes, attributes kept
    assert sub.graph.has_edge("fastapi-developer", "backend-lead", key="report")
    assert sub.graph.nodes["backend-lead"]["tier"] is Tier.LEAD
    assert graph.subgraph("backend-lead", depth=0).slugs == ["backend-lead"]
    assert len(graph.subgraph("react-developer")) == len(team)
    # the original is untouched
    assert len(graph) == len(team)


def test_subgraph_keeps_missing_targets(catalog_of: Build) -> None:
    graph = EscalationGraph(
        catalog_of(("fastapi-developer", "032-worker-backend", [], ["db", "sec"], []))
    )
    sub = graph.subgraph("fastapi-developer")
    assert sub.slugs == ["fastapi-developer", "db", "sec"]
    assert all(sub.is_missing(s) for s in ("db", "sec"))


def test_subgraph_of_unknown_entry_raises(team: Catalog) -> None:
    with pytest.raises(CatalogError, match="'ghost'"):
        EscalationGraph(team).subgraph("ghost")


def test_alias_resolves_reference(mode_of: Callable[..., Mode]) -> None:
    catalog = Catalog(
        [
            mode_of("lead", "020-lead", delegates=["sql-expert"]),
            mode_of("database-specialist", "030-worker"),
        ],
        aliases={"sql-expert": "database-specialist"},
    )
    [edge] = EscalationGraph(catalog).targets("lead")
    assert edge.target == "database-specialist" and not edge.missing
