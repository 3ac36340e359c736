"""`modegraph run` and `modegraph resume` through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from modegraph.cli.app import app

SEED = Path(__file__).parent / "data" / "seed.mode.yaml"
GOAL = (
    "Build a users API with signup and login, a Postgres schema with migrations, "
    "and deploy it with Docker"
)
SUBTASK_KEYS = {
    "id",
    "parent",
    "role",
    "goal",
    "status",
    "reason",
    "summary",
    "llm_calls",
    "tokens",
    "cost",
}
TOP_KEYS = {
    "task_id",
    "status",
    "entry",
    "journal",
    "subtasks",
    "refused",
    "llm_calls",
    "tokens",
    "cost",
    "reason",
    "models",
    "approvals",
    "uncovered",
    "entry_choice",
    "guard",
}


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty project directory with an empty user layer."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def invoke(*args: str) -> object:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def run_json(*extra: str) -> tuple[int, dict[str, object], str]:
    result = CliRunner().invoke(
        app,
        ["run", GOAL, "--modes", str(SEED), "--no-bundled", "--json", *extra],
        catch_exceptions=False,
    )
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_run_json_is_one_object_with_the_documented_keys(in_tmp: Path) -> None:
    code, data, stderr = run_json("--mode", "fastapi-developer")
    assert code == 0
    assert set(data) == TOP_KEYS
    assert data["status"] == "completed"
    assert data["entry"] == "fastapi-developer"
    subtasks = data["subtasks"]
    assert isinstance(subtasks, list)
    assert all(set(s) == SUBTASK_KEYS for s in subtasks)
    assert subtasks[0]["parent"] is None
    assert [s["role"] for s in subtasks] == [
        "fastapi-developer",
        "database-specialist",
        "infrastructure-specialist",
    ]
    assert Path(str(data["journal"])).is_file()
    assert str(data["journal"]).startswith("project_journal")
    assert (in_tmp / "project_journal" / "checkpoints.sqlite").is_file()
    # live progress goes to stderr
    assert "fastapi-developer → database-specialist" in stderr


def test_run_defaults_to_the_catalog_coordinator(in_tmp: Path) -> None:
    code, data, _ = run_json()
    assert code == 0
    assert data["entry"] == "roo-commander"


def test_run_prints_the_route_summary_and_journal(in_tmp: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["run", GOAL, "--modes", str(SEED), "--no-bundled", "--mode", "fastapi-developer"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    out = result.stdout
    assert "Route" in out
    assert "database-specialist" in out
    assert "Status: completed" in out
    assert "Summary: Integrated " in out
    assert "FastAPI Developer kept 'Build a users API with signup and login'" in out
    assert "without a model no work was carried out" in out
    assert "Journal: project_journal/tasks/TASK-FASTAPI-" in out


def test_unknown_mode_is_a_clear_error(in_tmp: Path) -> None:
    result = CliRunner().invoke(
        app, ["run", GOAL, "--modes", str(SEED), "--no-bundled", "--mode", "fastapi"]
    )
    assert result.exit_code == 1
    assert "no mode with slug 'fastapi'" in result.stderr
    assert "did you mean fastapi-developer" in result.stderr


def test_empty_catalog_is_a_clear_error(in_tmp: Path) -> None:
    result = CliRunner().invoke(app, ["run", GOAL, "--no-bundled"])
    assert result.exit_code == 1
    assert "the catalog has no modes; add mode files with --modes PATH" in result.stderr


def test_bad_approve_value(in_tmp: Path) -> None:
    result = CliRunner().invoke(
        app, ["run", GOAL, "--modes", str(SEED), "--no-bundled", "--approve", "sometimes"]
    )
    assert result.exit_code == 2
    assert "use none, handoffs, escalations or tier:" in result.stderr


AGENTS = {
    "api-builder": "Builds REST endpoints and API handlers for the backend service.",
    "doc-writer": "Writes and updates documentation, READMEs and changelogs.",
}


def _agents_folder(root: Path) -> None:
    folder = root / ".claude" / "agents"
    folder.mkdir(parents=True)
    for name, description in AGENTS.items():
        text = f"---\nname: {name}\ndescription: {description}\n---\nYou are {name}.\n"
        (folder / f"{name}.md").write_text(text, encoding="utf-8")


def test_escalations_over_a_folder_of_agents_warns_that_nothing_is_held(in_tmp: Path) -> None:
    _agents_folder(in_tmp)
    goal = "Add a REST endpoint for orders and document it in the README"
    result = CliRunner().invoke(app, ["run", goal, "--approve", "escalations", "--json"])
    assert result.exit_code == 0, result.output
    # the orchestrator only delegates: without the warning this ran unasked, silently
    assert "--approve escalations holds nothing in this run" in result.stderr
    assert "--approve handoffs" in result.stderr


def test_approve_handoffs_holds_every_handoff(in_tmp: Path) -> None:
    _agents_folder(in_tmp)
    goal = "Add a REST endpoint for orders and document it in the README"
    result = CliRunner().invoke(app, ["run", goal, "--approve", "handoffs", "--json"])
    assert result.exit_code == 2, result.output
    data = json.loads(result.stdout)
    assert sorted(a["to"] for a in data["approvals"]) == ["api-builder", "doc-writer"]
    assert {a["kind"] for a in data["approvals"]} == {"delegate"}
    assert "holds nothing" not in result.stderr


def test_waiting_for_approval_then_reject(in_tmp: Path) -> None:
    code, data, _ = run_json("--mode", "fastapi-developer", "--approve", "escalations")
    assert code == 2
    assert data["status"] == "waiting_approval"
    subtasks = data["subtasks"]
    assert isinstance(subtasks, list)
    assert subtasks[0]["status"] == "waiting_approval"
    assert subtasks[0]["summary"].startswith("Hands off database-specialist")
    waiting = data["approvals"]
    assert isinstance(waiting, list)
    assert [(a["from"], a["to"], a["kind"]) for a in waiting] == [
        ("fastapi-developer", "database-specialist", "escalate"),
        ("fastapi-developer", "infrastructure-specialist", "escalate"),
    ]
    assert all(a["goal"] and a["id"].startswith(str(data["task_id"])) for a in waiting)
    result = CliRunner().invoke(
        app, ["resume", str(data["task_id"]), "--reject", "not this sprint", "--json"]
    )
    # the work the role asked for was rejected: the run is not `completed`
    assert result.exit_code == 1, result.stderr
    done = json.loads(result.stdout)
    assert done["status"] == "blocked"
    assert done["reason"] == (
        "fastapi-developer -> database-specialist was rejected by a person: not this sprint"
    )
    assert [r["to"] for r in done["refused"]] == [
        "database-specialist",
        "infrastructure-specialist",
    ]
    assert all("not this sprint" in r["reason"] for r in done["refused"])
    assert len(done["uncovered"]) == 2
    assert all("not this sprint" in u["reason"] for u in done["uncovered"])


def test_answering_one_request_by_id_says_it_was_taken(in_tmp: Path) -> None:
    code, data, _ = run_json("--mode", "fastapi-developer", "--approve", "escalations")
    assert code == 2
    first, second = (a["id"] for a in data["approvals"])  # type: ignore[union-attr]
    result = CliRunner().invoke(
        app, ["resume", str(data["task_id"]), "--reject", first, "not this sprint"]
    )
    assert result.exit_code == 2, result.output
    assert f"Rejected {first}: not this sprint" in result.stdout
    assert f"[{second}]" in result.stdout  # still waiting
    result = CliRunner().invoke(app, ["resume", str(data["task_id"]), "--approve", second])
    assert f"Approved {second}" in result.stdout
    # the requester's plan for the rejected part is a plan, not work it took over
    assert "would do the work of its refused handoffs itself (planned, not carried out)" in (
        " ".join(result.stdout.split())
    )


def test_approve_from_modegraph_yaml(in_tmp: Path) -> None:
    (in_tmp / "modegraph.yaml").write_text("approve: escalations\n", encoding="utf-8")
    code, data, _ = run_json("--mode", "fastapi-developer")
    assert code == 2
    assert data["status"] == "waiting_approval"
    code, data, _ = run_json("--mode", "fastapi-developer", "--approve", "none")
    assert code == 0


def test_guard_flags(in_tmp: Path) -> None:
    code, data, _ = run_json("--mode", "fastapi-developer", "--max-subtasks", "1")
    assert code == 1
    assert data["status"] == "blocked"
    assert len(data["subtasks"]) == 2
    refused = data["refused"]
    assert isinstance(refused, list)
    assert "--max-subtasks 1" in refused[0]["reason"]


def test_resume_flags(in_tmp: Path) -> None:
    both = CliRunner().invoke(app, ["resume", "TASK-X", "--approve", "--reject", "no"])
    assert both.exit_code == 2
    assert "not both" in both.stderr
    unknown = CliRunner().invoke(app, ["resume", "TASK-X"])
    assert unknown.exit_code == 1
    assert "no checkpoint file" in unknown.stderr
    assert not Path("project_journal").exists()


def test_resume_of_an_unknown_id_creates_nothing(in_tmp: Path) -> None:
    code, _, _ = run_json("--mode", "fastapi-developer")
    assert code == 0
    unknown = CliRunner().invoke(app, ["resume", "TASK-NOPE"])
    assert unknown.exit_code == 1
    assert "no run with task id 'TASK-NOPE'" in unknown.stderr
    elsewhere = CliRunner().invoke(app, ["resume", "TASK-NOPE", "--journal", "other"])
    assert elsewhere.exit_code == 1
    assert not (in_tmp / "other").exists()


@pytest.mark.parametrize("flags", [["--approve"], ["--reject", "too late"]])
def test_approving_a_finished_run_is_an_error(in_tmp: Path, flags: list[str]) -> None:
    code, data, _ = run_json("--mode", "fastapi-developer")
    assert code == 0
    result = CliRunner().invoke(app, ["resume", str(data["task_id"]), *flags])
    assert result.exit_code == 1
    assert "nothing is waiting for approval (status: completed)" in result.stderr


def test_a_bad_checkpoint_url_reserves_no_task_id(in_tmp: Path) -> None:
    result = CliRunner().invoke(
        app, ["run", GOAL, "--modes", str(SEED), "--no-bundled", "--checkpoint", "redis://h"]
    )
    assert result.exit_code == 2
    assert "use sqlite:///PATH" in result.stderr
    assert not (in_tmp / "project_journal").exists()


def test_a_checkpoint_url_is_shown_without_its_password() -> None:
    from modegraph.coordinator.persistence import shown_url

    assert shown_url("postgres://u:p@127.0.0.1:1/db") == "postgres://u:***@127.0.0.1:1/db"
    assert shown_url("postgresql://127.0.0.1/db") == "postgresql://127.0.0.1/db"


def test_model_with_an_unknown_provider_is_a_clear_error(in_tmp: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["run", GOAL, "--modes", str(SEED), "--no-bundled", "--model", "nosuch:model"],
    )
    assert result.exit_code == 1
    assert "nosuch" in result.stderr


def test_budget_flags_reach_the_policy(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from modegraph.coordinator import runner as runner_module

    seen = []
    original = runner_module.Runner.__init__

    def spy(self: runner_module.Runner, **kwargs: object) -> None:
        seen.append(kwargs["policy"])
        original(self, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner_module.Runner, "__init__", spy)
    code, _, _ = run_json("--max-llm-calls", "7", "--max-tokens", "900", "--max-depth", "2")
    assert code == 0
    (policy,) = seen
    assert (policy.max_llm_calls, policy.max_tokens, policy.max_depth) == (7, 900, 2)


def test_asking_in_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from modegraph.cli import _run_view
    from modegraph.coordinator import ApprovalRequest

    answers = iter([True, False])
    monkeypatch.setattr(_run_view.typer, "confirm", lambda *a, **k: next(answers))
    monkeypatch.setattr(_run_view.typer, "prompt", lambda *a, **k: "not now")
    requests = [
        ApprovalRequest(
            id=f"T:approval:1:{n}", subtask="T", source="a", target=t, kind="escalate", goal="g"
        )
        for n, t in enumerate(["b", "c"], start=1)
    ]
    decisions = _run_view.ask_in_terminal(requests)
    assert decisions["T:approval:1:1"].approved
    assert not decisions["T:approval:1:2"].approved
    assert decisions["T:approval:1:2"].reason == "not now"


def test_stopping_at_a_prompt_keeps_the_answers_given(monkeypatch: pytest.MonkeyPatch) -> None:
    from modegraph.cli import _run_view
    from modegraph.coordinator import ApprovalRequest

    calls: list[int] = []

    def confirm_twice(*args: object, **kwargs: object) -> bool:
        calls.append(1)
        if len(calls) == 3:
            raise _run_view.typer.Abort()
        return len(calls) == 1

    monkeypatch.setattr(_run_view.typer, "confirm", confirm_twice)
    monkeypatch.setattr(_run_view.typer, "prompt", lambda *a, **k: "not now")
    requests = [
        ApprovalRequest(
            id=f"T:approval:1:{n}", subtask="T", source="a", target=t, kind="escalate", goal="g"
        )
        for n, t in enumerate(["b", "c", "d"], start=1)
    ]
    decisions = _run_view.ask_in_terminal(requests)
    assert set(decisions) == {"T:approval:1:1", "T:approval:1:2"}
    assert decisions["T:approval:1:1"].approved
    assert decisions["T:approval:1:2"].reason == "not now"


def test_a_limit_from_modegraph_yaml_is_named_as_such(in_tmp: Path) -> None:
    (in_tmp / "modegraph.yaml").write_text("guards:\n  max_subtasks: 1\n", encoding="utf-8")
    code, data, _ = run_json("--mode", "fastapi-developer")
    assert code == 1
    refused = data["refused"]
    assert isinstance(refused, list)
    reason = refused[0]["reason"]
    assert "already has 1 subtask," in reason
    assert "the most guards.max_subtasks 1 (modegraph.yaml) allows" in reason
    code, data, _ = run_json("--mode", "fastapi-developer", "--max-subtasks", "1")
    refused = data["refused"]
    assert isinstance(refused, list)
    assert "the most --max-subtasks 1 allows" in refused[0]["reason"]


def test_one_modegraph_yaml_the_workspaces(in_tmp: Path) -> None:
    (in_tmp / "modegraph.yaml").write_text("approve: escalations\n", encoding="utf-8")
    workspace = in_tmp / "ws"
    workspace.mkdir()
    code, data, _ = run_json("--mode", "fastapi-developer", "--workspace", str(workspace))
    assert code == 0, data  # the current directory's file is not read
    (workspace / "modegraph.yaml").write_text("approve: escalations\n", encoding="utf-8")
    code, data, _ = run_json("--mode", "fastapi-developer", "--workspace", str(workspace))
    assert code == 2
    assert data["status"] == "waiting_approval"


def test_missing_escalation_targets_are_announced_first(in_tmp: Path) -> None:
    code, _, stderr = run_json("--mode", "fastapi-developer")
    assert code == 0
    first = stderr.splitlines()[0]
    assert first.startswith("warning: 1 handoff target of the roles this run can reach")
    assert "(ghost-specialist)" in first


def test_missing_escalation_targets_are_named_before_the_run(in_tmp: Path) -> None:
    result = CliRunner().invoke(app, ["run", GOAL, "--modes", str(SEED), "--no-bundled"])
    flat = " ".join(result.stderr.split())
    assert "1 handoff target of the roles this run can reach is missing" in flat
    assert "(ghost-specialist)" in flat
    assert "Add their mode files with --modes (or drop --no-bundled)" in flat


def test_the_missing_targets_warning_names_only_options_the_run_was_given(in_tmp: Path) -> None:
    result = CliRunner().invoke(app, ["run", GOAL, "--modes", str(SEED)])
    flat = " ".join(result.stderr.split())
    assert "1 handoff target of the roles this run can reach is missing" in flat
    assert "--no-bundled" not in flat
    assert "holds nothing" not in flat  # no --approve given


def test_a_coordinator_takes_over_no_refused_work(in_tmp: Path) -> None:
    """The built-in orchestrator only coordinates: a rejected part is not done, by anyone."""
    agents = str(Path(__file__).parents[1] / "catalogs" / "claude_agents" / ".claude" / "agents")
    goal = "Review the login code for bugs and write the API docs"
    started = CliRunner().invoke(
        app, ["run", goal, "--modes", agents, "--approve", "handoffs", "--json"]
    )
    assert started.exit_code == 2, started.stderr
    data = json.loads(started.stdout)
    assert data["entry"] == "orchestrator"
    first, second = (a["id"] for a in data["approvals"])
    task = str(data["task_id"])
    CliRunner().invoke(app, ["resume", task, "--reject", first, "no"])
    done = CliRunner().invoke(app, ["resume", task, "--approve", second])
    flat = " ".join(done.stdout.split())
    assert "Orchestrator only coordinates, so the work of its refused handoffs was not done" in flat
    assert "would do the work of its refused handoffs itself" not in flat
