"""Shared builders for the roles tests: catalogs made from Mode objects, no readers."""

from __future__ import annotations

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
