"""What one writer knows of the task files it last read or wrote: their parse, kept.

A write reads the task file, changes its parse and writes it back; the next write of
the same task finds the file as this writer left it, nearly always. So the writer
keeps the bytes it read or wrote and their parse: a file whose bytes are still those
is not parsed again, one that another writer changed has only its changed tail
tokenized again (`parse_document`'s ``previous``), and the text a writer just wrote
is split without parsing its TOML front matter again (the writer knows the table).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from modegraph.errors import JournalError
from modegraph.journal.document import Document
from modegraph.journal.files import decode_text, read_bytes
from modegraph.journal.frontmatter import front_table_text
from modegraph.journal.parse import parse_document
from modegraph.journal.reader import record_from_document
from modegraph.journal.render import front_matter_of

__all__ = ["ParseCache", "Parsed"]

Stat = tuple[int, int, int, int]


@dataclass(frozen=True)
class Parsed:
    """A task file as one writer last read or wrote it."""

    data: bytes
    """Its bytes."""
    stat: Stat
    """Its inode, size, modification and change times (ns) when it was read."""
    doc: Document
    """Its parse (shared: copy it before changing it)."""
    ids: frozenset[str]
    """The ids of its entries."""


class ParseCache:
    """The parse of each task file one writer last read or wrote (use under the task's lock)."""

    def __init__(self) -> None:
        self._parsed: dict[str, Parsed] = {}
        self._base: dict[str, Document] = {}

    def parsed(self, task_id: str, path: Path) -> Parsed:
        """The task file as it is now, parsed.

        Raises:
            JournalError: The file is missing or cannot be read.
        """
        if not path.is_file():
            raise JournalError(
                f"no task file {path}; create the task first (Journal.create) "
                "or check the id with `modegraph journal list`"
            )
        stat = _stat(path)
        data = read_bytes(path)
        cached = self._parsed.get(task_id)
        if cached is not None and cached.data == data:
            return cached
        previous = cached.doc if cached is not None else None
        doc = parse_document(decode_text(data, path), path=path, previous=previous)
        return self._keep(task_id, data, stat, doc)

    def known_ids(self, task_id: str, path: Path) -> frozenset[str]:
        """The entry ids of the task file.

        Judged by the file's inode, size and times instead of its bytes: this only
        decides whether an append is a repeat, and a repeat that slips into the append
        log is dropped when the log is merged (its id is in the file by then).

        Raises:
            JournalError: The file is missing or cannot be read.
        """
        cached = self._parsed.get(task_id)
        if cached is not None:
            try:
                if _stat(path) == cached.stat:
                    return cached.ids
            except OSError:
                pass
        return self.parsed(task_id, path).ids

    def load(self, task_id: str, path: Path) -> Document:
        """The task file as a document to change; one without front matter gets one.

        Raises:
            JournalError: The file is missing or cannot be read.
        """
        base = self.parsed(task_id, path).doc
        self._base[task_id] = base
        doc = replace(base, blocks=list(base.blocks), front=dict(base.front), front_changes={})
        if not doc.front:
            doc.front = front_matter_of(record_from_document(doc, path=path))
        return doc

    def written(self, task_id: str, path: Path, text: str, doc: Document | None) -> None:
        """Keep the parse of ``text``, just written to ``path`` from ``doc`` (None: forget)."""
        self._parsed.pop(task_id, None)
        base = self._base.pop(task_id, None)
        if doc is None:
            return
        front = {key: value for key, value in doc.front.items() if value is not None}
        parsed = parse_document(text, path=path, previous=base, front=front)
        # a table rendered whole (a new one, or one known canonical) is canonical by
        # construction: no need to check it
        canonical = doc.front_canonical or doc.front_text is None
        self._keep(task_id, text.encode("utf-8"), _stat(path), parsed, canonical)

    def _keep(
        self, task_id: str, data: bytes, stat: Stat, doc: Document, canonical: bool = False
    ) -> Parsed:
        if canonical:
            doc.front_canonical = True
        elif doc.front_text is not None:
            doc.front_canonical = doc.front_text == front_table_text(doc.front)
        parsed = Parsed(data=data, stat=stat, doc=doc, ids=frozenset(doc.entry_ids()))
        self._parsed[task_id] = parsed
        return parsed


def _stat(path: Path) -> Stat:
    info = os.stat(path)
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
