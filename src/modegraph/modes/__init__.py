"""Mode files -> validated Mode objects. Never imports LangGraph.

The public names below are imported on first use (PEP 562 module `__getattr__`), as
in the `modegraph` package itself: importing one module of this package (say
`modegraph.modes.model`) runs this file first, and importing every reader, the
`modegraph.yaml` models and the JSON Schema models here would put them all on the
start-up path of every command (`modegraph modes list` reads Roo Commander Markdown
only, unless other formats are found).
"""

import typing

from modegraph._lazy import lazy_exports as _lazy_exports

if typing.TYPE_CHECKING:
    from modegraph.modes.catalog.catalog import Catalog
    from modegraph.modes.catalog.layers import Layer, load_catalog
    from modegraph.modes.catalog.loader import detect_format, load_file, load_paths, load_text
    from modegraph.modes.catalog.resolution import Resolution, ResolutionRule
    from modegraph.modes.checks import check_mode, check_modes
    from modegraph.modes.config import ProjectConfig, load_config
    from modegraph.modes.formats.reading import ReadResult
    from modegraph.modes.model import (
        KNOWN_TOOL_GROUPS,
        SLUG_PATTERN,
        EdgeKind,
        Mode,
        Reference,
        SourceFormat,
        SourceInfo,
        ToolGroup,
    )
    from modegraph.modes.schema import mode_file_schema

__all__ = [
    "KNOWN_TOOL_GROUPS",
    "SLUG_PATTERN",
    "Catalog",
    "EdgeKind",
    "Layer",
    "Mode",
    "ProjectConfig",
    "ReadResult",
    "Reference",
    "Resolution",
    "ResolutionRule",
    "SourceFormat",
    "SourceInfo",
    "ToolGroup",
    "check_mode",
    "check_modes",
    "detect_format",
    "load_catalog",
    "load_config",
    "load_file",
    "load_paths",
    "load_text",
    "mode_file_schema",
]

_EXPORTS: dict[str, str] = {
    "Catalog": "modegraph.modes.catalog.catalog",
    "EdgeKind": "modegraph.modes.model",
    "KNOWN_TOOL_GROUPS": "modegraph.modes.model",
    "Layer": "modegraph.modes.catalog.layers",
    "Mode": "modegraph.modes.model",
    "ProjectConfig": "modegraph.modes.config",
    "ReadResult": "modegraph.modes.formats.reading",
    "Reference": "modegraph.modes.model",
    "Resolution": "modegraph.modes.catalog.resolution",
    "ResolutionRule": "modegraph.modes.catalog.resolution",
    "SLUG_PATTERN": "modegraph.modes.model",
    "SourceFormat": "modegraph.modes.model",
    "SourceInfo": "modegraph.modes.model",
    "ToolGroup": "modegraph.modes.model",
    "check_mode": "modegraph.modes.checks",
    "check_modes": "modegraph.modes.checks",
    "detect_format": "modegraph.modes.catalog.loader",
    "load_catalog": "modegraph.modes.catalog.layers",
    "load_config": "modegraph.modes.config",
    "load_file": "modegraph.modes.catalog.loader",
    "load_paths": "modegraph.modes.catalog.loader",
    "load_text": "modegraph.modes.catalog.loader",
    "mode_file_schema": "modegraph.modes.schema",
}
"""The module each public name is imported from."""


__getattr__, __dir__ = _lazy_exports("modegraph.modes", _EXPORTS, __all__, globals())
