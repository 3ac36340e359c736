"""Run a task through the coordinator, resume it, answer its approvals. Sync and async.

```python
from modegraph.coordinator import Runner

runner = Runner(catalog=catalog, journal_root="project_journal")
result = runner.start("Build a users API with signup and login", entry="fastapi-developer")
if result.status is RunStatus.WAITING_APPROVAL:
    result = runner.resume(result.task_id, decision=Decision(approved=True))
```

Every run is checkpointed (SQLite under the journal root unless `checkpoint`
names another store) with durability `sync`, thread id = task id, so a run that
crashed or stopped for approval continues with `resume`, in this process or a
new one.

Approvals cover handoffs (the `--approve` rule) and commands that are not
allowlisted (`modegraph.coordinator.command_gate`); both come as `ApprovalRequest`s, to
`ask` or, without it, in `RunResult.approvals` with status `waiting_approval`.

Longer than 400 lines: start, resume and their async twins share the settings,
the checkpointer set-up and the reading of a run's result from its checkpoint.
"""

from __future__ import annotations

import functools
import sqlite3
import weakref
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from langgraph.errors import GraphRecursionError
from langgraph.types import Command

from modegraph.agents.protocol import Agent
from modegraph.coordinator.approvals import ApprovalRequest, Decision
from modegraph.coordinator.build import build_coordinator, check_entry
from modegraph.coordinator.goal import check_goal
from modegraph.coordinator.nodes import JOURNAL_NODE
from modegraph.coordinator.persistence import (
    PreparedFiles,
    acheckpointer,
    check_checkpoint,
    checkpointer,
    keep_open,
    sqlite_path,
    sync_wal,
)
from modegraph.coordinator.policy import Guard, Policy
from modegraph.coordinator.recorder import JournalRecorder, Recorder
from modegraph.coordinator.records import close_unfinished, new_state, order_key
from modegraph.coordinator.result import RunResult, result_of
from modegraph.coordinator.settings import RunSettings, settings_in, stored_settings
from modegraph.coordinator.state import CoordinatorState, EventRecord
from modegraph.coordinator.step_sync import step_synced
from modegraph.errors import ApprovalError, ConfigError, JournalError
from modegraph.journal.ids import prefix_for_mode
from modegraph.journal.store import DEFAULT_JOURNAL_ROOT, Journal
from modegraph.modes.catalog.catalog import Catalog
from modegraph.roles.coordination import Coordination, EdgeMode, EntryRule, coordinate

__all__ = [
    "AskApprovals",
    "OnEvent",
    "RunSettings",
    "Runner",
    "close_stopped",
    "default_entry",
    "pending_approvals",
    "stored_settings",
    "waiting_refusals",
]


OnEvent = Callable[[EventRecord], None]
"""Called with each event as the run goes (a role's turn, a handoff, a refusal, ...)."""
AskApprovals = Callable[[Sequence[ApprovalRequest]], Mapping[str, Decision]]
"""Asks a person about pending handoffs and commands; returns a decision per request id."""
Decisions = Mapping[str, Decision]
"""Answers to some pending approvals, by request id."""


def default_entry(catalog: Catalog, *, edges: EdgeMode = EdgeMode.ALL) -> str:
    """The role a run without `--mode` enters (`modegraph.roles.coordination`'s rule).

    It is `orchestrator` when the catalog (or most of it) declares no edges: the
    runner then adds the orchestrator role to the catalog it runs.

    Raises:
        CatalogError: the catalog is empty.
    """
    check_entry(catalog, next(iter(catalog.slugs), ""))
    entry = coordinate(catalog, edges=edges).entry
    assert entry is not None  # the catalog is not empty
    return entry.slug


def _config(task_id: str, policy: Policy) -> dict[str, Any]:
    return {"configurable": {"thread_id": task_id}, "recursion_limit": policy.recursion_limit}


