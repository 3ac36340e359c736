"""Approval requests (the value of LangGraph's `interrupt`) and the answers to them.

When a handoff needs a person's approval the journal node calls `interrupt()`
with the pending `ApprovalRequest`s. The run is resumed with
`Command(resume=answer)`, where `answer` is either one decision for every request
(`{"approved": true}`, `{"approved": false, "reason": "..."}`) or a mapping from
request id to decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from modegraph.errors import ConfigError

__all__ = ["ApprovalRequest", "Decision", "parse_decisions"]


class ApprovalRequest(BaseModel):
    """A handoff waiting for a person's approval."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    """Stable id of the request: `<subtask>:approval:<turn>:<n>`."""
    subtask: str
    """The requesting subtask."""
    source: str
    """Slug of the requesting role."""
    target: str
    """Slug of the target role."""
    kind: str
    """Edge kind: delegate or escalate."""
    goal: str
    """What the target would do."""
    reason: str = ""
    """Why the role asked for it."""


class Decision(BaseModel):
    """A person's answer to one approval request."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    approved: bool
    """True to let the handoff go ahead."""
    reason: str = ""
    """Why it was rejected (told to the requesting role)."""


def parse_decisions(answer: Any, requests: Sequence[ApprovalRequest]) -> dict[str, Decision]:
    """Read the resume value into one decision per request.

    Raises:
        ConfigError: the answer is neither a decision nor a mapping of request ids
            to decisions covering every request.
    """
    try:
        if isinstance(answer, Mapping) and "approved" in answer:
            one = Decision.model_validate(dict(answer))
            return {r.id: one for r in requests}
        if isinstance(answer, Mapping):
            decisions = {str(k): Decision.model_validate(v) for k, v in answer.items()}
            missing = [r.id for r in requests if r.id not in decisions]
            if missing:
                raise ConfigError(f"no decision for approval request(s) {', '.join(missing)}")
            return {r.id: decisions[r.id] for r in requests}
    except ValidationError as exc:
        raise ConfigError(f"cannot read the approval answer {answer!r}: {exc}") from exc
    raise ConfigError(
        f"cannot read the approval answer {answer!r}; resume with "
        '{"approved": true} or {"approved": false, "reason": "..."}'
    )
