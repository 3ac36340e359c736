"""Load mode files of every format: one text, one file, or files and directories.

The format is chosen by the file's name and, where the name does not decide it,
by the content (`detect_format`). A file named explicitly is read whatever its
name (the seed is a `.txt`); a directory is searched with `discover`, which never
takes a README, a knowledge-base page or a custom-instructions page for a mode.
Every mode read, whatever its format, goes through `checks.check_modes`.
"""

from __future__ import annotations

import importlib
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.catalog.discovery import (
    DISCOVERY_PATTERNS,
    discover,
    format_by_name,
    skipped_files,
)
from modegraph.modes.checks import CHECK_CODES, check_modes
from modegraph.modes.formats._fields import finding
from modegraph.modes.formats.claude.reader import looks_like_claude_agent, read_claude_agent
from modegraph.modes.formats.reading import ReadResult
from modegraph.modes.formats.roo_markdown.reader import looks_like_roo_markdown, read_roo_markdown
from modegraph.modes.formats.roo_toml.reader import looks_like_roo_toml, read_roo_toml
from modegraph.modes.model import SourceFormat
from modegraph.modes.text import decode

__all__ = ["detect_format", "load_file", "load_paths", "load_text"]

Reader = Callable[..., ReadResult]
Sniffer = Callable[[str], bool]


def _on_first_use(module: str, name: str) -> Callable[..., Any]:
    """`module.name`, imported when it is first called.

    The native YAML reader brings the JSON Schema models and the YAML parser, which
    `modegraph modes list` over Markdown files never needs.
    """

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


_NATIVE = "modegraph.modes.formats.native_yaml.reader"
_ROOCODE = "modegraph.modes.formats.roocode.reader"
looks_like_native_mode: Sniffer = _on_first_use(_NATIVE, "looks_like_native_mode")
read_native_toml: Reader = _on_first_use(_NATIVE, "read_native_toml")
read_native_yaml: Reader = _on_first_use(_NATIVE, "read_native_yaml")
looks_like_roomodes: Sniffer = _on_first_use(_ROOCODE, "looks_like_roomodes")
read_roomodes: Reader = _on_first_use(_ROOCODE, "read_roomodes")


_READERS: dict[SourceFormat, Reader] = {
    SourceFormat.ROO_MARKDOWN: read_roo_markdown,
    SourceFormat.ROO_TOML: read_roo_toml,
    SourceFormat.ROOMODES: read_roomodes,
    SourceFormat.CLAUDE: read_claude_agent,
    SourceFormat.YAML: read_native_yaml,
    SourceFormat.TOML: read_native_toml,
}

_BY_CONTENT: tuple[tuple[Sniffer, SourceFormat], ...] = (
    (looks_like_roo_toml, SourceFormat.ROO_TOML),
    (looks_like_roomodes, SourceFormat.ROOMODES),
    (looks_like_native_mode, SourceFormat.YAML),
    (looks_like_roo_markdown, SourceFormat.ROO_MARKDOWN),
    (looks_like_claude_agent, SourceFormat.CLAUDE),
)


def detect_format(text: str, *, path: str | None = None) -> SourceFormat | None:
    """The format of a mode file, by name where the name decides it, else by content."""
    by_name = format_by_name(path) if path else None
    if by_name is SourceFormat.YAML and looks_like_roomodes(text):
        return SourceFormat.ROOMODES
    if by_name is SourceFormat.ROOMODES and path and path.endswith(".json"):
        if looks_like_native_mode(text) and not looks_like_roomodes(text):
            return SourceFormat.YAML
    if by_name is SourceFormat.ROO_MARKDOWN:
        if looks_like_roo_toml(text):
            return SourceFormat.ROO_TOML
        if looks_like_claude_agent(text) and not looks_like_roo_markdown(text):
            return SourceFormat.CLAUDE
    if by_name is SourceFormat.TOML and looks_like_roo_toml(text):
        return SourceFormat.ROO_TOML
    if by_name is not None:
        return by_name
    for sniff, fmt in _BY_CONTENT:
        if sniff(text):
            return fmt
    return None


def load_text(
    text: str, *, path: str | None = None, format: SourceFormat | None = None
) -> ReadResult:
    """Read the modes in `text` and run the per-mode checks on them. Never raises."""
    if not text.strip():
        return ReadResult(findings=[_empty(path)])
    if "\x00" in text:
        return ReadResult(findings=[_binary(path, text)])
    fmt = format or detect_format(text, path=path)
    if fmt is None:
        return ReadResult(
            findings=[
                finding(
                    Code.UNKNOWN_FORMAT,
                    Severity.ERROR,
                    "not a mode file in any format modegraph reads",
                    path=path,
                    line=1,
                    hint="start with `# Mode: <Name> (`slug`)` (Roo Commander), `+++` (TOML), "
                    "`customModes:` (Roo Code), `---` front matter (Claude Code) or "
                    "`slug:` (modegraph YAML); `modegraph modes new` writes a template",
                )
            ]
        )
    reader = _READERS.get(fmt)
    if reader is None:
        return ReadResult(
            findings=[
                finding(
                    Code.UNKNOWN_FORMAT,
                    Severity.ERROR,
                    f"modegraph cannot read the format {fmt.value!r} from a file",
                    path=path,
                    line=1,
                    hint="convert the file to a format modegraph reads (see the README)",
                )
            ]
        )
    try:
        result = reader(text, path=path)
    except Exception as exc:  # a reader bug must not become a user's traceback
        return ReadResult(findings=[_reader_crash(path, fmt, exc)])
    already = {(f.code, f.slug) for f in result.findings if f.code in CHECK_CODES}
    result.findings.extend(f for f in check_modes(result.modes) if (f.code, f.slug) not in already)
    return result


