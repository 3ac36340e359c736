"""The chat agent: a role's turn done by any langchain-core chat model with tool calling.

The model gets a system prompt built from the mode (`modegraph.agents.chat.prompts`), one
handoff tool per allowed target and no others, a `complete` tool, and the mode's own
tools. The turn is a bounded loop of rounds; a round is one model call plus the tools
it asked for:

- a mode tool call runs, and its result (or its error, e.g. `ToolRefused`) goes back
  to the model as a `ToolMessage`;
- a call to a tool the role does not have gets a `ToolMessage` error listing the tools
  it does have, and a note in the report, never a crash;
- handoff calls are collected, not run: the coordinator checks and routes them, and the
  results come back on an integration turn, so they end the turn;
- `complete` ends the turn with its report; a plain-text answer ends it too (the text is
  the summary);
- after `max_tool_rounds` rounds the turn ends `blocked`, saying why;
- before each model call the turn's share of the run's budget (`RoleTurn.llm_calls_left`,
  `tokens_left`) is checked; when it allows no other call, `BudgetExceeded` is raised
  carrying the calls and tokens spent (the role node reports the turn `blocked`);
- a model call that raises (a provider or network error) ends the turn `failed`, with
  the calls and tokens spent so far, even an `AssertionError` raised inside a provider
  SDK; modegraph's own errors propagate, the strict scripted model's `ScriptError`
  (a `ModegraphError`) included.

The report counts exactly one LLM call per model call and sums the tokens of every
answer's `usage_metadata` (input + output).

Binding tools to a model (`bind_tools`) converts every tool's schema, which costs more
than the rest of a turn. The agent keeps the last binding per role and reuses it while
the model, the allowed targets and the mode's tools are the same objects as before;
a turn with fresh tools (a sandboxed agent builds them per turn) binds anew.

Longer than 400 lines: one turn is one generator state machine (model call,
tool calls, handoffs, completion, errors) that the sync and async drivers share.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.messages.tool import ToolCall
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from pydantic import BaseModel, ValidationError

from modegraph.agents.chat.prompts import system_prompt, turn_request
from modegraph.agents.chat.turn_tools import (
    COMPLETE_TOOL,
    HANDOFF_PREFIX,
    CompleteArgs,
    HandoffArgs,
    complete_tool,
    handoff_tool,
    handoff_tool_name,
)
from modegraph.agents.protocol import (
    AgentReport,
    AllowedTarget,
    HandoffRequest,
    ReportStatus,
    RoleTurn,
)
from modegraph.errors import (
    BudgetExceeded,
    ConfigError,
    ModegraphError,
    ProviderError,
    SetupError,
)
from modegraph.modes.model import Mode

__all__ = ["ChatAgent"]

_ArgsT = TypeVar("_ArgsT", bound=BaseModel)

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
        max_tool_rounds: int = 8,
    ) -> None:
        """Create the agent.

        Args:
            model: The chat model every role uses.
            model_for: Picks the chat model per role (e.g. from the mode's model);
                give this or `model`, not both.
            tools_for: The mode's own tools (permission-checked file and command
                tools); none when not given.
            max_tool_rounds: Most model calls in one turn; the turn ends `blocked` when
                they are spent without `complete` or a handoff.

        Raises:
            ConfigError: When neither or both of `model` and `model_for` are given, or
                `max_tool_rounds` is below 1.
        """
        if (model is None) == (model_for is None):
            msg = "ChatAgent needs exactly one of model=... or model_for=...; got " + (
                "both" if model is not None else "neither"
            )
            raise ConfigError(msg)
        if max_tool_rounds < 1:
            msg = f"max_tool_rounds must be at least 1, got {max_tool_rounds}"
            raise ConfigError(msg)
        self._model = model
        self._model_for = model_for
        self._tools_for = tools_for
        self.max_tool_rounds = max_tool_rounds
        self._bindings: dict[str, _Binding] = {}

    def run(self, turn: RoleTurn) -> AgentReport:
        """Do one role turn synchronously.

        Args:
            turn: The role turn.

        Returns:
            The role's report.
        """
        steps = self._steps(turn)
        request = _advance(steps, None)
        while not isinstance(request, AgentReport):
            request = _advance(steps, request.invoke())
        return request

    async def arun(self, turn: RoleTurn) -> AgentReport:
        """Do one role turn asynchronously (the model and tools are awaited).

        Args:
            turn: The role turn.

        Returns:
            The role's report.
        """
        steps = self._steps(turn)
        request = _advance(steps, None)
        while not isinstance(request, AgentReport):
            request = _advance(steps, await request.ainvoke())
        return request

    def _steps(self, turn: RoleTurn) -> _Steps:
        """The turn as a state machine: it yields what to call, and gets the outcome.

        The machine yields a `_Request` (a model call or a tool run); the driver (sync
        or async) performs it and sends back its result, or `_Raised` with the error
        it raised (the errors that stop the run propagate instead). The machine
        returns the report.
        """
        binding = self._binding(turn, self._mode_tools(turn.mode))
        state = _TurnState.start(turn, binding)
        for _ in range(self.max_tool_rounds):
            state.check_budget()
            answer = yield _Request(binding.bound, state.messages, _PASS_THROUGH_MODEL)
            if isinstance(answer, _Raised):
                return state.model_failed(answer.error)
            step = state.take(cast("AIMessage", answer))
            for call, tool in step.to_run:
                output = yield _Request(tool, call, _PASS_THROUGH)
                if isinstance(output, _Raised):
                    state.add_result(_tool_error(call, output.error, state.notes))
                else:
                    state.add_result(_as_message(call, output))
            if step.ends:
                return state.report(step)
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

    def _binding(self, turn: RoleTurn, mode_tools: list[BaseTool]) -> _Binding:
        """The role's tools and bound model: the last ones when nothing changed."""
        mode = turn.mode
        model = self._model_for(mode) if self._model_for is not None else self._model
        assert model is not None  # the constructor guarantees one of them
        cached = self._bindings.get(mode.slug)
        if cached is not None and cached.fits(model, turn.allowed, mode_tools):
            return cached
        tools = (
            *(handoff_tool(target) for target in turn.allowed),
            complete_tool(),
            *mode_tools,
        )
        try:
            bound = model.bind_tools(list(tools))
        except NotImplementedError as exc:
            msg = (
                f"the chat model {type(model).__name__} for role {mode.slug!r} does not "
                "support tool calling (bind_tools); pick a model that does"
            )
            raise ProviderError(msg) from exc
        binding = _Binding(
            model=model,
            allowed=turn.allowed,
            mode_tools=tuple(mode_tools),
            tools=tools,
            handoffs_by_tool={
                handoff_tool_name(target.mode.slug): target.mode.slug for target in turn.allowed
            },
            bound=bound,
        )
        self._bindings[mode.slug] = binding  # one per role: fresh tools replace, not pile up
        return binding


