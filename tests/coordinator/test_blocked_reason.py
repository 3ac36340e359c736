"""`--json` says why a run ended blocked and which guard stopped it (issue 18 item 11).

Every guard leaves its name in `RunResult.guard` (`--json`'s `guard`) next to its
message (`reason`); a run no guard stopped has `guard: null`. A root whose own work
completed but whose run a guard stopped closes once, `Blocked`: its log never holds
both "Completed" and "Blocked".
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from modegraph.agents import AgentReport, HandoffRequest, ReportStatus, RoleTurn
from modegraph.agents.chat.agent import ChatAgent
from modegraph.cli.app import app
from modegraph.coordinator import ApprovalRule, Policy, Runner, RunStatus
from modegraph.coordinator.policy import Guard
from modegraph.journal.model import EntryKind
from modegraph.journal.store import Journal
from modegraph.modes.catalog import Catalog
from modegraph.testing import ScriptedChatModel as S

SEED = Path(__file__).parent / "data" / "seed.mode.yaml"
GOAL = (
    "Build a users API with signup and login, a Postgres schema with migrations, "
    "and deploy it with Docker"
)


def eager(turn: RoleTurn) -> AgentReport:
    """Hand off to every allowed target on a first turn; complete after that."""
    if turn.results or turn.refusals:
        return AgentReport(summary=f"{turn.mode.slug} done")
    return AgentReport(
        summary="more",
        handoffs=tuple(HandoffRequest(target=t.mode.slug, goal="go on") for t in turn.allowed),
    )


def run(catalog: Catalog, agent: Any, tmp_path: Path, entry: str, **policy: Any) -> Any:
    runner = Runner(catalog=catalog, agent=agent, policy=Policy(**policy), journal_root=tmp_path)
    return runner.start("do the thing", entry=entry)


def closing_entries(tmp_path: Path, task_id: str) -> Counter[str]:
    record = Journal(tmp_path).read(task_id)
    closing = {EntryKind.COMPLETED, EntryKind.BLOCKED, EntryKind.FAILED}
    return Counter(e.kind.value for e in record.entries if e.kind in closing)


def test_max_depth_is_named(chain_catalog: Catalog, tmp_path: Path, agent_class: Any) -> None:
    result = run(chain_catalog, agent_class(eager), tmp_path, "r0", max_depth=2)
    assert result.status is RunStatus.BLOCKED
    assert result.guard is Guard.MAX_DEPTH
    data = result.to_json()
    assert data["guard"] == "max_depth"
    assert "deeper than --max-depth 2" in data["reason"]


def test_max_subtasks_is_named(seed_catalog: Catalog, tmp_path: Path, agent_class: Any) -> None:
    result = run(seed_catalog, agent_class(eager), tmp_path, "roo-commander", max_subtasks=2)
    assert result.guard is Guard.MAX_SUBTASKS
    assert result.to_json()["reason"].startswith("guard: the run already has 2 subtasks")


def test_the_chain_guard_is_named(loop_catalog: Catalog, tmp_path: Path, agent_class: Any) -> None:
    result = run(loop_catalog, agent_class(eager), tmp_path, "alpha")
    assert result.status is RunStatus.BLOCKED
    assert result.guard is Guard.CHAIN
    assert "already in this escalation chain" in result.reason


def test_max_turns_is_named(loop_catalog: Catalog, tmp_path: Path, agent_class: Any) -> None:
    turns = iter(range(100))

    def stubborn(turn: RoleTurn) -> AgentReport:
        # a new refused target each turn: the repeat guard never fires, max_turns does
        target = f"nobody-{next(turns)}"
        return AgentReport(summary="again", handoffs=(HandoffRequest(target=target, goal="x"),))

    result = run(loop_catalog, agent_class(stubborn), tmp_path, "alpha", max_turns=3)
    assert result.guard is Guard.MAX_TURNS
    assert "had 3 turns" in result.reason


def test_the_llm_call_budget_is_named(loop_catalog: Catalog, tmp_path: Path) -> None:
    model = S.by_role({"alpha": [S.handoff("beta", "b")], "beta": [S.handoff("gamma", "c")]})
    with model:
        result = run(loop_catalog, ChatAgent(model=model), tmp_path, "alpha", max_llm_calls=2)
    assert result.guard is Guard.MAX_LLM_CALLS
    assert "LLM call budget is spent" in result.reason


def test_the_token_budget_is_named(loop_catalog: Catalog, tmp_path: Path) -> None:
    model = S.by_role(
        {"alpha": [S.handoff("beta", "b", input_tokens=90, output_tokens=20)], "beta": []}
    )
    with model:
        result = run(loop_catalog, ChatAgent(model=model), tmp_path, "alpha", max_tokens=100)
    assert result.guard is Guard.MAX_TOKENS


def test_the_recursion_limit_is_named(
    seed_catalog: Catalog, tmp_path: Path, agent_class: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Policy, "recursion_limit", property(lambda self: 3))
    runner = Runner(catalog=seed_catalog, agent=agent_class(eager), journal_root=tmp_path)
    result = runner.start("do the thing", entry="roo-commander")
    assert result.guard is Guard.RECURSION_LIMIT
    # the name is stored with the run: a resume says the same
    assert runner.resume(result.task_id).guard is Guard.RECURSION_LIMIT


def test_no_guard_no_name(seed_catalog: Catalog, tmp_path: Path, agent_class: Any) -> None:
    done = run(seed_catalog, agent_class(eager), tmp_path, "roo-commander")
    assert done.status is RunStatus.COMPLETED
    assert (done.to_json()["reason"], done.to_json()["guard"]) == ("", None)

    waiting = run(
        seed_catalog,
        agent_class(eager),
        tmp_path,
        "roo-commander",
        approve=ApprovalRule.parse("tier:worker"),
    )
    assert waiting.status is RunStatus.WAITING_APPROVAL
    assert waiting.to_json()["guard"] is None


def test_a_role_that_blocks_itself_has_a_reason_and_no_guard(
    seed_catalog: Catalog, tmp_path: Path, agent_class: Any
) -> None:
    def stuck(turn: RoleTurn) -> AgentReport:
        return AgentReport(
            status=ReportStatus.BLOCKED, summary="the database is down", outcome="Blocked"
        )

    result = run(seed_catalog, agent_class(stuck), tmp_path, "roo-commander")
    assert result.status is RunStatus.BLOCKED
    assert result.reason == "the database is down"
    assert result.guard is None


def test_a_guard_refusal_closes_the_root_once_as_blocked(
    seed_catalog: Catalog, tmp_path: Path, agent_class: Any
) -> None:
    result = run(seed_catalog, agent_class(eager), tmp_path, "roo-commander", max_subtasks=2)
    assert result.status is RunStatus.BLOCKED
    assert result.subtasks[0].status == "blocked"
    assert closing_entries(tmp_path, result.task_id) == Counter({"blocked": 1})
    # the subtasks that finished their own work say so, once each
    for sub in result.subtasks[1:]:
        assert sum(closing_entries(tmp_path, sub.id).values()) == 1


def test_the_cli_json_of_the_readme_job_under_a_subtask_guard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        app,
        [
            "run", GOAL, "--modes", str(SEED), "--no-bundled", "--mode", "fastapi-developer",
            "--max-subtasks", "1", "--json",
        ],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["status"] == "blocked"
    assert data["guard"] == "max_subtasks"
    assert data["reason"] == (
        "guard: the run already has 1 subtask, the most --max-subtasks 1 allows"
    )
    assert closing_entries(tmp_path / "project_journal", data["task_id"]) == Counter({"blocked": 1})
