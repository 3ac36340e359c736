"""Shared fixtures for the tool tests: a workspace, a directory outside it, modes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from langchain_core.tools import BaseTool

from modegraph.modes.config import ProjectConfig
from modegraph.modes.model import Mode
from modegraph.tools import Approver, Workspace, tools_for_mode


class Journal:
    """Collects what the tools send to the journal hook."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, text: str) -> None:
        self.lines.append(text)

    @property
    def refusals(self) -> list[str]:
        return [line for line in self.lines if line.startswith("refused: ")]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    place = tmp_path / "outside"
    place.mkdir()
    (place / "secret.txt").write_text("TOP SECRET outside\n", encoding="utf-8")
    return place


@pytest.fixture
def root(tmp_path: Path, outside: Path) -> Path:
    ws = tmp_path / "ws"
    (ws / "app").mkdir(parents=True)
    (ws / "docs").mkdir()
    (ws / "app" / "main.py").write_text("print('hello')\nx = 1\nx = 1\n", encoding="utf-8")
    (ws / "docs" / "guide.md").write_text("# Guide\n\nline three\n", encoding="utf-8")
    (ws / ".env").write_text("API_KEY=sk-live-123\n", encoding="utf-8")
    (ws / "server.pem").write_text("-----BEGIN PRIVATE KEY-----\n", encoding="utf-8")
    (ws / "config").mkdir()
    (ws / "config" / "id_rsa").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    (ws / "link.txt").symlink_to(outside / "secret.txt")
    (ws / "linkdir").symlink_to(outside, target_is_directory=True)
    (ws / "readme.md").symlink_to(ws / "app" / "main.py")
    (ws / "env-alias.txt").symlink_to(ws / ".env")
    return ws


ToolsFor = Callable[..., dict[str, BaseTool]]


@pytest.fixture
def journal() -> Journal:
    return Journal()


@pytest.fixture
def tools_for(root: Path, journal: Journal) -> ToolsFor:
    def build(
        mode: Mode,
        *,
        config: ProjectConfig | None = None,
        approver: Approver | None = None,
        case_insensitive: bool | None = False,
    ) -> dict[str, BaseTool]:
        workspace = Workspace(root, case_insensitive=case_insensitive)
        tools = tools_for_mode(
            mode, workspace=workspace, config=config, approver=approver, journal_hook=journal
        )
        return {tool.name: tool for tool in tools}

    return build
