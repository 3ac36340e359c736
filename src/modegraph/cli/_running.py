"""What `run` and `resume` share: the runner they build, how they end, their options.

`make_runner` builds the `Runner` (the chat agent with sandboxed tools for `--model`,
the live view, the approver at a terminal); `finish` prints the result (or `--json`)
and exits with the run's exit code; `fail_run` maps an error to its exit code.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.text import Text

from modegraph._terminal import shown
from modegraph.cli._common import (
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    default_journal_root,
    fail,
    print_json,
)
from modegraph.errors import ConfigError, ModegraphError, SetupError

if TYPE_CHECKING:
    from modegraph.agents.protocol import Agent
    from modegraph.cli._models import ModelView
    from modegraph.coordinator.policy import ApprovalRule
    from modegraph.coordinator.result import RunResult
    from modegraph.coordinator.runner import RunSettings
    from modegraph.modes.catalog.catalog import Catalog
    from modegraph.modes.config import ProjectConfig
    from modegraph.roles.escalation import Edge
    from modegraph.tools.protection import Protected

__all__ = [
    "CheckpointOption",
    "JournalOption",
    "again_options",
    "check_entry",
    "fail_run",
    "finish",
    "interactive",
    "interrupted",
    "live_output",
    "make_runner",
    "warn_about_handoffs",
]

JournalOption = Annotated[
    Path | None,
    typer.Option(
        "--journal",
        help="The journal directory (default: project_journal at the project root).",
    ),
]
CheckpointOption = Annotated[
    str | None,
    typer.Option(
        "--checkpoint",
        help="Checkpoint store: sqlite:///PATH or postgres://... "
        "(default: SQLite under the journal).",
    ),
]


def check_entry(catalog: Catalog, entry: str) -> None:
    """`modegraph.coordinator.build.check_entry`, imported when a run starts."""
    from modegraph.coordinator.build import check_entry as check

    check(catalog, entry)


def warn_about_handoffs(
    catalog: Catalog, entry: str, rule: ApprovalRule, *, no_bundled: bool = False
) -> None:
    """Say on standard error, before the run, what of its handoffs will not go as asked.

    Escalation targets the reachable roles name that are missing from the catalog; and
    an `--approve` rule that can hold none of their handoffs (`escalations` in a
    catalog whose reachable roles only delegate, as a folder of agents under the
    orchestrator does, or `tier:<tier>` where no reachable role has a level of that
    tier), which would let every handoff go ahead without a word. `no_bundled`: the
    run was given `--no-bundled` (the warning then says the library may have them).
    """
    from modegraph.roles.escalation import EscalationGraph

    check_entry(catalog, entry)
    graph = EscalationGraph.from_catalog(catalog)
    edges = [e for s in graph.reachable(entry) if s in catalog for e in graph.targets(s)]
    _warn_missing(sorted({e.target for e in edges if e.missing}), no_bundled)
    present = [e for e in edges if not e.missing and e.target in catalog]
    _warn_nothing_held(rule, present, catalog)


def _warn_nothing_held(rule: ApprovalRule, edges: list[Edge], catalog: Catalog) -> None:
    from modegraph.coordinator.policy import ApprovalMode

    if rule.mode in (ApprovalMode.NONE, ApprovalMode.HANDOFFS) or not edges:
        return
    if any(rule.needs_approval(target=catalog[edge.target], kind=edge.kind) for edge in edges):
        return
    count = f"{len(edges)} handoff{'' if len(edges) == 1 else 's'}"
    what = (
        "is along an escalate edge"
        if rule.mode is ApprovalMode.ESCALATIONS
        else f"goes to a role of tier {rule.tier.value if rule.tier else ''} or above "
        "(a role's tier comes from its level)"
    )
    Console(stderr=True, highlight=False).print(
        Text(
            f"warning: --approve {rule} holds nothing in this run: none of the {count} the "
            f"roles it can reach may make {what}. Use --approve handoffs to approve every "
            "handoff.",
            style="yellow",
        ),
        soft_wrap=True,
    )


def _warn_missing(missing: list[str], no_bundled: bool) -> None:
    if not missing:
        return
    count = f"{len(missing)} handoff target{'' if len(missing) == 1 else 's'}"
    Console(stderr=True, highlight=False).print(
        Text(
            f"warning: {count} of the roles this run can reach "
            f"{'is' if len(missing) == 1 else 'are'} missing from the catalog "
            f"({', '.join(missing)}); the roles cannot hand off to "
            f"{'it' if len(missing) == 1 else 'them'}. Add their mode files with --modes"
            f"{' (or drop --no-bundled)' if no_bundled else ''}, or remove the names.",
            style="yellow",
        ),
        soft_wrap=True,
    )


def make_runner(
    catalog: Catalog,
    settings: RunSettings,
    journal: Path | None,
    checkpoint: str | None,
    json_out: bool,
    config: ProjectConfig,
) -> tuple[Any, ModelView]:
    """The runner, and what the command shows about its models (`--model`)."""
    from modegraph.cli._models import ModelView, chat_agent
    from modegraph.cli._run_view import Progress, ask_in_terminal
    from modegraph.coordinator.persistence import check_checkpoint
    from modegraph.coordinator.runner import Runner

    console = Console(stderr=True, highlight=False)
    at_terminal = interactive(json_out)
    journal_root = journal or default_journal_root()
    check_checkpoint(checkpoint, root=journal_root)  # before the agent's protected paths
    agent: Agent | None = None
    view = ModelView()
    if settings.model is not None:
        agent, view = chat_agent(
            catalog,
            settings,
            config,
            live=live_output(json_out),
            console=console,
            protected=_protected(catalog, settings, journal_root, checkpoint),
            lines=not json_out,
        )
        if not json_out:
            view.show_choices(console)
    runner = Runner(
        catalog=catalog,
        agent=agent,
        policy=settings.policy,
        journal_root=journal_root,
        checkpoint=checkpoint,
        on_event=Progress(console),
        ask=ask_in_terminal if at_terminal else None,
        edges=settings.edges,
    )
    return runner, view


def _protected(
    catalog: Catalog, settings: RunSettings, journal_root: Path, checkpoint: str | None
) -> Protected:
    """What no role may write: this run's journal and checkpoint and every mode source."""
    from modegraph.coordinator.persistence import sqlite_path
    from modegraph.modes.config import CONFIG_FILE_NAME
    from modegraph.tools.protection import Protected

    root = Path(settings.workspace or Path.cwd())
    return Protected.for_run(
        journal=journal_root,
        checkpoint=sqlite_path(checkpoint, root=journal_root),
        catalog=catalog,
        project_dir=Path.cwd(),
        mode_paths=settings.modes,
        config_files=[root / CONFIG_FILE_NAME],
    )


