"""The read and edit groups' tools, all inside the workspace sandbox.

read: `read_file`, `list_files`, `search_files`; edit: `write_file`, `edit_file`.
Paths are resolved by `Workspace.resolve` and then opened through directory
descriptors (`fileio`), so a folder swapped for a symlink after the check is never
followed. `search_files` matches with a time limit (`regex_limits`).

Longer than 400 lines: the five file tools share their argument models,
sandbox checks and journal events.
"""

from __future__ import annotations

import fnmatch
import stat
import time
from collections.abc import Iterable, Iterator

import regex
from langchain_core.tools import BaseTool, ToolException
from pydantic import BaseModel, ConfigDict, Field

from modegraph.errors import ToolRefused
from modegraph.tools import fileio
from modegraph.tools.context import ToolContext, make_tool
from modegraph.tools.fileio import EntryKind, WalkEntry
from modegraph.tools.permissions import is_secret
from modegraph.tools.regex_limits import REGEX_SECONDS, RegexTooSlow, compile_regex
from modegraph.tools.workspace import PathKind, ResolvedPath

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_LINE_CHARS",
    "MAX_LIST_ENTRIES",
    "MAX_READ_CHARS",
    "MAX_SEARCH_MATCHES",
    "SEARCH_SECONDS",
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
SEARCH_SECONDS = 20.0
"""The longest one `search_files` call may take; one line may take `REGEX_SECONDS`."""
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
    """Python regular expression searched in each line (with a time limit per line)."""
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
        ctx.check_writable(target, content=content)
        try:
            existed = fileio.write_atomic(ctx.workspace, target, content)
        except ToolRefused as exc:
            ctx.refused(exc)
        lines = content.count("\n") + (1 if content and not content.endswith("\n") else 0)
        verb = "overwrote" if existed else "created"
        ctx.note(f"{verb} `{target.relative}` ({lines} lines)")
        return f"{verb.capitalize()} {target.relative} ({lines} lines)."

    def edit_file(path: str, old_text: str, new_text: str) -> str:
        target = ctx.resolve(path)
        ctx.check_writable(target)
        if not old_text:
            raise ToolException("old_text is empty; give the exact text to replace")
        text = _read_text(ctx, target)
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
        edited = text.replace(old_text, new_text, 1)
        ctx.check_writable(target, content=edited)
        try:
            fileio.write_atomic(ctx.workspace, target, edited)
        except ToolRefused as exc:
            ctx.refused(exc)
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


def _read_text(ctx: ToolContext, target: ResolvedPath) -> str:
    try:
        data = fileio.read_bytes(ctx.workspace, target, limit=MAX_FILE_BYTES)
    except ToolRefused as exc:
        ctx.refused(exc)
    if b"\x00" in data[:8192]:
        raise ToolException(f"{target.relative} is a binary file; only text files can be read")
    return data.decode("utf-8", errors="replace")


def _search_one(
    ctx: ToolContext, target: ResolvedPath, pattern: regex.Pattern[str], room: int, deadline: float
) -> list[str]:
    try:
        data = fileio.read_bytes(ctx.workspace, target, limit=MAX_SEARCH_FILE_BYTES)
    except (ToolException, ToolRefused):
        return []
    if b"\x00" in data[:8192]:
        return []
    found: list[str] = []
    lines = data.decode("utf-8", errors="replace").splitlines()
    monotonic = time.monotonic
    number = 0
    try:
        for number, line in enumerate(lines, 1):
            left = deadline - monotonic()
            if left <= 0:
                raise ToolException(
                    f"search_files stopped after {SEARCH_SECONDS:g} s in {target.relative}; "
                    "narrow the path or the pattern"
                )
            if pattern.search(line, timeout=left if left < REGEX_SECONDS else REGEX_SECONDS):
                shown = line if len(line) <= 300 else line[:300] + " [...]"
                found.append(f"{target.relative}:{number}: {shown}")
                if len(found) >= room:
                    break
    except TimeoutError as exc:
        if monotonic() >= deadline:
            raise ToolException(
                f"search_files stopped after {SEARCH_SECONDS:g} s in {target.relative}; "
                "narrow the path or the pattern"
            ) from exc
        slow = RegexTooSlow(pattern.pattern, REGEX_SECONDS)
        raise ToolException(f"{slow} (at {target.relative}:{number})") from exc
    return found


def _read_file(ctx: ToolContext, path: str, start_line: int | None, end_line: int | None) -> str:
    target = ctx.resolve(path)
    ctx.check_readable(target)
    text = _read_text(ctx, target)
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
    entries = _entries(ctx, target, recursive=recursive, limit=MAX_LIST_ENTRIES + 1)
    shown = [
        entry.relative + ("/" if entry.kind is EntryKind.DIRECTORY else "")
        for entry in entries[:MAX_LIST_ENTRIES]
    ]
    if not shown:
        return f"{target.relative} is empty"
    if len(entries) > MAX_LIST_ENTRIES:
        shown.append(f"[more than {MAX_LIST_ENTRIES} entries; list a subdirectory]")
    return "\n".join(shown)


def _entries(
    ctx: ToolContext, target: ResolvedPath, *, recursive: bool, limit: int | None = None
) -> list[WalkEntry]:
    walked = fileio.walk(
        ctx.workspace, target, recursive=recursive, skip=SKIPPED_DIRECTORIES, limit=limit
    )
    try:
        return list(walked)
    except ToolRefused as exc:
        ctx.refused(exc)


def _search_files(
    ctx: ToolContext, pattern: str, path: str, glob: str | None, ignore_case: bool
) -> str:
    try:
        compiled = compile_regex(pattern, ignore_case=ignore_case)
    except regex.error as exc:
        raise ToolException(f"invalid regular expression {pattern!r}: {exc}") from exc
    target = ctx.resolve(path, kind=PathKind.DIRECTORY)
    info = fileio.stat_of(ctx.workspace, target)
    if info is None:
        raise ToolException(f"{target.relative} does not exist")
    if target.relative != "." and not stat.S_ISDIR(info.st_mode):
        files: Iterable[str] = [target.relative]
    else:
        files = (
            entry.relative
            for entry in _entries(ctx, target, recursive=True)
            if entry.kind in (EntryKind.FILE, EntryKind.SYMLINK)
        )
    deadline = time.monotonic() + SEARCH_SECONDS
    matches: list[str] = []
    skipped: list[str] = []
    for found in _searchable(ctx, files, glob, skipped):
        room = MAX_SEARCH_MATCHES + 1 - len(matches)
        matches.extend(_search_one(ctx, found, compiled, room, deadline))
        if len(matches) > MAX_SEARCH_MATCHES:
            break
    out = matches[:MAX_SEARCH_MATCHES] or [f"no match for {pattern!r} in {target.relative}"]
    if len(matches) > MAX_SEARCH_MATCHES:
        out.append(f"[more than {MAX_SEARCH_MATCHES} matches; narrow the pattern or path]")
    if skipped:
        out.append(f"[{len(skipped)} file(s) that usually hold secrets were not searched]")
    return "\n".join(out)


def _searchable(
    ctx: ToolContext, files: Iterable[str], glob: str | None, skipped: list[str]
) -> Iterator[ResolvedPath]:
    """Each file to search once: inside the workspace, not secret, its real name matching `glob`.

    A file reached twice (through an inside symlink) is searched once; a symlink
    leading out is passed over; secret files are appended to `skipped`.
    """
    seen: set[str] = set()
    for file in files:
        try:
            found = ctx.workspace.resolve(file)
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
