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
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from langgraph.errors import GraphRecursionError
from langgraph.types import Command
from pydantic import BaseModel, ConfigDict, Field

from modegraph.agents.protocol import Agent
from modegraph.coordinator.approvals import ApprovalRequest, Decision
from modegraph.coordinator.build import build_coordinator, check_entry
from modegraph.coordinator.nodes import JOURNAL_NODE
from modegraph.coordinator.persistence import acheckpointer, check_checkpoint, checkpointer
from modegraph.coordinator.policy import Policy
from modegraph.coordinator.recorder import JournalRecorder
from modegraph.coordinator.records import close_unfinished, new_state, order_key
from modegraph.coordinator.result import RunResult, result_of
from modegraph.coordinator.state import CoordinatorState, EventRecord
from modegraph.errors import ApprovalError, CatalogError, JournalError
from modegraph.journal.ids import prefix_for_mode
from modegraph.journal.store import DEFAULT_JOURNAL_ROOT, Journal
from modegraph.modes.catalog.catalog import Catalog
from modegraph.roles.escalation import EscalationGraph
from modegraph.roles.levels import parse_level

__all__ = [
    "AskApprovals",
    "OnEvent",
    "RunSettings",
    "Runner",
    "default_entry",
    "stored_settings",
]

OnEvent = Callable[[EventRecord], None]
"""Called with each event as the run goes (a role's turn, a handoff, a refusal, ...)."""
AskApprovals = Callable[[Sequence[ApprovalRequest]], Mapping[str, Decision]]
"""Asks a person about pending handoffs and commands; returns a decision per request id."""


class RunSettings(BaseModel):
    """How a run was started; stored in its checkpoint so `resume` can rebuild it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    entry: str
    """Slug of the entry role."""
    policy: Policy = Field(default_factory=Policy)
    """The guards."""
    modes: tuple[str, ...] = ()
    """The `--modes` sources the catalog was loaded with."""
    bundled: bool = True
    """Whether the bundled library was the catalog's lowest layer."""
    aliases: dict[str, str] = Field(default_factory=dict)
    """`--alias` values the catalog was loaded with."""
    model: str | None = None
    """`--model provider:model`, or None for the rule agent."""
    workspace: str | None = None
    """`--workspace DIR` as an absolute path: the sandbox of the roles' tools (None:
    the run had no tools)."""
    yes: bool = False
    """`--yes`: every command may run (AllowAll); otherwise commands not in
    `commands.allow` wait for a person's approval."""


def default_entry(catalog: Catalog) -> str:
    """The catalog's coordinator: the highest-tier mode, most delegations first.

    Raises:
        CatalogError: the catalog is empty.
    """
    check_entry(catalog, next(iter(catalog.slugs), ""))
    graph = EscalationGraph.from_catalog(catalog)

    def key(slug: str) -> tuple[int, int, int]:
        tier = parse_level(catalog[slug].level).tier
        delegations = sum(1 for e in graph.targets(slug) if not e.missing)
        return (tier.rank, -delegations, catalog.slugs.index(slug))

    return min(catalog.slugs, key=key)


def _config(task_id: str, policy: Policy) -> dict[str, Any]:
    return {"configurable": {"thread_id": task_id}, "recursion_limit": policy.recursion_limit}


