"""Build a catalog from its layers of sources.

From lowest to highest:

1. `bundled`: the library shipped in the package (`modegraph/library/`);
2. `user`: `~/.config/modegraph/modes` (`$XDG_CONFIG_HOME/modegraph/modes` when set);
3. `project`: `./.modegraph/modes` and `./.roomodes` in the project directory;
4. `explicit`: each `--modes PATH`, in the order given.

A slug from a higher layer overrides the same slug from a lower one (as Roo
Code's project modes override its global ones); each override is an info
`overridden` finding, and `Catalog.overrides` lists the pairs.
"""

from __future__ import annotations

import importlib.resources
import os
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.catalog.catalog import Catalog
from modegraph.modes.catalog.loader import load_paths
from modegraph.modes.formats.reading import ReadResult
from modegraph.modes.model import Mode

__all__ = ["Layer", "bundled_library_dir", "default_user_dir", "load_catalog"]


class Layer(StrEnum):
    """The layer a mode was loaded from, lowest first."""

    BUNDLED = "bundled"
    USER = "user"
    PROJECT = "project"
    EXPLICIT = "explicit"


def default_user_dir() -> Path:
    """`$XDG_CONFIG_HOME/modegraph/modes`, or `~/.config/modegraph/modes`."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "modegraph" / "modes"


def bundled_library_dir() -> Path | None:
    """The directory of the bundled library, or None when the package has none."""
    try:
        root = importlib.resources.files("modegraph") / "library"
    except ModuleNotFoundError:  # pragma: no cover - modegraph itself is importable
        return None
    path = Path(str(root))
    return path if path.is_dir() else None


def load_catalog(
    *,
    paths: Iterable[Path | str] = (),
    include_bundled: bool = True,
    user_dir: Path | str | None = None,
    project_dir: Path | str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> Catalog:
    """Load every layer into one catalog.

    Args:
        paths: explicit files or directories (`--modes`), highest layer, in order.
        include_bundled: load the bundled library as the lowest layer.
        user_dir: the user layer; default `default_user_dir()`.
        project_dir: the project directory; default the current directory. Its
            `.modegraph/modes`, `.roomodes` and `modegraph.yaml` are read.
        aliases: extra aliases (`--alias`), over those of `modegraph.yaml`.

    Raises:
        ConfigError: `modegraph.yaml` is not valid.
    """
    project = Path.cwd() if project_dir is None else Path(project_dir)
    config_aliases = _config_aliases(project)
    stack: list[tuple[Layer, list[Path]]] = []
    library = bundled_library_dir() if include_bundled else None
    if library is not None:
        stack.append((Layer.BUNDLED, [library]))
    user = default_user_dir() if user_dir is None else Path(user_dir)
    stack.append((Layer.USER, [user] if user.is_dir() else []))
    local = [project / ".modegraph" / "modes", project / ".roomodes"]
    stack.append((Layer.PROJECT, [path for path in local if path.exists()]))
    stack.extend((Layer.EXPLICIT, [Path(path)]) for path in paths)

    modes: list[Mode] = []
    findings: list[Finding] = []
    first_seen: dict[str, tuple[int, Mode]] = {}
    seen_files = _SeenFiles()
    for index, (layer, layer_paths) in enumerate(stack):
        if not layer_paths:
            continue
        result = load_paths(layer_paths)
        fresh = seen_files.fresh(result)  # a file met in a lower layer is read only once
        findings.extend(fresh.findings)
        for mode in _in_layer(fresh, layer):
            earlier = first_seen.get(mode.slug)
            if earlier is not None and earlier[0] != index:
                findings.append(_overridden(earlier[1], mode))
            first_seen[mode.slug] = (index, mode)
            modes.append(mode)
    return Catalog(modes, findings=findings, aliases={**config_aliases, **(aliases or {})})


def _config_aliases(project: Path) -> dict[str, str]:
    """The aliases of the project's `modegraph.yaml`, if it has one.

    The configuration module (its pydantic models, the YAML parser) is imported only
    when there is a file to read: `modegraph modes list` starts faster without it.

    Raises:
        ConfigError: `modegraph.yaml` is not valid.
    """
    if not (project / "modegraph.yaml").is_file():  # config.CONFIG_FILE_NAME
        return {}
    from modegraph.modes.config import load_config

    return dict(load_config(project).aliases)


class _SeenFiles:
    """The files already loaded by lower layers, by resolved path."""

    def __init__(self) -> None:
        self._seen: set[Path] = set()
        self._cache: dict[str, Path] = {}

    def _key(self, path: str | None) -> Path | None:
        if path is None:
            return None
        key = self._cache.get(path)
        if key is None:
            key = self._cache[path] = Path(path).resolve()
        return key

    def fresh(self, result: ReadResult) -> ReadResult:
        """The part of `result` from files no lower layer has loaded; remembers its files."""
        kept = ReadResult(
            modes=[m for m in result.modes if self._key(m.source.path) not in self._seen],
            findings=[f for f in result.findings if self._key(f.path) not in self._seen],
        )
        for item in (*(m.source.path for m in kept.modes), *(f.path for f in kept.findings)):
            key = self._key(item)
            if key is not None:
                self._seen.add(key)
        return kept


def _in_layer(result: ReadResult, layer: Layer) -> list[Mode]:
    return [
        mode.model_copy(update={"source": mode.source.model_copy(update={"layer": layer.value})})
        for mode in result.modes
    ]


def _overridden(old: Mode, new: Mode) -> Finding:
    return Finding(
        path=new.source.path,
        line=new.source.line,
        code=Code.OVERRIDDEN,
        severity=Severity.INFO,
        message=f"mode {new.slug!r} ({new.source.layer}) overrides the one from "
        f"{old.source.path} ({old.source.layer})",
        hint="rename the mode if both should be available",
        slug=new.slug,
    )
