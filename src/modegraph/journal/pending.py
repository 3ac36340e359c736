"""The append log: entries that wait, next to a task file, to be folded into it.

When several writers append to one task at once, rewriting the whole Markdown file
for each entry (two fsyncs, under the task's lock) serialises them on the disk. So a
writer that finds the task busy appends its entry to ``<root>/.pending/<ID>.log``
instead: one ``O_APPEND`` write under the task's lock taken *shared* (appenders do
not wait for each other, only for a rewrite), then one ``fdatasync`` after it, which
the kernel shares among every writer whose record is in the file by then (group
commit). The next rewrite of the task file, which takes the lock exclusively, folds
the log in and removes it; readers (`Journal.read`, `journal show`, `journal list`)
merge the two, so an entry is visible as soon as its append returns.

A record is one line between two line breaks:

```
<LF>{"id": "...", "kind": "note", "text": "...", "at": "...", "w": "..."}<TAB><crc32 hex><LF>
```

the entry as compact JSON (JSON escapes every line break and tab in it), a tab and
the CRC-32 of the JSON. A line whose checksum does not hold is skipped: a writer
killed in the middle of its ``write`` (a write that crosses a page boundary can be
cut there) or a power loss before the ``fdatasync`` leaves at most such a torn
record, and the line break each record starts with keeps the next record whole on
its own line. Two records with one id (two writers racing with the same entry) are
one entry: the first counts.
"""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from modegraph.errors import JournalError
from modegraph.journal.model import Entry, EntryKind, utc

__all__ = ["LogState", "Pending", "append_record", "encode", "read_log"]

_NEW_FILE_MODE = 0o644
_ID_START = b'{"id":"'


@dataclass(frozen=True)
class Pending:
    """One entry of the append log and when it was appended."""

    entry: Entry
    """The entry."""
    written: datetime
    """When it was appended: the task's ``updated`` once it is the last write."""


@dataclass
class LogState:
    """What one reader knows about one append log: how far it read and what it found."""

    inode: int
    """The log file's inode number (a log removed and created again has a new one)."""
    offset: int
    """Bytes of whole lines read, from the start of the file."""
    mtime: float = 0.0
    """The file's modification time when it was read (seconds since the epoch)."""
    lines: list[bytes] = field(default_factory=list)
    """The records read, in file order, as checked lines (decoded by `records`)."""
    ids: set[str] = field(default_factory=set)
    """Their entry ids."""
    _decoded: list[Pending] = field(default_factory=list, repr=False)

    @property
    def records(self) -> list[Pending]:
        """The records read, in file order (decoded on first use)."""
        for line in self.lines[len(self._decoded) :]:
            found = _decode(line)
            if found is None:  # pragma: no cover - its checksum held when it was read
                raise JournalError(f"an append log record cannot be read: {line[:80]!r}")
            self._decoded.append(found)
        return self._decoded


def encode(entry: Entry, written: datetime) -> bytes:
    """One record: a line break, the entry as JSON, a tab, its CRC-32, a line break."""
    data = json.dumps(
        {
            "id": entry.id,
            "kind": entry.kind.value,
            "text": entry.text,
            "at": entry.at.isoformat(),
            "w": utc(written).isoformat(),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    return b"\n%s\t%08x\n" % (data, zlib.crc32(data))


def _checked(line: bytes) -> bytes | None:
    """The JSON of a record line whose checksum holds, else None."""
    data, tab, crc = line.rpartition(b"\t")
    if not tab or len(crc) != 8:
        return None
    try:
        return data if int(crc, 16) == zlib.crc32(data) else None
    except ValueError:
        return None


def _entry_id(data: bytes) -> str | None:
    """The entry id of a record's JSON, read without decoding the rest."""
    if data.startswith(_ID_START):
        end = data.find(b'"', len(_ID_START))
        if end > 0:  # an entry id holds no quote and no backslash (ENTRY_ID_PATTERN)
            return data[len(_ID_START) : end].decode("utf-8", "replace")
    found = _decode(data + b"\t%08x" % zlib.crc32(data))
    return found.entry.id if found is not None else None


def _decode(line: bytes) -> Pending | None:
    data = _checked(line)
    if data is None:
        return None
    try:
        raw = json.loads(data)
        entry = Entry.model_construct(
            id=raw["id"],
            kind=EntryKind(raw["kind"]),
            text=raw["text"],
            at=datetime.fromisoformat(raw["at"]),
        )
        return Pending(entry=entry, written=datetime.fromisoformat(raw["w"]))
    except (ValueError, KeyError, TypeError):
        return None


def _parse(state: LogState, data: bytes, base: int) -> None:
    """Add the records on the whole lines of ``data`` (read from ``base``) to ``state``."""
    pos = 0
    while True:
        end = data.find(b"\n", pos)
        if end < 0:
            break
        line = data[pos:end]
        pos = end + 1
        if not line:
            continue
        checked = _checked(line)
        entry_id = _entry_id(checked) if checked is not None else None
        if entry_id is None:
            continue  # a torn record, cut short by a killed writer or a power loss
        if entry_id not in state.ids:
            state.lines.append(line)
            state.ids.add(entry_id)
    state.offset = base + pos


def read_log(path: Path, known: LogState | None = None) -> LogState | None:
    """Read the append log at ``path``; None when there is none.

    Args:
        path: The log file.
        known: What an earlier read of the same log found; when the log is still that
            file and has not shrunk, only what was added since is read.

    Raises:
        JournalError: The log exists but cannot be read.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _error(path, exc) from exc
    try:
        info = os.fstat(fd)
        if known is not None and known.inode == info.st_ino and info.st_size >= known.offset:
            state = known
        else:
            state = LogState(inode=info.st_ino, offset=0)
        state.mtime = info.st_mtime
        if info.st_size > state.offset:
            _parse(state, os.pread(fd, info.st_size - state.offset, state.offset), state.offset)
        return state
    except OSError as exc:
        raise _error(path, exc) from exc
    finally:
        os.close(fd)


def append_record(path: Path, record: bytes) -> bool:
    """Append one record to the log, creating the log (and its directory) if needed.

    Call it while holding the task's lock (shared is enough: ``O_APPEND`` writes of
    concurrent appenders never mix).

    Returns:
        True when this call created the log: its directory then needs an fsync for the
        new name to be durable.

    Raises:
        JournalError: The log cannot be written.
    """
    created = False
    try:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(
                    path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL, _NEW_FILE_MODE
                )
                created = True
            except FileExistsError:  # another appender created it just now
                fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        try:
            written = os.write(fd, record)
        finally:
            os.close(fd)
        if written != len(record):  # pragma: no cover - a full disk
            raise OSError(28, "short write (is the disk full?)")
    except OSError as exc:
        raise _error(path, exc) from exc
    return created


def _error(path: Path, exc: OSError) -> JournalError:
    return JournalError(
        f"cannot use the append log {path}: {exc.strerror or exc}; check that the journal "
        "directory is writable and the disk is not full"
    )
