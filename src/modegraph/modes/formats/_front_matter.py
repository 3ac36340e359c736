"""Front matter blocks (`---` YAML, `+++` TOML): find them, parse YAML ones with lines.

A front matter block opens on the first non-blank line of a file with a fence line
(`---` or `+++`, trailing spaces allowed) and closes on the next fence line (YAML
also accepts `...`). Line numbers handed out here are 1-based lines of the whole
file, so findings point at the right place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.formats._positions import alias_problem

__all__ = [
    "FrontMatter",
    "YamlFrontMatter",
    "find_front_matter",
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
    """Parse a YAML block; a syntax error becomes a finding with the file line."""
    result = YamlFrontMatter()
    offset = block.first_content_line - 1
    try:
        node = yaml.compose(block.text, Loader=yaml.SafeLoader)
        problem = alias_problem(node) if node is not None else None
        if problem is not None:
            result.findings.append(_syntax_error(path, offset + problem[1], problem[0]))
            return result
        loaded = yaml.safe_load(block.text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = offset + mark.line + 1 if mark is not None else block.open_index + 1
        result.findings.append(_syntax_error(path, line, str(error.problem or error)))
        return result
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError) as error:
        result.findings.append(_syntax_error(path, block.open_index + 1, str(error)))
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
    _collect_lines(block.text, offset, result)
    return result


def _collect_lines(text: str, offset: int, result: YamlFrontMatter) -> None:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):  # pragma: no cover - safe_load succeeded
        return
    if not isinstance(node, yaml.MappingNode):
        return
    for key_node, value_node in node.value:
        key = str(key_node.value)
        result.key_lines.setdefault(key, offset + key_node.start_mark.line + 1)
        if isinstance(value_node, yaml.SequenceNode):
            result.item_lines[key] = [
                offset + item.start_mark.line + 1 for item in value_node.value
            ]


def _syntax_error(path: str | None, line: int, problem: str) -> Finding:
    return Finding(
        path=path,
        line=line,
        code=Code.SYNTAX_ERROR,
        severity=Severity.ERROR,
        message=f"YAML front matter syntax error: {problem}",
        hint="fix the YAML between the `---` lines (quote values that contain `: ` or `#`)",
    )
