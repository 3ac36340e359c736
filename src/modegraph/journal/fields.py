r"""Bold ``**Label:** value`` fields and reference lists, as the task files write them.

A field's value is its first line (after the label) plus its continuation lines:
lines indented by spaces (the indent of up to two spaces is removed), blank lines
followed by an indented line, and plain lines that directly follow (Markdown's lazy
continuation) unless they start something else (a list item, a heading, another field).

Continuation lines are also made inert for Markdown (`escape_continuation`): a line whose
first character could start a block (a heading, a rule, a fence, a list item, a quote, an
HTML block, a table row, ...) gets a backslash before that character (``1.`` becomes
``1\.``), and `unescape_continuation` takes exactly that backslash away again, so
any text renders as the text it is and still reads back unchanged. Inside a log entry
list markers are kept (a nested list stays inside its entry) and the text after them
is escaped the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

__all__ = [
    "BLOCK_START_CHARS",
    "escape_continuation",
    "field_end",
    "is_blank",
    "is_bold_field",
    "parse_fields",
    "parse_references",
    "strip_indent",
    "unescape_continuation",
]

_BOLD_FIELD = re.compile(r"^\*\*(?P<label>[^*\n]+?):\*\*[ \t]?(?P<value>.*)$")
_STARTS_SOMETHING = re.compile(r"^(?:[-*+] |\d+[.)] |#|>|\||```|~~~|<!--|-{3,}\s*$|\*{3,}\s*$)")


BLOCK_START_CHARS = frozenset("\\#=-*_+`~<>|:[$")
"""First characters of a line that can start a Markdown block (CommonMark, GFM, GitHub
math); a backslash the escaping added is always followed by one of them."""

_NEEDS_ESCAPE = re.compile(
    r"[\\#=+<>|:-]"  # a backslash (ours or not), headings, setext, lists, HTML, quotes, tables
    r"|\*(?:[ \t]|$)|(?:\*[ \t]*){3,}$|(?:_[ \t]*){3,}$"  # list items and rules, not **bold**
    r"|`{3}|~{3}|\$\$"  # fences and math blocks, not `code` spans
    r"|\[.*\]:"  # link reference and footnote definitions, not [links](...)
)
"""Where a line's first character needs a backslash so that it starts no block."""

CONTINUATION_INDENT = "  "
"""What a continuation line of a multi-line value is indented by."""

_ORDERED = re.compile(r"(\d+)(\\*[.)])(?=[ \t]|$)")
_ORDERED_ESCAPED = re.compile(r"(\d+)\\(\\*[.)])(?=[ \t]|$)")
_RULE_LINE = re.compile(r"([-*_])[ \t]*(?:\1[ \t]*){2,}$")
_LIST_MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)]) +(?=\S)")


def _split_indent(line: str) -> tuple[str, str]:
    text = line.lstrip(" \t")
    return line[: len(line) - len(text)], text


def _markers(text: str, *, lists: bool) -> int:
    """Length of the list markers a line starts with, when lists are kept (else 0)."""
    if not lists:
        return 0
    end = 0
    while not _RULE_LINE.match(text, end) and (marker := _LIST_MARKER.match(text, end)):
        end = marker.end()
    return end


def escape_continuation(line: str, *, lists: bool = False) -> str:
    """A continuation line of a value, indented and made inert for Markdown.

    Args:
        line: One line of the value (after its first).
        lists: Keep list markers (``- ``, ``* ``, ``1. ``) as lists and escape what
            follows them: inside a log entry, where a list stays nested in the entry.
            At the top level a list would join the log's list, so it is escaped.

    Returns:
        ``""`` for a blank line; else the line indented by two spaces, with a backslash
        before its first character (after any kept list markers) when that character
        could start a block, whatever the line's indentation.
    """
    if not line:
        return ""
    indent, text = _split_indent(line)
    start = _markers(text, lists=lists)
    head, rest = text[:start], text[start:]
    if _NEEDS_ESCAPE.match(rest):
        rest = "\\" + rest
    elif match := _ORDERED.match(rest):
        rest = match[1] + "\\" + rest[len(match[1]) :]
    return CONTINUATION_INDENT + indent + head + rest


