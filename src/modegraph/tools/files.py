"""The read and edit groups' tools, all inside the workspace sandbox.

read: `read_file`, `list_files`, `search_files`; edit: `write_file`, `edit_file`.

Longer than 400 lines: the five file tools share their argument models,
sandbox checks and journal events.
"""

from __future__ import annotations

import fnmatch
import os
import re
import secrets
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from langchain_core.tools import BaseTool, ToolException
from pydantic import BaseModel, ConfigDict, Field

from modegraph.errors import ToolRefused
from modegraph.tools.context import ToolContext, make_tool
from modegraph.tools.permissions import is_secret
from modegraph.tools.workspace import PathKind, ResolvedPath

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_LINE_CHARS",
    "MAX_LIST_ENTRIES",
    "MAX_READ_CHARS",
    "MAX_SEARCH_MATCHES",
    "SKIPPED_DIRECTORIES",
    "edit_tools",
    "read_tools",
]

MAX_READ_CHARS = 60_000
"""The most characters `read_file` returns at once; ask for a line range for more."""
MAX_LINE_CHARS = 2_000
"""Lines longer than this are cut in `read_file`'s output."""
MAX_FILE_BYTES = 20_000_000
"""Files larger than this are not read (nor edited)."""
MAX_LIST_ENTRIES = 500
"""The most entries `list_files` returns."""
MAX_SEARCH_MATCHES = 200
"""The most matching lines `search_files` returns."""
MAX_SEARCH_FILE_BYTES = 2_000_000
"""Files larger than this are not searched."""
SKIPPED_DIRECTORIES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
    }
)
"""Directories that recursive listing and search do not enter."""


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReadFileArgs(_Args):
    """Arguments of `read_file`."""

    path: str = Field(description="File path relative to the workspace root.")
    """File path relative to the workspace root."""
    start_line: int | None = Field(default=None, ge=1, description="First line (1-based).")
    """First line to return, 1-based; None for the start."""
    end_line: int | None = Field(default=None, ge=1, description="Last line, inclusive.")
    """Last line to return, inclusive; None for the end."""


class ListFilesArgs(_Args):
    """Arguments of `list_files`."""

    path: str = Field(default=".", description="Directory relative to the workspace root.")
    """Directory relative to the workspace root."""
    recursive: bool = Field(default=False, description="List subdirectories too.")
    """Whether to list subdirectories too."""


class SearchFilesArgs(_Args):
    """Arguments of `search_files`."""

    pattern: str = Field(description="Python regular expression searched in each line.")
    """Python regular expression searched in each line."""
    path: str = Field(default=".", description="Directory (or file) to search in.")
    """Directory or file to search in, relative to the workspace root."""
    glob: str | None = Field(default=None, description="Only files whose name matches, e.g. *.py")
    """Only files whose name matches this glob."""
    ignore_case: bool = Field(default=False, description="Match without regard to case.")
    """Whether to match without regard to case."""


class WriteFileArgs(_Args):
    """Arguments of `write_file`."""

    path: str = Field(description="File path relative to the workspace root.")
    """File path relative to the workspace root."""
    content: str = Field(description="The whole new content of the file.")
    """The whole new content of the file."""


class EditFileArgs(_Args):
    """Arguments of `edit_file`."""

    path: str = Field(description="File path relative to the workspace root.")
    """File path relative to the workspace root."""
    old_text: str = Field(description="Exact text to replace; it must occur exactly once.")
    """Exact text to replace; it must occur exactly once."""
    new_text: str = Field(description="The replacement text.")
    """The replacement text."""


def read_tools(ctx: ToolContext) -> list[BaseTool]:
    """The read group's tools for one role.

    Args:
        ctx: The role's sandbox and permissions.

    Returns:
        `read_file`, `list_files` and `search_files`.
    """

    def read_file(path: str, start_line: int | None = None, end_line: int | None = None) -> str:
        return _read_file(ctx, path, start_line, end_line)

    def list_files(path: str = ".", recursive: bool = False) -> str:
        return _list_files(ctx, path, recursive)

    def search_files(
        pattern: str, path: str = ".", glob: str | None = None, ignore_case: bool = False
    ) -> str:
        return _search_files(ctx, pattern, path, glob, ignore_case)

    return [
        make_tool(
            read_file,
            name="read_file",
            description=(
                "Read a text file in the workspace, with line numbers. Give start_line and "
                "end_line (1-based, inclusive) to read part of a long file."
            ),
            args_schema=ReadFileArgs,
        ),
        make_tool(
            list_files,
            name="list_files",
            description=(
                "List the files and directories in a workspace directory (directories end "
                "with '/'); recursive=true lists subdirectories too, skipping .git, .venv, "
                "node_modules and caches."
            ),
            args_schema=ListFilesArgs,
        ),
        make_tool(
            search_files,
            name="search_files",
            description=(
                "Search text files under a workspace directory for a Python regular "
                "expression; returns 'path:line: text' for each matching line."
            ),
            args_schema=SearchFilesArgs,
        ),
    ]


