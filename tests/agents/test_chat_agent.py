"""The chat agent: prompt from the mode, exactly the allowed tools, a bounded loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import BaseTool, tool

from modegraph.agents.chat.agent import ChatAgent
from modegraph.agents.chat.prompts import role_of_prompt, system_prompt
from modegraph.agents.chat.turn_tools import handoff_tool_name
from modegraph.agents.protocol import (
    Agent,
    AgentReport,
    AllowedTarget,
    ChildResult,
    HandoffRequest,
    ReportStatus,
    RoleTurn,
)
from modegraph.errors import BudgetExceeded, ConfigError, ProviderError, ToolRefused
from modegraph.modes.model import EdgeKind, Mode, ToolGroup
from modegraph.testing import ScriptedChatModel as Scripted
from modegraph.testing import ScriptExhausted

DEV = Mode(
    slug="fastapi-developer",
    name="FastAPI Developer",
    emoji="🚀",
    level="032-worker-backend",
    description="Builds high-performance APIs with FastAPI.",
    role_definition="You are Roo FastAPI Developer, an expert in FastAPI.",
    custom_instructions="Prefer async def for I/O-bound path operations.",
    workflow=("Receive task details and log the goal", "Implement the API"),
)
DB = Mode(
    slug="database-specialist",
    name="Database Specialist",
    description="Designs relational schemas and migrations.",
)
SEC = Mode(
    slug="security-specialist",
    name="Security Specialist",
    when_to_use="Authentication, authorization and secrets.",
)
OPS = Mode(slug="infrastructure-specialist", name="Infrastructure Specialist")

ALLOWED = (
    AllowedTarget(mode=DB, kind=EdgeKind.ESCALATE, note="For complex database design issues"),
    AllowedTarget(mode=SEC, kind=EdgeKind.ESCALATE),
)


def _turn(**changes: Any) -> RoleTurn:
    fields: dict[str, Any] = {
        "task_id": "TASK-1",
        "subtask_id": "TASK-1.2",
        "mode": DEV,
        "goal": "Build a login API with a users table",
        "context": "The team uses PostgreSQL.",
        "allowed": ALLOWED,
        "chain": ("fastapi-developer",),
    }
    fields.update(changes)
    return RoleTurn(**fields)


@tool
def read_file(path: str) -> str:
    """Read a file in the workspace."""
    if path.startswith("/"):
        raise ToolRefused(f"{path} is outside the workspace; use a relative path")
    return f"contents of {path}"


def _tools(mode: Mode) -> list[BaseTool]:
    return [read_file]


Runner = Callable[[ChatAgent, RoleTurn], AgentReport]


@pytest.fixture(params=["sync", "async"])
def run_turn(request: pytest.FixtureRequest) -> Runner:
    """Runs a turn through `run` or through `arun`: the loop must not differ."""
    if request.param == "sync":
        return lambda agent, turn: agent.run(turn)
    return lambda agent, turn: asyncio.run(agent.arun(turn))


# ----- the prompt -----------------------------------------------------------------


def test_system_prompt_is_built_from_the_mode_and_the_turn() -> None:
    prompt = system_prompt(_turn())
    assert prompt.startswith("# Role: 🚀 FastAPI Developer (`fastapi-developer`)\n")
    assert role_of_prompt(prompt) == "fastapi-developer"
    for expected in (
        "You are Roo FastAPI Developer, an expert in FastAPI.",
        "## Custom Instructions\nPrefer async def for I/O-bound path operations.",
        "1. Receive task details and log the goal\n2. Implement the API",
        "- Subtask id: TASK-1.2",
        "`project_journal/tasks/TASK-1.2.md`",
        "`handoff_to_database_specialist`: Database Specialist (`database-specialist`), "
        "escalate. Designs relational schemas and migrations. "
        "Note: For complex database design issues",
        "`handoff_to_security_specialist`: Security Specialist (`security-specialist`), "
        "escalate. Authentication, authorization and secrets.",
        "call `complete`",
    ):
        assert expected in prompt
    assert "Results of your handoffs" not in prompt
    assert "Refused handoffs" not in prompt


def test_prompt_without_targets_says_so() -> None:
    prompt = system_prompt(_turn(allowed=()))
    assert "You may not hand work to any other role" in prompt
    assert "handoff_to_" not in prompt


def test_integration_turn_prompt_carries_the_results_and_refusals() -> None:
    result = ChildResult(
        subtask_id="TASK-1.2.1",
        role="database-specialist",
        goal="Design the users table",
        status=ReportStatus.COMPLETED,
        summary="Created users table with unique email",
        references=("migrations/001_users.sql",),
    )
    turn = _turn(
        results=(result,),
        refusals=("ops-wizard is not an allowed target of fastapi-developer",),
    )
    model = Scripted(steps=[Scripted.complete("Integrated the schema")])
    report = ChatAgent(model=model).run(turn)
    prompt = model.calls[0].system_prompt
    assert (
        "- TASK-1.2.1 (database-specialist, completed): goal 'Design the users table'. "
        "Summary: Created users table with unique email" in prompt
    )
    assert "References: migrations/001_users.sql" in prompt
    assert "## Refused handoffs" in prompt
    assert "ops-wizard is not an allowed target of fastapi-developer" in prompt
    assert "have come back" in model.calls[0].messages[1].text
    assert report.summary == "Integrated the schema"


# ----- tools bound ------------------------------------------------------------------


def test_binds_exactly_the_allowed_handoffs_complete_and_the_mode_tools() -> None:
    model = Scripted(steps=[Scripted.complete("done")])
    ChatAgent(model=model, tools_for=_tools).run(_turn())
    assert model.calls[0].tools == (
        "handoff_to_database_specialist",
        "handoff_to_security_specialist",
        "complete",
        "read_file",
    )


def test_a_handoff_to_a_role_that_is_not_allowed_cannot_be_scripted() -> None:
    model = Scripted(steps=[Scripted.handoff("infrastructure-specialist", "Deploy")])
    with pytest.raises(AssertionError, match="handoff_to_infrastructure_specialist"):
        ChatAgent(model=model).run(_turn())


def test_long_slugs_get_short_unique_tool_names() -> None:
    long_a = "a" * 70
    long_b = "a" * 71
    assert len(handoff_tool_name(long_a)) == 64
    assert handoff_tool_name(long_a) != handoff_tool_name(long_b)
    assert handoff_tool_name("database-specialist") == "handoff_to_database_specialist"


# ----- ending a turn ----------------------------------------------------------------


def test_complete_ends_the_turn_with_its_report() -> None:
    model = Scripted(
        steps=[
            Scripted.complete(
                "Built the login endpoint",
                outcome="Partial",
                references=["app/auth.py"],
                status="blocked",
            )
        ]
    )
    report = ChatAgent(model=model).run(_turn())
    assert report.status is ReportStatus.BLOCKED
    assert report.summary == "Built the login endpoint"
    assert report.outcome == "Partial"
    assert report.references == ("app/auth.py",)
    assert report.handoffs == ()
    assert report.llm_calls == 1


def test_handoffs_end_the_turn_and_are_collected_in_order() -> None:
    model = Scripted(
        steps=[
            Scripted.tool_calls(
                [
                    (
                        handoff_tool_name("database-specialist"),
                        {"goal": "Users table", "reason": "schema"},
                    ),
                    (
                        handoff_tool_name("security-specialist"),
                        {"goal": "JWT auth", "reason": "auth"},
                    ),
                ],
                content="Handing off schema and auth.",
            )
        ]
    )
    report = ChatAgent(model=model).run(_turn())
    assert report.handoffs == (
        HandoffRequest(target="database-specialist", goal="Users table", reason="schema"),
        HandoffRequest(target="security-specialist", goal="JWT auth", reason="auth"),
    )
    assert report.summary == "Handing off schema and auth."
    assert report.status is ReportStatus.COMPLETED
    assert report.llm_calls == 1


def test_handoff_without_text_gets_a_summary_listing_them() -> None:
    model = Scripted(steps=[Scripted.handoff("database-specialist", "Users table")])
    report = ChatAgent(model=model).run(_turn())
    assert report.summary == "Handed off: database-specialist: Users table"


def test_handoff_and_complete_in_one_answer() -> None:
    model = Scripted(
        steps=[
            Scripted.tool_calls(
                [
                    (handoff_tool_name("security-specialist"), {"goal": "Audit", "reason": "r"}),
                    ("complete", {"summary": "API done, audit handed off"}),
                ]
            )
        ]
    )
    report = ChatAgent(model=model).run(_turn())
    assert report.summary == "API done, audit handed off"
    assert [h.target for h in report.handoffs] == ["security-specialist"]


def test_plain_text_answer_is_the_summary() -> None:
    model = Scripted(steps=["I built the endpoint."])
    report = ChatAgent(model=model).run(_turn())
    assert report.status is ReportStatus.COMPLETED
    assert report.summary == "I built the endpoint."
    assert "plain text" in report.notes[-1]


def test_an_empty_answer_blocks() -> None:
    report = ChatAgent(model=Scripted(steps=[""])).run(_turn())
    assert report.status is ReportStatus.BLOCKED
    assert "neither text nor a tool call" in report.summary


# ----- the tool loop ----------------------------------------------------------------


def test_mode_tool_results_go_back_to_the_model(run_turn: Runner) -> None:
    model = Scripted(
        steps=[
            Scripted.tool_call("read_file", {"path": "app/main.py"}),
            Scripted.complete("Read and done"),
        ]
    )
    report = run_turn(ChatAgent(model=model, tools_for=_tools), _turn())
    result = model.calls[1].messages[-1]
    assert isinstance(result, ToolMessage)
    assert result.text == "contents of app/main.py"
    assert result.tool_call_id == model.calls[0].response.tool_calls[0]["id"]
    assert report.summary == "Read and done"
    assert report.llm_calls == 2


def test_mode_tools_called_with_complete_still_run_and_their_errors_are_noted(
    run_turn: Runner,
) -> None:
    calls: list[str] = []

    @tool
    def write_file(path: str, content: str) -> str:
        """Write a file."""
        if path.startswith("/"):
            raise ToolRefused(f"cannot write {path}: outside the workspace")
        calls.append(path)
        return "written"

    model = Scripted(
        steps=[
            Scripted.tool_calls(
                [
                    ("write_file", {"path": "a.py", "content": "x"}),
                    ("write_file", {"path": "/etc/x", "content": "x"}),
                    ("complete", {"summary": "ok"}),
                ]
            )
        ]
    )
    report = run_turn(ChatAgent(model=model, tools_for=lambda mode: [write_file]), _turn())
    assert calls == ["a.py"]
    assert report.summary == "ok"
    assert report.notes == (
        "tool 'write_file' failed: ToolRefused: cannot write /etc/x: outside the workspace",
    )


def test_the_loop_is_bounded(run_turn: Runner) -> None:
    model = Scripted(steps=[Scripted.tool_call("read_file", {"path": "x"})] * 3)
    report = run_turn(ChatAgent(model=model, tools_for=_tools, max_tool_rounds=3), _turn())
    model.assert_all_used()
    assert report.status is ReportStatus.BLOCKED
    assert report.llm_calls == 3
    assert "stopped after 3 tool rounds" in report.summary
    assert "max_tool_rounds" in report.notes[-1]


def test_an_unknown_tool_gets_an_error_listing_the_tools(run_turn: Runner) -> None:
    model = Scripted(
        steps=[Scripted.tool_call("delete_everything", {}), Scripted.complete("Recovered")],
        check_tools=False,
    )
    report = run_turn(ChatAgent(model=model, tools_for=_tools), _turn())
    error = model.calls[1].messages[-1]
    assert isinstance(error, ToolMessage)
    assert error.status == "error"
    assert error.text == (
        "Error: there is no tool named 'delete_everything' for role 'fastapi-developer'. "
        "The tools you have are: handoff_to_database_specialist, "
        "handoff_to_security_specialist, complete, read_file."
    )
    assert report.notes == ("the model called unknown tool 'delete_everything'",)
    assert report.summary == "Recovered"


def test_a_refused_tool_call_goes_back_as_an_error(run_turn: Runner) -> None:
    model = Scripted(
        steps=[
            Scripted.tool_call("read_file", {"path": "/etc/passwd"}),
            Scripted.complete("Used a relative path instead"),
        ]
    )
    report = run_turn(ChatAgent(model=model, tools_for=_tools), _turn())
    error = model.calls[1].messages[-1]
    assert isinstance(error, ToolMessage)
    assert error.status == "error"
    assert error.text == (
        "Error: ToolRefused: /etc/passwd is outside the workspace; use a relative path"
    )
    assert report.notes == (
        "tool 'read_file' failed: ToolRefused: /etc/passwd is outside the workspace; "
        "use a relative path",
    )


def test_invalid_tool_arguments_go_back_as_an_error(run_turn: Runner) -> None:
    model = Scripted(
        steps=[
            Scripted.tool_call(handoff_tool_name("database-specialist"), {"reason": "no goal"}),
            Scripted.tool_call("read_file", {"wrong": 1}),
            Scripted.complete("Gave up on the handoff"),
        ]
    )
    report = run_turn(ChatAgent(model=model, tools_for=_tools), _turn())
    first = model.calls[1].messages[-1]
    assert isinstance(first, ToolMessage)
    assert first.status == "error"
    assert (
        "invalid arguments for handoff_to_database_specialist: goal: Field required" in first.text
    )
    second = model.calls[2].messages[-1]
    assert isinstance(second, ToolMessage) and second.status == "error"
    assert report.handoffs == ()
    assert len(report.notes) == 2


def test_run_errors_from_tools_stop_the_run(run_turn: Runner) -> None:
    @tool
    def expensive() -> str:
        """Spend the budget."""
        raise BudgetExceeded("token budget of 100 spent")

    model = Scripted(steps=[Scripted.tool_call("expensive", {})])
    with pytest.raises(BudgetExceeded):
        run_turn(ChatAgent(model=model, tools_for=lambda mode: [expensive]), _turn())


# ----- accounting -------------------------------------------------------------------


def test_counts_one_llm_call_per_model_call_and_sums_tokens(run_turn: Runner) -> None:
    model = Scripted(
        steps=[
            Scripted.tool_call("read_file", {"path": "a"}, input_tokens=100, output_tokens=20),
            Scripted.tool_call("read_file", {"path": "b"}, input_tokens=150, output_tokens=30),
            Scripted.complete("done", input_tokens=200, output_tokens=40),
        ]
    )
    report = run_turn(ChatAgent(model=model, tools_for=_tools), _turn())
    assert report.llm_calls == 3 == len(model.calls)
    assert report.tokens == 100 + 20 + 150 + 30 + 200 + 40


def test_a_model_without_usage_metadata_counts_no_tokens() -> None:
    class NoToolChoice(FakeMessagesListChatModel):
        def bind_tools(self, tools: Any, **kwargs: Any) -> Any:
            return self

    model = NoToolChoice(responses=[AIMessage(content="done")])
    report = ChatAgent(model=model).run(_turn())
    assert (report.llm_calls, report.tokens) == (1, 0)


# ----- async and configuration ------------------------------------------------------


def test_async_turn_matches_the_sync_turn() -> None:
    def script() -> Scripted:
        return Scripted(
            steps=[
                Scripted.tool_call("read_file", {"path": "/abs"}),
                Scripted.handoff("database-specialist", "Users table", "schema"),
            ]
        )

    sync_model, async_model = script(), script()
    agent_sync = ChatAgent(model=sync_model, tools_for=_tools)
    agent_async = ChatAgent(model=async_model, tools_for=_tools)
    sync_report = agent_sync.run(_turn())
    async_report = asyncio.run(agent_async.arun(_turn()))
    assert async_report == sync_report
    async_model.assert_all_used()
    assert isinstance(agent_async, Agent)


def test_model_for_picks_a_model_per_role() -> None:
    models = {"fastapi-developer": Scripted(steps=[Scripted.complete("dev")])}
    agent = ChatAgent(model_for=lambda mode: models[mode.slug])
    assert agent.run(_turn()).summary == "dev"
    models["fastapi-developer"].assert_all_used()


def test_model_configuration_errors() -> None:
    with pytest.raises(
        ConfigError, match=r"exactly one of model=\.\.\. or model_for=\.\.\.; got neither"
    ):
        ChatAgent()
    model = Scripted(steps=[])
    with pytest.raises(ConfigError, match="got both"):
        ChatAgent(model=model, model_for=lambda mode: model)
    with pytest.raises(ConfigError, match="max_tool_rounds must be at least 1"):
        ChatAgent(model=model, max_tool_rounds=0)


def test_a_mode_tool_may_not_shadow_the_agents_tools() -> None:
    @tool
    def complete(summary: str) -> str:
        """A clash."""
        return summary

    agent = ChatAgent(model=Scripted(steps=[]), tools_for=lambda mode: [complete])
    with pytest.raises(ConfigError, match="'complete' of role 'fastapi-developer' clashes"):
        agent.run(_turn())


def test_a_model_without_tool_calling_is_a_provider_error() -> None:
    model = FakeMessagesListChatModel(responses=[AIMessage(content="x")])
    with pytest.raises(ProviderError, match="does not support tool calling"):
        ChatAgent(model=model).run(_turn())


# ----- the docs example -------------------------------------------------------------


def test_the_docs_example_runs() -> None:
    page = (Path(__file__).parents[2] / "docs" / "models.md").read_text(encoding="utf-8")
    section = page.split("## Testing with a scripted model", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert "ScriptedChatModel" in code
    exec(compile(code, "docs/models.md", "exec"), {})


# ----- more edges of the loop -------------------------------------------------------


def test_every_tool_call_gets_an_answer_before_the_next_round(run_turn: Runner) -> None:
    # Providers reject a history where a tool call has no ToolMessage: a round with a
    # mode tool, an unknown tool and a bad handoff answers all three.
    model = Scripted(
        steps=[
            Scripted.tool_calls(
                [
                    ("read_file", {"path": "a.py"}),
                    ("nonexistent", {}),
                    (handoff_tool_name("database-specialist"), {"goal": ""}),
                ]
            ),
            Scripted.complete("done"),
        ],
        check_tools=False,
    )
    report = run_turn(ChatAgent(model=model, tools_for=_tools), _turn())
    second = model.calls[1].messages
    asked = {call["id"] for call in model.calls[0].response.tool_calls}
    answered = {m.tool_call_id for m in second if isinstance(m, ToolMessage)}
    assert answered == asked
    assert len(second) == 2 + 1 + 3
    assert report.handoffs == ()
    assert len(report.notes) == 2


def test_a_failing_model_call_ends_the_turn_failed_with_its_tallies() -> None:
    def broken(messages: list[Any]) -> AIMessage:
        raise ConnectionError("provider unreachable\nretry later")

    model = Scripted(steps=[Scripted.tool_call("read_file", {"path": "a"}), broken])
    report = ChatAgent(model=model, tools_for=_tools).run(_turn())
    assert report.status is ReportStatus.FAILED
    assert report.summary == (
        "Failed: the chat model failed: ConnectionError: provider unreachable retry later "
        "(the provider could not be reached; check --base-url and that the server is running)."
    )
    assert (report.llm_calls, report.tokens) == (2, 15)
    async_model = Scripted(steps=[broken])
    async_report = asyncio.run(ChatAgent(model=async_model).arun(_turn()))
    assert async_report.status is ReportStatus.FAILED


def test_an_assertion_inside_a_provider_fails_the_turn_not_the_run() -> None:
    def sdk_bug(messages: list[Any]) -> AIMessage:
        raise AssertionError("internal SDK invariant")

    report = ChatAgent(model=Scripted(steps=[sdk_bug])).run(_turn())
    assert report.status is ReportStatus.FAILED
    assert "AssertionError: internal SDK invariant" in report.summary


def test_script_errors_are_never_swallowed() -> None:
    model = Scripted(steps=[Scripted.complete("one")])
    agent = ChatAgent(model=model)
    agent.run(_turn())
    with pytest.raises(ScriptExhausted):
        agent.run(_turn())
    with pytest.raises(ScriptExhausted):
        asyncio.run(agent.arun(_turn()))


def test_setup_errors_from_tools_propagate(run_turn: Runner) -> None:
    @tool
    def misconfigured() -> str:
        """A tool whose configuration is broken."""
        raise ConfigError("modegraph.yaml: commands.timeout must be positive")

    model = Scripted(steps=[Scripted.tool_call("misconfigured", {})])
    with pytest.raises(ConfigError, match=r"commands\.timeout"):
        run_turn(ChatAgent(model=model, tools_for=lambda mode: [misconfigured]), _turn())


def test_prompt_lists_tool_groups_with_their_file_limits() -> None:
    mode = DEV.model_copy(
        update={
            "tool_groups": (
                ToolGroup(name="read"),
                ToolGroup(name="edit", file_regex=r"\.py$", description="Python files"),
                ToolGroup(name="command", file_regex=r"\.sh$"),
            )
        }
    )
    prompt = system_prompt(_turn(mode=mode))
    assert (
        "## Tool groups\nYour tools come from these groups; calls outside them are refused.\n"
        "- read\n- edit (only files matching `\\.py$`: Python files)\n"
        "- command (only files matching `\\.sh$`)" in prompt
    )
    assert "## Tool groups" not in system_prompt(_turn())


def test_mode_without_role_definition_still_says_who_it_is() -> None:
    prompt = system_prompt(_turn(mode=OPS, allowed=()))
    assert prompt.startswith(
        "# Role: Infrastructure Specialist (`infrastructure-specialist`)\n\n"
        "You are Infrastructure Specialist.\n"
    )
    assert "## Workflow" not in prompt and "## Custom Instructions" not in prompt


def test_prompt_marks_targets_already_in_the_chain() -> None:
    turn = _turn(chain=("database-specialist", "fastapi-developer"), depth=1)
    prompt = system_prompt(turn)
    db_line = next(
        line for line in prompt.splitlines() if "`handoff_to_database_specialist`" in line
    )
    sec_line = next(
        line for line in prompt.splitlines() if "`handoff_to_security_specialist`" in line
    )
    assert db_line.endswith(
        "(Already in this escalation chain: the coordinator refuses a handoff back to it.)"
    )
    assert "Already in this escalation chain" not in sec_line
    assert "- Escalation chain: database-specialist -> fastapi-developer (depth 1)" in prompt


def test_prompt_names_the_task_logs() -> None:
    sub = system_prompt(_turn())
    assert (
        "- Task log: `project_journal/tasks/TASK-1.2.md` (the root task's log is "
        "`project_journal/tasks/TASK-1.md`); the coordinator writes your report there."
    ) in sub
    root = system_prompt(_turn(subtask_id="TASK-1"))
    assert (
        "- Task log: `project_journal/tasks/TASK-1.md`; the coordinator writes your report there."
    ) in root
