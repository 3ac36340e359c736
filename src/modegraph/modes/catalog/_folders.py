"""Which folders discovery searches: the rules alone, without the readers.

`modegraph.modes.catalog.discovery` searches folders by these rules; the cached
listing of `modegraph modes list` (`modegraph.cli._list_cache`) reads the same
folders to tell whether anything changed, without importing a reader.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

__all__ = [
    "HIDDEN_ALLOWED",
    "NON_MODE_DIRS",
    "SKIPPED_DIRS",
    "TEMPLATE_DIRS",
    "Folder",
    "all_files",
    "folders",
    "is_claude_agent_path",
    "searched",
    "unread_page",
]

NON_MODE_DIRS = frozenset(
    {
        "custom-instructions",
        "custom_instructions",
        "kb",
        "knowledge-base",
        "knowledge_base",
        "context",
    }
)
"""Folders of Markdown that is never a mode: only Markdown named as a mode (`*.mode.md`)
counts there (YAML and JSON are still taken by content: `custom_modes.d/context/x.yaml`)."""

SKIPPED_DIRS = frozenset(
    {"node_modules", "__pycache__", "venv", "site-packages", "project_journal"}
)
"""Folders never searched (and hidden folders other than those of `HIDDEN_ALLOWED`)."""

TEMPLATE_DIRS = frozenset({"templates", ".templates"})
"""Folders of mode templates: skipped, with one `template-skipped` finding."""

HIDDEN_ALLOWED = frozenset({".claude", ".modegraph", ".roo", ".ruru", ".modes"})
"""The hidden folders that are searched."""


def searched(name: str) -> bool:
    """True when discovery searches a subfolder of this name (templates are only sniffed)."""
    lowered = name.lower()
    if lowered in SKIPPED_DIRS or lowered in TEMPLATE_DIRS:
        return False
    return not name.startswith(".") or name in HIDDEN_ALLOWED


@dataclass(frozen=True)
class Folder:
    """One folder discovery searches."""

    path: Path
    """The folder."""
    files: list[Path]
    """Its files, sorted."""
    templates: list[Path]
    """Its `templates/` subfolders, which are not searched (only sniffed: `all_files`)."""
    names_only: bool
    """Inside a knowledge-base or custom-instructions folder: only `*.mode.*` names count."""


def folders(root: Path, unreadable: Callable[[OSError], None]) -> Iterator[Folder]:
    """Each folder under `root` to search, in sorted order, each real folder once.

    Symlinked folders are followed; one that leads back into a folder already
    searched is not entered again. `unreadable` is told of each folder that cannot
    be listed.
    """
    seen: set[str] = set()
    reals: dict[str, str] = {}  # a folder to walk -> its real path, known from its parent's
    for directory, subdirs, files in os.walk(root, onerror=unreadable, followlinks=True):
        real = reals.pop(directory, None) or os.path.realpath(directory)
        if real in seen:  # a symlink back into a folder already searched
            subdirs[:] = []
            continue
        seen.add(real)
        templates = sorted(Path(directory, n) for n in subdirs if n.lower() in TEMPLATE_DIRS)
        subdirs[:] = sorted(name for name in subdirs if searched(name))
        for name in subdirs:
            # No symlink: its real path is the parent's and its name (one lstat, where
            # `realpath` takes one for each part of the path, for every folder).
            child = os.path.join(directory, name)
            if not os.path.islink(child):
                reals[child] = os.path.join(real, name)
        relative = Path(directory).relative_to(root).parts if directory != str(root) else ()
        yield Folder(
            path=Path(directory),
            files=[Path(directory, name) for name in sorted(files)],
            templates=templates,
            names_only=any(part.lower() in NON_MODE_DIRS for part in relative),
        )


def all_files(folder: Path) -> Iterator[Path]:
    """Every file under `folder` (a templates folder), sorted, skipping `SKIPPED_DIRS`."""
    for directory, subdirs, files in os.walk(folder):
        subdirs[:] = sorted(name for name in subdirs if name.lower() not in SKIPPED_DIRS)
        yield from (Path(directory, name) for name in sorted(files))


_MARKDOWN = frozenset({".md", ".markdown"})


def is_claude_agent_path(path: PurePath) -> bool:
    """A Markdown file directly in a `.claude/agents` folder: an agent by its name."""
    parts = path.parts
    return (
        path.suffix.lower() == ".md"
        and len(parts) >= 3
        and parts[-2] == "agents"
        and parts[-3] == ".claude"
    )


def unread_page(folder: Folder, path: Path) -> bool:
    """Whether discovery passes over `path` unopened: Markdown in a names-only folder.

    Only a name that makes it a mode (`*.mode.md`, a `.claude/agents` file) counts in a
    knowledge-base or custom-instructions folder (`Folder.names_only`).
    """
    return (
        folder.names_only
        and path.suffix.lower() in _MARKDOWN
        and not path.name.lower().endswith(".mode.md")
        and not is_claude_agent_path(path)
    )
