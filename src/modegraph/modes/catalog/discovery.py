"""Which files in a folder are mode files, and which format a name implies.

A folder is searched recursively (`walk`), the way real catalogs are laid out:
nested Claude Code collections (`categories/01-core/x.md`, `plugins/*/agents/*.md`),
one-mode-per-file Roo Code folders (`custom_modes.d/ai/x.yaml`), Roo Commander's
level folders and `.roo/commander/modes/<slug>/<slug>.mode.md`, CrewAI crews
(`src/<crew>/config/agents.yaml`). A file is taken

- **by name**: `*.mode.md`, `*.mode.yaml|yml|json|toml`, `.roomodes`,
  `custom_modes.yaml|yml|json`, `.claude/agents/*.md`, anywhere (a `*.mode.md`
  misplaced in a `kb/` folder too);
- **by content**: Markdown that is a Roo Commander mode (`# Mode:` heading, `**Level:**`,
  `## Metadata`, or `+++` TOML front matter with an `id`) or a Claude Code agent (front
  matter with `name` and `description`, never a `SKILL.md`); YAML and JSON holding Roo
  Code modes (with or without the `customModes` wrapper) or modegraph modes; a CrewAI
  `agents.yaml`.

Never taken, and never reported: READMEs, change logs and licences; the places where
Markdown that is not a mode lives (`custom-instructions/`, `kb/`, `knowledge-base/`,
`context/`); `.git`, `node_modules`, virtual environments, `project_journal/` and other
hidden folders (except `.claude`, `.modegraph`, `.roo`, `.ruru` and `.modes`); and
YAML, JSON or Markdown that does not look like a mode at all (`tasks.yaml`,
`plugin.json`, a command file).

Reported, so nothing that looks like a mode is skipped silently:

- a `templates/` or `.templates/` folder holding mode-like files: one info
  `template-skipped` finding for the folder (templates are not modes);
- a Markdown file without front matter beside Claude Code agents (in a folder named
  `agents`, or one where other Markdown files are agents): a `not-a-mode` warning;
- a folder that cannot be listed: an `unreadable-file` error.

Symlinked folders are followed once each (a symlink loop is never entered twice).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path, PurePath

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.catalog._folders import (
    NON_MODE_DIRS,
    SKIPPED_DIRS,
    TEMPLATE_DIRS,
    Folder,
    all_files,
    folders,
    is_claude_agent_path,
    unread_page,
)
from modegraph.modes.catalog._readers import (
    looks_like_crewai_agents,
    looks_like_native_mode,
    looks_like_roomodes,
)
from modegraph.modes.formats.claude.reader import (
    has_agent_front_matter,
    opens_unclosed_agent_front_matter,
)
from modegraph.modes.formats.roo_markdown.reader import looks_like_roo_markdown
from modegraph.modes.formats.roo_toml.reader import looks_like_roo_toml
from modegraph.modes.model import SourceFormat

__all__ = [
    "AGGREGATE_NAMES",
    "DISCOVERY_PATTERNS",
    "NON_MODE_DIRS",
    "SKIPPED_DIRS",
    "TEMPLATE_DIRS",
    "Discovery",
    "discover",
    "format_by_name",
    "skipped_files",
    "walk",
]

AGGREGATE_NAMES = frozenset(
    {".roomodes", "custom_modes.yaml", "custom_modes.yml", "custom_modes.json"}
)
"""Files that collect many modes; a per-mode file with the same slug overrides them."""

_NON_MODE_STEMS = frozenset(
    {"readme", "changelog", "license", "contributing", "code_of_conduct", "security", "index"}
)
_BY_SUFFIX = (
    (".mode.md", SourceFormat.ROO_MARKDOWN),
    (".mode.yaml", SourceFormat.YAML),
    (".mode.yml", SourceFormat.YAML),
    (".mode.json", SourceFormat.ROOMODES),
    (".mode.toml", SourceFormat.TOML),
)
_MARKDOWN = frozenset({".md", ".markdown"})
_STRUCTURED = frozenset({".yaml", ".yml", ".json"})
_CREWAI_NAMES = frozenset({"agents.yaml", "agents.yml"})
_MAX_SNIFF_BYTES = 2_000_000
_TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".yaml", ".yml", ".json", ".toml"})

DISCOVERY_PATTERNS = (
    "*.mode.md",
    "*.mode.yaml|yml|json|toml",
    ".roomodes",
    "custom_modes.yaml|yml|json",
    ".claude/agents/*.md",
    "Markdown that is a Roo Commander mode or a Claude Code agent",
    "YAML/JSON holding Roo Code or modegraph modes",
    "CrewAI agents.yaml",
)
"""What `walk` looks for, as shown to a person."""


def format_by_name(path: str | PurePath) -> SourceFormat | None:
    """The format a file's name implies, or None when only the content can tell."""
    name = _file_name(path).lower()
    if name in AGGREGATE_NAMES:
        return SourceFormat.ROOMODES
    for suffix, fmt in _BY_SUFFIX:
        if name.endswith(suffix):
            return fmt
    if name.endswith(".md") and is_claude_agent_path(PurePath(path)):
        return SourceFormat.CLAUDE
    return None


