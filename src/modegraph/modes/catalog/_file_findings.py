"""The findings the loader gives for a file it cannot read (one builder each)."""

from __future__ import annotations

import stat

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.formats._fields import finding
from modegraph.modes.model import SourceFormat

__all__ = [
    "MAX_FILE_BYTES",
    "binary",
    "empty",
    "not_regular",
    "reader_crash",
    "too_large",
    "unreadable",
]

MAX_FILE_BYTES = 10 * 1024 * 1024
"""The largest mode file modegraph reads (10 MiB); a larger one is a `file-too-large` error."""


def too_large(path: str | None, size: int) -> Finding:
    return finding(
        Code.FILE_TOO_LARGE,
        Severity.ERROR,
        f"the file is {_megabytes(size)}; mode files may be at most "
        f"{_megabytes(MAX_FILE_BYTES)}, so it was not read",
        path=path,
        line=1,
        hint="split it into several files (one mode per file works in every format)",
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def empty(path: str | None) -> Finding:
    return finding(
        Code.EMPTY_FILE,
        Severity.WARNING,
        "the file is empty",
        path=path,
        line=1,
        hint="write a mode into it (`modegraph modes new`) or delete it",
    )


def unreadable(path: str, exc: OSError) -> Finding:
    reason = exc.strerror or exc.__class__.__name__
    return finding(
        Code.UNREADABLE_FILE,
        Severity.ERROR,
        f"cannot read the file: {reason}",
        path=path,
        hint="check the path and its permissions",
    )


def not_regular(path: str, mode: int) -> Finding:
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    )
    kind = next((word for test, word in kinds if test(mode)), "not a regular file")
    return finding(
        Code.UNREADABLE_FILE,
        Severity.ERROR,
        f"not read: the path is {kind}, not a regular file",
        path=path,
        hint="name a regular mode file, or remove or rename this one so it does not look "
        "like a mode file",
    )


def binary(path: str | None, text: str) -> Finding:
    line = text.count("\n", 0, text.index("\x00")) + 1
    return finding(
        Code.UNREADABLE_FILE,
        Severity.ERROR,
        "binary content (a NUL byte), not a text mode file; no mode was read",
        path=path,
        line=line,
        hint="a mode file is UTF-8 text: rename this file so it does not look like a mode "
        "file, or replace it with the mode's text",
    )


def reader_crash(path: str | None, fmt: SourceFormat, exc: Exception) -> Finding:
    return finding(
        Code.INTERNAL_ERROR,
        Severity.ERROR,
        f"the {fmt.value} reader failed on this file ({exc.__class__.__name__}: {exc}); "
        "this is a modegraph bug, please report it with the file",
        path=path,
        line=1,
        hint="report it at the modegraph issue tracker with the file attached; "
        "meanwhile convert the file to another format",
    )