@dataclass(frozen=True)
class _Request:
    """What the turn asks its driver to call: the bound model or one mode tool."""

    runnable: Runnable[Any, Any]
    """The bound model or the tool."""
    input: Any
    """The messages so far (for the model) or the tool call."""
    passing: tuple[type[Exception], ...]
    """The errors that propagate instead of going back to the turn."""

    def invoke(self) -> object:
        """Call it: its result, or `_Raised` when it raised an error that does not propagate."""
        try:
            return self.runnable.invoke(self.input)
        except Exception as exc:
            return self._failed(exc)

    async def ainvoke(self) -> object:
        """Call it, awaited; like `invoke`."""
        try:
            return await self.runnable.ainvoke(self.input)
        except Exception as exc:
            return self._failed(exc)

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


def _advance(steps: _Steps, outcome: object) -> _Request | AgentReport:
    """Send the last outcome to the turn; the next request, or the report at the end."""
    try:
        return steps.send(outcome)
    except StopIteration as stop:
        report: AgentReport = stop.value
        return report


@dataclass(frozen=True)
class _Binding:
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
            and self.allowed == allowed
        )


@dataclass
class _Step:
    """What one model answer asks for."""

    response: AIMessage
    """The answer."""
    to_run: list[tuple[ToolCall, BaseTool]] = field(default_factory=list)
    """Mode tool calls to run before the next round (or before the turn ends)."""
    completion: CompleteArgs | None = None
    """The arguments of a valid `complete` call."""
    handoffs: list[HandoffRequest] = field(default_factory=list)
    """Valid handoff calls, in the order the model made them."""

    @property
    def ends(self) -> bool:
        """Whether this answer ends the turn (plain text, `complete` or a handoff)."""
        plain = not self.response.tool_calls
        return plain or self.completion is not None or bool(self.handoffs)


