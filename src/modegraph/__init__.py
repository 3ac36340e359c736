"""modegraph: a multi-agent coordinator over an escalation graph of modes."""

from modegraph.errors import (
    BudgetExceeded,
    CatalogError,
    ConfigError,
    GraphBuildError,
    GuardTripped,
    HandoffRefused,
    JournalError,
    ModeFileError,
    ModegraphError,
    ProviderError,
    RunError,
    SetupError,
    ToolRefused,
)
from modegraph.findings import Code, Finding, Severity
from modegraph.modes import Catalog, EdgeKind, Mode, Reference, SourceInfo, ToolGroup
from modegraph.roles import Edge, EscalationGraph

__version__ = "0.1.0"

__all__ = [
    # errors
    "BudgetExceeded",
    # modes
    "Catalog",
    "CatalogError",
    # findings
    "Code",
    "ConfigError",
    # roles
    "Edge",
    "EdgeKind",
    "EscalationGraph",
    "Finding",
    "GraphBuildError",
    "GuardTripped",
    "HandoffRefused",
    "JournalError",
    "Mode",
    "ModeFileError",
    "ModegraphError",
    "ProviderError",
    "Reference",
    "RunError",
    "SetupError",
    "Severity",
    "SourceInfo",
    "ToolGroup",
    "ToolRefused",
    "__version__",
]
