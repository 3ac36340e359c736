"""Ctrl-C during `modegraph run`: a message naming the task and how to resume, exit 130."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from modegraph.agents.rule.agent import RuleAgent
from modegraph.cli.app import app

GOAL = "Build a users API with signup and login, a Postgres schema with migrations"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    (tmp_path / ".git").mkdir()
    return tmp_path


def _interrupt_the_first_specialist(monkeypatch: pytest.MonkeyPatch) -> None:
    real = RuleAgent.run

    def run(self: RuleAgent, turn: Any) -> Any:
        if turn.mode.slug != "fastapi-developer":
            raise KeyboardInterrupt  # what Ctrl-C raises in the main thread
        return real(self, turn)

    monkeypatch.setattr(RuleAgent, "run", run)


@pytest.mark.parametrize("json_out", [False, True])
def test_ctrl_c_names_the_task_and_resume_finishes_it(
    monkeypatch: pytest.MonkeyPatch, in_tmp: Path, json_out: bool
) -> None:
    _interrupt_the_first_specialist(monkeypatch)
    extra = ["--json"] if json_out else []
    result = CliRunner().invoke(app, ["run", GOAL, "--mode", "fastapi-developer", *extra])
    assert result.exit_code == 130, result.output
    [task] = [
        p.stem
        for p in (in_tmp / "project_journal" / "tasks").glob("TASK-*.md")
        if "." not in p.stem
    ]
    assert f"interrupted: {task} stopped at its last checkpoint" in result.stderr
    assert f"`modegraph resume {task}`" in result.stderr
    if json_out:
        assert json.loads(result.stdout)["status"] == "interrupted"
    monkeypatch.undo()
    monkeypatch.chdir(in_tmp)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(in_tmp / "config"))
    done = CliRunner().invoke(app, ["resume", task])
    assert done.exit_code == 0, done.output
    assert "Status: completed" in done.stdout


def test_ctrl_c_in_the_first_turn_still_names_the_task(
    monkeypatch: pytest.MonkeyPatch, in_tmp: Path
) -> None:
    # Before any event was shown: the task id is reserved and its journal file exists.
    def run(self: RuleAgent, turn: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(RuleAgent, "run", run)
    result = CliRunner().invoke(
        app, ["run", GOAL, "--mode", "fastapi-developer", "--checkpoint", "sqlite:///cp.db"]
    )
    assert result.exit_code == 130, result.output
    [task] = [p.stem for p in (in_tmp / "project_journal" / "tasks").glob("TASK-*.md")]
    # the hint is a command that works: the checkpoint the run used is in it
    hint = f"`modegraph resume {task} --checkpoint sqlite:///cp.db`"
    assert hint in " ".join(result.stderr.split())
    assert "nothing was written" not in result.stderr


def test_the_approval_hint_repeats_the_journal_and_checkpoint_the_run_used(in_tmp: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "run",
            GOAL,
            "--mode",
            "fastapi-developer",
            "--approve",
            "escalations",
            "--journal",
            "my journal",
            "--checkpoint",
            "sqlite:///cp.db",
        ],
    )
    assert result.exit_code == 2, result.output
    line = " ".join(result.stdout.split())
    [task] = [
        p.stem for p in (in_tmp / "my journal" / "tasks").glob("TASK-*.md") if "." not in p.stem
    ]
    again = f"modegraph resume {task} --journal 'my journal' --checkpoint sqlite:///cp.db --approve"
    assert again in line
    done = CliRunner().invoke(
        app,
        ["resume", task, "--journal", "my journal", "--checkpoint", "sqlite:///cp.db", "--approve"],
    )
    assert done.exit_code == 0, done.output