def unescape_continuation(line: str, *, lists: bool = False) -> str:
    """Read a continuation line back: the indent removed, then the added backslash.

    The reverse of `escape_continuation` (with the same ``lists``) for the lines it
    writes; a hand-written line loses a leading backslash only where Markdown would not
    show it either.
    """
    indent, text = _split_indent(line)
    start = _markers(text, lists=lists)
    head, rest = text[:start], text[start:]
    if rest[:1] == "\\" and rest[1:2] and rest[1] in BLOCK_START_CHARS:
        rest = rest[1:]
    elif match := _ORDERED_ESCAPED.match(rest):
        rest = match[1] + match[2] + rest[match.end() :]
    return strip_indent(indent + head + rest)


def is_blank(line: str) -> bool:
    """True for an empty or all-space line."""
    return not line.strip()


def is_bold_field(line: str, labels: Collection[str] | None = None) -> bool:
    """True when ``line`` starts a ``**Label:**`` field (one of ``labels`` if given)."""
    match = _BOLD_FIELD.match(line)
    return match is not None and (labels is None or match["label"] in labels)


def strip_indent(line: str) -> str:
    """Remove the continuation indent: up to two spaces, or one tab."""
    if line.startswith("\t"):
        return line[1:]
    return line[2:] if line.startswith("  ") else line.lstrip(" ")


def _is_lazy(line: str) -> bool:
    return not is_blank(line) and not is_bold_field(line) and not _STARTS_SOMETHING.match(line)


def field_end(lines: list[str], i: int, *, is_start: Callable[[int], bool]) -> int:
    """Index just after the field that starts at line ``i``.

    Args:
        lines: The body's lines.
        i: The line of the ``**Label:**``.
        is_start: Tells whether a line starts a block the parser knows.
    """
    j = i + 1
    while j < len(lines):
        line = lines[j]
        if line.startswith((" ", "\t")) and not is_blank(line):
            j += 1
            continue
        if is_blank(line):
            k = j
            while k < len(lines) and is_blank(lines[k]):
                k += 1
            if k < len(lines) and lines[k].startswith((" ", "\t")):
                j = k
                continue
            break
        if _is_lazy(line) and not is_start(j):
            j += 1
            continue
        break
    return j


def parse_fields(text: str) -> dict[str, str]:
    """Read the ``**Label:** value`` fields of a block (the first of each label wins).

    A value continues as `field_end` says (indented lines, blank lines before an
    indented line, lazy lines right after); other lines between fields (a ``---``
    rule, a heading, a hand-written paragraph) belong to no field. Continuation lines
    are read with `unescape_continuation` (top-level fields: no lists kept).
    """
    fields: dict[str, list[str]] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        match = _BOLD_FIELD.match(lines[i])
        if match is None:
            i += 1
            continue
        end = field_end(lines, i, is_start=lambda n: is_bold_field(lines[n]))
        rest = (unescape_continuation(line) for line in lines[i + 1 : end])
        value = [match["value"], *rest]
        fields.setdefault(match["label"].strip(), value)
        i = end
    return {label: "\n".join(value) for label, value in fields.items()}


def _split_top_level(text: str) -> list[str]:
    """Split at commas that are not inside a code span."""
    items: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "`":
            ticks = re.match(r"`+", text[i:])
            assert ticks is not None
            run = ticks.group(0)
            close = text.find(run, i + len(run))
            if close >= 0:
                current.append(text[i : close + len(run)])
                i = close + len(run)
                continue
            current.append(run)
            i += len(run)
            continue
        if text[i] == ",":
            items.append("".join(current))
            current = []
        else:
            current.append(text[i])
        i += 1
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def _unspan(item: str) -> str:
    match = re.fullmatch(r"(`+)(.*?)\1", item, flags=re.DOTALL)
    if match is None:
        return item
    inner = match.group(2)
    if len(match.group(1)) > 1 and inner.startswith(" ") and inner.endswith(" ") and inner.strip():
        inner = inner[1:-1]
    return inner


_NONE_WORDS = frozenset(("", "none", "n/a", "-", "—", "[]", "none (no files created or modified)"))


def parse_references(value: str) -> tuple[str, ...]:
    """Read a reference list: ``[`a.py`, `b.py` (created)]``, ``a.py, b.py`` or ``None``.

    ``none (no files created or modified)``, what the journal writes for no references,
    and words such as ``None``, ``n/a`` and ``-`` read as no references.

    An item that is exactly one code span gives its content; any other item is kept
    as written (``` `main.py` (modified) ```).
    """
    text = " ".join(value.split())
    if text.lower() in _NONE_WORDS:
        return ()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    return tuple(_unspan(item) for item in _split_top_level(text))
