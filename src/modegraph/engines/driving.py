"""`drive`: run a compiled coordinator to its end, or to an approval stop, pass by pass.

The local `Runner` streams the graph in one call from the start (or from a resume)
to the end. An engine that needs control between the coordinator's steps calls
`drive` instead: it streams the graph up to the next *pass*, a step where one node
runs alone and routes (a role node called by name, or the journal node; the state
names it in `next_solo`), using LangGraph's `interrupt_before`, and hands control to
its `DriveHost` there. Before a pass no role turn is in flight and the state holds
every report, so the Temporal workflow can flush the journal, check its history size
and continue as a new run from that state (which starts at that node again).

The outcome is the Runner's, step for step:

- the recursion limit stops the run on the step where one streaming call would
  stop it (each chunk gets the limit that puts its stop there), and a run it stops
  is closed `blocked` the same way (`close_unfinished`, journalled, merged into the
  root);
- approvals: the pending requests go to `DriveHost.ask`; its decisions resume the
  graph (`Command(resume=...)`), a partial answer is carried out and the rest asked
  again, and no answer leaves the run `waiting_approval`.

Example:
    ```python
    outcome = await drive(graph, new_state(...), task_id=task_id, policy=policy, host=host)
    result = result_of(outcome.values, journal=None, approvals=outcome.approvals,
                       reason=outcome.reason)
    ```
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from langgraph.constants import START
from langgraph.errors import GraphRecursionError
from langgraph.types import Command

from modegraph.coordinator.approvals import ApprovalRequest, Decision
from modegraph.coordinator.nodes import JOURNAL_NODE
from modegraph.coordinator.policy import Policy
from modegraph.coordinator.recorder import Recorder
from modegraph.coordinator.runner import close_stopped, pending_approvals, waiting_refusals
from modegraph.coordinator.state import CoordinatorState, EventRecord

__all__ = ["DriveHost", "DriveOutcome", "drive", "pending_approvals"]


class DriveHost(Protocol):
    """What `drive` needs from the engine that runs it."""

    recorder: Recorder
    """Where the closing of a run the recursion limit stopped is journalled."""

    def emit(self, events: Sequence[EventRecord]) -> None:
        """Take the events of one node's update, as the run goes."""
        ...

    async def between(self, values: CoordinatorState, *, stop: int) -> None:
        """Called before each pass after a call's first.

        No role turn is in flight: the state is complete. A host may end the run here
        and continue it as a new one: `drive(graph, values, ..., stop=stop)`.

        Args:
            values: The state.
            stop: The last step the recursion limit allows, counted from `values`
                as a new input.
        """
        ...

    async def ask(self, approvals: Sequence[ApprovalRequest]) -> Mapping[str, Decision] | None:
        """Decisions on the pending approvals; None (or empty) leaves them waiting."""
        ...


@dataclass(frozen=True)
class DriveOutcome:
    """Where a run stands when `drive` returns."""

    values: CoordinatorState
    """The final (or waiting) state."""
    approvals: tuple[ApprovalRequest, ...]
    """Requests still waiting for a person (status `waiting_approval`)."""
    reason: str
    """Why the run was stopped from outside (the recursion limit); empty otherwise."""
    refused: tuple[dict[str, str], ...] = ()
    """Handoffs rejected while others still wait (`runner.waiting_refusals`)."""


_FRESH = -2
"""The checkpoint step a new thread starts from: its input is step -1, LangGraph's
`__start__` step 0, the first pass step 1."""


