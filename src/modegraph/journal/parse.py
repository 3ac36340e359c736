"""Split a task file into its front matter and body blocks (see `document`).

The tokenizer is lenient with files people edited: the seed's own layout (fields on
consecutive lines, no front matter) is recognised, and whatever it does not
recognise becomes an `OTHER` block that is kept verbatim. `reader` turns the blocks
into a `TaskRecord`.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from modegraph.errors import JournalError
from modegraph.journal.document import Block, BlockKind, Document
from modegraph.journal.fields import field_end, is_blank, is_bold_field
from modegraph.journal.render import RESULTS_HEADING, ROUTE_HEADING

__all__ = [
    "entry_meta",
    "heading_parts",
    "parse_document",
    "split_front_matter",
    "tokenize",
]

_FRONT_FENCE = "+++"
_MARKER_FIRST_CHARS = frozenset("#*-+_")
_INDENT = frozenset(" \t")
_ENTRY_STARTS = ("- **", "- <!-- entry: ")  # what modegraph writes, and wrote before
_HEADING = re.compile(r"^# Task Log:\s*(?P<rest>.*)$")
_ENTRY = re.compile(
    r"^[-*+] (?:(?P<ts>\*\*[^*\n]*\*\*)[ \t]+)?<!-- entry: (?P<meta>.*?) -->[ \t]?(?P<rest>.*)$"
)
_RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})\s*$")
_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})")


def _field_kind(line: str) -> BlockKind | None:
    if line.startswith("**Goal:**"):
        return BlockKind.GOAL
    if line.startswith("**Context:**"):
        return BlockKind.CONTEXT
    return None


def _marker(lines: list[str], i: int) -> BlockKind | None:
    """The kind of block that starts at line ``i``, or None for unknown text."""
    line = lines[i]
    if line[:1] not in _MARKER_FIRST_CHARS:
        return None
    if _HEADING.match(line):
        return BlockKind.HEADING
    if (kind := _field_kind(line)) is not None:
        return kind
    if _ENTRY.match(line):
        return BlockKind.ENTRY
    if line.startswith("**Status:**"):
        return BlockKind.CLOSING
    if _RULE.match(line):
        j = i + 1
        while j < len(lines) and is_blank(lines[j]):
            j += 1
        if j < len(lines) and lines[j].startswith("**Status:**"):
            return BlockKind.CLOSING
    if line.rstrip() == RESULTS_HEADING:
        return BlockKind.RESULTS
    if line.rstrip() == ROUTE_HEADING:
        return BlockKind.ROUTE
    return None


def _skip_fence(lines: list[str], i: int) -> int:
    """Index after the fenced code block that starts at ``i`` (or ``i + 1``).

    A fence that is not closed before the next entry or generated section (merged
    results, route) counts as a plain line, so a stray ```` ``` ```` in a hand edit
    cannot hide what the journal writes after it.
    """
    match = _FENCE.match(lines[i])
    if match is None:
        return i + 1
    fence = match["fence"]
    j = i + 1
    while j < len(lines):
        line = lines[j]
        if line.startswith(fence) and not line.strip(fence[0]).strip():
            return j + 1
        if _ENTRY.match(line) or line.rstrip() in (RESULTS_HEADING, ROUTE_HEADING):
            break
        j += 1
    return i + 1


def _entry_end(lines: list[str], i: int) -> int:
    """Index after the entry at ``i``: its indented lines (blank lines inside included)."""
    j = i + 1
    n = len(lines)
    while j < n:
        line = lines[j]
        if line[:1] in _INDENT and not line.isspace():
            j += 1
        elif not line or line.isspace():
            k = j + 1
            while k < n and (not lines[k] or lines[k].isspace()):
                k += 1
            if k < n and lines[k][:1] in _INDENT:
                j = k
            else:
                break
        else:
            break
    return j


def _closing_end(lines: list[str], i: int) -> int:
    j = i + 1 if _RULE.match(lines[i]) else i
    while True:
        k = j
        while k < len(lines) and is_blank(lines[k]):
            k += 1
        if k < len(lines) and is_bold_field(
            lines[k], ("Status", "Outcome", "Summary", "References")
        ):
            j = field_end(lines, k, is_start=lambda n: _marker(lines, n) is not None)
            continue
        return j


def _section_end(lines: list[str], i: int) -> int:
    j = i + 1
    while j < len(lines):
        if _FENCE.match(lines[j]):
            j = _skip_fence(lines, j)
            continue
        if lines[j].startswith(("# ", "## ")):
            break
        j += 1
    while j > i + 1 and is_blank(lines[j - 1]):
        j -= 1
    return j


def _block_end(kind: BlockKind, lines: list[str], i: int) -> int:
    if kind is BlockKind.HEADING:
        return i + 1
    if kind in (BlockKind.GOAL, BlockKind.CONTEXT):
        return field_end(lines, i, is_start=lambda n: _marker(lines, n) is not None)
    if kind is BlockKind.ENTRY:
        return _entry_end(lines, i)
    if kind is BlockKind.CLOSING:
        return _closing_end(lines, i)
    return _section_end(lines, i)


def _other_end(lines: list[str], i: int) -> int:
    j = i
    while j < len(lines):
        if j > i and _marker(lines, j) is not None:
            break
        j = _skip_fence(lines, j) if _FENCE.match(lines[j]) else j + 1
    while j > i + 1 and is_blank(lines[j - 1]):
        j -= 1
    return j


def tokenize(body: str, *, first_line: int = 1, offset: int = 0) -> list[Block]:
    """Split a task file's body into blocks.

    Args:
        body: The text after the front matter (or a tail of it).
        first_line: The file line number of ``body``'s first line.
        offset: Where ``body`` starts in the whole body (for the blocks' offsets).
    """
    lines = body.split("\n")
    blocks: list[Block] = []
    i = 0
    n = len(lines)
    pos = offset
    while i < n:
        line = lines[i]
        if not line or line.isspace():
            pos += len(line) + 1
            i += 1
            continue
        if line.startswith(_ENTRY_STARTS) and (match := _ENTRY.match(line)):  # the common case
            end = _entry_end(lines, i)
            text = line if end == i + 1 else "\n".join(lines[i:end])
            tokens = match["meta"].split(None, 1)
            entry_id = tokens[0] if tokens and "=" not in tokens[0] else None
            blocks.append(Block(BlockKind.ENTRY, text, first_line + i, entry_id, pos))
        else:
            kind = _marker(lines, i)
            end = _other_end(lines, i) if kind is None else _block_end(kind, lines, i)
            text = "\n".join(lines[i:end])
            entry_id = entry_meta(text)[0] if kind is BlockKind.ENTRY else None
            blocks.append(Block(kind or BlockKind.OTHER, text, first_line + i, entry_id, pos))
        pos += sum(len(lines[k]) + 1 for k in range(i, end))
        i = end
    return blocks


def _reusable(body: str, previous: Document) -> int | None:
    """How many of ``previous``'s blocks ``body`` starts with, when it can reuse them.

    Appends only ever add text after the last entry, so a body that still starts with
    the previous body up to the first line of its last entry keeps every block before
    that entry (a block's end depends only on the lines up to the next block's start).
    """
    last = next(
        (k for k in range(len(previous.blocks) - 1, -1, -1) if previous.blocks[k].entry_id),
        None,
    )
    if last is None or previous.blocks[last].offset < 0:
        return None
    block = previous.blocks[last]
    end = block.offset + len(block.text.split("\n", 1)[0])
    if len(body) < end or not body.startswith(previous.body[:end]):
        return None
    return last


def parse_document(
    text: str,
    *,
    path: Path,
    previous: Document | None = None,
    front: dict[str, Any] | None = None,
) -> Document:
    """Parse a task file's text into its front matter and body blocks.

    Args:
        text: The whole file.
        path: The file, for error messages.
        previous: An earlier parse of the same file; when the new body extends it
            (the usual case after appends) only the changed tail is tokenized.
        front: The table the front matter holds, when the caller knows it (it just
            wrote the file): the TOML is then not parsed again.
    """
    table, body, first_line, toml_text = split_front_matter(text, path=path, known=front)
    if previous is not None and previous.body_line == first_line:
        keep = _reusable(body, previous)
        if keep is not None:
            start = previous.blocks[keep]
            blocks = previous.blocks[:keep]
            blocks += tokenize(body[start.offset :], first_line=start.line, offset=start.offset)
            return Document(table, blocks, body, first_line, toml_text)
    blocks = tokenize(body, first_line=first_line)
    return Document(table, blocks, body, first_line, toml_text)


def split_front_matter(
    text: str, *, path: Path, known: dict[str, Any] | None = None
) -> tuple[dict[str, Any], str, int, str | None]:
    """Split the TOML ``+++`` front matter from the body.

    Args:
        text: The whole file.
        path: The file, for error messages.
        known: The table the front matter is known to hold (it is not parsed then).

    Returns:
        The front matter table (empty when there is none), the body, the line
        number the body starts on and the TOML text (None when there is none).

    Raises:
        JournalError: The front matter is not closed or is not valid TOML.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if not text.startswith(_FRONT_FENCE + "\n"):
        return {}, text, 1, None
    end = text.find("\n" + _FRONT_FENCE + "\n", len(_FRONT_FENCE))
    if end < 0 and text.endswith("\n" + _FRONT_FENCE):
        end = len(text) - len(_FRONT_FENCE) - 1
    if end < 0:
        raise JournalError(
            f"{path}:1: the front matter opened with '+++' is never closed; "
            "add a line '+++' after the last key"
        )
    toml_text = text[len(_FRONT_FENCE) + 1 : end + 1]
    try:
        front = dict(known) if known is not None else tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"at line (\d+)", str(exc))
        line = int(at.group(1)) + 1 if at else 1  # the TOML starts on the file's line 2
        raise JournalError(
            f"{path}:{line}: the front matter is not valid TOML ({exc}); "
            'fix that line, e.g. quote the value: key = "text"'
        ) from exc
    body_start = end + len(_FRONT_FENCE) + 2
    return front, text[body_start:], text.count("\n", 0, body_start) + 1, toml_text


def entry_meta(text: str) -> tuple[str | None, dict[str, str], str]:
    """The id, the ``key=value`` pairs and the rest of the first line of an entry block."""
    first = text.split("\n", 1)[0]
    match = _ENTRY.match(first)
    if match is None:
        return None, {}, ""
    tokens = match["meta"].split()
    entry_id = tokens[0] if tokens and "=" not in tokens[0] else None
    meta = dict(t.split("=", 1) for t in tokens if "=" in t)
    rest = f"{match['ts']} {match['rest']}" if match["ts"] else match["rest"]
    return entry_id, meta, rest


def heading_parts(text: str) -> tuple[str, str]:
    """The id and the title of a ``# Task Log: <ID> - <title>`` line."""
    match = _HEADING.match(text)
    rest = match["rest"].strip() if match else ""
    task_id, _, title = rest.partition(" - ")
    title = title.strip()
    if title.endswith("\\#"):  # the heading escapes a closing '#' (see render_heading)
        title = title[:-2] + "#"
    return task_id.strip(), title
