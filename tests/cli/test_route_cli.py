"""`modegraph route` (the plan, nothing written) and `modegraph test` (routing cases)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from modegraph.cli.app import app
from modegraph.coordinator import Runner
from modegraph.coordinator.plan import plan_route
from modegraph.modes.catalog import Catalog
from modegraph.modes.catalog.loader import load_paths

DATA = Path(__file__).parents[1] / "data" / "coordination"
FLAT = str(DATA / "flat.roomodes")
CONDUCTOR = str(DATA / "conductor.roomodes")
GOAL = (
    "Add REST endpoints for orders, write Postgres migrations for the orders table, "
    "and build a Docker image for the service"
)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project directory with an empty user layer."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_route_prints_the_plan_and_writes_nothing(in_tmp: Path) -> None:
    code, out, err = _invoke("route", GOAL, "--modes", FLAT, "--no-bundled")
    assert code == 0, err
    assert "Entry: orchestrator (built in)" in out
    assert "api-builder [would end completed]" in out
    assert "why: " in out and "score" in out
    assert "run would end: completed (exit code 0)" in out
    assert [p.name for p in in_tmp.rglob("*")] == []  # no journal, no checkpoint


def test_route_json_is_the_documented_object(in_tmp: Path) -> None:
    code, out, _ = _invoke("route", GOAL, "--modes", FLAT, "--no-bundled", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {
        "goal",
        "entry",
        "edges",
        "status",
        "reason",
        "first_hop",
        "reached",
        "hops",
        "refused",
        "uncovered",
    }
    assert data["entry"] == {
        "slug": "orchestrator",
        "rule": "orchestrator",
        "reason": data["entry"]["reason"],
        "built_in": True,
    }
    assert data["first_hop"] == ["api-builder", "schema-keeper", "shipper"]
    hop = data["hops"][1]
    assert set(hop) == {
        "subtask",
        "parent",
        "source",
        "role",
        "goal",
        "kind",
        "reason",
        "status",
        "notes",
    }
    assert hop["source"] == "orchestrator" and "score" in hop["reason"]
    assert any("->" in note for note in data["hops"][0]["notes"])


def test_the_plan_is_the_route_run_takes(tmp_path: Path) -> None:
    catalog = Catalog(load_paths([DATA / "conductor.roomodes"]).modes)
    goal = "Write the specification for the sign-up flow, then implement the code and the tests"
    plan = plan_route(catalog, goal)
    result = Runner(catalog=catalog, journal_root=tmp_path).start(goal)
    assert [(h.role, h.goal, h.status) for h in plan.hops] == [
        (s.role, s.goal, s.status) for s in result.subtasks
    ]
    assert plan.status is result.status
    assert plan.entry.slug == result.entry == "conductor"


def test_route_shows_what_no_role_covers(in_tmp: Path) -> None:
    code, out, _ = _invoke(
        "route", "Compose a wedding speech for my brother", "--modes", FLAT, "--no-bundled"
    )
    assert code == 0
    assert "Not covered (run would do nothing for these):" in out
    assert "'Compose a wedding speech for my brother'" in out
    assert "run would end: incomplete (exit code 3)" in out


def test_route_with_edges_declared_ignores_what_the_text_implies(in_tmp: Path) -> None:
    goal = "Write the specification for the sign-up flow"
    code, out, _ = _invoke("route", goal, "--modes", CONDUCTOR, "--no-bundled", "--json")
    assert json.loads(out)["entry"]["slug"] == "conductor"
    code, out, _ = _invoke(
        "route", goal, "--modes", CONDUCTOR, "--no-bundled", "--edges", "declared", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert (data["entry"]["slug"], data["edges"]) == ("orchestrator", "declared")


@pytest.mark.parametrize(
    ("goal", "message"),
    [
        ("", "the goal is empty"),
        ("   ", "the goal is empty"),
        ("?!...", "the goal '?!...' has no words"),
        ("x" * 1_000_001, "characters long, more than the 20,000"),
    ],
)
@pytest.mark.parametrize("command", ["route", "run"])
def test_an_empty_or_huge_goal_is_a_clear_error(
    in_tmp: Path, command: str, goal: str, message: str
) -> None:
    code, out, err = _invoke(command, goal, "--modes", FLAT, "--no-bundled")
    assert code == 1
    assert message in " ".join(err.split())
    assert "Traceback" not in out + err
    assert not (in_tmp / "project_journal").exists()


@pytest.mark.parametrize("command", ["route", "run"])
def test_a_catalog_with_no_modes_is_a_clear_error(in_tmp: Path, command: str) -> None:
    (in_tmp / "empty").mkdir()
    code, out, err = _invoke(command, "Build it", "--modes", "empty", "--no-bundled")
    assert code == 1
    assert "the catalog has no modes" in err
    assert "Traceback" not in out + err


# -- modegraph test -------------------------------------------------------------

CASES = """\
# routing cases for the flat catalog
cases:
  - name: three parts, three roles
    goal: {goal}
    first: [api-builder, schema-keeper, shipper]
    exact: true
    avoids: doc-writer
    uncovered: false
  - goal: Compose a wedding speech for my brother
    uncovered: true
