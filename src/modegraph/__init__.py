"""modegraph: a multi-agent coordinator over an escalation graph of modes.

The public names below are imported on first use (PEP 562 module `__getattr__`):
every `modegraph.*` import, the command line's included, runs this file first, and
importing the whole API here would put networkx, LangGraph and every mode reader on
the path of `modegraph --help`. `__all__` is the explicit, grouped list of the public
API; `_EXPORTS` says where each name lives (a test checks the two agree, group by
group); type checkers see ordinary imports.

Groups: errors, findings, modes (files -> `Mode`, catalogs), roles (hierarchy,
escalation graph, lint, pictures), coordinator (the LangGraph state machine), agents
(the agent protocol, the rule agent, the chat agent),
journal (the Markdown task journal). Test helpers live in `modegraph.testing`.
"""

import typing

from modegraph import _moved
from modegraph._lazy import lazy_exports as _lazy_exports

_moved.install()

if typing.TYPE_CHECKING:
    from modegraph.agents import (
        Agent,
        AgentReport,
        HandoffRequest,
        RoleTurn,
        RuleAgent,
    )
    from modegraph.agents.chat import (
        ChatAgent,
    )
    from modegraph.coordinator import (
        Decision,
        Policy,
        Runner,
        RunResult,
        RunStatus,
        build_coordinator,
    )
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
    from modegraph.findings import (
        Code,
        Finding,
        Severity,
    )
    from modegraph.journal import (
        Entry,
        EntryKind,
        Journal,
        TaskRecord,
        TaskStatus,
    )
    from modegraph.modes import (
        Catalog,
        EdgeKind,
        Mode,
        ProjectConfig,
        Reference,
        SourceInfo,
        ToolGroup,
        load_catalog,
        load_config,
        load_file,
        load_paths,
        load_text,
    )
    from modegraph.roles import (
        Edge,
        EscalationGraph,
        Level,
        Tier,
        lint_catalog,
        parse_level,
        render_graph,
    )

__version__ = "0.1.0"

__all__ = [  # noqa: RUF022 (grouped, not sorted)
    # errors
    "ModegraphError",
    "SetupError",
    "ModeFileError",
    "CatalogError",
    "ConfigError",
    "GraphBuildError",
    "ProviderError",
    "RunError",
    "HandoffRefused",
    "GuardTripped",
    "BudgetExceeded",
    "ToolRefused",
    "JournalError",
    # findings
    "Finding",
    "Code",
    "Severity",
    # modes
    "Mode",
    "Reference",
    "ToolGroup",
    "SourceInfo",
    "EdgeKind",
    "Catalog",
    "ProjectConfig",
    "load_catalog",
    "load_config",
    "load_file",
    "load_paths",
    "load_text",
    # roles
    "EscalationGraph",
    "Edge",
    "Level",
    "Tier",
    "parse_level",
    "lint_catalog",
    "render_graph",
    # coordinator
    "build_coordinator",
    "Runner",
    "RunResult",
    "RunStatus",
    "Policy",
    "Decision",
    # agents
    "Agent",
    "RoleTurn",
    "AgentReport",
    "HandoffRequest",
    "RuleAgent",
    # chat
    "ChatAgent",
    # journal
    "Journal",
    "TaskRecord",
    "Entry",
    "EntryKind",
    "TaskStatus",
    "__version__",
]

_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "errors": (
        "modegraph.errors",
        (
            "ModegraphError",
            "SetupError",
            "ModeFileError",
            "CatalogError",
            "ConfigError",
            "GraphBuildError",
            "ProviderError",
            "RunError",
            "HandoffRefused",
            "GuardTripped",
            "BudgetExceeded",
            "ToolRefused",
            "JournalError",
        ),
    ),
    "findings": (
        "modegraph.findings",
        (
            "Finding",
            "Code",
            "Severity",
        ),
    ),
    "modes": (
        "modegraph.modes",
        (
            "Mode",
            "Reference",
            "ToolGroup",
            "SourceInfo",
            "EdgeKind",
            "Catalog",
            "ProjectConfig",
            "load_catalog",
            "load_config",
            "load_file",
            "load_paths",
            "load_text",
        ),
    ),
    "roles": (
        "modegraph.roles",
        (
            "EscalationGraph",
            "Edge",
            "Level",
            "Tier",
            "parse_level",
            "lint_catalog",
            "render_graph",
        ),
    ),
    "coordinator": (
        "modegraph.coordinator",
        (
            "build_coordinator",
            "Runner",
            "RunResult",
            "RunStatus",
            "Policy",
            "Decision",
        ),
    ),
    "agents": (
        "modegraph.agents",
        (
            "Agent",
            "RoleTurn",
            "AgentReport",
            "HandoffRequest",
            "RuleAgent",
        ),
    ),
    "chat": (
        "modegraph.agents.chat",
        ("ChatAgent",),
    ),
    "journal": (
        "modegraph.journal",
        (
            "Journal",
            "TaskRecord",
            "Entry",
            "EntryKind",
            "TaskStatus",
        ),
    ),
}
"""Each group of the public API: the module it comes from and its names, in order."""

_EXPORTS: dict[str, str] = {name: module for module, names in _GROUPS.values() for name in names}
"""The module each public name is imported from."""


__getattr__, __dir__ = _lazy_exports("modegraph", _EXPORTS, __all__, globals())
