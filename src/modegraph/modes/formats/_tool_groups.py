r"""Read one item of a Roo Commander tool-group list.

`- edit`, `- edit (fileRegex: \.md$, description: Docs)`, a JSON item
`["edit", {"fileRegex": "\\.md$"}]`, or several groups on one line (`read, edit`).
A bare group name (the common item) is read by a shortcut that gives what the
general rule gives.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.formats._references import note_text, split_comment
from modegraph.modes.model import ToolGroup

__all__ = ["group_from_value", "parse_tool_group_item"]

_GROUP_NAME = re.compile(r"[A-Za-z][\w-]*")
"""A tool group item that is a bare group name (`read`)."""
_GROUP_PLAIN = re.compile(r"^(?P<name>[A-Za-z][\w-]*)\s*(?:\((?P<opts>.*)\))?\s*(?P<rest>.*)$")
_FILE_REGEX_OPT = re.compile(
    r"^(?:file_?regex|regex|files?)\s*[:=]\s*(?P<regex>.+?)"
    r"(?:\s*[,;]\s*description\s*[:=]\s*(?P<desc>.+))?$",
    re.IGNORECASE,
)


def parse_tool_group_item(
    text: str, *, line: int | None, path: str | None, findings: list[Finding]
) -> list[ToolGroup]:
    r"""The tool groups in one item: `edit`, `edit (fileRegex: \.md$)`, `["edit", {...}]`."""
    text = text.strip()
    if _GROUP_NAME.fullmatch(text):  # the common `- read`: what the general rule gives
        name = sys.intern(text.lower())  # one `read` for every mode that may read
        return [ToolGroup(name=name, file_regex=None, description=None, line=line)]
    return _parse_tool_group_item(text, line=line, path=path, findings=findings)


def _parse_tool_group_item(
    text: str, *, line: int | None, path: str | None, findings: list[Finding]
) -> list[ToolGroup]:
    """`parse_tool_group_item` by the general rule (every item shape)."""
    groups = _tool_group_item(text, line=line, path=path, findings=findings)
    return [group.model_copy(update={"line": line}) for group in groups]


def _tool_group_item(
    text: str, *, line: int | None, path: str | None, findings: list[Finding]
) -> list[ToolGroup]:
    text = text.strip()
    unticked = text.strip("`").strip()
    if unticked.startswith(("[", "{")):  # a JSON list, bare or in backticks
        return _structured_group(unticked, line=line, path=path, findings=findings)
    body, note = split_comment(text)
    body = body.replace("`", "").strip()
    parts = _split_top_level(body)
    if len(parts) > 1 and all(_GROUP_ONLY.match(part) for part in parts):
        return [
            group
            for part in parts
            for group in _tool_group_item(part, line=line, path=path, findings=findings)
        ]
    if "," in body and "(" not in body:
        return [ToolGroup(name=part.strip().lower()) for part in body.split(",") if part.strip()]
    match = _GROUP_PLAIN.match(body)
    if match is None:
        if body:
            findings.append(_bad_group(path, line, text))
        return []
    regex: str | None = None
    description = note
    opts = (match.group("opts") or "").strip()
    if opts:
        option = _FILE_REGEX_OPT.match(opts)
        if option:
            regex = _unquote(option.group("regex"))
            description = _unquote(option.group("desc") or "") or description
        else:
            description = _unquote(opts) or description
    rest = note_text(match.group("rest") or "")
    description = description or rest
    return [ToolGroup(name=match.group("name").lower(), file_regex=regex, description=description)]


_GROUP_ONLY = re.compile(r"^[A-Za-z][\w-]*\s*(?:\(.*\))?$", re.DOTALL)
_OPENERS = {"(": ")", "[": "]", "{": "}"}


def _split_top_level(text: str) -> list[str]:
    r"""Split on commas outside `()`, `[]`, `{}` and `"`: `read, edit (a, b)` -> 2 parts."""
    parts: list[str] = []
    closers: list[str] = []
    quote: str | None = None
    start = 0
    for index, char in enumerate(text):
        if quote is not None:
            quote = None if char == quote else quote
        elif char == '"':  # not `'`: an apostrophe is common in descriptions
            quote = char
        elif char in _OPENERS:
            closers.append(_OPENERS[char])
        elif closers and char == closers[-1]:
            closers.pop()
        elif char == "," and not closers:
            parts.append(text[start:index].strip())
            start = index + 1
    parts.append(text[start:].strip())
    return [part for part in parts if part]


def _structured_group(
    text: str, *, line: int | None, path: str | None, findings: list[Finding]
) -> list[ToolGroup]:
    value: Any
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        import yaml  # only for a group written as YAML flow text, rare: not at import

        try:
            value = yaml.safe_load(text)
        except (yaml.YAMLError, ValueError, OverflowError, RecursionError):
            findings.append(_bad_group(path, line, text))
            return []
    if isinstance(value, list) and len(value) > 1 and not isinstance(value[1], dict):
        # A whole groups list on one line: `["read", "edit", ["edit", {...}]]`.
        groups = [group_from_value(item) for item in value]
        if all(group is not None for group in groups):
            return [group for group in groups if group is not None]
        findings.append(_bad_group(path, line, text))
        return []
    group = group_from_value(value)
    if group is None:
        findings.append(_bad_group(path, line, text))
        return []
    return [group]


def group_from_value(value: object) -> ToolGroup | None:
    """A tool group from `"edit"`, `["edit", {"fileRegex": ...}]` or `{"name": "edit"}`."""
    if isinstance(value, str) and value.strip():
        return ToolGroup(name=value.strip().lower())
    options: object = {}
    name: object = None
    if isinstance(value, list) and value and isinstance(value[0], str):
        name = value[0]
        options = value[1] if len(value) > 1 else {}
    elif isinstance(value, dict):
        name = value.get("name", value.get("group"))
        options = value
    if not isinstance(name, str) or not name.strip() or not isinstance(options, dict):
        return None
    regex = options.get("fileRegex", options.get("file_regex"))
    description = options.get("description")
    return ToolGroup(
        name=name.strip().lower(),
        file_regex=regex if isinstance(regex, str) and regex else None,
        description=description if isinstance(description, str) and description else None,
    )


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "`'\"":
        text = text[1:-1]
    return text.strip()


def _bad_group(path: str | None, line: int | None, text: str) -> Finding:
    return Finding(
        path=path,
        line=line,
        code=Code.WRONG_TYPE,
        severity=Severity.ERROR,
        message=f"cannot read the tool group item {text[:60]!r}; it was ignored",
        hint='write a group name (`- edit`), `- edit (fileRegex: \\.md$)` or `["edit", '
        '{"fileRegex": "\\\\.md$", "description": "Markdown only"}]`',
    )
