"""Reading, writing and walking workspace files through directory descriptors.

`Workspace.resolve` decides which file a path names; this module then reaches that
file without looking at the path string again. It opens the workspace root once,
then each directory of the resolved relative path with `O_NOFOLLOW` relative to the
one before (`openat`-style), and the file itself relative to its directory. A folder
swapped for a symlink between the check and the open (by another process) makes the
open fail instead of following the symlink out of the workspace, so a check and the
file it guards stay the same file.

Writes go to a new temporary file in the same directory descriptor and are renamed
over the name (`renameat`), so a write never follows a symlink and never changes an
inode that another name (a hard link) shares. Where the platform has no `dir_fd`
support (Windows), paths are opened as strings and these guarantees do not hold.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath

from langchain_core.tools import ToolException

from modegraph.errors import ToolRefused
from modegraph.tools.workspace import ResolvedPath, Workspace

__all__ = [
    "DESCRIPTORS",
    "EntryKind",
    "WalkEntry",
    "directory",
    "read_bytes",
    "stat_of",
    "walk",
    "write_atomic",
]

DESCRIPTORS = (
    os.open in os.supports_dir_fd and os.stat in os.supports_dir_fd and hasattr(os, "O_NOFOLLOW")
)
"""Whether files are opened through directory descriptors (POSIX) on this platform."""

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_DIR_FLAGS = os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC
_SWAPPED = frozenset({errno.ELOOP, errno.ENOTDIR, errno.EMLINK})


class EntryKind(StrEnum):
    """What a directory entry is, without following it."""

    DIRECTORY = "directory"
    FILE = "file"
    SYMLINK = "symlink"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class WalkEntry:
    """One entry met by `walk`."""

    relative: str
    """POSIX path relative to the workspace root."""
    kind: EntryKind
    """What it is (a symlink is reported as a symlink, never followed)."""


def _changed(target: str) -> ToolRefused:
    return ToolRefused(
        f"{target!r} changed while it was being used (a folder or file became a symlink); "
        "nothing was read or written; try again once the workspace is left alone"
    )


@contextmanager
def directory(workspace: Workspace, relative: str, *, create: bool = False) -> Iterator[int]:
    """A descriptor of the workspace directory `relative`, reached without following symlinks.

    Args:
        workspace: The sandbox.
        relative: A resolved directory path relative to the root (`.` for the root).
        create: Make missing directories on the way.

    Yields:
        An open directory descriptor, closed on exit.

    Raises:
        ToolRefused: A directory on the way is (now) a symlink.
        FileNotFoundError: A directory is missing and `create` is false.
        NotADirectoryError: A component is a file.
    """
    parts = [part for part in PurePosixPath(relative).parts if part not in (".", "")]
    if not DESCRIPTORS:  # pragma: no cover - no dir_fd support (Windows)
        path = workspace.root.joinpath(*parts)
        if create:
            path.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDONLY)
        try:
            yield fd
        finally:
            os.close(fd)
        return
    fd = os.open(workspace.root, _DIR_FLAGS & ~_NOFOLLOW)
    try:
        for part in parts:
            nxt = _open_directory(fd, part, create=create, shown=relative)
            os.close(fd)
            fd = nxt
        yield fd
    finally:
        os.close(fd)


def _open_directory(fd: int, part: str, *, create: bool, shown: str) -> int:
    """Open `part` under `fd` as a directory, refusing a symlink."""
    try:
        try:
            return os.open(part, _DIR_FLAGS, dir_fd=fd)
        except FileNotFoundError:
            if not create:
                raise
            try:
                os.mkdir(part, dir_fd=fd)
            except FileExistsError:
                pass
            return os.open(part, _DIR_FLAGS, dir_fd=fd)
    except OSError as exc:
        if exc.errno in _SWAPPED and _is_symlink(fd, part):
            raise _changed(shown) from exc
        raise


def _is_symlink(fd: int, name: str) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _split(target: ResolvedPath) -> tuple[str, str]:
    path = PurePosixPath(target.relative)
    return (path.parent.as_posix(), path.name)


def stat_of(workspace: Workspace, target: ResolvedPath) -> os.stat_result | None:
    """The entry `target` names, not followed, or None when it does not exist.

    Raises:
        ToolRefused: A directory on the way is (now) a symlink.
    """
    if target.relative == ".":
        return os.stat(workspace.root)
    parent, name = _split(target)
    try:
        with directory(workspace, parent) as fd:
            return os.stat(name, dir_fd=fd, follow_symlinks=False)
    except (FileNotFoundError, NotADirectoryError):
        return None


def read_bytes(workspace: Workspace, target: ResolvedPath, *, limit: int) -> bytes:
    """The content of a regular file, opened without following a symlink.

    Args:
        workspace: The sandbox.
        target: The resolved file.
        limit: Refuse files larger than this many bytes.

    Returns:
        The bytes.

    Raises:
        ToolRefused: The file or a directory on the way is (now) a symlink.
        ToolException: Missing, not a regular file, too large, or unreadable.
    """
    parent, name = _split(target)
    try:
        with directory(workspace, parent) as dir_fd:
            try:
                fd = os.open(name, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC, dir_fd=dir_fd)
            except OSError as exc:
                if exc.errno in _SWAPPED and _is_symlink(dir_fd, name):
                    raise _changed(target.relative) from exc
                raise
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise ToolException(f"{target.relative} does not exist") from exc
    except OSError as exc:
        raise ToolException(f"cannot read {target.relative}: {exc.strerror or exc}") from exc
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise ToolException(f"{target.relative} is not a file")
    if info.st_size > limit:
        os.close(fd)
        raise ToolException(
            f"{target.relative} has {info.st_size} bytes, more than {limit} can be read; "
            "use search_files to find what you need in it"
        )
    with os.fdopen(fd, "rb") as handle:
        try:
            return handle.read(limit + 1)[:limit]
        except OSError as exc:
            raise ToolException(f"cannot read {target.relative}: {exc.strerror or exc}") from exc


def write_atomic(workspace: Workspace, target: ResolvedPath, content: str) -> bool:
    """Write `content` through a temporary file and a rename inside the file's directory.

    An existing file keeps its permission bits; a new one gets 0o666 less the umask.
    A reader never sees half a file, and the rename replaces the directory entry, so
    neither a symlink that appeared nor a hard link shared with another file is
    written through.

    Returns:
        Whether the file existed before.

    Raises:
        ToolRefused: A directory on the way is (now) a symlink.
        ToolException: The file system refused (a parent is a file, a directory has
            the name, no permission, ...).
    """
    parent, name = _split(target)
    try:
        with directory(workspace, parent, create=True) as dir_fd:
            return _write_in(dir_fd, name, content, target.relative)
    except (ToolRefused, ToolException):
        raise
    except OSError as exc:
        raise ToolException(f"cannot write {target.relative}: {exc.strerror or exc}") from exc


def _write_in(dir_fd: int, name: str, content: str, shown: str) -> bool:
    try:
        info: os.stat_result | None = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise ToolException(f"{shown} is a directory; name a file")
    mode = stat.S_IMODE(info.st_mode) if info is not None and stat.S_ISREG(info.st_mode) else None
    temp = f".{name[:200]}.{secrets.token_hex(6)}.tmp"
    fd = os.open(
        temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o666, dir_fd=dir_fd
    )
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
        os.replace(temp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        try:
            os.unlink(temp, dir_fd=dir_fd)
        except OSError:
            pass
        raise
    return info is not None


def walk(
    workspace: Workspace,
    target: ResolvedPath,
    *,
    recursive: bool,
    skip: frozenset[str] = frozenset(),
    limit: int | None = None,
) -> Iterator[WalkEntry]:
    """Entries under a workspace directory, sorted per directory, top-down.

    Directories are entered through descriptors (`os.fwalk`), never through a
    symlink, so a folder swapped for a symlink is not listed through.

    Args:
        workspace: The sandbox.
        target: The resolved directory.
        recursive: Enter subdirectories.
        skip: Directory names neither listed nor entered.
        limit: Stop after this many entries.

    Yields:
        Each entry, its path relative to the workspace root.

    Raises:
        ToolRefused: A directory on the way is (now) a symlink.
        ToolException: `target` is not a directory.
    """
    base = PurePosixPath(target.relative)
    count = 0
    try:
        with directory(workspace, target.relative) as top:
            for dirpath, dirnames, filenames, dir_fd in os.fwalk(
                ".", dir_fd=top, follow_symlinks=False
            ):
                kinds = {name: _kind(dir_fd, name) for name in (*dirnames, *filenames)}
                dirnames[:] = sorted(
                    d for d in dirnames if d not in skip and kinds[d] is EntryKind.DIRECTORY
                )
                here = base / dirpath if dirpath != "." else base
                for name in sorted(kinds):
                    if name in skip and kinds[name] is EntryKind.DIRECTORY:
                        continue
                    yield WalkEntry((here / name).as_posix(), kinds[name])
                    count += 1
                    if limit is not None and count >= limit:
                        return
                if not recursive:
                    return
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise ToolException(f"{target.relative} is not a directory") from exc


def _kind(dir_fd: int, name: str) -> EntryKind:
    try:
        mode = os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode
    except OSError:
        return EntryKind.OTHER
    if stat.S_ISLNK(mode):
        return EntryKind.SYMLINK
    if stat.S_ISDIR(mode):
        return EntryKind.DIRECTORY
    return EntryKind.FILE if stat.S_ISREG(mode) else EntryKind.OTHER
