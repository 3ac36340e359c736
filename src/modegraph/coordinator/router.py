"""The coordinator's routing: one pass over the state, shared by every node.

`Pass` takes the state as one node sees it (a working copy) and does all of the
coordinator's deciding: it routes each role's report — checking every handoff
against the escalation graph and the guards, refusing what is not allowed — holds
handoffs that need a person's approval and the commands a role's tools deferred to
one (`_router_approvals`, `command_gate`), merges finished children's results into
the journal and returns them to the role that asked (the boomerang), and dispatches
the next turns, several at once when there are several. `steps` runs it where the
state is whole: in the one node of a superstep that runs alone (a role node or the
journal node), so the subtask count is exact even when branches run in parallel.
The LLM budget is kept by reservation: every turn sent reserves at least one call,
no turn is sent once the calls spent plus those reserved reach the budget, and the
turns sent together share what is left (`RoleTurn.llm_calls_left`, `tokens_left`,
`cost_left`); an agent that honours its share (the chat agent does) keeps the run
within budget.
A model that repeats itself is stopped early (`_repeats`): its subtask ends
`blocked` instead of getting another turn. A handoff a person rejected trips a
guard, so a run whose requested work was rejected never ends `completed`; the role
still hears why on its next turn.
Every journal write has a stable entry id, so a node that runs again after a crash
or an approval writes nothing twice.

Longer than 400 lines: one pass reads every report and decides every handoff
(refusals, guards, approvals, budgets, outcomes) against one working copy of the
state; its helpers live in `_router_approvals`, `_repeats`, `outcomes`, and where it
runs in `steps`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from langgraph.types import Send

from modegraph.agents.protocol import ReportStatus
from modegraph.coordinator import _router_approvals as approvals
from modegraph.coordinator._repeats import repeated
from modegraph.coordinator.approvals import ApprovalRequest, Decision
from modegraph.coordinator.nodes import JOURNAL_NODE, Runtime, event
from modegraph.coordinator.outcomes import finish_status, record_uncovered, refused_part
from modegraph.coordinator.policy import Guard, budget_shares, cost_shares
from modegraph.coordinator.records import (
    blocked_summary,
    child_result,
    is_terminal,
    new_subtask,
    order_key,
    spend_text,
)
from modegraph.coordinator.routing import check_handoff
from modegraph.coordinator.state import (
    CoordinatorState,
    EventRecord,
    RefusalRecord,
    SubtaskRecord,
    SubtaskStatus,
    TurnPayload,
    UncoveredRecord,
    edge_kind_value,
)
from modegraph.errors import GuardTripped, HandoffRefused
from modegraph.journal.ids import child_task_id
from modegraph.journal.model import EntryKind
from modegraph.modes.model import EdgeKind

__all__ = ["Mark", "Pass"]


@dataclass(frozen=True)
class Mark:
    """Where a pass stood before a dispatch (`Pass.mark`), to tell what it changed."""

    changed: frozenset[str]
    """The subtasks changed so far."""
    events: int
    """Events so far."""
    refused: int
    """Refusals so far."""
    blocked: str
    """The guard tripped so far, if any."""


class Pass:
    """One routing pass of a node: a working copy of the state and what it adds."""

    def __init__(self, runtime: Runtime, state: CoordinatorState) -> None:
        self.rt = runtime
        self.task_id = state["task_id"]
        self.subtasks: dict[str, SubtaskRecord] = {
            k: SubtaskRecord(**v) for k, v in state.get("subtasks", {}).items()
        }
        self.changed: set[str] = set()
        self.refused: list[RefusalRecord] = []
        self.events: list[EventRecord] = []
        self.blocked = state.get("blocked", "")
        self.new_blocked = ""
        self.new_guard = ""
        self.llm_calls = state.get("llm_calls", 0)
        self.tokens = state.get("tokens", 0)
        self.cost = state.get("cost", 0.0)
        self.earlier_refused: list[RefusalRecord] = list(state.get("refused", []))
        self.told: list[RefusalRecord] = []
        """Refusals of this pass that the roles have heard of (before an inline turn)."""
        self.sends: list[Send] = []
        self.spent: dict[str, Any] = {}
        """What the turns run inside this pass spent (`absorb`), for the update."""
        self.undo: dict[str, tuple[str, bool, int]] = {}
        """Per subtask dispatched: its status before, whether it had changed, its event."""
        self._order: list[str] | None = None
        """The subtask ids in tree order, while no subtask is added (`ordered`)."""

    # helpers
    def ordered(self) -> list[SubtaskRecord]:
        """Every subtask, in tree order (the root first)."""
        if self._order is None:
            self._order = sorted(self.subtasks, key=order_key)
        return [self.subtasks[k] for k in self._order]

    def put(self, rec: SubtaskRecord) -> None:
        """Keep `rec` as the subtask's new record (it goes into the update)."""
        if rec["id"] not in self.subtasks:
            self._order = None
        self.subtasks[rec["id"]] = rec
        self.changed.add(rec["id"])

    def trip(self, reason: str, guard: Guard | None) -> None:
        """Stop the run, blocked, for `reason` (a guard's, or None: a person's rejection)."""
        if not self.blocked and not self.new_blocked:
            self.new_blocked, self.new_guard = reason, guard.value if guard else ""

    def reserved(self) -> int:
        """Subtasks created or held for approval (the root not counted)."""
        count = len(self.subtasks) - 1
        return count + sum(len(r["approvals"]) for r in self.subtasks.values())

    def finish(self, rec: SubtaskRecord) -> None:
        """Close a subtask whose role finished: completed, or incomplete (see `outcomes`)."""
        status, why = finish_status(rec, self.subtasks)
        if status is SubtaskStatus.INCOMPLETE:
            self.note_uncovered(rec, rec.get("refused_parts", []) if not rec["children"] else [])
            rec["outcome"] = "Incomplete"
            rec["summary"] = f"Incomplete ({'; '.join(why)}). {rec['summary']}".strip()
        self.close(rec, status)

    def note_uncovered(self, rec: SubtaskRecord, parts: list[UncoveredRecord]) -> None:
        """Journal each part not done, tell the live view, keep it on `rec`."""
        self.events.extend(record_uncovered(self.rt.recorder, rec, parts))
        self.put(rec)

    def close(self, rec: SubtaskRecord, status: SubtaskStatus, reason: str = "") -> None:
        """End a subtask with `status`; its result goes to its parent's journal."""
        tripped = self.blocked or self.new_blocked
        finished = status in (SubtaskStatus.COMPLETED, SubtaskStatus.INCOMPLETE)
        if finished and rec["parent"] is None and tripped:
            # the root's own work is done, but a guard (or a person's rejection) stopped
            # part of the run: it closes blocked, once (never "Completed" then "Blocked")
            status, reason = SubtaskStatus.BLOCKED, tripped
            rec["outcome"] = "Blocked"
            rec["summary"] = blocked_summary(rec["summary"], tripped)
        rec["status"] = status.value
        if reason:
            rec["blocked_reason"] = reason
            if not rec["summary"]:
                rec["summary"] = reason
        rec["report"] = None
        self.put(rec)
        self.rt.recorder.close(rec)
        done = event("done", rec, rec["summary"] or reason)
        done["status"] = status.value
        self.events.append(done)
        parent_id = rec["parent"]
        if parent_id is not None:
            result = child_result(rec)
            self.rt.recorder.entry(
                parent_id,
                f"result:{rec['id']}",
                EntryKind.RESULT,
                f"{rec['role']} ({rec['id']}) {result.status.value}: {result.summary}",
            )

    # routing one report
    def route_report(self, rec: SubtaskRecord) -> None:
        """Route the report of a `reported` subtask: its handoffs, approvals, its end."""
        report = rec["report"]
        assert report is not None
        turn = rec["turns"]
        rec["summary"], rec["outcome"] = report["summary"], report["outcome"]
        rec["references"] = list(dict.fromkeys([*rec["references"], *report["references"]]))
        if turn == 1 and report["notes"]:
            rec["notes"] = list(report["notes"])
        self.note_uncovered(rec, report.get("uncovered", []))
        status = ReportStatus(report["status"])
        asked = [c for c in approvals.pending(rec) if c["turn"] == turn]
        if status is not ReportStatus.COMPLETED and not (asked and status is ReportStatus.BLOCKED):
            # a failed turn drops its deferred commands: nobody is asked about them
            self.close(rec, _FINAL[status], report["summary"])
            return
        approvals.journal_asked(self.rt.recorder, rec, asked)
        new_refusals = 0
        stop = ""
        for n, handoff in enumerate(report["handoffs"], start=1):
            target = handoff["target"]
            repeat = repeated(
                rec,
                target,
                handoff["goal"],
                refused=[*self.earlier_refused, *self.told],
                subtasks=self.subtasks,
            )
            if repeat:
                new_refusals += 1
                stop = stop or repeat
                self.refuse(rec, target, repeat, guard=Guard.REPEATED, key=f"{turn}:{n}")
                continue
            try:
                edge = check_handoff(
                    routes=self.rt.routes,
                    policy=self.rt.policy,
                    source=rec["role"],
                    target=target,
                    chain=rec["chain"],
                    depth=rec["depth"],
                    subtasks=self.reserved(),
                )
            except (HandoffRefused, GuardTripped) as refused:
                new_refusals += 1
                guard = Guard(refused.guard) if isinstance(refused, GuardTripped) else None
                self.refuse(
                    rec, target, str(refused), guard=guard, key=f"{turn}:{n}", goal=handoff["goal"]
                )
                continue
            if target not in self.rt.nodes:  # pragma: no cover - defensive
                reason = f"{target} has no node in this coordinator"
                self.refuse(
                    rec, target, reason, guard=None, key=f"{turn}:{n}", goal=handoff["goal"]
                )
                new_refusals += 1
                continue
            if self.rt.policy.approve.needs_approval(
                target=self.rt.routes.catalog[target], kind=edge.kind
            ):
                approvals.hold_handoff(
                    self.rt.recorder,
                    rec,
                    target=target,
                    goal=handoff["goal"],
                    reason=handoff["reason"],
                    kind=edge.kind,
                    key=f"{turn}:{n}",
                )
                continue
            self.hand_off(rec, target, handoff["goal"], handoff["reason"], edge.kind, f"{turn}:{n}")
        rec["report"] = None
        self.settle(rec, new_refusals, stop=stop)

    def settle(self, rec: SubtaskRecord, new_refusals: int, *, stop: str = "") -> None:
        """After a turn: wait for children or approvals, retry after refusals, or complete.

        With `stop` (a guard against a model that repeats itself), the subtask gets no
        other turn: it ends `blocked` once nothing of it is still running.
        """
        waiting = (
            rec["approvals"]
            or approvals.pending(rec)
            or any(not is_terminal(self.subtasks[c]) for c in rec["children"])
        )
        if waiting:
            rec["status"] = SubtaskStatus.WAITING.value
            self.put(rec)
        elif stop:
            self.close(rec, SubtaskStatus.BLOCKED, stop)
        elif new_refusals:
            rec["status"] = SubtaskStatus.RETRY.value
            self.put(rec)
        else:
            self.finish(rec)

    def refuse(
        self,
        rec: SubtaskRecord,
        target: str,
        reason: str,
        *,
        guard: Guard | None,
        key: str,
        goal: str = "",
    ) -> None:
        """Refuse `rec`'s handoff to `target` (a guard's refusal trips it); journal it."""
        rec["refusals"] = [*rec["refusals"], f"handoff to {target} refused: {reason}"]
        if goal and guard is None:
            rec["refused_parts"] = [
                *rec.get("refused_parts", []),
                refused_part(goal, target, reason),
            ]
        self.put(rec)
        self.refused.append(
            RefusalRecord(
                subtask=rec["id"],
                source=rec["role"],
                target=target,
                reason=reason,
                guard=guard is not None,
            )
        )
        self.events.append(event("refused", rec, reason, target))
        self.rt.recorder.entry(
            rec["id"], f"refused:{key}", EntryKind.REFUSED, f"{rec['role']} -> {target}: {reason}"
        )
        if guard is not None:
            self.trip(reason, guard)

    def hand_off(
        self, rec: SubtaskRecord, target: str, goal: str, reason: str, kind: EdgeKind, key: str
    ) -> None:
        """Create `rec`'s child subtask for `target` (pending) and journal the handoff."""
        child_id = child_task_id(rec["id"], len(rec["children"]) + 1)
        child = new_subtask(
            id=child_id,
            parent=rec["id"],
            role=target,
            goal=goal,
            context=f"Handed over by {rec['role']} ({kind.value}) from: {rec['goal']}",
            reason=reason,
            kind=edge_kind_value(kind),
            depth=rec["depth"] + 1,
            chain=[*rec["chain"], target],
        )
        rec["children"] = [*rec["children"], child_id]
        self.put(rec)
        self.put(child)
        self.rt.recorder.open(child, root=self.task_id)
        self.rt.recorder.entry(
            rec["id"],
            f"handoff:{key}",
            EntryKind.HANDOFF,
            f"{rec['role']} -> {target} ({kind.value}, {child_id}): {goal}"
            + (f" — {reason}" if reason else ""),
        )
        self.events.append(event("handoff", rec, reason or goal, target))

    # approvals
    def asks(self) -> bool:
        """True when a handoff or a command waits for a person's decision."""
        return any(approvals.requests_for(rec) for rec in self.subtasks.values())

    def ask_approvals(self) -> None:
        """Ask a person (`interrupt`) about every request waiting, and carry out answers."""
        requests = [r for rec in self.ordered() for r in approvals.requests_for(rec)]
        approvals.ask(self.task_id, requests, self.decide)

    def decide(self, requests: list[ApprovalRequest], decisions: dict[str, Decision]) -> None:
        """Carry out the decisions given; requests without one stay pending."""
        # per subtask: how many decisions need the role to hear back on a new turn
        tell: dict[str, int] = {}
        for request in requests:
            decision = decisions.get(request.id)
            if decision is None:
                continue
            if request.is_command:
                rec = self.subtasks[request.subtask]
                self.events.append(
                    approvals.record_decision(self.rt.recorder, rec, request, decision)
                )
                self.put(rec)
                tell[request.subtask] = tell.get(request.subtask, 0) + 1
            elif not self.apply(request, decision):
                tell[request.subtask] = tell.get(request.subtask, 0) + 1
            else:
                tell.setdefault(request.subtask, 0)
        for subtask, count in tell.items():
            self.settle(self.subtasks[subtask], count)

    def apply(self, request: ApprovalRequest, decision: Decision) -> bool:
        """Carry out one decision; True when the handoff was approved."""
        rec = self.subtasks[request.subtask]
        key = request.id.split(":approval:", 1)[1]
        refusal = approvals.record_handoff_decision(self.rt.recorder, rec, request, decision)
        if refusal is None:
            kind = EdgeKind(request.kind)
            self.hand_off(rec, request.target, request.goal, request.reason, kind, key)
            return True
        self.refuse(
            rec, request.target, refusal, guard=None, key=f"approval:{key}", goal=request.goal
        )
        self.trip(f"{rec['role']} -> {request.target} was {refusal}", None)
        return False

    # dispatching turns
    def dispatch(self) -> None:
        """Send every turn that can run now (`dispatch_one`), until nothing changes."""
        progress = True
        while progress:
            progress = False
            for rec in self.ordered():
                if self.dispatch_one(rec):
                    progress = True

    def dispatch_one(self, rec: SubtaskRecord) -> bool:
        """Send `rec`'s next turn if it can run, or close it if a guard stops it."""
        if rec["status"] in _IDLE:
            return False
        status = SubtaskStatus(rec["status"])
        results: list[dict[str, Any]] = []
        if status is SubtaskStatus.WAITING:
            if (
                rec["approvals"]
                or approvals.pending(rec)
                or not all(is_terminal(self.subtasks[c]) for c in rec["children"])
            ):
                return False
            results = [
                child_result(self.subtasks[c]).model_dump(mode="json") for c in rec["children"]
            ]
        elif status not in (SubtaskStatus.PENDING, SubtaskStatus.RETRY):
            return False
        if status is SubtaskStatus.PENDING:
            self.rt.recorder.open(rec, root=self.task_id)
        if rec["turns"] >= self.rt.policy.max_turns:
            reason = (
                f"guard: {rec['role']} had {rec['turns']} turns on {rec['id']}, the most allowed"
            )
            self.trip(reason, Guard.MAX_TURNS)
            self.close(rec, SubtaskStatus.BLOCKED, reason)
            return True
        spent = self.rt.policy.budget_left(
            llm_calls=self.llm_calls, tokens=self.tokens, reserved=len(self.sends), cost=self.cost
        )
        if spent is not None:
            guard, why = spent
            reason = f"guard: {why}"
            self.trip(reason, guard)
            self.close(rec, SubtaskStatus.BLOCKED, reason)
            return True
        self.undo[rec["id"]] = (rec["status"], rec["id"] in self.changed, len(self.events))
        rec["status"] = SubtaskStatus.RUNNING.value
        self.put(rec)
        self.events.append(event("turn", rec, rec["goal"] if not results else "integrates results"))
        payload = TurnPayload(task_id=self.task_id, subtask=SubtaskRecord(**rec), results=results)
        self.sends.append(Send(rec["role"], payload))
        return True

    def share_budget(self) -> None:
        """Give the turns sent in this pass their shares of the budget that is left."""
        policy, count = self.rt.policy, len(self.sends)
        calls = budget_shares(policy.max_llm_calls, self.llm_calls, count)
        tokens = budget_shares(policy.max_tokens, self.tokens, count)
        costs = cost_shares(policy.max_cost, self.cost, count)
        for n, send in enumerate(self.sends):
            payload: TurnPayload = send.arg
            payload["llm_calls_left"] = calls[n]
            payload["tokens_left"] = tokens[n]
            if costs[n] is not None:
                payload["cost_left"] = costs[n]

    # what a node makes of the pass
    def absorb(self, update: dict[str, Any]) -> SubtaskRecord:
        """Take in the update of a turn run inside this pass; the subtask it reported."""
        self.told = list(self.refused)  # the turn was told of these
        reported: dict[str, SubtaskRecord] = update["subtasks"]
        (rec,) = (SubtaskRecord(**r) for r in reported.values())
        self.put(rec)
        self.events.extend(update.get("events", ()))
        for key in ("llm_calls", "tokens", "cost"):
            if update.get(key):
                setattr(self, key, getattr(self, key) + update[key])
                self.spent[key] = self.spent.get(key, 0) + update[key]
        return rec

    def snapshot(self) -> Any:
        """What the pass holds now, to `restore` (before routing reports)."""
        subtasks = {k: SubtaskRecord(**v) for k, v in self.subtasks.items()}
        return (
            subtasks,
            set(self.changed),
            list(self.refused),
            list(self.events),
            self.new_blocked,
            self.new_guard,
        )

    def restore(self, snapshot: Any) -> None:
        """Go back to `snapshot`: reports routed since are `reported` again."""
        subtasks: dict[str, SubtaskRecord]
        subtasks, changed, refused, events, blocked, guard = snapshot
        self.subtasks = {k: SubtaskRecord(**v) for k, v in subtasks.items()}
        self._order = None
        self.changed, self.refused, self.events = set(changed), list(refused), list(events)
        self.new_blocked, self.new_guard = blocked, guard

    def mark(self) -> Mark:
        """Where the pass stands now (before a dispatch)."""
        return Mark(
            changed=frozenset(self.changed),
            events=len(self.events),
            refused=len(self.refused),
            blocked=self.new_blocked,
        )

    def hand_over(self, mark: Mark) -> str | None:
        """Take back the dispatch since `mark` when it only sent one turn; its role.

        The role's node, run next by name with the whole state, dispatches the same
        turn again (nothing else changed in between) and runs it itself.
        """
        if len(self.sends) != 1:
            return None
        subtask = self.sends[0].arg["subtask"]["id"]
        if (
            self.changed - mark.changed - {subtask}
            or len(self.events) != mark.events + 1
            or len(self.refused) != mark.refused
            or self.new_blocked != mark.blocked
        ):
            return None
        status, had_changed, _ = self.undo.pop(subtask)
        self.subtasks[subtask]["status"] = status  # type: ignore[typeddict-item]
        if not had_changed:
            self.changed.discard(subtask)
        del self.events[mark.events :]
        node: str = self.sends.pop().node
        return node

    def rendezvous(self) -> str:
        """Where the turns sent together go when done: their first requester's node.

        Its node runs once, with the whole state, when they have all reported; it
        routes their reports and often runs the requester's next turn itself.
        """
        parent = self.subtasks[self.sends[0].arg["subtask"]["id"]]["parent"]
        role = self.subtasks[parent]["role"] if parent is not None else None
        return role if role in self.rt.nodes else JOURNAL_NODE

    def finish_run(self, root_id: str) -> None:
        """The root is closed: note the spend, merge every result into its file."""
        if self.llm_calls:
            text = spend_text(self.ordered(), self.llm_calls, self.tokens, self.cost)
            self.rt.recorder.entry(root_id, "spend", EntryKind.NOTE, text)
        refused = [*self.earlier_refused, *self.refused]
        self.rt.recorder.finish(root_id, self.ordered(), refused)

    def stalled(self, root: SubtaskRecord) -> None:
        """Close the root `blocked` when nothing is left to run (a coordinator bug)."""
        if not is_terminal(root) and not self.sends and not _running(self):
            reason = "guard: the run stalled (no turn left to run); this is a coordinator bug"
            self.trip(reason, Guard.STALLED)
            self.close(root, SubtaskStatus.BLOCKED, reason)

    def update(self) -> dict[str, Any]:
        """The state update: what changed, what was refused, events, spend, the guard."""
        out: dict[str, Any] = dict(self.spent)
        if self.changed:
            out["subtasks"] = {k: self.subtasks[k] for k in sorted(self.changed, key=order_key)}
        if self.events:
            out["events"] = self.events
        if self.refused:
            out["refused"] = self.refused
        if self.new_blocked:
            out["blocked"], out["guard"] = self.new_blocked, self.new_guard
        return out


_FINAL = {
    ReportStatus.FAILED: SubtaskStatus.FAILED,
    ReportStatus.BLOCKED: SubtaskStatus.BLOCKED,
    ReportStatus.UNASSIGNED: SubtaskStatus.UNASSIGNED,
}
"""How a subtask ends when its role's report says it could not go on."""
_FINISHED = (SubtaskStatus.COMPLETED.value, SubtaskStatus.INCOMPLETE.value)
_IDLE = frozenset(
    s.value
    for s in SubtaskStatus
    if s not in (SubtaskStatus.WAITING, SubtaskStatus.PENDING, SubtaskStatus.RETRY)
)
"""Statuses with no turn to send: running, reported, or closed."""


def _running(work: Pass) -> bool:
    return any(r["status"] == SubtaskStatus.RUNNING.value for r in work.subtasks.values())
