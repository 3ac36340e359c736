"""Keep the agents of different CrewAI crews apart when they share a key.

A CrewAI flow holds several crews (`src/<flow>/crews/<crew>/config/agents.yaml`), and
two crews often have an agent with the same key (`researcher`): CrewAI builds each
crew from its own file, so they are two agents. Read into one catalog, the later one
would override the earlier. Instead, each agent whose key more than one crew file
uses is named `<crew>-<key>` (the crew being the folder that holds `config/`), its
crew's own delegation references follow it, and an info `crew-qualified` finding says
so. Agents whose key is used once keep their plain slug. The crew is kept in
`extra["crewai_crew"]`, so routing does not read the crew's name as the agent's work.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import PurePath

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.formats._fields import finding
from modegraph.modes.formats.reading import ReadResult
from modegraph.modes.model import Mode, Reference, SourceFormat

__all__ = ["CREW_KEY", "crew_name", "separate_crews"]

CREW_KEY = "crewai_crew"
"""`Mode.extra` key of the crew a renamed agent's slug starts with (`research` for
`research-researcher`): the slug's first words name the crew, not the agent's work."""

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def crew_name(path: str) -> str:
    """The crew an `agents.yaml` belongs to: the folder holding its `config/` folder.

    `src/trip/crews/research/config/agents.yaml` -> `research`; a file outside a
    `config/` folder is named by its own folder. Made slug-safe (`Market_Crew` ->
    `market-crew`).
    """
    folder = PurePath(path).parent
    if folder.name == "config" and folder.parent.name:
        folder = folder.parent
    return _NOT_SLUG.sub("-", folder.name.lower()).strip("-") or "crew"


def separate_crews(results: Iterable[ReadResult]) -> None:
    """Name `<crew>-<key>` every CrewAI agent whose key two crew files use (in place).

    Args:
        results: What was read, in any number of parts (one per catalog source);
            modes are replaced in their lists and the findings added to the part
            holding the renamed mode.
    """
    parts = [(part, _plain_agents(part)) for part in results]
    files: dict[str, set[str]] = defaultdict(set)
    for _, agents in parts:
        for mode in agents:
            files[mode.slug].add(_real(mode.source.path))
    shared = {slug for slug, paths in files.items() if len(paths) > 1}
    if not shared:
        return
    for part, agents in parts:
        crew = [mode for mode in agents if mode.slug in shared]
        if not crew:
            continue
        renamed = {
            (mode.source.path, mode.slug): f"{crew_name(mode.source.path or '')}-{mode.slug}"
            for mode in crew
        }
        part.modes[:] = [_qualified(mode, renamed) for mode in part.modes]
        part.findings.extend(_finding(mode, renamed, files[mode.slug]) for mode in crew)


def _plain_agents(part: ReadResult) -> list[Mode]:
    """The part's CrewAI agents not named after their crew yet (each is done once)."""
    done = {(f.path, f.slug) for f in part.findings if f.code is Code.CREW_QUALIFIED}
    return [m for m in part.modes if _is_crew_agent(m) and (m.source.path, m.slug) not in done]


def _is_crew_agent(mode: Mode) -> bool:
    return mode.source.format is SourceFormat.CREWAI and mode.source.path is not None


def _real(path: str | None) -> str:
    return os.path.realpath(path or "")


def _qualified(mode: Mode, renamed: dict[tuple[str | None, str], str]) -> Mode:
    if not _is_crew_agent(mode):
        return mode
    path = mode.source.path

    def follow(refs: tuple[Reference, ...]) -> tuple[Reference, ...]:
        return tuple(
            ref.model_copy(update={"slug": renamed[path, ref.slug]})
            if (path, ref.slug) in renamed
            else ref
            for ref in refs
        )

    update: dict[str, object] = {
        "delegates_to": follow(mode.delegates_to),
        "escalates_to": follow(mode.escalates_to),
        "reports_to": follow(mode.reports_to),
    }
    if (path, mode.slug) in renamed:
        update["slug"] = renamed[path, mode.slug]
        update["extra"] = {**mode.extra, CREW_KEY: crew_name(path or "")}
    return mode.model_copy(update=update)


def _finding(mode: Mode, renamed: dict[tuple[str | None, str], str], paths: set[str]) -> Finding:
    old, new = mode.slug, renamed[mode.source.path, mode.slug]
    crews = sorted({crew_name(other) for other in paths})
    return finding(
        Code.CREW_QUALIFIED,
        Severity.INFO,
        f"agent `{old}` is in {len(paths)} crews ({', '.join(crews)}); this one is mode {new!r}",
        path=mode.source.path,
        line=mode.source.line,
        slug=new,
        hint=f"name it {new!r} in --mode, routing tests and references, or give the agents "
        "keys of their own",
    )
