"""CLI regression tests for the mode-catalog review (issue 2 follow-up)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from modegraph.cli.app import app
from modegraph.cli.modes_write import write_atomic

runner = CliRunner()


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_written_files_respect_the_umask(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "a.mode.md"
    write_atomic(target, "x\n", overwrite=False)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    os.chmod(target, 0o640)
    write_atomic(target, "y\n", overwrite=True)  # an existing file keeps its bits
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_modes_new_file_is_world_readable_with_umask_022(
    tmp_path: Path, umask_022: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["modes", "new", "redis-helper", "--level", "033-worker-database"])
    assert result.exit_code == 0, result.output
    written = tmp_path / ".modegraph" / "modes" / "redis-helper.mode.md"
    assert stat.S_IMODE(written.stat().st_mode) == 0o644