def _pending(snapshot: Any) -> tuple[ApprovalRequest, ...]:
    found: list[ApprovalRequest] = []
    for item in getattr(snapshot, "interrupts", ()) or ():
        value = getattr(item, "value", None)
        if isinstance(value, Mapping):
            found.extend(ApprovalRequest.model_validate(a) for a in value.get("approvals", ()))
    return tuple(found)


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
    ) -> None:
        self.catalog = catalog
        self.agent = agent
        self.policy = policy or Policy()
        self.journal = Journal(journal_root)
        check_checkpoint(checkpoint)
        self.checkpoint = checkpoint
        self.on_event = on_event
        self.ask = ask

    # -- starting ---------------------------------------------------------------

    def _prepare(
        self, goal: str, entry: str | None, settings: RunSettings | None
    ) -> tuple[RunSettings, CoordinatorState]:
        slug = entry or (settings.entry if settings else None) or default_entry(self.catalog)
        check_entry(self.catalog, slug)
        if not goal.strip():
            raise CatalogError('the goal is empty; say what the task is: modegraph run "GOAL"')
        stored = (settings or RunSettings(entry=slug)).model_copy(
            update={"entry": slug, "policy": self.policy}
        )
        task_id = self.journal.new_task_id(prefix_for_mode(slug))
        state = new_state(
            task_id=task_id, goal=goal, entry=slug, settings=stored.model_dump(mode="json")
        )
        return stored, state

    def start(
        self, goal: str, *, entry: str | None = None, settings: RunSettings | None = None
    ) -> RunResult:
        """Run a new task from `entry` (the catalog's coordinator by default)."""
        stored, state = self._prepare(goal, entry, settings)
        with checkpointer(self.checkpoint, root=self.journal.root) as saver, self._synced():
            graph = self._graph(stored, saver)
            return self._drive(graph, state, state["task_id"], stored.policy)

    async def astart(
        self, goal: str, *, entry: str | None = None, settings: RunSettings | None = None
    ) -> RunResult:
        """`start`, asynchronously (role turns use `Agent.arun`)."""
        stored, state = self._prepare(goal, entry, settings)
        async with acheckpointer(self.checkpoint, root=self.journal.root) as saver:
            graph = self._graph(stored, saver)
            with self._synced():
                return await self._adrive(graph, state, state["task_id"], stored.policy)

    # -- resuming ---------------------------------------------------------------

    def resume(self, task_id: str, *, decision: Decision | None = None) -> RunResult:
        """Continue a run that crashed or stopped for approval.

        Args:
            task_id: The run's task id.
            decision: The answer to every pending approval; without one, `ask` is
                used, and without that the run stays `waiting_approval`.

        Raises:
            JournalError: no run with this task id has a checkpoint.
            ApprovalError: a decision is given but nothing waits for approval.
        """
        with checkpointer(self.checkpoint, root=self.journal.root, must_exist=True) as saver:
            settings = _settings_in(saver.get_tuple(_config(task_id, self.policy)), task_id)
            graph = self._graph(settings, saver)
            command = self._resume_input(graph, task_id, settings.policy, decision)
            with self._synced():
                return self._drive(graph, command, task_id, settings.policy)

    async def aresume(self, task_id: str, *, decision: Decision | None = None) -> RunResult:
        """`resume`, asynchronously."""
        async with acheckpointer(self.checkpoint, root=self.journal.root, must_exist=True) as saver:
            found = await saver.aget_tuple(_config(task_id, self.policy))
            settings = _settings_in(found, task_id)
            graph = self._graph(settings, saver)
            snapshot = await graph.aget_state(_config(task_id, settings.policy))
            command = self._command_for(snapshot, decision)
            with self._synced():
                return await self._adrive(graph, command, task_id, settings.policy)

    def _resume_input(
        self, graph: Any, task_id: str, policy: Policy, decision: Decision | None
    ) -> Any:
        return self._command_for(graph.get_state(_config(task_id, policy)), decision)

    def _command_for(self, snapshot: Any, decision: Decision | None) -> Any:
        pending = _pending(snapshot)
        if decision is not None and not pending:
            raise ApprovalError(_nothing_waiting(snapshot.values))
        if pending and decision is not None:
            return Command(resume=decision.model_dump())
        # with `ask`, the drive loop asks about what is pending
        return _NOTHING if pending or not snapshot.next else None

    # -- driving ----------------------------------------------------------------

    def _synced(self) -> AbstractContextManager[None]:
        """A run's journal writes skip fsync, and are synced once when the run returns.

        Each write still lands whole before the step's checkpoint is saved, so a
        killed run resumes with every entry exactly once (see `Journal.deferred_sync`).
        """
        return self.journal.deferred_sync()

    def _graph(self, settings: RunSettings, saver: Any) -> Any:
        return build_coordinator(
            catalog=self.catalog,
            entry=settings.entry,
            agent=self.agent,
            checkpointer=saver,
            policy=settings.policy,
            journal=self.journal,
        )

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
            values, journal=str(path) if path.exists() else None, approvals=approvals, reason=reason
        )

    def _closing(self, values: CoordinatorState, reason: str) -> dict[str, Any]:
        """Close what a run stopped from outside left open: journal files and state.

        Every unfinished subtask (the root last) is closed `blocked` with `reason` in
        the journal, the results are merged into the root's file, and the returned
        update records the same in the state, so a later `resume` finds a finished,
        blocked run instead of completing it.
        """
        subtasks = values.get("subtasks", {})
        closed = close_unfinished(subtasks, reason)
        recorder = JournalRecorder(self.journal)
        for rec in closed.values():
            recorder.open(rec, root=values["task_id"])
            recorder.close(rec)
        merged = {**subtasks, **closed}
        ordered = [merged[k] for k in sorted(merged, key=order_key)]
        recorder.finish(values["root"], ordered, values.get("refused", []))
        return {"subtasks": closed, "blocked": reason, "finished": True}

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
            approvals = _pending(snapshot)
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
            approvals = _pending(snapshot)
            if approvals and self.ask is not None and not reason and not stopped:
                decisions = self.ask(approvals)
                # a person who stopped answering: carry out what they decided, ask no more
                stopped = len(decisions) < len(approvals)
                if decisions:
                    current = Command(resume=_resume_value(decisions))
                    continue
            return self._result(snapshot, approvals, reason)


def _nothing_waiting(values: CoordinatorState) -> str:
    task_id = values.get("task_id", "")
    if values.get("finished"):
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


def _settings_in(found: Any, task_id: str) -> RunSettings:
    if found is None:
        raise JournalError(
            f"no run with task id {task_id!r} has a checkpoint here; check the id with "
            "`modegraph journal list`, and pass the same --journal and --checkpoint as the run"
        )
    values = found.checkpoint.get("channel_values", {})
    return RunSettings.model_validate(values.get("settings") or {"entry": values["entry"]})


def stored_settings(
    task_id: str, *, journal_root: Path | str = DEFAULT_JOURNAL_ROOT, checkpoint: str | None = None
) -> RunSettings:
    """The settings a run was started with (to rebuild its catalog and agent for resume).

    Raises:
        JournalError: no run with this task id has a checkpoint.
    """
    with checkpointer(checkpoint, root=Path(journal_root), must_exist=True) as saver:
        found = saver.get_tuple({"configurable": {"thread_id": task_id}})
        return _settings_in(found, task_id)
