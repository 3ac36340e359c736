"""`modegraph run` and `modegraph resume`.

Exit codes: 0 the task completed, 2 it waits for approval, 1 otherwise (blocked,
failed, or bad input). The coordinator (LangGraph) is imported inside the
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
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn

import typer
from rich.console import Console
from rich.text import Text

from modegraph.cli._common import (
    EXIT_INPUT,
    EXIT_USAGE,
    AliasOption,
    JsonOption,
    ModesOption,
    fail,
    parse_aliases,
    print_json,
)
from modegraph.cli._temporal import (
    AddressOption,
    EngineChoice,
    EngineOption,
    TaskQueueOption,
    resume_on_temporal,
    run_on_temporal,
)
from modegraph.errors import ConfigError, ModegraphError, SetupError

if TYPE_CHECKING:
    from modegraph.agents.protocol import Agent
    from modegraph.coordinator.result import RunResult
    from modegraph.coordinator.runner import RunSettings
    from modegraph.modes.catalog.catalog import Catalog
    from modegraph.modes.config import ProjectConfig

__all__ = ["register"]

GuardName = Literal["max_depth", "max_subtasks"]
"""A guard limit that `modegraph.yaml` may set."""

JournalOption = Annotated[
    Path | None,
    typer.Option("--journal", help="The journal directory (default: ./project_journal)."),
]
CheckpointOption = Annotated[
    str | None,
    typer.Option(
        "--checkpoint",
        help="Checkpoint store: sqlite:///PATH or postgres://... "
        "(default: SQLite under the journal).",
    ),
]


def register(app: typer.Typer) -> None:
    """Add `run` and `resume` to the root app."""
    app.command("run")(run)
    app.command("resume")(resume)


def run(
    goal: Annotated[str, typer.Argument(help="What the task should achieve.")],
    mode: Annotated[
        str | None,
        typer.Option("--mode", help="The entry role (default: the catalog's coordinator)."),
    ] = None,
    modes: ModesOption = None,
    alias: AliasOption = None,
    bundled: Annotated[
        bool, typer.Option("--bundled/--no-bundled", help="Include the bundled mode library.")
    ] = True,
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
        typer.Option("--max-llm-calls", min=1, help="LLM call budget of the run (no limit)."),
    ] = None,
    max_tokens: Annotated[
        int | None,
        typer.Option("--max-tokens", min=1, help="Token budget of the run (no limit)."),
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
    json_out: JsonOption = False,
    engine: EngineOption = EngineChoice.LOCAL,
    temporal: AddressOption = None,
    task_queue: TaskQueueOption = None,
) -> None:
    """Run a task through the roles along the escalation graph."""
    from modegraph.coordinator.policy import ApprovalRule, Policy
    from modegraph.coordinator.runner import RunSettings, default_entry
    from modegraph.modes.config import load_config

    root = workspace or Path.cwd().resolve()
    try:
        config = load_config(root)
        rule = ApprovalRule.parse(approve or config.approve)
        policy = Policy(
            max_depth=max_depth or config.guards.max_depth or Policy().max_depth,
            max_subtasks=max_subtasks or config.guards.max_subtasks or Policy().max_subtasks,
            max_llm_calls=max_llm_calls,
            max_tokens=max_tokens,
            approve=rule,
            from_config=_from_config(
                depth=max_depth is None and bool(config.guards.max_depth),
                subtasks=max_subtasks is None and bool(config.guards.max_subtasks),
            ),
        )
    except ConfigError as exc:
        fail(str(exc), EXIT_USAGE)
    aliases = parse_aliases(alias)
    catalog = _catalog(modes or [], bundled, aliases)
    try:
        entry = mode or default_entry(catalog)
        _warn_missing_targets(catalog, entry)
        settings = RunSettings(
            entry=entry,
            policy=policy,
            modes=tuple(str(p) for p in modes or []),
            bundled=bundled,
            aliases=aliases,
            model=model,
            workspace=str(root),
            yes=yes,
        )
        if engine is EngineChoice.TEMPORAL:
            if checkpoint is not None:
                fail(
                    "--checkpoint is for local runs: on Temporal the task's history is "
                    "its checkpoint; drop --checkpoint or --engine temporal",
                    EXIT_USAGE,
                )
            run_on_temporal(
                goal,
                catalog=catalog,
                settings=settings,
                address=temporal,
                task_queue=task_queue,
                journal=journal,
                json_out=json_out,
            )
        runner = _runner(catalog, settings, journal, checkpoint, json_out, config)
        result = runner.start(goal, entry=entry, settings=settings)
    except ModegraphError as exc:
        _fail_run(exc, json_out)
    _finish(result, json_out)


def resume(
    task_id: Annotated[str, typer.Argument(help="The task id the run printed.")],
    approve: Annotated[
        bool,
        typer.Option("--approve", help="Approve every handoff and command waiting for approval."),
    ] = False,
    reject: Annotated[
        str | None,
        typer.Option(
            "--reject", help="Reject every waiting handoff and command, with this reason."
        ),
    ] = None,
    journal: JournalOption = None,
    checkpoint: CheckpointOption = None,
    json_out: JsonOption = False,
    engine: EngineOption = EngineChoice.LOCAL,
    temporal: AddressOption = None,
    task_queue: TaskQueueOption = None,
) -> None:
    """Continue a run that crashed or stopped for approval."""
    from modegraph.coordinator.approvals import Decision
    from modegraph.coordinator.runner import stored_settings
    from modegraph.modes.config import load_config

    if approve and reject is not None:
        fail("give --approve or --reject REASON, not both", EXIT_USAGE)
    decision = None
    if approve:
        decision = Decision(approved=True)
    elif reject is not None:
        decision = Decision(approved=False, reason=reject)
    if engine is EngineChoice.TEMPORAL:
        resume_on_temporal(
            task_id, decision=decision, address=temporal, task_queue=task_queue, json_out=json_out
        )
    root = journal or _default_root()
    try:
        settings = stored_settings(task_id, journal_root=root, checkpoint=checkpoint)
    except ModegraphError as exc:
        fail(str(exc), EXIT_INPUT)
    catalog = _catalog([Path(p) for p in settings.modes], settings.bundled, settings.aliases)
    try:
        config = load_config(Path(settings.workspace or Path.cwd()))
        runner = _runner(catalog, settings, root, checkpoint, json_out, config)
        result = runner.resume(task_id, decision=decision)
    except ModegraphError as exc:
        _fail_run(exc, json_out)
    _finish(result, json_out)


def _from_config(*, depth: bool, subtasks: bool) -> frozenset[GuardName]:
    """The guard limits `modegraph.yaml` set (no flag given for them)."""
    names: list[GuardName] = []
    if depth:
        names.append("max_depth")
    if subtasks:
        names.append("max_subtasks")
    return frozenset(names)


def _warn_missing_targets(catalog: Catalog, entry: str) -> None:
    """Say on standard error, before the run, which escalation targets are missing."""
    from modegraph.coordinator.build import check_entry
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
    from modegraph.journal.store import DEFAULT_JOURNAL_ROOT

    return DEFAULT_JOURNAL_ROOT


def _catalog(modes: list[Path], bundled: bool, aliases: dict[str, str]) -> Catalog:
    from modegraph.modes.catalog.layers import load_catalog

    try:
        return load_catalog(paths=modes, aliases=aliases, include_bundled=bundled)
    except ConfigError as exc:
        fail(str(exc), EXIT_USAGE)
    except SetupError as exc:
        fail(str(exc), EXIT_INPUT)


def _agent(catalog: Catalog, settings: RunSettings, config: ProjectConfig) -> Agent | None:
    """The chat agent for `--model` with sandboxed tools, checked up front.

    Returns:
        None for the rule agent (no `--model`; it uses no tools).

    Raises:
        ConfigError: the workspace is gone, or its `modegraph.yaml` is not valid.
        ProviderError: a role has no usable model.
    """
    if settings.model is None:
        return None
    from modegraph.agents import SandboxedAgent, ToolsFor
    from modegraph.agents.chat.agent import ChatAgent
    from modegraph.agents.chat.providers import ModelChooser
    from modegraph.coordinator.command_gate import ApprovalGate
    from modegraph.roles.escalation import EscalationGraph
    from modegraph.tools import AllowAll, Approver, Workspace

    chooser = ModelChooser(cli_model=settings.model, environ=os.environ)
    reachable = EscalationGraph.from_catalog(catalog).reachable(settings.entry)
    chooser.check(catalog[s] for s in reachable if s in catalog)
    root = Path(settings.workspace or Path.cwd())
    if not root.is_dir():
        raise ConfigError(
            f"the workspace {root} is not a directory; pass an existing --workspace DIR "
            "(resume uses the workspace the run started with)"
        )
    approver: Approver = AllowAll() if settings.yes else ApprovalGate()

    def make_agent(tools_for: ToolsFor) -> Agent:
        return ChatAgent(model_for=chooser, tools_for=tools_for)

    return SandboxedAgent(
        make_agent=make_agent,
        workspace=Workspace(root),
        config=config,
        approver=approver,
    )


def _runner(
    catalog: Catalog,
    settings: RunSettings,
    journal: Path | None,
    checkpoint: str | None,
    json_out: bool,
    config: ProjectConfig,
) -> Any:
    from modegraph.cli._run_view import Progress, ask_in_terminal
    from modegraph.coordinator.runner import Runner

    console = Console(stderr=True, highlight=False)
    interactive = _interactive(json_out)
    return Runner(
        catalog=catalog,
        agent=_agent(catalog, settings, config),
        policy=settings.policy,
        journal_root=journal or _default_root(),
        checkpoint=checkpoint,
        on_event=Progress(console),
        ask=ask_in_terminal if interactive else None,
    )


def _interactive(json_out: bool) -> bool:
    """Whether a person is at a terminal to answer approvals (never with `--json`)."""
    return not json_out and sys.stdin.isatty() and sys.stderr.isatty()


def _fail_run(exc: ModegraphError, json_out: bool) -> NoReturn:
    if json_out and not isinstance(exc, SetupError):
        print_json({"task_id": None, "status": "failed", "error": str(exc)})
        raise typer.Exit(1)
    fail(str(exc), EXIT_USAGE if isinstance(exc, ConfigError) else EXIT_INPUT)


def _finish(result: RunResult, json_out: bool) -> None:
    from modegraph.cli._run_view import show_result

    if json_out:
        print_json(result.to_json())
    else:
        show_result(result, Console(highlight=False))
    raise typer.Exit(result.status.exit_code)
