"""Read CrewAI crews: `config/agents.yaml`, with `config/tasks.yaml` beside it.

```yaml
researcher:                     -> slug `researcher` (`_` becomes `-`)
  role: >                       -> name (a leading emoji is split off)
    Senior Data Researcher
  goal: >                       -> description
    Uncover developments in {topic}
  backstory: >                  -> role_definition
    You're a seasoned researcher ...
  llm: openai/gpt-4o            -> model (a mapping's `model`; the rest in extra["llm"])
  tools: [serper_dev_tool]      -> extra["crewai_tools"], and tool groups where known
  allow_delegation: true        -> delegates_to every other agent of the crew
```

- **Delegation** works as in CrewAI: an agent with `allow_delegation: true` may hand
  work to every agent of its crew, so it delegates to each of them (a reference with
  the note `allow_delegation: true`); without it (CrewAI's default) it delegates to
  none. The value is kept in `extra["allow_delegation"]`.
- **Tasks**: each task of the sibling `tasks.yaml` that names an agent (`agent: key`)
  is kept in that agent's `extra["crewai_tasks"]` (`name`, `description`,
  `expected_output`), and the agent's `when_to_use` is its tasks' descriptions, one
  paragraph each: what the crew gives it to do. A task naming an agent the crew does
  not have is a `dangling-reference` warning. Tasks bound in Python (no `agent:`)
  cannot be placed and are left alone.
- **Tools** are CrewAI tool names; `TOOL_GROUPS` maps the common ones to Roo tool
  groups (`file_read_tool` -> read, `file_writer_tool` -> edit, `code_interpreter_tool`
  -> command, web search and scraping tools -> browser, `*mcp*` -> mcp). Others give
  no group; every name stays in `extra["crewai_tools"]`.
- `role`, `goal` and `backstory` are required by CrewAI: a missing one is a
  `missing-field` error (the agent is still read when it has a role). Other keys
  (`verbose`, `max_iter`, ...) are kept in `extra`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.formats._fields import describe_type, finding, jsonable, split_emoji
from modegraph.modes.formats._positions import Lines, ParseError, parse_yaml
from modegraph.modes.formats.reading import ReadResult
from modegraph.modes.model import Mode, Reference, SourceFormat, SourceInfo, ToolGroup

__all__ = [
    "AGENT_KEYS",
    "DELEGATION_NOTE",
    "TOOL_GROUPS",
    "looks_like_crewai_agents",
    "read_crewai_agents",
]

AGENT_KEYS = ("role", "goal", "backstory", "llm", "tools", "allow_delegation")
"""The agent keys read into `Mode` fields; every other key is kept in `extra`."""

DELEGATION_NOTE = "allow_delegation: true"
"""The note of each reference `allow_delegation` makes."""

TOOL_GROUPS: dict[str, str] = {
    "filereadtool": "read",
    "directoryreadtool": "read",
    "directorysearchtool": "read",
    "pdfsearchtool": "read",
    "csvsearchtool": "read",
    "docxsearchtool": "read",
    "jsonsearchtool": "read",
    "txtsearchtool": "read",
    "xmlsearchtool": "read",
    "mdxsearchtool": "read",
    "filewritertool": "edit",
    "codeinterpretertool": "command",
    "serperdevtool": "browser",
    "scrapewebsitetool": "browser",
    "websitesearchtool": "browser",
    "scrapeelementfromwebsitetool": "browser",
    "browserbaseloadtool": "browser",
    "exasearchtool": "browser",
    "bravesearchtool": "browser",
    "firecrawlscrapewebsitetool": "browser",
    "firecrawlsearchtool": "browser",
    "firecrawlcrawlwebsitetool": "browser",
    "codedocssearchtool": "browser",
    "youtubevideosearchtool": "browser",
    "githubsearchtool": "browser",
}
"""CrewAI tool name (lower case, without `_` and `-`) -> Roo tool group."""

_REQUIRED = ("role", "goal", "backstory")
_SNIFF_ROLE = re.compile(r"^[ \t]+role[ \t]*:", re.MULTILINE)
_SNIFF_OTHER = re.compile(r"^[ \t]+(?:goal|backstory)[ \t]*:", re.MULTILINE)
_SNIFF_NOT = re.compile(r"^(?:customModes|slug|modes)[ \t]*:", re.MULTILINE)


def looks_like_crewai_agents(text: str) -> bool:
    """True for a CrewAI `agents.yaml`: top-level keys holding `role` and `goal`/`backstory`."""
    head = text[:200_000]
    return bool(
        _SNIFF_ROLE.search(head) and _SNIFF_OTHER.search(head) and not _SNIFF_NOT.search(head)
    )


def read_crewai_agents(
    text: str,
    *,
    path: str | None = None,
    tasks: str | None = None,
    tasks_path: str | None = None,
) -> ReadResult:
    """Read the agents of one crew. Never raises.

    Args:
        text: The `agents.yaml` text.
        path: Its file name, used in findings and in `Mode.source`.
        tasks: The text of the crew's `tasks.yaml`, when there is one.
        tasks_path: Its file name, used in findings.
    """
    result = ReadResult()
    try:
        data, lines = parse_yaml(text)
    except ParseError as exc:
        result.findings.append(_syntax(exc, path))
        return result
    if not isinstance(data, Mapping) or not data:
        result.findings.append(
            finding(
                Code.WRONG_TYPE,
                Severity.ERROR,
                f"a CrewAI agents file maps agent names to agents, not {describe_type(data)}",
                path=path,
                line=1,
                hint="write `researcher:` followed by indented `role:`, `goal:` and `backstory:`",
            )
        )
        return result
    keys = [str(key) for key in data]
    bound = _tasks(tasks, tasks_path, keys, result)
    for key, item in data.items():
        name = str(key)
        mode = _agent(name, item, lines.under((key,)), keys, bound.get(name, []), path, result)
        if mode is not None:
            result.modes.append(mode)
    return result


def _agent(
    key: str,
    item: Any,
    lines: Lines,
    crew: list[str],
    tasks: list[dict[str, Any]],
    path: str | None,
    result: ReadResult,
) -> Mode | None:
    slug = key.strip().replace("_", "-")
    start = lines.at(())
    if not isinstance(item, Mapping):
        result.findings.append(
            finding(
                Code.WRONG_TYPE,
                Severity.ERROR,
                f"agent `{key}` should be a mapping of role, goal and backstory, not "
                f"{describe_type(item)}; it was skipped",
                path=path,
                line=start,
                hint="indent `role:`, `goal:` and `backstory:` under the agent's name",
                slug=slug,
            )
        )
        return None
    texts = {field: _text(item, field, lines, path, slug, result) for field in _REQUIRED}
    for field in _REQUIRED:
        if not texts[field]:
            result.findings.append(
                finding(
                    Code.MISSING_FIELD,
                    Severity.ERROR,
                    f"agent `{key}` has no `{field}` (CrewAI requires role, goal and backstory)",
                    path=path,
                    line=lines.at((field,)) if field in item else start,
                    hint=f"add `{field}:` with a text",
                    slug=slug,
                )
            )
    role = " ".join((texts["role"] or "").split())
    emoji, name = split_emoji(role) if role else (None, "")
    extra: dict[str, Any] = {
        str(k): jsonable(v) for k, v in item.items() if str(k) not in AGENT_KEYS
    }
    delegates: tuple[Reference, ...] = ()
    if "allow_delegation" in item:
        allowed = item["allow_delegation"]
        extra["allow_delegation"] = jsonable(allowed)
        if allowed is True:
            line = lines.at(("allow_delegation",))
            delegates = tuple(
                Reference(slug=other.strip().replace("_", "-"), note=DELEGATION_NOTE, line=line)
                for other in crew
                if other != key
            )
    tools = _tools(item, lines, path, slug, result)
    if tools is not None:
        extra["crewai_tools"] = tools
    model = _model(item.get("llm"), extra)
    if tasks:
        extra["crewai_tasks"] = tasks
    return Mode(
        slug=slug,
        name=name or slug,
        emoji=emoji,
        description=(texts["goal"] or "").strip(),
        when_to_use="\n\n".join(task["description"] for task in tasks if task["description"]),
        role_definition=(texts["backstory"] or "").strip(),
        tool_groups=tuple(
            ToolGroup(name=group, line=lines.at(("tools",))) for group in _groups(tools or [])
        ),
        delegates_to=delegates,
        model=model,
        source=SourceInfo(path=path, line=start, format=SourceFormat.CREWAI),
        extra=extra,
    )


def _text(
    item: Mapping[Any, Any], key: str, lines: Lines, path: str | None, slug: str, result: ReadResult
) -> str | None:
    value = item.get(key)
    if value is None or isinstance(value, str):
        return value.strip() if isinstance(value, str) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    result.findings.append(
        finding(
            Code.WRONG_TYPE,
            Severity.ERROR,
            f"`{key}` should be a text, not {describe_type(value)}; it was ignored",
            path=path,
            line=lines.at((key,)),
            hint=f"write `{key}: >` and the text indented below it",
            slug=slug,
        )
    )
    return None


def _tools(
    item: Mapping[Any, Any], lines: Lines, path: str | None, slug: str, result: ReadResult
) -> list[str] | None:
    if "tools" not in item or item["tools"] is None:
        return None
    value = item["tools"]
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list) and all(isinstance(tool, str) for tool in value):
        return [tool.strip() for tool in value if tool.strip()]
    result.findings.append(
        finding(
            Code.WRONG_TYPE,
            Severity.ERROR,
            f"`tools` should be a list of tool names, not {describe_type(value)}; it was ignored",
            path=path,
            line=lines.at(("tools",)),
            hint="write `tools: [serper_dev_tool, file_read_tool]`",
            slug=slug,
        )
    )
    return None


def _groups(tools: list[str]) -> list[str]:
    groups: list[str] = []
    for tool in tools:
        key = re.sub(r"[^a-z0-9]", "", tool.lower())
        group = "mcp" if "mcp" in key else TOOL_GROUPS.get(key) or TOOL_GROUPS.get(f"{key}tool")
        if group is not None and group not in groups:
            groups.append(group)
    return groups


def _model(value: Any, extra: dict[str, Any]) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, Mapping):
        model = value.get("model")
        others = {str(k): jsonable(v) for k, v in value.items() if k != "model"}
        if others:
            extra["llm"] = others
        if isinstance(model, str) and model.strip():
            return model.strip()
    elif value is not None:
        extra["llm"] = jsonable(value)
    return None


def _tasks(
    text: str | None, path: str | None, crew: list[str], result: ReadResult
) -> dict[str, list[dict[str, Any]]]:
    """The tasks of `tasks.yaml` by the agent they name; findings for tasks naming no agent."""
    if text is None or not text.strip():
        return {}
    try:
        data, lines = parse_yaml(text)
    except ParseError as exc:
        result.findings.append(_syntax(exc, path))
        return {}
    if not isinstance(data, Mapping):
        return {}
    bound: dict[str, list[dict[str, Any]]] = {}
    for key, task in data.items():
        if not isinstance(task, Mapping) or not isinstance(task.get("agent"), str):
            continue
        agent = task["agent"].strip()
        if agent not in crew:
            result.findings.append(
                finding(
                    Code.DANGLING_REFERENCE,
                    Severity.WARNING,
                    f"task `{key}` names the agent `{agent}`, which the crew's agents file "
                    "does not define",
                    path=path,
                    line=lines.at((key, "agent")),
                    hint=f"use one of: {', '.join(crew)}",
                )
            )
            continue
        bound.setdefault(agent, []).append(
            {
                "name": str(key),
                "description": _plain(task.get("description")),
                "expected_output": _plain(task.get("expected_output")),
            }
        )
    return bound


def _plain(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _syntax(exc: ParseError, path: str | None) -> Finding:
    return finding(
        Code.SYNTAX_ERROR,
        Severity.ERROR,
        exc.message,
        path=path,
        line=exc.line,
        hint="fix the syntax at this line; the file was not read",
    )
