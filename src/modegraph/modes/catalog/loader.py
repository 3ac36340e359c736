"""Load mode files of every format: one text, one file, or files and directories.

The format is chosen by the file's name and, where the name does not decide it,
by the content (`detect_format`). A file named explicitly is read whatever its
name (the seed is a `.txt`); a directory is searched recursively with
`discovery.walk`, which never takes a README, a knowledge-base page or a
custom-instructions page for a mode and reports templates and stray Markdown.
Every mode read, whatever its format, goes through `checks.check_modes`.

- **Size limit.** A file larger than `MAX_FILE_BYTES` (10 MiB; the largest public
  catalog is a 1.4 MB YAML file) is refused at once with a `file-too-large` error
  naming its size, before anything is read. Below the limit, memory grows with
  the file's size (YAML aliases may add at most `MAX_YAML_VALUES` values).
- **Templates.** A mode whose slug is a template placeholder (`[mode_slug]`,
  `your-mode-slug`) is not loaded: one info `template-skipped` finding instead.
- **Collections and mode files.** In one directory, a slug defined both in a
  collection (`.roomodes`, `custom_modes.*`) and in a per-mode file is taken from the
  per-mode file (Roo Commander builds its `.roomodes` from them), with an info
  `overridden` finding; two per-mode files with one slug are a `duplicate-slug` error.
- **CrewAI.** An `agents.yaml` is read with the `tasks.yaml` beside it; agents of
  different crews that share a key are named `<crew>-<key>` (`crews.separate_crews`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path, PurePath

from modegraph._gc import gc_paused
from modegraph.findings import Code, Finding, Severity
from modegraph.modes.catalog._file_findings import (
    MAX_FILE_BYTES,
    binary,
    empty,
    not_regular,
    reader_crash,
    too_large,
    unreadable,
)
from modegraph.modes.catalog._readers import (
    Reader,
    Sniffer,
    looks_like_crewai_agents,
    looks_like_native_mode,
    looks_like_roomodes,
    read_crewai_agents,
    read_native_toml,
    read_native_yaml,
    read_roomodes,
)
from modegraph.modes.catalog.crews import separate_crews
from modegraph.modes.catalog.discovery import (
    AGGREGATE_NAMES,
    DISCOVERY_PATTERNS,
    format_by_name,
    skipped_files,
    walk,
)
from modegraph.modes.checks import CHECK_CODES, check_modes
from modegraph.modes.formats._fields import finding
from modegraph.modes.formats.claude.reader import (
    looks_like_claude_agent,
    opens_unclosed_agent_front_matter,
    read_claude_agent,
)
from modegraph.modes.formats.reading import ReadResult
from modegraph.modes.formats.roo_markdown.reader import looks_like_roo_markdown, read_roo_markdown
from modegraph.modes.formats.roo_toml.reader import looks_like_roo_toml, read_roo_toml
from modegraph.modes.model import Mode, SourceFormat
from modegraph.modes.names import is_placeholder_slug
from modegraph.modes.text import decode

__all__ = ["MAX_FILE_BYTES", "detect_format", "load_file", "load_paths", "load_text"]


_READERS: dict[SourceFormat, Reader] = {
    SourceFormat.ROO_MARKDOWN: read_roo_markdown,
    SourceFormat.ROO_TOML: read_roo_toml,
    SourceFormat.ROOMODES: read_roomodes,
    SourceFormat.CLAUDE: read_claude_agent,
    SourceFormat.YAML: read_native_yaml,
    SourceFormat.TOML: read_native_toml,
    SourceFormat.CREWAI: read_crewai_agents,
}

_BY_CONTENT: tuple[tuple[Sniffer, SourceFormat], ...] = (
    (looks_like_roo_toml, SourceFormat.ROO_TOML),
    (looks_like_roomodes, SourceFormat.ROOMODES),
    (looks_like_native_mode, SourceFormat.YAML),
    (looks_like_roo_markdown, SourceFormat.ROO_MARKDOWN),
    (looks_like_claude_agent, SourceFormat.CLAUDE),
    (looks_like_crewai_agents, SourceFormat.CREWAI),
    (opens_unclosed_agent_front_matter, SourceFormat.CLAUDE),  # read to report the fence
)


def detect_format(text: str, *, path: str | None = None) -> SourceFormat | None:
    """The format of a mode file, by name where the name decides it, else by content."""
    by_name = format_by_name(path) if path else None
    if by_name is SourceFormat.YAML and looks_like_roomodes(text):
        return SourceFormat.ROOMODES
    if by_name is SourceFormat.ROOMODES and path and path.endswith(".json"):
        if looks_like_native_mode(text) and not looks_like_roomodes(text):
            return SourceFormat.YAML
    if by_name is SourceFormat.ROO_MARKDOWN and _opens_with_fence(text):
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


def _opens_with_fence(text: str) -> bool:
    """Whether the first non-blank line could open front matter (`---` or `+++`).

    Both a Roo Commander TOML file and a Claude Code agent need one (a Claude agent's
    fence may be indented), so a `*.mode.md` without it is not sniffed for them.
    """
    return text.removeprefix("\ufeff").lstrip().startswith(("---", "+++"))


def load_text(
    text: str,
    *,
    path: str | None = None,
    format: SourceFormat | None = None,
    tasks: tuple[str, str] | None = None,
) -> ReadResult:
    """Read the modes in `text` and run the per-mode checks on them. Never raises.

    Args:
        text: The file's text.
        path: Its name, for findings and `Mode.source`.
        format: The format, when known; otherwise `detect_format` decides.
        tasks: For a CrewAI `agents.yaml`: the text and path of its `tasks.yaml`.
    """
    if len(text) > MAX_FILE_BYTES:
        return ReadResult(findings=[too_large(path, len(text.encode("utf-8")))])
    if not text.strip():
        return ReadResult(findings=[empty(path)])
    if "\x00" in text:
        return ReadResult(findings=[binary(path, text)])
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
        if fmt is SourceFormat.CREWAI and tasks is not None:
            result = read_crewai_agents(text, path=path, tasks=tasks[0], tasks_path=tasks[1])
        else:
            result = reader(text, path=path)
    except Exception as exc:  # a reader bug must not become a user's traceback
        return ReadResult(findings=[reader_crash(path, fmt, exc)])
    _skip_templates(result)
    already = {(f.code, f.slug) for f in result.findings if f.code in CHECK_CODES}
    result.findings.extend(f for f in check_modes(result.modes) if (f.code, f.slug) not in already)
    return result


def load_file(path: Path | str, *, format: SourceFormat | None = None) -> ReadResult:
    """Read one file, whatever its name. Never raises (nor blocks) for a user's file.

    Only regular files are read: a FIFO, socket or device is an `unreadable-file`
    error, and so is binary content (a NUL byte after decoding).
    """
    shown = str(path)
    target = path if isinstance(path, Path) else Path(path)  # Path("") is the folder "."
    try:
        info = os.stat(target)
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block the read forever
            return ReadResult(findings=[not_regular(shown, info.st_mode)])
        if info.st_size > MAX_FILE_BYTES:  # refused before a byte is read
            return ReadResult(findings=[too_large(shown, info.st_size)])
        data = target.read_bytes()
    except OSError as exc:
        return ReadResult(findings=[unreadable(shown, exc)])
    if not data.strip():
        return ReadResult(findings=[empty(shown)])
    text, decode_findings = decode(data, path=shown)
    if "\x00" in text:  # binary: the decoding findings would only be noise
        return ReadResult(findings=[binary(shown, text)])
    fmt = format or detect_format(text, path=shown)
    tasks = _crew_tasks(target) if fmt is SourceFormat.CREWAI else None
    result = load_text(text, path=shown, format=fmt, tasks=tasks)
    result.findings[:0] = decode_findings
    return result


def _crew_tasks(path: Path) -> tuple[str, str] | None:
    """The text and name of the `tasks.yaml` beside a CrewAI `agents.yaml`, when readable."""
    for name in ("tasks.yaml", "tasks.yml"):
        tasks = path.with_name(name)
        try:
            if tasks.is_file() and tasks.stat().st_size <= MAX_FILE_BYTES:
                text, _ = decode(tasks.read_bytes(), path=str(tasks))
                return text, str(tasks)
        except OSError:
            return None
    return None


def load_paths(paths: Iterable[Path | str]) -> ReadResult:
    """Read files and directories (searched with `discovery.walk`), in the order given.

    A slug met in two different files is a `duplicate-slug` error and the later mode
    is kept (within one file the per-mode checks already report it), except that a
    per-mode file overriding a collection (`.roomodes`) is an info `overridden`.
    """
    with gc_paused():
        return _load_paths(paths)


def _load_paths(paths: Iterable[Path | str]) -> ReadResult:
    result = ReadResult()
    for given in paths:
        path = Path(given)
        if _is_dir(path):
            found = walk(path)
            for file in found.files:
                result.extend(load_file(file))
            result.findings.extend(found.findings)
            if not found.files:
                result.findings.append(_no_mode_files(path, shown=str(given)))
        elif os.path.lexists(path):
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
    separate_crews([result])
    result.findings.extend(_cross_file_duplicates(result))
    return result


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a symlink loop: load_file reports it
        return False


def _cross_file_duplicates(result: ReadResult) -> list[Finding]:
    first: dict[str, Mode] = {}
    findings = []
    for mode in result.modes:
        earlier = first.setdefault(mode.slug, mode)
        where, before = mode.source.path, earlier.source.path
        if before is None or before == where:
            continue
        first[mode.slug] = mode
        if _is_collection(before) and not _is_collection(where):
            findings.append(
                finding(
                    Code.OVERRIDDEN,
                    Severity.INFO,
                    f"mode {mode.slug!r} is also in {before}; this mode file is used (a "
                    "collection is built from the mode files)",
                    path=where,
                    line=mode.source.line,
                    hint="nothing to do when the collection is generated; otherwise keep one",
                    slug=mode.slug,
                )
            )
            continue
        findings.append(
            finding(
                Code.DUPLICATE_SLUG,
                Severity.ERROR,
                f"slug {mode.slug!r} is also defined in {before}; the later file wins",
                path=where,
                line=mode.source.line,
                hint="rename one of the modes, or delete one of the files",
                slug=mode.slug,
            )
        )
    return findings


def _is_collection(path: str | None) -> bool:
    return path is not None and PurePath(path).name.lower() in AGGREGATE_NAMES


def _skip_templates(result: ReadResult) -> None:
    """Drop modes whose slug is a template placeholder, with one info finding each."""
    templates = [mode for mode in result.modes if is_placeholder_slug(mode.slug)]
    if not templates:
        return
    slugs = {mode.slug for mode in templates}
    result.modes[:] = [mode for mode in result.modes if mode.slug not in slugs]
    result.findings[:] = [f for f in result.findings if f.slug not in slugs]
    result.findings.extend(
        finding(
            Code.TEMPLATE_SKIPPED,
            Severity.INFO,
            f"the slug {mode.slug!r} is a template placeholder: this is a mode template, "
            "not a mode, and it was not loaded",
            path=mode.source.path,
            line=mode.source.line,
            hint="copy the template, give it a real slug and fill it in to make it a mode",
        )
        for mode in templates
    )


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
