"""The command line finds mode files where people keep them and says where each came from."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from modegraph.cli import app

runner = CliRunner()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def agent(name: str, description: str) -> str:
    return f"---\nname: {name}\ndescription: {description}\n---\nYou are the {name}.\n"


ROOMODES = json.dumps(
    {
        "customModes": [
            {
                "slug": "architect",
                "name": "🏗️ Architect",
                "roleDefinition": "You design systems.",
                "whenToUse": "For system design.",
                "groups": ["read"],
            }
        ]
    }
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git project with .roomodes and .claude/agents, a user agent, cwd in src/api."""
    root = tmp_path / "shop"
    (root / ".git").mkdir(parents=True)
    write(root / ".roomodes", ROOMODES)
    write(root / ".claude" / "agents" / "sql-pro.md", agent("sql-pro", "Writes SQL queries."))
    write(Path.home() / ".claude" / "agents" / "helper.md", agent("helper", "Helps."))
    (root / "src" / "api").mkdir(parents=True)
    monkeypatch.chdir(root / "src" / "api")
    return root


def listing(*args: str) -> dict[str, object]:
    result = runner.invoke(app, ["modes", "list", "--json", *args])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_list_from_a_subfolder_shows_project_and_user_modes(project: Path) -> None:
    data = listing()
    rows = {row["slug"]: row for row in data["modes"]}  # type: ignore[attr-defined]
    # a catalog with no edges is coordinated by the built-in orchestrator, listed too
    assert set(rows) == {"helper", "architect", "sql-pro", "orchestrator"}
    assert rows["orchestrator"]["layer"] == "built-in"
    assert rows["architect"]["layer"] == "project"
    assert rows["architect"]["path"] == str(project / ".roomodes")
    assert rows["sql-pro"]["name"] == "SQL Pro"
    assert rows["helper"]["layer"] == "user"
    assert data["project_root"] == str(project)
    assert data["bundled"] is False
    used = [(s["label"], s["modes"]) for s in data["sources"] if s["modes"]]  # type: ignore[attr-defined]
    assert used == [
        ("Claude Code user agents", 1),
        ("Roo Code project modes", 1),
        ("Claude Code project agents", 1),
    ]
    human = runner.invoke(app, ["modes", "list"])
    assert "../../.roomodes:" in human.output
    assert "~/.claude/agents/helper.md:1" in human.output
    assert "from user ~/.claude/agents (1), project ../../.roomodes (1)" in human.output


def test_overrides_are_shown_with_the_layer_they_replace(project: Path) -> None:
    write(Path.home() / ".claude" / "agents" / "sql-pro.md", agent("sql-pro", "Mine."))
    rows = {row["slug"]: row for row in listing()["modes"]}  # type: ignore[attr-defined]
    (old,) = rows["sql-pro"]["overrides"]
    assert old["layer"] == "user"
    assert old["path"] == str(Path.home() / ".claude" / "agents" / "sql-pro.md")
    human = runner.invoke(app, ["modes", "list"]).output
    assert "    overrides ~/.claude/agents/sql-pro.md:1 (user)" in human


def test_a_crewai_flow_project_lists_the_agents_of_each_crew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "trip_flow"
    (root / ".git").mkdir(parents=True)
    crews = root / "src" / "trip_flow" / "crews"
    write(
        crews / "plan_crew" / "config" / "agents.yaml",
        "planner:\n  role: Itinerary Planner\n  goal: Plan each day of a trip\n"
        "  backstory: Has booked a thousand holidays.\n",
    )
    write(
        crews / "budget_crew" / "config" / "agents.yaml",
        "accountant:\n  role: Budget Keeper\n  goal: Keep the trip within budget\n"
        "  backstory: Counts every coin.\n",
    )
    monkeypatch.chdir(root)
    data = listing()
    slugs = {row["slug"] for row in data["modes"]}  # type: ignore[attr-defined]
    assert slugs == {"planner", "accountant", "orchestrator"}
    assert data["bundled"] is False


def test_no_discover_leaves_the_project_and_the_user_out(project: Path) -> None:
    data = listing("--no-discover")
    slugs = {row["slug"] for row in data["modes"]}  # type: ignore[attr-defined]
    assert "fastapi-developer" in slugs and not slugs & {"architect", "sql-pro", "helper"}


@pytest.mark.parametrize(
    "command",
    [
        ["modes", "list"],
        ["modes", "show", "x"],
        ["modes", "validate"],
        ["graph", "show"],
        ["graph", "lint"],
        ["graph", "path", "a", "b"],
        ["run", "Build it"],
    ],
)
def test_a_modes_path_that_does_not_exist_exits_2_naming_it(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, [*command, "--modes", "nope.yaml"])
    assert result.exit_code == 2, result.output
    assert "--modes nope.yaml: no such file or folder" in result.stderr
    assert not (tmp_path / "project_journal").exists()


