"""`modegraph route` (the plan, nothing runs) and `modegraph test` (routing cases for CI).

Run with:
    modegraph route "Add a users API with a Postgres schema" --json
    modegraph route "Write the spec, then the code" --modes .roomodes
    modegraph test routing-cases.yaml --modes .roomodes --json

`route` works out, in memory, the route `modegraph run` would take with the offline
rule agent (same catalog, same edges, same entry rule, same guards from
`modegraph.yaml`), and prints who gets which part, why and with what scores, and
the parts no role covers. Nothing runs; no journal or checkpoint is written.
Exit codes: 0 the plan was printed (whatever it says), 1 the catalog or goal is
wrong, 2 an option or `modegraph.yaml` is wrong.

`test` plans each case of a cases file and checks it. Exit codes: 0 every case
passed, 1 a case failed (or the catalog is wrong), 2 the cases file, an option or
`modegraph.yaml` is wrong (with `path:line:`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from modegraph.cli._common import (
    EXIT_INPUT,
    EXIT_USAGE,
    AliasOption,
    BundledOption,
    DiscoverOption,
    JsonOption,
    ModesOption,
    fail,
    load_catalog_for_cli,
    print_json,
)
from modegraph.cli._coordination import EdgesOption
from modegraph.cli._run_view import describe_part
from modegraph.errors import ConfigError, ModegraphError
from modegraph.modes.catalog.implied import EdgeMode

if TYPE_CHECKING:
    from modegraph.coordinator.cases import CaseResult
    from modegraph.coordinator.plan import RouteHop, RoutePlan
    from modegraph.coordinator.policy import Policy

__all__ = ["register"]

_STYLE = {
    "completed": "green",
    "incomplete": "dark_orange",
    "unassigned": "dark_orange",
    "blocked": "yellow",
    "failed": "red",
}


def register(app: typer.Typer) -> None:
    """Add `route` and `test` to the root app."""
    app.command("route")(route)
    app.command("test")(test)


def route(
    goal: Annotated[
        str, typer.Argument(metavar="GOAL", help="The goal to plan, as you would give it to run.")
    ],
    mode: Annotated[
        str | None,
        typer.Option(
            "--mode",
            metavar="SLUG",
            help="The entry role (default: the entry rule, as run picks it).",
        ),
    ] = None,
    modes: ModesOption = None,
    alias: AliasOption = None,
    bundled: BundledOption = None,
    discover: DiscoverOption = True,
    edges: EdgesOption = EdgeMode.ALL,
    json_out: JsonOption = False,
) -> None:
    """Print the route `run` would take: who gets which part, why, the scores. Nothing runs.

    The offline rule agent plans in memory on the same catalog, edges, entry rule
    and guards as `run`; no journal or checkpoint is written. The plan lists every
    hop with its reason and scores, and the parts no role covers with the closest
    roles. Handoffs that `--approve` would hold are shown as approved.
    """
    from modegraph.coordinator.plan import plan_route

    catalog = load_catalog_for_cli(modes, alias, bundled=bundled, discover=discover)
    policy = _policy()
    try:
        plan = plan_route(catalog, goal, entry=mode, edges=edges, policy=policy)
    except ModegraphError as exc:
        _fail(exc)
    if json_out:
        print_json(plan.to_json())
        return
    show_plan(plan, Console(highlight=False))


def test(
    cases_file: Annotated[
        Path,
        typer.Argument(
            metavar="CASES.yaml",
            help="Routing cases: goals and the roles they must (or must not) reach.",
        ),
    ],
    mode: Annotated[
        str | None,
        typer.Option(
            "--mode",
            metavar="SLUG",
            help="The entry role of every case that names none (over the file's `mode`).",
        ),
    ] = None,
    modes: ModesOption = None,
    alias: AliasOption = None,
    bundled: BundledOption = None,
    discover: DiscoverOption = True,
    edges: Annotated[
        EdgeMode | None,
        typer.Option(
            "--edges",
            metavar="all|declared",
            help="Which edges to follow: all or declared (default: the file's `edges`, else all).",
            case_sensitive=False,
        ),
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """Check that a catalog routes goals as its authors expect; exit 1 when a case fails.

    Each case is a goal and what must hold: `first` (roles the entry hands work to
    directly), `exact` (and no other), `reaches` (roles that get work anywhere),
    `avoids` (roles that must get none), `uncovered` (true: part of the goal must be
    reported not covered; false: none may be). Run it in CI next to
    `modegraph modes validate`. Exit 2 when the file is wrong (with file:line).

    The file is a YAML mapping: an optional `mode` (the entry of every case) and a
    `cases` list, for example `{mode: sparc, cases: [{goal: "Write the specification
    and pseudocode for login", first: [spec-pseudocode]}, {goal: "Compose a wedding
    speech", uncovered: true}]}` (docs/orchestration.md shows one in block style).
    """
    from modegraph.coordinator.cases import load_cases, run_cases

    try:
        cases = load_cases(cases_file)
    except ConfigError as exc:
        fail(str(exc), EXIT_USAGE)
    if mode is not None:
        cases = cases.model_copy(update={"mode": mode, "mode_line": 0})
    catalog = load_catalog_for_cli(modes, alias, bundled=bundled, discover=discover)
    policy = _policy()
    try:
        results = run_cases(catalog, cases, edges=edges, policy=policy)
    except ModegraphError as exc:
        _fail(exc)
    failed = [r for r in results if not r.passed]
    if json_out:
        print_json(
            {
                "file": str(cases_file),
                "passed": len(results) - len(failed),
                "failed": len(failed),
                "cases": [r.to_json() for r in results],
            }
        )
    else:
        _show_results(results, str(cases_file), Console(highlight=False, soft_wrap=True))
    if failed:
        raise typer.Exit(EXIT_INPUT)


def _policy() -> Policy:
    """The guards `run` would use here (`modegraph.yaml`'s `guards`, else the defaults)."""
    from modegraph.coordinator.policy import Policy
    from modegraph.modes.config import load_config

    try:
        config = load_config(Path.cwd())
    except ConfigError as exc:
        fail(str(exc), EXIT_USAGE)
    default = Policy()
    return Policy(
        max_depth=config.guards.max_depth or default.max_depth,
        max_subtasks=config.guards.max_subtasks or default.max_subtasks,
    )


def _fail(exc: ModegraphError) -> NoReturn:
    fail(str(exc), EXIT_USAGE if isinstance(exc, ConfigError) else EXIT_INPUT)


def show_plan(plan: RoutePlan, console: Console) -> None:
    """The plan as a tree: each role, its part, why (scores), its decisions; then what is left."""
    entry = plan.entry
    name = f"{entry.slug} (built in)" if entry.built_in else entry.slug
    console.print(Text.assemble(("Entry: ", "bold"), f"{name} — {entry.reason}"))
    if plan.edges is EdgeMode.DECLARED:
        console.print(Text("Edges: declared only (implied edges left out)", style="dim"))
    console.print(Text("Plan (nothing ran; the rule agent's route):", style="bold"))
    nodes: dict[str, Tree] = {}
    tree: Tree | None = None
    for hop in plan.hops:
        if tree is None:
            tree = nodes[hop.subtask] = Tree(_hop_label(hop))
        else:
            nodes[hop.subtask] = nodes.get(hop.parent or "", tree).add(_hop_label(hop))
    if tree is not None:
        console.print(tree)
    for refusal in plan.refused:
        console.print(Text(f"✗ {refusal.source} → {refusal.target} refused: {refusal.reason}"))
    if plan.uncovered:
        console.print(
            Text("Not covered (run would do nothing for these):", style="bold dark_orange")
        )
        for part in plan.uncovered:
            console.print(Text(f"  - {describe_part(part)}"))
    status = plan.status
    console.print(
        Text.assemble(
            ("run would end: ", "bold"),
            (status.value, _STYLE.get(status.value, "")),
            f" (exit code {status.exit_code})",
        )
    )
    if plan.reason:
        console.print(Text(f"Reason: {plan.reason}"))


def _hop_label(hop: RouteHop) -> Text:
    label = Text()
    label.append(hop.role, style="bold")
    label.append(f" [would end {hop.status}]", style=_STYLE.get(hop.status, "dim"))
    label.append(f" {hop.subtask}: {hop.goal}")
    if hop.parent is not None and hop.reason:
        label.append(f"\nwhy: {hop.reason}", style="dim")
    for note in hop.notes:
        label.append(f"\n· {note}", style="cyan")
    return label


def _show_results(results: list[CaseResult], path: str, console: Console) -> None:
    for result in results:
        case = result.case
        mark = ("PASS", "green") if result.passed else ("FAIL", "bold red")
        console.print(Text.assemble(mark, f"  {case.title}  ({path}:{case.line})"))
        for failure in result.failures:
            console.print(Text(f"      {failure}", style="red"))
        if not result.passed:
            plan = result.plan
            route = ", ".join(f"{h.source} → {h.role}" for h in plan.hops if h.source) or "none"
            console.print(Text(f"      route: {plan.entry.slug}; handoffs: {route}", style="dim"))
    failed = sum(1 for r in results if not r.passed)
    noun = "case" if len(results) == 1 else "cases"
    verdict = f"{len(results)} {noun}: {len(results) - failed} passed, {failed} failed"
    console.print(Text(verdict, style="bold red" if failed else "bold green"))
