import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from modegraph.cli import app
from modegraph.cli._common import print_findings
from modegraph.findings import Code, Finding, Severity
from modegraph.modes.schema import mode_file_schema

runner = CliRunner()

GOOD = """\
modes:
  - slug: docs-boss
    name: Docs Boss
    level: 010-director
    delegates_to: [docs-writer]
    escalates_to: [roo-commander]
  - slug: docs-writer
    name: Docs Writer
    level: 037-worker-docs
    escalates_to:
      - {slug: technical-writer, note: For style questions}
      - project-manager
    reports_to: [docs-boss]
"""
BROKEN = "slug: broken\nname: Broken\ntool_groups: [teleport]\nescalates_to: [nobody-at-all]\n"
WARN_ONLY = """\
modes:
  - slug: warn-boss
    name: Warn Boss
    level: 010-director
    delegates_to: [warn-only]
    escalates_to: [roo-commander]
  - slug: warn-only
    name: Warn
    level: 037-worker-docs
    escalates_to: [nobody-at-all]
"""


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No user layer from the machine; the project directory is an empty temporary one."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(project)
    return project


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_list_shows_the_bundled_library() -> None:
    result = runner.invoke(app, ["modes", "list"])
    assert result.exit_code == 0, result.output
    assert "fastapi-developer" in result.output
    assert "<bundled>/fastapi-developer.mode.md:1" in result.output
    assert result.output.strip().endswith("modes")


