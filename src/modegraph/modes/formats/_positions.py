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
from typing import Any

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
    """
    ours = _our_lines(text)
    try:
        data, lines = _parse_yaml(text)
    except ParseError as exc:
        if ours is not None:
            exc.move(lambda line: ours[min(line, len(ours)) - 1])
        raise
    if ours is not None:
        lines.table.update({k: ours[min(v, len(ours)) - 1] for k, v in lines.table.items()})
    return data, lines


_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_YAML_ONLY_BREAKS = re.compile("[\x85\u2028\u2029]")


def _our_lines(text: str) -> list[int] | None:
    """Our line of each YAML line (index = YAML line - 1); None when they agree."""
    if _YAML_ONLY_BREAKS.search(text) is None:
        return None
    ours = [1]
    for found in _BREAKS.finditer(text):
        ours.append(ours[-1] + (found.group() not in "\x85\u2028\u2029"))
    return ours


def _parse_yaml(text: str) -> tuple[Any, Lines]:
    """`parse_yaml`, with YAML's own line numbers.

    An empty document parses to None. The document is composed with libyaml when
    PyYAML has it (ten times faster on a large catalog); a document libyaml refuses is
    parsed again by the pure-Python parser, so messages stay PyYAML's own.
    """
    loader, node = _compose(text)
    try:
        # no `&anchor` in the text, no alias to follow: skip the count
        aliases = alias_problem(node) if node is not None and "&" in text else None
        if aliases is not None:
            raise ParseError(f"YAML syntax error: {aliases[0]}", aliases[1], aliases=True)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise _marked(exc, text) from exc
    except yaml.YAMLError as exc:
        raise ParseError(f"YAML syntax error: {exc}", _reader_line(text, exc)) from exc
    except RecursionError as exc:
        raise ParseError("YAML syntax error: nested too deeply", None) from exc
    except (ValueError, OverflowError) as exc:  # `2026-13-45` reads as a bad date
        line = _bad_scalar_line(node) if node is not None else None
        raise ParseError(
            f"YAML value error: {exc} (quote the value to keep it text)", line
        ) from exc
    finally:
        loader.dispose()
    lines = Lines()
    if node is not None:
        _walk_yaml(node, (), lines.table)
    return data, lines


_FAST_LOADER: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)


def _compose(text: str) -> tuple[Any, yaml.Node | None]:
    """(loader, node) of the one document in `text`; raise `ParseError` on bad syntax."""
    if _FAST_LOADER is not None:
        fast = _FAST_LOADER(text)
        try:
            return fast, fast.get_single_node()
        except (yaml.YAMLError, RecursionError, ValueError):
            fast.dispose()  # say it the way the pure-Python parser says it, below
    try:
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as exc:  # a character YAML does not allow
        raise ParseError(f"YAML syntax error: {exc}", _reader_line(text, exc)) from exc
    try:
        return loader, loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        loader.dispose()
        raise _marked(exc, text) from exc
    except yaml.YAMLError as exc:
        loader.dispose()
        raise ParseError(f"YAML syntax error: {exc}", _reader_line(text, exc)) from exc
    except RecursionError as exc:
        loader.dispose()
        raise ParseError("YAML syntax error: nested too deeply", None) from exc


def _marked(exc: yaml.MarkedYAMLError, text: str) -> ParseError:
    """The error PyYAML found, at its line, saying where the construct it was in began.

    A problem found past the last line (an unclosed quote or bracket reaches the end of
    the file) is reported where that construct starts, a line that exists.
    """
    problem = exc.problem or exc.context or "invalid YAML"
    mark, context = exc.problem_mark, exc.context_mark
    count = _line_count(text)
    if mark is None or (context is not None and mark.line >= count):
        mark = context
    # a mark at the end of a file that ends with a line break is on no line: the last
    line = min(mark.line + 1, max(count, 1)) if mark is not None else None
    if exc.problem and exc.context and context is not None:
        started = min(context.line + 1, max(count, 1))
        return ParseError(
            f"YAML syntax error: {problem}", line, context=exc.context, started=started
        )
    return ParseError(f"YAML syntax error: {problem}", line)


def _line_count(text: str) -> int:
    """YAML's lines in `text`: a last line without a line break counts."""
    breaks = sum(1 for _ in _BREAKS.finditer(text))
    return breaks + (not text.endswith(("\n", "\r", "\x85", "\u2028", "\u2029")))


