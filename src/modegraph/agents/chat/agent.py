"""The chat agent: a role's turn done by any langchain-core chat model with tool calling.

The model gets a system prompt built from the mode (`modegraph.agents.chat.prompts`), one
handoff tool per allowed target and no others, a `complete` tool, and the mode's own
tools. The turn is a bounded loop of rounds; a round is one model call plus the tools
it asked for:

- a mode tool call runs, and its result (or its error, e.g. `ToolRefused`) goes back
  to the model as a `ToolMessage`;
- a bad call (arguments that are not valid JSON, arguments that do not fit the tool,
  a tool the role does not have) gets a `ToolMessage` error saying what was wrong, and
  a note in the report, never a crash; after `max_bad_calls` of them the turn ends
  `blocked` (see `modegraph.agents.chat._turn`);
- handoff calls are collected, not run: the coordinator checks and routes them, and the
  results come back on an integration turn, so they end the turn;
- `complete` ends the turn with its report; a plain-text answer ends it too (the text is
  the summary);
- after `max_tool_rounds` rounds the turn ends `blocked`, saying why;
- before each model call the turn's share of the run's budget (`RoleTurn.llm_calls_left`,
  `tokens_left`, `cost_left`) is checked; when it allows no other call, `BudgetExceeded`
  is raised carrying the calls, tokens and cost spent (the role node reports the turn
  `blocked`);
- a model call that raises (a provider or network error, once the SDK's own retries
  ran out) ends the turn `failed`, with the calls and tokens spent so far and a hint
  (`modegraph.agents.chat.failures`), even an `AssertionError` raised inside a provider
  SDK; modegraph's own errors propagate, the strict scripted model's `ScriptError` (a
  `ModegraphError`) included.

The report counts exactly one LLM call per model call, sums the tokens of every
answer's `usage_metadata` (input + output) and, when `price_for` gives the model's
price, what they cost.

Every turn is a run in LangChain's callback tree, named by role and subtask, with its
model and tool calls as children (`modegraph.agents.chat.tracing`): LangSmith traces
it when its environment variables are set, and `callbacks` (live progress) see it.

Binding tools to a model (`bind_tools`) converts every tool's schema, which costs more
than the rest of a turn. The agent keeps the last binding per role and reuses it while
the model, the allowed targets and the mode's tools are the same objects as before;
a turn with fresh tools (a sandboxed agent builds them per turn) binds anew. The
coordinator also has the agent `prepare` each role when it is compiled: its handoff
tools and the part of its system prompt that no turn changes are built then, once
(`modegraph.agents.chat.prompts.RolePrompt`), and used by the turns given those very
mode and target objects.

When nothing listens to a turn's run (no callback handler, no tracer: see
`modegraph.agents.listeners`), the run is not opened, and the model is called with the
bound tools as arguments, not through its `RunnableBinding` (which only merges configs).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping, Sequence
from contextvars import Token
from dataclasses import dataclass, field
from typing import Any, cast

from langchain_core.callbacks import BaseCallbackHandler, Callbacks
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.runnables import Runnable, RunnableConfig
from langchain_core.runnables.config import var_child_runnable_config
from langchain_core.tools import BaseTool

from modegraph.agents.chat import tracing
from modegraph.agents.chat._roles import Binding, Prepared
from modegraph.agents.chat._turn import TurnState, tool_error, tool_message
from modegraph.agents.chat.failures import describe_model_error
from modegraph.agents.chat.prompts import role_prompt
from modegraph.agents.chat.tracing import astart_turn_run, outputs, start_turn_run
from modegraph.agents.chat.turn_tools import (
    COMPLETE_TOOL,
    HANDOFF_PREFIX,
    complete_tool,
    handoff_tool,
    handoff_tool_name,
)
from modegraph.agents.listeners import unheard
from modegraph.agents.protocol import AgentReport, AllowedTarget, RoleTurn
from modegraph.errors import (
    BudgetExceeded,
    ConfigError,
    ModegraphError,
    ProviderError,
    SetupError,
)
from modegraph.modes.config import PriceConfig
from modegraph.modes.model import Mode

__all__ = ["ChatAgent"]

_PASS_THROUGH = (SetupError, BudgetExceeded)
"""Errors a tool raises that stop the run instead of going back to the model."""

_PASS_THROUGH_MODEL = (ModegraphError,)
"""Errors from a model call that propagate; any other ends the turn `failed`."""


class ChatAgent:
    """An `Agent` whose turns are done by a chat model that calls tools."""

    def __init__(
        self,
        *,
        model: BaseChatModel | None = None,
        model_for: Callable[[Mode], BaseChatModel] | None = None,
        tools_for: Callable[[Mode], Sequence[BaseTool]] | None = None,
        price_for: Callable[[Mode], PriceConfig | None] | None = None,
        callbacks: Sequence[BaseCallbackHandler] = (),
        max_tool_rounds: int = 8,
        max_bad_calls: int = 3,
    ) -> None:
        """Create the agent.

        Args:
            model: The chat model every role uses.
            model_for: Picks the chat model per role (e.g. from the mode's model);
                give this or `model`, not both.
            tools_for: The mode's own tools (permission-checked file and command
                tools); none when not given.
            price_for: The price of the role's model (`ModelChooser.price_for`), so
                reports say what turns cost; none when not given.
            callbacks: Handlers for every turn's run and the model and tool calls in
                it (live progress); LangSmith's tracer comes from the environment.
            max_tool_rounds: Most model calls in one turn; the turn ends `blocked` when
                they are spent without `complete` or a handoff.
            max_bad_calls: Most bad tool calls (malformed or invalid arguments,
                unknown tools) one turn tolerates before it ends `blocked`.

        Raises:
            ConfigError: When neither or both of `model` and `model_for` are given, or
                `max_tool_rounds` is below 1, or `max_bad_calls` below 0.
        """
        if (model is None) == (model_for is None):
            msg = "ChatAgent needs exactly one of model=... or model_for=...; got " + (
                "both" if model is not None else "neither"
            )
            raise ConfigError(msg)
        if max_tool_rounds < 1:
            msg = f"max_tool_rounds must be at least 1, got {max_tool_rounds}"
            raise ConfigError(msg)
        if max_bad_calls < 0:
            msg = f"max_bad_calls must be at least 0, got {max_bad_calls}"
            raise ConfigError(msg)
        self._model = model
        self._model_for = model_for
        self._tools_for = tools_for
        self._price_for = price_for
        self._callbacks = tuple(callbacks)
        self.max_tool_rounds = max_tool_rounds
        self.max_bad_calls = max_bad_calls
        self._bindings: dict[str, Binding] = {}
        self._prepared: dict[str, Prepared] = {}

    def prepare(self, mode: Mode, allowed: tuple[AllowedTarget, ...]) -> None:
        """Build a role's handoff tools and the fixed part of its prompt, before any turn.

        The coordinator calls this once per role when it is compiled (`Preparing`). A
        turn uses them when its mode and targets are these very objects; any other
        turn builds its own. With one model for every role and no mode tools, the tools
        are bound to the model here too (what `bind_tools` does: format their schemas).

        Args:
            mode: The role.
            allowed: Where it may hand work.
        """
        self._prepared[mode.slug] = Prepared(
            mode=mode,
            allowed=allowed,
            tools=(*(handoff_tool(target) for target in allowed), complete_tool()),
            prompt=role_prompt(mode, allowed),
        )
        if self._model is None or self._tools_for is not None:
            return  # the model or the mode's tools are known at the turn only
        try:
            self._bindings[mode.slug] = self._bind(self._model, mode, allowed, ())
        except ProviderError:
            return  # a model without tool calling: the turn says so

    def run(self, turn: RoleTurn) -> AgentReport:
        """Do one role turn synchronously.

        Args:
            turn: The role turn.

        Returns:
            The role's report.
        """
        binding = self._binding(turn, self._mode_tools(turn.mode))
        quiet = tracing.quiet_turn_callbacks(turn, model=binding.label, handlers=self._callbacks)
        if quiet is not None:  # nothing can hear the turn's run: it is not opened
            return _drive(self._steps(turn, binding, quiet, heard=False))
        trace = start_turn_run(turn, model=binding.label, handlers=self._callbacks)
        try:
            request = _drive(
                self._steps(turn, binding, trace.get_child(), heard=not unheard(trace))
            )
        except BaseException as exc:
            trace.on_chain_error(exc)
            raise
        trace.on_chain_end(outputs(request))
        return request

    async def arun(self, turn: RoleTurn) -> AgentReport:
        """Do one role turn asynchronously (the model and tools are awaited).

        Args:
            turn: The role turn.

        Returns:
            The role's report.
        """
        binding = self._binding(turn, self._mode_tools(turn.mode))
        trace = await astart_turn_run(turn, model=binding.label, handlers=self._callbacks)
        try:
            steps = self._steps(turn, binding, trace.get_child(), heard=not unheard(trace))
            request = _advance(steps, None)
            while not isinstance(request, AgentReport):
                request = _advance(steps, await request.ainvoke())
        except BaseException as exc:
            await trace.on_chain_error(exc)
            raise
        await trace.on_chain_end(outputs(request))
        return request

    def _steps(
        self, turn: RoleTurn, binding: Binding, callbacks: Callbacks, *, heard: bool
    ) -> _Steps:
        """The turn as a state machine: it yields what to call, and gets the outcome.

        The machine yields a `_Request` (a model call or a tool run); the driver (sync
        or async) performs it and sends back its result, or `_Raised` with the error
        it raised (the errors that stop the run propagate instead). The machine
        returns the report. `heard`: whether a handler listens to the turn's run.
        """
        state = TurnState.start(
            turn,
            mode_tools=binding.mode_tools,
            handoffs_by_tool=binding.handoffs_by_tool,
            tools=binding.tools,
            price=self._price_for(turn.mode) if self._price_for is not None else None,
            max_bad_calls=self.max_bad_calls,
            prompt=binding.prompt,
        )
        model_config: RunnableConfig = {
            "callbacks": callbacks,
            "run_name": f"{turn.mode.slug} model",
        }
        tool_config: RunnableConfig = {"callbacks": callbacks}
        model, bound_kwargs = (binding.bound, {}) if heard else binding.unbound()
        for _ in range(self.max_tool_rounds):
            state.check_budget()
            answer = yield _Request(
                model, state.messages, _PASS_THROUGH_MODEL, model_config, bound_kwargs
            )
            if isinstance(answer, _Raised):
                return state.model_failed(describe_model_error(answer.error))
            step = state.take(cast("AIMessage", answer))
            for call, tool in step.to_run:
                output = yield _Request(tool, call, _PASS_THROUGH, tool_config)
                if isinstance(output, _Raised):
                    state.add_result(tool_error(call, output.error, state.notes))
                else:
                    state.add_result(tool_message(call, output))
            if step.ends:
                return state.report(step)
            if state.too_many_bad_calls:
                return state.out_of_patience()
        return state.out_of_rounds(self.max_tool_rounds)

    def _mode_tools(self, mode: Mode) -> list[BaseTool]:
        tools = list(self._tools_for(mode)) if self._tools_for else []
        for tool in tools:
            if tool.name == COMPLETE_TOOL or tool.name.startswith(HANDOFF_PREFIX):
                msg = (
                    f"the tool {tool.name!r} of role {mode.slug!r} clashes with the chat "
                    f"agent's own tools ({COMPLETE_TOOL!r}, {HANDOFF_PREFIX}*); rename it"
                )
                raise ConfigError(msg)
        return tools

    def _binding(self, turn: RoleTurn, mode_tools: list[BaseTool]) -> Binding:
        """The role's tools and bound model: the last ones when nothing changed."""
        mode = turn.mode
        model = self._model_for(mode) if self._model_for is not None else self._model
        assert model is not None  # the constructor guarantees one of them
        cached = self._bindings.get(mode.slug)
        if cached is not None and cached.fits(model, turn.allowed, mode_tools):
            return cached
        binding = self._bind(model, mode, turn.allowed, mode_tools)
        self._bindings[mode.slug] = binding  # one per role: fresh tools replace, not pile up
        return binding

    def _bind(
        self,
        model: BaseChatModel,
        mode: Mode,
        allowed: tuple[AllowedTarget, ...],
        mode_tools: Sequence[BaseTool],
    ) -> Binding:
        """Bind the role's tools (the prepared ones when they fit) to `model`.

        Raises:
            ProviderError: The model does not support tool calling.
        """
        ready = self._prepared.get(mode.slug)
        if ready is not None and ready.fits(mode, allowed):
            own, prompt = ready.tools, ready.prompt
        else:
            own = (*(handoff_tool(target) for target in allowed), complete_tool())
            prompt = role_prompt(mode, allowed)
        tools = (*own, *mode_tools)
        try:
            bound = model.bind_tools(list(tools))
        except NotImplementedError as exc:
            msg = (
                f"the chat model {type(model).__name__} for role {mode.slug!r} does not "
                "support tool calling (bind_tools); pick a model that does"
            )
            raise ProviderError(msg) from exc
        return Binding(
            model=model,
            allowed=allowed,
            mode_tools=tuple(mode_tools),
            tools=tools,
            handoffs_by_tool={
                handoff_tool_name(target.mode.slug): target.mode.slug for target in allowed
            },
            bound=bound,
            prompt=prompt,
            label=_label(model),
        )


