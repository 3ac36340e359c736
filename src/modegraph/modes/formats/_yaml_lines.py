"""YAML parsing with the line of every value (`_positions.parse_yaml`'s body).

Kept apart from `_positions` so that reading files that hold no YAML (the bundled
library's Markdown modes, JSON `.roomodes`, TOML front matter) never imports PyYAML:
`_positions.parse_yaml` imports this module on its first call.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from modegraph.modes.formats import _positions
from modegraph.modes.formats._positions import Lines, ParseError, PathKey

__all__ = ["alias_problem", "parse_yaml"]


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
    limit = _positions.MAX_YAML_VALUES
    if counter.added > limit:
        return (
            f"the aliases expand to more than {limit:,} values beyond the ones "
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
        """Where the values added first went over `_positions.MAX_YAML_VALUES`."""

    def size(self, node: yaml.Node, line: int, holding: set[int]) -> int:
        """Values in `node` with aliases followed; `line` is where it is used."""
        key = id(node)
        if key in holding:
            raise _AliasLoop(line)
        known = self.sizes.get(key)
        if known is not None:  # a second use: an alias
            if self.added <= _positions.MAX_YAML_VALUES < self.added + known:
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
