"""Read Claude Code subagents (`.claude/agents/*.md`).

```
---
name: code-reviewer                  -> slug, and the name `Code Reviewer`
description: Reviews code. Use ...   -> description and when_to_use
tools: Read, Grep, Glob, Bash        -> tool groups read, command
model: sonnet                        -> model, as written
---
You are a senior code reviewer ...   -> role_definition (the whole prompt)
```

Claude Code's own rules apply:

- **Tools.** `tools` is a comma string or a YAML list. Without a `tools` key the
  agent inherits every tool, so it gets every tool group (`INHERITED_GROUPS`) and
  `extra["claude_tools"]` is `"inherit"`; `tools: []` means no tools at all.
  `disallowedTools` takes tools away from what the agent has; a group goes when its
  main tools are all denied (`Edit` and `Write` for `edit`). Tools map to Roo tool
  groups (`TOOL_GROUPS`): Read, Grep, Glob, LS, LSP, NotebookRead -> `read`;
  Edit, Write, MultiEdit, NotebookEdit -> `edit`; Bash, BashOutput, KillShell,
  PowerShell -> `command`; WebFetch, WebSearch -> `browser`; Agent (formerly Task)
  -> `modes`; `mcp__*` -> `mcp`. The coordination tools (TaskCreate, TaskList,
  SendMessage, TeamCreate, TodoWrite, AskUserQuestion, ...) are known and give no
  group. `Bash(git:*)` and `Agent(reviewer)` read as Bash and Agent. Groups keep
  the order of their first tool; the tools as written stay in `extra["claude_tools"]`.
  A `browser` group made from WebFetch/WebSearch is never reported as deprecated:
  the author wrote Claude tools, not Roo's group.
- **Model.** `model` (`inherit`, `sonnet`, `opus`, `haiku`, or a full model id) is
  kept on `Mode.model` exactly as written.
- **Front matter as people write it.** YAML that does not parse (an unquoted
  `description:` holding `: `, as many public agents have) is read line by line
  with a `lenient-front-matter` warning instead of losing the agent; so is front
  matter whose fences are indented. Other keys (`color`, ...) are kept in `extra`.
- No front matter, an unclosed one, or no `name` gives a finding; a file with no
  `name` yields no mode.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.formats._coerce import as_str, as_str_list, jsonable
from modegraph.modes.formats._draft import ModeDraft, empty_file
from modegraph.modes.formats._fields import finding
from modegraph.modes.formats._front_matter import (
    FrontMatter,
    YamlFrontMatter,
    dedent_indented_front_matter,
    find_front_matter,
    parse_front_matter_leniently,
    parse_yaml_front_matter,
    unclosed,
)
from modegraph.modes.formats._markdown import trimmed_text
from modegraph.modes.formats.reading import ReadResult
from modegraph.modes.model import SourceFormat, ToolGroup
from modegraph.modes.names import name_from_slug
from modegraph.modes.text import normalise_text

__all__ = [
    "CLAUDE_KEYS",
    "CLAUDE_TOOLS",
    "INHERITED_GROUPS",
    "TOOL_GROUPS",
    "has_agent_front_matter",
    "looks_like_claude_agent",
    "opens_unclosed_agent_front_matter",
    "read_claude_agent",
]

TOOL_GROUPS: dict[str, str] = {
    "read": "read",
    "grep": "read",
    "glob": "read",
    "ls": "read",
    "lsp": "read",
    "notebookread": "read",
    "edit": "edit",
    "write": "edit",
    "multiedit": "edit",
    "notebookedit": "edit",
    "bash": "command",
    "bashoutput": "command",
    "killshell": "command",
    "killbash": "command",
    "powershell": "command",
    "webfetch": "browser",
    "websearch": "browser",
    "agent": "modes",
    "task": "modes",
}
"""Claude Code tool name (lower case) -> Roo tool group; `mcp__*` tools map to `mcp`."""

CLAUDE_TOOLS = {
    name.lower(): name
    for name in (
        "Read Grep Glob LS LSP NotebookRead Edit Write MultiEdit NotebookEdit Bash BashOutput "
        "KillShell KillBash PowerShell WebFetch WebSearch Agent Task TaskCreate TaskGet TaskList "
        "TaskUpdate TaskOutput TaskStop SendMessage TeamCreate TeamDelete TodoWrite TodoRead "
        "AskUserQuestion EnterPlanMode ExitPlanMode EnterWorktree ExitWorktree CronCreate "
        "CronDelete CronList SlashCommand Skill ToolSearch Artifact ListMcpResourcesTool "
        "ReadMcpResourceTool"
    ).split()
}
"""Claude Code's tools, lower case -> as written; the ones not in `TOOL_GROUPS` give no group."""

INHERITED_GROUPS = ("read", "edit", "browser", "command", "mcp", "modes")
"""The groups of an agent without a `tools` key: it inherits every tool."""