@dataclass
class _TurnState:
    """The messages and tallies of one turn, kept by its state machine."""

    turn: RoleTurn
    mode_tools: dict[str, BaseTool]
    handoffs_by_tool: dict[str, str]
    tools: list[BaseTool]
    messages: list[BaseMessage]
    llm_calls: int = 0
    tokens: int = 0
    notes: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, turn: RoleTurn, binding: _Binding) -> _TurnState:
        return cls(
            turn=turn,
            mode_tools={tool.name: tool for tool in binding.mode_tools},
            handoffs_by_tool=dict(binding.handoffs_by_tool),
            tools=list(binding.tools),
            messages=[SystemMessage(system_prompt(turn)), HumanMessage(turn_request(turn))],
        )

    def take(self, response: AIMessage) -> _Step:
        """Count one model call, keep its answer, and sort what it asks for."""
        self.llm_calls += 1
        usage = response.usage_metadata
        if usage is not None:
            self.tokens += usage.get("input_tokens", 0) + usage.get("output_tokens", 0)
        self.messages.append(response)
        step = _Step(response=response)
        for call in response.tool_calls:
            name = call["name"]
            if name in self.mode_tools:
                step.to_run.append((call, self.mode_tools[name]))
            elif name == COMPLETE_TOOL:
                step.completion = self._parse(call, CompleteArgs) or step.completion
            elif name in self.handoffs_by_tool:
                args = self._parse(call, HandoffArgs)
                if args is not None:
                    target = self.handoffs_by_tool[name]
                    step.handoffs.append(
                        HandoffRequest(target=target, goal=args.goal, reason=args.reason)
                    )
            else:
                self._unknown(call)
        return step

    def check_budget(self) -> None:
        """Raise `BudgetExceeded` when the turn's share of the budget allows no other call.

        Raises:
            BudgetExceeded: `llm_calls_left` calls are made, or `tokens_left` tokens
                used; it carries what the turn spent.
        """
        calls_left, tokens_left = self.turn.llm_calls_left, self.turn.tokens_left
        reason = ""
        if calls_left is not None and self.llm_calls >= calls_left:
            reason = f"this turn may make {calls_left} LLM call(s) and made {self.llm_calls}"
        elif tokens_left is not None and self.tokens >= tokens_left:
            reason = f"this turn may use {tokens_left} tokens and used {self.tokens}"
        if reason:
            raise BudgetExceeded(
                f"the LLM budget is spent: {reason}; raise --max-llm-calls / --max-tokens",
                llm_calls=self.llm_calls,
                tokens=self.tokens,
            )

    def report(self, step: _Step) -> AgentReport:
        """The report of a turn that this step ends (after its tools have run)."""
        if not step.response.tool_calls:
            return self._plain_text(step.response)
        return self._report(step.response, step.completion, step.handoffs)

    def add_result(self, message: ToolMessage) -> None:
        """Give a tool's result back to the model."""
        self.messages.append(message)

    def out_of_rounds(self, rounds: int) -> AgentReport:
        """The report when the turn used every round without ending."""
        reason = (
            f"stopped after {rounds} tool rounds without `complete` or a handoff (max_tool_rounds)"
        )
        return AgentReport(
            status=ReportStatus.BLOCKED,
            summary=f"Blocked: {reason}.",
            outcome="Blocked",
            llm_calls=self.llm_calls,
            tokens=self.tokens,
            notes=(*self.notes, reason),
        )

    def model_failed(self, exc: Exception) -> AgentReport:
        """The report when a model call raised (a provider error, a timeout, ...).

        The failed call counts as an LLM call: it may have cost tokens upstream.
        """
        self.llm_calls += 1
        reason = f"the chat model failed: {type(exc).__name__}: {' '.join(str(exc).split())}"
        return AgentReport(
            status=ReportStatus.FAILED,
            summary=f"Failed: {reason}.",
            outcome="Failed",
            llm_calls=self.llm_calls,
            tokens=self.tokens,
            notes=(*self.notes, reason),
        )

    def _parse(self, call: ToolCall, schema: type[_ArgsT]) -> _ArgsT | None:
        try:
            return schema.model_validate(call["args"])
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(part) for part in error['loc']) or 'arguments'}: {error['msg']}"
                for error in exc.errors()
            )
            text = f"Error: invalid arguments for {call['name']}: {problems}. Call it again."
            self._error(call, text, note=f"invalid arguments for {call['name']}: {problems}")
            return None

    def _unknown(self, call: ToolCall) -> None:
        names = ", ".join(tool.name for tool in self.tools)
        text = (
            f"Error: there is no tool named {call['name']!r} for role "
            f"{self.turn.mode.slug!r}. The tools you have are: {names}."
        )
        self._error(call, text, note=f"the model called unknown tool {call['name']!r}")

    def _error(self, call: ToolCall, text: str, *, note: str) -> None:
        self.notes.append(note)
        self.messages.append(
            ToolMessage(
                content=text, tool_call_id=call["id"] or "", name=call["name"], status="error"
            )
        )

    def _plain_text(self, response: AIMessage) -> AgentReport:
        text = response.text.strip()
        if not text:
            reason = "the model answered with neither text nor a tool call"
            return AgentReport(
                status=ReportStatus.BLOCKED,
                summary=f"Blocked: {reason}.",
                outcome="Blocked",
                llm_calls=self.llm_calls,
                tokens=self.tokens,
                notes=(*self.notes, reason),
            )
        return AgentReport(
            summary=text,
            llm_calls=self.llm_calls,
            tokens=self.tokens,
            notes=(*self.notes, "the model answered in plain text; taken as the summary"),
        )

    def _report(
        self,
        response: AIMessage,
        completion: CompleteArgs | None,
        handoffs: list[HandoffRequest],
    ) -> AgentReport:
        if completion is not None:
            status = ReportStatus(completion.status)
            summary = completion.summary
            outcome = completion.outcome
            references = tuple(completion.references)
        else:
            status = ReportStatus.COMPLETED
            listed = "; ".join(f"{h.target}: {h.goal}" for h in handoffs)
            summary = response.text.strip() or f"Handed off: {listed}"
            outcome = ""
            references = ()
        return AgentReport(
            status=status,
            summary=summary,
            outcome=outcome,
            references=references,
            handoffs=tuple(handoffs),
            llm_calls=self.llm_calls,
            tokens=self.tokens,
            notes=tuple(self.notes),
        )


def _tool_error(call: ToolCall, exc: Exception, notes: list[str]) -> ToolMessage:
    notes.append(f"tool {call['name']!r} failed: {type(exc).__name__}: {exc}")
    return ToolMessage(
        content=f"Error: {type(exc).__name__}: {exc}",
        tool_call_id=call["id"] or "",
        name=call["name"],
        status="error",
    )


def _as_message(call: ToolCall, output: Any) -> ToolMessage:
    if isinstance(output, ToolMessage):
        return output
    return ToolMessage(content=str(output), tool_call_id=call["id"] or "", name=call["name"])
