"""From files to a `Catalog`: discovery, reading folders, layers, reference resolution.

- `discovery`: which files in a folder are mode files, and their format by name;
- `loader`: read files and folders into modes (`load_file`, `load_paths`);
- `layers`: stack the sources, bundled < user < project < explicit (`load_catalog`);
- `resolution`: how a written reference finds its mode;
- `catalog`: the `Catalog` itself.
"""

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
