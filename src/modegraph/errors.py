"""The exceptions modegraph raises, in one tree.

```
ModegraphError                 everything modegraph raises on purpose
├── SetupError                 the input cannot work; fix a file or a flag and try again
│   ├── ModeFileError          a mode file could not be read (carries its findings)
│   ├── CatalogError           the catalog as a whole cannot be used (unknown slug, empty)
│   ├── ConfigError            modegraph.yaml or a command-line option is wrong
│   │   └── CasesError         a routing cases file (`modegraph test`) is wrong
│   ├── GoalError              the goal of a run is empty or too long
│   ├── GraphBuildError        a coordinator cannot be compiled from this catalog
│   ├── ProviderError          an LLM provider is not installed or not configured
│   └── EngineError            the engine a run executes on (Temporal) is missing or unreachable
│       └── CatalogMismatch    a worker's catalog is not the catalog the task was started with
└── RunError                   a run went wrong while it was running
    ├── HandoffRefused         a handoff the escalation graph does not allow
    ├── GuardTripped           a depth, subtask or chain guard stops a handoff
    ├── BudgetExceeded         the LLM call, token or cost budget is spent
    ├── ApprovalError          an approval answer for a run that waits for none
    ├── ToolRefused            a tool call outside the role's permissions or sandbox
    └── JournalError           the task journal could not be read or written
```

Tests add one branch: `modegraph.testing.ScriptError` (a `ModegraphError` and an
`AssertionError`) when the strict scripted model and the code under test disagree.

Every message says what is wrong and how to fix it. Exceptions never log or print
in their constructor: the command line decides what a person sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from modegraph.findings import Finding

__all__ = [
    "ApprovalError",
    "BudgetExceeded",
    "CasesError",
    "CatalogError",
    "CatalogMismatch",
    "ConfigError",
    "EngineError",
    "GoalError",
    "GraphBuildError",
    "GuardTripped",
    "HandoffRefused",
    "JournalError",
    "ModeFileError",
    "ModegraphError",
    "ProviderError",
    "RunError",
    "SetupError",
    "ToolRefused",
]


class ModegraphError(Exception):
    """Base of every exception modegraph raises on purpose."""


class SetupError(ModegraphError):
    """The input cannot work: a file, a catalog, a flag or a configuration is wrong."""


class ModeFileError(SetupError):
    """A mode file could not be read; `findings` says where and why."""

    def __init__(self, message: str, findings: Sequence[Finding] = ()) -> None:
        super().__init__(message)
        self.findings: tuple[Finding, ...] = tuple(findings)


class CatalogError(SetupError):
    """The catalog as a whole cannot be used (an unknown slug, no modes at all)."""


class ConfigError(SetupError):
    """`modegraph.yaml` or a command-line option is wrong."""


class CasesError(ConfigError):
    """A routing cases file (`modegraph test CASES.yaml`) is wrong; says `path:line:`."""


class GoalError(SetupError):
    """The goal of a run is empty or too long to route; nothing was started."""


class GraphBuildError(SetupError):
    """A coordinator graph cannot be compiled from this catalog and entry role."""


class ProviderError(SetupError):
    """An LLM provider is not installed or not configured."""


class EngineError(SetupError):
    """The engine a run executes on cannot be used.

    Temporal is not installed, not reachable at the address given, or refuses the
    request (a task id it already holds, a task it does not know).
    """


class CatalogMismatch(EngineError):
    """A worker's catalog differs from the catalog a task was started with.

    The message names both digests (`modegraph.engines.catalog_digest`); the worker
    refuses the task's work, and a worker started with the task's catalog takes it.
    """


class RunError(ModegraphError):
    """Something went wrong while a task was running."""


class HandoffRefused(RunError):
    """A handoff that the escalation graph does not allow.

    Raised by `modegraph.coordinator.routing.check_handoff`; the coordinator records the
    refusal (journal and `refused`) and tells the requesting role, the run goes on.
    """


class GuardTripped(RunError):
    """A depth, subtask or chain guard stops a handoff.

    Raised by `modegraph.coordinator.routing.check_handoff`; the coordinator records the
    refusal and the run ends `blocked` with this message as its reason and `guard`
    (a `modegraph.coordinator.policy.Guard` value) as the guard's name.
    """

    def __init__(self, message: str, *, guard: str) -> None:
        super().__init__(message)
        self.guard = guard


class BudgetExceeded(RunError):
    """The LLM call, token or cost budget of the run (or of one turn's share of it) is spent.

    An agent raises it when its turn may make no further model call; `llm_calls`,
    `tokens` and `cost` say what the turn spent before it stopped, and the role node
    turns it into a `blocked` report that still counts them.
    """

    def __init__(
        self, message: str, *, llm_calls: int = 0, tokens: int = 0, cost: float = 0.0
    ) -> None:
        super().__init__(message)
        self.llm_calls = llm_calls
        self.tokens = tokens
        self.cost = cost


class ApprovalError(RunError):
    """An approval answer (`resume --approve/--reject`) for a run that waits for none."""


class ToolRefused(RunError):
    """A tool call outside the role's permissions or outside the workspace sandbox."""


class JournalError(RunError):
    """The task journal could not be read or written."""
