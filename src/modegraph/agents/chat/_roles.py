"""What a chat agent keeps per role: its prepared tools and prompt, its bound model.

`ChatAgent.prepare` builds a role's handoff tools and the fixed part of its prompt
when the coordinator is compiled (`Prepared`); a turn binds them with the mode's own
tools to the role's model once (`Binding`) and later turns reuse that binding while
its inputs are the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage
from langchain_core.runnables import Runnable, RunnableBinding
from langchain_core.tools import BaseTool

from modegraph.agents.chat.prompts import RolePrompt, same_targets
from modegraph.agents.protocol import AllowedTarget
from modegraph.modes.model import Mode

__all__ = ["Binding", "Prepared"]


@dataclass(frozen=True)
class Prepared:
    """What `ChatAgent.prepare` built for one role."""

    mode: Mode
    """The role."""
    allowed: tuple[AllowedTarget, ...]
    """Its targets."""
    tools: tuple[BaseTool, ...]
    """Its handoff tools, then `complete`."""
    prompt: RolePrompt
    """The fixed part of its system prompt."""

    def fits(self, mode: Mode, allowed: tuple[AllowedTarget, ...]) -> bool:
        """Whether this was built for this mode and these targets (the same objects)."""
        return self.mode is mode and same_targets(self.allowed, allowed)


@dataclass(frozen=True)
class Binding:
    """A role's tools bound to its model, reusable while its inputs are unchanged."""

    model: BaseChatModel
    """The model the tools are bound to."""
    allowed: tuple[AllowedTarget, ...]
    """The targets the handoff tools were built for."""
    mode_tools: tuple[BaseTool, ...]
    """The mode's own tools (held, so their identity stays meaningful)."""
    tools: tuple[BaseTool, ...]
    """Every tool bound: handoffs, `complete`, the mode's tools."""
    handoffs_by_tool: dict[str, str]
    """Target slug per handoff tool name."""
    bound: Runnable[LanguageModelInput, AIMessage]
    """The model with the tools bound."""
    prompt: RolePrompt
    """The parts of the role's system prompt that its turns share."""
    label: str
    """The model's name, for traces and live progress."""

    def fits(
        self,
        model: BaseChatModel,
        allowed: tuple[AllowedTarget, ...],
        mode_tools: Sequence[BaseTool],
    ) -> bool:
        """Whether this binding serves a turn with these inputs.

        The model and the mode's tools must be the very same objects (a tool object
        may hold per-turn state, e.g. a sandbox's journal hook); the targets must be
        equal (they are rebuilt every turn from the same catalog).
        """
        return (
            self.model is model
            and len(self.mode_tools) == len(mode_tools)
            and all(a is b for a, b in zip(self.mode_tools, mode_tools, strict=True))
            and (same_targets(self.allowed, allowed) or self.allowed == allowed)
        )

    def unbound(self) -> tuple[Runnable[Any, Any], Mapping[str, Any]]:
        """The model and the binding's arguments, to call the model without its binding.

        For a turn nothing listens to (`modegraph.agents.listeners`): `RunnableBinding`
        merges its config (empty) with the call's and passes its arguments (the tools)
        on; the merge only rebuilds the callbacks, which nothing reads. A model with
        handlers of its own (`callbacks`, `verbose`), a binding with a config of its own
        or one that calls differently is called through the binding (no arguments).
        """
        bound, model = self.bound, self.model
        if not isinstance(bound, RunnableBinding):
            return bound, {}
        kind = type(bound)
        if (
            kind.invoke is RunnableBinding.invoke
            and kind.ainvoke is RunnableBinding.ainvoke
            and kind._merge_configs is RunnableBinding._merge_configs
            and bound.bound is model
            and not bound.config
            and not bound.config_factories
            and not model.callbacks
            and not model.verbose
        ):
            return model, bound.kwargs
        return bound, {}
