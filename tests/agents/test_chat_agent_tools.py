"""The chat agent with the real, permission-checked tools of a mode's tool groups."""

from __future__ import annotations

from pathlib import Path

from langchain_core.messages import ToolMessage

from modegraph.agents.chat.agent import ChatAgent
from modegraph.agents.protocol import ReportStatus, RoleTurn
from modegraph.modes.model import Mode, ToolGroup
from modegraph.testing import ScriptedChatModel as Scripted
from modegraph.tools import Workspace, tools_for_mode

WRITER = Mode(
    slug="technical-writer",
    name="Technical Writer",
    tool_groups=(
        ToolGroup(name="read"),
        ToolGroup(name="edit", file_regex=r"\.md$", description="Markdown files"),
    ),
)


def test_sandboxed_tools_run_and_refusals_go_back_to_the_model(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text("print('hello')\n", encoding="utf-8")
    workspace = Workspace(tmp_path)
    agent = ChatAgent(
        model=(
            model := Scripted(
                steps=[
                    Scripted.tool_call("read_file", {"path": "app/main.py"}),
                    Scripted.tool_calls(
                        [
                            ("write_file", {"path": "app/main.py", "content": "x"}),
                            ("write_file", {"path": "../outside.md", "content": "x"}),
                            ("write_file", {"path": "docs/api.md", "content": "# API\n"}),
                        ]
                    ),
                    Scripted.complete("Documented the API", references=["docs/api.md"]),
                ]
            )
        ),
        tools_for=lambda mode: tools_for_mode(mode, workspace=workspace),
    )
    report = agent.run(
        RoleTurn(task_id="T-1", subtask_id="T-1", mode=WRITER, goal="Document the API")
    )
    model.assert_all_used()
    assert model.calls[0].tools == (
        "complete",
        "read_file",
        "list_files",
        "search_files",
        "write_file",
        "edit_file",
    )
    read = model.calls[1].messages[-1]
    assert isinstance(read, ToolMessage) and read.status == "success"
    assert "print('hello')" in read.text
    results = [m for m in model.calls[2].messages if isinstance(m, ToolMessage)][1:]
    assert [m.status for m in results] == ["error", "error", "success"]
    assert "ToolRefused" in results[0].text and "app/main.py" in results[0].text
    assert "ToolRefused" in results[1].text
    assert (tmp_path / "docs" / "api.md").read_text(encoding="utf-8") == "# API\n"
    assert (tmp_path / "app" / "main.py").read_text(encoding="utf-8") == "print('hello')\n"
    assert not (tmp_path.parent / "outside.md").exists()
    assert report.status is ReportStatus.COMPLETED
    assert report.references == ("docs/api.md",)
    assert len(report.notes) == 2
    assert all(note.startswith("tool 'write_file' failed: ToolRefused") for note in report.notes)
    assert (report.llm_calls, report.tokens) == (3, 45)
