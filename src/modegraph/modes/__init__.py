"""Mode files -> validated Mode objects. Never imports LangGraph."""

from modegraph.modes.catalog import Catalog
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

__all__ = [
    "KNOWN_TOOL_GROUPS",
    "SLUG_PATTERN",
    "Catalog",
    "EdgeKind",
    "Mode",
    "Reference",
    "SourceFormat",
    "SourceInfo",
    "ToolGroup",
]