def close_stopped(values: CoordinatorState, reason: str, recorder: Recorder) -> dict[str, Any]:
    """Close what the recursion limit left open: `recorder` writes it, the update says it.

    Every unfinished subtask (the root last) is closed `blocked` with `reason`, the
    results are merged into the root's file, and the returned state update records
    the same (the Temporal engine closes a driven run with it too).
    """
    subtasks = values.get("subtasks", {})
    closed = close_unfinished(subtasks, reason)
    for rec in closed.values():
        recorder.open(rec, root=values["task_id"])
        recorder.close(rec)
    merged = {**subtasks, **closed}
    ordered = [merged[k] for k in sorted(merged, key=order_key)]
    recorder.finish(values["root"], ordered, values.get("refused", []))
    guard = Guard.RECURSION_LIMIT.value
    return {"subtasks": closed, "blocked": reason, "guard": guard, "finished": True}


def pending_approvals(snapshot: Any) -> tuple[ApprovalRequest, ...]:
    """The approval requests of the interrupts in a LangGraph state snapshot."""
    found: list[ApprovalRequest] = []
    for item in getattr(snapshot, "interrupts", ()) or ():
        value = getattr(item, "value", None)
        if isinstance(value, Mapping):
            found.extend(ApprovalRequest.model_validate(a) for a in value.get("approvals", ()))
    return tuple(found)


def waiting_refusals(snapshot: Any) -> list[dict[str, str]]:
    """Handoffs rejected by a partial answer while the rest of a request still waits.

    The approval node records them in the state when every request is answered; until
    then its interrupt carries them, so a waiting run can show them.
    """
    found: list[dict[str, str]] = []
    for item in getattr(snapshot, "interrupts", ()) or ():
        value = getattr(item, "value", None)
        if isinstance(value, Mapping):
            found.extend(dict(r) for r in value.get("refused", ()))
    return found


def _resume_value(decisions: Mapping[str, Decision]) -> dict[str, Any]:
    return {key: d.model_dump() for key, d in decisions.items()}


