"""Which tools each tool group gives, and the tools of one mode."""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType

import regex
from langchain_core.tools import BaseTool

from modegraph.errors import ModeFileError
from modegraph.modes.config import ProjectConfig
from modegraph.modes.model import Mode
from modegraph.tools.browser import browser_tools
from modegraph.tools.command import command_tools
from modegraph.tools.context import ToolContext
from modegraph.tools.files import edit_tools, read_tools
from modegraph.tools.mcp import bind_mcp_tools, load_mcp_tools
from modegraph.tools.permissions import Approver, JournalHook, WriteRule
from modegraph.tools.protection import Protected
from modegraph.tools.regex_limits import compile_regex
from modegraph.tools.workspace import Workspace

__all__ = ["GROUP_TOOLS", "describe_permissions", "tools_for_mode", "write_rule_for"]

GROUP_TOOLS = MappingProxyType(
    {
        "read": ("read_file", "list_files", "search_files"),
        "edit": ("write_file", "edit_file"),
        "command": ("run_command",),
        "browser": ("fetch_url",),
        "mcp": (),
    }
)
"""The built-in tools of each tool group (mcp tools come from the configured servers)."""


def write_rule_for(mode: Mode) -> WriteRule:
    """The files `mode` may write, from its edit groups.

    Args:
        mode: The role.

    Returns:
        Disabled without an edit group; unrestricted when an edit group has no
        `fileRegex`; otherwise limited to paths matching one of the regexes.

    Raises:
        ModeFileError: A `fileRegex` is not a valid regular expression.
    """
    edits = [group for group in mode.tool_groups if group.name.lower() == "edit"]
    if not edits:
        return WriteRule(enabled=False)
    if any(group.file_regex is None for group in edits):
        return WriteRule(enabled=True)
    patterns = tuple(group.file_regex for group in edits if group.file_regex is not None)
    for pattern in patterns:
        try:
            compile_regex(pattern)
        except regex.error as exc:
            where = f"{mode.source.path}:{mode.source.line or 1}: " if mode.source.path else ""
            raise ModeFileError(
                f"{where}mode {mode.slug!r}: the edit group's fileRegex {pattern!r} is not a "
                f"valid regular expression ({exc}); fix it in the mode file"
            ) from exc
    return WriteRule(enabled=True, patterns=patterns)


def tools_for_mode(
    mode: Mode,
    *,
    workspace: Workspace,
    config: ProjectConfig | None = None,
    approver: Approver | None = None,
    journal_hook: JournalHook | None = None,
    mcp_tools: Sequence[BaseTool] | None = None,
    protected: Protected | None = None,
) -> list[BaseTool]:
    """The tools of `mode`'s tool groups, and no others.

    Args:
        mode: The role.
        workspace: The sandbox every path is resolved in.
        config: The project's `modegraph.yaml` (default: the default configuration).
        approver: Decides about commands `commands.allow` does not match; None
            refuses them (`AllowAll()` is `--yes`).
        journal_hook: Called with one line of text per refusal, write, edit and command.
        mcp_tools: MCP tools fetched already (`fetch_mcp_tools`), so the servers are not
            started again to list them; None fetches them when the mode has `mcp`.
        protected: The run's own paths no role may write (`Protected.for_run`: the
            journal, the checkpoint, the catalog's mode sources), besides the names
            that are always protected.

    Returns:
        LangChain tools, in group order (read, edit, command, browser, mcp).

    Raises:
        ModeFileError: An edit group's `fileRegex` is not valid.
        ConfigError: MCP servers are declared but cannot be loaded.
    """
    ctx = ToolContext(
        workspace=workspace,
        config=config or ProjectConfig(),
        role=mode.slug,
        write_rule=write_rule_for(mode),
        journal_hook=journal_hook,
        protected=protected or Protected(),
    )
    groups = {group.name.lower() for group in mode.tool_groups}
    tools: list[BaseTool] = []
    if "read" in groups:
        tools += read_tools(ctx)
    if "edit" in groups:
        tools += edit_tools(ctx)
    if "command" in groups:
        tools += command_tools(ctx, approver=approver)
    if "browser" in groups and ctx.config.browser.allow:
        tools += browser_tools(ctx)
    if "mcp" in groups:
        tools += load_mcp_tools(ctx) if mcp_tools is None else bind_mcp_tools(mcp_tools, ctx)
    return tools


def describe_permissions(mode: Mode, *, config: ProjectConfig | None = None) -> str:
    r"""One line saying what `mode` may do with files and commands, for a system prompt.

    Args:
        mode: The role.
        config: The project's `modegraph.yaml`.

    Returns:
        For example `read files; write files matching \.md$; no commands`.
    """
    settings = config or ProjectConfig()
    groups = {group.name.lower() for group in mode.tool_groups}
    rule = write_rule_for(mode)
    parts = ["read files" if "read" in groups else "no file reading"]
    if not rule.enabled:
        parts.append("no file writing")
    elif rule.patterns:
        parts.append("write files matching " + " or ".join(f"`{p}`" for p in rule.patterns))
    else:
        parts.append("write any file")
    parts.append("run commands" if "command" in groups else "no commands")
    if "browser" in groups and settings.browser.allow:
        parts.append("fetch web pages")
    if "mcp" in groups and settings.mcp.servers:
        parts.append("use MCP servers " + ", ".join(sorted(settings.mcp.servers)))
    return "; ".join(parts)
