"""The coordinator's guards and approval rule, in one frozen model.

Every limit has a documented default and a command-line flag. The LangGraph
`recursion_limit` is never LangGraph's default: it is derived from the guards, so
a run that respects them can never reach it, and a run that does not is stopped by
a guard first.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from modegraph.errors import ConfigError
from modegraph.modes.model import EdgeKind, Mode
from modegraph.roles.levels import Tier, parse_level

__all__ = [
    "DEFAULT_CALLS_PER_ROLE",
    "LIMITS",
    "ApprovalMode",
    "ApprovalRule",
    "Guard",
    "Policy",
    "budget_shares",
    "cost_shares",
    "default_max_llm_calls",
]

DEFAULT_CALLS_PER_ROLE = 8
"""LLM calls the default budget gives each role a task may start with (one full turn
of the chat agent's `max_tool_rounds`)."""

LIMITS = {
    "max_depth": 100,
    "max_subtasks": 10_000,
    "max_turns": 100,
    "max_llm_calls": 10**9,
    "max_tokens": 10**15,
}
"""The largest value each guard takes: far beyond any real run, and small enough that
the policy stored in a checkpoint (64-bit integers) and the recursion limit derived
from it stay valid. A larger value is refused (the CLI says which flag, exit 2)."""


class Guard(StrEnum):
    """The guard that stopped a run (`--json`'s `guard` when the status is `blocked`)."""

    CHAIN = "chain"
    """A role would work twice in one escalation chain (A -> B -> A)."""
    MAX_DEPTH = "max_depth"
    """A handoff would nest deeper than `--max-depth`."""
    MAX_SUBTASKS = "max_subtasks"
    """The run already has `--max-subtasks` subtasks."""
    MAX_TURNS = "max_turns"
    """A role had the most turns one subtask may take."""
    MAX_LLM_CALLS = "max_llm_calls"
    """The LLM call budget (`--max-llm-calls`) is spent."""
    MAX_TOKENS = "max_tokens"
    """The token budget (`--max-tokens`) is spent."""
    MAX_COST = "max_cost"
    """The cost budget (`--max-cost`) is spent."""
    RECURSION_LIMIT = "recursion_limit"
    """LangGraph's recursion limit, derived from the guards, was reached."""
    REPEATED = "repeated"
    """A role asked again for a handoff that was refused, or handed a role the goal it
    already finished (a model going round in circles)."""
    STALLED = "stalled"
    """No turn was left to run while the task was unfinished (a coordinator bug)."""


class ApprovalMode(StrEnum):
    """Which handoffs stop the run for a person's approval."""

    NONE = "none"
    HANDOFFS = "handoffs"
    ESCALATIONS = "escalations"
    TIER = "tier"


_TIER_NAMES = tuple(tier.value for tier in Tier if tier.ranked)


class ApprovalRule(BaseModel):
    """When a handoff needs a person's approval (`--approve none|handoffs|escalations|tier:T`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mode: ApprovalMode = ApprovalMode.NONE
    """none, handoffs (every handoff), escalations (every handoff along an escalate
    edge), or tier."""
    tier: Tier | None = None
    """For `tier`: handoffs to a role of this tier or above need approval."""

    @model_validator(mode="after")
    def _tier_given(self) -> ApprovalRule:
        if (self.mode is ApprovalMode.TIER) != (self.tier is not None):
            raise ValueError("a tier is given exactly when the approval mode is `tier`")
        return self

    @classmethod
    def parse(cls, text: str) -> ApprovalRule:
        """Read `none`, `handoffs`, `escalations` or `tier:<tier>`.

        Raises:
            ConfigError: the text is none of these; the message lists what is accepted.
        """
        value = text.strip().lower()
        if value == ApprovalMode.NONE.value:
            return cls()
        if value in (ApprovalMode.ESCALATIONS.value, ApprovalMode.HANDOFFS.value):
            return cls(mode=ApprovalMode(value))
        if value.startswith("tier:") and value[5:] in _TIER_NAMES:
            return cls(mode=ApprovalMode.TIER, tier=Tier(value[5:]))
        raise ConfigError(
            f"--approve {text!r} is not understood; use none, handoffs, escalations or "
            f"tier:<{'|'.join(_TIER_NAMES)}>"
        )

    def __str__(self) -> str:
        if self.mode is ApprovalMode.TIER and self.tier is not None:
            return f"tier:{self.tier.value}"
        return self.mode.value

    def needs_approval(self, *, target: Mode, kind: EdgeKind) -> bool:
        """True when a handoff along an edge of `kind` to `target` needs approval."""
        if self.mode is ApprovalMode.HANDOFFS:
            return True
        if self.mode is ApprovalMode.ESCALATIONS:
            return kind is EdgeKind.ESCALATE
        if self.mode is ApprovalMode.TIER and self.tier is not None:
            tier = parse_level(target.level).tier
            return tier.ranked and tier >= self.tier
        return False


class Policy(BaseModel):
    """The guards of one run. A run that hits one ends `blocked` with the reason."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_depth: int = Field(default=4, ge=1, le=LIMITS["max_depth"])
    """Deepest subtask nesting; the root task is depth 0 (`--max-depth`)."""
    max_subtasks: int = Field(default=32, ge=1, le=LIMITS["max_subtasks"])
    """Most subtasks one run creates, the root task not counted (`--max-subtasks`)."""
    max_turns: int = Field(default=6, ge=1, le=LIMITS["max_turns"])
    """Most turns of one subtask: its first turn, integrations and retries after refusals."""
    max_llm_calls: int | None = Field(default=None, ge=1, le=LIMITS["max_llm_calls"])
    """Most LLM calls in one run (None: no limit). Each turn sent reserves one call and
    gets a share of what is left (`RoleTurn.llm_calls_left`)."""
    max_tokens: int | None = Field(default=None, ge=1, le=LIMITS["max_tokens"])
    """Most tokens in one run (None: no limit); checked before each turn and, by the
    chat agent, before each model call against the turn's share."""
    max_cost: float | None = Field(default=None, gt=0)
    """Most money one run spends, in the currency of `modegraph.yaml`'s `prices:`
    (None: no limit; `--max-cost`); checked like `max_tokens`."""
    default_llm_calls: bool = False
    """True when `max_llm_calls` is the default scaled to the task rather than a flag,
    so the budget's message says so."""
    approve: ApprovalRule = Field(default_factory=ApprovalRule)
    """Which handoffs stop the run for approval (`--approve`)."""
    from_config: frozenset[Literal["max_depth", "max_subtasks"]] = frozenset()
    """Limits that came from `modegraph.yaml`'s `guards` rather than a flag or the
    default, so a guard's message names the right place to change them."""

    def limit(self, name: Literal["max_depth", "max_subtasks"]) -> str:
        """`--max-depth 4`, or `guards.max_depth 4 (modegraph.yaml)` when set there."""
        value = getattr(self, name)
        if name in self.from_config:
            return f"guards.{name} {value} (modegraph.yaml)"
        return f"--{name.replace('_', '-')} {value}"

    @property
    def recursion_limit(self) -> int:
        """The LangGraph recursion limit these guards imply.

        Every subtask turn takes two supersteps (the role's turn and the journal
        node that routes its report); at most `max_subtasks + 1` subtasks take at
        most `max_turns` turns each; a few more supersteps start and finish the run.
        """
        return 2 * (self.max_subtasks + 1) * self.max_turns + 4

    def budget_left(
        self, *, llm_calls: int, tokens: int, reserved: int = 0, cost: float = 0.0
    ) -> tuple[Guard, str] | None:
        """None while the budget allows another turn, else the budget spent and why.

        Args:
            llm_calls: Calls spent so far.
            tokens: Tokens spent so far.
            reserved: Turns already sent and not yet reported; each reserves one call.
            cost: Money spent so far.
        """
        if self.max_llm_calls is not None and llm_calls + reserved >= self.max_llm_calls:
            held = f", {reserved} more reserved for turns sent now" if reserved else ""
            origin = (
                "; that is the default for this task, raise it with --max-llm-calls N"
                if self.default_llm_calls
                else ""
            )
            return (
                Guard.MAX_LLM_CALLS,
                f"the LLM call budget is spent ({llm_calls} of {self.max_llm_calls} "
                f"calls{held}{origin})",
            )
        if self.max_tokens is not None and tokens >= self.max_tokens:
            return (
                Guard.MAX_TOKENS,
                f"the token budget is spent ({tokens} of {self.max_tokens} tokens)",
            )
        if self.max_cost is not None and cost >= self.max_cost:
            return (
                Guard.MAX_COST,
                f"the cost budget is spent (${cost:.4f} of --max-cost ${self.max_cost:.4f})",
            )
        return None


def budget_shares(limit: int | None, spent: int, count: int) -> list[int | None]:
    """`limit - spent` split among `count` turns (earlier turns get the remainder).

    Args:
        limit: The budget (calls or tokens); None when unlimited.
        spent: What the run has spent.
        count: How many turns share what is left.

    Returns:
        One share per turn; None each when the budget is unlimited.
    """
    if limit is None:
        return [None] * count
    base, extra = divmod(max(limit - spent, 0), max(count, 1))
    return [base + (1 if n < extra else 0) for n in range(count)]


def cost_shares(limit: float | None, spent: float, count: int) -> list[float | None]:
    """`limit - spent` split evenly among `count` turns (None each when unlimited)."""
    if limit is None:
        return [None] * count
    share = max(limit - spent, 0.0) / max(count, 1)
    return [share] * count


def default_max_llm_calls(targets: int) -> int:
    """The LLM call budget of a run that sets none: scaled to the task.

    `DEFAULT_CALLS_PER_ROLE` (8) calls for the entry role and for each role it may
    hand work to: a task whose entry role may hand work to 4 roles gets 40 calls.

    Args:
        targets: How many roles the entry role may hand work to.

    Returns:
        The budget.
    """
    return DEFAULT_CALLS_PER_ROLE * (1 + max(targets, 0))
