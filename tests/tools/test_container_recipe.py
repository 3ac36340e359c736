"""docs/sandbox.md's container recipe, run as written against a stand-in `docker`.

Docker is not installed where these tests run, so no container starts: a `docker`
script on PATH records its arguments instead. What is checked is the part modegraph
is responsible for: the documented rule allows the wrapper, the wrapper runs in the
folder the role named and hands the container engine that folder and the command.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from modegraph.modes.config import CommandsConfig, ProjectConfig
from modegraph.modes.model import Mode, ToolGroup

DOCS = Path(__file__).parents[2] / "docs" / "sandbox.md"
DEV = Mode(slug="dev", name="Dev", tool_groups=(ToolGroup(name="read"), ToolGroup(name="command")))


def _documented(marker: str) -> str:
    blocks = re.findall(r"```(?:sh|yaml)\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    return next(block for block in blocks if marker in block)


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`mg-run` from the docs and a `docker` that records its arguments, first on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "docker-args"
    wrapper = bin_dir / "mg-run"
    wrapper.write_text(_documented("# mg-run:"), encoding="utf-8")
    docker = bin_dir / "docker"
    docker.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{record}'\n", encoding="utf-8")
    for script in (wrapper, docker):
        script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return record


def test_the_documented_wrapper_runs_the_command_in_a_container(
    engine: Path, tools_for, root: Path
) -> None:
    import yaml

    documented = yaml.safe_load(_documented("'^mg-run\\b'"))["commands"]
    config = ProjectConfig(commands=CommandsConfig(**documented))
    run = tools_for(DEV, config=config)["run_command"]
    out = run.invoke({"command": ["mg-run", "python", "-m", "pytest", "-q"], "cwd": "app"})
    assert "exit code 0" in out
    args = engine.read_text(encoding="utf-8").splitlines()
    assert args[:2] == ["run", "--rm"] and "--network=none" in args
    assert args[args.index("-v") + 1] == f"{root / 'app'}:/w"
    assert args[args.index("-w") + 1] == "/w"
    assert "--init" in args
    assert args[-7:] == ["python:3.12-slim", "timeout", "120", "python", "-m", "pytest", "-q"]


def test_the_engine_and_image_can_be_chosen(
    engine: Path, tools_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MG_IMAGE", "node:22")
    monkeypatch.setenv("MG_TIMEOUT", "30")
    config = ProjectConfig(commands=CommandsConfig(allow=(r"^mg-run\b",), pass_env=("MG_*",)))
    run = tools_for(DEV, config=config)["run_command"]
    run.invoke({"command": ["mg-run", "npm", "test"]})
    args = engine.read_text(encoding="utf-8").splitlines()
    assert args[-5:] == ["node:22", "timeout", "30", "npm", "test"]
