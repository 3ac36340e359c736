"""Where the coordinator routes and where role turns run: the nodes' functions.

Each superstep of a run is one of two kinds:

- **solo**: one node runs alone, triggered by name, with the whole state. It runs
  the routing pass (`router.Pass`): it routes the reports waiting in the state,
  then dispatches the next turns. When what it dispatches is exactly one turn of
  its own role, it runs that turn itself (inline), routes the report and goes on;
  when it is one turn of another role, the run goes to that role's node by name
  (the next solo step); when it is several turns, they are sent together.
- **group**: turns sent together (`Send`) run in parallel, each in its role's node,
  each only its own turn. Each then goes to the group's *rendezvous* (its first
  requester's node, by name), which LangGraph runs once, alone, when they have all
  reported: the next solo step routes every report of the group at once.

So routing always runs where the state is whole, as it did when a separate router
node ran after every step, and every check (refusals, guards, approvals, budgets,
outcomes, the repeat guard, spend) stays in the one `Pass`; but a hop costs one
superstep instead of two. The task "the FastAPI developer hands three parts to three
specialists and integrates their results" takes the same five supersteps as a
hand-written `StateGraph` (input, start, the developer, the three specialists in
parallel, the developer again).

Approvals are asked by the journal node only (`interrupt`): a role node that finds
something to ask goes there by name instead, so that answering never runs a role's
turn (an LLM call) a second time. The journal node is also where the run starts
when its input state is not a new task (`start`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any

from langgraph.graph import END
from langgraph.types import Command, Send

from modegraph.coordinator.node_runnable import NodeRunnable
from modegraph.coordinator.nodes import JOURNAL_NODE, Runtime, Turn
from modegraph.coordinator.records import is_terminal
from modegraph.coordinator.router import Pass
from modegraph.coordinator.state import CoordinatorState, SubtaskStatus, TurnPayload

__all__ = ["journal_node", "role_node", "start"]

Steps = Generator[TurnPayload, dict[str, Any], Command[Any]]
"""A solo step: yields each turn to run inline, receives its update, returns the result."""


def advance(runtime: Runtime, state: CoordinatorState, *, role: str | None) -> Steps:
    """One solo step of the node of `role` (the journal node when None)."""
    work = Pass(runtime, state)
    unrouted = work.snapshot()
    for rec in work.ordered():
        if rec["status"] == SubtaskStatus.REPORTED.value:
            work.route_report(rec)
    while True:
        if role is not None and work.asks():
            # what this step routed stays `reported`: the journal node routes it again,
            # asks, and commits the routing only with the answers (as if asked here)
            work.restore(unrouted)
            return _goto(work, state, JOURNAL_NODE)
        work.ask_approvals()  # asks (interrupt) in the journal node only, see above
        mark = work.mark()
        work.dispatch()
        work.share_budget()
        root = work.subtasks[state["root"]]
        work.stalled(root)
        if is_terminal(root):
            work.finish_run(state["root"])
            update = work.update()
            update["finished"] = True
            if state.get("next_solo"):
                update["next_solo"] = ""
            return Command(update=update, goto=END)
        if len(work.sends) == 1 and work.sends[0].node == role:
            payload: TurnPayload = work.sends.pop().arg
            reported = work.absorb((yield payload))
            unrouted = work.snapshot()
            work.route_report(reported)
            continue
        other = work.hand_over(mark)
        if other is not None:
            return _goto(work, state, other)
        rendezvous = work.rendezvous()
        for send in work.sends:
            send.arg["rendezvous"] = rendezvous
        return _goto(work, state, "", sends=list(work.sends))


def _goto(
    work: Pass, state: CoordinatorState, node: str, *, sends: list[Send] | None = None
) -> Command[Any]:
    """The step's result: its update, then `node` alone by name, or the group `sends`.

    The update says which node runs alone next (`next_solo`), when that changes.
    """
    update = work.update()
    if state.get("next_solo", "") != node:
        update["next_solo"] = node
    return Command(update=update, goto=sends if sends is not None else node)


def _drive(steps: Steps, turn: Callable[[TurnPayload], dict[str, Any]]) -> Command[Any]:
    try:
        payload = next(steps)
        while True:
            payload = steps.send(turn(payload))
    except StopIteration as done:
        result: Command[Any] = done.value
        return result


async def _adrive(
    steps: Steps, turn: Callable[[TurnPayload], Awaitable[dict[str, Any]]]
) -> Command[Any]:
    try:
        payload = next(steps)
        while True:
            payload = steps.send(await turn(payload))
    except StopIteration as done:
        result: Command[Any] = done.value
        return result


def role_node(
    runtime: Runtime, slug: str, turn: Turn
) -> tuple[Callable[[Any], Command[Any]], Callable[[Any], Awaitable[Command[Any]]]]:
    """The sync and async functions of the node of the role `slug`.

    Called by name with the state: a solo step (`advance`). Called by a `Send` with a
    `TurnPayload`: one turn of a group, then its rendezvous.
    """

    def run(value: Any) -> Command[Any]:
        if "subtasks" in value:
            return _drive(advance(runtime, value, role=slug), turn.run)
        return _rendezvous(turn.run(value), value)

    async def arun(value: Any) -> Command[Any]:
        if "subtasks" in value:
            return await _adrive(advance(runtime, value, role=slug), turn.arun)
        return _rendezvous(await turn.arun(value), value)

    return run, arun


def _rendezvous(update: dict[str, Any], payload: TurnPayload) -> Command[Any]:
    """A group turn's result: its update, then the group's rendezvous, which runs alone."""
    node = payload.get("rendezvous") or JOURNAL_NODE
    return Command(update={**update, "next_solo": node}, goto=node)


def journal_node(runtime: Runtime) -> Callable[[CoordinatorState], Command[Any]]:
    """The journal node's function: solo steps that ask approvals and run no turn."""

    def journal(state: CoordinatorState) -> Command[Any]:
        return _drive(advance(runtime, state, role=None), _no_turn)

    return journal


def _no_turn(payload: TurnPayload) -> dict[str, Any]:  # pragma: no cover - never yielded
    raise AssertionError("the journal node runs no turn")


def start(entry: str, nodes: frozenset[str]) -> NodeRunnable:
    """Where a run starts: the entry role's node for a new task, else where it stood.

    A state that says which node runs alone next (`next_solo`: an engine continuing a
    run as a new one) starts at that node, taking the steps the run would have taken;
    any other starts at the journal node, which routes what the state holds.
    """

    def first(state: CoordinatorState) -> str:
        root = state["subtasks"][state["root"]]
        if root["status"] == SubtaskStatus.PENDING.value and root["role"] == entry:
            return entry
        hint = state.get("next_solo", "")
        return hint if hint in nodes or hint == JOURNAL_NODE else JOURNAL_NODE

    async def afirst(state: CoordinatorState) -> str:  # no worker thread for a pure choice
        return first(state)

    return NodeRunnable(first, afirst, name="start")
