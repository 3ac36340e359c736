"""Write a mode as a Claude Code subagent: `.claude/agents/<slug>.md`.

```
---
name: fastapi-developer
description: ...
tools: Read, Grep, Glob, Edit, Write, Bash
model: sonnet
---
<role definition>

<custom instructions>
```

Claude Code names a subagent by its slug and gives it one description, a tool list
and a model alias; the body is the prompt, so the role definition and the custom
instructions are written there one after the other. Roo tool groups become Claude
tools (read -> Read, Grep, Glob; edit -> Edit, Write; command -> Bash; browser ->
WebFetch; modes -> Task); file regexes and `mcp` (whose Claude tools are named per
server) have no Claude equivalent and are reported.

What Claude Code's own rules need, so the file reads back the same:

- A mode with every tool group (a Claude agent that inherited every tool) is written
  without `tools`, which is how Claude Code says "every tool"; a mode with none gets
  `tools: []`. A mode read from a Claude agent gets its tool list back as written
  (`TodoWrite`, `mcp__server__tool` and all) when its groups did not change.
- Claude Code requires a description: a mode without one gets the first sentence of
  its role definition (or its name), with a warning.
- A mode read from a Claude agent keeps its model as written and its other Claude
  keys (`color`, `disallowedTools`, ...).
"""

from __future__ import annotations

from typing import Any

import yaml

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.formats.claude.reader import CLAUDE_KEYS, INHERITED_GROUPS, TOOL_GROUPS
from modegraph.modes.formats.writing import (
    TargetFormat,
    WrittenFile,
    dropped_findings,
    unwritten,
)
from modegraph.modes.model import Mode, SourceFormat

__all__ = ["CLAUDE_MODELS", "GROUP_TOOLS", "claude_file"]

GROUP_TOOLS: dict[str, tuple[str, ...]] = {
    "read": ("Read", "Grep", "Glob"),
    "edit": ("Edit", "Write"),
    "command": ("Bash",),
    "browser": ("WebFetch",),
    "modes": ("Task",),
}
"""The Claude Code tools that stand for each Roo tool group."""

CLAUDE_MODELS = frozenset({"sonnet", "opus", "haiku", "inherit"})
"""Model aliases a Claude Code subagent accepts (full `claude-...` ids are kept too)."""

_WRITES = frozenset(
    {
        "slug",
        "description",
        "when_to_use",
        "tool_groups",
        "model",
        "role_definition",
        "custom_instructions",
    }
)
"""The mode fields a subagent file can hold (`when_to_use`, `model` and groups only in part)."""
_HINT = "write to `markdown` or `yaml` to keep the hierarchy, the references and the metadata"


def claude_file(mode: Mode) -> tuple[WrittenFile, list[Finding]]:
    """The subagent file of one mode and what it could not hold."""
    front: dict[str, Any] = {"name": mode.slug}
    dropped = unwritten(mode, _WRITES)
    findings: list[Finding] = []
    description = mode.description or mode.when_to_use
    if not description:
        description = _first_sentence(mode.role_definition) or mode.name
        findings.append(_no_description(mode, description))
    front["description"] = " ".join(description.split())
    if mode.description and mode.when_to_use:
        dropped.append("when_to_use")
    from_claude = mode.source.format is SourceFormat.CLAUDE
    tools, lost_groups = _tools(mode)
    if tools is not None:
        front["tools"] = ", ".join(tools) if tools else []
    dropped.extend(lost_groups)
    if mode.model:
        if from_claude or _is_claude_model(mode.model):
            front["model"] = mode.model
        else:
            dropped.append("model")
    if from_claude:
        front.update({k: v for k, v in mode.extra.items() if k in CLAUDE_KEYS and k not in front})
    header = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
    body = "\n\n".join(
        part.strip("\n")
        for part in (mode.role_definition, mode.custom_instructions)
        if part.strip()
    )
    text = f"---\n{header}---\n{body}\n" if body else f"---\n{header}---\n"
    findings[:0] = dropped_findings(mode, target=TargetFormat.CLAUDE, dropped=dropped, hint=_HINT)
    if mode.role_definition.strip() and mode.custom_instructions.strip():
        findings.append(
            Finding(
                path=mode.source.path,
                line=mode.source.line,
                code=Code.FIELD_DROPPED,
                severity=Severity.INFO,
                message=(
                    f"mode `{mode.slug}`: role_definition and custom_instructions were merged "
                    "into the one prompt body a Claude subagent has"
                ),
                hint="reading the file back gives one prompt; keep the Markdown as the source",
                slug=mode.slug,
            )
        )
    return WrittenFile(name=f"{mode.slug}.md", text=text), findings


def _first_sentence(text: str) -> str:
    words = " ".join(text.split())
    end = words.find(". ")
    return (words if end < 0 else words[: end + 1])[:300]


def _no_description(mode: Mode, used: str) -> Finding:
    """The finding for a mode without a description, and what stands in for it.

    The role definition's first sentence (an info: Roo Code's role definition says what
    the mode is), else the name (a warning).
    """
    from_role = bool(mode.role_definition.strip())
    source = "its role definition's first sentence" if from_role else "its name"
    return Finding(
        path=mode.source.path,
        line=mode.source.line,
        code=Code.MISSING_FIELD,
        severity=Severity.INFO if from_role else Severity.WARNING,
        message=f"mode `{mode.slug}` has no description, which Claude Code picks agents "
        f"by; {source} is the agent's description: {used!r}",
        hint="give the mode a description (or whenToUse) to choose the words yourself",
        slug=mode.slug,
    )


def _original_tools(mode: Mode) -> list[str] | None:
    """The tool list of a mode read from a Claude agent, when its groups still match it."""
    tools = mode.extra.get("claude_tools")
    if mode.source.format is not SourceFormat.CLAUDE or not isinstance(tools, list):
        return None
    groups: list[str] = []
    for tool in tools:
        name = str(tool).split("(", 1)[0].strip().lower()
        group = "mcp" if name.startswith("mcp__") else TOOL_GROUPS.get(name)
        if group is not None and group not in groups:
            groups.append(group)
    same = groups == [group.name for group in mode.tool_groups]
    unlimited = all(group.file_regex is None for group in mode.tool_groups)
    return [str(tool) for tool in tools] if same and unlimited else None


def _tools(mode: Mode) -> tuple[list[str] | None, list[str]]:
    """The `tools` value (None: leave the key out, every tool) and the groups it lost."""
    names = {group.name for group in mode.tool_groups}
    unlimited = all(group.file_regex is None for group in mode.tool_groups)
    if names == set(INHERITED_GROUPS) and unlimited:
        return None, []
    original = _original_tools(mode)
    if original is not None:
        return original, []
    tools: list[str] = []
    lost: list[str] = []
    for group in mode.tool_groups:
        tool_names = GROUP_TOOLS.get(group.name)
        if tool_names is None:
            lost.append(f"tool_groups.{group.name}")
            continue
        tools.extend(name for name in tool_names if name not in tools)
        if group.file_regex is not None:
            lost.append(f"tool_groups.{group.name}.file_regex")
    return tools, lost


def _is_claude_model(model: str) -> bool:
    return model in CLAUDE_MODELS or model.startswith("claude-")
