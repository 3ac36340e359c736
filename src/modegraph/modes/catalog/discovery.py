"""Which files in a directory are mode files, and which format a name implies.

Taken by name: `*.mode.md`, `*.mode.yaml|yml|json|toml`, `.roomodes`,
`custom_modes.yaml|yml|json`, and `.claude/agents/*.md`. Other Markdown is taken
only when its content is a Roo Commander mode (`# Mode: ...` with a `## Metadata`
or `**Level:**` block), and never from the places where Markdown that is not a
mode lives: READMEs and change logs, `custom-instructions/`, knowledge bases
(`kb/`, `knowledge-base/`, `context/`), `.git`, `node_modules`, virtual
environments and other hidden directories (except `.claude`, `.modegraph`,
`.roo` and `.ruru`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePath

from modegraph.modes.formats.claude.reader import looks_like_claude_agent
from modegraph.modes.formats.roo_markdown.reader import looks_like_roo_markdown
from modegraph.modes.model import SourceFormat

__all__ = ["DISCOVERY_PATTERNS", "NON_MODE_DIRS", "discover", "format_by_name", "skipped_files"]

NON_MODE_DIRS = frozenset(
    {
        "custom-instructions",
        "custom_instructions",
        "kb",
        "knowledge-base",
        "knowledge_base",
        "context",
        "node_modules",
        "__pycache__",
        "venv",
        "site-packages",
        "project_journal",
    }
)
"""Directories that hold Markdown that is never a mode."""

_HIDDEN_ALLOWED = frozenset({".claude", ".modegraph", ".roo", ".ruru"})
_NON_MODE_STEMS = frozenset(
    {"readme", "changelog", "license", "contributing", "code_of_conduct", "security", "index"}
)
_ROOMODES_NAMES = frozenset(
    {".roomodes", "custom_modes.yaml", "custom_modes.yml", "custom_modes.json"}
)
_BY_SUFFIX = (
    (".mode.md", SourceFormat.ROO_MARKDOWN),
    (".mode.yaml", SourceFormat.YAML),
    (".mode.yml", SourceFormat.YAML),
    (".mode.json", SourceFormat.ROOMODES),
    (".mode.toml", SourceFormat.TOML),
)
_MAX_SNIFF_BYTES = 2_000_000


def format_by_name(path: str | PurePath) -> SourceFormat | None:
    """The format a file's name implies, or None when only the content can tell."""
    pure = PurePath(path)
    name = pure.name.lower()
    if name in _ROOMODES_NAMES:
        return SourceFormat.ROOMODES
    for suffix, fmt in _BY_SUFFIX:
        if name.endswith(suffix):
            return fmt
    if _is_claude_agent_path(pure):
        return SourceFormat.CLAUDE
    return None


def _is_claude_agent_path(path: PurePath) -> bool:
    parts = path.parts
    return (
        path.suffix.lower() == ".md"
        and len(parts) >= 3
        and parts[-2] == "agents"
        and parts[-3] == ".claude"
    )


def discover(root: Path) -> list[Path]:
    """The mode files under `root`, sorted, never following symlinked directories.

    Besides the names above, `*.md` files in a directory named `agents` (outside
    `.claude/`, e.g. a copied `agents/` folder) are taken when their content is a
    Claude Code agent (YAML front matter with `name` and `description`).
    """
    return [path for path in _files(root) if _is_mode_file(path)]


def skipped_files(root: Path) -> list[Path]:
    """Text files under `root` that `discover` does not take (to sniff for look-alikes)."""
    return [
        path
        for path in _files(root)
        if path.suffix.lower() in _TEXT_SUFFIXES and not _is_mode_file(path)
    ]


DISCOVERY_PATTERNS = (
    "*.mode.md",
    "*.mode.yaml|yml|json|toml",
    ".roomodes",
    "custom_modes.yaml|yml|json",
    ".claude/agents/*.md",
    "*.md holding a `# Mode:` heading or `**Level:**` key",
)
"""What `discover` looks for, as shown to a person."""

_TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".yaml", ".yml", ".json", ".toml"})


def _files(root: Path) -> list[Path]:
    found: list[Path] = []
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(
            name
            for name in subdirs
            if name.lower() not in NON_MODE_DIRS
            and (not name.startswith(".") or name in _HIDDEN_ALLOWED)
        )
        found.extend(Path(directory, name) for name in sorted(files))
    return found


def _is_mode_file(path: Path) -> bool:
    return (
        format_by_name(path) is not None
        or _is_claude_agent_path(path.resolve())
        or _is_roo_markdown_by_content(path)
        or _is_agents_dir_claude_agent(path)
    )


def _sniff_text(path: Path) -> str | None:
    """The start of a regular, not too large file as text; None when it cannot be read."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_SNIFF_BYTES:
            return None  # never open a FIFO or device to sniff it
        data = path.read_bytes()
    except OSError:
        return None
    return data.decode("utf-8", errors="replace")


def _is_agents_dir_claude_agent(path: Path) -> bool:
    if path.suffix.lower() != ".md" or path.parent.name.lower() != "agents":
        return False
    text = _sniff_text(path)
    return text is not None and looks_like_claude_agent(text)


def _is_roo_markdown_by_content(path: Path) -> bool:
    if path.suffix.lower() != ".md" or path.stem.lower() in _NON_MODE_STEMS:
        return False
    text = _sniff_text(path)
    return text is not None and looks_like_roo_markdown(text)
