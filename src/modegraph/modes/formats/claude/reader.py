"""Read Claude Code subagents (`.claude/agents/*.md`).

```
---
name: code-reviewer                  -> slug, and the name `Code Reviewer`
description: Reviews code. Use ...   -> description and when_to_use
tools: Read, Grep, Glob, Bash        -> tool groups read, command
model: sonnet                        -> model
---
You are a senior code reviewer ...   -> role_definition (the whole prompt)
```

- `tools` is a comma string or a YAML list. Claude tools map to Roo tool groups:
  Read, Grep, Glob, LS -> `read`; Edit, Write, MultiEdit, NotebookEdit -> `edit`;
  Bash, BashOutput, KillShell -> `command`; WebFetch, WebSearch -> `browser`;
  Task -> `modes`; `mcp__*` -> `mcp`. Groups keep the order of their first tool.
  The tools as written are kept in `extra["claude_tools"]`; tools with no group
  (TodoWrite, ...) only there. Without a `tools` key the agent inherits every
  tool in Claude Code: no groups are set and `extra["claude_tools"]` is `"inherit"`.
- Other front matter keys (`color`, ...) are kept in `extra`.
- No front matter, an unclosed one, or no `name` gives a finding; a file with no
  `name` yields no mode.
"""

from __future__ import annotations

import difflib
import re

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.formats._coerce import as_str, as_str_list, jsonable
from modegraph.modes.formats._draft import ModeDraft, empty_file, name_from_slug
from modegraph.modes.formats._front_matter import (
    find_front_matter,
    parse_yaml_front_matter,
    unclosed,
)
from modegraph.modes.formats._markdown import trimmed_text
from modegraph.modes.formats.reading import ReadResult
from modegraph.modes.model import SourceFormat, ToolGroup
from modegraph.modes.text import normalise_text

__all__ = ["CLAUDE_TOOLS", "TOOL_GROUPS", "looks_like_claude_agent", "read_claude_agent"]

TOOL_GROUPS: dict[str, str] = {
    "read": "read",
    "grep": "read",
    "glob": "read",
    "ls": "read",
    "edit": "edit",
    "write": "edit",
    "multiedit": "edit",
    "notebookedit": "edit",
    "bash": "command",
    "bashoutput": "command",
    "killshell": "command",
    "webfetch": "browser",
    "websearch": "browser",
    "task": "modes",
}
"""Claude Code tool name (lower case) -> Roo tool group; `mcp__*` tools map to `mcp`."""

CLAUDE_TOOLS = {
    name.lower(): name
    for name in (
        "Read Grep Glob LS Edit Write MultiEdit NotebookEdit NotebookRead Bash BashOutput "
        "KillShell KillBash WebFetch WebSearch Task Agent TodoWrite TodoRead ExitPlanMode "
        "SlashCommand Skill ListMcpResourcesTool ReadMcpResourceTool"
    ).split()
}
"""Claude Code's tools, lower case -> as written; the ones not in `TOOL_GROUPS` give no group."""
_KNOWN_KEYS = {"name", "description", "tools", "model"}
_SNIFF_NAME = re.compile(r"^name\s*:", re.MULTILINE)
_SNIFF_DESCRIPTION = re.compile(r"^description\s*:", re.MULTILINE)
_SNIFF_ROO = re.compile(r"^(?:slug|level|id)\s*:", re.MULTILINE)
_SNIFF_SKILL = re.compile(r"^(?:allowed-tools|license)\s*:", re.MULTILINE)
_SNIFF_AGENT_KEY = re.compile(r"^(?:tools|model|color)\s*:", re.MULTILINE)
_SNIFF_ROO_BODY = re.compile(r"^ {0,3}(?:#[ \t]+Mode[ \t]*:|##[ \t]+Metadata\b)", re.I | re.M)


