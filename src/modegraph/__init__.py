"""modegraph: a multi-agent coordinator over an escalation graph of modes.

The public names below are imported on first use (PEP 562 module `__getattr__`):
every `modegraph.*` import, the command line's included, runs this file first, and
importing the whole API here would put networkx and every mode reader on the path of
`modegraph --help`. `__all__` stays the explicit list of the public API, `_EXPORTS`
says where each name lives, and type checkers see ordinary imports. Only modules and
underscored names are bound here besides the public API (a test checks `__all__`).
"""

import importlib
import typing

if typing.TYPE_CHECKING:
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

_EXPORTS: dict[str, str] = {
    **dict.fromkeys(
        (
            "BudgetExceeded",
            "CatalogError",
            "ConfigError",
            "GraphBuildError",
            "GuardTripped",
            "HandoffRefused",
            "JournalError",
            "ModeFileError",
            "ModegraphError",
            "ProviderError",
            "RunError",
            "SetupError",
            "ToolRefused",
        ),
        "modegraph.errors",
    ),
    **dict.fromkeys(("Code", "Finding", "Severity"), "modegraph.findings"),
    **dict.fromkeys(
        ("Catalog", "EdgeKind", "Mode", "Reference", "SourceInfo", "ToolGroup"), "modegraph.modes"
    ),
    **dict.fromkeys(("Edge", "EscalationGraph"), "modegraph.roles"),
}
"""The module each public name is imported from."""


def __getattr__(name: str) -> typing.Any:
    """Import a public name on first use and keep it in the module."""
    module = _EXPORTS.get(name)
    if module is None:
        msg = f"module 'modegraph' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The module's names, the not yet imported public ones included."""
    return sorted({*globals(), *__all__})
