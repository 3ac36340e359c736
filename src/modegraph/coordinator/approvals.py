"""Approval requests (the value of LangGraph's `interrupt`) and the answers to them.

Two things wait for a person: a handoff the `--approve` rule stops (`kind`
delegate or escalate), and a command a role asked to run that `commands.allow` in
`modegraph.yaml` does not match (`kind` command; see `modegraph.coordinator.command_gate`).
The journal node calls `interrupt()` with all pending `ApprovalRequest`s.
The run is resumed with `Command(resume=answer)`, where `answer` is either one
decision for every request (`{"approved": true}`, `{"approved": false, "reason":
"..."}`) or a mapping from request id to decision. A mapping may answer only some:
those decisions are carried out and journaled at once, and the node interrupts
again for the rest (so a person who stops answering keeps what they decided).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from modegraph.errors import ConfigError

__all__ = ["COMMAND_KIND", "ApprovalRequest", "Decision", "parse_decisions"]

COMMAND_KIND = "command"
"""`ApprovalRequest.kind` of a command waiting for approval."""


class ApprovalRequest(BaseModel):
    """A handoff or a command waiting for a person's approval."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    """Stable id: `<subtask>:approval:<turn>:<n>` (handoff) or `<subtask>:command:<turn>:<n>`."""
    subtask: str
    """The requesting subtask."""
    source: str
    """Slug of the requesting role."""
    target: str = ""
    """Slug of the target role (empty for a command)."""
    kind: str
    """Edge kind (delegate or escalate), or `command`."""
    goal: str
    """What the target would do; for a command, the command line."""
    reason: str = ""
    """Why the role asked for it."""
    cwd: str = "."
    """For a command: its working directory relative to the workspace."""

    @property
    def is_command(self) -> bool:
        """Whether this asks about a command rather than a handoff."""
        return self.kind == COMMAND_KIND

    def describe(self) -> str:
        """One line for a person: who asks for what."""
        if self.is_command:
            return f"{self.source} wants to run `{self.goal}` in `{self.cwd}`"
        return f"{self.source} → {self.target} ({self.kind}): {self.goal}"


class Decision(BaseModel):
    """A person's answer to one approval request."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    approved: bool
    """True to let the handoff go ahead."""
    reason: str = ""
    """Why it was rejected (told to the requesting role)."""


def parse_decisions(answer: Any, requests: Sequence[ApprovalRequest]) -> dict[str, Decision]:
    """Read the resume value into decisions by request id.

    A single decision answers every request; a mapping may answer only some (a
    person who stopped answering): the others stay pending and are asked again.

    Raises:
        ConfigError: the answer is neither a decision nor a mapping of request ids
            to decisions answering at least one request.
    """
    try:
        if isinstance(answer, Mapping) and "approved" in answer:
            one = Decision.model_validate(dict(answer))
            return {r.id: one for r in requests}
        if isinstance(answer, Mapping):
            decisions = {str(k): Decision.model_validate(v) for k, v in answer.items()}
            given = {r.id: decisions[r.id] for r in requests if r.id in decisions}
            if not given:
                ids = ", ".join(r.id for r in requests)
                raise ConfigError(f"no decision for any approval request ({ids})")
            return given
    except ValidationError as exc:
        raise ConfigError(f"cannot read the approval answer {answer!r}: {exc}") from exc
    raise ConfigError(
        f"cannot read the approval answer {answer!r}; resume with "
        '{"approved": true} or {"approved": false, "reason": "..."}'
    )