def _file_name(path: str | PurePath) -> str:
    """`PurePath(path).name`, without building a path for a plain file name.

    Loading calls `format_by_name` once per file with the name as shown (a `str`);
    building a `PurePath` from it was 5% of loading a big catalog. A string that does
    not end in `/` or `/.` (and is not `.`) has the last `/` part for its name, as
    `PurePath` gives it; any other is left to `PurePath`.
    """
    if isinstance(path, PurePath):
        return path.name
    if _POSIX_NAMES and path != "." and not path.endswith(("/", "/.")):
        return path.rpartition("/")[2]
    return PurePath(path).name


_POSIX_NAMES = os.sep == "/" and os.altsep is None
"""Whether `/` is the only separator (`_file_name`'s shortcut); on Windows `PurePath` decides."""


@dataclass
class Discovery:
    """The mode files under a folder, and what was met while looking."""

    files: list[Path] = field(default_factory=list)
    """Mode files in load order: collections (`.roomodes`, `custom_modes.*`) first, then
    the rest in folder order, so a per-mode file overrides a collection's copy."""
    findings: list[Finding] = field(default_factory=list)
    """`template-skipped`, `not-a-mode` and `unreadable-file` findings."""


def walk(root: Path) -> Discovery:
    """Search `root` recursively for mode files (see the module docstring)."""
    found = Discovery()
    plain: dict[Path, list[Path]] = {}
    agents: set[Path] = set()
    for folder in _folders(root, found.findings):
        for template in folder.templates:
            _report_template(template, found.findings)
        for path in folder.files:
            kind = _by_name(path)
            if kind is _Kind.OTHER and not unread_page(folder, path):
                kind = _classify(path)
            if kind in (_Kind.MODE, _Kind.AGENT):
                found.files.append(path)
                if kind is _Kind.AGENT:
                    agents.add(folder.path)
            elif kind is _Kind.PLAIN_MARKDOWN:
                plain.setdefault(folder.path, []).append(path)
    for directory, paths in plain.items():
        if directory.name.lower() == "agents" or directory in agents:
            found.findings.extend(_not_an_agent(path) for path in paths)
    found.files.sort(key=lambda path: path.name.lower() not in AGGREGATE_NAMES)
    return found


def discover(root: Path) -> list[Path]:
    """The mode files under `root`, in load order (`walk(root).files`)."""
    return walk(root).files


def skipped_files(root: Path) -> list[Path]:
    """Text files under `root` that `walk` does not take (to sniff for look-alikes)."""
    taken = set(walk(root).files)
    return [
        path
        for folder in _folders(root, [])
        for path in folder.files
        if path.suffix.lower() in _TEXT_SUFFIXES and path not in taken
    ]


def _folders(root: Path, findings: list[Finding]) -> Iterator[Folder]:
    """Each folder under `root` to search (`_folders.folders`), unlistable ones reported."""

    def unreadable(error: OSError) -> None:
        findings.append(
            Finding(
                path=error.filename or str(root),
                code=Code.UNREADABLE_FILE,
                severity=Severity.ERROR,
                message=f"cannot list the folder: {error.strerror or error}; "
                "the mode files in it were not read",
                hint="check the folder's permissions, or leave it out with a narrower --modes",
            )
        )

    return folders(root, unreadable)


