"""Property tests: any catalog draws to valid Mermaid, lints without crashing, and
`path` agrees with networkx on the shortest chain."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modegraph.errors import CatalogError
from modegraph.modes.catalog import Catalog
from modegraph.modes.model import EdgeKind, Mode, Reference, SourceInfo
from modegraph.roles import ROUTING_KINDS, EscalationGraph, lint_catalog
from modegraph.roles.render.mermaid import render_mermaid

Grammar = Callable[[str], dict[str, list[tuple[str, str | None, str]]]]

SLUGS = st.from_regex(r"[a-zA-Z0-9][a-zA-Z0-9-]{0,11}", fullmatch=True)
LEVELS = st.sampled_from(
    [
        None,
        "000-executive",
        "010-director",
        "020-lead-x",
        "032-worker-backend",
        "04x-assistant",
        "05x-footgun",
        "Developer",
        "lead",
        "???",
    ]
)
TEXT = st.text(min_size=0, max_size=30)


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    slugs = draw(st.lists(SLUGS, min_size=1, max_size=8, unique_by=str.lower))
    targets = st.one_of(st.sampled_from(slugs), st.text(min_size=1, max_size=15))
    refs = st.lists(
        st.builds(
            Reference, slug=targets, note=st.one_of(st.none(), TEXT), line=st.integers(1, 99)
        ),
        max_size=4,
    )
    modes = [
        Mode(
            slug=slug,
            name=draw(st.text(min_size=1, max_size=20)),
            emoji=draw(st.one_of(st.none(), st.sampled_from(["🚀", "👑", "⚙️", '"']))),
            level=draw(LEVELS),
            description=draw(TEXT),
            delegates_to=tuple(draw(refs)),
            escalates_to=tuple(draw(refs)),
            reports_to=tuple(draw(refs)),
            source=SourceInfo(path=f"{slug}.mode.md", line=1),
        )
        for slug in slugs
    ]
    return Catalog(modes)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(catalog=catalogs())
def test_any_catalog_draws_valid_mermaid(catalog: Catalog, mermaid_grammar: Grammar) -> None:
    graph = EscalationGraph(catalog)
    edges = mermaid_grammar(render_mermaid(graph))
    drawn = sum(len(v) for v in edges.values())  # legend links match their own rule
    assert drawn == graph.graph.number_of_edges()


@settings(max_examples=40, deadline=None)
@given(catalog=catalogs())
def test_lint_never_crashes_and_names_real_modes(catalog: Catalog) -> None:
    for finding in lint_catalog(catalog):
        assert finding.slug in catalog
        assert finding.message and finding.hint


@settings(max_examples=40, deadline=None)
@given(catalog=catalogs(), data=st.data())
def test_path_is_as_short_as_networkx_says(catalog: Catalog, data: st.DataObject) -> None:
    graph = EscalationGraph(catalog)
    source = data.draw(st.sampled_from(graph.slugs))
    target = data.draw(st.sampled_from(graph.slugs))
    routing = nx.DiGraph()
    routing.add_nodes_from(graph.slugs)
    routing.add_edges_from((e.source, e.target) for e in graph.edges(ROUTING_KINDS))
    if graph.is_missing(source) or graph.is_missing(target):
        # a dangling reference is no role: no chain may start or end there
        with pytest.raises(CatalogError, match="but no mode declares it"):
            graph.path(source, target)
        return
    chain = graph.path(source, target)
    if nx.has_path(routing, source, target):
        assert chain is not None
        assert len(chain) == nx.shortest_path_length(routing, source, target)
        if chain:
            assert chain[0].source == source and chain[-1].target == target
            assert all(a.target == b.source for a, b in itertools.pairwise(chain))
            assert all(e.kind in (EdgeKind.DELEGATE, EdgeKind.ESCALATE) for e in chain)
    else:
        assert chain is None
        closest = graph.closest_reachable(source, target)
        assert closest is None or closest in graph.reachable(source)
        assert closest is None or not graph.is_missing(closest)
