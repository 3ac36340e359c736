"""Whether anything listens to the current LangChain run: a callback handler, a tracer.

Every LangChain run starts with `CallbackManager.configure`, which reads the
environment and LangChain's context hooks for handlers to add (LangSmith's tracer
when `LANGSMITH_TRACING` is set, `collect_runs`, debug output): about 70 µs a call,
a run's largest fixed cost when no handler is there to be called.

A coordinator node opens its run that way (`coordinator.node_runnable`). When the
run it gets has no handler at all, nothing can observe the runs under it except
handlers that code under it adds itself (a chat agent's `callbacks`, a model's or a
tool's own). The node says so with `heard_by_nobody` for the time its function runs;
code under it may then open its own runs without configuring them again, as long as
it adds no handler (`unheard` tells), and get the very runs, names, tags and
metadata it gets otherwise. When the node's run has a handler, or no node says so
(a chat turn run on its own), every run is configured as LangChain does it.
"""

from __future__ import annotations

from contextvars import ContextVar

from langchain_core.callbacks import BaseCallbackManager
from langchain_core.callbacks.manager import BaseRunManager

__all__ = ["heard_by_nobody", "nobody_listens", "unheard"]

_NOBODY: ContextVar[bool] = ContextVar("modegraph_nobody_listens", default=False)


def unheard(manager: BaseCallbackManager | BaseRunManager) -> bool:
    """Whether `manager` (a run's, or its children's) has no handler, local or inherited."""
    return not manager.handlers and not manager.inheritable_handlers


def heard_by_nobody(value: bool) -> None:
    """Say (in the current context) whether nothing listens to the current run.

    Called inside the context the run's function runs in (a copy that ends with it).
    """
    _NOBODY.set(value)


def nobody_listens() -> bool:
    """True inside a run that a node found had no handler (see the module docs)."""
    return _NOBODY.get()