class Runner:
    """Starts and resumes runs of one catalog.

    Args:
        catalog: The modes.
        agent: The agent every role uses (`RuleAgent` over the catalog by default).
        policy: Guards for new runs (a resumed run keeps the policy it started with).
        journal_root: The journal directory (`./project_journal` by default).
        checkpoint: `sqlite:///PATH`, a path or `postgres://...`; SQLite under the
            journal root by default.
        on_event: Called with each event as the run goes.
        ask: Asks a person about handoffs and commands that need approval;
            without it a run stops with status `waiting_approval`.
        edges: `EdgeMode.DECLARED` leaves out the edges modes' texts imply (new
            runs; a resumed run keeps the choice it started with).

    Runs go through `modegraph.roles.coordination.coordinate`: without an entry, the
    entry rule picks the catalog's coordinator or the orchestrator role.
    """

    def __init__(
        self,
        *,
        catalog: Catalog,
        agent: Agent | None = None,
        policy: Policy | None = None,
        journal_root: Path | str = DEFAULT_JOURNAL_ROOT,
        checkpoint: str | None = None,
        on_event: OnEvent | None = None,
        ask: AskApprovals | None = None,
        edges: EdgeMode = EdgeMode.ALL,
    ) -> None:
        self.catalog = catalog
        self.edges = edges
        self._coordinated: dict[tuple[str | None, EdgeMode], Coordination] = {}
        self._graphs: dict[tuple[str, EdgeMode, str, int], Any] = {}
        self._keeper: sqlite3.Connection | None = None
        self._prepared = PreparedFiles()
        self.last_task_id: str | None = None
        """The task id the last `start` reserved (what Ctrl-C tells a person to resume)."""
        self.agent = agent
        self.policy = policy or Policy()
        self.journal = Journal(journal_root)
        check_checkpoint(checkpoint, root=self.journal.root)
        self.checkpoint = checkpoint
        self.on_event = on_event
        self.ask = ask

    # -- starting ---------------------------------------------------------------

    def new_settings(
        self, goal: str, entry: str | None, settings: RunSettings | None
    ) -> RunSettings:
        """The settings a new run stores; the goal and the entry role checked first.

        The Temporal engine stores the same for a task it starts.
        """
        check_goal(goal)
        _check_utf8(goal, "the goal")
        edges = settings.edges if settings is not None else self.edges
        requested = entry or (settings.entry if settings else None)
        check_entry(self.catalog, next(iter(self.catalog.slugs), ""))  # not empty
        coordination = self._coordination(requested, edges)
        chosen = coordination.entry
        assert chosen is not None  # the catalog is not empty
        check_entry(coordination.catalog, chosen.slug)
        given = settings.entry_choice if settings is not None else None
        if given is not None and given.slug == chosen.slug:
            chosen = given  # the caller applied the entry rule: keep its reason
        return (settings or RunSettings(entry=chosen.slug)).model_copy(
            update={
                "entry": chosen.slug,
                "policy": self.policy,
                "edges": edges,
                "entry_choice": chosen,
            }
        )

    def _new_state(self, goal: str, stored: RunSettings) -> CoordinatorState:
        """The input state, under a newly reserved task id (once the store is open)."""
        try:
            task_id = self.journal.new_task_id(prefix_for_mode(stored.entry))
        except OSError as exc:  # the journal directory: a name too long, not a directory
            raise JournalError(
                f"cannot use the journal directory {self.journal.root}: "
                f"{exc.strerror or exc}; pass another --journal DIR"
            ) from exc
        self.last_task_id = task_id
        chosen = stored.entry_choice
        why = chosen.reason if chosen is not None and chosen.rule is not EntryRule.GIVEN else ""
        return new_state(
            task_id=task_id,
            goal=goal,
            entry=stored.entry,
            settings=stored.model_dump(mode="json"),
            reason=why,
        )

    def _coordination(self, entry: str | None, edges: EdgeMode) -> Coordination:
        """The catalog as a run from `entry` sees it (implied edges, orchestrator role)."""
        key = (entry, edges)
        found = self._coordinated.get(key)
        if found is None:
            found = self._coordinated[key] = coordinate(self.catalog, entry=entry, edges=edges)
        return found

    def start(
        self, goal: str, *, entry: str | None = None, settings: RunSettings | None = None
    ) -> RunResult:
        """Run a new task from `entry` (the catalog's coordinator by default)."""
        stored = self.new_settings(goal, entry, settings)
        with (
            checkpointer(self.checkpoint, root=self.journal.root, prepared=self._prepared) as saver,
            self._synced(),
        ):
            state = self._new_state(goal, stored)
            graph = self._graph(stored, saver)
            return self._drive(graph, state, state["task_id"], stored.policy)

    async def astart(
        self, goal: str, *, entry: str | None = None, settings: RunSettings | None = None
    ) -> RunResult:
        """`start`, asynchronously (role turns use `Agent.arun`)."""
        stored = self.new_settings(goal, entry, settings)
        async with acheckpointer(
            self.checkpoint, root=self.journal.root, prepared=self._prepared
        ) as saver:
            state = self._new_state(goal, stored)
            graph = self._graph(stored, saver)
            with self._synced():
                return await self._adrive(graph, state, state["task_id"], stored.policy)

    # -- resuming ---------------------------------------------------------------

    def resume(self, task_id: str, *, decision: Decision | Decisions | None = None) -> RunResult:
        """Continue a run that crashed or stopped for approval.

        Args:
            task_id: The run's task id.
            decision: The answer to every pending approval, or answers by request id
                (the others stay pending); without one, `ask` is used, and without
                that the run stays `waiting_approval`.

        Raises:
            JournalError: no run with this task id has a checkpoint.
            ApprovalError: a decision is given but nothing waits for approval, or an
                answer names a request id that is not waiting.
        """
        _check_reasons(decision)
        with checkpointer(
            self.checkpoint, root=self.journal.root, must_exist=True, prepared=self._prepared
        ) as saver:
            found = saver.get_tuple(_config(task_id, self.policy))
            settings = settings_in(found, task_id, self.journal)
            graph = self._graph(settings, saver)
            command = self._resume_input(graph, task_id, settings.policy, decision)
            with self._synced():
                return self._drive(graph, command, task_id, settings.policy)

    async def aresume(
        self, task_id: str, *, decision: Decision | Decisions | None = None
    ) -> RunResult:
        """`resume`, asynchronously."""
        _check_reasons(decision)
        async with acheckpointer(
            self.checkpoint, root=self.journal.root, must_exist=True, prepared=self._prepared
        ) as saver:
            found = await saver.aget_tuple(_config(task_id, self.policy))
            settings = settings_in(found, task_id, self.journal)
            graph = self._graph(settings, saver)
            snapshot = await graph.aget_state(_config(task_id, settings.policy))
            command = self._command_for(snapshot, decision)
            with self._synced():
                return await self._adrive(graph, command, task_id, settings.policy)

    def _resume_input(
        self, graph: Any, task_id: str, policy: Policy, decision: Decision | Decisions | None
    ) -> Any:
        return self._command_for(graph.get_state(_config(task_id, policy)), decision)

    def _command_for(self, snapshot: Any, decision: Decision | Decisions | None) -> Any:
        """What to stream to continue the run of `snapshot` (`_NOTHING`: nothing to run).

        A run is over only when its last checkpoint has no task left: `snapshot.tasks`
        lists every task of the step after that checkpoint, those whose writes were
        saved (pending writes of a process killed before the step's checkpoint) as well
        as those still to run (`snapshot.next`). Streaming `None` applies the saved
        writes, runs the rest and goes on, so neither may be taken for a finished run.
        """
        pending = pending_approvals(snapshot)
        if decision is not None and not pending:
            raise ApprovalError(_nothing_waiting(snapshot.values, unfinished=bool(snapshot.tasks)))
        if pending and isinstance(decision, Mapping):
            unknown = sorted(set(decision) - {r.id for r in pending})
            if unknown:
                waiting = ", ".join(r.id for r in pending)
                raise ApprovalError(
                    f"no approval with id {', '.join(unknown)} is waiting; waiting: {waiting} "
                    "(`--json` lists them under approvals)"
                )
            return Command(resume=_resume_value(decision))
        if pending and isinstance(decision, Decision):
            return Command(resume=decision.model_dump())
        # with `ask`, the drive loop asks about what is pending
        return _NOTHING if pending or not snapshot.tasks else None

    # -- driving ----------------------------------------------------------------

    def _synced(self) -> AbstractContextManager[None]:
        """A run's journal writes skip fsync; they are synced step by step (`_graph`).

        Each write still lands whole before the step's checkpoint is saved, so a
        killed run resumes with every entry exactly once (see `Journal.deferred_sync`).
        """
        return self.journal.deferred_sync()

    def _graph(self, settings: RunSettings, saver: Any) -> Any:
        """The coordinator of a run, its saver made to sync every step (`step_sync`)."""
        path = sqlite_path(self.checkpoint, root=self.journal.root)
        # Postgres: each commit is durable when it returns
        after = functools.partial(sync_wal, path) if path is not None else None
        saver = step_synced(saver, before=self.journal.flush, after=after)
        if path is not None and self._keeper is None:
            self._keeper = keep_open(path)
            weakref.finalize(self, self._keeper.close)
        return self._compiled(settings).copy(update={"checkpointer": saver})

    def _compiled(self, settings: RunSettings) -> Any:
        """The coordinator compiled for `settings`, without a saver, built once per Runner.

        It is a function of the catalog, the agent, the journal and the settings'
        entry, edges and policy alone (its nodes keep no state between runs), so the
        runs of one Runner share it; each run gets a copy with its own saver.
        """
        key = (settings.entry, settings.edges, settings.policy.model_dump_json(), id(self.agent))
        found = self._graphs.get(key)
        if found is None:
            found = self._graphs[key] = build_coordinator(
                catalog=self._coordination(settings.entry, settings.edges).catalog,
                entry=settings.entry,
                agent=self.agent,
                policy=settings.policy,
                journal=self.journal,
            )
        return found

    def _emit(self, chunk: Mapping[str, Any]) -> None:
        if self.on_event is None:
            return
        for update in chunk.values():
            if isinstance(update, Mapping):
                for event in update.get("events", ()):
                    self.on_event(event)

    def _result(
        self, snapshot: Any, approvals: tuple[ApprovalRequest, ...], reason: str
    ) -> RunResult:
        values: CoordinatorState = snapshot.values
        path = self.journal.path(values["task_id"])
        return result_of(
            values,
            journal=str(path) if path.exists() else None,
            approvals=approvals,
            reason=reason,
            refused_so_far=waiting_refusals(snapshot) if approvals else (),
        )

    def _closing(self, values: CoordinatorState, reason: str) -> dict[str, Any]:
        """Close what a run stopped from outside left open: journal files and state.

        Every unfinished subtask (the root last) is closed `blocked` with `reason` in
        the journal, the results are merged into the root's file, and the returned
        update records the same in the state, so a later `resume` finds a finished,
        blocked run instead of completing it.
        """
        return close_stopped(values, reason, JournalRecorder(self.journal))

    def _stop(self, values: CoordinatorState, reason: str, update_state: Any, config: Any) -> None:
        update_state(config, self._closing(values, reason), as_node=JOURNAL_NODE)

    def _drive(self, graph: Any, first: Any, task_id: str, policy: Policy) -> RunResult:
        config = _config(task_id, policy)
        current = first
        stopped = False
        while True:
            reason = ""
            if current is not _NOTHING:
                try:
                    for chunk in graph.stream(
                        current, config, stream_mode="updates", durability="sync"
                    ):
                        self._emit(chunk)
                except GraphRecursionError:
                    reason = f"guard: the recursion limit {policy.recursion_limit} was reached"
                    self._stop(graph.get_state(config).values, reason, graph.update_state, config)
            snapshot = graph.get_state(config)
            approvals = pending_approvals(snapshot)
            if approvals and self.ask is not None and not reason and not stopped:
                decisions = self.ask(approvals)
                # a person who stopped answering: carry out what they decided, ask no more
                stopped = len(decisions) < len(approvals)
                if decisions:
                    current = Command(resume=_resume_value(decisions))
                    continue
            return self._result(snapshot, approvals, reason)

    async def _adrive(self, graph: Any, first: Any, task_id: str, policy: Policy) -> RunResult:
        config = _config(task_id, policy)
        current = first
        stopped = False
        while True:
            reason = ""
            if current is not _NOTHING:
                try:
                    async for chunk in graph.astream(
                        current, config, stream_mode="updates", durability="sync"
                    ):
                        self._emit(chunk)
                except GraphRecursionError:
                    reason = f"guard: the recursion limit {policy.recursion_limit} was reached"
                    values = (await graph.aget_state(config)).values
                    update = self._closing(values, reason)
                    await graph.aupdate_state(config, update, as_node=JOURNAL_NODE)
            snapshot = await graph.aget_state(config)
            approvals = pending_approvals(snapshot)
            if approvals and self.ask is not None and not reason and not stopped:
                decisions = self.ask(approvals)
                # a person who stopped answering: carry out what they decided, ask no more
                stopped = len(decisions) < len(approvals)
                if decisions:
                    current = Command(resume=_resume_value(decisions))
                    continue
            return self._result(snapshot, approvals, reason)


