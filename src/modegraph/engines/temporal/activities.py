"""The activities a worker runs: role turns, and journal writes.

`role_turn` rebuilds the `RoleTurn` from the worker's own catalog (the turn names
its modes by slug), refuses it when the worker's catalog is not the task's, asks the
agent, and heartbeats while the agent works, so a worker that dies mid-turn is
noticed within the heartbeat timeout and the turn runs again on another worker.
Modegraph's run errors go back to the workflow as data (the role node decides what
they mean, as in a local run); setup errors and unexpected errors fail the turn for
good (not retried: another worker would fail the same way).

`journal_write` replays recorded journal writes on this worker's journal. Replays
are idempotent, so a batch retried after a crash writes nothing twice. A journal
that cannot be written fails the batch for good, and the task with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import cast

from temporalio import activity
from temporalio.exceptions import ApplicationError

from modegraph.agents.protocol import Agent, AgentReport, AllowedTarget, RoleTurn
from modegraph.coordinator.command_gate import APPROVED, command_scope
from modegraph.coordinator.runner import RunSettings
from modegraph.coordinator.state import SubtaskRecord
from modegraph.engines.temporal.journal_ops import apply_ops
from modegraph.engines.temporal.messages import (
    JournalBatch,
    JournalWritten,
    TurnFailure,
    TurnReply,
    TurnRequest,
)
from modegraph.engines.temporal.names import JOURNAL_WRITE, ROLE_TURN
from modegraph.engines.temporal.workflow import mismatch_message
from modegraph.errors import BudgetExceeded, CatalogMismatch, JournalError, RunError, SetupError
from modegraph.journal.store import Journal
from modegraph.modes.catalog.catalog import Catalog
from modegraph.roles.coordination import EdgeMode, coordinate

__all__ = ["AgentFor", "WorkerActivities", "worker_identity"]

AgentFor = Callable[[RunSettings], Agent]
"""Builds the agent for a run's settings (the rule agent, or `--model`'s chat agent)."""


def worker_identity() -> str:
    """This process as Temporal names a worker: `pid@host`."""
    return f"{os.getpid()}@{socket.gethostname()}"


class WorkerActivities:
    """The activities of one worker process, over its catalog and its journal.

    Args:
        catalog: The worker's catalog.
        digest: Its `catalog_digest`.
        agent_for: Builds the agent for a run's settings; each distinct
            (model, workspace, --yes) gets one agent, reused.
        journal: The journal this worker writes, or None when it serves no journal.
        identity: The worker's name in replies (`pid@host` by default).
    """

    def __init__(
        self,
        *,
        catalog: Catalog,
        digest: str,
        agent_for: AgentFor,
        journal: Journal | None,
        identity: str | None = None,
    ) -> None:
        self.catalog = catalog
        self.digest = digest
        self.agent_for = agent_for
        self.journal = journal
        self.identity = identity or worker_identity()
        self._agents: dict[tuple[str | None, str | None, bool], Agent] = {}
        self._coordinated: dict[tuple[str, EdgeMode], Catalog] = {}

    def _agent(self, settings: RunSettings) -> Agent:
        key = (settings.model, settings.workspace, settings.yes)
        if key not in self._agents:
            self._agents[key] = self.agent_for(settings)
        return self._agents[key]

    def _turn(self, request: TurnRequest, settings: RunSettings) -> RoleTurn:
        seen = self._seen(settings)
        allowed = [
            AllowedTarget(mode=seen[a.slug], kind=a.kind, note=a.note) for a in request.allowed
        ]
        data = {**request.turn, "mode": seen[request.mode], "allowed": allowed}
        return RoleTurn.model_validate(data)

    def _seen(self, settings: RunSettings) -> Catalog:
        """The catalog as the task's workflow sees it: implied edges, the orchestrator role.

        The workflow builds its graph from `coordinate(...)`; a turn of a role only that
        adds (the built-in orchestrator) must find it here too.
        """
        key = (settings.entry, settings.edges)
        seen = self._coordinated.get(key)
        if seen is None:
            seen = coordinate(self.catalog, entry=settings.entry, edges=settings.edges).catalog
            self._coordinated[key] = seen
        return seen

    @activity.defn(name=ROLE_TURN)
    async def role_turn(self, request: TurnRequest) -> TurnReply:
        """Run one role turn with this worker's agent.

        Raises:
            ApplicationError: `CatalogMismatch` (retried on another worker), or a
                setup or unexpected error (not retried).
        """
        if request.catalog_digest != self.digest:
            message = mismatch_message(worker=self.digest, task=request.catalog_digest)
            activity.logger.warning("refused a role turn: %s", message)
            raise ApplicationError(message, type=CatalogMismatch.__name__)
        attempt = activity.info().attempt
        approved = [
            {"command": command, "cwd": cwd, "status": APPROVED}
            for command, cwd in request.approved_commands
        ]
        failure: TurnFailure | None = None
        report: AgentReport | None = None
        beating = asyncio.create_task(_heartbeat())
        try:
            settings = RunSettings.model_validate(request.settings)
            agent = self._agent(settings)
            turn = self._turn(request, settings)
            with command_scope(cast(SubtaskRecord, {"commands": approved})) as scope:
                try:
                    report = await agent.arun(turn)
                except BudgetExceeded as exc:
                    failure = TurnFailure(
                        error=type(exc).__name__,
                        message=str(exc),
                        llm_calls=exc.llm_calls,
                        tokens=exc.tokens,
                    )
                except RunError as exc:
                    failure = TurnFailure(error=type(exc).__name__, message=str(exc))
        except SetupError as exc:
            raise ApplicationError(str(exc), type=type(exc).__name__, non_retryable=True) from exc
        except Exception as exc:
            # a bug or a provider error modegraph does not know: a local run would stop
            # on it too, and another worker would fail the same way
            raise ApplicationError(
                f"{type(exc).__name__}: {exc}", type=type(exc).__name__, non_retryable=True
            ) from exc
        finally:
            beating.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beating
        return TurnReply(
            report=report,
            failure=failure,
            asked=list(scope.asked),
            worker=self.identity,
            attempt=attempt,
        )

    @activity.defn(name=JOURNAL_WRITE)
    async def journal_write(self, batch: JournalBatch) -> JournalWritten:
        """Replay a batch of journal writes on this worker's journal.

        Raises:
            ApplicationError: this worker keeps no journal (retried on a worker that
                does), or the journal cannot be written (`JournalError`, not retried).
        """
        if self.journal is None:
            raise ApplicationError(
                "this worker serves no journal; start one with --serve journal or all",
                type="NoJournal",
            )
        journal = self.journal
        beating = asyncio.create_task(_heartbeat())
        try:
            changed = await asyncio.to_thread(apply_ops, journal, batch.ops)
        except JournalError as exc:
            raise ApplicationError(
                str(exc), type=JournalError.__name__, non_retryable=True
            ) from exc
        finally:
            beating.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beating
        path = Path(os.path.abspath(journal.path(batch.task_id)))
        return JournalWritten(path=str(path), changed=changed, worker=self.identity)


async def _heartbeat() -> None:
    """Heartbeat while the activity works (the SDK sends one per 0.8 x timeout at most)."""
    timeout = activity.info().heartbeat_timeout
    every = timeout.total_seconds() / 4 if timeout else 1.0
    while True:
        activity.heartbeat()
        await asyncio.sleep(every)
