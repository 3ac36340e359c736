"""Files no role may write: the run's own records, its mode sources, git's control files.

`permissions.protected_reason` refuses names (`.git/`, `modegraph.yaml`, ...) wherever
they are. This module adds what only the run knows and what only the disk tells:

- `Protected`: the real paths of *this* run's journal directory and checkpoint
  database (whatever `--journal` and `--checkpoint` named them), every mode source
  file of the catalog in use, the project's `.modegraph/`, `.roomodes` and
  `modegraph.yaml` in the directory the catalog was read from, and the user and
  bundled mode libraries. In a directory given with `--modes` no new file that
  would load as a mode may be created either (by name, such as `*.mode.md`, or by
  content, such as Markdown holding a `# Mode:` heading).
- `git_directory_reason`: a file inside a directory that is a git repository's
  control directory (it holds `HEAD`, `objects/` and `refs/`, as a bare repository
  does), because its `config` and hooks run commands when git runs there.

Paths are compared after `realpath`, ignoring case on a case-insensitive file system.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath

from modegraph.modes.catalog.catalog import Catalog
from modegraph.modes.catalog.discovery import format_by_name
from modegraph.modes.catalog.layers import bundled_library_dir, default_user_dir
from modegraph.modes.config import CONFIG_FILE_NAME
from modegraph.modes.formats.claude.reader import looks_like_claude_agent
from modegraph.modes.formats.roo_markdown.reader import looks_like_roo_markdown
from modegraph.tools.workspace import Workspace

__all__ = ["Guard", "GuardScope", "Protected", "git_directory_reason", "looks_like_mode_file"]

_CHECKPOINT_SIDE_FILES = ("-wal", "-shm", "-journal")


class GuardScope(StrEnum):
    """How much of the file system a guard covers."""

    FILE = "file"
    """The path itself."""
    TREE = "tree"
    """The path and everything under it."""
    NEW_MODES = "new-modes"
    """Files under the directory that are, or would load as, mode files."""


@dataclass(frozen=True, slots=True)
class Guard:
    """One protected path."""

    path: Path
    """The real absolute path."""
    what: str
    """What it is, as a refusal says it (`the task journal of this run`)."""
    scope: GuardScope = GuardScope.FILE
    """What the guard covers."""


def looks_like_mode_file(relative: str, content: str | None) -> bool:
    """Whether a file at `relative` with `content` would load as a mode.

    By name (`*.mode.md`, `.roomodes`, `custom_modes.yaml`, `.claude/agents/*.md`), or
    for Markdown by content (a Roo Commander mode, or a Claude Code agent in a folder
    named `agents`). With `content` None only the name is judged.
    """
    pure = PurePosixPath(relative)
    if format_by_name(pure) is not None:
        return True
    if content is None or pure.suffix.lower() != ".md":
        return False
    in_agents = pure.parent.name.lower() == "agents"
    return looks_like_roo_markdown(content) or (in_agents and looks_like_claude_agent(content))


@dataclass(frozen=True)
class Protected:
    """The paths of one run that no role may write, beyond the protected names."""

    guards: tuple[Guard, ...] = ()
    """Every protected path."""

    @classmethod
    def for_run(
        cls,
        *,
        journal: Path | None = None,
        checkpoint: Path | None = None,
        catalog: Catalog | None = None,
        project_dir: Path | None = None,
        mode_paths: Iterable[Path | str] = (),
        config_files: Iterable[Path] = (),
        user_modes: bool = True,
    ) -> Protected:
        """The guards of a run.

        Args:
            journal: The journal directory (`--journal`).
            checkpoint: The SQLite checkpoint file (`--checkpoint`), if SQLite.
            catalog: The catalog in use: each mode's source file is protected.
            project_dir: Where the catalog's project layer was read (its
                `.modegraph/`, `.roomodes` and `modegraph.yaml`).
            mode_paths: The `--modes` paths: a file is protected, and in a directory
                no new mode file may be created.
            config_files: Other configuration files (the workspace's `modegraph.yaml`).
            user_modes: Protect the user and bundled mode libraries too.

        Returns:
            The guards.
        """
        guards: list[Guard] = []
        if journal is not None:
            guards.append(_guard(journal, "the task journal of this run", GuardScope.TREE))
        if checkpoint is not None:
            for suffix in ("", *_CHECKPOINT_SIDE_FILES):
                side = checkpoint.with_name(checkpoint.name + suffix)
                guards.append(_guard(side, "the checkpoint database of this run"))
        if project_dir is not None:
            what = "a project mode source (a role could rewrite its own permissions)"
            guards.append(_guard(project_dir / ".modegraph", what, GuardScope.TREE))
            guards.append(_guard(project_dir / ".roomodes", what, GuardScope.TREE))
            guards.append(_guard(project_dir / CONFIG_FILE_NAME, "the project's modegraph.yaml"))
        for config in config_files:
            guards.append(_guard(config, "modegraph's configuration"))
        for given in mode_paths:
            path = Path(given)
            scope = GuardScope.NEW_MODES if path.is_dir() else GuardScope.FILE
            guards.append(_guard(path, f"the mode source {given} given with --modes", scope))
        if catalog is not None:
            for mode in catalog:
                if mode.source.path:
                    what = (
                        f"the source of mode {mode.slug!r} (a role could rewrite its permissions)"
                    )
                    guards.append(_guard(Path(mode.source.path), what))
        if user_modes:
            library = "a mode library (a role could rewrite its own permissions)"
            guards.append(_guard(default_user_dir(), library, GuardScope.TREE))
            bundled = bundled_library_dir()
            if bundled is not None:
                guards.append(_guard(bundled, library, GuardScope.TREE))
        return cls(tuple(guards))

    def __add__(self, other: Protected) -> Protected:
        return Protected((*self.guards, *other.guards))

    def reason(
        self, absolute: Path, *, content: str | None = None, case_insensitive: bool = False
    ) -> str | None:
        """What protects `absolute` from being written, or None.

        Args:
            absolute: The real path about to be written (or named by a command).
            content: What would be written; None judges a `NEW_MODES` guard by name only.
            case_insensitive: Compare names ignoring case.

        Returns:
            What the protected path is, or None.
        """
        target = _key(absolute, case_insensitive)
        for guard in self.guards:
            base = _key(guard.path, case_insensitive)
            if target == base:
                return guard.what
            inside = base in target.parents
            if inside and guard.scope is GuardScope.TREE:
                return guard.what
            if inside and guard.scope is GuardScope.NEW_MODES:
                relative = absolute.as_posix()[len(guard.path.as_posix()) :].lstrip("/")
                if looks_like_mode_file(relative, content):
                    return f"a mode file in {guard.what}"
        return None


def _guard(path: Path, what: str, scope: GuardScope = GuardScope.FILE) -> Guard:
    return Guard(path=Path(os.path.realpath(path)), what=what, scope=scope)


def _key(path: Path, case_insensitive: bool) -> PurePosixPath:
    text = path.as_posix()
    return PurePosixPath(text.casefold() if case_insensitive else text)


def git_directory_reason(workspace: Workspace, absolute: Path) -> str | None:
    """Why `absolute` is inside a git control directory, or None.

    A directory that holds a `HEAD` file and `objects/` and `refs/` directories is
    one (a bare repository, or a `.git` under another name): git reads its `config`
    and runs its hooks, so a file written there could make an allowlisted
    `git status` run any command.

    Args:
        workspace: The sandbox (directories above its root are not looked at).
        absolute: The real path about to be written.
    """
    root = workspace.root
    for directory in absolute.parents:
        if directory == root or root not in directory.parents:
            return None
        if (
            (directory / "HEAD").is_file()
            and (directory / "objects").is_dir()
            and (directory / "refs").is_dir()
        ):
            shown = directory.relative_to(root).as_posix()
            return (
                f"inside {shown}/, a git repository's control directory "
                "(its config and hooks run commands when git runs)"
            )
    return None
