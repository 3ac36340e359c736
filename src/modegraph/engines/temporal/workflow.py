"""The task workflow: the coordinator's LangGraph graph, run inside Temporal.

One workflow per task; its id is the task id. The workflow compiles the same
coordinator a local run compiles (`build_coordinator`) over the worker's catalog,
with three things swapped for Temporal's:

- the agent is a `RemoteAgent`: each role turn is the `role_turn` activity on the
  task queue, run by whichever worker takes it;
- the journal is a `BufferedJournal`: writes are recorded, and a flusher sends them,
  in order, to the `journal_write` activity on the journal queue; while no journal
  worker is up the writes wait in Temporal, and the task ends only once its journal
  is written;
- the checkpointer is LangGraph's in-memory one: Temporal's history is the durable
  state, and a worker that picks the task up replays the history to rebuild it.

The graph is driven pass by pass (`modegraph.engines.drive`), with the local
Runner's guards and approval loop. Approvals wait for the `answer` signal; the
`view` query shows the events, the pending approvals and the result. Between passes
the workflow continues as a new run (same workflow id) once its history is long.

The workflow's code must replay to the same commands: it does no I/O, reads no clock
but `workflow.now()`, and the coordinator's routing is a pure function of its
state. It runs outside Temporal's sandbox (`sandboxed=False`): the sandbox would
have to pass LangGraph, pydantic and modegraph itself through unguarded (which is
what the `temporalio-langgraph` plugin sets up), so it would guard nothing that
runs here. A replay test (`Replayer`) over recorded histories checks determinism.

A worker process serves the workflow for one catalog per task queue
(`serve_catalog`). A task started with another catalog is refused
(`CatalogMismatch`, naming both digests): the workflow task fails on this worker
and Temporal hands it to another one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver
from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

from modegraph.coordinator.approvals import ApprovalRequest, Decision, parse_decisions
from modegraph.coordinator.build import build_coordinator
from modegraph.coordinator.recorder import JournalRecorder, Recorder
from modegraph.coordinator.records import new_state
from modegraph.coordinator.result import result_of
from modegraph.coordinator.runner import RunSettings
from modegraph.coordinator.state import CoordinatorState, EventRecord
from modegraph.engines.driving import drive
from modegraph.engines.temporal.journal_ops import BufferedJournal
from modegraph.engines.temporal.messages import (
    JournalBatch,
    JournalWritten,
    TaskInput,
    TaskOutput,
    TaskView,
    TurnRecord,
)
from modegraph.engines.temporal.names import JOURNAL_WRITE, QUERY_VIEW, SIGNAL_ANSWER, WORKFLOW
from modegraph.engines.temporal.remote_agent import RemoteAgent
from modegraph.errors import CatalogMismatch, ConfigError, ModegraphError
from modegraph.modes.catalog.catalog import Catalog
from modegraph.roles.coordination import coordinate

__all__ = ["TaskWorkflow", "mismatch_message", "serve_catalog", "stop_serving"]

_BATCH = 200
"""Most journal ops one `journal_write` activity carries (its input stays small)."""


def mismatch_message(*, worker: str, task: str) -> str:
    """The refusal of a worker whose catalog is not the task's, naming both digests."""
    return (
        f"this worker's catalog is {worker} but the task was started with catalog {task}; "
        "start the worker with the same --modes, --alias and --bundled/--no-bundled as "
        "the run (and the same project folder), or run the task with this catalog"
    )


