"""`--edges` and the coordinated catalog every command shows (`modes`, `graph`, `run`, `route`).

Every command that shows or runs the catalog calls `coordinated`, so a role that
`run` would enter (the built-in orchestrator) or an edge it would follow (one a
mode's text implies) is the same in `modes list`, `graph show` and `route`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from modegraph.modes.catalog._edge_mode import EdgeMode

if TYPE_CHECKING:
    from rich.console import Console

    from modegraph.modes.catalog.catalog import Catalog
    from modegraph.roles.coordination import Coordination

__all__ = ["EdgesOption", "coordinated", "note_entry"]

EdgesOption = Annotated[
    EdgeMode,
    typer.Option(
        "--edges",
        metavar="all|declared",
        help="Which edges to follow: `all` (declared, and those a mode's own text implies, "
        "such as a `new_task` list of slugs) or `declared` (only those the files declare).",
        case_sensitive=False,
    ),
]
"""`--edges all|declared`."""


def coordinated(
    catalog: Catalog, *, entry: str | None = None, edges: EdgeMode = EdgeMode.ALL
) -> Coordination:
    """The catalog as `run` sees it: implied edges, the entry, the orchestrator role."""
    from modegraph.roles.coordination import coordinate

    return coordinate(catalog, entry=entry, edges=edges)


def note_entry(coordination: Coordination, console: Console, *, chosen: bool = True) -> None:
    """Say on `console` (standard error) which role a run enters and why, when no --mode chose it.

    With `--mode SLUG` for a role that can hand work to no one, say so: the role keeps
    the whole goal, and the entry rule would have chosen differently. `chosen=False`
    leaves out the entry rule's choice (the text output's `Entry:` line says it).
    """
    from rich.text import Text

    from modegraph.roles.coordination import EntryRule

    entry = coordination.entry
    if entry is None:
        return
    if entry.rule is not EntryRule.GIVEN:
        if not chosen:
            return
        name = f"{entry.slug} (built in)" if entry.built_in else entry.slug
        console.print(Text(f"entry: {name}: {entry.reason}", style="dim"), soft_wrap=True)
        return
    mode = coordination.catalog.get(entry.slug)
    if mode is None:
        return
    from modegraph.roles.escalation import EscalationGraph

    graph = EscalationGraph.from_catalog(coordination.catalog)
    if any(not e.missing for e in graph.targets(entry.slug)):
        return
    console.print(
        Text(
            f"note: {entry.slug} can hand work to no other role (it declares no delegate or "
            "escalate edge), so it keeps the whole goal; without --mode the entry rule picks "
            "the catalog's coordinator or the orchestrator role, which can route it",
            style="yellow",
        ),
        soft_wrap=True,
    )
