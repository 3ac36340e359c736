"""The mcp group against a small local MCP server over stdio."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from modegraph.errors import ConfigError
from modegraph.modes.config import McpConfig, ProjectConfig
from modegraph.modes.model import Mode, ToolGroup
from modegraph.tools import ToolContext, Workspace, mcp_connections, tools_for_mode
from modegraph.tools.mcp import load_mcp_tools

pytest.importorskip("langchain_mcp_adapters", reason="the mcp extra is not installed")

SERVER = '''
import os
from mcp.server.fastmcp import FastMCP

server = FastMCP("math", log_level="ERROR")


@server.tool()
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


@server.tool()
def where() -> str:
    """The server's working directory."""
    return os.getcwd()


if __name__ == "__main__":
    server.run()
'''

MCP_ROLE = Mode(slug="mcp-user", name="MCP user", tool_groups=(ToolGroup(name="mcp"),))


@pytest.fixture
def config(tmp_path: Path) -> ProjectConfig:
    script = tmp_path / "math_server.py"
    script.write_text(SERVER, encoding="utf-8")
    servers = {"math": {"transport": "stdio", "command": sys.executable, "args": [str(script)]}}
    return ProjectConfig(mcp=McpConfig(servers=servers))


def test_mcp_tools_load_and_run_sync_and_async(
    root: Path, config, journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the server is a Python process importing the MCP SDK: on a busy host it can take
    # longer to answer than the 30 s a user gets; loading is tested here, not its timeout
    monkeypatch.setattr("modegraph.tools.mcp.MCP_LOAD_TIMEOUT", 300.0)
    tools = {
        t.name: t
        for t in tools_for_mode(
            MCP_ROLE, workspace=Workspace(root), config=config, journal_hook=journal
        )
    }
    assert set(tools) == {"math_add", "math_where"}
    assert "Add two integers" in tools["math_add"].description
    content = tools["math_add"].invoke({"a": 2, "b": 3})
    assert [block["text"] for block in content] == ["5"]
    content = asyncio.run(tools["math_where"].ainvoke({}))
    assert [block["text"] for block in content] == [str(Path(root).resolve())]
    assert journal.lines == ["called MCP tool `math_add`", "called MCP tool `math_where`"]


def test_no_servers_no_tools(root: Path) -> None:
    assert tools_for_mode(MCP_ROLE, workspace=Workspace(root)) == []


@pytest.mark.parametrize(
    ("servers", "match"),
    [
        ({"x": {"transport": "carrier-pigeon"}}, "transport 'carrier-pigeon' is not one of"),
        ({"x": {"transport": "stdio"}}, "needs `command`"),
        ({"x": {"command": "srv", "args": "--flag"}}, "must be a list of strings"),
        ({"x": {"transport": "http"}}, "needs `url`"),
    ],
)
def test_bad_server_settings_are_config_errors(servers, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        mcp_connections(servers)


def test_stdio_servers_start_in_the_workspace(root: Path) -> None:
    connections = mcp_connections({"s": {"command": "srv"}}, cwd=str(root))
    assert connections == {
        "s": {"command": "srv", "transport": "stdio", "args": [], "cwd": str(root)}
    }


def test_a_server_that_cannot_start_is_a_config_error(root: Path) -> None:
    servers = {"broken": {"command": sys.executable, "args": ["-c", "import sys; sys.exit(1)"]}}
    ctx = ToolContext(
        workspace=Workspace(root), config=ProjectConfig(mcp=McpConfig(servers=servers))
    )
    with pytest.raises(ConfigError, match="cannot load tools from the MCP servers"):
        load_mcp_tools(ctx)
