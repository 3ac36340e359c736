"""The README's first command (the main job) really runs and needs three specialists."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from modegraph.cli.app import app

README = Path(__file__).parents[2] / "README.md"


def main_job() -> list[str]:
    block = re.search(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert block is not None
    first = block.group(1).splitlines()[0]
    command = next(part for part in first.split("&&") if "modegraph run" in part)
    args = shlex.split(command)
    assert args[:2] == ["modegraph", "run"]
    return args[1:]


def test_the_readme_main_job_runs_on_the_bundled_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    result = CliRunner().invoke(app, [*main_job(), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status"] == "completed"
    assert data["entry"] == "fastapi-developer"
    first_hop = {s["role"] for s in data["subtasks"] if s["parent"] == data["task_id"]}
    assert first_hop == {"database-specialist", "security-specialist", "infrastructure-specialist"}
    assert (tmp_path / str(data["journal"])).is_file()
