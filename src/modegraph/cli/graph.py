"""`modegraph graph ...`: draw the escalation graph, find paths, lint it."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from modegraph._graph_format import GraphFormat
from modegraph.cli._common import (
    EXIT_INPUT,
    EXIT_USAGE,
    FLAG,
    AliasOption,
    BundledOption,
    DiscoverOption,
    JsonOption,
    ModesOption,
    all_findings,
    fail,
    load_catalog_for_cli,
    print_json,
    report_findings,
)
from modegraph.cli._coordination import EdgesOption, coordinated
from modegraph.errors import CatalogError, SetupError
from modegraph.modes.catalog.implied import EdgeMode

if TYPE_CHECKING:
    from modegraph.modes.catalog.catalog import Catalog
    from modegraph.roles.escalation import Edge, EscalationGraph

# networkx and the renderers load inside the commands, so that `modegraph modes ...`
# (which imports this module to register it) does not pay for them.

app = typer.Typer(
    help="Draw the escalation graph, find handoff paths, lint the hierarchy.",
    no_args_is_help=True,
    add_completion=False,
)


Format = GraphFormat
"""`--format` choices: `modegraph.roles.render.GraphFormat` itself."""


def _load(
    modes: list[Path] | None,
    aliases: list[str] | None,
    bundled: bool | None,
    discover: bool,
    *,
    warn: bool = True,
    edges: EdgeMode = EdgeMode.ALL,
    entry: str | None = None,
) -> Catalog:
    """The layered catalog as `run` sees it; `warn`: one stderr line on errors.

    It has the implied edges (unless `--edges declared`) and the orchestrator role
    when the entry rule (or `entry`) picks it.
    """
    catalog = load_catalog_for_cli(
        modes, aliases, bundled=bundled, discover=discover, warn_errors=warn
    )
    return coordinated(catalog, entry=entry, edges=edges).catalog


def _node(graph: EscalationGraph, name: str, what: str) -> str:
    """The graph node `name` names (a slug, an alias, a file stem), or exit 1."""
    slug = graph.catalog.resolve(name) or name
    if slug in graph:
        return slug
    close = difflib.get_close_matches(name, graph.slugs, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else "."
    fail(
        f"{what} {name!r} is not a mode of this catalog{hint} "
        "Run `modegraph modes list` to see the slugs, or add its file with --modes."
    )


@app.command("show")
def show(
    entry: Annotated[
        str | None,
        typer.Option(
            "--entry",
            help="Draw only what this role can reach (delegate/escalate). Escalation often"
            " reaches a role that delegates to everyone, so without --depth a note on stderr"
            " says how much was reached and what --depth 1 and 2 would draw.",
        ),
    ] = None,
    depth: Annotated[
        int | None,
        typer.Option("--depth", min=0, help="With --entry: follow at most N handoffs."),
    ] = None,
    fmt: Annotated[
        GraphFormat, typer.Option("--format", "-f", help="Picture format.")
    ] = GraphFormat.MERMAID,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.")
    ] = None,
    notes: Annotated[
        bool | None,
        typer.Option(
            "--notes/--no-notes",
            metavar=FLAG,
            help="Label edges with their notes (Mermaid, DOT, SVG). Default: only when the"
            " picture has at most 20 edges (the HTML page shows notes on hover).",
            show_default=False,
        ),
    ] = None,
    modes: ModesOption = None,
    alias: AliasOption = None,
    bundled: BundledOption = None,
    discover: DiscoverOption = True,
    edges: EdgesOption = EdgeMode.ALL,
    json_out: Annotated[
        bool, typer.Option("--json", metavar=FLAG, help="The same as --format json.")
    ] = False,
) -> None:
    """Draw the escalation graph as Mermaid, DOT, JSON, SVG or a self-contained HTML page.

    References to modes that are not in the catalog are drawn as dashed
    "missing" nodes, so one file alone still draws. Edges a mode's own text implies
    are drawn too (`--edges declared` leaves them out); when `run` would enter the
    orchestrator role, it is drawn as "Orchestrator (built in)" with its edges.
    """
    from modegraph.roles.escalation import EscalationGraph
    from modegraph.roles.render import render_graph

    if json_out:
        if fmt not in (GraphFormat.MERMAID, GraphFormat.JSON):
            fail(f"--json and --format {fmt.value} ask for two formats; give one", EXIT_USAGE)
        fmt = GraphFormat.JSON
    catalog = _load(modes, alias, bundled, discover, edges=edges, entry=entry)
    graph = EscalationGraph.from_catalog(catalog)
    title = "modegraph escalation graph"
    if entry is not None:
        start = _node(graph, entry, "--entry")
        whole = graph
        graph = graph.subgraph(start, depth)
        title = f"Escalation graph from {start}"
        if depth is None:
            _note_reach(whole, start, len(graph))
    elif depth is not None:
        fail("--depth needs --entry SLUG (the role to count handoffs from)", EXIT_USAGE)
    try:
        text = render_graph(graph, fmt, title=title, notes=notes)
    except SetupError as exc:
        fail(str(exc), EXIT_INPUT)
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}; choose another -o path")
    missing = sum(1 for _, data in graph.graph.nodes(data=True) if data.get("missing"))
    extra = f" + {missing} missing reference{'' if missing == 1 else 's'}" if missing else ""
    roles = len(graph) - missing
    stats = f"{roles} role{'' if roles == 1 else 's'}{extra}, {graph.graph.number_of_edges()} edges"
    Console(stderr=True, highlight=False, soft_wrap=True).print(
        f"wrote {output} ({fmt.value}, {stats})"
    )


def _note_reach(graph: EscalationGraph, start: str, reached: int) -> None:
    """Say on stderr how much `--entry` reached, and what `--depth 1` / `2` would draw.

    `reachable` follows every delegate and escalate edge on purpose (the
    coordinator routes along all of them), so one escalation to the top pulls in
    the whole catalog. Quiet when a depth limit would draw the same picture.
    """
    smaller = {hops: len(graph.subgraph(start, hops)) for hops in (1, 2)}
    if all(count == reached for count in smaller.values()):
        return
    options = ", ".join(f"--depth {hops} draws {count}" for hops, count in smaller.items())
    Console(stderr=True, highlight=False, soft_wrap=True).print(
        Text(
            f"note: {start} reaches {reached} of {len(graph)} roles along delegate and "
            f"escalate edges (the whole chain up and back down); {options}"
        )
    )


@app.command("path")
def path(
    source: Annotated[str, typer.Argument(metavar="FROM", help="The role work starts at.")],
    target: Annotated[str, typer.Argument(metavar="TO", help="The role work should reach.")],
    json_out: JsonOption = False,
    modes: ModesOption = None,
    alias: AliasOption = None,
    bundled: BundledOption = None,
    discover: DiscoverOption = True,
    edges: EdgesOption = EdgeMode.ALL,
) -> None:
    """The shortest chain of allowed handoffs (delegate/escalate) from FROM to TO.

    Exits 1 when there is none, naming the closest role FROM can reach.
    """
    from modegraph.roles.escalation import EscalationGraph

    graph = EscalationGraph.from_catalog(
        _load(
            modes,
            alias,
            bundled,
            discover,
            edges=edges,
            entry=source if source == "orchestrator" else None,
        )
    )
    start, goal = _node(graph, source, "the start"), _node(graph, target, "the target")
    try:
        chain = graph.path(start, goal)
    except CatalogError as exc:  # an end that is only a dangling reference: no handoff
        fail(str(exc))
    closest = None if chain is not None else graph.closest_reachable(start, goal)
    if json_out:
        print_json(
            {
                "from": start,
                "to": goal,
                "found": chain is not None,
                "hops": None if chain is None else len(chain),
                "path": None if chain is None else [_edge_json(e) for e in chain],
                "closest": closest,
            }
        )
        if chain is None:
            raise typer.Exit(EXIT_INPUT)
        return
    if chain is None:
        message = f"no path from {start} to {goal} along delegate or escalate edges"
        if closest is not None:
            message += f"; the closest role {start} can reach is {closest}"
        else:
            message += f"; {start} reaches no role connected to {goal}"
        fail(message)
    typer.echo(start)
    for edge in chain:
        note = f"  ({edge.note})" if edge.note else ""
        typer.echo(f"  --{edge.kind.value}--> {edge.target}{note}")
    typer.echo(f"{len(chain)} handoff{'' if len(chain) == 1 else 's'}")


@app.command("lint")
def lint(
    json_out: JsonOption = False,
    strict: Annotated[
        bool, typer.Option("--strict", metavar=FLAG, help="Exit 1 on warnings too.")
    ] = False,
    modes: ModesOption = None,
    alias: AliasOption = None,
    bundled: BundledOption = None,
    discover: DiscoverOption = True,
    edges: EdgesOption = EdgeMode.ALL,
) -> None:
    """Check the catalog and its escalation graph: the same findings as `modes validate`.

    Loading findings, dangling and rule-resolved references, implied edges
    (`implied-edge`, `implied-target-missing`), the orchestrator role when `run`
    would enter it (`built-in-orchestrator`), and the hierarchy lint, from the very
    function `modes validate` calls; `--json` has the same shape (`modes`,
    `findings`, `errors`, `warnings`).
    """
    catalog = _load(modes, alias, bundled, discover, warn=False, edges=edges)  # errors are findings
    report_findings(
        [mode.slug for mode in catalog], all_findings(catalog), json_out=json_out, strict=strict
    )


def _edge_json(edge: Edge) -> dict[str, object]:
    return edge.model_dump(mode="json")