def edit_tools(ctx: ToolContext) -> list[BaseTool]:
    """The edit group's tools for one role, limited by its `fileRegex`.

    Args:
        ctx: The role's sandbox and permissions (its `write_rule` must be enabled).

    Returns:
        `write_file` and `edit_file`.
    """
    allowed = " or ".join(f"`{p}`" for p in ctx.write_rule.patterns)
    scope = f" Only files whose path matches {allowed} may be written." if allowed else ""

    def write_file(path: str, content: str) -> str:
        target = ctx.resolve(path)
        ctx.check_writable(target)
        if target.absolute.is_dir():
            raise ToolException(f"{target.relative} is a directory; name a file")
        existed = target.absolute.exists()
        _write_atomic(target, content)
        lines = content.count("\n") + (1 if content and not content.endswith("\n") else 0)
        verb = "overwrote" if existed else "created"
        ctx.note(f"{verb} `{target.relative}` ({lines} lines)")
        return f"{verb.capitalize()} {target.relative} ({lines} lines)."

    def edit_file(path: str, old_text: str, new_text: str) -> str:
        target = ctx.resolve(path)
        ctx.check_writable(target)
        if not old_text:
            raise ToolException("old_text is empty; give the exact text to replace")
        text = _read_text(target)
        count = text.count(old_text)
        if count == 0:
            raise ToolException(
                f"old_text does not occur in {target.relative}; read the file and copy the "
                "text exactly, including indentation"
            )
        if count > 1:
            raise ToolException(
                f"old_text occurs {count} times in {target.relative}; the edit was not made. "
                "Include more surrounding lines so it occurs exactly once"
            )
        _write_atomic(target, text.replace(old_text, new_text, 1))
        line = text[: text.index(old_text)].count("\n") + 1
        ctx.note(f"edited `{target.relative}` at line {line}")
        return f"Edited {target.relative} at line {line}."

    return [
        make_tool(
            write_file,
            name="write_file",
            description=(
                "Create or overwrite a file in the workspace with the given content "
                "(parent directories are created)." + scope
            ),
            args_schema=WriteFileArgs,
        ),
        make_tool(
            edit_file,
            name="edit_file",
            description=(
                "Replace one exact occurrence of old_text with new_text in a workspace "
                "file; refused when old_text occurs more than once or not at all." + scope
            ),
            args_schema=EditFileArgs,
        ),
    ]


