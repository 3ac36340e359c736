"""Turn a parsed task file (a `Document`) back into a `TaskRecord`: the round trip.

Front matter values win over what the body shows (the exact title, the status); a
file without front matter is read from its heading, its closing block and its name.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from modegraph.errors import JournalError
from modegraph.journal.document import Block, BlockKind, Document
from modegraph.journal.fields import parse_fields, parse_references, unescape_continuation
from modegraph.journal.ids import is_valid_task_id
from modegraph.journal.model import (
    ENTRY_ID_PATTERN,
    Closing,
    Entry,
    EntryKind,
    SubtaskResult,
    TaskRecord,
    TaskStatus,
    TaskType,
)
from modegraph.journal.parse import entry_meta, heading_parts, parse_document
from modegraph.journal.route import parse_route

__all__ = ["KNOWN_FRONT_MATTER_KEYS", "parse_entry", "parse_record", "record_from_document"]

KNOWN_FRONT_MATTER_KEYS = (
    "id",
    "title",
    "status",
    "type",
    "assigned_to",
    "coordinator",
    "created",
    "updated",
    "tags",
)
"""The front matter keys modegraph reads; any other key is kept as it is."""

_ENTRY_REST = re.compile(
    r"^(?:\*\*(?P<ts>[^*]+)\*\*\s*)?(?:·\s*)?(?:(?P<emoji>[^\w\s*`]+)\s*)?"
    r"(?:\*\*(?P<label>[^*]+?):\*\*[ \t]?)?(?P<text>.*)$"
)
_RESULT_HEAD = re.compile(
    r"^### (?:(?P<emoji>[^\w\s`]+)\s+)?(?P<id>[A-Za-z0-9][\w.-]*)\s*(?P<rest>.*)$"
)
_LABEL_KINDS = {kind.label.lower(): kind for kind in EntryKind} | {k.value: k for k in EntryKind}
_ENTRY_ID = re.compile(ENTRY_ID_PATTERN)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _datetime(value: str) -> datetime | None:
    value = value.strip().removesuffix(" UTC").replace(" ", "T")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_entry(block: Block, *, path: Path, default_at: datetime = _EPOCH) -> Entry:
    """Turn an entry block back into an `Entry`.

    The HTML comment (``<!-- entry: ID kind=... at=... -->``) is authoritative; a
    hand-written entry with only an id falls back to the visible label and timestamp,
    then to ``default_at``.

    Raises:
        JournalError: The entry has no usable id.
    """
    entry_id, meta, rest = entry_meta(block.text)
    if entry_id is None or not _ENTRY_ID.match(entry_id):
        raise JournalError(
            f"{path}:{block.line}: an entry comment needs an id made of letters, digits and "
            "._:/@+=#- (no spaces), e.g. '<!-- entry: note-1 -->'"
        )
    match = _ENTRY_REST.match(rest)
    assert match is not None  # every part of the pattern is optional
    label = (match["label"] or "").strip().lower()
    kind = _LABEL_KINDS.get(meta.get("kind", ""), _LABEL_KINDS.get(label, EntryKind.NOTE))
    at = _datetime(meta.get("at", "")) or _datetime(match["ts"] or "") or default_at
    first = match["text"] if match["label"] else rest
    continuation = [unescape_continuation(line, lists=True) for line in block.text.split("\n")[1:]]
    return Entry(id=entry_id, kind=kind, text="\n".join([first, *continuation]), at=at)


def _status(word: str, *, where: str) -> TaskStatus:
    """Parse a status from the first line of a value (a hand edit may add lines)."""
    try:
        return TaskStatus.parse(word.strip().split("\n", 1)[0])
    except ValueError as exc:
        raise JournalError(f"{where}: {exc}") from exc


def _parse_closing(block: Block, *, path: Path) -> Closing:
    fields = parse_fields(block.text)
    return Closing(
        status=_status(fields.get("Status", ""), where=f"{path}:{block.line} (closing block)"),
        outcome=fields.get("Outcome", ""),
        summary=fields.get("Summary", ""),
        references=parse_references(fields.get("References", "")),
    )


def _parse_results(block: Block, *, path: Path) -> tuple[SubtaskResult, ...]:
    results: list[SubtaskResult] = []
    for part in re.split(r"(?m)^(?=### )", block.text)[1:]:
        head, _, rest = part.partition("\n")
        match = _RESULT_HEAD.match(head)
        if match is None:
            continue
        roles = parse_references(match["rest"].lstrip("· ").strip())
        fields = parse_fields(rest.strip("\n"))
        where = f"{path}:{block.line} (merged result {match['id']})"
        try:
            result = SubtaskResult(
                id=match["id"],
                role=roles[0] if roles else "",
                goal=fields.get("Goal", ""),
                status=_status(fields.get("Status", "complete"), where=where),
                outcome=fields.get("Outcome", ""),
                summary=fields.get("Summary", ""),
                references=parse_references(fields.get("References", "")),
            )
        except ValueError as exc:
            raise JournalError(
                f"{where}: {exc}; fix it or delete the section (set_results rewrites it)"
            ) from exc
        results.append(result)
    return tuple(results)


class _Front:
    """Typed access to front matter values, with errors that say how to fix them."""

    def __init__(self, front: dict[str, Any], path: Path) -> None:
        self.front = front
        self.path = path

    def text(self, key: str) -> str | None:
        value = self.front.get(key)
        if value is None or isinstance(value, str):
            return value
        raise JournalError(
            f"{self.path}:1: front matter key '{key}' must be a string, got {value!r}; "
            f'write it as {key} = "..."'
        )

    def moment(self, key: str) -> datetime | None:
        value = self.front.get(key)
        if value is None:
            return None
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        if isinstance(value, str) and (moment := _datetime(value)) is not None:
            return moment
        raise JournalError(
            f"{self.path}:1: front matter key '{key}' must be a date and time, got {value!r}; "
            f"write it as {key} = 2026-11-27T09:15:00Z"
        )

    def tags(self) -> tuple[str, ...]:
        tags = self.front.get("tags", [])
        if isinstance(tags, list) and all(isinstance(t, str) for t in tags):
            return tuple(tags)
        raise JournalError(
            f"{self.path}:1: front matter key 'tags' must be a list of strings: tags = [\"api\"]"
        )

    def task_type(self) -> TaskType:
        word = self.text("type")
        if not word:
            return TaskType.SUBTASK if self.front.get("coordinator") else TaskType.TASK
        try:
            return TaskType(word.strip().lower())
        except ValueError:
            raise JournalError(
                f"{self.path}:1: front matter type {word!r} is unknown; use 'task' or 'subtask'"
            ) from None


def _blocks(doc: Document, kind: BlockKind) -> list[Block]:
    return [b for b in doc.blocks if b.kind is kind]


def _first_field(doc: Document, kind: BlockKind, label: str) -> str:
    found = _blocks(doc, kind)
    return parse_fields(found[0].text).get(label, "") if found else ""


def record_from_document(doc: Document, *, path: Path) -> TaskRecord:
    """Turn a parsed document into a `TaskRecord`.

    Raises:
        JournalError: A front matter value or a block cannot be read; the message
            gives the file, the line and what to change.
    """
    front = _Front(doc.front, path)
    headings = _blocks(doc, BlockKind.HEADING)
    heading_id, heading_title = heading_parts(headings[0].text) if headings else ("", "")
    closings = _blocks(doc, BlockKind.CLOSING)
    closing = _parse_closing(closings[0], path=path) if closings else None
    status_word = front.text("status")
    if status_word:
        status = _status(status_word, where=f"{path}:1 (front matter key 'status')")
    else:
        status = closing.status if closing else TaskStatus.OPEN
    updated = front.moment("updated")
    results = _blocks(doc, BlockKind.RESULTS)
    route = _blocks(doc, BlockKind.ROUTE)
    default_at = updated or _EPOCH
    try:
        return TaskRecord(
            id=front.text("id") or (heading_id if is_valid_task_id(heading_id) else path.stem),
            title=front.text("title") or heading_title,
            goal=_first_field(doc, BlockKind.GOAL, "Goal"),
            context=_first_field(doc, BlockKind.CONTEXT, "Context"),
            status=status,
            type=front.task_type(),
            assigned_to=front.text("assigned_to") or "",
            coordinator=front.text("coordinator"),
            created=front.moment("created"),
            updated=updated,
            tags=front.tags(),
            entries=tuple(
                parse_entry(b, path=path, default_at=default_at)
                for b in _blocks(doc, BlockKind.ENTRY)
            ),
            closing=closing,
            results=_parse_results(results[0], path=path) if results else (),
            route=parse_route(route[0].text) if route else (),
            extra_front_matter={
                k: v for k, v in doc.front.items() if k not in KNOWN_FRONT_MATTER_KEYS
            },
            unknown=tuple(b.text for b in _blocks(doc, BlockKind.OTHER)),
        )
    except ValueError as exc:
        raise JournalError(
            f"{path}: the task file cannot be read: {exc}; fix the value named above"
        ) from exc


def parse_record(text: str, *, path: Path) -> TaskRecord:
    """Parse a task file's text into a `TaskRecord` (the round trip of rendering)."""
    return record_from_document(parse_document(text, path=path), path=path)
