"""`drive` runs the coordinator pass by pass and ends exactly where one streaming call ends.

The reference below is the local Runner's loop (`Runner._adrive`) with the recursion
limit as a parameter: the Runner derives its limit from the guards, so that guards
trip first and the limit is only a backstop; here it is swept over small values so the
limit lands on every kind of step. `drive` must give the same state, approvals and
reason, also when its host continues the run as a new one at every pass (as the
Temporal workflow does once its history is long).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.errors import GraphRecursionError
from langgraph.types import Command

from modegraph.agents.protocol import AgentReport, HandoffRequest, RoleTurn
from modegraph.coordinator import (
    ApprovalRule,
    Decision,
    Policy,
    Runner,
    build_coordinator,
    stored_settings,
)
from modegraph.coordinator.approvals import ApprovalRequest
from modegraph.coordinator.nodes import JOURNAL_NODE
from modegraph.coordinator.policy import Guard
from modegraph.coordinator.recorder import JournalRecorder, Recorder
from modegraph.coordinator.records import close_unfinished, new_state, order_key
from modegraph.coordinator.result import result_of
from modegraph.coordinator.state import CoordinatorState, EventRecord
from modegraph.engines import drive
from modegraph.engines.driving import pending_approvals
from modegraph.journal.store import Journal
from modegraph.modes.catalog import Catalog
from modegraph.modes.model import Mode, Reference
from modegraph.roles.coordination import EntryRule

TASK = "TASK-X-20260101-000000"


def _mode(slug: str, delegates: tuple[str, ...] = (), escalates: tuple[str, ...] = ()) -> Mode:
    return Mode(
        slug=slug,
        name=slug.title(),
        description=f"The {slug} role.",
        delegates_to=tuple(Reference(slug=s) for s in delegates),
        escalates_to=tuple(Reference(slug=s) for s in escalates),
    )


# r0 escalates to r1 (an approval with the `escalations` rule), then a chain to r5
CHAIN = Catalog(
    [_mode("r0", escalates=("r1",))]
    + [_mode(f"r{i}", (f"r{i + 1}",) if i < 5 else ()) for i in range(1, 6)]
)
# a fans out to b, c and d (d by escalation); b and d hand on to c
FAN = Catalog([_mode("a", ("b", "c"), ("d",)), _mode("b", ("c",)), _mode("c"), _mode("d", ("c",))])


class Chain:
    def run(self, turn: RoleTurn) -> AgentReport:
        if turn.results or turn.mode.slug == "r5":
            return AgentReport(summary=f"{turn.mode.slug} done")
        target = f"r{int(turn.mode.slug[1:]) + 1}"
        return AgentReport(summary="hands on", handoffs=(HandoffRequest(target=target, goal="g"),))

    async def arun(self, turn: RoleTurn) -> AgentReport:
        return self.run(turn)


class Fan:
    targets: Mapping[str, tuple[str, ...]] = {"a": ("b", "c", "d"), "b": ("c",), "d": ("c",)}

    def run(self, turn: RoleTurn) -> AgentReport:
        if turn.results or turn.refusals:
            return AgentReport(summary=f"{turn.mode.slug} done")
        handoffs = tuple(
            HandoffRequest(target=t, goal=f"part {t}") for t in self.targets.get(turn.mode.slug, ())
        )
        return AgentReport(summary="hands off", handoffs=handoffs)

    async def arun(self, turn: RoleTurn) -> AgentReport:
        return self.run(turn)


class Limit:
    """A policy whose recursion limit is set directly (the Runner's is derived)."""

    def __init__(self, policy: Policy, limit: int) -> None:
        self.policy, self.recursion_limit = policy, limit

    def __getattr__(self, name: str) -> Any:
        return getattr(self.policy, name)


def _graph(catalog: Catalog, agent: Any, policy: Policy) -> Any:
    entry = catalog.slugs[0]
    return build_coordinator(
        catalog=catalog, entry=entry, agent=agent, checkpointer=InMemorySaver(), policy=policy
    )


def _first(catalog: Catalog) -> CoordinatorState:
    return new_state(task_id=TASK, goal="the goal", entry=catalog.slugs[0])


async def _reference(catalog: Catalog, agent: Any, policy: Policy, limit: int, answers: int) -> Any:
    """The Runner's async loop, with `limit` as the recursion limit."""
    graph = _graph(catalog, agent, policy)
    config = {"configurable": {"thread_id": TASK}, "recursion_limit": limit}
    current: Any = _first(catalog)
    answered = 0
    while True:
        reason = ""
        try:
            async for _ in graph.astream(current, config, stream_mode="updates", durability="sync"):
                pass
        except GraphRecursionError:
            reason = f"guard: the recursion limit {limit} was reached"
            values = (await graph.aget_state(config)).values
            closed = close_unfinished(values["subtasks"], reason)
            merged = {**values["subtasks"], **closed}
            Recorder().finish(TASK, [merged[k] for k in sorted(merged, key=order_key)], [])
            guard = Guard.RECURSION_LIMIT.value
            update = {"subtasks": closed, "blocked": reason, "guard": guard, "finished": True}
            await graph.aupdate_state(config, update, as_node=JOURNAL_NODE)
        snapshot = await graph.aget_state(config)
        approvals = pending_approvals(snapshot)
        if approvals and not reason and answered < answers:
            answered += 1
            current = Command(resume=Decision(approved=True).model_dump())
            continue
        return snapshot.values, approvals, reason


class Host:
    """Answers up to `answers` approval rounds (all approved), records what it is told."""

    def __init__(self, answers: int, *, recorder: Recorder | None = None) -> None:
        self.recorder = recorder or Recorder()
        self.answers = answers
        self.events: list[EventRecord] = []
        self.passes = 0

    def emit(self, events: Sequence[EventRecord]) -> None:
        self.events.extend(events)

    async def between(self, values: CoordinatorState, *, stop: int) -> None:
        self.passes += 1

    async def ask(self, approvals: Sequence[ApprovalRequest]) -> Mapping[str, Decision] | None:
        if not self.answers:
            return None
        self.answers -= 1
        return {a.id: Decision(approved=True) for a in approvals}


class Continued(Exception):
    def __init__(self, values: CoordinatorState, stop: int) -> None:
        self.values, self.stop = values, stop


class ContinuingHost(Host):
    """Ends the run at every pass and continues it as a new one (a fresh graph)."""

    async def between(self, values: CoordinatorState, *, stop: int) -> None:
        raise Continued(values, stop)


async def _driven(
    catalog: Catalog, agent: Any, policy: Any, answers: int, *, continuing: bool
) -> tuple[Any, ...]:
    host = ContinuingHost(answers) if continuing else Host(answers)
    first: Any = _first(catalog)
    stop: int | None = None
    runs = 0
    while True:
        runs += 1
        try:
            out = await drive(
                _graph(catalog, agent, policy.policy),
                first,
                task_id=TASK,
                policy=policy,
                host=host,
                stop=stop,
            )
        except Continued as continued:
            first, stop = continued.values, continued.stop
            continue
        return out.values, out.approvals, out.reason, runs


ESCALATIONS = Policy(approve=ApprovalRule.parse("escalations"))
# recursion limits swept: the first steps, and around the end of the run (the fan needs
# 12 steps, the chain 30); the sweep must both stop runs and let them finish
FAN_LIMITS = [*range(1, 14)]
CHAIN_LIMITS = [*range(1, 6), 28, 29, 30]
CASES: list[tuple[str, Catalog, Callable[[], Any], Policy, int, list[int]]] = [
    ("chain", CHAIN, Chain, Policy(), 0, CHAIN_LIMITS),
    ("fan", FAN, Fan, Policy(), 0, FAN_LIMITS),
    ("chain, one approval", CHAIN, Chain, ESCALATIONS, 3, CHAIN_LIMITS),
    ("fan, approvals", FAN, Fan, Policy(approve=ApprovalRule.parse("tier:worker")), 3, FAN_LIMITS),
    ("fan, approvals unanswered", FAN, Fan, ESCALATIONS, 0, FAN_LIMITS[:6]),
]


def _events_free(values: CoordinatorState) -> dict[str, Any]:
    # a continued run replays events in state order, not stream order
    return {**values, "events": sorted(map(repr, values["events"]))}


@pytest.mark.parametrize(("name", "catalog", "agent", "policy", "answers", "limits"), CASES)
def test_drive_stops_where_one_call_stops_for_every_limit(
    name: str,
    catalog: Catalog,
    agent: Callable[[], Any],
    policy: Policy,
    answers: int,
    limits: list[int],
) -> None:
    async def sweep() -> list[int]:
        stopped = []
        for limit in limits:
            want = await _reference(catalog, agent(), policy, limit, answers)
            got = await _driven(catalog, agent(), Limit(policy, limit), answers, continuing=False)
            assert got[:3] == want, f"{name}, recursion limit {limit}"
            cont = await _driven(catalog, agent(), Limit(policy, limit), answers, continuing=True)
            assert (_events_free(cont[0]), cont[1], cont[2]) == (
                _events_free(want[0]),
                want[1],
                want[2],
            ), f"{name}, recursion limit {limit}, continued at every pass"
            if want[2]:
                stopped.append(limit)
        return stopped

    stopped = asyncio.run(sweep())
    assert stopped, "the sweep never reached the recursion limit: it tests nothing"
    if answers or name == "fan":
        assert stopped != limits, "the sweep never let the run finish"


def test_drive_with_the_real_policy_writes_the_journal_the_runner_writes(
    tmp_path: Path, same_journal: Any
) -> None:
    goal = "the goal"
    local = Runner(catalog=FAN, agent=Fan(), journal_root=tmp_path / "local").start(goal)
    journal = Journal(tmp_path / "driven")
    graph = build_coordinator(
        catalog=FAN, entry="a", agent=Fan(), checkpointer=InMemorySaver(), journal=journal
    )
    host = Host(0, recorder=JournalRecorder(journal))
    stored = stored_settings(local.task_id, journal_root=tmp_path / "local")
    assert stored.entry_choice is not None and stored.entry_choice.rule is EntryRule.COORDINATOR
    state = new_state(
        task_id=local.task_id,
        goal=goal,
        entry="a",
        settings=stored.model_dump(mode="json"),
        reason=stored.entry_choice.reason,
    )
    out = asyncio.run(drive(graph, state, task_id=local.task_id, policy=Policy(), host=host))
    driven = result_of(out.values, journal=local.journal)
    assert driven == local
    assert host.passes >= 3
    assert [e["kind"] for e in host.events].count("handoff") == 5
    want = same_journal(tmp_path / "local", local.task_id)
    assert same_journal(tmp_path / "driven", local.task_id) == want
    assert len(want) == 6
