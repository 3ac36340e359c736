"""Shared builders for the roles tests: catalogs made from Mode objects, no readers."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import pytest

from modegraph.modes.catalog import Catalog
from modegraph.modes.model import Mode, Reference, SourceInfo

ModeSpec = tuple[str, str | None, Sequence[str], Sequence[str], Sequence[str]]
"""(slug, level, delegates_to, escalates_to, reports_to)."""


def make_mode(
    slug: str,
    level: str | None = None,
    delegates: Sequence[str] = (),
    escalates: Sequence[str] = (),
    reports: Sequence[str] = (),
    **extra: object,
) -> Mode:
    line = 10
    refs: dict[str, tuple[Reference, ...]] = {}
    for field, names in (
        ("delegates_to", delegates),
        ("escalates_to", escalates),
        ("reports_to", reports),
    ):
        items = []
        for name in names:
            slug_part, _, note = name.partition("#")
            items.append(Reference(slug=slug_part.strip(), note=note.strip() or None, line=line))
            line += 1
        refs[field] = tuple(items)
    return Mode(
        slug=slug,
        name=extra.pop("name", slug.replace("-", " ").title()),  # type: ignore[arg-type]
        level=level,
        source=SourceInfo(path=f"modes/{slug}.mode.md", line=1),
        **refs,  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def catalog_of() -> Callable[..., Catalog]:
    """Build a catalog from `(slug, level, delegates, escalates, reports)` tuples."""

    def build(*specs: ModeSpec | Mode) -> Catalog:
        return Catalog(s if isinstance(s, Mode) else make_mode(*s) for s in specs)

    return build


@pytest.fixture
def mode_of() -> Callable[..., Mode]:
    """Build one Mode (keywords go to the Mode model)."""
    return make_mode


@pytest.fixture
def team(catalog_of: Callable[..., Catalog]) -> Catalog:
    """A small healthy hierarchy: executive, director, two leads, three workers."""
    return catalog_of(
        ("commander", "000-executive", ["technical-architect"], [], []),
        (
            "technical-architect",
            "010-director",
            ["backend-lead", "frontend-lead"],
            ["commander"],
            ["commander"],
        ),
        (
            "backend-lead",
            "020-lead-backend",
            ["fastapi-developer", "database-specialist"],
            ["technical-architect"],
            ["technical-architect"],
        ),
        (
            "frontend-lead",
            "020-lead-frontend",
            ["react-developer"],
            ["technical-architect"],
            ["technical-architect"],
        ),
        (
            "fastapi-developer",
            "032-worker-backend",
            [],
            ["database-specialist # For complex database design", "backend-lead"],
            ["backend-lead"],
        ),
        ("database-specialist", "032-worker-database", [], ["backend-lead"], ["backend-lead"]),
        ("react-developer", "031-worker-frontend", [], ["frontend-lead"], ["frontend-lead"]),
    )


# -- the Mermaid grammar rules the renderer relies on --------------------------------

ID = r"[A-Za-z0-9_]+"
LABEL = r'"[^"]*"'
NODE_LINE = re.compile(rf"^    ({ID})\[({LABEL})\]$")
SUBGRAPH_LINE = re.compile(rf"^  subgraph ({ID})\[({LABEL})\]$")
EDGE_LINE = {
    "delegate": re.compile(rf"^  ({ID}) ===?>(?:\|({LABEL})\|)? ({ID})$"),
    "escalate": re.compile(rf"^  ({ID}) ---?>(?:\|({LABEL})\|)? ({ID})$"),
    "report": re.compile(rf"^  ({ID}) -\.\.?->(?:\|({LABEL})\|)? ({ID})$"),
}
# an edge pointing up is written target-first, two-headed (its linkStyle drops the end head)
UP_EDGE_LINE = {
    "delegate": re.compile(rf"^  ({ID}) <===?>(?:\|({LABEL})\|)? ({ID})$"),
    "escalate": re.compile(rf"^  ({ID}) <---?>(?:\|({LABEL})\|)? ({ID})$"),
    "report": re.compile(rf"^  ({ID}) <-\.\.?->(?:\|({LABEL})\|)? ({ID})$"),
}
LEGEND_LINE = re.compile(
    rf"^    ({ID})\[({LABEL})\]:::legend (==>|-->|-\.->)\|({LABEL})\| ({ID})\[({LABEL})\]:::legend$"
)
OTHER_LINES = [
    re.compile(r"^flowchart TB$"),
    re.compile(r"^\s*end$"),
    re.compile(r"^    direction LR$"),
    re.compile(rf"^  {ID} ~~~ {ID}$"),
    re.compile(
        r"^  linkStyle \d+(,\d+)* stroke:#[0-9a-f]{6},color:#[0-9a-f]{6}(,marker-end:none)?$"
    ),
    re.compile(r"^  classDef \w+ [\w:#, -]+$"),
    re.compile(rf"^  class {ID}(,{ID})* missing$"),
]


def check_grammar(text: str) -> dict[str, list[tuple[str, str | None, str]]]:
    """Fail on any line that breaks a rule; return the edges per kind."""
    edges: dict[str, list[tuple[str, str | None, str]]] = {k: [] for k in EDGE_LINE}
    depth = 0
    for line in text.splitlines():
        if line.lstrip().startswith("subgraph "):
            depth += 1
            assert SUBGRAPH_LINE.match(line) or re.match(rf'^  subgraph {ID}\["[^"]*"\]$', line), (
                line
            )
            continue
        if line.strip() == "end":
            depth -= 1
            assert depth >= 0, "end without subgraph"
            continue
        if NODE_LINE.match(line) or LEGEND_LINE.match(line):
            continue
        matched = False
        for kind, pattern in EDGE_LINE.items():
            m = pattern.match(line)
            if m:
                edges[kind].append((m.group(1), m.group(2), m.group(3)))
                matched = True
        for kind, pattern in UP_EDGE_LINE.items():
            m = pattern.match(line)
            if m:  # written target-first: give it back in its own direction
                edges[kind].append((m.group(3), m.group(2), m.group(1)))
                matched = True
        if matched:
            continue
        assert any(p.match(line) for p in OTHER_LINES), f"line breaks the grammar rules: {line!r}"
    assert depth == 0, "subgraph/end unbalanced"
    return edges


@pytest.fixture
def mermaid_grammar() -> Callable[[str], dict[str, list[tuple[str, str | None, str]]]]:
    """Check Mermaid text line by line; returns the edges per kind."""
    return check_grammar