def test_validate_path_that_does_not_exist_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["modes", "validate", str(tmp_path / "gone.mode.md")])
    assert result.exit_code == 2
    assert "gone.mode.md: no such file or folder" in result.stderr


def test_a_dangling_symlink_as_modes_path_exits_2(tmp_path: Path) -> None:
    os.symlink("loop", tmp_path / "loop")
    result = runner.invoke(app, ["modes", "list", "--modes", str(tmp_path / "loop")])
    assert result.exit_code == 2
    assert "symbolic link that leads nowhere" in result.stderr


def test_run_on_a_broken_file_never_falls_back_to_the_bundled_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    broken = write(tmp_path / "team.roomodes.yaml", "customModes: [unclosed\n")
    result = runner.invoke(app, ["run", "Build a users API", "--modes", str(broken)])
    assert result.exit_code == 1
    assert "the catalog has no modes" in result.stderr
    assert "The mode files have 1 error" in result.stderr
    assert f"explicit: {broken} (--modes: no modes, 1 error)" in result.stderr
    assert not (tmp_path / "project_journal").exists()


def test_an_empty_catalog_names_the_places_it_looked(tmp_path: Path) -> None:
    result = runner.invoke(app, ["modes", "list", "--no-bundled"])
    assert result.exit_code == 1
    assert "the catalog has no modes" in result.stderr
    assert "Claude Code user agents: not there" in result.stderr
    assert ".claude/agents (Claude Code project agents: not there)" in result.stderr


def test_run_writes_the_journal_at_the_project_root(project: Path) -> None:
    result = runner.invoke(app, ["run", "Design the system", "--mode", "architect"])
    assert result.exit_code == 0, result.output
    assert "Journal: ../../project_journal/tasks/TASK-ARCHITECT-" in result.stdout
    assert list((project / "project_journal" / "tasks").glob("TASK-ARCHITECT-*.md"))
    assert not (project / "src" / "api" / "project_journal").exists()
    listed = runner.invoke(app, ["journal", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    (task,) = json.loads(listed.stdout)
    assert task["id"].startswith("TASK-ARCHITECT-")


def test_convert_of_a_path_that_does_not_exist_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["modes", "convert", str(tmp_path / "x.roomodes"), "--to", "yaml"])
    assert result.exit_code == 2
    assert f"{tmp_path / 'x.roomodes'}: no such file or folder" in result.stderr
    assert "--modes" not in result.stderr


def test_convert_one_mode_to_a_folder_name_makes_the_folder(tmp_path: Path) -> None:
    source = write(tmp_path / "one.mode.yaml", "slug: solo\nname: Solo\nrole_definition: r\n")
    agents = tmp_path / ".claude" / "agents"
    result = runner.invoke(
        app, ["modes", "convert", str(source), "--to", "claude", "-o", str(agents)]
    )
    assert result.exit_code == 0, result.output
    assert (agents / "solo.md").is_file()
    listed = runner.invoke(
        app, ["modes", "list", "--json", "--no-discover", "--modes", str(agents)]
    )
    assert [row["slug"] for row in json.loads(listed.stdout)["modes"]] == ["solo"]


def test_modes_new_writes_into_the_project_from_a_subfolder(project: Path) -> None:
    result = runner.invoke(app, ["modes", "new", "cache-expert", "--level", "033-worker-data"])
    assert result.exit_code == 0, result.output
    assert (project / ".modegraph" / "modes" / "cache-expert.mode.md").is_file()
    assert "wrote ../../.modegraph/modes/cache-expert.mode.md" in result.stderr
    rows = {row["slug"]: row for row in listing()["modes"]}  # type: ignore[attr-defined]
    assert rows["cache-expert"]["layer"] == "project"


def test_modes_new_beside_a_symlink_loop_reports_instead_of_crashing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / ".modegraph" / "modes"
    folder.mkdir(parents=True)
    os.symlink("loop.mode.md", folder / "loop.mode.md")
    result = runner.invoke(app, ["modes", "new", "solo-dev", "--level", "032-worker-backend"])
    assert result.exit_code == 0, result.output
    assert (folder / "solo-dev.mode.md").is_file()
    listed = runner.invoke(app, ["modes", "validate", "--json"])
    codes = [f["code"] for f in json.loads(listed.stdout)["findings"]]
    assert "unreadable-file" in codes
