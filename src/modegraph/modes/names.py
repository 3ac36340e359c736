"""How names are made from names: Roo Commander file stems to slugs.

`stem_slug` is the one rule that turns a file stem (`032-worker-backend-fastapi-developer`)
into the slug it names; reference resolution (`modegraph.modes.catalog.resolution`)
and the readers (a mode file with no heading) both use it.
"""

from __future__ import annotations

import re

__all__ = ["FILE_SUFFIX", "stem_candidates", "stem_slug"]

_NUMBER_PREFIX = re.compile(r"^\d+-")
FILE_SUFFIX = re.compile(r"(\.mode)?\.(md|ya?ml|json|toml)$", re.IGNORECASE)
_TIERS = frozenset(
    {"executive", "exec", "director", "dir", "lead", "manager", "mgr", "assistant", "util", "agent"}
)
"""Roo Commander level words that open a file stem after its number."""
_TIERS_WITH_DOMAIN = frozenset({"worker", "spec", "specialist"})
"""Level words always followed by a domain word (`032-worker-backend-...`)."""


def stem_slug(name: str) -> str | None:
    """The slug a Roo Commander file stem names, or None when `name` is not a stem.

    The number, the level word and the level's domain are dropped:
    `032-worker-backend-api-tester` -> `api-tester`,
    `036-worker-security-security-specialist` -> `security-specialist`,
    `010-dir-technical-architect` -> `technical-architect`,
    `020-lead-database-database-lead` -> `database-lead` (a domain word is dropped
    after other level words only when it comes again), `032-fastapi-developer` ->
    `fastapi-developer`. Never drops every word: `020-lead-design` -> `design`.
    """
    stem = FILE_SUFFIX.sub("", name.strip().rsplit("/", 1)[-1])
    if not _NUMBER_PREFIX.match(stem):
        return None
    parts = [part for part in _NUMBER_PREFIX.sub("", stem).split("-") if part]
    if not parts:
        return None
    drop = 0
    tier = parts[0].lower()
    if tier in _TIERS_WITH_DOMAIN:
        drop = 2
    elif tier in _TIERS:
        drop = 2 if len(parts) > 2 and parts[1].lower() in (p.lower() for p in parts[2:]) else 1
    while drop and drop >= len(parts):
        drop -= 1
    return "-".join(parts[drop:])


def stem_candidates(name: str) -> list[str]:
    """Slugs a Roo Commander file stem may stand for, longest first.

    `032-worker-backend-fastapi-developer` gives `worker-backend-fastapi-developer`,
    `backend-fastapi-developer`, `fastapi-developer`, `developer`. A name without a
    leading number gives nothing: it is not a file stem.
    """
    stem = FILE_SUFFIX.sub("", name.strip().rsplit("/", 1)[-1])
    if not _NUMBER_PREFIX.match(stem):
        return []
    parts = [part for part in _NUMBER_PREFIX.sub("", stem).split("-") if part]
    return ["-".join(parts[start:]) for start in range(len(parts))]