MAX_YAML_VALUES = 100_000
"""How many values YAML aliases may add to a document beyond the values written in it."""


def alias_problem(node: yaml.Node) -> tuple[str, int] | None:
    """Why the aliases of a composed YAML document cannot be read, with a 1-based line.

    An alias inside the node it refers to (`tags: &t [*t]`) makes a value that
    holds itself; aliases of aliases can expand to billions of values. Both are
    reported instead of being followed. Only what the aliases add counts: a document
    of 40,000 modes written out in full has no limit but the file size limit.
    None when the document is fine.
    """
    counter = _AliasCounter()
    try:
        counter.size(node, node.start_mark.line + 1, set())
    except _AliasLoop as loop:
        return (
            "an alias refers to a value that holds it (a recursive `&anchor`); "
            "write the value out instead",
            loop.line,
        )
    except RecursionError:
        return ("nested too deeply", node.start_mark.line + 1)
    if counter.added > MAX_YAML_VALUES:
        return (
            f"the aliases expand to more than {MAX_YAML_VALUES:,} values beyond the ones "
            f"written ({counter.added:,}); write the values out",
            counter.over_line,
        )
    return None


class _AliasLoop(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _AliasCounter:
    """Counts the values a document expands to; each node is measured once."""

    def __init__(self) -> None:
        self.sizes: dict[int, int] = {}
        self.added = 0
        """Values added by aliases: the size of every use of a node after its first."""
        self.over_line = 1
        """Where the values added first went over `MAX_YAML_VALUES`."""

    def size(self, node: yaml.Node, line: int, holding: set[int]) -> int:
        """Values in `node` with aliases followed; `line` is where it is used."""
        key = id(node)
        if key in holding:
            raise _AliasLoop(line)
        known = self.sizes.get(key)
        if known is not None:  # a second use: an alias
            if self.added <= MAX_YAML_VALUES < self.added + known:
                self.over_line = line
            self.added += known
            return known
        holding.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                total += self.size(key_node, key_node.start_mark.line + 1, holding)
                total += self.size(value_node, key_node.start_mark.line + 1, holding)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                item_line = item.start_mark.line + 1
                if id(item) in holding:  # the alias itself has no mark: the list it sits in
                    item_line = node.start_mark.line + 1
                total += self.size(item, item_line, holding)
        holding.discard(key)
        self.sizes[key] = total
        return total


def _bad_scalar_line(node: yaml.Node) -> int | None:
    """The line of the first scalar YAML cannot turn into a value (a date like `2026-13-45`)."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            loader = yaml.SafeLoader("")
            try:
                loader.construct_object(current)
            except (ValueError, OverflowError, yaml.YAMLError):
                return current.start_mark.line + 1
            finally:
                loader.dispose()
        elif isinstance(current, yaml.MappingNode):
            stack.extend(part for pair in reversed(current.value) for part in reversed(pair))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(reversed(current.value))
    return None


def _reader_line(text: str, exc: yaml.YAMLError) -> int | None:
    position = getattr(exc, "position", None)
    return text.count("\n", 0, position) + 1 if isinstance(position, int) else None


def _walk_yaml(node: yaml.Node, path: PathKey, table: dict[PathKey, int]) -> None:
    table.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                child = (*path, key_node.value)
                table[child] = key_node.start_mark.line + 1
                _walk_yaml(value_node, child, table)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk_yaml(item, (*path, index), table)


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


class _LineScanner:
    """Walks text already known to be valid JSON, recording where each value starts."""

    def __init__(self, text: str, table: dict[PathKey, int]) -> None:
        self.text = text
        self.table = table
        self._newlines = [i for i, char in enumerate(text) if char == "\n"]

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
