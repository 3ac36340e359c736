"""Under --json a command that fails still prints one JSON document on standard output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from modegraph.cli.app import app

runner = CliRunner()


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    (tmp_path / "bad-cases.yaml").write_text("cases: [\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["modes", "show", "nosuch"], 1),
        (["route", ""], 1),
        (["run", "Write the changelog", "--mode", "nosuch"], 1),
        (["journal", "show", "TASK-NOPE"], 1),
        (["resume", "TASK-NOPE"], 1),
        (["modes", "validate", "nosuch.yaml"], 2),
        (["test", "bad-cases.yaml"], 2),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_a_failing_command_prints_its_error_as_json(
    in_tmp: Path, args: list[str], code: int
) -> None:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == code, result.output
    document = json.loads(result.stdout)  # exactly one document, nothing else
    assert document["exit_code"] == code
    assert document["error"] and document["error"] in " ".join(result.stderr.split())


def test_without_json_standard_output_stays_empty(in_tmp: Path) -> None:
    result = runner.invoke(app, ["modes", "show", "nosuch"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "no mode 'nosuch'" in result.stderr