def looks_like_claude_agent(text: str) -> bool:
    """True for a Claude Code subagent: YAML front matter with `name` and `description`.

    Roo Commander files (a `slug`, `level` or `id` key, a `# Mode:` heading, a
    `## Metadata` section) are not agents, and neither are Agent Skills (`SKILL.md`:
    an `allowed-tools` or `license` key, or only a name and a description before a
    Markdown document that opens with a `# ` heading). An agent has a `tools`,
    `model` or `color` key, or a body that is a prompt rather than a document.
    """
    text = normalise_text(text)
    lines = text.split("\n")
    block = find_front_matter(lines[:400], "---")
    if block is None or block.close_index is None:
        return False
    front = block.text
    if not (_SNIFF_NAME.search(front) and _SNIFF_DESCRIPTION.search(front)):
        return False
    body = "\n".join(lines[block.body_index :])
    if _SNIFF_ROO.search(front) or _SNIFF_ROO_BODY.search(body) or _SNIFF_SKILL.search(front):
        return False
    if _SNIFF_AGENT_KEY.search(front):
        return True
    first = next((line for line in lines[block.body_index :] if line.strip()), "")
    return not first.startswith("# ")


def read_claude_agent(text: str, *, path: str | None = None) -> ReadResult:
    """Read one Claude Code subagent.

    Args:
        text: The decoded file text.
        path: The file name, used in findings and in `Mode.source`.

    Returns:
        At most one mode and the findings met. Never raises for bad input.
    """
    text = normalise_text(text)
    result = ReadResult()
    findings = result.findings
    if not text.strip():
        findings.append(empty_file(path))
        return result
    lines = text.split("\n")
    block = find_front_matter(lines, "---")
    if block is None:
        findings.append(
            Finding(
                path=path,
                line=1,
                code=Code.MISSING_FIELD,
                severity=Severity.ERROR,
                message="a Claude Code subagent starts with YAML front matter; this file has none",
                hint="start the file with `---`, `name: ...`, `description: ...`, `---`",
            )
        )
        return result
    if block.close_index is None:
        findings.append(unclosed(block, fence="---", path=path))
        return result
    front = parse_yaml_front_matter(block, path=path)
    findings.extend(front.findings)
    data = front.data

    def text_of(key: str) -> str | None:
        line = front.key_lines.get(key)
        return as_str(data.get(key), key=key, path=path, line=line, findings=findings)

    draft = ModeDraft(line=block.open_index + 1)
    draft.slug = (text_of("name") or "").strip() or None
    draft.name = name_from_slug(draft.slug) if draft.slug else None
    description = (text_of("description") or "").strip()
    draft.description = description
    draft.when_to_use = description
    draft.model = text_of("model")
    if "tools" in data:
        tools = as_str_list(
            data["tools"],
            key="tools",
            path=path,
            line=front.key_lines.get("tools"),
            findings=findings,
        )
        tools_line = front.key_lines.get("tools")
        draft.tool_groups = [
            group.model_copy(update={"line": tools_line}) for group in _groups(tools or [])
        ]
        draft.extra["claude_tools"] = tools or []
        findings.extend(_unknown_tools(tools or [], path=path, line=tools_line))
    else:
        draft.extra["claude_tools"] = "inherit"
    for key, value in data.items():
        if key not in _KNOWN_KEYS:
            draft.extra[key] = jsonable(value)
    draft.role_definition = trimmed_text(lines[block.body_index :])
    mode = draft.finish(path=path, fmt=SourceFormat.CLAUDE, findings=findings)
    if mode is not None:
        result.modes.append(mode)
    return result


def _unknown_tools(tools: list[str], *, path: str | None, line: int | None) -> list[Finding]:
    """An `unknown-tool` warning for each tool Claude Code does not have (`Frobnicate`)."""
    found: list[Finding] = []
    for tool in tools:
        lowered = tool.strip().lower()
        if not lowered or lowered.startswith("mcp__") or lowered in CLAUDE_TOOLS:
            continue
        close = difflib.get_close_matches(lowered, list(CLAUDE_TOOLS), n=1, cutoff=0.7)
        known = ", ".join(sorted(CLAUDE_TOOLS.values()))
        found.append(
            Finding(
                path=path,
                line=line,
                code=Code.UNKNOWN_TOOL,
                severity=Severity.WARNING,
                message=f"unknown Claude Code tool {tool.strip()!r}; it gives no tool group",
                hint=(f"did you mean {CLAUDE_TOOLS[close[0]]!r}? " if close else "")
                + f"Claude Code tools: {known}, and mcp__<server>__<tool>",
            )
        )
    return found


def _groups(tools: list[str]) -> list[ToolGroup]:
    names: list[str] = []
    for tool in tools:
        lowered = tool.strip().lower()
        group = "mcp" if lowered.startswith("mcp__") else TOOL_GROUPS.get(lowered)
        if group is not None and group not in names:
            names.append(group)
    return [ToolGroup(name=name) for name in names]
