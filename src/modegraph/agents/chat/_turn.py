"""The messages and tallies of one chat turn, and what each model answer asks for.

`TurnState` keeps the conversation of a turn and counts what it costs: one LLM call
per answer, the tokens of every answer's `usage_metadata` (input + output), and the
money those tokens cost when the model has a price. It sorts each answer's tool
calls (`Step`): mode tools to run, `complete`, handoffs, and *bad calls*, which go
back to the model as error `ToolMessage`s saying what was wrong:

- a call whose arguments are not valid JSON (`AIMessage.invalid_tool_calls`, which
  the provider integrations fill when the wire carried malformed JSON);
- a call to `complete` or a handoff tool whose arguments do not fit its schema;
- a call to a tool the role does not have.

The model may try again; after `max_bad_calls` bad calls in one turn the turn ends
`blocked`, saying why, so a model stuck on malformed calls stops early.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    InvalidToolCall,
    SystemMessage,
    ToolCall,
    ToolMessage,
)
from langchain_core.tools import BaseTool
from pydantic import BaseModel, ValidationError

from modegraph.agents.chat.prompts import RolePrompt, system_prompt, turn_request
from modegraph.agents.chat.turn_tools import COMPLETE_TOOL, CompleteArgs, HandoffArgs
from modegraph.agents.protocol import AgentReport, HandoffRequest, ReportStatus, RoleTurn
from modegraph.errors import BudgetExceeded

if TYPE_CHECKING:
    from modegraph.modes.config import PriceConfig

__all__ = ["Step", "TurnState", "tool_error", "tool_message"]

_ArgsT = TypeVar("_ArgsT", bound=BaseModel)

_PER_MILLION = 1_000_000


@dataclass
class Step:
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
    def plain(self) -> bool:
        """Whether the answer is text only: no tool call at all, valid or not."""
        return not self.response.tool_calls and not self.response.invalid_tool_calls

    @property
    def ends(self) -> bool:
        """Whether this answer ends the turn (plain text, `complete` or a handoff)."""
        return self.plain or self.completion is not None or bool(self.handoffs)


@dataclass
class TurnState:
    """The messages and tallies of one turn, kept by its state machine."""

    turn: RoleTurn
    """The turn."""
    mode_tools: dict[str, BaseTool]
    """The mode's own tools by name."""
    handoffs_by_tool: dict[str, str]
    """Target slug per handoff tool name."""
    tools: list[BaseTool]
    """Every tool bound (for the unknown-tool message)."""
    messages: list[BaseMessage]
    """The conversation so far."""
    price: PriceConfig | None = None
    """The model's price, when `modegraph.yaml` gives one."""
    max_bad_calls: int = 3
    """Bad tool calls (malformed, invalid, unknown) the turn tolerates."""
    llm_calls: int = 0
    """Model calls made."""
    tokens: int = 0
    """Tokens used (input + output)."""
    cost: float = 0.0
    """What the calls cost (0 without a price)."""
    bad_calls: int = 0
    """Bad tool calls so far."""
    notes: list[str] = field(default_factory=list)
    """Explanations for the report."""

    @classmethod
    def start(
        cls,
        turn: RoleTurn,
        *,
        mode_tools: tuple[BaseTool, ...],
        handoffs_by_tool: dict[str, str],
        tools: tuple[BaseTool, ...],
        price: PriceConfig | None,
        max_bad_calls: int,
        prompt: RolePrompt | None = None,
    ) -> TurnState:
        """The state before the first model call: the system prompt and the request.

        `prompt` holds the parts of the system prompt built earlier for the role.
        """
        return cls(
            turn=turn,
            mode_tools={tool.name: tool for tool in mode_tools},
            handoffs_by_tool=dict(handoffs_by_tool),
            tools=list(tools),
            messages=[SystemMessage(system_prompt(turn, prompt)), HumanMessage(turn_request(turn))],
            price=price,
            max_bad_calls=max_bad_calls,
        )

    # -- each answer ------------------------------------------------------------

    def take(self, response: AIMessage) -> Step:
        """Count one model call, keep its answer, and sort what it asks for."""
        self.llm_calls += 1
        usage = response.usage_metadata
        if usage is not None:
            spent_in, spent_out = usage.get("input_tokens", 0), usage.get("output_tokens", 0)
            self.tokens += spent_in + spent_out
            if self.price is not None:
                self.cost += (
                    spent_in * self.price.input + spent_out * self.price.output
                ) / _PER_MILLION
        self.messages.append(response)
        step = Step(response=response)
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
        for invalid in response.invalid_tool_calls:
            self._malformed(invalid)
        return step

    @property
    def too_many_bad_calls(self) -> bool:
        """Whether the model made more bad tool calls than the turn tolerates."""
        return self.bad_calls > self.max_bad_calls

    def check_budget(self) -> None:
        """Raise `BudgetExceeded` when the turn's share of the budget allows no other call.

        Raises:
            BudgetExceeded: `llm_calls_left` calls are made, `tokens_left` tokens used
                or `cost_left` spent; it carries what the turn spent.
        """
        turn = self.turn
        reason = fix = ""
        if turn.llm_calls_left is not None and self.llm_calls >= turn.llm_calls_left:
            reason = (
                f"this turn may make {turn.llm_calls_left} LLM call(s) and made {self.llm_calls}"
            )
            fix = "--max-llm-calls"
        elif turn.tokens_left is not None and self.tokens >= turn.tokens_left:
            reason = f"this turn may use {turn.tokens_left} tokens and used {self.tokens}"
            fix = "--max-tokens"
        elif turn.cost_left is not None and self.cost >= turn.cost_left:
            reason = f"this turn may spend ${turn.cost_left:.6f} and spent ${self.cost:.6f}"
            fix = "--max-cost"
        if reason:
            raise BudgetExceeded(
                f"the LLM budget is spent: {reason}; raise {fix}",
                llm_calls=self.llm_calls,
                tokens=self.tokens,
                cost=self.cost,
            )

    def add_result(self, message: ToolMessage) -> None:
        """Give a tool's result back to the model."""
        self.messages.append(message)

    # -- reports ----------------------------------------------------------------

    def report(self, step: Step) -> AgentReport:
        """The report of a turn that this step ends (after its tools have run)."""
        if step.plain:
            return self._plain_text(step.response)
        return self._report(step.response, step.completion, step.handoffs)

    def stopped(self, reason: str) -> AgentReport:
        """A `blocked` report: the turn stopped for `reason`."""
        return self._ended(ReportStatus.BLOCKED, reason)

    def out_of_rounds(self, rounds: int) -> AgentReport:
        """The report when the turn used every round without ending."""
        return self.stopped(
            f"stopped after {rounds} tool rounds without `complete` or a handoff (max_tool_rounds)"
        )

    def out_of_patience(self) -> AgentReport:
        """The report when the model made too many bad tool calls."""
        return self.stopped(
            f"the model made {self.bad_calls} bad tool calls (malformed or invalid "
            f"arguments, unknown tools), more than the {self.max_bad_calls} a turn allows"
        )

    def model_failed(self, reason: str) -> AgentReport:
        """The report when a model call raised (a provider error, a timeout, ...).

        The failed call counts as an LLM call: it may have cost tokens upstream.
        """
        self.llm_calls += 1
        return self._ended(ReportStatus.FAILED, f"the chat model failed: {reason}")

    def _ended(self, status: ReportStatus, reason: str) -> AgentReport:
        word = "Blocked" if status is ReportStatus.BLOCKED else "Failed"
        return AgentReport(
            status=status,
            summary=f"{word}: {reason}.",
            outcome=word,
            llm_calls=self.llm_calls,
            tokens=self.tokens,
            cost=self.cost,
            notes=(*self.notes, reason),
        )

    def _plain_text(self, response: AIMessage) -> AgentReport:
        text = response.text.strip()
        if not text:
            return self.stopped("the model answered with neither text nor a tool call")
        return AgentReport(
            summary=text,
            llm_calls=self.llm_calls,
            tokens=self.tokens,
            cost=self.cost,
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
            cost=self.cost,
            notes=tuple(self.notes),
        )

    # -- bad calls --------------------------------------------------------------

    def _parse(self, call: ToolCall, schema: type[_ArgsT]) -> _ArgsT | None:
        try:
            return schema.model_validate(call["args"])
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(part) for part in error['loc']) or 'arguments'}: {error['msg']}"
                for error in exc.errors()
            )
            text = f"Error: invalid arguments for {call['name']}: {problems}. Call it again."
            self._bad(call, text, note=f"invalid arguments for {call['name']}: {problems}")
            return None

    def _unknown(self, call: ToolCall) -> None:
        names = ", ".join(tool.name for tool in self.tools)
        text = (
            f"Error: there is no tool named {call['name']!r} for role "
            f"{self.turn.mode.slug!r}. The tools you have are: {names}."
        )
        self._bad(call, text, note=f"the model called unknown tool {call['name']!r}")

    def _malformed(self, call: InvalidToolCall) -> None:
        name = call.get("name") or "a tool"
        raw = " ".join(str(call.get("args") or "").split())
        shown = raw if len(raw) <= 120 else raw[:119] + "…"
        text = (
            f"Error: the arguments of your call to {name} are not valid JSON ({shown!r}"
            f"{'; ' + str(call['error']) if call.get('error') else ''}). Call it again "
            "with a JSON object that fits the tool's schema."
        )
        self._bad(call, text, note=f"the model sent malformed JSON arguments for {name}")

    def _bad(self, call: ToolCall | InvalidToolCall, text: str, *, note: str) -> None:
        self.bad_calls += 1
        self.notes.append(note)
        self.messages.append(
            ToolMessage(
                content=text,
                tool_call_id=call.get("id") or "",
                name=call.get("name") or "",
                status="error",
            )
        )


def tool_error(call: ToolCall, exc: Exception, notes: list[str]) -> ToolMessage:
    """The error a mode tool raised, as the `ToolMessage` the model gets (and a note)."""
    notes.append(f"tool {call['name']!r} failed: {type(exc).__name__}: {exc}")
    return ToolMessage(
        content=f"Error: {type(exc).__name__}: {exc}",
        tool_call_id=call["id"] or "",
        name=call["name"],
        status="error",
    )


def tool_message(call: ToolCall, output: Any) -> ToolMessage:
    """A mode tool's result as the `ToolMessage` the model gets."""
    if isinstance(output, ToolMessage):
        return output
    return ToolMessage(content=str(output), tool_call_id=call["id"] or "", name=call["name"])
