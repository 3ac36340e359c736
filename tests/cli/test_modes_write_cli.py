"""`modegraph modes convert` and `modegraph modes new` through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from modegraph.cli.app import app
from modegraph.cli.modes_write import write_atomic
from modegraph.findings import Severity
from modegraph.modes.catalog.loader import load_file, load_paths

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "src" / "modegraph" / "library"
FASTAPI = LIBRARY / "fastapi-developer.mode.md"

runner = CliRunner()


def test_convert_one_mode_to_roomodes_on_stdout_with_findings_on_stderr() -> None:
    result = runner.invoke(app, ["modes", "convert", str(FASTAPI), "--to", "roomodes"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["customModes"][0]["slug"] == "fastapi-developer"
    assert "field-dropped" in result.stderr
    assert "escalates_to" in result.stderr


def test_convert_the_library_to_yaml_keeps_every_mode(tmp_path: Path) -> None:
    out = tmp_path / "all.mode.yaml"
    result = runner.invoke(app, ["modes", "convert", str(LIBRARY), "--to", "yaml", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "field-dropped" not in result.stderr
    read = load_file(out)
    assert [f for f in read.findings if f.severity is not Severity.INFO] == []
    assert len(read.modes) == len(list(LIBRARY.glob("*.mode.md")))


def test_convert_several_modes_to_claude_needs_a_directory(tmp_path: Path) -> None:
    refused = runner.invoke(app, ["modes", "convert", str(LIBRARY), "--to", "claude"])
    assert refused.exit_code == 2
    assert "-o DIR" in refused.stderr
    agents = tmp_path / ".claude" / "agents"
    result = runner.invoke(
        app, ["modes", "convert", str(LIBRARY), "--to", "claude", "-o", str(agents)]
    )
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in agents.iterdir())
    assert files == sorted(
        f"{p.name.removesuffix('.mode.md')}.md" for p in LIBRARY.glob("*.mode.md")
    )
    front = yaml.safe_load((agents / "technical-writer.md").read_text("utf-8").split("---\n")[1])
    assert front["name"] == "technical-writer"
    assert "tool_groups.edit.file_regex" in result.stderr


def test_convert_to_markdown_directory_round_trips(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["modes", "convert", str(LIBRARY), "--to", "markdown", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    again = load_paths([tmp_path])
    assert sorted(m.slug for m in again.modes) == sorted(
        m.slug for m in load_paths([LIBRARY]).modes
    )


def test_convert_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / ".roomodes"
    out.write_text("keep me", encoding="utf-8")
    args = ["modes", "convert", str(FASTAPI), "--to", "roomodes", "-o", str(out)]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1
    assert "--force" in refused.stderr
    assert out.read_text("utf-8") == "keep me"
    forced = runner.invoke(app, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert json.loads(out.read_text("utf-8"))["customModes"][0]["slug"] == "fastapi-developer"


def test_convert_input_with_errors_fails_with_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mode.yaml"
    bad.write_text("slug: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["modes", "convert", str(bad), "--to", "markdown"])
    assert result.exit_code == 1
    assert "syntax-error" in result.stderr
    assert result.stdout == ""


def test_convert_rejects_an_unknown_target() -> None:
    result = runner.invoke(app, ["modes", "convert", str(FASTAPI), "--to", "xml"])
    assert result.exit_code == 2


def test_new_writes_a_clean_mode_into_the_project_layer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["modes", "new", "redis-specialist", "--level", "033-worker-database"]
    result = runner.invoke(app, [*args, "--escalates-to", "database-lead,backend-lead"])
    assert result.exit_code == 0, result.output
    path = tmp_path / ".modegraph" / "modes" / "redis-specialist.mode.md"
    read = load_file(path)
    assert read.findings == []
    assert [r.slug for r in read.modes[0].escalates_to] == ["database-lead", "backend-lead"]
    again = runner.invoke(app, args)
    assert again.exit_code == 1
    assert "already exists" in again.stderr
    forced = runner.invoke(app, [*args, "--name", "Cache Expert", "--force"])
    assert forced.exit_code == 0
    assert load_file(path).modes[0].name == "Cache Expert"
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_new_yaml_to_stdout_and_to_a_file(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["modes", "new", "x-lead", "--level", "lead", "--format", "yaml", "-o", "-"]
    )
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(result.stdout)["slug"] == "x-lead"
    out = tmp_path / "x.mode.yaml"
    written = runner.invoke(
        app,
        [
            "modes",
            "new",
            "x-lead",
            "--level",
            "lead",
            "--format",
            "yaml",
            "--delegates-to",
            "a",
            "--delegates-to",
            "b",
            "-o",
            str(out),
        ],
    )
    assert written.exit_code == 0, written.output
    assert [r.slug for r in load_file(out).modes[0].delegates_to] == ["a", "b"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bad slug", "--level", "worker"], "not valid"),
        (["ok", "--level", "manager"], "not a level id"),
        (["ok", "--level", "worker", "--format", "toml"], "markdown or yaml"),
    ],
)
def test_new_rejects_bad_options_with_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["modes", "new", *args, "-o", "-"])
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())


def test_write_atomic_never_clobbers_without_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "file.md"
    write_atomic(target, "one\n", overwrite=False)
    with pytest.raises(FileExistsError):
        write_atomic(target, "two\n", overwrite=False)
    assert target.read_text("utf-8") == "one\n"
    write_atomic(target, "three\n", overwrite=True)
    assert target.read_text("utf-8") == "three\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["file.md"]


def test_new_without_level_writes_a_worker() -> None:
    result = CliRunner().invoke(app, ["modes", "new", "changelog-keeper", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert "worker" in result.stdout.lower()
    assert "changelog-keeper" in result.stdout
