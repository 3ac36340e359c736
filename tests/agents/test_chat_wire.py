"""The chat agent through the real SDKs over a real socket: OpenAI and Anthropic wires.

Every test points `langchain-openai` / `langchain-anthropic` (and the `openai` /
`anthropic` SDKs under them) at the strict scripted server on 127.0.0.1, so tool
schemas are sent, tool calls parsed off the wire (streamed and not), usage read from
the responses, and the SDKs' own retries and timeouts run for real.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest
from scripted_llm_server import (
    MAIN_JOB,
    Call,
    Reply,
    Seen,
    complete,
    main_job_script,
)

from modegraph.agents import SandboxedAgent, ToolsFor
from modegraph.agents.chat.agent import ChatAgent
from modegraph.agents.chat.providers import ModelChooser, ModelSettings
from modegraph.agents.protocol import AgentReport, ReportStatus, RoleTurn
from modegraph.coordinator import Runner, RunStatus
from modegraph.modes.catalog.layers import load_catalog
from modegraph.modes.config import PriceConfig, ProjectConfig
from modegraph.modes.model import Mode
from modegraph.tools import AllowAll, Workspace

WIRES = ["openai", "anthropic"]
MODEL = {"openai": "gpt-test-mini", "anthropic": "claude-test-haiku"}
DEV = Mode(slug="fastapi-developer", name="FastAPI Developer", description="Builds APIs.")


def chooser(server: Any, wire: str, **settings: Any) -> ModelChooser:
    settings.setdefault("max_retries", 0)
    return ModelChooser(
        cli_model=f"{wire}:{MODEL[wire]}",
        environ=os.environ,
        prices={f"{wire}:{MODEL[wire]}": PriceConfig(input=0.15, output=0.60)},
        settings=ModelSettings(base_url=server.base_url, **settings),
    )


def one_turn(server: Any, wire: str, *, mode: Mode = DEV, **settings: Any) -> AgentReport:
    pick = chooser(server, wire, **settings)
    pick.check([mode])
    agent = ChatAgent(model_for=pick, price_for=pick.price_for)
    turn = RoleTurn(task_id="TASK-1", subtask_id="TASK-1", mode=mode, goal="Add GET /health")
    return agent.run(turn)


# ----- the README's main job, end to end ------------------------------------------------


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "streamed"])
@pytest.mark.parametrize("wire", WIRES)
def test_the_main_job_runs_through_the_sdk(
    wire: str, stream: bool, llm_server: Any, tmp_path: Path
) -> None:
    server = llm_server(wire=wire, script=main_job_script(), model=MODEL[wire])
    workspace = tmp_path / "ws"
    workspace.mkdir()
    catalog = load_catalog(paths=[], aliases={}, include_bundled=True)
    pick = chooser(server, wire, streaming=stream)
    pick.check(catalog[s] for s in catalog.slugs)

    def make_agent(tools_for: ToolsFor) -> ChatAgent:
        return ChatAgent(model_for=pick, tools_for=tools_for, price_for=pick.price_for)

    agent = SandboxedAgent(
        make_agent=make_agent,
        workspace=Workspace(workspace),
        config=ProjectConfig(),
        approver=AllowAll(),
    )
    runner = Runner(catalog=catalog, agent=agent, journal_root=tmp_path / "journal")
    result = runner.start(MAIN_JOB, entry="fastapi-developer")

    assert result.status is RunStatus.COMPLETED, result.reason
    # the files the roles wrote and edited through their tool groups
    assert "app = FastAPI(title='users')" in (workspace / "app/main.py").read_text()
    assert (workspace / "migrations/001_users.sql").read_text().startswith("CREATE TABLE users")
    assert (workspace / "Dockerfile").read_text() == "FROM python:3.12-slim\n"
    # usage from the wire: calls and tokens per role, as the script reports them
    assert result.by_role() == {
        "fastapi-developer": (4, 1200 + 80 + 1400 + 60 + 2000 + 150 + 2300 + 90),
        "database-specialist": (2, 100 + 20 + 1100 + 40),
        "security-specialist": (1, 800 + 70),
        "infrastructure-specialist": (2, 100 + 20 + 1000 + 35),
    }
    assert (result.llm_calls, result.tokens) == (9, 10_000 + 565)  # input + output
    assert result.cost == pytest.approx((10_000 * 0.15 + 565 * 0.60) / 1_000_000)
    assert result.cost == pytest.approx(0.001839)
    # the wire: every request streamed or not, as asked; the tools each role was offered
    assert {seen.stream for seen in server.requests} == {stream}
    first = server.calls_for("fastapi-developer")[0]
    assert set(first.tools) == {
        "handoff_to_database_specialist",
        "handoff_to_security_specialist",
        "handoff_to_infrastructure_specialist",
        "handoff_to_cicd_specialist",
        "complete",
        "read_file",
        "list_files",
        "search_files",
        "write_file",
        "edit_file",
        "run_command",
    }
    assert first.role == "fastapi-developer" and "Goal: Build a users API" in first.first_user_text


# ----- a provider in trouble --------------------------------------------------------------


@pytest.mark.parametrize("wire", WIRES)
def test_429_and_500_are_retried_by_the_sdk(wire: str, llm_server: Any) -> None:
    script = {DEV.slug: [Reply(status=429), Reply(status=500), complete("Added /health")]}
    server = llm_server(wire=wire, script=script)
    report = one_turn(server, wire, max_retries=2)
    assert report.status is ReportStatus.COMPLETED
    assert report.summary == "Added /health"
    assert len(server.requests) == 3  # two retries, one LLM call
    assert report.llm_calls == 1


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (429, "the provider rate-limited the calls (429) and the retries ran out"),
        (500, "the provider failed (500) and the retries ran out"),
    ],
)
@pytest.mark.parametrize("wire", WIRES)
def test_when_retries_run_out_the_turn_fails_saying_why(
    wire: str, status: int, words: str, llm_server: Any
) -> None:
    server = llm_server(wire=wire, script={DEV.slug: [Reply(status=status)] * 2})
    report = one_turn(server, wire, max_retries=1)
    assert report.status is ReportStatus.FAILED
    assert report.summary.startswith("Failed: the chat model failed: ")
    assert words in report.summary
    assert report.llm_calls == 1
    assert len(server.requests) == 2


@pytest.mark.parametrize("wire", WIRES)
def test_a_provider_that_does_not_answer_times_out(wire: str, llm_server: Any) -> None:
    server = llm_server(wire=wire, script={DEV.slug: [Reply(delay=10)] * 2})
    report = one_turn(server, wire, timeout=0.3, max_retries=1)
    assert report.status is ReportStatus.FAILED
    assert "TimeoutError: " in report.summary
    assert "the call timed out, and so did its retries" in report.summary
    assert len(server.requests) == 2


# ----- a model that calls tools badly -------------------------------------------------------


def _told(*words: str) -> Any:
    def check(seen: Seen) -> None:
        results = seen.tool_results()
        assert len(results) == 1, results
        for word in words:
            assert word in results[0].content, results[0].content

    return check


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "streamed"])
def test_malformed_tool_call_json_goes_back_and_the_model_retries(
    stream: bool, llm_server: Any
) -> None:
    # a Python dict where JSON belongs: no JSON parser takes it, streamed or not
    broken = Reply(calls=(Call("complete", "{'summary': 'Added /health'}"),))
    fixed = complete("Added /health", tool_errors=True, check=_told("not valid JSON", "complete"))
    server = llm_server(wire="openai", script={DEV.slug: [broken, fixed]})
    report = one_turn(server, "openai", streaming=stream)
    assert report.status is ReportStatus.COMPLETED
    assert report.summary == "Added /health"
    assert report.llm_calls == 2
    assert "the model sent malformed JSON arguments for complete" in report.notes


@pytest.mark.parametrize("wire", WIRES)
def test_arguments_that_do_not_fit_the_tool_go_back(wire: str, llm_server: Any) -> None:
    wrong = Reply(calls=(Call("complete", {"summary": "", "status": "done"}),))
    fixed = complete(
        "Added /health",
        tool_errors=True,
        check=_told("invalid arguments for complete", "summary: String should have at least"),
    )
    server = llm_server(wire=wire, script={DEV.slug: [wrong, fixed]})
    report = one_turn(server, wire)
    assert report.status is ReportStatus.COMPLETED
    assert report.llm_calls == 2


def test_a_model_that_keeps_sending_bad_calls_is_stopped(llm_server: Any) -> None:
    broken = Reply(calls=(Call("complete", "{not json"),), tool_errors=True)
    server = llm_server(wire="openai", script={DEV.slug: [broken] * 4})
    report = one_turn(server, "openai")
    assert report.status is ReportStatus.BLOCKED
    assert report.summary == (
        "Blocked: the model made 4 bad tool calls (malformed or invalid arguments, unknown "
        "tools), more than the 3 a turn allows."
    )
    assert report.llm_calls == 4


@pytest.mark.parametrize("wire", WIRES)
def test_a_tool_the_role_does_not_have(wire: str, llm_server: Any) -> None:
    rogue = Reply(calls=(Call("deploy_to_production", {"now": True}),), unknown_tools=True)
    fixed = complete(
        "Added /health without deploying",
        tool_errors=True,
        check=_told("no tool named 'deploy_to_production'", "The tools you have are: complete"),
    )
    server = llm_server(wire=wire, script={DEV.slug: [rogue, fixed]})
    report = one_turn(server, wire)
    assert report.status is ReportStatus.COMPLETED
    assert "the model called unknown tool 'deploy_to_production'" in report.notes


# ----- async, cost, the key ------------------------------------------------------------------


@pytest.mark.parametrize("wire", WIRES)
def test_async_turns_use_the_same_wire(wire: str, llm_server: Any) -> None:
    server = llm_server(
        wire=wire,
        script={DEV.slug: [complete("Added /health", input_tokens=1000, output_tokens=500)]},
    )
    pick = chooser(server, wire, streaming=True)
    pick.check([DEV])
    agent = ChatAgent(model_for=pick, price_for=pick.price_for)
    turn = RoleTurn(task_id="TASK-1", subtask_id="TASK-1", mode=DEV, goal="Add GET /health")
    report = asyncio.run(agent.arun(turn))
    assert report.summary == "Added /health"
    assert (report.llm_calls, report.tokens) == (1, 1500)
    assert report.cost == pytest.approx((1000 * 0.15 + 500 * 0.60) / 1_000_000)
    assert server.requests[0].stream


def test_the_sdk_sends_the_key_from_the_environment(
    llm_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = llm_server(wire="openai", script={DEV.slug: [complete("ok")]})
    report = one_turn(server, "openai")
    assert report.status is ReportStatus.COMPLETED
    assert server.requests[0].headers["authorization"] == "Bearer sk-test-modegraph"
    # without a key, a custom base URL gets the placeholder (a local server takes any key)
    monkeypatch.delenv("OPENAI_API_KEY")
    pick = chooser(server, "openai")
    pick.check([DEV])  # no "needs an API key" error: the base URL is not OpenAI's
    model: Any = pick(DEV)
    assert model.openai_api_key.get_secret_value() == "modegraph-local"
