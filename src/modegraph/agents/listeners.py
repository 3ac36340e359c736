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

`configure_finds_nobody` tells, before configuring, whether `configure` would find
no handler to add for a run under given callbacks: then a node need not configure
its own run at all (`coordinator.node_runnable`). It asks the same places
`configure` looks in (debug output, LangSmith tracing and its environment, the
context hooks such as `collect_runs`), and says no whenever one of them is set.
"""

from __future__ import annotations

from contextvars import ContextVar

from langchain_core.callbacks import BaseCallbackManager, CallbackManager
from langchain_core.callbacks.manager import BaseRunManager
from langchain_core.globals import get_debug
from langchain_core.tracers.context import _configure_hooks, _tracing_v2_is_enabled
from langchain_core.utils.env import env_var_is_set

__all__ = ["configure_finds_nobody", "heard_by_nobody", "nobody_listens", "unheard"]

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


def configure_finds_nobody(callbacks: object) -> bool:
    """Whether a run configured under `callbacks` would have no handler at all.

    True only when `callbacks` is a `CallbackManager` with no handler, local or
    inherited, and none of the places `CallbackManager.configure` adds handlers from
    is set: debug output (`set_debug`), LangSmith tracing (its context, a
    `tracing_v2_enabled` block or the environment), the environment variables of the
    old tracer (with which `configure` raises), and each configure hook (`collect_runs`,
    whose handler no child inherits, and any hook registered with an environment
    variable). Anything else (a list of handlers, no callbacks) says False: configure.
    """
    if type(callbacks) is not CallbackManager or not unheard(callbacks):
        return False
    if get_debug() or _tracing_v2_is_enabled():
        return False
    if env_var_is_set("LANGCHAIN_TRACING") or env_var_is_set("LANGCHAIN_HANDLER"):
        return False
    for var, _inheritable, handler_class, env_var in _configure_hooks:
        if var.get() is not None:
            return False
        if env_var is not None and handler_class is not None and env_var_is_set(env_var):
            return False
    return True
