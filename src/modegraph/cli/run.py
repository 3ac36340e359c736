"""`modegraph run` and `modegraph resume`.

Exit codes: 0 the task completed, 1 it is blocked or failed (or the input is bad),
2 it waits for approval (or an option is bad), 3 it is incomplete: part of the goal
was not done (no reachable role covers it, or a handoff was refused or failed);
the text output and `--json`'s `uncovered` name the parts and the closest roles.
Without `--mode` the entry rule (`modegraph.roles.coordination`) picks the role:
the catalog's coordinator, or the orchestrator role when the catalog (or most of
it) declares no edges. The coordinator (LangGraph) is imported inside the
commands only, so other commands start fast.

One `modegraph.yaml` serves a run: the workspace's (`--workspace`, default the
current directory), read once; its `approve` and `guards` set the policy (flags
win) and its `commands`, `files`, `browser` and `mcp` sections the tools. `resume`
reads the same workspace's file for the tools; the policy is the one stored with
the run. With `--model`, each role gets the sandboxed tools of its tool groups in
the workspace. Commands matching `commands.allow` run; with `--yes` every command
runs; any other command waits for a person (asked y/n in a terminal, otherwise the
run ends `waiting_approval` and `modegraph resume TASK-ID --approve` or
`--reject "REASON"` continues). `resume` rebuilds the same agent, workspace and
approver from the settings stored with the run.

With `--model`, `modegraph.yaml`'s `models:` maps the modes' own model names to real
models and `prices:` gives what they cost; `--base-url` points the `--model`
provider at another server (a local OpenAI-compatible one), and the run's LLM call
budget defaults to one scaled to the task (`default_max_llm_calls`). Which model each
role uses is said before the run (and under `models` in `--json`). In a terminal,
model turns show live progress (`_live`): answers stream, tool calls are printed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.text import Text

from modegraph.cli._common import (
    EXIT_INPUT,
    EXIT_USAGE,
    AliasOption,
    BundledOption,
    DiscoverOption,
    JsonOption,
    ModesOption,
    default_journal_root,
    fail,
    load_catalog_for_cli,
    parse_aliases,
    print_json,
)
from modegraph.cli._coordination import EdgesOption, coordinated, note_entry
from modegraph.cli._run_options import out_of_range
from modegraph.errors import ConfigError, ModegraphError, SetupError
from modegraph.modes.catalog.implied import EdgeMode

if TYPE_CHECKING:
    from modegraph.agents.protocol import Agent
    from modegraph.cli._models import ModelView
    from modegraph.coordinator.result import RunResult
    from modegraph.coordinator.runner import RunSettings
    from modegraph.modes.catalog.catalog import Catalog
    from modegraph.modes.config import ProjectConfig
    from modegraph.tools.protection import Protected

__all__ = ["register"]

GuardName = Literal["max_depth", "max_subtasks"]
"""A guard limit that `modegraph.yaml` may set."""

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


def _positive(text: str) -> float:
    """A number above 0 (`--max-cost`, `--timeout`)."""
    try:
        value = float(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a number") from None
    if not value > 0:
        raise typer.BadParameter(f"{text} is not above 0")
    return value


def register(app: typer.Typer) -> None:
    """Add `run` and `resume` to the root app."""
    app.command("run")(run)
    from modegraph.cli._decisions import ResumeCommand

    app.command("resume", cls=ResumeCommand)(resume)


def run(
    goal: Annotated[str, typer.Argument(help="What the task should achieve.")],
    mode: Annotated[
        str | None,
        typer.Option("--mode", help="The entry role (default: the catalog's coordinator)."),
    ] = None,
    modes: ModesOption = None,
    alias: AliasOption = None,
    bundled: BundledOption = None,
    discover: DiscoverOption = True,
    model: Annotated[
        str | None,
        typer.Option("--model", help="Use a chat model, provider:model (default: rule agent)."),
    ] = None,
    approve: Annotated[
        str | None,
        typer.Option(
            "--approve",
            help="Which handoffs need approval: none, escalations or tier:<tier> "
            "(default: modegraph.yaml's approve, else none).",
        ),
    ] = None,
    max_depth: Annotated[
        int | None, typer.Option("--max-depth", min=1, help="Deepest subtask nesting (4).")
    ] = None,
    max_subtasks: Annotated[
        int | None, typer.Option("--max-subtasks", min=1, help="Most subtasks in a run (32).")
    ] = None,
    max_llm_calls: Annotated[
        int | None,
        typer.Option(
            "--max-llm-calls",
            min=1,
            help="LLM call budget of the run (with --model, default 8 x (1 + the roles the "
            "entry role may hand work to); no limit for the rule agent).",
        ),
    ] = None,
    max_tokens: Annotated[
        int | None,
        typer.Option("--max-tokens", min=1, help="Token budget of the run (no limit)."),
    ] = None,
    max_cost: Annotated[
        float | None,
        typer.Option(
            "--max-cost",
            parser=_positive,
            metavar="DOLLARS",
            help="Stop the run once it has cost this many dollars (needs --model and a "
            "price for each model in modegraph.yaml's prices:).",
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="Where the --model provider's API is: a local OpenAI-compatible server "
            "(Ollama http://127.0.0.1:11434/v1, vLLM, LM Studio) or a proxy (default: the "
            "provider's, or OPENAI_BASE_URL / ANTHROPIC_BASE_URL).",
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            parser=_positive,
            metavar="SECONDS",
            help="Seconds one model request may take before it is retried (default: the "
            "provider SDK's).",
        ),
    ] = None,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            exists=True,
            file_okay=False,
            resolve_path=True,
            help="The sandbox the roles' tools work in (default: the current directory).",
        ),
    ] = None,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            "-y",
            help="Run every command without asking (a sandbox you trust); otherwise "
            "commands not in modegraph.yaml's commands.allow need approval.",
        ),
    ] = False,
    journal: JournalOption = None,
    checkpoint: CheckpointOption = None,
    edges: EdgesOption = EdgeMode.ALL,
    json_out: JsonOption = False,
) -> None:
    """Run a task through the roles along the escalation graph.

    Without --mode the entry rule picks the role: the catalog's coordinator, or the
    orchestrator role when the catalog (or most of it) declares no edges.

    Exit codes: 0 completed; 1 blocked, failed or bad input; 2 waiting for approval;
    3 incomplete: part of the goal was not done (see the uncovered parts).
    """
    from modegraph.cli._models import check_model_options, default_budget
    from modegraph.coordinator.goal import check_goal
    from modegraph.coordinator.policy import ApprovalRule, Policy
    from modegraph.coordinator.runner import RunSettings
    from modegraph.modes.config import load_config

    if mode is not None and not mode.strip():
        fail("--mode is empty; name the entry role's slug (`modegraph modes list`)", EXIT_USAGE)
    root = workspace or Path.cwd().resolve()
    try:
        check_model_options(model, base_url=base_url, max_cost=max_cost, timeout=timeout)
        config = load_config(root)
        rule = ApprovalRule.parse(approve or config.approve)
        policy = Policy(
            max_depth=max_depth or config.guards.max_depth or Policy().max_depth,
            max_subtasks=max_subtasks or config.guards.max_subtasks or Policy().max_subtasks,
            max_llm_calls=max_llm_calls,
            max_tokens=max_tokens,
            max_cost=max_cost,
            approve=rule,
            from_config=_from_config(
                depth=max_depth is None and bool(config.guards.max_depth),
                subtasks=max_subtasks is None and bool(config.guards.max_subtasks),
            ),
        )
    except ConfigError as exc:
        fail(str(exc), EXIT_USAGE)
    except ValidationError as exc:
        fail(
            out_of_range(exc, flags={"max_depth": max_depth, "max_subtasks": max_subtasks}),
            EXIT_USAGE,
        )
    aliases = parse_aliases(alias)
    catalog = load_catalog_for_cli(modes, alias, bundled=bundled, discover=discover)
    try:
        check_goal(goal)
        check_entry(catalog, next(iter(catalog.slugs), ""))
        coordination = coordinated(catalog, entry=mode, edges=edges)
        assert coordination.entry is not None  # the catalog is not empty
        entry = coordination.entry.slug
        _warn_missing_targets(coordination.catalog, entry)
        note_entry(coordination, Console(stderr=True, highlight=False))
        if model is not None and max_llm_calls is None:
            policy = default_budget(policy, coordination.catalog, entry)
        settings = RunSettings(
            entry=entry,
            policy=policy,
            modes=tuple(os.path.abspath(p) for p in modes or []),
            bundled=bool(catalog.bundled),
            aliases=aliases,
            model=model,
            workspace=str(root),
            yes=yes,
            edges=edges,
            entry_choice=coordination.entry,
            base_url=base_url,
            timeout=timeout,
        )
        runner, view = _runner(catalog, settings, journal, checkpoint, json_out, config)
        result = view.drive(lambda: runner.start(goal, entry=entry, settings=settings))
    except ModegraphError as exc:
        _fail_run(exc, json_out)
    _finish(result, json_out, view)


def resume(
    task_id: Annotated[str, typer.Argument(help="The task id the run printed.")],
    approve: Annotated[
        bool,
        typer.Option(
            "--approve",
            help="Approve every handoff and command waiting for approval; --approve ID "
            "(repeatable) approves only that request (ids: --json's approvals).",
        ),
    ] = False,
    reject: Annotated[
        str | None,
        typer.Option(
            "--reject",
            metavar="[ID] REASON",
            help="Reject every waiting handoff and command with this reason; --reject ID "
            "REASON (repeatable) rejects only that request.",
        ),
    ] = None,
    approve_ids: Annotated[list[str] | None, typer.Option("--approve-id", hidden=True)] = None,
    reject_ids: Annotated[list[str] | None, typer.Option("--reject-id", hidden=True)] = None,
    reject_whys: Annotated[list[str] | None, typer.Option("--reject-why", hidden=True)] = None,
    journal: JournalOption = None,
    checkpoint: CheckpointOption = None,
    json_out: JsonOption = False,
) -> None:
    """Continue a run that crashed or stopped for approval."""
    from modegraph.cli._decisions import decisions_from
    from modegraph.coordinator.runner import stored_settings
    from modegraph.modes.config import load_config

    try:
        decision = decisions_from(
            approve_all=approve,
            reject_all=reject,
            approve_ids=approve_ids or [],
            reject_ids=reject_ids or [],
            reject_whys=reject_whys or [],
        )
    except ConfigError as exc:
        fail(str(exc), EXIT_USAGE)
    root = journal or _default_root()
    try:
        settings = stored_settings(task_id, journal_root=root, checkpoint=checkpoint)
    except ModegraphError as exc:
        fail(str(exc), EXIT_USAGE if isinstance(exc, ConfigError) else EXIT_INPUT)
    catalog = load_catalog_for_cli(
        [Path(p) for p in settings.modes],
        [f"{old}={new}" for old, new in settings.aliases.items()],
        bundled=settings.bundled,
    )
    try:
        config = load_config(Path(settings.workspace or Path.cwd()))
        runner, view = _runner(catalog, settings, root, checkpoint, json_out, config)
        result = view.drive(lambda: runner.resume(task_id, decision=decision))
    except ModegraphError as exc:
        _fail_run(exc, json_out)
    _finish(result, json_out, view)


def _from_config(*, depth: bool, subtasks: bool) -> frozenset[GuardName]:
    """The guard limits `modegraph.yaml` set (no flag given for them)."""
    names: list[GuardName] = []
    if depth:
        names.append("max_depth")
    if subtasks:
        names.append("max_subtasks")
    return frozenset(names)


def check_entry(catalog: Catalog, entry: str) -> None:
    """`modegraph.coordinator.build.check_entry`, imported when a run starts."""
    from modegraph.coordinator.build import check_entry as check

    check(catalog, entry)


def _warn_missing_targets(catalog: Catalog, entry: str) -> None:
    """Say on standard error, before the run, which escalation targets are missing."""
    from modegraph.roles.escalation import EscalationGraph

    check_entry(catalog, entry)
    graph = EscalationGraph.from_catalog(catalog)
    missing = sorted(
        {
            e.target
            for s in graph.reachable(entry)
            if s in catalog
            for e in graph.targets(s)
            if e.missing
        }
    )
    if not missing:
        return
    count = f"{len(missing)} escalation target{'' if len(missing) == 1 else 's'}"
    Console(stderr=True, highlight=False).print(
        Text(
            f"warning: {count} of the roles this run can reach "
            f"{'is' if len(missing) == 1 else 'are'} missing from the catalog "
            f"({', '.join(missing)}); the roles cannot hand off to "
            f"{'it' if len(missing) == 1 else 'them'}. Add their mode files with --modes "
            "(or drop --no-bundled).",
            style="yellow",
        ),
        soft_wrap=True,
    )


def _default_root() -> Path:
    return default_journal_root()


def _runner(
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
    from modegraph.coordinator.runner import Runner

    console = Console(stderr=True, highlight=False)
    interactive = _interactive(json_out)
    journal_root = journal or _default_root()
    agent: Agent | None = None
    view = ModelView()
    if settings.model is not None:
        agent, view = chat_agent(
            catalog,
            settings,
            config,
            live=_live_output(json_out),
            console=console,
            protected=_protected(catalog, settings, journal_root, checkpoint),
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
        ask=ask_in_terminal if interactive else None,
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


def _live_output(json_out: bool) -> bool:
    """Whether model turns show live progress (and stream): a terminal, no `--json`."""
    return not json_out and sys.stderr.isatty()


def _interactive(json_out: bool) -> bool:
    """Whether a person is at a terminal to answer approvals (never with `--json`)."""
    return not json_out and sys.stdin.isatty() and sys.stderr.isatty()


def _fail_run(exc: ModegraphError, json_out: bool) -> NoReturn:
    if json_out and not isinstance(exc, SetupError):
        print_json({"task_id": None, "status": "failed", "error": str(exc)})
        raise typer.Exit(1)
    fail(str(exc), EXIT_USAGE if isinstance(exc, ConfigError) else EXIT_INPUT)


def _finish(result: RunResult, json_out: bool, view: ModelView) -> None:
    from modegraph.cli._run_view import show_result

    if json_out:
        print_json({**result.to_json(), "models": view.to_json()})
    else:
        console = Console(highlight=False)
        show_result(result, console)
        view.show_cost_note(result, console)
    raise typer.Exit(result.status.exit_code)
