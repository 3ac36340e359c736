"""The step builders of `modegraph.testing.ScriptedChatModel` (`tool_call`, `complete`, ...).

Each returns the `AIMessage` a script step answers with; `ScriptedChatModel` exposes
them as static methods, which is how tests call them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from langchain_core.messages import AIMessage
from langchain_core.messages.ai import UsageMetadata

from modegraph.agents.chat.turn_tools import COMPLETE_TOOL, handoff_tool_name

__all__ = ["complete", "handoff", "handoffs", "text", "tool_call", "tool_calls", "usage"]


def tool_call(
    name: str,
    args: Mapping[str, Any] | None = None,
    *,
    content: str = "",
    input_tokens: int | None = None,
    output_tokens: int | None = None,
) -> AIMessage:
    """A step that calls one tool.

    Args:
        name: The tool name.
        args: Its arguments.
        content: Text alongside the call.
        input_tokens: Input tokens to report (default: the model's setting).
        output_tokens: Output tokens to report (default: the model's setting).

    Returns:
        The scripted message.
    """
    return tool_calls(
        [(name, args or {})],
        content=content,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
    )


def tool_calls(
    calls: Iterable[tuple[str, Mapping[str, Any]]],
    *,
    content: str = "",
    input_tokens: int | None = None,
    output_tokens: int | None = None,
) -> AIMessage:
    """A step that calls several tools at once (e.g. parallel handoffs).

    Args:
        calls: (tool name, arguments) pairs.
        content: Text alongside the calls.
        input_tokens: Input tokens to report (default: the model's setting).
        output_tokens: Output tokens to report (default: the model's setting).

    Returns:
        The scripted message. Call ids are filled in when the step is used.
    """
    message = AIMessage(
        content=content,
        tool_calls=[
            {"name": name, "args": dict(args), "id": None, "type": "tool_call"}
            for name, args in calls
        ],
    )
    return _with_usage(message, input_tokens, output_tokens)


def handoff(target: str, goal: str, reason: str = "scripted", **kwargs: Any) -> AIMessage:
    """A step that calls the handoff tool of the role `target`.

    Args:
        target: The target role's slug.
        goal: The sub-goal.
        reason: Why that role.
        **kwargs: content, input_tokens, output_tokens (as for `tool_call`).

    Returns:
        The scripted message.
    """
    args = {"goal": goal, "reason": reason}
    return tool_call(handoff_tool_name(target), args, **kwargs)


def handoffs(goals: Mapping[str, str], reason: str = "scripted", **kwargs: Any) -> AIMessage:
    """A step that hands work to several roles at once (parallel handoffs).

    Args:
        goals: Sub-goal per target role slug, in call order.
        reason: The reason given for each.
        **kwargs: content, input_tokens, output_tokens (as for `tool_calls`).

    Returns:
        The scripted message.
    """
    calls = [
        (handoff_tool_name(target), {"goal": goal, "reason": reason})
        for target, goal in goals.items()
    ]
    return tool_calls(calls, **kwargs)


def complete(
    summary: str,
    *,
    outcome: str = "Success",
    references: Sequence[str] = (),
    status: Literal["completed", "blocked", "failed"] = "completed",
    **kwargs: Any,
) -> AIMessage:
    """A step that calls the `complete` tool.

    Args:
        summary: What was done.
        outcome: Success, Partial, ...
        references: Files created or modified.
        status: completed, blocked or failed.
        **kwargs: content, input_tokens, output_tokens (as for `tool_call`).

    Returns:
        The scripted message.
    """
    args = {
        "summary": summary,
        "outcome": outcome,
        "references": list(references),
        "status": status,
    }
    return tool_call(COMPLETE_TOOL, args, **kwargs)


def text(
    content: str, *, input_tokens: int | None = None, output_tokens: int | None = None
) -> AIMessage:
    """A step that answers with plain text and no tool call.

    Args:
        content: The answer.
        input_tokens: Input tokens to report (default: the model's setting).
        output_tokens: Output tokens to report (default: the model's setting).

    Returns:
        The scripted message.
    """
    return _with_usage(AIMessage(content=content), input_tokens, output_tokens)


def _with_usage(
    message: AIMessage, input_tokens: int | None, output_tokens: int | None
) -> AIMessage:
    if input_tokens is None and output_tokens is None:
        return message
    message.usage_metadata = usage(input_tokens or 0, output_tokens or 0)
    return message


def usage(input_tokens: int, output_tokens: int) -> UsageMetadata:
    """Usage metadata with these token counts (and their total)."""
    return {
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "total_tokens": input_tokens + output_tokens,
    }
