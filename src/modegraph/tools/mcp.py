"""The mcp group: tools of the MCP servers declared in `modegraph.yaml`.

```yaml
mcp:
  servers:
    docs: {transport: stdio, command: python, args: [docs_server.py]}
```

Tools are loaded through `langchain-mcp-adapters` (install `modegraph[mcp]`), named
`<server>_<tool>` so they cannot clash with the built-in tools, and given a
synchronous entry point as well as the adapters' asynchronous one. Each call opens
a session to its server (the adapters' default), so nothing is left running between
turns. A stdio server without a `cwd` starts in the workspace root.

A call gets the same bounds as a command: it is stopped after `commands.timeout`
seconds (a `ToolException` the model sees), and its result is cut to
`commands.max_output` characters (text blocks keep their head and tail; other
blocks that do not fit are replaced by a line saying so). On Linux a stdio server
runs under the same supervisor as commands (`process`), so when its session ends,
or when the call is stopped, every process the server started is killed too.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import threading
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar, cast

from langchain_core.tools import BaseTool, StructuredTool, ToolException

from modegraph.errors import ConfigError
from modegraph.modes.config import ProjectConfig
from modegraph.tools.context import ToolContext
from modegraph.tools.process import SUPERVISED, cut_middle, supervisor_argv
from modegraph.tools.workspace import Workspace

__all__ = [
    "MCP_LOAD_TIMEOUT",
    "afetch_mcp_tools",
    "aload_mcp_tools",
    "bind_mcp_tools",
    "fetch_mcp_tools",
    "load_mcp_tools",
    "mcp_connections",
]

MCP_LOAD_TIMEOUT = 30.0
"""Seconds to wait for the configured servers to list their tools."""
_STOP_GRACE = 15.0
"""Seconds a stopped call may take to close its session and kill its server."""

_T = TypeVar("_T")
_TRANSPORTS = frozenset({"stdio", "sse", "http", "streamable_http", "streamable-http", "websocket"})


def mcp_connections(
    servers: Mapping[str, Mapping[str, Any]], *, cwd: str | None = None
) -> dict[str, dict[str, Any]]:
    """Check the `mcp.servers` section and turn it into adapter connections.

    Args:
        servers: Server name -> settings, from `modegraph.yaml`.
        cwd: Working directory for stdio servers that do not name one.

    Returns:
        Connections for `MultiServerMCPClient`.

    Raises:
        ConfigError: A server's settings cannot work.
    """
    connections: dict[str, dict[str, Any]] = {}
    for name, settings in servers.items():
        where = f"modegraph.yaml: mcp.servers.{name}"
        connection = dict(settings)
        transport = connection.setdefault("transport", "stdio" if "command" in connection else "")
        if transport not in _TRANSPORTS:
            raise ConfigError(
                f"{where}: transport {transport!r} is not one of {sorted(_TRANSPORTS)}; "
                "set transport: stdio with a command, or transport: http with a url"
            )
        if transport == "stdio":
            if not isinstance(connection.get("command"), str) or not connection["command"]:
                raise ConfigError(f"{where}: a stdio server needs `command` (the program)")
            args = connection.setdefault("args", [])
            if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
                raise ConfigError(f"{where}: `args` must be a list of strings")
            if cwd is not None:
                connection.setdefault("cwd", cwd)
            _supervise(connection)
        elif not isinstance(connection.get("url"), str):
            raise ConfigError(f"{where}: a {transport} server needs `url`")
        connections[name] = connection
    return connections


def _supervise(connection: dict[str, Any]) -> None:
    """Run a stdio server under the process supervisor (Linux), so its tree dies with it."""
    if not SUPERVISED:  # pragma: no cover - not Linux
        return
    command = connection["command"]
    path = (connection.get("env") or {}).get("PATH") or os.environ.get("PATH", "")
    executable = shutil.which(command, path=path) if "/" not in command else command
    if executable is None:
        return  # the adapters say the server cannot start, naming the command
    # the MCP client already gave the server its graceful stop (stdin closed, SIGTERM)
    argv = supervisor_argv(executable, [command, *connection["args"]], grace=0)
    connection["command"], connection["args"] = sys.executable, argv[1:]


async def afetch_mcp_tools(config: ProjectConfig, workspace: Workspace) -> list[BaseTool]:
    """List the tools of every server in `mcp.servers`, as the adapters give them.

    These tools are asynchronous only and journal nothing; `bind_mcp_tools` makes
    them a role's tools. Listing starts each server once, so fetch once per run and
    bind per turn.

    Args:
        config: The project configuration naming the servers.
        workspace: Where stdio servers without a `cwd` start.

    Returns:
        The adapters' tools, named `<server>_<tool>`.

    Raises:
        ConfigError: `langchain-mcp-adapters` is missing, a server is misconfigured,
            or a server does not answer within `MCP_LOAD_TIMEOUT` seconds.
    """
    servers = config.mcp.servers
    if not servers:
        return []
    try:
        from langchain_mcp_adapters.client import MultiServerMCPClient
        from langchain_mcp_adapters.sessions import Connection
    except ImportError as exc:
        raise ConfigError(
            "modegraph.yaml declares MCP servers but langchain-mcp-adapters is not "
            "installed; install it with: pip install 'modegraph[mcp]'"
        ) from exc
    connections = mcp_connections(servers, cwd=str(workspace.root))
    client = MultiServerMCPClient(cast(dict[str, Connection], connections), tool_name_prefix=True)
    try:
        return await asyncio.wait_for(client.get_tools(), timeout=MCP_LOAD_TIMEOUT)
    except TimeoutError as exc:
        raise ConfigError(
            f"the MCP servers {sorted(servers)} did not list their tools within "
            f"{MCP_LOAD_TIMEOUT:g} s; check mcp.servers in modegraph.yaml"
        ) from exc
    except Exception as exc:
        raise ConfigError(
            f"cannot load tools from the MCP servers {sorted(servers)}: {exc}; check "
            "mcp.servers in modegraph.yaml"
        ) from exc


def fetch_mcp_tools(config: ProjectConfig, workspace: Workspace) -> list[BaseTool]:
    """`afetch_mcp_tools` from synchronous code (on its own thread and event loop).

    Raises:
        ConfigError: As `afetch_mcp_tools`.
    """
    if not config.mcp.servers:
        return []
    return _run_on_thread(lambda: afetch_mcp_tools(config, workspace))


def bind_mcp_tools(tools: Sequence[BaseTool], ctx: ToolContext) -> list[BaseTool]:
    """Fetched MCP tools as one role's tools: callable sync and async, calls journaled.

    Args:
        tools: From `fetch_mcp_tools` / `afetch_mcp_tools`.
        ctx: The role's sandbox (its journal hook hears each call).

    Returns:
        New tools; the fetched ones are left as they were.
    """
    return [_with_sync_entry(tool, ctx) for tool in tools]


async def aload_mcp_tools(ctx: ToolContext) -> list[BaseTool]:
    """Fetch and bind the MCP tools of `ctx`'s configuration (asynchronously).

    Raises:
        ConfigError: As `afetch_mcp_tools`.
    """
    return bind_mcp_tools(await afetch_mcp_tools(ctx.config, ctx.workspace), ctx)


def load_mcp_tools(ctx: ToolContext) -> list[BaseTool]:
    """Fetch and bind the MCP tools of `ctx`'s configuration (from synchronous code).

    Works inside a running event loop too: the fetching runs on its own thread.

    Raises:
        ConfigError: As `afetch_mcp_tools`.
    """
    return bind_mcp_tools(fetch_mcp_tools(ctx.config, ctx.workspace), ctx)


def _with_sync_entry(tool: BaseTool, ctx: ToolContext) -> BaseTool:
    if not isinstance(tool, StructuredTool) or tool.coroutine is None:
        return tool
    coroutine = tool.coroutine
    name = tool.name
    timeout = ctx.config.commands.timeout
    limit = ctx.config.commands.max_output

    async def call_async(**kwargs: Any) -> Any:
        ctx.note(f"called MCP tool `{name}`")
        finished, result = await _within(coroutine(**kwargs), timeout)
        if not finished:
            ctx.note(f"MCP tool `{name}` timed out after {timeout:g} s and was stopped")
            raise ToolException(
                f"MCP tool {name} did not answer within {timeout:g} s (commands.timeout); "
                "the call was stopped and its server's processes were killed"
            )
        return _capped(result, limit)

    def call_sync(**kwargs: Any) -> Any:
        return _run_on_thread(lambda: call_async(**kwargs), timeout=timeout + _STOP_GRACE)

    return StructuredTool(
        name=tool.name,
        description=tool.description,
        args_schema=tool.args_schema,
        func=call_sync,
        coroutine=call_async,
        response_format=tool.response_format,
        metadata=tool.metadata,
        handle_tool_error=True,
    )


async def _within(call: Awaitable[Any], timeout: float) -> tuple[bool, Any]:
    """Await `call` for at most `timeout` seconds.

    Returns:
        (True, its result), or (False, None) when it was still running at the timeout;
        it is then cancelled (which closes its session and stops its server) and
        whatever it raises while stopping is dropped.
    """
    task = asyncio.ensure_future(call)
    try:
        done, _ = await asyncio.wait({task}, timeout=timeout)
    except asyncio.CancelledError:
        task.cancel()
        raise
    if done:
        return True, task.result()
    task.cancel()
    try:
        await task
    except (asyncio.CancelledError, Exception):  # the call is being stopped
        pass
    return False, None


def _capped(result: Any, limit: int) -> Any:
    """The tool's result with its content cut to `limit` characters (artifact dropped if cut)."""
    if isinstance(result, tuple) and len(result) == 2:
        content, artifact = result
        capped, cut = _cap_content(content, limit)
        return (capped, None if cut else artifact)
    return _cap_content(result, limit)[0]