def _read_text(target: ResolvedPath) -> str:
    path = target.absolute
    if not path.exists():
        raise ToolException(f"{target.relative} does not exist")
    if not path.is_file():
        raise ToolException(f"{target.relative} is not a file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ToolException(
            f"{target.relative} has {size} bytes, more than {MAX_FILE_BYTES} can be read; "
            "use search_files to find what you need in it"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ToolException(f"cannot read {target.relative}: {exc.strerror or exc}") from exc
    if b"\x00" in data[:8192]:
        raise ToolException(f"{target.relative} is a binary file; only text files can be read")
    return data.decode("utf-8", errors="replace")


def _write_atomic(target: ResolvedPath, content: str) -> None:
    """Write through a temporary file and a rename, so a reader never sees half a file.

    An existing file keeps its permission bits; a new one gets the usual ones (0o666
    less the umask), as `open` would give it.

    Raises:
        ToolException: The file system refused (a parent is a file, no permission, ...).
    """
    path = target.absolute
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
        temp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise ToolException(f"cannot write {target.relative}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ToolException(f"cannot write {target.relative}: {exc.strerror or exc}") from exc
        raise


def _walk(root: Path, *, recursive: bool = True, limit: int | None = None) -> Iterator[Path]:
    """Files and directories under `root`, sorted, without entering skipped directories."""
    count = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRECTORIES)
        here = Path(dirpath)
        for name in sorted(dirnames + filenames):
            yield here / name
            count += 1
            if limit is not None and count >= limit:
                return
        if not recursive:
            return


def _search_one(target: ResolvedPath, regex: re.Pattern[str], room: int) -> list[str]:
    path = target.absolute
    try:
        if path.stat().st_size > MAX_SEARCH_FILE_BYTES:
            return []
        data = path.read_bytes()
    except OSError:
        return []
    if b"\x00" in data[:8192]:
        return []
    found: list[str] = []
    for number, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
        if regex.search(line):
            shown = line if len(line) <= 300 else line[:300] + " [...]"
            found.append(f"{target.relative}:{number}: {shown}")
            if len(found) >= room:
                break
    return found


def _read_file(ctx: ToolContext, path: str, start_line: int | None, end_line: int | None) -> str:
    target = ctx.resolve(path)
    ctx.check_readable(target)
    text = _read_text(target)
    lines = text.splitlines()
    if not lines:
        return f"{target.relative} is empty"
    first = start_line or 1
    last = min(end_line or len(lines), len(lines))
    if first > len(lines):
        raise ToolException(f"{target.relative} has {len(lines)} lines; start_line {first}")
    if last < first:
        raise ToolException(f"end_line {end_line} is before start_line {first}")
    width = len(str(last))
    out: list[str] = [f"{target.relative} (lines {first}-{last} of {len(lines)})"]
    size = len(out[0])
    for number in range(first, last + 1):
        text = lines[number - 1]
        if len(text) > MAX_LINE_CHARS:
            text = text[:MAX_LINE_CHARS] + f" [... {len(text) - MAX_LINE_CHARS} characters cut]"
        line = f"{number:>{width}} | {text}"
        if size + len(line) > MAX_READ_CHARS and number > first:
            out.append(f"[output cut at line {number - 1}; read on with start_line={number}]")
            break
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)


def _list_files(ctx: ToolContext, path: str, recursive: bool) -> str:
    target = ctx.resolve(path, kind=PathKind.DIRECTORY)
    if not target.absolute.is_dir():
        raise ToolException(f"{target.relative} is not a directory")
    entries = list(_walk(target.absolute, recursive=recursive, limit=MAX_LIST_ENTRIES + 1))
    base = ctx.workspace.root
    shown = [
        p.relative_to(base).as_posix() + ("/" if p.is_dir() and not p.is_symlink() else "")
        for p in entries[:MAX_LIST_ENTRIES]
    ]
    if not shown:
        return f"{target.relative} is empty"
    if len(entries) > MAX_LIST_ENTRIES:
        shown.append(f"[more than {MAX_LIST_ENTRIES} entries; list a subdirectory]")
    return "\n".join(shown)


def _search_files(
    ctx: ToolContext, pattern: str, path: str, glob: str | None, ignore_case: bool
) -> str:
    try:
        regex = re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except re.error as exc:
        raise ToolException(f"invalid regular expression {pattern!r}: {exc}") from exc
    target = ctx.resolve(path, kind=PathKind.DIRECTORY)
    files = [target.absolute] if target.absolute.is_file() else _walk(target.absolute)
    matches: list[str] = []
    skipped: list[str] = []
    for found in _searchable(ctx, files, glob, skipped):
        matches.extend(_search_one(found, regex, MAX_SEARCH_MATCHES + 1 - len(matches)))
        if len(matches) > MAX_SEARCH_MATCHES:
            break
    out = matches[:MAX_SEARCH_MATCHES] or [f"no match for {pattern!r} in {target.relative}"]
    if len(matches) > MAX_SEARCH_MATCHES:
        out.append(f"[more than {MAX_SEARCH_MATCHES} matches; narrow the pattern or path]")
    if skipped:
        out.append(f"[{len(skipped)} file(s) that usually hold secrets were not searched]")
    return "\n".join(out)


def _searchable(
    ctx: ToolContext, files: Iterable[Path], glob: str | None, skipped: list[str]
) -> Iterator[ResolvedPath]:
    """Each file to search once: inside the workspace, not secret, its real name matching `glob`.

    A file reached twice (through an inside symlink) is searched once; a symlink
    leading out is passed over; secret files are appended to `skipped`.
    """
    seen: set[str] = set()
    for file in files:
        if file.is_dir():
            continue
        try:
            found = ctx.workspace.resolve(str(file))
        except ToolRefused:
            continue
        if glob and not fnmatch.fnmatchcase(found.absolute.name, glob):
            continue
        if found.relative in seen:
            continue
        seen.add(found.relative)
        if is_secret(found.relative, allowed=ctx.config.files.allow_secrets):
            skipped.append(found.relative)
            continue
        yield found
