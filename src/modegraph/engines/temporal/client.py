"""Start, follow and answer tasks on Temporal: the client side of the engine.

```python
client = await connect("127.0.0.1:7233")  # modegraph.engines.temporal.connection
runner = TemporalRunner(client=client, catalog=catalog, on_event=print)
run = await runner.astart("Build a users API", entry="fastapi-developer")
print(run.result.status, [t.worker for t in run.turns])
```

`TemporalRunner` mirrors the local `Runner`: `astart` starts a task and follows it
to its end, or to an approval stop (`waiting_approval`, unless `ask` answers);
`aresume` answers a waiting task's approvals (the `answer` signal) and follows it
again. Following polls the workflow's `view` query, so progress shows as the task
goes, whichever workers run it; the task itself does not depend on the client: a
client that goes away leaves the task running.

Task ids follow the local rule (`Journal.new_task_id` under the client's journal
root: `TASK-<PREFIX>-<YYYYMMDD-HHMMSS>`, then `-2`, `-3`, ... for a taken one); an
id Temporal already holds (any workflow with that id, running or closed) counts as
taken too.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio.client import (
    Client,
    RPCError,
    WorkflowExecutionStatus,
    WorkflowFailureError,
    WorkflowHandle,
    WorkflowQueryFailedError,
    WorkflowQueryRejectedError,
)
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCStatusCode

from modegraph.coordinator.approvals import Decision
from modegraph.coordinator.policy import Policy
from modegraph.coordinator.result import RunResult
from modegraph.coordinator.runner import AskApprovals, OnEvent, Runner, RunSettings
from modegraph.coordinator.state import EventRecord
from modegraph.engines.digest import catalog_digest
from modegraph.engines.temporal.messages import (
    TaskInput,
    TaskOutput,
    TaskView,
    Timeouts,
    TurnRecord,
)
from modegraph.engines.temporal.names import (
    DEFAULT_TASK_QUEUE,
    QUERY_VIEW,
    SIGNAL_ANSWER,
    WORKFLOW,
    journal_queue,
)
from modegraph.engines.temporal.remote_agent import error_named
from modegraph.errors import ApprovalError, CatalogError, EngineError, JournalError
from modegraph.journal.ids import prefix_for_mode
from modegraph.journal.store import DEFAULT_JOURNAL_ROOT, Journal
from modegraph.modes.catalog.catalog import Catalog
from modegraph.roles.coordination import EntryRule

__all__ = ["RemoteRun", "TemporalRunner"]

_TAKEN_TRIES = 50
"""Task ids tried before giving up when Temporal holds every one (a clock gone wrong)."""


@dataclass(frozen=True)
class RemoteRun:
    """What a task on Temporal ended with (or stopped at, waiting for approval)."""

    result: RunResult
    """The result, as a local run gives it."""
    turns: tuple[TurnRecord, ...] = ()
    """Where each role turn ran (known once the task finished)."""
    workers: frozenset[str] = field(default_factory=frozenset)
    """The workers that ran role turns."""
    runs: int = 1
    """How many workflow runs the task took (more than one: it continued as new)."""


class TemporalRunner:
    """Starts tasks of one catalog on Temporal and follows them.

    Args:
        client: From `connect`.
        catalog: The modes; workers must run the same catalog (same digest). Needed
            to start tasks; following and answering tasks need none.
        policy: Guards for new tasks.
        journal_root: Where task ids are reserved (the journal itself is written by
            the journal worker, into its own `--journal`).
        task_queue: The workers' task queue.
        timeouts: Role turn and journal write timeouts.
        history_limit: History events after which a task continues as a new run.
        on_event: Called with each event as the task goes.
        ask: Asks a person about pending approvals; without it a task that waits
            is returned `waiting_approval` (and keeps waiting in Temporal).
        poll: Seconds between two looks at a task being followed.
        on_wait: Told, once per follow, when no worker has answered for `patience`
            seconds (none is running, or each one refuses the task's catalog).
        patience: Seconds without an answer before `on_wait` is told.
    """

    def __init__(
        self,
        *,
        client: Client,
        catalog: Catalog | None = None,
        policy: Policy | None = None,
        journal_root: Path | str = DEFAULT_JOURNAL_ROOT,
        task_queue: str = DEFAULT_TASK_QUEUE,
        timeouts: Timeouts | None = None,
        history_limit: int = 10_000,
        on_event: OnEvent | None = None,
        ask: AskApprovals | None = None,
        poll: float = 0.2,
        on_wait: Callable[[str], None] | None = None,
        patience: float = 5.0,
    ) -> None:
        self.client = client
        self.catalog = catalog
        self.digest = catalog_digest(catalog) if catalog is not None else None
        self.policy = policy or Policy()
        self.journal = Journal(journal_root)
        self.task_queue = task_queue
        self.timeouts = timeouts or Timeouts()
        self.history_limit = history_limit
        self.on_event = on_event
        self.ask = ask
        self.poll = poll
        self.on_wait = on_wait
        self.patience = patience

    # -- starting ---------------------------------------------------------------

    async def astart(
        self, goal: str, *, entry: str | None = None, settings: RunSettings | None = None
    ) -> RemoteRun:
        """Start a task from `entry` (the catalog's coordinator by default) and follow it."""
        task_id = await self.submit(goal, entry=entry, settings=settings)
        return await self.afollow(task_id)

    async def submit(
        self, goal: str, *, entry: str | None = None, settings: RunSettings | None = None
    ) -> str:
        """Start a task and return its id at once, without following it.

        Raises:
            SetupError: the goal is empty or too long, or the entry role is not in the
                catalog (as for a local run).
            EngineError: Temporal refused the task.
        """
        if self.catalog is None or self.digest is None:
            raise CatalogError("starting a task needs its catalog: TemporalRunner(catalog=...)")
        digest = self.digest
        # checked and settled as the local Runner does it (the entry rule, edges, policy)
        local = Runner(catalog=self.catalog, policy=self.policy, journal_root=self.journal.root)
        stored = local.new_settings(goal, entry, settings)
        chosen = stored.entry_choice
        why = chosen.reason if chosen is not None and chosen.rule is not EntryRule.GIVEN else ""
        slug = stored.entry
        for _ in range(_TAKEN_TRIES):
            task_id = self.journal.new_task_id(prefix_for_mode(slug))
            task = TaskInput(
                task_id=task_id,
                goal=goal,
                entry=slug,
                reason=why,
                settings=stored.model_dump(mode="json"),
                catalog_digest=digest,
                task_queue=self.task_queue,
                journal_queue=journal_queue(self.task_queue),
                timeouts=self.timeouts,
                history_limit=self.history_limit,
            )
            try:
                await self.client.start_workflow(
                    WORKFLOW,
                    task,
                    id=task_id,
                    task_queue=self.task_queue,
                    id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                    id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
                    static_summary=goal[:200],
                )
            except WorkflowAlreadyStartedError:
                continue  # the id is taken in Temporal: the journal gives the next one
            except RPCError as exc:
                raise EngineError(f"Temporal refused the task {task_id}: {exc.message}") from exc
            return task_id
        raise EngineError(  # pragma: no cover - 50 taken ids in a row
            f"Temporal holds every task id tried up to {task_id}; check this machine's clock"
        )

    # -- following and answering --------------------------------------------------

    async def afollow(self, task_id: str) -> RemoteRun:
        """Follow a task to its end, or to approvals nobody here answers.

        Raises:
            ModegraphError: the task failed with one of modegraph's errors (the same a
                local run raises), or `EngineError` for any other failure.
        """
        handle = self.client.get_workflow_handle(task_id, result_type=TaskOutput)
        finished = asyncio.create_task(_output(handle))
        since = 0
        answered: set[str] = set()
        stopped = False
        heard, told = time.monotonic(), False
        pause = self.poll  # grows to 5 x poll while nothing happens, back on news
        try:
            while True:
                done, _ = await asyncio.wait({finished}, timeout=pause)
                if done:
                    output = finished.result()
                    self._emit(output.events[since:])
                    return _run_of(output)
                view = await _view(handle, since)
                if view is None:
                    if not told and time.monotonic() - heard >= self.patience:
                        told = True
                        if self.on_wait is not None:
                            self.on_wait(self._no_worker(task_id))
                    continue
                heard = time.monotonic()
                pause = self.poll if view.events else min(pause * 1.5, 5 * self.poll)
                self._emit(view.events)
                since = view.total
                pending = [a for a in view.approvals if a.id not in answered]
                if view.status != "waiting" or not pending or view.result is None:
                    continue
                if self.ask is None or stopped:
                    return RemoteRun(result=view.result)
                decisions = self.ask(pending)
                stopped = len(decisions) < len(pending)
                if not decisions:
                    return RemoteRun(result=view.result)
                answered.update(decisions)
                await handle.signal(SIGNAL_ANSWER, _answer(decisions))
        finally:
            finished.cancel()

    async def wait(self, task_id: str) -> RemoteRun:
        """The task's end, without following its progress (no `on_event`, no `ask`).

        For scripts that start many tasks: it asks Temporal only for the result, where
        following polls each task's workers. A task waiting for approval keeps this
        waiting until someone answers it.

        Raises:
            ModegraphError: as `afollow`.
        """
        handle = self.client.get_workflow_handle(task_id, result_type=TaskOutput)
        return _run_of(await _output(handle))

    async def aresume(
        self, task_id: str, *, decision: Decision | Mapping[str, Decision] | None = None
    ) -> RemoteRun:
        """Answer a waiting task's approvals (a signal), then follow it.

        Args:
            task_id: The task.
            decision: One decision for every waiting request, or decisions by request
                id (the others stay waiting); without one, follow the task (`ask`
                answers its approvals, if given).

        Raises:
            JournalError: Temporal holds no task with this id.
            ApprovalError: a decision is given but nothing waits for approval, or an
                answer names a request id that is not waiting.
            EngineError: no worker answered about the task within `patience` x 6 s.
        """
        handle = self.client.get_workflow_handle(task_id)
        try:
            described = await handle.describe()
        except RPCError as exc:
            if exc.status is RPCStatusCode.NOT_FOUND:
                raise JournalError(
                    f"Temporal holds no task {task_id}; check the id with `modegraph journal "
                    "list`, and pass the --temporal address the task was started on"
                ) from exc
            raise EngineError(f"Temporal could not describe {task_id}: {exc.message}") from exc
        if decision is not None:
            running = described.status is WorkflowExecutionStatus.RUNNING
            view = await self._view_waiting(handle) if running else None
            if view is None or view.status != "waiting":
                state = "still running" if running else "finished"
                raise ApprovalError(
                    f"nothing is waiting for approval (the task is {state}); "
                    f"`modegraph resume {task_id} --engine temporal` follows it"
                )
            if isinstance(decision, Decision):
                await handle.signal(SIGNAL_ANSWER, decision.model_dump())
            else:
                unknown = sorted(set(decision) - {a.id for a in view.approvals})
                if unknown:
                    waiting = ", ".join(a.id for a in view.approvals)
                    raise ApprovalError(
                        f"no approval with id {', '.join(unknown)} is waiting; waiting: "
                        f"{waiting} (`--json` lists them under approvals)"
                    )
                await handle.signal(SIGNAL_ANSWER, _answer(decision))
        return await self.afollow(task_id)

    async def _view_waiting(self, handle: WorkflowHandle[Any, Any]) -> TaskView:
        """The view of a running task, waiting a while for a worker to answer."""
        deadline = time.monotonic() + 6 * self.patience
        while True:
            view = await _view(handle, 0)
            if view is not None:
                return view
            if time.monotonic() > deadline:
                raise EngineError(
                    f"no worker answered about task {handle.id} in {6 * self.patience:g} s; "
                    f"start one with `{self._worker_command()}`"
                )
            await asyncio.sleep(self.poll)

    def _no_worker(self, task_id: str) -> str:
        catalog = f" and this run's catalog ({self.digest})" if self.digest else ""
        return (
            f"no worker has answered for task {task_id} in {self.patience:g} s: start one "
            f"with `{self._worker_command()}`{catalog} (a worker started with another "
            "catalog refuses the task and its output names both digests); the task waits "
            "in Temporal until one does"
        )

    def _worker_command(self) -> str:
        """The `modegraph worker` command line that serves this client's tasks."""
        config = getattr(getattr(self.client, "service_client", None), "config", None)
        address = getattr(config, "target_host", None)
        where = f" --temporal {address}" if isinstance(address, str) and address else ""
        return f"modegraph worker{where} --task-queue {self.task_queue}"

    def _emit(self, events: Sequence[Mapping[str, object]]) -> None:
        if self.on_event is None:
            return
        for event in events:
            self.on_event(EventRecord(**event))  # type: ignore[typeddict-item]


def _answer(decisions: Mapping[str, Decision]) -> dict[str, object]:
    return {key: d.model_dump() for key, d in decisions.items()}


async def _output(handle: WorkflowHandle[Any, TaskOutput]) -> TaskOutput:
    try:
        output = await handle.result()
    except WorkflowFailureError as exc:
        cause = exc.cause
        if isinstance(cause, ApplicationError) and cause.type:
            raise error_named(cause.type, cause.message) from exc
        raise EngineError(f"the task {handle.id} failed: {cause or exc}") from exc
    return output


async def _view(handle: WorkflowHandle[Any, Any], since: int) -> TaskView | None:
    """The task's `view`, or None when no worker answered it (yet)."""
    try:
        view: TaskView = await handle.query(
            QUERY_VIEW, since, result_type=TaskView, rpc_timeout=timedelta(seconds=1)
        )
    except (RPCError, WorkflowQueryFailedError, WorkflowQueryRejectedError):
        return None  # no worker has the task yet (none polling, or each one refusing it)
    return view


def _run_of(output: TaskOutput) -> RemoteRun:
    return RemoteRun(
        result=output.result,
        turns=tuple(output.turns),
        workers=frozenset(t.worker for t in output.turns),
        runs=output.runs,
    )
