"""`check_handoff` raises the error tree's HandoffRefused and GuardTripped."""

from __future__ import annotations

import pytest

from modegraph.coordinator import Policy
from modegraph.coordinator.routing import Routes, check_handoff
from modegraph.errors import GuardTripped, HandoffRefused
from modegraph.modes.catalog import Catalog
from modegraph.modes.model import EdgeKind
from modegraph.roles.escalation import EscalationGraph


def _routes(catalog: Catalog) -> Routes:
    return Routes(catalog=catalog, graph=EscalationGraph.from_catalog(catalog))


def _check(
    routes: Routes,
    target: str,
    *,
    chain: tuple[str, ...] = ("alpha",),
    depth: int = 0,
    subtasks: int = 0,
) -> object:
    return check_handoff(
        routes=routes,
        policy=Policy(max_depth=1),
        source="alpha",
        target=target,
        chain=list(chain),
        depth=depth,
        subtasks=subtasks,
    )


def test_an_allowed_handoff_returns_its_edge(loop_catalog: Catalog) -> None:
    edge = _check(_routes(loop_catalog), "beta")
    assert getattr(edge, "kind", None) is EdgeKind.DELEGATE


def test_refusals_by_the_escalation_graph(loop_catalog: Catalog) -> None:
    routes = _routes(loop_catalog)
    with pytest.raises(HandoffRefused, match="not a role of the catalog"):
        _check(routes, "nobody")
    with pytest.raises(HandoffRefused, match="no delegate or escalate edge to gamma"):
        _check(routes, "gamma")


def test_guards(loop_catalog: Catalog) -> None:
    routes = _routes(loop_catalog)
    with pytest.raises(GuardTripped, match="deeper than --max-depth 1"):
        _check(routes, "beta", depth=1)
    with pytest.raises(GuardTripped, match="already in this escalation chain"):
        _check(routes, "beta", chain=("alpha", "beta"))
    with pytest.raises(GuardTripped, match="already has 32 subtasks"):
        _check(routes, "beta", subtasks=32)
