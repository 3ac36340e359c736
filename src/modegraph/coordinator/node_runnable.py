"""`NodeRunnable`: a node's functions as a LangGraph node (or branch), traced, without extras.

`RunnableLambda` is what LangChain offers for "this function, and this async twin"; on
every call it also inspects the function's signature (twice: does it take a run
manager? a config?), wraps the call in a second helper that inspects it again, and
checks whether the result is itself a runnable to call. A role node's function takes
the state alone and returns a `Command`, so none of that applies, and on a task of a
few milliseconds it is a tenth of the framework's time.

`NodeRunnable.invoke` keeps what `RunnableLambda` does for callbacks: the node is a
chain run named by its role in LangChain's callback tree (LangSmith, `collect_runs`,
live progress), and the function runs with that run as the current one, so a chat
turn's run hangs under it. When that run has no handler at all, the function runs
knowing it (`agents.listeners`): a chat turn under it then opens its own run without
configuring LangChain's callbacks again. When even configuring the run would find no
handler (`agents.listeners.configure_finds_nobody`: nothing is inherited, and no
tracer, debug output or `collect_runs` is on), the node's run is not opened: nothing
could hear it start or end. The function then gets the callbacks that run's children
would get (`_quiet_child`: the same tags and metadata, under a run id of its own), so
what the runs under it carry is the same. The async path is `RunnableLambda`'s own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import Context, copy_context
from typing import Any

from langchain_core.callbacks import CallbackManager
from langchain_core.runnables import Runnable, RunnableConfig, RunnableLambda
from langchain_core.runnables.config import (
    ensure_config,
    get_callback_manager_for_config,
    patch_config,
    set_config_context,
    var_child_runnable_config,
)
from langchain_core.utils.uuid import uuid7
from langsmith.run_helpers import get_tracing_context

from modegraph.agents.listeners import configure_finds_nobody, heard_by_nobody, unheard

__all__ = ["NodeRunnable"]


class NodeRunnable(Runnable[Any, Any]):
    """A node's sync function and its async twin, each called with the node's input only.

    Args:
        func: The sync function (input -> output).
        afunc: Its async twin.
        name: The node's name (its run's name in traces).
    """

    def __init__(
        self, func: Callable[[Any], Any], afunc: Callable[[Any], Awaitable[Any]], *, name: str
    ) -> None:
        self.func = func
        self.name = name
        self._async = RunnableLambda(func, afunc=afunc, name=name)

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        """Call `func` inside the node's run (as `RunnableLambda.invoke` does)."""
        config = ensure_config(config)
        callbacks = config.get("callbacks")
        tracing = get_tracing_context()
        if tracing["parent"] is None and configure_finds_nobody(callbacks):
            assert isinstance(callbacks, CallbackManager)  # configure_finds_nobody says so
            # what `patch_config(config, callbacks=...)` makes of this config, which is
            # `ensure_config`'s own copy already: no second copy
            config["callbacks"] = _quiet_child(callbacks, config, tracing["tags"])
            config.pop("run_name", None)
            config.pop("run_id", None)
            return _unheard_context(config).run(self.func, input)
        manager = get_callback_manager_for_config(config)
        run = manager.on_chain_start(
            None, input, name=config.get("run_name") or self.name, run_id=config.pop("run_id", None)
        )
        try:
            child = patch_config(config, callbacks=run.get_child())
            if unheard(run):
                output = _unheard_context(child).run(self.func, input)
            else:
                with set_config_context(child) as context:
                    context.run(heard_by_nobody, False)
                    output = context.run(self.func, input)
        except BaseException as exc:
            run.on_chain_error(exc)
            raise
        run.on_chain_end(output)
        return output

    async def ainvoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        """Await the async twin (`RunnableLambda.ainvoke`)."""
        return await self._async.ainvoke(input, config, **kwargs)


def _unheard_context(config: RunnableConfig) -> Context:
    """The context `set_config_context(config)` gives a run that has no handler.

    A copy of the current context with `config` as the current config, and marked
    as heard by nobody (`agents.listeners`). `set_config_context` also points
    LangSmith's tracing context at the run, but only for a LangChain tracer among its
    handlers; what it resets on exit is in the copy, which ends with the call.
    """
    context = copy_context()
    context.run(var_child_runnable_config.set, config)
    context.run(heard_by_nobody, True)
    return context


def _quiet_child(
    callbacks: CallbackManager, config: RunnableConfig, tracing_tags: list[str] | None
) -> CallbackManager:
    """The callbacks the node's run would give its children, when it has no handler.

    `CallbackManager.configure` would copy `callbacks`, add the config's tags and
    metadata and LangSmith's context tags (the same calls, in the same order, here);
    the run's `get_child()` keeps the inheritable part under the run's id (a new one:
    no handler hears of it).
    """
    run = CallbackManager(
        handlers=[],
        inheritable_handlers=[],
        tags=callbacks.tags.copy(),
        inheritable_tags=callbacks.inheritable_tags.copy(),
        metadata=callbacks.metadata.copy(),
        inheritable_metadata=callbacks.inheritable_metadata.copy(),
    )
    if tags := config.get("tags"):
        run.add_tags(tags)
    if metadata := config.get("metadata"):
        run.add_metadata(metadata)
    if tracing_tags:
        run.add_tags(tracing_tags.copy())
    child = CallbackManager(handlers=[], inheritable_handlers=[], parent_run_id=uuid7())
    child.add_tags(run.inheritable_tags)
    child.add_metadata(run.inheritable_metadata)
    return child