def test_list_json_shows_layers_and_overrides(isolated: Path) -> None:
    write(
        isolated / ".modegraph" / "modes" / "f.mode.yaml", "slug: fastapi-developer\nname: Mine\n"
    )
    result = runner.invoke(app, ["modes", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["slug"]: row for row in json.loads(result.stdout)["modes"]}
    mine = rows["fastapi-developer"]
    assert mine["name"] == "Mine"
    assert mine["layer"] == "project"
    assert mine["format"] == "yaml"
    assert mine["overrides"][0]["layer"] == "bundled"
    assert mine["overrides"][0]["path"].endswith("fastapi-developer.mode.md")
    assert rows["roo-commander"]["overrides"] == []
    assert set(mine) == {
        "slug",
        "name",
        "emoji",
        "level",
        "format",
        "layer",
        "path",
        "line",
        "overrides",
    }
    human = runner.invoke(app, ["modes", "list"])
    assert "overrides <bundled>/fastapi-developer.mode.md:1 (bundled)" in human.output


def test_list_with_modes_option(tmp_path: Path) -> None:
    extra = write(tmp_path / "extra" / "docs.mode.yaml", GOOD)
    result = runner.invoke(app, ["modes", "list", "--json", "--modes", str(extra)])
    rows = {row["slug"]: row for row in json.loads(result.stdout)["modes"]}
    assert rows["docs-writer"]["layer"] == "explicit"


def test_show_json_uses_field_names_and_reference_objects(tmp_path: Path) -> None:
    extra = write(tmp_path / "docs.mode.yaml", GOOD)
    result = runner.invoke(app, ["modes", "show", "docs-writer", "--json", "--modes", str(extra)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["slug"] == "docs-writer"
    assert data["level"] == "037-worker-docs"
    assert data["reports_to"] == [{"slug": "docs-boss", "note": None}]
    assert data["escalates_to"] == [
        {"slug": "technical-writer", "note": "For style questions"},
        {"slug": "project-manager", "note": None},
    ]
    assert data["source"]["layer"] == "explicit"
    assert {"role_definition", "when_to_use", "tool_groups", "custom_instructions"} <= set(data)


def test_show_human_output() -> None:
    result = runner.invoke(app, ["modes", "show", "fastapi-developer"])
    assert result.exit_code == 0, result.output
    assert "FastAPI Developer (fastapi-developer)" in result.output
    assert "level: 032-worker-backend" in result.output
    assert "Escalates to" in result.output
    assert "  - database-specialist" in result.output


def test_show_resolves_a_file_stem() -> None:
    result = runner.invoke(app, ["modes", "show", "032-worker-backend-fastapi-developer", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["slug"] == "fastapi-developer"


def test_show_unknown_slug_suggests_and_exits_1() -> None:
    result = runner.invoke(app, ["modes", "show", "fastapi-develper"])
    assert result.exit_code == 1
    assert "no mode 'fastapi-develper'" in result.stderr
    assert "did you mean fastapi-developer" in result.stderr


def test_validate_the_bundled_library_is_clean() -> None:
    result = runner.invoke(app, ["modes", "validate"])
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output
    assert "modes checked: OK" in result.output


def test_validate_json_is_one_object_with_counts(tmp_path: Path) -> None:
    broken = write(tmp_path / "broken.mode.yaml", BROKEN)
    result = runner.invoke(app, ["modes", "validate", str(broken), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)  # exactly one JSON document
    assert set(data) == {"modes", "findings", "errors", "warnings"}
    assert data["modes"] == ["broken"]
    by_code = {f["code"]: f for f in data["findings"]}
    assert by_code["unknown-tool-group"]["severity"] == "error"
    assert by_code["unknown-tool-group"]["path"] == str(broken)
    assert by_code["unknown-tool-group"]["line"] == 3  # the group's own line
    assert by_code["dangling-reference"]["line"] == 4
    assert set(by_code["dangling-reference"]) == {
        "path",
        "line",
        "code",
        "severity",
        "message",
        "hint",
        "slug",
    }
    assert data["errors"] == sum(f["severity"] == "error" for f in data["findings"]) >= 1
    assert data["warnings"] == sum(f["severity"] == "warning" for f in data["findings"]) >= 1
    # only the named file's findings: nothing about the bundled library
    assert all(f["path"] == str(broken) for f in data["findings"])


def test_validate_exit_codes_and_strict(tmp_path: Path) -> None:
    good = write(tmp_path / "good.mode.yaml", GOOD)
    warn = write(tmp_path / "warn.mode.yaml", WARN_ONLY)
    assert runner.invoke(app, ["modes", "validate", str(good)]).exit_code == 0
    assert runner.invoke(app, ["modes", "validate", str(good), "--strict"]).exit_code == 0
    lenient = runner.invoke(app, ["modes", "validate", str(warn)])
    assert lenient.exit_code == 0
    assert "dangling-reference (1 warning)" in lenient.output
    strict = runner.invoke(app, ["modes", "validate", str(warn), "--strict"])
    assert strict.exit_code == 1
    assert "FAILED" in strict.output


def test_validate_human_output_groups_by_code(tmp_path: Path) -> None:
    many = "modes:\n" + "".join(
        f"  - {{slug: m{i}, name: M{i}, level: 037-worker-docs, escalates_to: [ghost{i}]}}\n"
        for i in range(30)
    )
    path = write(tmp_path / "many.mode.yaml", many)
    result = runner.invoke(app, ["modes", "validate", str(path)])
    assert result.output.count("dangling-reference (30 warnings)") == 1
    assert f"{path}:{3}: dangling-reference warning: escalate reference 'ghost1'" in result.output
    assert "fix: " in result.output


def test_validate_a_directory_reports_its_files(tmp_path: Path) -> None:
    write(tmp_path / "dir" / "a.mode.yaml", GOOD)
    write(tmp_path / "dir" / "b.mode.yaml", BROKEN)
    result = runner.invoke(app, ["modes", "validate", str(tmp_path / "dir"), "--json"])
    data = json.loads(result.stdout)
    assert sorted(data["modes"]) == ["broken", "docs-boss", "docs-writer"]
    assert result.exit_code == 1


def test_bad_alias_option_exits_2() -> None:
    result = runner.invoke(app, ["modes", "list", "--alias", "no-equals-sign"])
    assert result.exit_code == 2
    assert "write it as OLD=NEW" in result.stderr


def test_alias_option_resolves_references(tmp_path: Path) -> None:
    path = write(tmp_path / "w.mode.yaml", WARN_ONLY)
    args = ["modes", "validate", str(path), "--json", "--strict"]
    assert runner.invoke(app, args).exit_code == 1
    fixed = runner.invoke(app, [*args, "--alias", "nobody-at-all=technical-writer"])
    data = json.loads(fixed.stdout)
    assert [f["code"] for f in data["findings"]] == ["resolved-by-rule"]
    assert fixed.exit_code == 0


def test_bad_project_config_exits_2(isolated: Path) -> None:
    write(isolated / "modegraph.yaml", "aprove: none\n")
    result = runner.invoke(app, ["modes", "list"])
    assert result.exit_code == 2
    assert "modegraph.yaml:1: unknown key 'aprove'; did you mean 'approve'?" in result.stderr


def test_schema_prints_the_published_schema() -> None:
    result = runner.invoke(app, ["modes", "schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == mode_file_schema()


def test_print_findings_format_and_counts() -> None:
    console = Console(record=True, width=200)
    findings = [
        Finding(
            path="a.md",
            line=3,
            code=Code.DANGLING_REFERENCE,
            severity=Severity.WARNING,
            message="x [not markup]",
            hint="fix it",
        ),
        Finding(code=Code.INVALID_SLUG, severity=Severity.ERROR, message="bad"),
    ]
    counts = print_findings(findings, console=console)
    text = console.export_text()
    assert text.index("invalid-slug (1 error)") < text.index("dangling-reference (1 warning)")
    assert "  a.md:3: dangling-reference warning: x [not markup]" in text
    assert "      fix: fix it" in text
    assert "  <catalog>: invalid-slug error: bad" in text
    assert text.rstrip().endswith("1 error, 1 warning, 0 infos")
    assert counts[Severity.ERROR] == 1


def test_modes_commands_do_not_import_langgraph() -> None:
    code = (
        "import sys\n"
        "from modegraph.cli import main\n"
        "sys.argv = ['modegraph', 'modes', 'list']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "loaded = any(m == 'langgraph' or m.startswith('langgraph.') for m in sys.modules)\n"
        "print('LANGGRAPH', loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "fastapi-developer" in done.stdout
    assert done.stdout.strip().endswith("LANGGRAPH False")


def test_validating_the_project_roomodes_reports_each_finding_once(isolated: Path) -> None:
    write(
        isolated / ".roomodes",
        '{"customModes": [{"slug": "Bad Slug", "name": "B", "roleDefinition": "r", '
        '"groups": ["read"]}]}',
    )
    result = runner.invoke(app, ["modes", "validate", ".roomodes", "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["modes"] == ["Bad Slug"]
    codes = [f["code"] for f in data["findings"]]
    assert codes.count("invalid-slug") == 1
    assert "overridden" not in codes


def test_setup_errors_map_to_exit_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    from modegraph.errors import CatalogError
    from modegraph.modes.catalog import layers

    def broken(**_: object) -> None:
        raise CatalogError("the catalog is empty; add modes with --modes")

    monkeypatch.setattr(layers, "load_catalog", broken)
    result = runner.invoke(app, ["modes", "list"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: the catalog is empty; add modes with --modes"


def test_list_points_to_validate_when_loading_had_errors(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.mode.yaml", "slug: [unclosed\n")
    result = runner.invoke(app, ["modes", "list", "--bundled", "--modes", str(bad)])
    assert result.exit_code == 0
    assert "1 error in mode files; run `modegraph modes validate`" in result.stderr
    as_json = runner.invoke(app, ["modes", "list", "--bundled", "--json", "--modes", str(bad)])
    assert json.loads(as_json.stdout)["errors"] == 1  # stdout stays one JSON document
    assert "1 error in mode files" in as_json.stderr


def test_validating_a_folder_with_no_mode_files_says_so_instead_of_ok(isolated: Path) -> None:
    # A user in a clone of a collection that keeps agents in categories/ (not a place
    # modegraph looks) must not read "0 modes checked: OK".
    write(
        isolated / "categories" / "01-core" / "api-designer.md",
        "---\nname: api-designer\ndescription: Designs REST APIs.\n---\nYou design APIs.\n",
    )
    result = runner.invoke(app, ["modes", "validate", "--no-bundled"])
    assert result.exit_code == 1
    assert "the catalog has no modes" in result.output
    assert "--modes PATH" in result.output
    assert "OK" not in result.output
    found = runner.invoke(app, ["modes", "validate", "--no-bundled", "--modes", "categories"])
    assert found.exit_code == 0, found.output
    assert "1 mode checked: OK" in found.output


def test_validate_on_the_bundled_library_alone_says_nothing_more(isolated: Path) -> None:
    result = runner.invoke(app, ["modes", "validate"])
    assert result.exit_code == 0, result.output
    assert "note:" not in result.stderr


def test_validate_names_the_folder_of_mode_files_no_tool_looks_in(isolated: Path) -> None:
    # a Roo Commander v7.0 checkout keeps its modes in `v7.0/modes/...`
    write(isolated / "v7.0" / "modes" / "team" / "team.mode.yaml", GOOD)
    result = runner.invoke(app, ["modes", "validate"])
    assert result.exit_code == 0, result.output
    assert "these are the 14 modes of the bundled library" in result.stderr
    assert "1 mode file under this folder is outside the places modegraph looks" in result.stderr
    assert "--modes v7.0" in result.stderr
    # with --modes nothing is said: the user's own modes are checked
    again = runner.invoke(app, ["modes", "validate", "--modes", "v7.0"])
    assert "bundled library" not in again.stderr


def test_validate_names_mode_files_kept_in_the_current_folder_itself(isolated: Path) -> None:
    write(isolated / "team.mode.yaml", GOOD)
    result = runner.invoke(app, ["modes", "validate"])
    assert result.exit_code == 0, result.output
    assert "--modes ." in result.stderr
