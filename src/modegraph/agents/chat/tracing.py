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

Inside a coordinator node whose run has no handler (`modegraph.agents.listeners`), a
turn with no handlers of its own opens no run at all (`quiet_turn_callbacks`): nothing
could hear it start or end. Its model and tool calls get the callbacks that run would
give them, built from the node's callbacks directly (the manager
`CallbackManager.configure` would build: the same parent, tags and metadata, without
reading the environment and LangChain's hooks a second time), so the runs a handler on
the model sees are the same.
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
from langchain_core.runnables.config import var_child_runnable_config
from langchain_core.utils.uuid import uuid7
from langsmith.run_helpers import get_tracing_context

from modegraph.agents.listeners import nobody_listens, unheard
from modegraph.agents.protocol import AgentReport, RoleTurn

__all__ = [
    "ROLE_TAG",
    "TASK_TAG",
    "astart_turn_run",
    "outputs",
    "quiet_turn_callbacks",
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
    """The callbacks of the current run (LangGraph's node run inside the coordinator).

    What `ensure_config()["callbacks"]` gives, without copying the rest of the config
    (`CallbackManager.configure` copies what it takes from them).
    """
    config = var_child_runnable_config.get()
    return config.get("callbacks") if config else None


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
    # where nothing could hear it, the agent asked `quiet_turn_callbacks` first and
    # opened no run: a run opened here is configured as LangChain configures it
    manager = CallbackManager.configure(
        inheritable_callbacks=_parent(),
        inheritable_tags=_tags(turn),
        inheritable_metadata=_metadata(turn, model),
    )
    for handler in handlers:
        manager.add_handler(handler, inherit=True)
    return manager.on_chain_start(None, _inputs(turn), name=turn_run_name(turn))


def quiet_turn_callbacks(
    turn: RoleTurn,
    *,
    model: str,
    handlers: Sequence[BaseCallbackHandler],
) -> CallbackManager | None:
    """The callbacks for the turn's model and tool calls when nothing can hear its run.

    Where `start_turn_run` would open the run from the node's callbacks without
    configuring it (no handler anywhere), the run has nobody to tell it started or
    ended: this gives what its `get_child()` would, without it. None when something
    may listen: then open the run (`start_turn_run`).

    Args:
        turn: The role turn.
        model: The model's name, for the metadata.
        handlers: The agent's handlers for the turn (any: None).

    Returns:
        The callbacks for the turn's calls, or None: open the turn's run.
    """
    if handlers:
        return None
    parent = _parent()
    tracing = get_tracing_context()
    if tracing["parent"] is not None or not _quiet(parent):
        return None
    run = _unheard_child(parent, turn, model, tracing)
    child = CallbackManager(handlers=[], inheritable_handlers=[], parent_run_id=uuid7())
    child.add_tags(run.inheritable_tags)
    child.add_metadata(run.inheritable_metadata)
    return child


def _quiet(parent: Any) -> bool:
    """Whether the turn runs in a node's run that nothing listens to, under that run."""
    return (
        nobody_listens()
        and type(parent) is CallbackManager
        and parent.parent_run_id is not None
        and unheard(parent)
    )


def _unheard_child(
    parent: CallbackManager, turn: RoleTurn, model: str, tracing: dict[str, Any]
) -> CallbackManager:
    """The manager `CallbackManager.configure` makes for the turn when nothing listens.

    Its parent run, tags and metadata are the same (LangSmith's tracing context adds
    its tags last, as there; with no tracer it sets no parent run to prefer); what it
    does not do again is look for handlers to add: the node's run found none (see
    `agents.listeners`).
    """
    manager = CallbackManager(
        handlers=[],
        inheritable_handlers=[],
        parent_run_id=parent.parent_run_id,
        tags=parent.tags.copy(),
        inheritable_tags=parent.inheritable_tags.copy(),
        metadata=parent.metadata.copy(),
        inheritable_metadata=parent.inheritable_metadata.copy(),
    )
    manager.add_tags(_tags(turn))
    manager.add_metadata(_metadata(turn, model))
    if tracing_tags := tracing["tags"]:
        manager.add_tags(tracing_tags.copy())
    return manager


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
