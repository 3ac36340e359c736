r"""Write a mode as Roo Commander Markdown, in the seed file's layout.

```
# Mode: 🚀 FastAPI Developer (`fastapi-developer`)

## Description
...
## Capabilities
*   ...
## Workflow
1.  ...
---
## Role Definition
---
## Custom Instructions
---
## Metadata
**Level:** ...   **Tool Groups:**  **Tags:**  **Categories:**  **Stack:**
**Delegates To:**  **Escalates To:**  **Reports To:**  **API Configuration:**
```

References are written as ``- `slug` # note``; a tool group limited to some files as
``- edit (fileRegex: \.md$, description: Markdown only)`` (or a JSON item
``- ["edit", {"fileRegex": ...}]`` when the regex or description would misread in
that form, e.g. a regex holding `, description: `); `when_to_use` as a
`## When to Use` section; `extra["api_configuration"]` as `**API Configuration:**`
items. Other extra keys go into a small YAML front matter block, which the Markdown
reader keeps in `extra` again. Markdown holds every field.

The format itself gives a few characters meaning, and the writer does not escape
them: a list item that starts with `#` reads as a comment, an item with a comma as
two items, trailing punctuation of a metadata item and a trailing `\` on a line
are trimmed, and `None`/`N/A` items are placeholders. Line breaks inside one list
item, note or group description become spaces.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import yaml

from modegraph.findings import Finding
from modegraph.modes.formats._coerce import jsonable
from modegraph.modes.formats._tool_groups import parse_tool_group_item
from modegraph.modes.formats.writing import (
    TargetFormat,
    WrittenFile,
    dropped_findings,
    unwritten,
)
from modegraph.modes.model import Mode, Reference, ToolGroup

__all__ = ["markdown_file"]

_API_KEY = "api_configuration"
_WRITES = frozenset(
    {
        "slug",
        "name",
        "emoji",
        "level",
        "description",
        "when_to_use",
        "capabilities",
        "workflow",
        "role_definition",
        "custom_instructions",
        "tool_groups",
        "tags",
        "categories",
        "stack",
        "delegates_to",
        "escalates_to",
        "reports_to",
        "model",
        "extra",
    }
)
"""The mode fields this writer writes; a field added to `Mode` later is reported dropped."""
_HINT = "write to `yaml`, which holds every field"
_WHEN_TO_USE = re.compile(
    r"^ {0,3}##[ \t]+when[ \t_-]+to[ \t_-]+use\b", re.IGNORECASE | re.MULTILINE
)


def markdown_file(mode: Mode) -> tuple[WrittenFile, list[Finding]]:
    """The `<slug>.mode.md` file of one mode and what it could not hold."""
    parts: list[str] = []
    front = _front_matter(mode)
    if front:
        parts.append(front)
    parts.append(f"# Mode: {_heading_name(mode)} (`{mode.slug}`)\n")
    parts.append(_section("Description", mode.description))
    if mode.when_to_use or _WHEN_TO_USE.search(mode.custom_instructions):
        # written even empty when the instructions have such a heading: the reader
        # keeps a heading of a section it already met as part of the instructions
        parts.append(_section("When to Use", mode.when_to_use))
    parts.append(_section("Capabilities", _bullets(mode.capabilities)))
    parts.append(_section("Workflow", _numbered(mode.workflow)))
    parts.append("---\n")
    parts.append(_section("Role Definition", mode.role_definition))
    parts.append("---\n")
    parts.append(_section("Custom Instructions", mode.custom_instructions, blank_first=True))
    parts.append("---\n")
    parts.append("## Metadata\n")
    parts.append(_metadata(mode))
    text = "\n".join(parts).rstrip("\n") + "\n"
    findings = dropped_findings(
        mode, target=TargetFormat.MARKDOWN, dropped=unwritten(mode, _WRITES), hint=_HINT
    )
    return WrittenFile(name=f"{mode.slug}.mode.md", text=text), findings


def _flat(text: str) -> str:
    """One line: line breaks become spaces, other whitespace stays as written."""
    return " ".join(part.strip() for part in text.strip().splitlines() if part.strip())


def _heading_name(mode: Mode) -> str:
    name = _flat(mode.name)
    return f"{mode.emoji} {name}" if mode.emoji else name


def _front_matter(mode: Mode) -> str:
    data = {key: value for key, value in mode.extra.items() if key != _API_KEY}
    if not data:
        return ""
    dumped = yaml.safe_dump(jsonable(data), sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{dumped}---\n"


def _section(title: str, body: str, *, blank_first: bool = False) -> str:
    body = body.strip("\n")
    if not body:
        return f"## {title}\n"
    gap = "\n" if blank_first else ""
    return f"## {title}\n{gap}{body}\n"


def _one_line(text: str) -> str:
    return "\n    ".join(line.strip() for line in text.strip().splitlines())


def _bullets(items: Iterable[str]) -> str:
    return "\n".join(f"*   {_one_line(item)}" for item in items)


def _numbered(items: Iterable[str]) -> str:
    return "\n".join(f"{index}.  {_one_line(item)}" for index, item in enumerate(items, 1))


def _plain_list(items: Iterable[str]) -> list[str]:
    return [f"- {_one_line(item)}" for item in items]


def _group_line(group: ToolGroup) -> str:
    """`- edit (fileRegex: ..., description: ...)`, or a JSON item when that misreads.

    A regex or description holding what the plain form gives meaning to (`, description:`,
    `)`, `#`, backticks, quotes) is written as `- ["edit", {"fileRegex": ...}]`, which
    the reader takes literally.
    """
    description = _flat(group.description) if group.description else None
    options: list[str] = []
    if group.file_regex is not None:
        options.append(f"fileRegex: {group.file_regex}")
    if description:
        options.append(f"description: {description}" if options else description)
    plain = f"{group.name} ({', '.join(options)})" if options else group.name
    wanted = ToolGroup(name=group.name, file_regex=group.file_regex, description=description)
    if parse_tool_group_item(plain, line=None, path=None, findings=[]) == [wanted]:
        return f"- {plain}"
    settings = {"fileRegex": group.file_regex, "description": description}
    item = [group.name, {key: value for key, value in settings.items() if value is not None}]
    return "- " + json.dumps(item, ensure_ascii=False)


def _api_configuration(mode: Mode) -> list[str]:
    lines = [f"- model: {mode.model}"] if mode.model else []
    settings = mode.extra.get(_API_KEY)
    if isinstance(settings, dict):
        lines.extend(
            f"- {key}: {value}"
            for key, value in settings.items()
            if key != "model" and isinstance(value, str | int | float)
        )
    return lines


def _reference_line(reference: Reference) -> str:
    line = f"- `{reference.slug}`"
    if reference.note:
        line += f" # {_flat(reference.note)}"
    return line


def _metadata(mode: Mode) -> str:
    blocks: list[str] = []
    if mode.level:
        blocks.append(f"**Level:** {mode.level}\n")
    keyed: list[tuple[str, list[str]]] = [
        ("Tool Groups", [_group_line(group) for group in mode.tool_groups]),
        ("Tags", _plain_list(mode.tags)),
        ("Categories", _plain_list(mode.categories)),
        ("Stack", _plain_list(mode.stack)),
        ("Delegates To", [_reference_line(ref) for ref in mode.delegates_to]),
        ("Escalates To", [_reference_line(ref) for ref in mode.escalates_to]),
        ("Reports To", [_reference_line(ref) for ref in mode.reports_to]),
        ("API Configuration", _api_configuration(mode)),
    ]
    for key, lines in keyed:
        blocks.append("\n".join([f"**{key}:**", *lines]) + "\n")
    return "\n".join(blocks)