def live_output(json_out: bool) -> bool:
    """Whether model turns show live progress (and stream): a terminal, no `--json`."""
    return not json_out and sys.stderr.isatty()


def interactive(json_out: bool) -> bool:
    """Whether a person is at a terminal to answer approvals (never with `--json`)."""
    return not json_out and sys.stdin.isatty() and sys.stderr.isatty()


def fail_run(exc: ModegraphError, json_out: bool) -> NoReturn:
    if json_out and not isinstance(exc, SetupError):
        print_json({"task_id": None, "status": "failed", "error": str(exc)})
        raise typer.Exit(1)
    fail(str(exc), EXIT_USAGE if isinstance(exc, ConfigError) else EXIT_INPUT)


def again_options(journal: Path | None, checkpoint: str | None) -> str:
    """The options `modegraph resume` needs to find a run started with these (or "").

    The default journal is found from any folder of the project; a `--journal DIR` or a
    `--checkpoint` the run was given must be given to `resume` again.
    """
    import shlex

    parts = []
    if journal is not None:
        parts += ["--journal", shlex.quote(str(journal))]
    if checkpoint is not None:
        parts += ["--checkpoint", shlex.quote(checkpoint)]
    return "".join(f" {part}" for part in parts)


def finish(result: RunResult, json_out: bool, view: ModelView, again: str = "") -> None:
    from modegraph.cli._run_view import show_result

    if json_out:
        print_json({**result.to_json(), "models": view.to_json()})
    else:
        console = Console(highlight=False)
        show_result(result, console, again=again)
        view.show_cost_note(result, console)
    raise typer.Exit(result.status.exit_code)


def interrupted(runner: Any, task_id: str | None, json_out: bool, again: str = "") -> NoReturn:
    """Ctrl-C during a local run: say where the run stopped and how to go on; exit 130.

    The run's last checkpoint holds every step that finished, so `resume` continues
    from there and writes no journal entry twice.
    """
    if task_id is None:
        task_id = runner.last_task_id  # reserved by start() before the first step
    console = Console(stderr=True, highlight=False)
    if task_id:
        message = (
            f"interrupted: {task_id} stopped at its last checkpoint; continue it with "
            f"`modegraph resume {task_id}{again}`"
        )
    else:
        message = "interrupted before the run started; nothing was written"
    console.print(Text(shown(message), style="yellow"), soft_wrap=True)
    if json_out:
        print_json({"task_id": task_id, "status": "interrupted", "reason": message})
    raise typer.Exit(EXIT_INTERRUPTED)