async def drive(
    graph: Any,
    first: Any,
    *,
    task_id: str,
    policy: Policy,
    host: DriveHost,
    stop: int | None = None,
) -> DriveOutcome:
    """Run `graph` from `first` (a new state, or a continued run's state) to a stop.

    Args:
        graph: The compiled coordinator, with a checkpointer (an in-memory one does).
        first: The input: `new_state(...)`, or the state a previous run continued
            from (then `stop` is the one `DriveHost.between` was given there).
        task_id: The run's task id (the checkpoint thread id).
        policy: The run's guards (its `recursion_limit`).
        host: The engine's side: events, the hook between passes, approvals.
        stop: The last step the recursion limit allows, counted from this input;
            `policy.recursion_limit` for a new run.

    Returns:
        The state and the pending approvals when the run finished, was stopped by the
        recursion limit, or waits for approvals `host.ask` did not give.
    """
    config: dict[str, Any] = {"configurable": {"thread_id": task_id}}
    current, at = first, _FRESH
    last = policy.recursion_limit if stop is None else stop
    while True:
        reason = ""
        try:
            await _run_to_stop(graph, current, config, host, at=at, stop=last)
        except GraphRecursionError:
            reason = f"guard: the recursion limit {policy.recursion_limit} was reached"
            values = (await graph.aget_state(config)).values
            update = close_stopped(values, reason, host.recorder)
            await graph.aupdate_state(config, update, as_node=JOURNAL_NODE)
        snapshot = await graph.aget_state(config)
        approvals = pending_approvals(snapshot)
        if approvals and not reason:
            decisions = await host.ask(approvals)
            if decisions:
                current = Command(resume={key: d.model_dump() for key, d in decisions.items()})
                # a resume is a new streaming call: LangGraph counts its limit from here
                at = snapshot.metadata["step"]
                last = at + policy.recursion_limit + 2
                continue
        refused = tuple(waiting_refusals(snapshot)) if approvals else ()
        return DriveOutcome(
            values=snapshot.values, approvals=approvals, reason=reason, refused=refused
        )


async def _run_to_stop(
    graph: Any, current: Any, config: dict[str, Any], host: DriveHost, *, at: int, stop: int
) -> None:
    """Stream pass by pass until the run ends or waits for approval.

    LangGraph runs the steps of one call up to `stop` (the step of its starting
    checkpoint + 1 + `recursion_limit` + 1), and reports the limit reached when the
    run needs a step past it, or ends on it. Each chunk here is given the limit that
    puts its own stop on the same step, so the run stops where one call would.

    Args:
        graph: The compiled coordinator.
        current: The input of the first chunk (None to continue).
        config: The thread's config.
        host: Called between passes.
        at: The step of the checkpoint the first chunk starts from.
        stop: The last step allowed.

    Raises:
        GraphRecursionError: the recursion limit stopped the run (as one call would).
    """
    passes = 0
    nodes = [name for name in graph.nodes if name != START]
    while True:
        allowed = stop - at
        if allowed <= 0:
            raise GraphRecursionError("the recursion limit was reached")
        if passes:
            snapshot = await graph.aget_state(config)
            if _solo_next(snapshot):
                await host.between(snapshot.values, stop=allowed)
        # the chunk's own stop lands on `stop`; LangGraph takes no limit under 1, so
        # the last two steps are bounded by interrupting instead
        chunk: dict[str, Any] = {"interrupt_before": nodes}
        if allowed == 1:
            chunk = {"interrupt_after": "*"}
        limit = {"recursion_limit": max(allowed - 2, 1)}
        stream = graph.astream(
            current, {**config, **limit}, stream_mode="updates", durability="sync", **chunk
        )
        # closed here, on this event loop, also when the run is torn down mid-step (a
        # Temporal worker evicting the workflow), not later by the garbage collector
        async with contextlib.aclosing(stream):
            async for update in stream:
                passes += any(name in update for name in nodes)
                _emit(update, host)
        snapshot = await graph.aget_state(config)
        at, current = snapshot.metadata["step"], None
        if snapshot.interrupts:
            return
        if not snapshot.next:
            if at >= stop:
                raise GraphRecursionError("the recursion limit was reached")
            return


def _solo_next(snapshot: Any) -> bool:
    """True when the next step is a pass: one node that runs alone (`next_solo`).

    Before it no role turn is in flight and the state holds every report; a run
    continued as a new one from this state starts at that node (`steps.start`).
    """
    return len(snapshot.next) == 1 and snapshot.values.get("next_solo") == snapshot.next[0]


def _emit(chunk: Mapping[str, Any], host: DriveHost) -> None:
    for update in chunk.values():
        if isinstance(update, Mapping) and update.get("events"):
            host.emit(update["events"])