_MAIN_TOOLS: dict[str, frozenset[str]] = {
    "read": frozenset({"read"}),
    "edit": frozenset({"edit", "write"}),
    "command": frozenset({"bash"}),
    "browser": frozenset({"webfetch", "websearch"}),
    "modes": frozenset({"agent"}),
    "mcp": frozenset({"mcp__*"}),
}
"""`disallowedTools` removes a group when all of these are denied (`Task` counts as `Agent`)."""

CLAUDE_KEYS = frozenset(
    {
        "name",
        "description",
        "tools",
        "disallowedTools",
        "model",
        "color",
        "permissionMode",
        "skills",
        "hooks",
        "mcpServers",
        "memory",
        "maxTurns",
        "background",
        "isolation",
        "effort",
    }
)
"""Front matter keys Claude Code documents for a subagent; lenient reading starts fields
only at these (so a description's `user:` or `Context:` lines stay in the description)."""

_KNOWN_KEYS = {"name", "description", "tools", "model"}
_SNIFF_NAME = re.compile(r"^name\s*:", re.MULTILINE)
_SNIFF_DESCRIPTION = re.compile(r"^description\s*:", re.MULTILINE)
_SNIFF_ROO = re.compile(r"^(?:slug|level|id)\s*:", re.MULTILINE)
_SNIFF_SKILL = re.compile(r"^(?:allowed-tools|license)\s*:", re.MULTILINE)
_SNIFF_AGENT_KEY = re.compile(r"^(?:tools|model|color)\s*:", re.MULTILINE)
_SNIFF_ROO_BODY = re.compile(r"^ {0,3}(?:#[ \t]+Mode[ \t]*:|##[ \t]+Metadata\b)", re.I | re.M)
_ARGUMENTS = re.compile(r"^([A-Za-z_][\w-]*)\s*\(.*\)$", re.DOTALL)


def has_agent_front_matter(text: str) -> bool:
    """True for front matter with `name` and `description` that is no Roo mode or skill.

    Looser than `looks_like_claude_agent`: a prompt that opens with a `# ` heading
    counts too. Folder discovery uses it for every Markdown file except `SKILL.md`
    (where Agent Skills live), so an agent whose prompt starts with a heading is found.
    """
    parts = _front_and_body(text)
    if parts is None:
        return False
    front, body = parts
    if not (_SNIFF_NAME.search(front) and _SNIFF_DESCRIPTION.search(front)):
        return False
    return not (
        _SNIFF_ROO.search(front) or _SNIFF_ROO_BODY.search(body) or _SNIFF_SKILL.search(front)
    )


def _front_and_body(text: str) -> tuple[str, str] | None:
    lines, _ = dedent_indented_front_matter(normalise_text(text).split("\n", 400)[:400], "---")
    block = find_front_matter(lines, "---")
    if block is None or block.close_index is None:
        return None
    return block.text, "\n".join(lines[block.body_index :])


def opens_unclosed_agent_front_matter(text: str) -> bool:
    """True for an agent whose `---` front matter never closes.

    The lines after the opening fence start with `name:` and `description:` keys (in
    the first 20), so the file was meant to be an agent: it is read as one, and the
    reader reports the fence that never closes instead of the file being passed over.
    """
    lines, _ = dedent_indented_front_matter(normalise_text(text).split("\n", 400)[:400], "---")
    block = find_front_matter(lines, "---")
    if block is None or block.close_index is not None:
        return False
    head = "\n".join(lines[block.open_index + 1 : block.open_index + 21])
    return bool(_SNIFF_NAME.search(head) and _SNIFF_DESCRIPTION.search(head))


def looks_like_claude_agent(text: str) -> bool:
    """True for a Claude Code subagent: YAML front matter with `name` and `description`.

    Roo Commander files (a `slug`, `level` or `id` key, a `# Mode:` heading, a
    `## Metadata` section) are not agents, and neither are Agent Skills (`SKILL.md`:
    an `allowed-tools` or `license` key, or only a name and a description before a
    Markdown document that opens with a `# ` heading). An agent has a `tools`,
    `model` or `color` key, or a body that is a prompt rather than a document.
    Front matter whose fences are indented counts too.
    """
    if not has_agent_front_matter(text):
        return False
    parts = _front_and_body(text)
    assert parts is not None  # has_agent_front_matter found the block
    front, body = parts
    if _SNIFF_AGENT_KEY.search(front):
        return True
    first = next((line for line in body.split("\n") if line.strip()), "")
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
        lines, indent = dedent_indented_front_matter(lines, "---")
        block = find_front_matter(lines, "---") if indent else None
        if block is not None:
            findings.append(_indented(path, block.open_index + 1, indent))
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
    front = _front_matter(block, path=path, findings=findings)
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
    findings.extend(_no_description(draft.slug, data, path, block.open_index + 1))
    draft.model = text_of("model")
    tools_line = front.key_lines.get("tools")
    if "tools" in data:
        tools = _tool_list(data["tools"], front, "tools", path=path, findings=findings)
        groups = _groups(tools)
        draft.extra["claude_tools"] = tools
    else:
        tools = []
        groups = list(INHERITED_GROUPS)
        draft.extra["claude_tools"] = "inherit"
    if "disallowedTools" in data:
        denied = _tool_list(
            data["disallowedTools"], front, "disallowedTools", path=path, findings=findings
        )
        groups = _without_denied(groups, denied)
    draft.tool_groups = [ToolGroup(name=name, line=tools_line) for name in groups]
    for key, value in data.items():
        if key not in _KNOWN_KEYS:
            draft.extra[key] = jsonable(value)
    draft.role_definition = trimmed_text(lines[block.body_index :])
    mode = draft.finish(path=path, fmt=SourceFormat.CLAUDE, findings=findings)
    if mode is not None:
        result.modes.append(mode)
    return result


