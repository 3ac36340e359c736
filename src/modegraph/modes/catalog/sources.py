"""Where mode files live: the project root, and the sources of each catalog layer.

Discovery works the way the tools that own the files do it:

- **The project root** is found by walking up from the current folder to the first
  folder holding `.git`, `.roomodes`, `.roo/` or `.claude/` (`find_project_root`); a
  folder whose only marker is a `.claude/` without `agents/` (Claude Code's settings)
  is the root only when no folder above it has a marker.
  The home folder is never a project root (its `.claude/` is the user's), and the
  walk stops there; without a marker the current folder is the project. The journal
  and the checkpoints of a run go under the project root too.
- **Project sources**, from the root, lowest first (`project_sources`): Roo Code's
  `.roomodes`; Roo Commander's mode folders `.roo/commander/modes` (v8),
  `.roo/modes`, `.ruru/modes` (v7.3) and `.modes` (v7.0.5); Claude Code's
  `.claude/agents`; CrewAI's crews (`crews`: `src/*/config/agents.yaml`,
  `src/*/crews/*/config/agents.yaml`, `config/agents.yaml`); modegraph's own
  `.modegraph/modes`.
- **User sources**, lowest first (`user_sources`): Roo Code's global
  `custom_modes.yaml` (`roo_code_custom_modes`), Claude Code's `~/.claude/agents`
  (`$CLAUDE_CONFIG_DIR/agents` when that is set, as Claude Code does), and
  modegraph's `~/.config/modegraph/modes` (`$XDG_CONFIG_HOME/modegraph/modes`).

Roo Code keeps its global modes in the VS Code extension's storage:
`<config>/<editor>/User/globalStorage/rooveterinaryinc.roo-cline/settings/custom_modes.yaml`,
where `<config>` is `$XDG_CONFIG_HOME` or `~/.config` on Linux,
`~/Library/Application Support` on macOS and `%APPDATA%` on Windows, and `<editor>`
the first of `Code`, `Code - Insiders`, `VSCodium`, `Cursor`, `Windsurf` that has the
file. `MODEGRAPH_ROO_CUSTOM_MODES=/path/to/custom_modes.yaml` overrides that search
(an empty value turns the source off).

Each source says whether it pushes the bundled library out (`replaces_bundled`):
the catalogs of other tools in the project, and `--modes` paths, do; modegraph's own
folders and the user's sources do not (see `modegraph.modes.catalog.layers`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

__all__ = [
    "PROJECT_MARKERS",
    "ROO_CODE_EDITORS",
    "ROO_CUSTOM_MODES_ENV",
    "CatalogSource",
    "Layer",
    "bundled_library_dir",
    "catalog_sources",
    "claude_config_dir",
    "crews",
    "default_user_dir",
    "find_project_root",
    "project_root",
    "project_sources",
    "roo_code_custom_modes",
    "user_sources",
]


class Layer(StrEnum):
    """The layer a mode was loaded from, lowest first."""

    BUNDLED = "bundled"
    USER = "user"
    PROJECT = "project"
    EXPLICIT = "explicit"


PROJECT_MARKERS = (".git", ".roomodes", ".roo", ".claude")
"""Names whose presence makes a folder the project root (files or folders)."""

ROO_CUSTOM_MODES_ENV = "MODEGRAPH_ROO_CUSTOM_MODES"
"""Environment variable naming Roo Code's global `custom_modes.yaml` (empty: none)."""

ROO_CODE_EDITORS = ("Code", "Code - Insiders", "VSCodium", "Cursor", "Windsurf")
"""VS Code builds whose user folder is searched for Roo Code's global modes, in order."""

_ROO_SETTINGS = ("User", "globalStorage", "rooveterinaryinc.roo-cline", "settings")


@dataclass(frozen=True)
class CatalogSource:
    """One place a catalog is loaded from."""

    layer: Layer
    """The layer its modes belong to."""
    path: Path
    """The file or folder (it may not exist: every place looked at is listed)."""
    label: str
    """What it is, for people: `Roo Code project modes`, `Claude Code user agents`, ..."""
    replaces_bundled: bool = False
    """True when modes found here leave the bundled library out by default."""


