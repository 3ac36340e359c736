"""`modegraph run` (and the registration of `modegraph resume`, in `resume.py`).

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
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from pydantic import ValidationError
from rich.console import Console

from modegraph.cli._common import (
    EXIT_USAGE,
    FLAG,
    AliasOption,
    BundledOption,
    DiscoverOption,
    JsonOption,
    ModesOption,
    fail,
    load_catalog_for_cli,
    parse_aliases,
)
from modegraph.cli._coordination import EdgesOption, coordinated, note_entry
from modegraph.cli._run_options import out_of_range
from modegraph.cli._running import (
    CheckpointOption,
    JournalOption,
    again_options,
    check_entry,
    fail_run,
    finish,
    interrupted,
    make_runner,
    warn_about_handoffs,
)
from modegraph.cli._temporal import (
    AddressOption,
    EngineChoice,
    EngineOption,
    TaskQueueOption,
    run_on_temporal,
)
from modegraph.errors import ConfigError, ModegraphError
from modegraph.modes.catalog.implied import EdgeMode

if TYPE_CHECKING:
    pass

__all__ = ["register"]

GuardName = Literal["max_depth", "max_subtasks"]
"""A guard limit that `modegraph.yaml` may set."""


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
    from modegraph.cli._decisions import ResumeCommand
    from modegraph.cli.resume import resume

    app.command("run")(run)
    app.command("resume", cls=ResumeCommand)(resume)


def run(
    goal: Annotated[str, typer.Argument(metavar="GOAL", help="What the task should achieve.")],
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
            help="Which handoffs need approval: none, handoffs (every one), escalations "
            "or tier:<tier> (default: modegraph.yaml's approve, else none).",
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
            metavar=FLAG,
            help="Run every command without asking (a sandbox you trust); otherwise "
            "commands not in modegraph.yaml's commands.allow need approval.",
        ),
    ] = False,
    journal: JournalOption = None,
    checkpoint: CheckpointOption = None,
    edges: EdgesOption = EdgeMode.ALL,
    json_out: JsonOption = False,
    engine: EngineOption = EngineChoice.LOCAL,
    temporal: AddressOption = None,
    task_queue: TaskQueueOption = None,
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
        warn_about_handoffs(
            coordination.catalog, entry, policy.approve, no_bundled=bundled is False
        )
        note_entry(coordination, Console(stderr=True, highlight=False), chosen=json_out)
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
        runner, view = make_runner(catalog, settings, journal, checkpoint, json_out, config)
        try:
            result = view.drive(lambda: runner.start(goal, entry=entry, settings=settings))
        except KeyboardInterrupt:
            interrupted(runner, None, json_out, again_options(journal, checkpoint))
    except ModegraphError as exc:
        fail_run(exc, json_out)
    finish(result, json_out, view, again_options(journal, checkpoint))


def _from_config(*, depth: bool, subtasks: bool) -> frozenset[GuardName]:
    """The guard limits `modegraph.yaml` set (no flag given for them)."""
    names: list[GuardName] = []
    if depth:
        names.append("max_depth")
    if subtasks:
        names.append("max_subtasks")
    return frozenset(names)