def _check_reasons(decision: Decision | Decisions | None) -> None:
    """Refuse a rejection reason that is not UTF-8 (one decision or several by id)."""
    decisions = decision.values() if isinstance(decision, Mapping) else [decision]
    for each in decisions:
        if each is not None:
            _check_utf8(each.reason, "the rejection reason")


def _check_utf8(text: str, what: str) -> None:
    """Refuse text that cannot be written as UTF-8 (bytes the shell passed undecoded).

    Raises:
        ConfigError: `text` holds a lone surrogate: Python's stand-in for a byte of
            the command line that was not UTF-8.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ConfigError(
            f"{what} is not valid UTF-8 text (character {exc.start + 1} stands for the byte "
            f"{text[exc.start].encode('utf-8', 'surrogateescape')!r}); pass it in UTF-8, "
            "e.g. with a UTF-8 locale (LANG=C.UTF-8)"
        ) from None


def _nothing_waiting(values: CoordinatorState, *, unfinished: bool) -> str:
    task_id = values.get("task_id", "")
    if values.get("finished") and not unfinished:
        status = result_of(values, journal=None).status.value
        return (
            f"nothing is waiting for approval (status: {status}); "
            f"`modegraph journal show {task_id}` shows how it ended"
        )
    return (
        "nothing is waiting for approval (status: stopped before it finished); "
        f"continue it with `modegraph resume {task_id}` without --approve/--reject"
    )


_NOTHING = object()
"""Marks "do not run the graph, just read its state" (finished, or still waiting)."""
