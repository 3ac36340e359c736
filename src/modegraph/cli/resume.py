"""`modegraph resume`: continue a run that crashed or stopped for approval.

`--approve` / `--reject "REASON"` answer every waiting request; `--approve ID` and
`--reject ID "REASON"` (repeatable) answer single ones (ids: `--json`'s approvals;
`ResumeCommand` reads the one-or-two-value options). The run's own settings, stored
in its checkpoint, rebuild the catalog, the agent and the workspace. Exit codes are
`run`'s. With `--engine temporal` the answers go to the task as a signal
(`modegraph.cli._temporal`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from modegraph.cli._common import (
    EXIT_INPUT,
    EXIT_USAGE,
    JsonOption,
    default_journal_root,
    fail,
    load_catalog_for_cli,
)
from modegraph.cli._running import (
    CheckpointOption,
    JournalOption,
    again_options,
    fail_run,
    finish,
    interrupted,
    make_runner,
)
from modegraph.cli._temporal import (
    AddressOption,
    EngineChoice,
    EngineOption,
    TaskQueueOption,
    resume_on_temporal,
)
from modegraph.errors import ConfigError, ModegraphError

if TYPE_CHECKING:
    from modegraph.coordinator.approvals import Decision

__all__ = ["resume"]


def resume(
    task_id: Annotated[str, typer.Argument(metavar="TASK-ID", help="The task id the run printed.")],
    approve: Annotated[
        bool,
        typer.Option(
            "--approve",
            metavar="[ID]",
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
    engine: EngineOption = EngineChoice.LOCAL,
    temporal: AddressOption = None,
    task_queue: TaskQueueOption = None,
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
    if engine is EngineChoice.TEMPORAL:
        resume_on_temporal(
            task_id, decision=decision, address=temporal, task_queue=task_queue, json_out=json_out
        )
    root = journal or default_journal_root()
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
        runner, view = make_runner(catalog, settings, root, checkpoint, json_out, config)
        try:
            result = view.drive(lambda: runner.resume(task_id, decision=decision))
        except KeyboardInterrupt:
            interrupted(runner, task_id, json_out, again_options(journal, checkpoint))
    except ModegraphError as exc:
        fail_run(exc, json_out)
    if isinstance(decision, dict) and not json_out:
        _confirm(decision)
    finish(result, json_out, view, again_options(journal, checkpoint))


def _confirm(decisions: dict[str, Decision]) -> None:
    """One line per request answered by id, so a partial answer is seen to be taken."""
    for request, decision in decisions.items():
        if decision.approved:
            typer.echo(f"Approved {request}")
        else:
            typer.echo(f"Rejected {request}: {decision.reason}")
