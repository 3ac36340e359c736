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
"""

from __future__ import annotations

from typing import Any

import yaml

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.formats.writing import (
    TargetFormat,
    WrittenFile,
    dropped_findings,
    unwritten,
)
from modegraph.modes.model import Mode

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
    description = mode.description or mode.when_to_use
    if description:
        front["description"] = " ".join(description.split())
    if mode.description and mode.when_to_use:
        dropped.append("when_to_use")
    tools, lost_groups = _tools(mode)
    if tools:
        front["tools"] = ", ".join(tools)
    dropped.extend(lost_groups)
    if mode.model:
        if _is_claude_model(mode.model):
            front["model"] = mode.model
        else:
            dropped.append("model")
    header = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
    body = "\n\n".join(
        part.strip("\n")
        for part in (mode.role_definition, mode.custom_instructions)
        if part.strip()
    )
    text = f"---\n{header}---\n{body}\n" if body else f"---\n{header}---\n"
    findings = dropped_findings(mode, target=TargetFormat.CLAUDE, dropped=dropped, hint=_HINT)
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


def _tools(mode: Mode) -> tuple[list[str], list[str]]:
    tools: list[str] = []
    lost: list[str] = []
    for group in mode.tool_groups:
        names = GROUP_TOOLS.get(group.name)
        if names is None:
            lost.append(f"tool_groups.{group.name}")
            continue
        tools.extend(name for name in names if name not in tools)
        if group.file_regex is not None:
            lost.append(f"tool_groups.{group.name}.file_regex")
    return tools, lost


def _is_claude_model(model: str) -> bool:
    return model in CLAUDE_MODELS or model.startswith("claude-")