def find_project_root(start: Path, *, home: Path | None = None) -> Path | None:
    """The first folder from `start` upwards holding a project marker, or None.

    Args:
        start: Where to start (the current folder).
        home: The user's home folder; the walk stops below it and never returns it.
            Default `Path.home()`.
    """
    home_dir = _real(home if home is not None else _home())
    current = Path(os.path.abspath(start))
    settings_only: Path | None = None
    while True:
        if _real(current) == home_dir:
            return settings_only
        if any(os.path.lexists(current / marker) for marker in PROJECT_MARKERS):
            if not _claude_settings_only(current):
                return current
            settings_only = settings_only or current
        if current.parent == current:
            return settings_only
        current = current.parent


def _claude_settings_only(folder: Path) -> bool:
    """`folder` is marked only by a `.claude/` with no `agents/` in it.

    Claude Code writes `.claude/settings.local.json` in any folder it is started in;
    such a folder is the project root only when no folder above it has a marker.
    """
    return (
        os.path.isdir(folder / ".claude")
        and not os.path.lexists(folder / ".claude" / "agents")
        and not any(os.path.lexists(folder / m) for m in PROJECT_MARKERS if m != ".claude")
    )


def project_sources(root: Path) -> list[CatalogSource]:
    """The project layer's sources under `root`, lowest first (existing or not)."""
    sources = [
        CatalogSource(Layer.PROJECT, root / ".roomodes", "Roo Code project modes", True),
        CatalogSource(
            Layer.PROJECT, root / ".roo" / "commander" / "modes", "Roo Commander modes", True
        ),
        CatalogSource(Layer.PROJECT, root / ".roo" / "modes", "Roo project mode files", True),
        CatalogSource(Layer.PROJECT, root / ".ruru" / "modes", "Roo Commander modes", True),
        CatalogSource(Layer.PROJECT, root / ".modes", "Roo Commander modes", True),
        CatalogSource(
            Layer.PROJECT, root / ".claude" / "agents", "Claude Code project agents", True
        ),
    ]
    sources.extend(CatalogSource(Layer.PROJECT, p, "CrewAI agents", True) for p in crews(root))
    sources.append(
        CatalogSource(Layer.PROJECT, root / ".modegraph" / "modes", "modegraph project modes")
    )
    return sources


def crews(root: Path) -> list[Path]:
    """The `agents.yaml` of each CrewAI crew in the project at `root`, in path order.

    Three layouts: `src/<crew>/config/agents.yaml` (`crewai create crew`),
    `src/<flow>/crews/<crew>/config/agents.yaml` (`crewai create flow`, a crew per
    folder), and `config/agents.yaml` at the root (crews written by hand); the last is
    taken only when its text is a CrewAI crew, since the name is common.
    """
    found: list[Path] = []
    src = root / "src"
    if src.is_dir():
        found += src.glob("*/config/agents.yaml")
        found += src.glob("*/crews/*/config/agents.yaml")
    top = root / "config" / "agents.yaml"
    if top.is_file() and _holds_a_crew(top):
        found.append(top)
    return sorted(found)


def _holds_a_crew(path: Path) -> bool:
    from modegraph.modes.formats.crewai.reader import looks_like_crewai_agents

    try:
        with path.open("rb") as file:
            head = file.read(200_000).decode("utf-8", errors="replace")
    except OSError:
        return True  # taken, so the loader reports why it cannot be read
    return looks_like_crewai_agents(head)


def user_sources(
    *,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
    platform: str | None = None,
    modegraph_dir: Path | None = None,
) -> list[CatalogSource]:
    """The user layer's sources, lowest first (existing or not).

    Args:
        environ: The environment (default `os.environ`).
        home: The home folder (default `Path.home()`).
        platform: `sys.platform` to resolve Roo Code's folder for (default this one).
        modegraph_dir: modegraph's user folder (default `default_user_dir()`).
    """
    env = os.environ if environ is None else environ
    home_dir = home if home is not None else _home()
    sources: list[CatalogSource] = []
    roo = roo_code_custom_modes(environ=env, home=home_dir, platform=platform)
    if roo is not None:
        sources.append(CatalogSource(Layer.USER, roo, "Roo Code global modes"))
    claude = claude_config_dir(environ=env, home=home_dir) / "agents"
    sources.append(CatalogSource(Layer.USER, claude, "Claude Code user agents"))
    own = modegraph_dir if modegraph_dir is not None else default_user_dir(environ=env)
    sources.append(CatalogSource(Layer.USER, own, "modegraph user modes"))
    return sources


