"""Front matter blocks (`---` YAML, `+++` TOML): find them, parse YAML ones with lines.

A front matter block opens on the first non-blank line of a file with a fence line
(`---` or `+++`, trailing spaces allowed) and closes on the next fence line (YAML
also accepts `...`). Line numbers handed out here are 1-based lines of the whole
file, so findings point at the right place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.formats._positions import ParseError, parse_yaml

__all__ = [
    "FrontMatter",
    "YamlFrontMatter",
    "dedent_indented_front_matter",
    "find_front_matter",
    "parse_front_matter_leniently",
    "parse_yaml_front_matter",
    "unclosed",
]


@dataclass(frozen=True)
class FrontMatter:
    """Where a front matter block is in a file's lines."""

    open_index: int
    """0-based index of the opening fence line."""
    close_index: int | None
    """0-based index of the closing fence line; None when the block never closes."""
    text: str
    """The lines between the fences, joined with newlines."""

    @property
    def first_content_line(self) -> int:
        """1-based file line of the first line inside the block."""
        return self.open_index + 2

    @property
    def body_index(self) -> int:
        """0-based index of the first line after the block."""
        if self.close_index is None:
            return self.open_index + 1
        return self.close_index + 1


@dataclass
class YamlFrontMatter:
    """A parsed YAML front matter block."""

    data: dict[str, Any] = field(default_factory=dict)
    """The keys, as YAML loads them (keys turned into strings)."""
    key_lines: dict[str, int] = field(default_factory=dict)
    """1-based file line of each top-level key."""
    item_lines: dict[str, list[int]] = field(default_factory=dict)
    """For keys holding a sequence: the 1-based file line of each item."""
    findings: list[Finding] = field(default_factory=list)
    """syntax-error and wrong-type findings met while parsing."""
    yaml_error: bool = False
    """The text is not YAML at all (a scanner or parser error, not an alias problem)."""


def find_front_matter(lines: list[str], fence: str) -> FrontMatter | None:
    """The front matter block opened by `fence` on the first non-blank line, if any."""
    closers = {fence, "..."} if fence == "---" else {fence}
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if line.rstrip() != fence:
            return None
        for end in range(index + 1, len(lines)):
            if lines[end].rstrip() in closers:
                return FrontMatter(index, end, "\n".join(lines[index + 1 : end]))
        return FrontMatter(index, None, "")
    return None


def unclosed(block: FrontMatter, *, fence: str, path: str | None) -> Finding:
    """The syntax-error finding for a block that never closes."""
    return Finding(
        path=path,
        line=block.open_index + 1,
        code=Code.SYNTAX_ERROR,
        severity=Severity.ERROR,
        message=f"the front matter opened with `{fence}` on this line is never closed",
        hint=f"add a line `{fence}` after the last front matter key",
    )


def parse_yaml_front_matter(block: FrontMatter, *, path: str | None) -> YamlFrontMatter:
    """Parse a YAML block; a syntax error becomes a finding with the file line.

    One pass of `_positions.parse_yaml` (libyaml when PyYAML has it) gives the data and
    the line of every key and list item.
    """
    result = YamlFrontMatter()
    offset = block.first_content_line - 1
    try:
        loaded, lines = parse_yaml(block.text)
    except ParseError as error:
        error.move(lambda at: offset + at)
        line = error.line if error.line is not None else block.open_index + 1
        problem = error.message.removeprefix("YAML syntax error: ")
        result.findings.append(_syntax_error(path, line, problem))
        result.yaml_error = not error.aliases
        return result
    if loaded is None:
        return result
    if not isinstance(loaded, dict):
        result.findings.append(
            Finding(
                path=path,
                line=block.first_content_line,
                code=Code.WRONG_TYPE,
                severity=Severity.ERROR,
                message="the front matter should be a mapping of `key: value` lines",
                hint="write one `key: value` per line between the `---` lines",
            )
        )
        return result
    result.data = {str(key): value for key, value in loaded.items()}
    items: dict[str, dict[int, int]] = {}
    for where, line in lines.table.items():
        if len(where) == 1:
            result.key_lines[str(where[0])] = offset + line
        elif len(where) == 2 and isinstance(where[1], int):
            items.setdefault(str(where[0]), {})[where[1]] = offset + line
    for key, by_index in items.items():
        if isinstance(result.data.get(key), list):
            result.item_lines[key] = [by_index[index] for index in sorted(by_index)]
    return result


