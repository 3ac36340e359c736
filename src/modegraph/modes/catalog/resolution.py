"""How a reference written in a mode file finds the mode it means.

Rules, tried in this order:

1. `exact`: the name is a slug in the catalog.
2. `file-stem`: a Roo Commander file stem, a level id followed by the slug
   (`010-dir-technical-architect` -> `technical-architect`,
   `032-worker-backend-fastapi-developer.mode.md` -> `fastapi-developer`): first
   the slug `stem_slug` reads from it (the same rule names a mode file that has
   no heading), then every shorter tail of it, longest first.
3. `level`: a level id held by exactly one mode (`020-lead-design` -> `design-lead`).
4. `alias`: the catalog's alias table (`aliases:` in modegraph.yaml, `--alias old=new`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import StrEnum
from typing import NamedTuple

from modegraph.modes.names import FILE_SUFFIX, stem_candidates, stem_slug

__all__ = ["Resolution", "ResolutionRule", "Resolver", "stem_candidates", "stem_slug"]


class ResolutionRule(StrEnum):
    """The rule that resolved a reference."""

    EXACT = "exact"
    FILE_STEM = "file-stem"
    LEVEL = "level"
    ALIAS = "alias"
    UNRESOLVED = "unresolved"


class Resolution(NamedTuple):
    """The slug a reference names (None when it names nothing) and the rule that found it."""

    slug: str | None
    """The resolved slug."""
    rule: ResolutionRule
    """How it was found."""


class Resolver:
    """Resolves references against a fixed set of slugs, levels and aliases."""

    def __init__(
        self,
        *,
        slugs: Collection[str],
        levels: Mapping[str, str | None],
        aliases: Mapping[str, str],
    ) -> None:
        self._slugs = slugs
        self._aliases = aliases
        holders: dict[str, list[str]] = {}
        for slug, level in levels.items():
            if level:
                holders.setdefault(level.strip().lower(), []).append(slug)
        self._level_owner = {
            level: owners[0] for level, owners in holders.items() if len(owners) == 1
        }
        self._level_slugs = holders

    def resolve(self, name: str) -> Resolution:
        """Resolve one reference by the rules above, in order."""
        found = self._without_alias(name)
        if found.slug is not None:
            return found
        target = self._aliases.get(name.strip())
        if target is not None:
            through = self._without_alias(target)
            if through.slug is not None:
                return Resolution(through.slug, ResolutionRule.ALIAS)
        return Resolution(None, ResolutionRule.UNRESOLVED)

    def level_holders(self, level: str) -> list[str]:
        """Slugs of the modes that hold a level id (for messages about ambiguous levels)."""
        return list(self._level_slugs.get(level.strip().lower(), []))

    def _without_alias(self, name: str) -> Resolution:
        name = name.strip()
        if name in self._slugs:
            return Resolution(name, ResolutionRule.EXACT)
        first = stem_slug(name)
        for candidate in ([first] if first else []) + stem_candidates(name):
            if candidate in self._slugs:
                return Resolution(candidate, ResolutionRule.FILE_STEM)
        owner = self._level_owner.get(FILE_SUFFIX.sub("", name).lower())
        if owner is not None:
            return Resolution(owner, ResolutionRule.LEVEL)
        return Resolution(None, ResolutionRule.UNRESOLVED)
