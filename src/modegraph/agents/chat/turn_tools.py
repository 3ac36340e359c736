"""The tools a chat agent gets besides its mode's own: one handoff per target, `complete`.

These tools are never run for their effect: the chat agent intercepts their calls.
A handoff call becomes a `HandoffRequest` for the coordinator to check; a `complete`
call ends the turn with a report. Their argument models validate what the model sent.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, ConfigDict, Field

from modegraph.agents.protocol import AllowedTarget

__all__ = [
    "COMPLETE_TOOL",
    "HANDOFF_PREFIX",
    "MAX_TOOL_NAME",
    "CompleteArgs",
    "HandoffArgs",
    "complete_tool",
    "handoff_tool",
    "handoff_tool_name",
]

COMPLETE_TOOL = "complete"
"""Name of the tool that ends a role's turn with its report."""

HANDOFF_PREFIX = "handoff_to_"
"""Prefix of every handoff tool's name."""

MAX_TOOL_NAME = 64
"""The longest tool name providers accept (OpenAI's limit)."""


class HandoffArgs(BaseModel):
    """Arguments of a handoff tool."""

    model_config = ConfigDict(extra="forbid")

    goal: str = Field(min_length=1, description="What the target role should do.")
    """What the target role should do."""
    reason: str = Field(description="Why this role is the right one for it.")
    """Why this role is the right one for it."""


class CompleteArgs(BaseModel):
    """Arguments of the `complete` tool."""

    model_config = ConfigDict(extra="forbid")

    summary: str = Field(min_length=1, description="What was done, for the task log.")
    """What was done, for the task log."""
    outcome: str = Field(default="Success", description="Success, Partial, Failed, ...")
    """One word or phrase: Success, Partial, Failed, ..."""
    references: list[str] = Field(default_factory=list, description="Files created or modified.")
    """Files created or modified."""
    status: Literal["completed", "blocked", "failed"] = Field(
        default="completed", description="How the turn ended."
    )
    """How the turn ended."""


def handoff_tool_name(slug: str) -> str:
    """The name of the tool that hands work to the role `slug`.

    Dashes become underscores (`database-specialist` ->
    `handoff_to_database_specialist`). A name longer than 64 characters is cut and
    ends with a short hash of the slug, so it stays unique and providers accept it.

    Args:
        slug: The target role's slug.

    Returns:
        The tool name.
    """
    name = HANDOFF_PREFIX + slug.replace("-", "_")
    if len(name) <= MAX_TOOL_NAME:
        return name
    digest = hashlib.sha256(slug.encode("utf-8")).hexdigest()[:8]
    return name[: MAX_TOOL_NAME - 9] + "_" + digest


def handoff_tool(target: AllowedTarget) -> BaseTool:
    """The handoff tool for one allowed target.

    Args:
        target: A role this role may hand work to.

    Returns:
        A tool whose description names the target, its purpose and the edge note.
    """
    mode = target.mode
    about = mode.description.strip() or mode.when_to_use.strip() or mode.name
    description = f"Hand a sub-goal to {mode.display_name} (`{mode.slug}`, {target.kind.value})."
    description += f" {about}"
    if target.note:
        description += f" Note: {target.note}"

    def _acknowledge(goal: str, reason: str) -> str:
        return f"Handoff to {mode.slug} requested: {goal}"

    return StructuredTool.from_function(
        func=_acknowledge,
        name=handoff_tool_name(mode.slug),
        description=description,
        args_schema=HandoffArgs,
    )


def complete_tool() -> BaseTool:
    """The `complete` tool that ends a turn with a report.

    Returns:
        The tool.
    """

    def _acknowledge(
        summary: str,
        outcome: str = "Success",
        references: list[str] | None = None,
        status: str = "completed",
    ) -> str:
        return f"Turn complete ({status}): {summary}"

    return StructuredTool.from_function(
        func=_acknowledge,
        name=COMPLETE_TOOL,
        description=(
            "End your turn with a report: a summary of what was done, an outcome, the "
            "files created or modified, and a status (completed, blocked or failed)."
        ),
        args_schema=CompleteArgs,
    )
