"""`plan_route`: the route a run would take, worked out in memory (`modegraph route`).

The plan runs the very coordinator `run` builds, on the same coordinated catalog
(implied edges, entry rule, orchestrator role), with the offline rule agent, but
with no journal and no checkpoint: nothing is written anywhere. Every hop the rule
agent would take is in it, with the reasons and scores, and every part no role
covers. Approvals are not asked: the plan shows the route as if every handoff that
needs one were approved (a run with `--approve` stops there for a person).

```python
from modegraph.coordinator.plan import plan_route

plan = plan_route(catalog, "Add a users API with a Postgres schema")
print(plan.first_hop, plan.reached, [u.text for u in plan.uncovered])
```
"""

from __future__ import annotations

from typing import Any, Literal

from langgraph.errors import GraphRecursionError

from modegraph._model import FrozenModel
from modegraph.agents.rule.agent import RuleAgent
from modegraph.coordinator.build import build_coordinator, check_entry
from modegraph.coordinator.goal import check_goal
from modegraph.coordinator.policy import ApprovalRule, Policy
from modegraph.coordinator.records import new_state, order_key
from modegraph.coordinator.result import RefusedHandoff, RunStatus, UncoveredView, result_of
from modegraph.modes.catalog.catalog import Catalog
from modegraph.modes.catalog.implied import EdgeMode
from modegraph.roles.coordination import Entry, coordinate

__all__ = ["PLAN_TASK_ID", "RouteHop", "RoutePlan", "plan_route"]

PLAN_TASK_ID = "PLAN"
"""The task id a plan's subtasks are numbered under (`PLAN.1`, `PLAN.1.2`); never written."""


class RouteHop(FrozenModel):
    """One subtask of the plan: which role gets which part, and why."""

    subtask: str
    """Its id in the plan (`PLAN`, `PLAN.2`)."""
    parent: str | None
    """The subtask that handed it over; None for the entry's."""
    source: str | None
    """The role that handed it over; None for the entry's."""
    role: str
    """The role that gets it."""
    goal: str
    """The part of the goal it gets."""
    kind: Literal["entry", "delegate", "escalate"]
    """How it got there."""
    reason: str
    """Why this role: the words that matched and the scores (the entry rule for the root)."""
    status: str
    """How the subtask ends in the plan (`completed`, `incomplete`, `unassigned`, ...)."""
    notes: tuple[str, ...] = ()
    """The role's routing decisions: each part, where it goes, the scores."""


class RoutePlan(FrozenModel):
    """The route a run would take, and what it would leave undone."""

    goal: str
    """The goal."""
    entry: Entry
    """The entry role and why."""
    edges: EdgeMode
    """Which edges were followed."""
    status: RunStatus
    """How the run would end: completed, incomplete or blocked."""
    reason: str = ""
    """Why it would not complete."""
    hops: tuple[RouteHop, ...]
    """Every subtask, the entry's first, in id order."""
    refused: tuple[RefusedHandoff, ...] = ()
    """Handoffs the coordinator would refuse."""
    uncovered: tuple[UncoveredView, ...] = ()
    """Parts no role would do, with the closest roles and scores."""

    @property
    def first_hop(self) -> tuple[str, ...]:
        """The roles the entry role hands work to directly, in order."""
        return tuple(h.role for h in self.hops if h.parent == PLAN_TASK_ID)

    @property
    def reached(self) -> tuple[str, ...]:
        """Every role in the route, the entry first, each once."""
        return tuple(dict.fromkeys(h.role for h in self.hops))

    def to_json(self) -> dict[str, Any]:
        """The documented `route --json` object."""
        return {
            "goal": self.goal,
            "entry": self.entry.model_dump(mode="json"),
            "edges": self.edges.value,
            "status": self.status.value,
            "reason": self.reason,
            "first_hop": list(self.first_hop),
            "reached": list(self.reached),
            "hops": [h.model_dump(mode="json") for h in self.hops],
            "refused": [
                {"from": r.source, "to": r.target, "reason": r.reason} for r in self.refused
            ],
            "uncovered": [u.model_dump(mode="json") for u in self.uncovered],
        }


def plan_route(
    catalog: Catalog,
    goal: str,
    *,
    entry: str | None = None,
    edges: EdgeMode = EdgeMode.ALL,
    policy: Policy | None = None,
) -> RoutePlan:
    """Work out, in memory, the route `modegraph run GOAL` would take with the rule agent.

    Args:
        catalog: The catalog as loaded (it is coordinated here, as `run` does).
        goal: The goal.
        entry: `--mode SLUG`; None for the entry rule.
        edges: `EdgeMode.DECLARED` leaves implied edges out.
        policy: The guards (`Policy()` by default); its approval rule is ignored.

    Raises:
        GoalError: the goal is empty or too long.
        CatalogError: the catalog is empty or has no role `entry`.
    """
    check_goal(goal)
    check_entry(catalog, next(iter(catalog.slugs), ""))
    coordination = coordinate(catalog, entry=entry, edges=edges)
    chosen = coordination.entry
    assert chosen is not None  # the catalog is not empty
    check_entry(coordination.catalog, chosen.slug)
    guards = (policy or Policy()).model_copy(update={"approve": ApprovalRule.parse("none")})
    graph = build_coordinator(
        catalog=coordination.catalog,
        entry=chosen.slug,
        agent=RuleAgent(catalog=coordination.catalog),
        policy=guards,
    )
    state = new_state(
        task_id=PLAN_TASK_ID,
        goal=goal,
        entry=chosen.slug,
        reason=chosen.reason,
        settings={"entry_choice": chosen.model_dump(mode="json")},
    )
    reason = ""
    values: Any
    try:
        values = graph.invoke(state, {"recursion_limit": guards.recursion_limit})
    except GraphRecursionError:  # pragma: no cover - the guards stop a run long before
        reason = f"guard: the recursion limit {guards.recursion_limit} was reached"
        values = state
    result = result_of(values, journal=None, reason=reason)
    subtasks = values.get("subtasks", {})
    hops = tuple(
        RouteHop(
            subtask=s["id"],
            parent=s["parent"],
            source=subtasks[s["parent"]]["role"] if s["parent"] in subtasks else None,
            role=s["role"],
            goal=s["goal"],
            kind=s["kind"],
            reason=s["reason"],
            status=s["status"],
            notes=tuple(s.get("notes", ())),
        )
        for s in (subtasks[k] for k in sorted(subtasks, key=order_key))
    )
    return RoutePlan(
        goal=goal,
        entry=chosen,
        edges=edges,
        status=result.status,
        reason=result.reason,
        hops=hops,
        refused=result.refused,
        uncovered=result.uncovered,
    )