class _Flusher:
    """Sends the buffered journal writes to the journal queue, one batch at a time."""

    def __init__(self, journal: BufferedJournal, inp: TaskInput) -> None:
        self.journal = journal
        self.inp = inp
        self.path: str | None = inp.journal
        self.busy = False
        self.error: BaseException | None = None
        self.closing = False

    async def run(self) -> None:
        while True:
            await workflow.wait_condition(lambda: bool(self.journal.pending) or self.closing)
            if not self.journal.pending:
                return
            self.busy = True
            try:
                written: JournalWritten = await workflow.execute_activity(
                    JOURNAL_WRITE,
                    JournalBatch(task_id=self.inp.task_id, ops=self.journal.take(_BATCH)),
                    result_type=JournalWritten,
                    task_queue=self.inp.journal_queue,
                    start_to_close_timeout=timedelta(seconds=self.inp.timeouts.journal),
                    # a batch taken by a worker that died is retried this soon
                    heartbeat_timeout=timedelta(seconds=self.inp.timeouts.heartbeat),
                    retry_policy=RetryPolicy(
                        initial_interval=timedelta(milliseconds=500),
                        maximum_interval=timedelta(seconds=30),
                        non_retryable_error_types=["JournalError"],
                    ),
                    summary="journal",
                )
            except ActivityError as exc:
                self.error = exc
                return
            finally:
                self.busy = False
            self.path = written.path

    async def drain(self) -> None:
        """Wait until every write so far is in the journal.

        Raises:
            ApplicationError: the journal worker could not write the journal.
        """
        await workflow.wait_condition(
            lambda: self.error is not None or (not self.journal.pending and not self.busy)
        )
        if self.error is not None:
            cause = getattr(self.error, "cause", None) or self.error
            message = getattr(cause, "message", None) or str(cause)
            raise ApplicationError(
                f"the journal could not be written: {message}", type="JournalError"
            )


class _Host:
    """The workflow's side of `drive`: events, continue-as-new, approvals by signal."""

    def __init__(self, owner: Any, inp: TaskInput, flusher: _Flusher, graph: Any) -> None:
        self.owner = owner
        self.inp = inp
        self.flusher = flusher
        self.graph = graph
        self.recorder: Recorder = JournalRecorder(flusher.journal)

    def emit(self, events: Sequence[EventRecord]) -> None:
        self.owner.events.extend(dict(e) for e in events)

    async def between(self, values: CoordinatorState, *, stop: int) -> None:
        self.owner.values = values
        if self.flusher.error is not None:
            await self.flusher.drain()
        info = workflow.info()
        if (
            info.get_current_history_length() < self.inp.history_limit
            and not info.is_continue_as_new_suggested()
        ):
            return
        await self.flusher.drain()
        workflow.continue_as_new(
            self.inp.model_copy(
                update={
                    "state": dict(values),
                    "stop": stop,
                    "events": list(self.owner.events),
                    "turns": list(self.owner.turns),
                    "journal": self.flusher.path,
                    "runs": self.inp.runs + 1,
                }
            )
        )

    async def ask(self, approvals: Sequence[ApprovalRequest]) -> Mapping[str, Decision]:
        await self.flusher.drain()
        config = {"configurable": {"thread_id": self.inp.task_id}}
        self.owner.values = (await self.graph.aget_state(config)).values
        self.owner.journal = self.flusher.path
        self.owner.waiting = tuple(approvals)
        try:
            while True:
                await workflow.wait_condition(lambda: bool(self.owner.answers))
                answer = self.owner.answers.pop(0)
                try:
                    return parse_decisions(answer, list(approvals))
                except ConfigError as exc:
                    workflow.logger.warning("ignored an approval answer: %s", exc)
        finally:
            self.owner.waiting = ()


_SERVED: dict[str, tuple[str, Catalog]] = {}
"""The catalog (digest, catalog) this process serves on each task queue.

Temporal creates workflow objects itself, without arguments, and wants their class at
module level, so the catalog a worker serves cannot be handed to the workflow: the
worker registers it here (`serve_catalog`) and the workflow looks it up by the task
queue it was started on (`TaskInput.task_queue`; a replay runs on a queue of its own).
"""


def serve_catalog(task_queue: str, digest: str, catalog: Catalog) -> None:
    """Serve `catalog` on `task_queue` in this process.

    Raises:
        ConfigError: this process already serves another catalog on that queue.
    """
    served = _SERVED.get(task_queue)
    if served is not None and served[0] != digest:
        raise ConfigError(
            f"this process already serves catalog {served[0]} on task queue {task_queue!r}; "
            f"a worker with catalog {digest} needs its own process or another --task-queue"
        )
    _SERVED[task_queue] = (digest, catalog)


