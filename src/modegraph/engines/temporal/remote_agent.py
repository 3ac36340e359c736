"""`RemoteAgent`: the `Agent` the coordinator gets inside a workflow; a turn is an activity.

The coordinator's role node calls `agent.arun(turn)` as in a local run. Here that
schedules the `role_turn` activity on the task queue, where any worker with the
task's catalog runs the real agent (`activities.role_turn`). The turn goes by
reference: its mode and allowed targets by slug.

What the real agent raised comes back as the role node expects it:

- a `RunError` (a spent budget, a failed model call) is raised again here, so the
  role node turns it into a blocked or failed report, as in a local run;
- a `SetupError` (no API key, a bad workspace) is raised again here, so the run
  fails with the same message a local run gives;
- anything else a worker raised fails the task with the worker's message.

Commands the remote turn asked to run, which need a person's approval, are added to
the command scope of the role node's turn (`current_scope`), so the role node
records them as if they had been asked in this process.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

from modegraph import errors
from modegraph.agents.protocol import AgentReport, RoleTurn
from modegraph.coordinator.command_gate import current_scope
from modegraph.engines.temporal.messages import (
    AllowedRef,
    Timeouts,
    TurnFailure,
    TurnRecord,
    TurnReply,
    TurnRequest,
)
from modegraph.engines.temporal.names import ROLE_TURN
from modegraph.errors import BudgetExceeded, EngineError, ModegraphError, RunError

__all__ = ["RemoteAgent", "error_named", "turn_retry_policy"]


def turn_retry_policy() -> RetryPolicy:
    """Retries of a role turn: a lost worker or a refusing one, never an agent error.

    The activity marks modegraph's setup errors and unexpected errors non-retryable;
    what is left is a worker that died (heartbeat timeout) or one with another
    catalog, and those are retried, without end, on whichever worker comes next.
    """
    return RetryPolicy(
        initial_interval=timedelta(milliseconds=500),
        backoff_coefficient=2.0,
        maximum_interval=timedelta(seconds=30),
    )


def error_named(name: str, message: str) -> ModegraphError:
    """The modegraph error of that class name with `message` (`RunError` for others)."""
    found = getattr(errors, name, None)
    if isinstance(found, type) and issubclass(found, ModegraphError):
        return found(message)
    return RunError(message)


class RemoteAgent:
    """Runs each turn as the `role_turn` activity (inside a workflow only).

    Args:
        catalog_digest: The task's catalog.
        settings: The run's `RunSettings` as JSON (the worker builds its agent from it).
        task_queue: Where role turns are scheduled.
        timeouts: Heartbeat and turn timeouts.
        on_turn: Told where each turn ran.
    """

    def __init__(
        self,
        *,
        catalog_digest: str,
        settings: dict[str, object],
        task_queue: str,
        timeouts: Timeouts,
        on_turn: Callable[[TurnRecord], None],
    ) -> None:
        self._digest = catalog_digest
        self._settings = settings
        self._queue = task_queue
        self._timeouts = timeouts
        self._on_turn = on_turn

    def run(self, turn: RoleTurn) -> AgentReport:
        """Not available: a workflow runs its graph asynchronously.

        Raises:
            EngineError: always.
        """
        raise EngineError("a remote agent runs turns asynchronously only (use arun)")

    async def arun(self, turn: RoleTurn) -> AgentReport:
        """Run the turn as an activity on some worker, and give back its report.

        Raises:
            ModegraphError: the turn's run or setup error, raised again here.
            ApplicationError: the worker failed the turn in another way.
        """
        scope = current_scope()
        request = TurnRequest(
            catalog_digest=self._digest,
            settings=dict(self._settings),
            mode=turn.mode.slug,
            allowed=[AllowedRef(slug=a.mode.slug, kind=a.kind, note=a.note) for a in turn.allowed],
            turn=turn.model_dump(mode="json", exclude={"mode", "allowed"}),
            approved_commands=sorted(scope.approved) if scope is not None else [],
        )
        try:
            reply: TurnReply = await workflow.execute_activity(
                ROLE_TURN,
                request,
                result_type=TurnReply,
                task_queue=self._queue,
                start_to_close_timeout=timedelta(seconds=self._timeouts.turn),
                heartbeat_timeout=timedelta(seconds=self._timeouts.heartbeat),
                retry_policy=turn_retry_policy(),
                summary=f"{turn.mode.slug} on {turn.subtask_id}",
            )
        except ActivityError as exc:
            raise _from_worker(exc, turn) from exc
        self._on_turn(
            TurnRecord(
                subtask=turn.subtask_id,
                role=turn.mode.slug,
                worker=reply.worker,
                attempt=reply.attempt,
            )
        )
        if scope is not None:
            for request_ in reply.asked:
                scope.ask(request_)
        if reply.failure is not None:
            raise _run_error(reply.failure)
        if reply.report is None:  # pragma: no cover - the activity sets one or the other
            raise ApplicationError("a role turn came back with neither a report nor an error")
        return reply.report


def _run_error(failure: TurnFailure) -> ModegraphError:
    if failure.error == BudgetExceeded.__name__:
        return BudgetExceeded(failure.message, llm_calls=failure.llm_calls, tokens=failure.tokens)
    return error_named(failure.error, failure.message)


def _from_worker(exc: ActivityError, turn: RoleTurn) -> BaseException:
    """What to raise in the workflow for a role turn the worker failed for good."""
    cause = exc.cause
    if isinstance(cause, ApplicationError) and cause.type:
        found = getattr(errors, cause.type, None)
        if isinstance(found, type) and issubclass(found, errors.SetupError):
            return found(cause.message)
        return ApplicationError(
            f"{turn.mode.slug}'s turn on {turn.subtask_id} failed on a worker: "
            f"{cause.type}: {cause.message}",
            type=cause.type,
            non_retryable=True,
        )
    return ApplicationError(
        f"{turn.mode.slug}'s turn on {turn.subtask_id} failed on a worker: {cause or exc}",
        non_retryable=True,
    )
