"""A role's tool groups as LangChain tools, checked against its permissions.

`tools_for_mode` gives a role exactly the tools of its groups:

| group    | tools                                        |
|----------|----------------------------------------------|
| read     | `read_file`, `list_files`, `search_files`    |
| edit     | `write_file`, `edit_file` (limited by `fileRegex`) |
| command  | `run_command` (allowlist or approval)        |
| browser  | `fetch_url` (only when `browser.allow` is true) |
| mcp      | the tools of the servers in `mcp.servers`    |

Every path goes through the `Workspace` sandbox and is opened through directory
descriptors; `Protected` adds the run's own journal, checkpoint and mode sources to
the files no role may write; `commands.allow` rules mean what `rules` says. A
refused call raises `modegraph.errors.ToolRefused` after sending `refused: ...` to
the journal hook; bad input (a missing file, an ambiguous edit) comes back to the
model as a tool error. docs/sandbox.md says what is guaranteed and what is not.
"""

from __future__ import annotations

from modegraph import _moved
from modegraph.tools.context import ToolContext
from modegraph.tools.groups import (
    GROUP_TOOLS,
    describe_permissions,
    tools_for_mode,
    write_rule_for,
)
from modegraph.tools.mcp import (
    afetch_mcp_tools,
    aload_mcp_tools,
    bind_mcp_tools,
    fetch_mcp_tools,
    load_mcp_tools,
    mcp_connections,
)
from modegraph.tools.permissions import (
    SECRET_PATTERNS,
    AllowAll,
    AllowList,
    Approver,
    CallableApprover,
    CommandRequest,
    JournalHook,
    WriteRule,
    allowlist_match,
    is_secret,
    protected_reason,
)
from modegraph.tools.process import CommandResult, command_environment, execute
from modegraph.tools.protection import Protected
from modegraph.tools.workspace import PathKind, ResolvedPath, Workspace

__all__ = [
    "GROUP_TOOLS",
    "SECRET_PATTERNS",
    "AllowAll",
    "AllowList",
    "Approver",
    "CallableApprover",
    "CommandRequest",
    "CommandResult",
    "JournalHook",
    "PathKind",
    "Protected",
    "ResolvedPath",
    "ToolContext",
    "Workspace",
    "WriteRule",
    "afetch_mcp_tools",
    "allowlist_match",
    "aload_mcp_tools",
    "bind_mcp_tools",
    "command_environment",
    "describe_permissions",
    "execute",
    "fetch_mcp_tools",
    "is_secret",
    "load_mcp_tools",
    "mcp_connections",
    "protected_reason",
    "tools_for_mode",
    "write_rule_for",
]


def __getattr__(name: str) -> object:
    """`SandboxedAgent` and `ToolsFor` moved to `modegraph.agents`; the old names warn."""
    if name in _MOVED_NAMES:
        return _moved.moved_name(__name__, name, "modegraph.agents.sandboxed")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


_MOVED_NAMES = frozenset({"SandboxedAgent", "ToolsFor"})
