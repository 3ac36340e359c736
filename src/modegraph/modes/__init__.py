"""Mode files -> validated Mode objects. Never imports LangGraph."""

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