def _syntax_error(path: str | None, line: int, problem: str) -> Finding:
    return Finding(
        path=path,
        line=line,
        code=Code.SYNTAX_ERROR,
        severity=Severity.ERROR,
        message=f"YAML front matter syntax error: {problem}",
        hint="fix the YAML between the `---` lines (quote values that contain `: ` or `#`)",
    )


def dedent_indented_front_matter(lines: list[str], fence: str) -> tuple[list[str], int]:
    """Lines with a whole-file indentation removed when the front matter fence is indented.

    A file whose first non-blank line is `    ---` (an agent copied out of a list or a
    code block) holds its front matter indented. Returns the lines with that many
    leading spaces or tabs taken off every line that has them, and the indentation
    removed (0 when the fence is not indented; the lines are then returned as given).
    """
    for line in lines:
        if not line.strip():
            continue
        stripped = line.lstrip(" \t")
        indent = len(line) - len(stripped)
        if indent == 0 or stripped.rstrip() != fence:
            return lines, 0
        prefix = line[:indent]
        dedented = [
            item[indent:] if item.startswith(prefix) else item.lstrip(" \t") for item in lines
        ]
        return dedented, indent
    return lines, 0


_LENIENT_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]+(.*)|[ \t]*)$")
_LIST_ITEM = re.compile(r"^[ \t]*-[ \t]+(.*)$")


def parse_front_matter_leniently(block: FrontMatter, *, keys: frozenset[str]) -> YamlFrontMatter:
    r"""Read a front matter block that is not valid YAML, one `key:` line at a time.

    Real agent files write values YAML cannot read (`description: Triggers on: 'x'`,
    unquoted `: ` and `#`). Here a line that starts (at column 0) with one of `keys`
    and a colon starts a field; every other line, `user:` and `Context:` included,
    continues the field before it. A value is the text after the first colon, with
    surrounding quotes removed and literal `\n` escapes turned into newlines; a key
    with nothing after the colon followed by `- item` lines is a list, and `[a, b]`
    is a list too (so is `[a, b` left open; `[Beta] Reviews ...` is text). No finding
    is added: the caller says why it read leniently.
    """
    result = YamlFrontMatter()
    offset = block.first_content_line
    current: str | None = None
    parts: dict[str, list[str]] = {}
    for index, line in enumerate(block.text.split("\n")):
        match = _LENIENT_KEY.match(line)
        if match and match.group(1) in keys and match.group(1) not in parts:
            current = match.group(1)
            parts[current] = [match.group(2) or ""]
            result.key_lines[current] = offset + index
        elif current is not None:
            parts[current].append(line)
    for key, lines in parts.items():
        result.data[key] = _lenient_value(lines)
    return result


def _lenient_value(lines: list[str]) -> str | list[str]:
    head, rest = lines[0].strip(), lines[1:]
    items = [_LIST_ITEM.match(line) for line in rest if line.strip()]
    if not head and items and all(items):
        return [_unquote(item.group(1).strip()) for item in items if item is not None]
    if _flow_list(head) and not any(line.strip() for line in rest):
        inner = head[1:].removesuffix("]").strip()
        return [_unquote(part.strip()) for part in inner.split(",") if part.strip()]
    text = "\n".join([head, *(line.strip() for line in rest)]).strip()
    return _unquote(text).replace("\\n", "\n")


def _flow_list(head: str) -> bool:
    """`[a, b]`, or `[a, b` left open; not text that starts with a bracket (`[Beta] ...`)."""
    if not head.startswith("[") or "[" in head[1:]:
        return False
    inner = head[1:].removesuffix("]")
    return "]" not in inner and (head.endswith("]") or "," in inner)


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text