def default_user_dir(*, environ: Mapping[str, str] | None = None) -> Path:
    """`$XDG_CONFIG_HOME/modegraph/modes`, or `~/.config/modegraph/modes`."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME") or str(_home() / ".config")
    return Path(base) / "modegraph" / "modes"


def claude_config_dir(
    *, environ: Mapping[str, str] | None = None, home: Path | None = None
) -> Path:
    """Claude Code's configuration folder: `$CLAUDE_CONFIG_DIR`, else `~/.claude`."""
    env = os.environ if environ is None else environ
    configured = env.get("CLAUDE_CONFIG_DIR", "").strip()
    if configured:
        return Path(configured).expanduser()
    return (home if home is not None else _home()) / ".claude"


def roo_code_custom_modes(
    *,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
    platform: str | None = None,
) -> Path | None:
    """Roo Code's global `custom_modes.yaml`: where it is, or where it would be.

    `$MODEGRAPH_ROO_CUSTOM_MODES` when set (None when it is set empty); otherwise the
    first editor folder of `ROO_CODE_EDITORS` that holds the file, or the VS Code
    one when none does (so a listing of the places looked at can show it).
    """
    env = os.environ if environ is None else environ
    if ROO_CUSTOM_MODES_ENV in env:
        value = env[ROO_CUSTOM_MODES_ENV].strip()
        return Path(value).expanduser() if value else None
    base = _config_base(env, home if home is not None else _home(), platform or sys.platform)
    candidates = [
        base.joinpath(editor, *_ROO_SETTINGS, "custom_modes.yaml") for editor in ROO_CODE_EDITORS
    ]
    return next((path for path in candidates if path.is_file()), candidates[0])


def bundled_library_dir() -> Path | None:
    """The directory of the bundled library, or None when the package has none."""
    import importlib.machinery

    import modegraph

    spec = modegraph.__spec__
    if isinstance(spec.loader, importlib.machinery.SourceFileLoader) and spec.origin:
        # a package in a folder: what importlib.resources.files("modegraph") answers,
        # without importing importlib.resources (a few ms at every `modes list`)
        folder = Path(os.path.dirname(spec.origin)) / "library"
        return folder if folder.is_dir() else None
    import importlib.resources

    try:
        root = importlib.resources.files("modegraph") / "library"
    except ModuleNotFoundError:  # pragma: no cover - modegraph itself is importable
        return None
    path = Path(str(root))
    return path if path.is_dir() else None


def project_root(start: Path | str | None = None) -> Path:
    """The project root for `start` (default the current folder), or `start` itself.

    The first folder from `start` upwards holding `.git`, `.roomodes`, `.roo/` or
    `.claude/` (never the home folder); `start` when there is none.
    """
    begin = Path.cwd() if start is None else Path(start)
    return find_project_root(begin) or Path(os.path.abspath(begin))


def catalog_sources(
    *,
    paths: Iterable[Path | str] = (),
    checked: Iterable[Path | str] = (),
    user_dir: Path | str | None = None,
    project_dir: Path | str | None = None,
    discover: bool = True,
    environ: Mapping[str, str] | None = None,
) -> list[CatalogSource]:
    """Every place the catalog is loaded from, lowest first, the bundled library apart.

    Places that do not exist are listed too, so an empty catalog can name them.
    """
    sources: list[CatalogSource] = []
    if discover:
        own = None if user_dir is None else Path(user_dir)
        sources.extend(user_sources(environ=environ, modegraph_dir=own))
        sources.extend(project_sources(project_root(project_dir)))
    sources.extend(
        CatalogSource(Layer.EXPLICIT, Path(path), "--modes", replaces_bundled=True)
        for path in paths
    )
    sources.extend(CatalogSource(Layer.EXPLICIT, Path(path), "checked path") for path in checked)
    return sources


def _config_base(env: Mapping[str, str], home: Path, platform: str) -> Path:
    if platform == "darwin":
        return home / "Library" / "Application Support"
    if platform.startswith(("win", "cygwin")):
        appdata = env.get("APPDATA", "").strip()
        return Path(appdata) if appdata else home / "AppData" / "Roaming"
    configured = env.get("XDG_CONFIG_HOME", "").strip()
    return Path(configured) if configured else home / ".config"


def _home() -> Path:
    try:
        return Path.home()
    except RuntimeError:  # no HOME and no password entry: nothing is the home folder
        return Path("/nonexistent-home")


def _real(path: Path) -> str:
    """The path with symlinks resolved, never raising (a symlink loop stays as written)."""
    return os.path.realpath(path)