class _Kind(Enum):
    """What a file in a searched folder is."""

    MODE = "mode"
    """A mode file of any format other than a Claude Code agent."""
    AGENT = "agent"
    """A Claude Code agent (its folder is an agents folder)."""
    PLAIN_MARKDOWN = "plain-markdown"
    """Markdown without front matter: a stray file when it sits beside agents."""
    OTHER = "other"
    """Not a mode, and not reported."""


def _by_name(path: Path) -> _Kind:
    if path.suffix.lower() in _MARKDOWN and path.stem.lower() in _NON_MODE_STEMS:
        return _Kind.OTHER  # a README copied into .claude/agents/ with the agents
    fmt = format_by_name(path)
    if fmt is None:
        return _Kind.OTHER
    return _Kind.AGENT if fmt is SourceFormat.CLAUDE else _Kind.MODE


def _classify(path: Path) -> _Kind:
    by_name = _by_name(path)
    if by_name is not _Kind.OTHER:
        return by_name
    suffix = path.suffix.lower()
    if suffix in _MARKDOWN:
        return _markdown_kind(path)
    if suffix in _STRUCTURED or suffix == ".toml":
        text = _sniff_text(path)
        if text is not None and _structured_mode(path, text):
            return _Kind.MODE
    return _Kind.OTHER


def _markdown_kind(path: Path) -> _Kind:
    if path.stem.lower() in _NON_MODE_STEMS or path.name == "SKILL.md":
        return _Kind.OTHER  # an Agent Skill shares an agent's front matter
    text = _sniff_text(path)
    if text is None:
        return _Kind.OTHER
    if looks_like_roo_markdown(text) or looks_like_roo_toml(text):
        return _Kind.MODE
    if has_agent_front_matter(text) or opens_unclosed_agent_front_matter(text):
        return _Kind.AGENT  # an unclosed one too: the reader says where it opens
    return _Kind.PLAIN_MARKDOWN if _no_front_matter(text) else _Kind.OTHER


def _structured_mode(path: Path, text: str) -> bool:
    """A YAML, JSON or TOML file holding modes (Roo Code, modegraph, a CrewAI crew)."""
    if path.suffix.lower() == ".toml":
        return looks_like_native_mode(text) or looks_like_roo_toml(text)
    if looks_like_roomodes(text) or looks_like_native_mode(text):
        return True
    return path.name.lower() in _CREWAI_NAMES and looks_like_crewai_agents(text)


def _no_front_matter(text: str) -> bool:
    first = next((line.strip() for line in text.split("\n", 50) if line.strip()), "")
    return first not in ("---", "+++")


_MAX_TEMPLATE_FILES = 2_000


def _report_template(folder: Path, findings: list[Finding]) -> None:
    """One `template-skipped` info for a templates folder holding mode-like files."""
    count = 0
    for index, path in enumerate(all_files(folder)):
        if index >= _MAX_TEMPLATE_FILES:
            break
        if _classify(path) in (_Kind.MODE, _Kind.AGENT):
            count += 1
    if count:
        findings.append(
            Finding(
                path=str(folder),
                code=Code.TEMPLATE_SKIPPED,
                severity=Severity.INFO,
                message=f"{count} mode-like {'file' if count == 1 else 'files'} in this "
                "templates folder were not loaded: templates are not modes",
                hint="copy a template out of the folder and fill it in to make it a mode",
            )
        )


def _not_an_agent(path: Path) -> Finding:
    return Finding(
        path=str(path),
        line=1,
        code=Code.NOT_A_MODE,
        severity=Severity.WARNING,
        message="a Markdown file beside Claude Code agents, without front matter: "
        "it was not read as an agent",
        hint="start it with `---`, `name: <slug>`, `description: <when to use it>`, `---` "
        "to make it an agent, or move it out of the agents folder",
    )


def _sniff_text(path: Path) -> str | None:
    """The start of a regular file as text (at most `_MAX_SNIFF_BYTES`), or None.

    None when it cannot be read. A larger file is judged by its start, so a mode file
    over the size limit is still taken, and the loader refuses it with `file-too-large`.
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return None  # never open a FIFO or device to sniff it
        with path.open("rb") as file:
            data = file.read(_MAX_SNIFF_BYTES)
    except OSError:
        return None
    return data.decode("utf-8", errors="replace")
