"""Build a catalog from its layers of sources.

From lowest to highest (a later slug overrides an earlier one, as Roo Code's project
modes override its global ones and Claude Code's project agents its user agents):

1. `bundled`: the library shipped in the package (`modegraph/library/`);
2. `user`: Roo Code's global `custom_modes.yaml`, Claude Code's `~/.claude/agents`,
   modegraph's `~/.config/modegraph/modes` (see `sources.user_sources`);
3. `project`: from the project root found by walking up from the current folder,
   `.roomodes`, Roo Commander's `.roo/commander/modes` (and `.roo/modes`,
   `.ruru/modes`, `.modes`), `.claude/agents`, CrewAI's crews (`sources.crews`),
   `.modegraph/modes` (see `sources.project_sources`);
4. `explicit`: each `--modes PATH`, in the order given.

Each override is an info `overridden` finding; `Catalog.overrides` lists the pairs.
A file two layers name (a `--modes .roomodes` inside the project) is read once, in
the lower layer. `discover=False` reads neither the user nor the project layer.

**The bundled library is a starter catalog.** By default (`include_bundled=None`) it
is the lowest layer only while nothing else gives the catalog its modes: it is left
out when `--modes` paths are given (they name the catalog: a missing or broken file
then gives an empty catalog and an error, never a silent run on the bundled modes),
and when the project holds a catalog of another tool (`.roomodes`, `.roo/`,
`.claude/agents`, a CrewAI crew) with at least one mode, so a Claude Code project
routes among its own agents and not among 14 extra ones. Such a catalog that fails to
load (a `.roomodes` that is not JSON: no modes, an error) replaces it too, so the
command stops on the empty catalog and its findings instead of running on the bundled
modes as if the project had none. modegraph's own
folders (`.modegraph/modes`, `~/.config/modegraph/modes`) and the user's global
sources extend the bundled library instead (`modes new` writes there, with
references to bundled modes). `include_bundled=True` (`--bundled`) always includes
it, `False` (`--no-bundled`) never does; `Catalog.bundled` says what happened.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.catalog.catalog import Catalog, SourceReport
from modegraph.modes.catalog.crews import separate_crews
from modegraph.modes.catalog.loader import load_paths
from modegraph.modes.catalog.sources import (
    CatalogSource,
    Layer,
    bundled_library_dir,
    catalog_sources,
    default_user_dir,
    project_root,
)
from modegraph.modes.formats.reading import ReadResult
from modegraph.modes.model import Mode

__all__ = [
    "Layer",
    "bundled_library_dir",
    "catalog_sources",
    "default_user_dir",
    "load_catalog",
    "project_root",
]


def load_catalog(
    *,
    paths: Iterable[Path | str] = (),
    include_bundled: bool | None = None,
    user_dir: Path | str | None = None,
    project_dir: Path | str | None = None,
    aliases: Mapping[str, str] | None = None,
    discover: bool = True,
    environ: Mapping[str, str] | None = None,
    checked: Iterable[Path | str] = (),
) -> Catalog:
    """Load every layer into one catalog.

    Args:
        paths: explicit files or directories (`--modes`), highest layer, in order.
        include_bundled: the bundled library as the lowest layer: None (the default)
            unless `paths` are given or the project has another tool's catalog, True
            always, False never.
        user_dir: modegraph's user folder; default `default_user_dir()`.
        project_dir: where to look for the project root (default the current folder);
            the root's `modegraph.yaml` is read for aliases.
        aliases: extra aliases (`--alias`), over those of `modegraph.yaml`.
        discover: read the user and project layers (False: only `paths` and the
            bundled library, for scripts).
        environ: the environment for the user sources (default `os.environ`).
        checked: files or folders checked inside the catalog (`modes validate PATH`,
            the file `modes new` wrote): the highest layer, but they never leave the
            bundled library out, so their references to bundled modes resolve.

    Raises:
        ConfigError: `modegraph.yaml` is not valid.
    """
    given = list(paths)
    root = project_root(project_dir) if discover else Path(project_dir or Path.cwd())
    config_aliases = _config_aliases(root)
    sources = catalog_sources(
        paths=given,
        checked=checked,
        user_dir=user_dir,
        project_dir=project_dir,
        discover=discover,
        environ=environ,
    )
    read = [(source, _load(source)) for source in sources]
    separate_crews(result for _, result in read)  # each crew of a flow is a source
    library = bundled_library_dir()
    bundled = include_bundled
    if bundled is None:  # `--modes` names the catalog; a project's own catalog replaces it
        bundled = not given and not any(
            source.replaces_bundled and _is_a_catalog(result) for source, result in read
        )
    loaded: list[tuple[CatalogSource, ReadResult | None]] = list(read)
    if bundled and library is not None:
        loaded.insert(0, (CatalogSource(Layer.BUNDLED, library, "bundled library"), None))

    modes: list[Mode] = []
    findings: list[Finding] = []
    reports: list[SourceReport] = []
    first_seen: dict[str, tuple[int, Mode]] = {}
    seen_files = _SeenFiles()
    for index, (source, known) in enumerate(loaded):
        result = known if known is not None else load_paths([source.path])
        fresh = seen_files.fresh(result)  # a file met in a lower layer is read only once
        findings.extend(fresh.findings)
        kept = _in_layer(fresh, source.layer)
        reports.append(_report(source, kept, fresh))
        for mode in kept:
            earlier = first_seen.get(mode.slug)
            if earlier is not None and earlier[0] != index:  # within a source: the loader's
                findings.append(_overridden(earlier[1], mode))
            first_seen[mode.slug] = (index, mode)
            modes.append(mode)
    return Catalog(
        modes,
        findings=findings,
        aliases={**config_aliases, **(aliases or {})},
        sources=reports,
        bundled=bool(bundled and library is not None),
        project_root=str(root),
    )


def _load(source: CatalogSource) -> ReadResult:
    """Read a source that exists (or was named with --modes); nothing for an absent place."""
    if source.layer is Layer.EXPLICIT or os.path.lexists(source.path):
        return load_paths([source.path])
    return ReadResult()


def _report(source: CatalogSource, kept: list[Mode], read: ReadResult) -> SourceReport:
    return SourceReport(
        layer=source.layer.value,
        path=str(source.path),
        label=source.label,
        exists=os.path.lexists(source.path),
        modes=len(kept),
        errors=sum(1 for f in read.findings if f.severity is Severity.ERROR),
    )


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
    """The files already loaded by lower layers, by their real path (symlinks resolved)."""

    def __init__(self) -> None:
        self._seen: set[str] = set()
        self._cache: dict[str, str] = {}

    def _key(self, path: str | None) -> str | None:
        if path is None:
            return None
        key = self._cache.get(path)
        if key is None:  # os.path.realpath never raises, even on a symlink loop
            key = self._cache[path] = os.path.realpath(path)
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


def _is_a_catalog(result: ReadResult) -> bool:
    """A source that gives modes, or was meant to and failed (an error finding)."""
    return bool(result.modes) or any(f.severity is Severity.ERROR for f in result.findings)
