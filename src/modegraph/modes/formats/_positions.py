"""Parse JSON and YAML while remembering the line of every value.

Readers need the line of a mode, or of one key in it, to point a finding at it.
Both parsers here return the data together with a `Lines` table: a map from a
path of keys and indexes (`("customModes", 2, "slug")`) to a 1-based line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

__all__ = [
    "MAX_YAML_VALUES",
    "Lines",
    "ParseError",
    "alias_problem",
    "parse_json",
    "parse_yaml",
    "toml_error_line",
]

PathKey = tuple[str | int, ...]
"""A path of mapping keys and sequence indexes into a parsed document."""

MAX_YAML_VALUES = 100_000
"""How many values YAML aliases may add to a document beyond the values written in it."""


class ParseError(Exception):
    """A syntax error with the parser's 1-based line (when it has one)."""

    def __init__(
        self,
        message: str,
        line: int | None,
        *,
        aliases: bool = False,
        context: str = "",
        started: int | None = None,
    ) -> None:
        super().__init__(message)
        self.problem = message
        """What is wrong, without where the construct it is in started."""
        self.line = line
        self.aliases = aliases
        """True when the text is YAML but its aliases cannot be followed."""
        self.context = context
        """The construct the problem is in (`while scanning a quoted scalar`), or ``."""
        self.started = started
        """The 1-based line where that construct starts."""

    @property
    def message(self) -> str:
        """The problem, and where the construct it is in starts (lines as they are now)."""
        if not self.context or self.started is None:
            return self.problem
        where = "this line" if self.started == self.line else f"line {self.started}"
        return f"{self.problem} ({self.context} that starts at {where})"

    def move(self, place: Callable[[int], int]) -> None:
        """Renumber its lines with `place` (a block's offset, another way to count)."""
        if self.line is not None:
            self.line = place(self.line)
        if self.started is not None:
            self.started = place(self.started)


@dataclass
class Lines:
    """1-based line of each value in a parsed document, keyed by its path."""

    table: dict[PathKey, int] = field(default_factory=dict)
    """Path -> line where the value (or its key, for mapping entries) starts."""
    prefix: PathKey = ()
    """Where this view is rooted in `table` (see `under`)."""

    def at(self, path: Sequence[str | int]) -> int | None:
        """The line of `path`, or of its nearest ancestor (below `prefix`) that has one."""
        key = (*self.prefix, *path)
        floor = len(self.prefix)
        while True:
            line = self.table.get(key)
            if line is not None or len(key) <= floor:
                return line
            key = key[:-1]

    def under(self, prefix: Sequence[str | int]) -> Lines:
        """A view re-rooted at `prefix`: `under(("modes", 2)).at(("slug",))`.

        The view shares the table, so taking one per mode of a 40,000-mode file costs
        nothing (it used to copy the table each time, which made large files quadratic).
        """
        return Lines(self.table, (*self.prefix, *prefix))


# ----------------------------------------------------------------------------- YAML


def parse_yaml(text: str) -> tuple[Any, Lines]:
    r"""Parse one YAML document; raise `ParseError` with the line on bad syntax.

    Lines are counted as modegraph counts them everywhere (`\n`, `\r\n`, `\r`), also
    when the text holds the breaks only YAML counts (NEL, LINE/PARAGRAPH SEPARATOR).
    PyYAML is imported on the first call (`_yaml_lines`), not with this module.
    """
    from modegraph.modes.formats._yaml_lines import parse_yaml as parse

    return parse(text)


def alias_problem(node: yaml.Node) -> tuple[str, int] | None:
    """Why the aliases of a composed YAML document cannot be read (`_yaml_lines.alias_problem`)."""
    from modegraph.modes.formats._yaml_lines import alias_problem as problem

    return problem(node)


# ----------------------------------------------------------------------------- JSON

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def parse_json(text: str) -> tuple[Any, Lines]:
    """Parse a JSON document; raise `ParseError` with the line on bad syntax."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"JSON syntax error: {exc.msg}", exc.lineno) from exc
    except RecursionError as exc:
        raise ParseError("JSON syntax error: nested too deeply", None) from exc
    lines = Lines()
    scanner = _LineScanner(text, lines.table)
    try:
        scanner.value(scanner.skip(0), ())
    except RecursionError:  # pragma: no cover - only for absurdly deep documents
        pass
    return data, lines


def _newline_offsets(text: str) -> list[int]:
    """The offset of every newline in `text`.

    Found with `str.find`: a loop over every character took 6 ms for a 180 kB `.roomodes`.
    """
    found: list[int] = []
    index = text.find("\n")
    while index != -1:
        found.append(index)
        index = text.find("\n", index + 1)
    return found


class _LineScanner:
    """Walks text already known to be valid JSON, recording where each value starts."""

    def __init__(self, text: str, table: dict[PathKey, int]) -> None:
        self.text = text
        self.table = table
        self._newlines = _newline_offsets(text)

    def line_of(self, offset: int) -> int:
        """1-based line of a character offset."""
        low, high = 0, len(self._newlines)
        while low < high:
            mid = (low + high) // 2
            if self._newlines[mid] < offset:
                low = mid + 1
            else:
                high = mid
        return low + 1

    def skip(self, offset: int) -> int:
        """The offset after any whitespace at `offset`."""
        match = _WS.match(self.text, offset)
        return match.end() if match else offset

    def value(self, offset: int, path: PathKey) -> int:
        """Record the value at `offset` (and its children); return the offset after it."""
        self.table.setdefault(path, self.line_of(offset))
        char = self.text[offset : offset + 1]
        if char == "{":
            return self._object(offset + 1, path)
        if char == "[":
            return self._array(offset + 1, path)
        _, end = _DECODER.raw_decode(self.text, offset)
        return end

    def _object(self, offset: int, path: PathKey) -> int:
        offset = self.skip(offset)
        if self.text[offset] == "}":
            return offset + 1
        while True:
            key_line = self.line_of(offset)
            key, offset = _DECODER.raw_decode(self.text, offset)
            offset = self.skip(self.skip(offset) + 1)  # past the colon
            child = (*path, key)
            self.table[child] = key_line
            offset = self.skip(self.value(offset, child))
            if self.text[offset] == "}":
                return offset + 1
            offset = self.skip(offset + 1)  # past the comma

    def _array(self, offset: int, path: PathKey) -> int:
        offset = self.skip(offset)
        if self.text[offset] == "]":
            return offset + 1
        index = 0
        while True:
            offset = self.skip(self.value(offset, (*path, index)))
            index += 1
            if self.text[offset] == "]":
                return offset + 1
            offset = self.skip(offset + 1)


# ----------------------------------------------------------------------------- TOML

_TOML_LINE = re.compile(r"line (\d+)")


def toml_error_line(message: str) -> int | None:
    """The line number in a `tomllib.TOMLDecodeError` message, when it has one."""
    match = _TOML_LINE.search(message)
    return int(match.group(1)) if match else None
