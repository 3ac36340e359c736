"""`modegraph run --model ... --base-url ...` against the scripted server, as a user runs it.

The command line, the real `langchain-openai` / `langchain-anthropic` SDK path, the
sandboxed tools, the checkpoint and the journal are all real; only the model is a
script on 127.0.0.1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from scripted_llm_server import (
    MAIN_JOB,
    Seen,
    always_handoff_script,
    complete,
    handoffs,
    main_job_script,
)
from typer.testing import CliRunner

from modegraph.cli import _running as run_cli
from modegraph.cli.app import app
from modegraph.coordinator import stored_settings

MODEL = {"openai": "gpt-test-mini", "anthropic": "claude-test-haiku"}
PRICES = "prices:\n  {spec}: {{input: 0.15, output: 0.60}}\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project: the workspace `ws` and the journal under the current folder."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ws").mkdir()
    return tmp_path


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def run_args(server: Any, wire: str, *extra: str) -> list[str]:
    return [
        "run",
        MAIN_JOB,
        "--mode",
        "fastapi-developer",
        "--model",
        f"{wire}:{MODEL[wire]}",
        "--base-url",
        server.base_url,
        "--workspace",
        "ws",
        *extra,
    ]


def priced(project: Path, wire: str) -> None:
    spec = f"{wire}:{MODEL[wire]}"
    (project / "ws" / "modegraph.yaml").write_text(PRICES.format(spec=spec), encoding="utf-8")


# ----- the README's main job ------------------------------------------------------------


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
def test_the_main_job_with_a_real_sdk_pins_its_cost(
    wire: str, project: Path, llm_server: Any
) -> None:
    server = llm_server(wire=wire, script=main_job_script(), model=MODEL[wire])
    priced(project, wire)
    code, out, err = cli(*run_args(server, wire, "--json"))
    assert code == 0, err
    data = json.loads(out)
    assert data["status"] == "completed"
    assert (data["llm_calls"], data["tokens"]) == (9, 10_565)
    assert data["cost"] == pytest.approx(0.001839)  # 10 000 in x $0.15/M + 565 out x $0.60/M
    hops = {s["role"]: (s["llm_calls"], s["tokens"], s["cost"]) for s in data["subtasks"]}
    assert hops == {
        "fastapi-developer": (4, 7280, pytest.approx(0.001263)),
        "database-specialist": (2, 1260, pytest.approx(0.000216)),
        "security-specialist": (1, 870, pytest.approx(0.000162)),
        "infrastructure-specialist": (2, 1155, pytest.approx(0.000198)),
    }
    assert data["models"]["fastapi-developer"] == {
        "model": f"{wire}:{MODEL[wire]}",
        "why": "--model",
    }
    journal = (project / data["journal"]).read_text(encoding="utf-8")
    assert "Spend: 9 LLM call(s), 10565 tokens, $0.001839" in journal
    assert "- database-specialist: 2 LLM call(s), 1260 tokens, $0.000216" in journal
    assert (project / "ws/app/main.py").is_file()


def test_the_text_output_shows_the_models_and_the_cost(project: Path, llm_server: Any) -> None:
    server = llm_server(wire="openai", script=main_job_script())
    priced(project, "openai")
    code, out, err = cli(*run_args(server, "openai"))
    assert code == 0, err
    assert "model: openai:gpt-test-mini for fastapi-developer, " in err
    assert "LLM calls: 9, tokens: 10565, cost: $0.001839" in out
    assert "  database-specialist: 2 LLM calls, 1260 tokens, $0.000216" in out


def test_without_prices_the_cost_says_what_it_leaves_out(project: Path, llm_server: Any) -> None:
    server = llm_server(wire="openai", script=main_job_script())
    code, out, err = cli(*run_args(server, "openai"))
    assert code == 0, err
    assert "LLM calls: 9, tokens: 10565\n" in out
    assert "Cost: not counted for openai:gpt-test-mini (no price in modegraph.yaml prices:" in out


def test_live_progress_streams_and_names_each_tool_call(
    project: Path, llm_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run_cli, "live_output", lambda json_out: not json_out)
    server = llm_server(wire="openai", script=main_job_script())
    code, _, err = cli(*run_args(server, "openai"))
    assert code == 0, err
    assert all(seen.stream for seen in server.requests)  # the view streams answers
    assert "⚙ fastapi-developer calls write_file(path='app/main.py'" in err
    assert "⚙ database-specialist calls write_file(path='migrations/001_users.sql'" in err
    assert "⚙ fastapi-developer calls edit_file(path='app/main.py'" in err


# ----- budgets and a misbehaving model --------------------------------------------------------


def test_a_model_that_always_hands_off_is_stopped_early(project: Path, llm_server: Any) -> None:
    server = llm_server(wire="openai", script=always_handoff_script())
    priced(project, "openai")
    code, out, _ = cli(*run_args(server, "openai", "--json"))
    assert code == 1
    data = json.loads(out)
    assert data["status"] == "blocked"
    assert data["reason"].startswith("guard: database-specialist is already in this escalation")
    # each role hands the same work on, is refused, and asks again: stopped on the repeat
    assert sum("the model repeats itself" in r["reason"] for r in data["refused"]) == 3
    # 198 calls before these guards; now 6 (two per role), with their cost shown
    assert data["llm_calls"] == len(server.requests) == 6
    assert data["cost"] == pytest.approx(6 * (100 * 0.15 + 20 * 0.60) / 1e6)


def test_the_default_call_budget_is_scaled_to_the_task(project: Path, llm_server: Any) -> None:
    server = llm_server(wire="openai", script=main_job_script())
    code, out, _ = cli(*run_args(server, "openai", "--json"))
    assert code == 0
    policy = stored_settings(json.loads(out)["task_id"]).policy
    # the FastAPI developer may hand work to 4 roles: 8 x (1 + 4)
    assert (policy.max_llm_calls, policy.default_llm_calls) == (40, True)


def test_max_cost_stops_the_run_and_shows_the_spend(project: Path, llm_server: Any) -> None:
    # the developer writes a file, then hands off: two calls, $0.000228 + $0.000246
    server = llm_server(
        wire="openai", script={"fastapi-developer": main_job_script()["fastapi-developer"][:2]}
    )
    priced(project, "openai")
    code, out, _ = cli(*run_args(server, "openai", "--max-cost", "0.0003", "--json"))
    assert code == 1
    data = json.loads(out)
    assert data["status"] == "blocked"
    assert data["reason"] == "guard: the cost budget is spent ($0.0005 of --max-cost $0.0003)"
    assert (data["llm_calls"], data["cost"]) == (2, pytest.approx(0.000474))
    # no specialist got a turn once the money was spent
    assert {s["role"]: s["llm_calls"] for s in data["subtasks"]}["database-specialist"] == 0


def test_max_cost_needs_a_price_for_every_model(project: Path, llm_server: Any) -> None:
    server = llm_server(wire="openai", script={})
    code, _, err = cli(*run_args(server, "openai", "--max-cost", "1"))
    assert code == 2
    assert "--max-cost needs a price for every model the run may use" in err
    assert "openai:gpt-test-mini" in err
    # A placeholder, never another model's price a user might paste as this one's.
    assert "'openai:gpt-test-mini: {input: IN, output: OUT}'" in " ".join(err.split())
    assert "0.15" not in err
    assert server.requests == []


# ----- setup errors, before anything runs ------------------------------------------------------


def test_a_missing_api_key_stops_the_run_before_it_starts(project: Path) -> None:
    code, _, err = cli("run", MAIN_JOB, "--mode", "fastapi-developer", "--model", "openai:gpt-4o")
    assert code == 1
    assert "model openai:gpt-4o needs an API key: set OPENAI_API_KEY" in err
    assert not (project / "project_journal").exists()


def test_model_options_without_a_model_are_usage_errors(project: Path) -> None:
    code, _, err = cli("run", MAIN_JOB, "--base-url", "http://127.0.0.1:1/v1")
    assert code == 2
    assert "--base-url only apply to chat models; add --model provider:model" in err
    code, _, err = cli("run", MAIN_JOB, "--model", "openai:x", "--max-cost", "0")
    assert code == 2
    assert "is not above 0" in err


# ----- per-handoff approvals without a terminal ------------------------------------------------


def _told_of_the_rejection(seen: Seen) -> None:
    assert "## Refused handoffs" in seen.system
    assert "rejected by a person: no Docker before the review" in seen.system
    assert "## Results of your handoffs" in seen.system


def test_per_handoff_approvals_change_the_outcome(project: Path, llm_server: Any) -> None:
    job = main_job_script()
    script = {
        "fastapi-developer": [
            handoffs(
                {
                    "database-specialist": "Design the Postgres users schema with migrations",
                    "security-specialist": "Hash passwords and issue login tokens",
                    "infrastructure-specialist": "Containerize the API and Postgres with Docker",
                }
            ),
            complete("API, schema and auth; no deployment", check=_told_of_the_rejection),
        ],
        "database-specialist": job["database-specialist"],
        "security-specialist": job["security-specialist"],
    }
    server = llm_server(wire="openai", script=script)
    code, out, _ = cli(*run_args(server, "openai", "--approve", "escalations", "--json"))
    assert code == 2
    waiting = json.loads(out)
    task = waiting["task_id"]
    ids = {a["to"]: a["id"] for a in waiting["approvals"]}
    assert set(ids) == {"database-specialist", "security-specialist", "infrastructure-specialist"}

    # answer two of three: one approved, one rejected with a reason; the third still waits
    code, out, _ = cli(
        "resume",
        task,
        "--approve",
        ids["database-specialist"],
        "--reject",
        ids["infrastructure-specialist"],
        "no Docker before the review",
        "--json",
    )
    assert code == 2
    assert [a["to"] for a in json.loads(out)["approvals"]] == ["security-specialist"]

    code, out, _ = cli("resume", task, "--approve", ids["security-specialist"], "--json")
    assert code == 1
    done = json.loads(out)
    assert done["status"] == "blocked"  # the deployment it asked for was rejected
    assert done["reason"] == (
        "fastapi-developer -> infrastructure-specialist was rejected by a person: "
        "no Docker before the review"
    )
    assert sorted(s["role"] for s in done["subtasks"]) == [
        "database-specialist",
        "fastapi-developer",
        "security-specialist",
    ]
    assert server.calls_for("infrastructure-specialist") == []


def test_an_unknown_approval_id_is_refused(project: Path, llm_server: Any) -> None:
    script = {"fastapi-developer": [handoffs({"database-specialist": "Design the schema"})]}
    server = llm_server(wire="openai", script=script)
    code, out, _ = cli(*run_args(server, "openai", "--approve", "escalations", "--json"))
    assert code == 2
    task = json.loads(out)["task_id"]
    code, _, err = cli("resume", task, "--reject", f"{task}:approval:9:9", "why")
    assert code == 1
    assert (
        f"no approval with id {task}:approval:9:9 is waiting; waiting: {task}:approval:1:1" in err
    )
    code, _, err = cli("resume", task, "--approve", "--reject", f"{task}:approval:1:1", "x")
    assert code == 2
    assert "answer everything" in err
    assert len(server.requests) == 1


def test_the_text_output_gives_each_waiting_request_its_id(project: Path, llm_server: Any) -> None:
    script = {
        "fastapi-developer": [
            handoffs({"database-specialist": "Design the schema"}),
            complete("API without a schema"),
        ]
    }
    server = llm_server(wire="openai", script=script)
    code, out, _ = cli(*run_args(server, "openai", "--approve", "escalations"))
    assert code == 2
    task = next(line.split()[-1] for line in out.splitlines() if line.startswith("fastapi"))
    request = f"{task}:approval:1:1"
    assert (
        "Waiting for approval: fastapi-developer → database-specialist (escalate): Design the "
        f"schema [{request}]"
    ) in out
    code, out, _ = cli("resume", task, "--reject", request, "not now")
    assert code == 1
    assert (
        "Reason: fastapi-developer -> database-specialist was rejected by a person: not now" in out
    )