def stop_serving(task_queue: str) -> None:
    """Stop serving any catalog on `task_queue` in this process."""
    _SERVED.pop(task_queue, None)


@workflow.defn(name=WORKFLOW, sandboxed=False)
class TaskWorkflow:
    """One task: the coordinator run over Temporal (see the module doc)."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.turns: list[TurnRecord] = []
        self.answers: list[Any] = []
        self.waiting: tuple[ApprovalRequest, ...] = ()
        self.values: CoordinatorState | None = None
        self.journal: str | None = None
        self.output: TaskOutput | None = None

    @workflow.signal(name=SIGNAL_ANSWER)
    def answer(self, value: Any) -> None:
        """Answer the pending approvals: one decision for all, or one per request id.

        An answer that comes while nothing waits is dropped: kept, it would decide
        approvals nobody has seen yet.
        """
        if not self.waiting:
            workflow.logger.warning("dropped an approval answer: nothing waits for one")
            return
        self.answers.append(value)

    @workflow.query(name=QUERY_VIEW)
    def view(self, since: int) -> TaskView:
        """The events from `since` on, and where the task stands."""
        events = self.events[since:]
        if self.output is not None:
            return TaskView(
                status="finished",
                events=events,
                total=len(self.events),
                result=self.output.result,
            )
        if self.waiting and self.values is not None:
            result = result_of(self.values, journal=self.journal, approvals=self.waiting)
            return TaskView(
                status="waiting",
                events=events,
                total=len(self.events),
                approvals=list(self.waiting),
                result=result,
            )
        return TaskView(status="running", events=events, total=len(self.events))

    @workflow.run
    async def run(self, inp: TaskInput) -> TaskOutput:
        """Run the task to its end."""
        served = _SERVED.get(inp.task_queue)
        if served is None or served[0] != inp.catalog_digest:
            # not a workflow failure: Temporal hands the workflow task to another worker
            mine = served[0] if served else "none"
            raise CatalogMismatch(mismatch_message(worker=mine, task=inp.catalog_digest))
        try:
            return await self._run(inp, served[1])
        except ModegraphError as exc:
            raise ApplicationError(str(exc), type=type(exc).__name__, non_retryable=True) from exc

    async def _run(self, inp: TaskInput, catalog: Catalog) -> TaskOutput:
        self.events = list(inp.events)
        self.turns = list(inp.turns)
        settings = RunSettings.model_validate(inp.settings)
        buffered = BufferedJournal(clock=workflow.now)
        flusher = _Flusher(buffered, inp)
        flushing = asyncio.create_task(flusher.run())
        agent = RemoteAgent(
            catalog_digest=inp.catalog_digest,
            settings=inp.settings,
            task_queue=inp.task_queue,
            timeouts=inp.timeouts,
            on_turn=self.turns.append,
        )
        # the catalog as the run sees it: implied edges, the orchestrator role
        seen = coordinate(catalog, entry=settings.entry, edges=settings.edges).catalog
        graph = build_coordinator(
            catalog=seen,
            entry=inp.entry,
            agent=agent,
            checkpointer=InMemorySaver(),
            policy=settings.policy,
            journal=buffered,
            inline_journal=True,
        )
        first: Any = inp.state
        if first is None:
            first = new_state(
                task_id=inp.task_id,
                goal=inp.goal,
                entry=inp.entry,
                settings=inp.settings,
                reason=inp.reason,
            )
        self.values = first
        outcome = await drive(
            graph,
            first,
            task_id=inp.task_id,
            policy=settings.policy,
            host=_Host(self, inp, flusher, graph),
            stop=inp.stop,
        )
        await flusher.drain()
        flusher.closing = True
        await flushing
        self.journal = flusher.path
        result = result_of(
            outcome.values,
            journal=flusher.path,
            approvals=outcome.approvals,
            reason=outcome.reason,
            refused_so_far=outcome.refused,
        )
        self.output = TaskOutput(result=result, events=self.events, turns=self.turns, runs=inp.runs)
        return self.output