def _front_matter(
    block: FrontMatter, *, path: str | None, findings: list[Finding]
) -> YamlFrontMatter:
    """The parsed front matter; YAML that does not parse is read leniently, with a warning."""
    front = parse_yaml_front_matter(block, path=path)
    errors = [f for f in front.findings if f.code is Code.SYNTAX_ERROR]
    if not errors or not front.yaml_error:
        findings.extend(front.findings)
        return front
    lenient = parse_front_matter_leniently(block, keys=CLAUDE_KEYS)
    if "name" not in lenient.data:
        findings.extend(front.findings)
        return front
    problem = errors[0].message.removeprefix("YAML front matter syntax error: ")
    findings.append(
        Finding(
            path=path,
            line=errors[0].line,
            code=Code.LENIENT_FRONT_MATTER,
            severity=Severity.WARNING,
            message=f"the front matter is not valid YAML ({problem}); it was read line by "
            "line: a line starting with "
            + ", ".join(f"`{key}:`" for key in lenient.data)
            + " starts that field, any other line continues the one before",
            hint='quote the value that holds `: ` or `#` (`description: "..."`) or write it '
            "as a block (`description: |` and the text indented below)",
        )
    )
    return lenient


def _indented(path: str | None, line: int, indent: int) -> Finding:
    return Finding(
        path=path,
        line=line,
        code=Code.LENIENT_FRONT_MATTER,
        severity=Severity.WARNING,
        message=f"the front matter is indented by {indent} "
        f"{'space' if indent == 1 else 'spaces'}; it was read as if it were not, but Claude "
        "Code may not read this agent",
        hint="remove the indentation: the file must start with `---` at the first column",
    )


def _tool_list(
    value: object, front: YamlFrontMatter, key: str, *, path: str | None, findings: list[Finding]
) -> list[str]:
    line = front.key_lines.get(key)
    tools = as_str_list(value, key=key, path=path, line=line, findings=findings) or []
    findings.extend(_unknown_tools(tools, path=path, line=line))
    return tools


def _tool_name(tool: str) -> str:
    """`Bash(git:*)` -> `bash`; `Read` -> `read`: the tool a permission-style entry names."""
    text = tool.strip()
    match = _ARGUMENTS.match(text)
    return (match.group(1) if match else text).lower()


def _unknown_tools(tools: list[str], *, path: str | None, line: int | None) -> list[Finding]:
    """An `unknown-tool` warning for each tool Claude Code does not have (`Frobnicate`)."""
    found: list[Finding] = []
    for tool in tools:
        lowered = _tool_name(tool)
        if not lowered or lowered.startswith("mcp__") or lowered in CLAUDE_TOOLS:
            continue
        close = difflib.get_close_matches(lowered, list(CLAUDE_TOOLS), n=1, cutoff=0.7)
        found.append(
            Finding(
                path=path,
                line=line,
                code=Code.UNKNOWN_TOOL,
                severity=Severity.WARNING,
                message=f"unknown Claude Code tool {tool.strip()!r}; it gives no tool group",
                hint=(f"did you mean {CLAUDE_TOOLS[close[0]]!r}? " if close else "")
                + "Claude Code's tools are listed in modegraph's docs (formats, Claude Code); "
                "MCP tools are written mcp__<server>__<tool>",
            )
        )
    return found


def _groups(tools: list[str]) -> list[str]:
    names: list[str] = []
    for tool in tools:
        lowered = _tool_name(tool)
        group = "mcp" if lowered.startswith("mcp__") else TOOL_GROUPS.get(lowered)
        if group is not None and group not in names:
            names.append(group)
    return names


def _without_denied(groups: list[str], denied: list[str]) -> list[str]:
    names = {_tool_name(tool) for tool in denied}
    if "task" in names:
        names.add("agent")
    if any(name.startswith("mcp__") and name.endswith("*") for name in names):
        names.add("mcp__*")
    return [group for group in groups if not _MAIN_TOOLS[group] <= names]


def _no_description(
    slug: str | None, data: Mapping[str, object], path: str | None, line: int
) -> list[Finding]:
    """The warning for an agent with no `description` key (nothing routes to it)."""
    if not slug or "description" in data:
        return []
    return [
        finding(
            Code.MISSING_FIELD,
            Severity.WARNING,
            f"agent {slug!r} has no `description`: Claude Code requires one, and an "
            "orchestrator picks agents by it, so no goal will be routed here",
            path=path,
            line=line,
            hint="add `description: <what it does and when to use it>` to the front matter",
            slug=slug,
        )
    ]
