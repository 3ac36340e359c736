"""`modegraph run --model ... --workspace --yes` and command approvals through `resume`.

The provider is replaced in the test by a strict `ScriptedChatModel` (no network);
everything else — the CLI, the sandboxed tools, the checkpoint — is real.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from modegraph.agents.chat import providers
from modegraph.cli.app import app
from modegraph.coordinator import stored_settings
from modegraph.testing import ScriptedChatModel as Scripted
from modegraph.testing import ScriptStep

MODES = """\
modes:
- slug: dev
  name: Developer
  description: Writes and tests the code.
  tool_groups: [read, edit, command]
  delegates_to:
  - slug: writer
    note: For the docs
- slug: writer
  name: Writer
  description: Writes the documentation.
  tool_groups: [read]
"""
TOUCH = ["touch", "ran.txt"]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scripted_chooser: type) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    (tmp_path / "team.mode.yaml").write_text(MODES, encoding="utf-8")
    (tmp_path / "ws").mkdir()
    return tmp_path


def cli(model_steps: Sequence[ScriptStep], *args: str) -> tuple[int, str, str]:
    with Scripted(steps=list(model_steps)) as model:
        providers.ModelChooser.model = model  # type: ignore[attr-defined] # ScriptedChooser
        result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    providers.ModelChooser.model = None  # type: ignore[attr-defined]
    return result.exit_code, result.stdout, result.stderr


def run_args() -> list[str]:
    return ["run", "Touch the file", "--modes", "team.mode.yaml", "--no-bundled", "--mode", "dev"]


def touch_then_complete() -> list[ScriptStep]:
    return [
        Scripted.tool_call("run_command", {"command": TOUCH}),
        Scripted.complete("Done"),
    ]


def test_without_yes_the_command_waits_and_resume_approve_runs_it(project: Path) -> None:
    code, out, _ = cli(
        touch_then_complete(), *run_args(), "--model", "x:y", "--workspace", "ws", "--json"
    )
    assert code == 2
    data = json.loads(out)
    assert data["status"] == "waiting_approval"
    assert not (project / "ws" / "ran.txt").exists()
    settings = stored_settings(data["task_id"], journal_root=project / "project_journal")
    assert settings.workspace == str((project / "ws").resolve())
    assert settings.yes is False
    code, out, _ = cli(touch_then_complete(), "resume", data["task_id"], "--approve", "--json")
    assert code == 0, out
    assert json.loads(out)["status"] == "completed"
    assert (project / "ws" / "ran.txt").is_file()
    assert not (project / "ran.txt").exists()


def test_resume_reject_tells_the_role(project: Path) -> None:
    code, out, _ = cli(touch_then_complete(), *run_args(), "--model", "x:y", "--workspace", "ws")
    assert code == 2
    assert "Waiting for approval: dev wants to run `touch ran.txt` in `.`" in out
    task_id = out.split("modegraph resume ", 1)[1].split()[0]
    rejected: list[ScriptStep] = [
        lambda messages: Scripted.complete(
            "Skipped" if "rejected (not in CI)" in messages[0].text else "WRONG PROMPT"
        )
    ]
    code, out, _ = cli(rejected, "resume", task_id, "--reject", "not in CI")
    assert code == 0
    assert "Summary: Skipped" in out
    assert not (project / "ws" / "ran.txt").exists()


def test_yes_runs_every_command_and_is_stored(project: Path) -> None:
    code, out, _ = cli(
        touch_then_complete(), *run_args(), "--model", "x:y", "--workspace", "ws", "--yes", "--json"
    )
    assert code == 0
    assert (project / "ws" / "ran.txt").is_file()
    task_id = json.loads(out)["task_id"]
    assert stored_settings(task_id, journal_root=project / "project_journal").yes is True


def test_workspace_defaults_to_the_current_directory_and_its_allowlist(project: Path) -> None:
    (project / "modegraph.yaml").write_text("commands:\n  allow: ['^touch ']\n", encoding="utf-8")
    code, out, _ = cli(touch_then_complete(), *run_args(), "--model", "x:y", "--json")
    assert code == 0, out
    assert (project / "ran.txt").is_file()


def test_in_a_terminal_run_asks_about_the_command(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from modegraph.cli import _running as run_module

    monkeypatch.setattr(run_module, "interactive", lambda json_out: not json_out)
    questions: list[str] = []

    def confirm(question: str, **_: object) -> bool:
        questions.append(question)
        return True

    monkeypatch.setattr("modegraph.cli._run_view.typer.confirm", confirm)
    steps = [*touch_then_complete(), *touch_then_complete()]
    code, _, _ = cli(steps, *run_args(), "--model", "x:y", "--workspace", "ws")
    assert code == 0
    assert questions == ["Approve: dev wants to run `touch ran.txt` in `.`?"]
    assert (project / "ws" / "ran.txt").is_file()


def test_a_missing_workspace_is_a_usage_error(project: Path) -> None:
    code, _, err = cli([], *run_args(), "--model", "x:y", "--workspace", "nowhere")
    assert code == 2
    assert "nowhere" in err


def test_resume_when_the_workspace_is_gone(project: Path) -> None:
    code, out, _ = cli(
        touch_then_complete(), *run_args(), "--model", "x:y", "--workspace", "ws", "--json"
    )
    assert code == 2
    (project / "ws").rmdir()
    code, _, err = cli([], "resume", json.loads(out)["task_id"], "--approve")
    assert code != 0
    assert "is not a directory" in err