"""


def _cases(tmp: Path, text: str) -> str:
    path = tmp / "cases.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_passing_cases_exit_0(in_tmp: Path) -> None:
    path = _cases(in_tmp, CASES.format(goal=GOAL))
    code, out, err = _invoke("test", path, "--modes", FLAT, "--no-bundled")
    assert code == 0, out + err
    assert f"PASS  three parts, three roles  ({path}:3)" in out
    assert "2 cases: 2 passed, 0 failed" in out


def test_a_failing_case_exits_1_and_says_what_did_not_hold(in_tmp: Path) -> None:
    text = CASES.format(goal=GOAL).replace("avoids: doc-writer", "avoids: shipper")
    text += "  - goal: Write the README\n    first: shipper\n"
    text += "  - goal: Write the README\n    uncovered: true\n"
    path = _cases(in_tmp, text)
    code, out, _ = _invoke("test", path, "--modes", FLAT, "--no-bundled")
    assert code == 1
    assert "route: shipper got work, which the case avoids" in out
    assert "first hop: expected shipper; orchestrator handed work to doc-writer" in out
    assert (
        "expected some part of the goal to be reported not covered (uncovered: true); every "
        "part was covered (it went to orchestrator, doc-writer)" in " ".join(out.split())
    )
    assert "4 cases: 1 passed, 3 failed" in out
    code, out, _ = _invoke("test", path, "--modes", FLAT, "--no-bundled", "--json")
    assert code == 1
    data = json.loads(out)
    assert (data["passed"], data["failed"]) == (1, 3)
    assert data["cases"][0]["first_hop"] == ["api-builder", "schema-keeper", "shipper"]
    assert data["cases"][2]["failures"] == [
        "first hop: expected shipper; orchestrator handed work to doc-writer"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cases: [\n", ":1: YAML syntax error"),
        ("- goal: x\n", ":1: a cases file is a mapping with a `cases:` list"),
        (
            "cases:\n  - goal: x\n    frist: [a]\n",
            ":3: unknown key 'cases.0.frist'; did you mean 'first'?",
        ),
        ("cases:\n  - goal: x\n", ":2: cases.0: the case expects nothing"),
        ("cases:\n  - goal: x\n    exact: true\n", ":2: cases.0: `exact: true` needs `first`"),
        ("cases: []\n", ":1: cases: the file has no cases; add at least one under `cases:`"),
        ("cases:\n  - first: [shipper]\n", ":2: cases.0.goal: Field required"),
        (
            "cases:\n  - goal: x\n    first: [shiper]\n",
            ":3: `first` names 'shiper', which is no role of the catalog; did you mean shipper?",
        ),
        (  # a list item on a line of its own: that line
            "cases:\n  - goal: x\n    reaches:\n      - shipper\n      - shiper\n",
            ":5: `reaches` names 'shiper'",
        ),
        ("mode: nobody\ncases:\n  - goal: x\n    uncovered: true\n", ":1: `mode` names 'nobody'"),
        (
            "cases:\n  - goal: x\n    first:\n",
            ":3: cases.0.first: give one slug or a list of slugs (or leave the key out)",
        ),
        (
            "cases:\n  - goal: x\n    uncovered: true\n  - goal: y\n    mode: nobody\n"
            "    uncovered: true\n",
            ":5: `mode` names 'nobody'",
        ),
    ],
)
def test_a_bad_cases_file_exits_2_with_file_and_line(in_tmp: Path, text: str, message: str) -> None:
    path = _cases(in_tmp, text)
    code, out, err = _invoke("test", path, "--modes", FLAT, "--no-bundled")
    assert code == 2, out + err
    assert f"{path}{message}" in " ".join(err.split())
    assert "Traceback" not in out + err


def test_mode_option_is_the_entry_of_cases_that_name_none(in_tmp: Path) -> None:
    path = _cases(in_tmp, "mode: nobody\ncases:\n  - goal: x\n    uncovered: true\n")
    code, out, err = _invoke("test", path, "--modes", FLAT, "--no-bundled", "--mode", "shipper")
    assert code == 0, out + err
    code, _, err = _invoke("test", path, "--modes", FLAT, "--no-bundled", "--mode", "shiper")
    assert code == 2
    assert "--mode names 'shiper', which is no role of the catalog; did you mean shipper?" in (
        " ".join(err.split())
    )


def test_a_missing_cases_file_exits_2(in_tmp: Path) -> None:
    code, _, err = _invoke("test", "nope.yaml", "--modes", FLAT, "--no-bundled")
    assert code == 2
    assert "nope.yaml: no such file" in err


def test_cases_against_a_catalog_with_no_modes_say_so(in_tmp: Path) -> None:
    (in_tmp / "empty").mkdir()
    path = _cases(in_tmp, "cases:\n  - goal: Build it\n    first: shipper\n")
    code, out, err = _invoke("test", path, "--modes", "empty", "--no-bundled")
    assert code == 1
    assert "the catalog has no modes" in err
    assert "Traceback" not in out + err


def test_a_cases_file_that_is_a_pipe_is_refused_not_read(tmp_path, monkeypatch):
    # found by the CLI fuzz test: `modegraph test FIFO` waited forever for a writer
    import os

    from typer.testing import CliRunner

    from modegraph.cli.app import app

    monkeypatch.chdir(tmp_path)
    os.mkfifo(tmp_path / "cases.yaml")
    result = CliRunner().invoke(app, ["test", "cases.yaml"])
    assert result.exit_code == 2
    assert "not a regular file" in result.output


@pytest.mark.parametrize("command", ["route", "test"])
def test_route_and_test_see_the_project_catalog_run_sees(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    # A project with its own .roomodes: the bundled library stays out, as for run.
    monkeypatch.setenv("HOME", str(in_tmp / "home"))
    (in_tmp / ".git").mkdir()
    (in_tmp / ".roomodes").write_text(Path(FLAT).read_text(encoding="utf-8"), encoding="utf-8")
    cases = _cases(
        in_tmp, "cases:\n  - goal: Add REST endpoints for orders\n    reaches: api-builder\n"
    )
    args = [GOAL, "--json"] if command == "route" else [cases, "--json"]
    code, out, err = _invoke(command, *args)
    assert code == 0, err
    assert "fastapi-developer" not in out  # a bundled mode
    assert "roo-commander" not in out
    code, out, _ = _invoke(command, *args, "--no-discover", "--no-bundled")
    assert code == 1
    assert "no modes" in out + _