def load_file(path: Path | str, *, format: SourceFormat | None = None) -> ReadResult:
    """Read one file, whatever its name. Never raises (nor blocks) for a user's file.

    Only regular files are read: a FIFO, socket or device is an `unreadable-file`
    error, and so is binary content (a NUL byte after decoding).
    """
    shown = str(path)
    try:
        kind = Path(path).stat().st_mode
        if not stat.S_ISREG(kind):  # a FIFO would block the read forever
            return ReadResult(findings=[_not_regular(shown, kind)])
        data = Path(path).read_bytes()
    except OSError as exc:
        return ReadResult(findings=[_unreadable(shown, exc)])
    if not data.strip():
        return ReadResult(findings=[_empty(shown)])
    text, decode_findings = decode(data, path=shown)
    if "\x00" in text:  # binary: the decoding findings would only be noise
        return ReadResult(findings=[_binary(shown, text)])
    result = load_text(text, path=shown, format=format)
    result.findings[:0] = decode_findings
    return result


def load_paths(paths: Iterable[Path | str]) -> ReadResult:
    """Read files and directories (searched with `discover`), in the order given.

    A slug met in two different files is a `duplicate-slug` error; the later mode
    is kept (within one file the per-mode checks already report it).
    """
    result = ReadResult()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found_files = discover(path)
            for found in found_files:
                result.extend(load_file(found))
            if not found_files:
                result.findings.append(_no_mode_files(path, shown=str(given)))
        elif path.exists():
            result.extend(load_file(path))
        else:
            result.findings.append(
                finding(
                    Code.UNREADABLE_FILE,
                    Severity.ERROR,
                    "no such file or directory",
                    path=str(given),
                    hint="check the path (it is relative to the current directory)",
                )
            )
    result.findings.extend(_cross_file_duplicates(result))
    return result


def _cross_file_duplicates(result: ReadResult) -> list[Finding]:
    first: dict[str, tuple[str | None, int | None]] = {}
    findings = []
    for mode in result.modes:
        where = (mode.source.path, mode.source.line)
        earlier = first.setdefault(mode.slug, where)
        if earlier[0] is None or earlier[0] == where[0]:
            continue
        findings.append(
            finding(
                Code.DUPLICATE_SLUG,
                Severity.ERROR,
                f"slug {mode.slug!r} is also defined in {earlier[0]}; the later file wins",
                path=where[0],
                line=where[1],
                hint="rename one of the modes, or delete one of the files",
                slug=mode.slug,
            )
        )
    return findings


_RENAME_HINTS: dict[SourceFormat, str] = {
    SourceFormat.ROO_MARKDOWN: "a Roo Commander mode: name it explicitly or rename it to *.mode.md",
    SourceFormat.ROO_TOML: "a Roo Commander TOML mode: name it explicitly or rename it to "
    "*.mode.md",
    SourceFormat.ROOMODES: "a Roo Code modes file: name it explicitly or rename it to .roomodes",
    SourceFormat.YAML: "a modegraph mode: name it explicitly or rename it to *.mode.yaml",
    SourceFormat.CLAUDE: "a Claude Code agent: name it explicitly or move it to .claude/agents/",
}
_MAX_LOOKALIKES = 5
_MAX_SNIFF_CHARS = 200_000


def _lookalikes(root: Path) -> list[str]:
    """`x.txt looks like ...` for skipped files under `root` whose content is a mode."""
    notes: list[str] = []
    for path in skipped_files(root):
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                continue
            with path.open("rb") as handle:
                data = handle.read(_MAX_SNIFF_CHARS)
        except OSError:
            continue
        if b"\x00" in data:
            continue
        text = data.decode("utf-8", errors="replace")
        fmt = next((fmt for sniff, fmt in _BY_CONTENT if sniff(text)), None)
        if fmt is not None:
            shown = path.relative_to(root) if root in path.parents else path
            notes.append(f"{shown} looks like {_RENAME_HINTS.get(fmt, fmt.value)}")
        if len(notes) > _MAX_LOOKALIKES:
            break
    return notes


def _no_mode_files(root: Path, *, shown: str) -> Finding:
    notes = _lookalikes(root)
    more = len(notes) > _MAX_LOOKALIKES
    listed = "; ".join(notes[:_MAX_LOOKALIKES]) + ("; ..." if more else "")
    hint = listed if notes else "name mode files explicitly, or rename them to match a pattern"
    return finding(
        Code.NO_MODE_FILES,
        Severity.WARNING,
        "no mode files in this directory (looked for " + ", ".join(DISCOVERY_PATTERNS) + ")",
        path=shown,
        hint=hint,
    )


def _empty(path: str | None) -> Finding:
    return finding(
        Code.EMPTY_FILE,
        Severity.WARNING,
        "the file is empty",
        path=path,
        line=1,
        hint="write a mode into it (`modegraph modes new`) or delete it",
    )


def _unreadable(path: str, exc: OSError) -> Finding:
    reason = exc.strerror or exc.__class__.__name__
    return finding(
        Code.UNREADABLE_FILE,
        Severity.ERROR,
        f"cannot read the file: {reason}",
        path=path,
        hint="check the path and its permissions",
    )


def _not_regular(path: str, mode: int) -> Finding:
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


def _binary(path: str | None, text: str) -> Finding:
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


def _reader_crash(path: str | None, fmt: SourceFormat, exc: Exception) -> Finding:
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