def _cap_content(content: Any, limit: int) -> tuple[Any, bool]:
    """Content (a string or a list of blocks) within `limit` characters, and whether it was cut."""
    if isinstance(content, str):
        text, omitted = cut_middle(content, limit)
        return text, omitted > 0
    if not isinstance(content, list):
        return content, False
    room = limit
    blocks: list[Any] = []
    cut = False
    for block in content:
        kept, size, shortened = _cap_block(block, room)
        blocks.append(kept)
        room -= size
        cut = cut or shortened
    return blocks, cut


def _cap_block(block: Any, room: int) -> tuple[Any, int, bool]:
    """One content block within `room` characters: (the block, its size, whether it was cut)."""
    text: str | None = block if isinstance(block, str) else None
    if isinstance(block, dict) and block.get("type") == "text":
        text = str(block.get("text", ""))
    if text is not None:
        if room > 0:
            shown, omitted = cut_middle(text, room)
        else:
            shown, omitted = f"[... {len(text)} characters of output cut ...]", len(text)
        kept = shown if isinstance(block, str) else {**block, "text": shown}
        return kept, len(shown), omitted > 0
    size = len(str(block))
    if size <= room:
        return block, size, False
    kind = block.get("type", "content") if isinstance(block, dict) else "content"
    note = f"[a {kind} block of {size} characters was cut]"
    return {"type": "text", "text": note}, len(note), True


def _run_on_thread(make: Callable[[], Awaitable[_T]], *, timeout: float | None = None) -> _T:
    """Run a coroutine to completion on a fresh event loop on its own thread.

    Raises:
        ToolException: The coroutine was still running after `timeout` seconds.
    """
    box: dict[str, Any] = {}

    def target() -> None:
        async def main() -> _T:
            return await make()

        try:
            box["value"] = asyncio.run(main())
        except BaseException as exc:  # handed to the calling thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="modegraph-mcp", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise ToolException(f"the MCP call did not stop within {timeout:g} s; it was abandoned")
    if "error" in box:
        raise box["error"]
    return cast(_T, box["value"])