@dataclass(frozen=True)
class _Request:
    """What the turn asks its driver to call: the bound model or one mode tool."""

    runnable: Runnable[Any, Any]
    """The bound model or the tool."""
    input: Any
    """The messages so far (for the model) or the tool call."""
    passing: tuple[type[Exception], ...]
    """The errors that propagate instead of going back to the turn."""
    config: RunnableConfig
    """The callbacks (the turn's run) and the run name."""
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    """Keyword arguments of the call (a binding's, when the model is called without it)."""

    def invoke(self) -> object:
        """Call it: its result, or `_Raised` when it raised an error that does not propagate."""
        token = self._enter()
        try:
            return self.runnable.invoke(self.input, self.config, **self.kwargs)
        except Exception as exc:
            return self._failed(exc)
        finally:
            var_child_runnable_config.reset(token)

    async def ainvoke(self) -> object:
        """Call it, awaited; like `invoke`."""
        token = self._enter()
        try:
            return await self.runnable.ainvoke(self.input, self.config, **self.kwargs)
        except Exception as exc:
            return self._failed(exc)
        finally:
            var_child_runnable_config.reset(token)

    def _enter(self) -> Token[RunnableConfig | None]:
        """Make the turn's run the current one while the call runs.

        Inside the coordinator the current run is LangGraph's node; a bound model
        (`RunnableBinding`) merges its config with the current one, and the merged
        callbacks would hang the model's run under the node instead of the turn.
        """
        return var_child_runnable_config.set({"callbacks": self.config.get("callbacks")})

    def _failed(self, exc: Exception) -> _Raised:
        """Re-raise an error that must propagate; return any other for the turn."""
        if isinstance(exc, self.passing):
            raise exc
        return _Raised(exc)


@dataclass(frozen=True)
class _Raised:
    """The outcome of a request that raised an error the turn handles."""

    error: Exception
    """The error."""


_Steps = Generator[_Request, object, AgentReport]


def _drive(steps: _Steps) -> AgentReport:
    """Perform each request of a turn, synchronously, until its report."""
    request = _advance(steps, None)
    while not isinstance(request, AgentReport):
        request = _advance(steps, request.invoke())
    return request


def _advance(steps: _Steps, outcome: object) -> _Request | AgentReport:
    """Send the last outcome to the turn; the next request, or the report at the end."""
    try:
        return steps.send(outcome)
    except StopIteration as stop:
        report: AgentReport = stop.value
        return report


def _label(model: BaseChatModel) -> str:
    """The model's name as its provider knows it, for traces and live progress."""
    for name in ("model_name", "model"):
        value: Any = getattr(model, name, None)
        if isinstance(value, str) and value:
            return value
    return type(model).__name__
