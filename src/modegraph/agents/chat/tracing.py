"""Each chat turn as a run in LangChain's callback tree (LangSmith, live progress).

A role turn opens a chain run named `<role> <subtask id>` (for example
`database-specialist TASK-FASTAPI-20261206-051628.1`), tagged `modegraph`,
`role:<role>` and `task:<task id>`, with the role, task, subtask and model in its
metadata. The turn's model calls (runs named `<role> model`) and tool calls (runs
named by the tool) are its children, and carry the same tags and metadata.

The turn's run hangs under whatever run is current: inside the coordinator that is
LangGraph's run of the role's node, so a trace shows the graph, each role's turns,
and each turn's model and tool calls. Nothing here is LangSmith-specific: LangChain
adds its LangSmith tracer when the usual environment variables are set
(`LANGSMITH_TRACING=true`, `LANGSMITH_API_KEY`, optionally `LANGSMITH_PROJECT`), and
any other callback handler (`ChatAgent(callbacks=[...])`, live progress in the
terminal) sees the same runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import (
    AsyncCallbackManager,
    AsyncCallbackManagerForChainRun,
    BaseCallbackHandler,
    CallbackManager,
    CallbackManagerForChainRun,
)
from langchain_core.runnables import RunnableConfig, ensure_config

from modegraph.agents.protocol import AgentReport, RoleTurn

__all__ = [
    "ROLE_TAG",
    "TASK_TAG",
    "astart_turn_run",
    "outputs",
    "start_turn_run",
    "turn_run_name",
]

ROLE_TAG = "role:"
"""Prefix of the tag that names a turn's role (`role:database-specialist`)."""
TASK_TAG = "task:"
"""Prefix of the tag that names a turn's root task (`task:TASK-...`)."""


def turn_run_name(turn: RoleTurn) -> str:
    """The name of a turn's run: `<role> <subtask id>`."""
    return f"{turn.mode.slug} {turn.subtask_id}"


def _tags(turn: RoleTurn) -> list[str]:
    return ["modegraph", f"{ROLE_TAG}{turn.mode.slug}", f"{TASK_TAG}{turn.task_id}"]


def _metadata(turn: RoleTurn, model: str) -> dict[str, Any]:
    return {
        "modegraph_role": turn.mode.slug,
        "modegraph_task_id": turn.task_id,
        "modegraph_subtask_id": turn.subtask_id,
        "modegraph_model": model,
    }


def _inputs(turn: RoleTurn) -> dict[str, Any]:
    return {"goal": turn.goal, "results": len(turn.results), "refusals": list(turn.refusals)}


def _parent() -> Any:
    """The callbacks of the current run (LangGraph's node run inside the coordinator)."""
    config: RunnableConfig = ensure_config()
    return config.get("callbacks")


def start_turn_run(
    turn: RoleTurn,
    *,
    model: str,
    handlers: Sequence[BaseCallbackHandler],
) -> CallbackManagerForChainRun:
    """Open the turn's run (sync).

    Args:
        turn: The role turn.
        model: The model's name, for the metadata.
        handlers: Extra handlers for this turn and everything under it.

    Returns:
        The run's manager; `get_child()` gives the callbacks for its model and tool calls.
    """
    manager = CallbackManager.configure(
        inheritable_callbacks=_parent(),
        inheritable_tags=_tags(turn),
        inheritable_metadata=_metadata(turn, model),
    )
    for handler in handlers:
        manager.add_handler(handler, inherit=True)
    return manager.on_chain_start(None, _inputs(turn), name=turn_run_name(turn))


async def astart_turn_run(
    turn: RoleTurn,
    *,
    model: str,
    handlers: Sequence[BaseCallbackHandler],
) -> AsyncCallbackManagerForChainRun:
    """Open the turn's run (async); like `start_turn_run`."""
    manager = AsyncCallbackManager.configure(
        inheritable_callbacks=_parent(),
        inheritable_tags=_tags(turn),
        inheritable_metadata=_metadata(turn, model),
    )
    for handler in handlers:
        manager.add_handler(handler, inherit=True)
    return await manager.on_chain_start(None, _inputs(turn), name=turn_run_name(turn))


def outputs(report: AgentReport) -> dict[str, Any]:
    """What a turn's run records as its outputs."""
    return {
        "status": report.status.value,
        "summary": report.summary,
        "handoffs": [h.target for h in report.handoffs],
        "llm_calls": report.llm_calls,
        "tokens": report.tokens,
        "cost": report.cost,
    }
