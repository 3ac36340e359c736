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


def test_validate_a_directory_without_mode_files_warns_and_strict_fails(tmp_path: Path) -> None:
    (tmp_path / "seed.txt").write_text(
        "# Mode: 🚀 X (`x-dev`)\n\n## Metadata\n**Level:** 032-worker-backend\n", encoding="utf-8"
    )
    (tmp_path / "notes.txt").write_text("just notes\n", encoding="utf-8")
    result = runner.invoke(app, ["modes", "validate", str(tmp_path), "--no-bundled"])
    assert result.exit_code == 0, result.output
    assert "no-mode-files warning" in result.output
    assert "*.mode.md" in result.output and ".roomodes" in result.output
    assert "seed.txt looks like a Roo Commander mode" in result.output
    assert "notes.txt" not in result.output
    strict = runner.invoke(app, ["modes", "validate", str(tmp_path), "--strict", "--no-bundled"])
    assert strict.exit_code == 1


def test_an_agents_directory_of_claude_agents_is_read(tmp_path: Path) -> None:
    agents = tmp_path / "agents"
    agents.mkdir()
    (agents / "rev.md").write_text(
        "---\nname: rev\ndescription: Reviews code\ntools: Read, Grep\n---\nYou review code.\n",
        encoding="utf-8",
    )
    (agents / "README.md").write_text("# Agents\n\nRead me.\n", encoding="utf-8")
    result = runner.invoke(app, ["modes", "list", "--json", "--modes", str(agents)])
    assert result.exit_code == 0, result.output
    assert '"slug": "rev"' in result.output
    assert '"format": "claude"' in result.output


def test_modes_commands_take_no_bundled(tmp_path: Path) -> None:
    one = tmp_path / "solo.mode.md"
    one.write_text(
        "# Mode: Solo (`solo`)\n\n## Role Definition\nYou work alone.\n\n## Metadata\n"
        "**Level:** 032-worker-backend\n",
        encoding="utf-8",
    )
    listed = runner.invoke(app, ["modes", "list", "--json", "--no-bundled", "--modes", str(one)])
    assert listed.exit_code == 0, listed.output
    import json

    data = json.loads(listed.stdout)
    assert [row["slug"] for row in data["modes"]] == ["solo"]
    assert data["errors"] == 0 and "warnings" in data
    shown = runner.invoke(app, ["modes", "show", "fastapi-developer", "--no-bundled"])
    assert shown.exit_code == 1
    checked = runner.invoke(app, ["modes", "validate", str(one), "--no-bundled", "--json"])
    assert json.loads(checked.stdout)["modes"] == ["solo"]


def test_a_load_error_is_one_stderr_line_for_any_command(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mode.yaml"
    bad.write_text("slug: [unclosed\n", encoding="utf-8")
    shown = runner.invoke(
        app, ["modes", "show", "fastapi-developer", "--bundled", "--modes", str(bad)]
    )
    assert shown.exit_code == 0
    assert shown.stderr.count("in mode files; run `modegraph modes validate`") == 1
    checked = runner.invoke(app, ["modes", "validate", str(bad)])
    assert "in mode files; run" not in checked.stderr  # validate shows the errors themselves


def test_show_names_the_holders_of_an_ambiguous_level() -> None:
    result = runner.invoke(app, ["modes", "show", "010-director"])
    assert result.exit_code == 1
    assert "level held by 2 modes" in result.stderr
    assert "technical-architect" in result.stderr and "project-manager" in result.stderr


def test_show_suggests_slugs_holding_the_word() -> None:
    result = runner.invoke(app, ["modes", "show", "fastapi"])
    assert result.exit_code == 1
    assert "did you mean fastapi-developer?" in result.stderr
    close = runner.invoke(app, ["modes", "show", "databse-lead"])
    assert "did you mean database-lead" in close.stderr


def test_modes_new_tells_the_truth_about_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    linked = runner.invoke(
        app, ["modes", "new", "redis-y", "--level", "033-worker-database", "--escalates-to",
              "database-lead"]
    )  # fmt: skip
    assert linked.exit_code == 0, linked.output
    assert "validates clean" not in linked.stderr
    assert "no errors; 1 warning(s) (unreachable) until another mode delegates to `redis-y`" in (
        linked.stderr
    )
    dangling = runner.invoke(
        app, ["modes", "new", "redis-x", "--level", "033-worker-database", "--escalates-to",
              "nosuch"]
    )  # fmt: skip
    assert dangling.exit_code == 0
    assert "dangling-reference warning: escalate reference 'nosuch'" in dangling.stderr
    override = runner.invoke(
        app, ["modes", "new", "fastapi-developer", "--level", "032-worker-backend",
              "--escalates-to", "database-lead"]
    )  # fmt: skip
    assert "overrides the bundled mode of the same slug" in override.stderr


def test_an_alias_to_no_mode_is_warned_about() -> None:
    result = runner.invoke(app, ["modes", "list", "--json", "--alias", "sql=nosuch"])
    assert result.exit_code == 0
    assert "--alias sql=nosuch: 'nosuch' names no mode" in result.stderr
    ok = runner.invoke(app, ["modes", "list", "--json", "--alias", "db=database-lead"])
    assert "--alias" not in ok.stderr


def test_version_option() -> None:
    from modegraph import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"modegraph {__version__}"


def test_modes_help_shows_metavars_not_python_types() -> None:
    for command in (["modes", "validate"], ["modes", "list"], ["modes", "new"]):
        text = runner.invoke(app, [*command, "--help"]).stdout
        options = [line for line in text.split("Options")[-1].splitlines() if "--" in line]
        typed = [line for line in options if "<" in line and "--help" not in line]
        assert typed == [], command
        assert any("--modes" in line and "PATH" in line for line in options) or "new" in command
