"""What `modegraph modes list` prints, worked out from the catalog (`modes list` on a miss).

`modegraph.cli.modes` prints it; `modegraph.cli._list_cache` keeps it for the next
listing of unchanged files.
"""

from __future__ import annotations

import os
from collections import Counter
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from modegraph.cli._common import load_catalog_for_cli, parse_aliases
from modegraph.cli._coordination import coordinated
from modegraph.cli._list_cache import Listing
from modegraph.cli._warnings import load_warnings
from modegraph.findings import Severity
from modegraph.modes.catalog._edge_mode import EdgeMode

if TYPE_CHECKING:
    from modegraph.modes.catalog.catalog import Catalog, SourceReport
    from modegraph.modes.model import Mode

__all__ = ["listing", "where"]


def listing(
    modes: list[Path] | None,
    alias: list[str] | None,
    bundled: bool | None,
    discover: bool,
    edges: EdgeMode,
) -> Listing:
    """What `modes list` prints, read from the files (its warnings printed already)."""
    _short = _Short()
    loaded = load_catalog_for_cli(modes, alias, bundled=bundled, discover=discover)
    warnings = load_warnings(loaded, parse_aliases(alias))
    catalog = coordinated(loaded, edges=edges).catalog
    overridden = _overridden_by(catalog)
    rows = [_list_row(mode, overridden.get(mode.slug, [])) for mode in catalog]
    counts = Counter(item.severity for item in catalog.findings)
    document = {
        "modes": rows,
        "errors": counts.get(Severity.ERROR, 0),
        "warnings": counts.get(Severity.WARNING, 0),
        "project_root": catalog.project_root,
        "bundled": catalog.bundled,
        "sources": [_source_json(source) for source in catalog.sources],
    }
    columns = ("slug", "name", "level", "format", "layer", "source")
    cells = [
        [
            row["slug"],
            row["name"],
            row["level"] or "-",
            row["format"],
            row["layer"] or "-",
            where(_short(row["path"]), row["line"]),
        ]
        for row in rows
    ]
    widths = [
        max([len(column)] + [len(cell[i]) for cell in cells]) for i, column in enumerate(columns)
    ]
    lines = [(_pad(list(columns), widths), "bold")]
    for row, cell in zip(rows, cells, strict=True):
        lines.append((_pad(cell, widths), ""))
        for old in row["overrides"]:
            text = f"    overrides {where(_short(old['path']), old['line'])} ({old['layer']})"
            lines.append((text, "dim"))
    used = _from_sources(catalog, _short)
    if used:
        lines.append((f"from {used}", "dim"))
    lines.append((f"{len(rows)} modes", ""))
    return Listing(document=document, lines=lines, warnings=warnings)


def _source_json(source: SourceReport) -> dict[str, Any]:
    return {
        "layer": source.layer,
        "path": source.path,
        "label": source.label,
        "exists": source.exists,
        "modes": source.modes,
    }


def _from_sources(catalog: Catalog, _short: _Short) -> str:
    """`project .claude/agents (158), bundled library (14)`: the places that gave modes."""
    used = [
        f"{source.layer} {_short(source.path) if source.layer != 'bundled' else 'library'} "
        f"({source.modes})"
        for source in catalog.sources
        if source.modes
    ]
    return ", ".join(used)


def _overridden_by(catalog: Catalog) -> dict[str, list[Mode]]:
    found: dict[str, list[Mode]] = {}
    for old, new in catalog.overrides:
        if old.source.path != new.source.path:
            found.setdefault(new.slug, []).append(old)
    return found


def _list_row(mode: Mode, overrides: list[Mode]) -> dict[str, Any]:
    return {
        "slug": mode.slug,
        "name": mode.name,
        "emoji": mode.emoji,
        "level": mode.level,
        "format": mode.source.format.value,
        "layer": mode.source.layer,
        "path": mode.source.path,
        "line": mode.source.line,
        "overrides": [
            {"path": old.source.path, "line": old.source.line, "layer": old.source.layer}
            for old in overrides
        ],
    }


def where(path: str | None, line: int | None) -> str:
    if path is None:
        return ""
    return f"{path}:{line}" if line is not None else path


def _pad(cells: list[str], widths: list[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()


class _Short:
    """Shortens paths as a person reads them (`_short`), for one listing.

    The folders it compares with (the bundled library, the current folder, the
    project root, the home folder) are resolved once, on first need, not once per
    row: a listing of a hundred modes used to resolve them for every row.
    """

    def __call__(self, path: str | None) -> str | None:
        """A path as a person reads it.

        `<bundled>/x` in the bundled library; relative to the current folder when it is
        inside it or inside the project around it (`../../.roomodes`); `~/...` in the home
        folder; else as given.
        """
        if path is None:
            return None
        resolved = Path(os.path.realpath(path))
        real_library = self._library
        if real_library is not None and real_library in resolved.parents:
            return f"<bundled>/{resolved.relative_to(real_library)}"
        here, root = self._here_and_root
        if resolved == here or here in resolved.parents or root in resolved.parents:
            return os.path.relpath(resolved, here)
        home = self._home
        if home in resolved.parents:
            return str(Path("~") / resolved.relative_to(home))
        return path

    @cached_property
    def _library(self) -> Path | None:
        from modegraph.modes.catalog.layers import bundled_library_dir

        library = bundled_library_dir()
        return Path(os.path.realpath(library)) if library is not None else None

    @cached_property
    def _here_and_root(self) -> tuple[Path, Path]:
        from modegraph.modes.catalog.layers import project_root

        here = Path(os.path.realpath(Path.cwd()))
        return here, Path(os.path.realpath(project_root()))

    @cached_property
    def _home(self) -> Path:
        return Path(os.path.realpath(Path.home()))
