"""The orchestrator role and implied edges as `run`, `graph` and `modes` show them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from modegraph.cli.app import app
from modegraph.journal import Journal

DATA = Path(__file__).parents[1] / "data" / "coordination"
FLAT = str(DATA / "flat.roomodes")
CONDUCTOR = str(DATA / "conductor.roomodes")


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project directory with an empty user layer."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_run_without_mode_on_a_flat_catalog_enters_the_built_in_orchestrator(
    in_tmp: Path,
) -> None:
    goal = "Add REST endpoints for orders and build a Docker image for the service"
    code, out, err = _invoke("run", goal, "--modes", FLAT, "--no-bundled", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["entry"] == "orchestrator"
    assert data["entry_choice"]["built_in"] is True
    assert data["entry_choice"]["rule"] == "orchestrator"
    assert "declares a delegate or escalate edge" in data["entry_choice"]["reason"]
    assert [s["role"] for s in data["subtasks"]] == ["orchestrator", "api-builder", "shipper"]
    assert "entry: orchestrator (built in)" in err
    root = Journal(in_tmp / "project_journal").read(data["task_id"])
    assert "orchestrator role (built in)" in root.context


def test_run_text_names_the_entry_and_what_was_not_covered(in_tmp: Path) -> None:
    code, out, _ = _invoke(
        "run", "Compose a wedding speech for my brother", "--modes", FLAT, "--no-bundled"
    )
    assert code == 3
    assert "Entry: orchestrator (built in)" in out
    assert "Status: incomplete" in out
    assert "Not covered (nothing was done for these):" in out
    assert "'Compose a wedding speech for my brother' (orchestrator," in " ".join(out.split())


def test_run_notes_a_given_entry_that_can_hand_off_nothing(in_tmp: Path) -> None:
    code, _, err = _invoke(
        "run", "Write the docs", "--modes", FLAT, "--no-bundled", "--mode", "doc-writer"
    )
    assert code == 0
    assert "note: doc-writer can hand work to no other role" in " ".join(err.split())


def test_run_follows_implied_edges_unless_declared_only(in_tmp: Path) -> None:
    goal = "Write the specification and acceptance criteria"
    code, out, _ = _invoke("run", goal, "--modes", CONDUCTOR, "--no-bundled", "--json")
    data = json.loads(out)
    assert (code, data["entry"], data["subtasks"][1]["role"]) == (0, "conductor", "drafter")
    code, out, _ = _invoke(
        "run", goal, "--modes", CONDUCTOR, "--no-bundled", "--edges", "declared", "--json"
    )
    assert (code, json.loads(out)["entry"]) == (0, "orchestrator")


@pytest.mark.parametrize("fmt", ["mermaid", "dot", "html", "json"])
def test_graph_show_draws_the_orchestrator_in_every_format(in_tmp: Path, fmt: str) -> None:
    code, out, err = _invoke("graph", "show", "--modes", FLAT, "--no-bundled", "--format", fmt)
    assert code == 0, err
    if fmt == "json":
        nodes = {n["id"]: n for n in json.loads(out)["nodes"]}
        assert nodes["orchestrator"]["built_in"] is True
        edges = json.loads(out)["edges"]
        assert sum(1 for e in edges if e["source"] == "orchestrator") == 4
    else:
        assert "Orchestrator" in out and "built in" in out.replace("#40;", "(")


def test_graph_show_json_is_format_json_and_refuses_a_second_format(in_tmp: Path) -> None:
    args = ("graph", "show", "--modes", FLAT, "--no-bundled")
    code, out, _ = _invoke(*args, "--json")
    assert code == 0
    assert out == _invoke(*args, "--format", "json")[1]
    code, out, err = _invoke(*args, "--json", "--format", "dot")
    assert code == 2
    assert "--json and --format dot ask for two formats" in err
    assert json.loads(out)["exit_code"] == 2


def test_graph_show_of_a_catalog_with_a_coordinator_has_no_orchestrator(in_tmp: Path) -> None:
    code, out, _ = _invoke("graph", "show", "--modes", CONDUCTOR, "--no-bundled", "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert "orchestrator" not in {n["id"] for n in data["nodes"]}
    implied = [e for e in data["edges"] if e["source"] == "conductor"]
    assert [e["implied"] for e in implied] == [
        "its custom instructions: Use `new_task` to assign:"
    ] * 3


def test_modes_list_and_show_include_the_orchestrator_role(in_tmp: Path) -> None:
    code, out, _ = _invoke("modes", "list", "--modes", FLAT, "--no-bundled", "--json")
    assert code == 0
    rows = {r["slug"]: r for r in json.loads(out)["modes"]}
    assert (rows["orchestrator"]["layer"], rows["orchestrator"]["path"]) == ("built-in", None)
    code, out, _ = _invoke("modes", "show", "orchestrator", "--modes", FLAT, "--no-bundled")
    assert code == 0
    assert "source:  [built-in]" in out
    assert "You coordinate; you do no specialist work yourself." in out


def test_modes_validate_reports_implied_edges_with_file_and_line(in_tmp: Path) -> None:
    code, out, _ = _invoke("modes", "validate", "--modes", CONDUCTOR, "--no-bundled")
    assert code == 0
    text = " ".join(out.split())
    assert f"{CONDUCTOR}:35: implied-edge info: conductor delegates to drafter" in text
    assert (
        f"{CONDUCTOR}:35: implied-target-missing warning: conductor hands work to 'release-captain'"
        in text
    )
    code, out, _ = _invoke(
        "modes", "validate", "--modes", CONDUCTOR, "--no-bundled", "--edges", "declared", "--json"
    )
    codes = {f["code"] for f in json.loads(out)["findings"]}
    assert "implied-edge" not in codes
    assert "built-in-orchestrator" in codes


def test_graph_lint_shows_why_the_orchestrator_is_used(in_tmp: Path) -> None:
    code, out, _ = _invoke("graph", "lint", "--modes", FLAT, "--no-bundled", "--json")
    assert code == 0
    found = [f for f in json.loads(out)["findings"] if f["code"] == "built-in-orchestrator"]
    assert len(found) == 1
    assert "may hand work to all 4 other roles" in found[0]["message"]
