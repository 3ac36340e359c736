"""The edits a journal write makes to a parsed task file (a `Document`).

Each returns whether it changed anything, so a write that changes nothing is not
written. The same edits serve a write and a read: `add_pending` folds the entries of
the append log into the file when it is rewritten, and into a reader's view of it
before then, so the two always agree.
"""

from __future__ import annotations

from collections.abc import Iterable

from modegraph.journal.document import Block, BlockKind, Document
from modegraph.journal.model import Closing, Entry, EntryKind, TaskStatus
from modegraph.journal.pending import Pending
from modegraph.journal.render import render_closing, render_entry

__all__ = ["STATUS_AFTER", "add_entry", "add_pending", "front_status", "set_closing"]

STATUS_AFTER: dict[EntryKind, TaskStatus] = {
    EntryKind.STARTED: TaskStatus.IN_PROGRESS,
    EntryKind.APPROVAL_ASKED: TaskStatus.WAITING_APPROVAL,
    EntryKind.APPROVAL_GIVEN: TaskStatus.IN_PROGRESS,
}
"""The status an open task moves to when an entry of this kind is added."""


def front_status(doc: Document) -> TaskStatus | None:
    """The front matter's status, or None when it has none or an unknown word."""
    word = doc.front.get("status")
    if not isinstance(word, str):
        return None
    try:
        return TaskStatus.parse(word)
    except ValueError:
        return None


def add_entry(doc: Document, entry: Entry, *, ids: set[str] | None = None) -> bool:
    """Add ``entry`` after the last entry unless the file holds its id; move the status on.

    A ``started`` entry moves an open task to in progress; ``approval_asked`` moves it
    to waiting for approval, ``approval_given`` back to in progress. A closed task
    keeps its status.

    Args:
        doc: The task file.
        entry: The entry.
        ids: The entry ids ``doc`` holds, when the caller keeps them (updated here).
    """
    known = doc.entry_ids() if ids is None else ids
    if entry.id in known:
        return False
    doc.insert_entry(Block(BlockKind.ENTRY, render_entry(entry), entry_id=entry.id))
    known.add(entry.id)
    status = STATUS_AFTER.get(entry.kind)
    current = front_status(doc)
    if status is not None and current is not None and not current.is_final:
        doc.set_front("status", status.front_matter_word)
    return True


def add_pending(doc: Document, records: Iterable[Pending]) -> bool:
    """Fold the append log's records into ``doc``, in order; ``updated`` is the last one's."""
    ids = doc.entry_ids()
    last = None
    for record in records:
        if add_entry(doc, record.entry, ids=ids):
            last = record.written
    if last is None:
        return False
    doc.set_front("updated", last)
    return True


def set_closing(doc: Document, closing: Closing, entry: Entry | None) -> bool:
    """Write (or replace) the closing block and its status, with a last entry."""
    changed = False
    if entry is not None and entry.id not in doc.entry_ids():
        doc.insert_entry(Block(BlockKind.ENTRY, render_entry(entry), entry_id=entry.id))
        changed = True
    if doc.replace_or_insert(Block(BlockKind.CLOSING, render_closing(closing))):
        changed = True
    if doc.front.get("status") != closing.status.front_matter_word:
        doc.set_front("status", closing.status.front_matter_word)
        changed = True
    return changed
