"""From files to a `Catalog`: discovery, reading folders, layers, reference resolution.

- `discovery`: which files in a folder are mode files, and their format by name;
- `loader`: read files and folders into modes (`load_file`, `load_paths`);
- `layers`: stack the sources, bundled < user < project < explicit (`load_catalog`);
- `resolution`: how a written reference finds its mode;
- `catalog`: the `Catalog` itself.

The public names below are imported on first use (PEP 562 module `__getattr__`), as
in `modegraph.modes`: importing one light module of this package (`sources`, where
the mode files live, which `modegraph modes list` reads to find its cached listing)
runs this file first, and importing the loader here would put every reader and the
pydantic models on that path.
"""

import typing

from modegraph._lazy import lazy_exports as _lazy_exports

if typing.TYPE_CHECKING:
    from modegraph.modes.catalog.catalog import Catalog
    from modegraph.modes.catalog.layers import Layer, load_catalog
    from modegraph.modes.catalog.loader import detect_format, load_file, load_paths, load_text
    from modegraph.modes.catalog.resolution import Resolution, ResolutionRule

__all__ = [
    "Catalog",
    "Layer",
    "Resolution",
    "ResolutionRule",
    "detect_format",
    "load_catalog",
    "load_file",
    "load_paths",
    "load_text",
]

_EXPORTS: dict[str, str] = {
    "Catalog": "modegraph.modes.catalog.catalog",
    "Layer": "modegraph.modes.catalog.layers",
    "Resolution": "modegraph.modes.catalog.resolution",
    "ResolutionRule": "modegraph.modes.catalog.resolution",
    "detect_format": "modegraph.modes.catalog.loader",
    "load_catalog": "modegraph.modes.catalog.layers",
    "load_file": "modegraph.modes.catalog.loader",
    "load_paths": "modegraph.modes.catalog.loader",
    "load_text": "modegraph.modes.catalog.loader",
}
"""The module each public name is imported from."""

__getattr__, __dir__ = _lazy_exports("modegraph.modes.catalog", _EXPORTS, __all__, globals())
