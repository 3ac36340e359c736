"""`build_coordinator`: compile the LangGraph state machine of one catalog and entry role.

The graph has one node per role reachable from the entry along delegate and
escalate edges, and the journal node. A new task starts at the entry role's node.
Each role node runs its role's turns and routes (see `steps`); it declares its
allowed targets as its `destinations`, so `get_graph().draw_mermaid()` draws the
escalation graph (plus the journal node, where approvals are asked, and the end).
Dangling targets get no node: a handoff to one is refused.

Example:
    ```python
    from modegraph.coordinator import build_coordinator

    graph = build_coordinator(catalog=catalog, entry="fastapi-developer")
    print(graph.get_graph().draw_mermaid())
    ```
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable
from typing import Any

from langchain_core.runnables import RunnableLambda
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from modegraph.agents.protocol import Agent
from modegraph.agents.rule.agent import RuleAgent
from modegraph.coordinator.node_runnable import NodeRunnable
from modegraph.coordinator.nodes import JOURNAL_NODE, Runtime, make_turn
from modegraph.coordinator.policy import Policy
from modegraph.coordinator.recorder import JournalRecorder, JournalStore, Recorder
from modegraph.coordinator.routing import Routes
from modegraph.coordinator.state import CoordinatorState
from modegraph.coordinator.steps import journal_node, role_node, start
from modegraph.errors import CatalogError, GraphBuildError
from modegraph.modes.catalog.catalog import Catalog
from modegraph.roles.escalation import EscalationGraph

__all__ = ["build_coordinator", "check_entry"]


def check_entry(catalog: Catalog, entry: str) -> None:
    """Refuse an empty catalog or an entry role it does not hold, with a suggestion.

    Raises:
        CatalogError: the catalog is empty, or `entry` is not one of its slugs.
    """
    if not len(catalog):
        raise CatalogError(
            "the catalog has no modes; add mode files with --modes PATH or check "
            "`modegraph modes list`"
        )
    if entry not in catalog:
        close = [s for s in catalog.slugs if entry.lower() in s.lower()][:3]
        close = close or difflib.get_close_matches(entry, catalog.slugs, n=3)
        hint = f"did you mean {', '.join(close)}?" if close else "run `modegraph modes list`"
        raise CatalogError(f"no mode with slug {entry!r} in the catalog; {hint}")


def build_coordinator(
    *,
    catalog: Catalog,
    entry: str,
    agent: Agent | None = None,
    checkpointer: BaseCheckpointSaver[Any] | None = None,
    policy: Policy | None = None,
    journal: JournalStore | None = None,
    inline_journal: bool = False,
) -> CompiledStateGraph[Any, Any, Any, Any]:
    """Compile the coordinator for `catalog`, starting at the role `entry`.

    Args:
        catalog: The modes.
        entry: Slug of the role that gets the task.
        agent: The agent every role uses; a `RuleAgent` over the catalog by default.
        checkpointer: A LangGraph checkpointer (needed for resume and approvals).
        policy: The guards; `Policy()` by default.
        journal: Where the task journal is written; nothing is written when None.
        inline_journal: In an async run, run the journal node's passes on the event
            loop instead of in a worker thread (for engines whose event loop has no
            thread executor: a Temporal workflow).

    Returns:
        The compiled LangGraph graph (`CompiledStateGraph`).

    Raises:
        CatalogError: the catalog is empty or has no role `entry`.
        GraphBuildError: a role's slug clashes with the journal node's name.
    """
    check_entry(catalog, entry)
    escalation = EscalationGraph.from_catalog(catalog)
    routes = Routes(catalog=catalog, graph=escalation)
    slugs = [s for s in escalation.reachable(entry) if s in catalog]
    if JOURNAL_NODE in slugs:
        raise GraphBuildError(
            f"a mode is named {JOURNAL_NODE!r}, the name of the coordinator's journal node; "
            "rename that mode's slug"
        )
    runtime = Runtime(
        routes=routes,
        agent=agent if agent is not None else RuleAgent(catalog=catalog),
        policy=policy or Policy(),
        recorder=JournalRecorder(journal) if journal is not None else Recorder(),
        nodes=frozenset(slugs),
    )
    builder: StateGraph[Any, Any, Any, Any] = StateGraph(CoordinatorState)
    journal_fn: Any = journal_node(runtime)
    if inline_journal:
        journal_fn = RunnableLambda(journal_fn, afunc=_inline(journal_fn), name=JOURNAL_NODE)
    builder.add_node(JOURNAL_NODE, journal_fn, destinations=(*slugs, END))
    builder.add_conditional_edges(START, start(entry, runtime.nodes), [*slugs, JOURNAL_NODE])
    for slug in slugs:
        run, arun = role_node(runtime, slug, make_turn(runtime, slug))
        targets = tuple(e.target for e in routes.allowed(slug))
        builder.add_node(
            slug,
            NodeRunnable(run, arun, name=slug),
            destinations=(*targets, JOURNAL_NODE, END),
        )
    return builder.compile(checkpointer=checkpointer, name=f"modegraph:{entry}")


def _inline(func: Callable[[Any], Any]) -> Callable[[Any], Awaitable[Any]]:
    """An async twin of a sync node that runs it right on the event loop."""

    async def run(state: Any) -> Any:
        return func(state)

    return run
