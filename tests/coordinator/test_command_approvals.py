"""Commands that need approval go through the coordinator's interrupt; no LLM call repeats.

Every test uses the strict `ScriptedChatModel`: a call past the script raises, and
`assert_all_used` fails on a step left over, so the LLM call counts are exact.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from langchain_core.messages import ToolMessage

from modegraph.agents import SandboxedAgent, ToolsFor
from modegraph.agents.chat.agent import ChatAgent
from modegraph.agents.chat.turn_tools import handoff_tool_name
from modegraph.coordinator import Decision, Runner, RunStatus
from modegraph.coordinator.approvals import ApprovalRequest
from modegraph.coordinator.command_gate import ApprovalGate
from modegraph.errors import ToolRefused
from modegraph.modes.catalog import Catalog
from modegraph.modes.config import parse_config
from modegraph.modes.model import Mode, Reference, ToolGroup
from modegraph.testing import ScriptedChatModel as Scripted
from modegraph.testing import ScriptStep
from modegraph.tools import (
    AllowAll,
    Approver,
    CommandRequest,
    Workspace,
)

TOUCH = ["touch", "ran.txt"]
"""The command the developer asks for: visible on disk once it ran."""

DEV = Mode(
    slug="dev",
    name="Developer",
    description="Writes and tests the code.",
    tool_groups=(ToolGroup(name="read"), ToolGroup(name="edit"), ToolGroup(name="command")),
    delegates_to=(Reference(slug="writer", note="For the docs"),),
)
WRITER = Mode(
    slug="writer",
    name="Writer",
    description="Writes the documentation.",
    tool_groups=(ToolGroup(name="read"), ToolGroup(name="edit", file_regex=r"\.md$")),
)
CATALOG = Catalog([DEV, WRITER])


def agent(model: Scripted, root: Path, approver: Approver | None = None) -> SandboxedAgent:
    """The CLI's agent: a chat agent with sandboxed tools and the approval gate."""

    def make(tools_for: ToolsFor) -> ChatAgent:
        return ChatAgent(model=model, tools_for=tools_for)

    return SandboxedAgent(
        make_agent=make,
        workspace=Workspace(root),
        config=parse_config("commands:\n  allow: ['^echo ']\n"),
        approver=approver if approver is not None else ApprovalGate(),
    )


def runner(model: Scripted, root: Path, **kwargs: object) -> Runner:
    return Runner(
        catalog=CATALOG,
        agent=agent(model, root),
        journal_root=root / "project_journal",
        **kwargs,  # type: ignore[arg-type]
    )


def first_turn() -> list[ScriptStep]:
    """Dev asks for the command (deferred), then ends its turn."""
    return [
        Scripted.tool_call("run_command", {"command": TOUCH}),
        Scripted.complete("Wrote the code; `touch ran.txt` waits for approval"),
    ]


def approved_turn() -> list[ScriptStep]:
    return [
        Scripted.tool_call("run_command", {"command": TOUCH}),
        Scripted.complete("Ran it", references=["ran.txt"]),
    ]


def journal_text(root: Path, task_id: str) -> str:
    return (root / "project_journal" / "tasks" / f"{task_id}.md").read_text(encoding="utf-8")


def start_waiting(tmp_path: Path) -> tuple[str, Scripted]:
    with Scripted(steps=first_turn()) as model:
        result = runner(model, tmp_path).start("Build it and touch the file", entry="dev")
    assert result.status is RunStatus.WAITING_APPROVAL
    assert len(model.calls) == 2
    (request,) = result.approvals
    assert request.is_command
    assert (request.kind, request.goal, request.cwd, request.source) == (
        "command",
        "touch ran.txt",
        ".",
        "dev",
    )
    assert request.id == f"{result.task_id}:command:1:1"
    refused = model.calls[1].messages[-1]
    assert isinstance(refused, ToolMessage) and refused.status == "error"
    assert "awaits a person's approval" in refused.text
    assert not (tmp_path / "ran.txt").exists()
    return result.task_id, model


def test_approved_command_runs_on_the_next_turn_with_no_repeated_llm_call(tmp_path: Path) -> None:
    task_id, _ = start_waiting(tmp_path)
    with Scripted(steps=approved_turn()) as model:
        result = runner(model, tmp_path).resume(task_id, decision=Decision(approved=True))
    assert result.status is RunStatus.COMPLETED, result.reason
    assert len(model.calls) == 2
    assert (tmp_path / "ran.txt").is_file()
    prompt = model.calls[0].system_prompt
    assert "## Command approvals" in prompt
    assert "`touch ran.txt` in `.`: approved" in prompt
    ran = model.calls[1].messages[-1]
    assert isinstance(ran, ToolMessage) and ran.status == "success"
    assert "exit code 0" in ran.text
    assert result.llm_calls == 4
    text = journal_text(tmp_path, task_id)
    assert text.count("dev wants to run `touch ran.txt` in `.`") == 1
    assert text.count("dev may run `touch ran.txt` in `.`") == 1
    assert "ran `touch ran.txt` in `.`: exit code 0" in text


def test_rejected_command_is_reported_back_with_the_reason(tmp_path: Path) -> None:
    task_id, _ = start_waiting(tmp_path)
    with Scripted(steps=[Scripted.complete("Left the file alone", outcome="Partial")]) as model:
        result = runner(model, tmp_path).resume(
            task_id, decision=Decision(approved=False, reason="no files outside src")
        )
    assert result.status is RunStatus.COMPLETED
    assert len(model.calls) == 1
    assert "`touch ran.txt` in `.`: rejected (no files outside src)" in model.calls[0].system_prompt
    assert not (tmp_path / "ran.txt").exists()
    assert "rejected by a person: no files outside src" in journal_text(tmp_path, task_id)


def test_a_rejected_command_asked_again_is_asked_again(tmp_path: Path) -> None:
    task_id, _ = start_waiting(tmp_path)
    with Scripted(steps=first_turn()) as model:
        result = runner(model, tmp_path).resume(
            task_id, decision=Decision(approved=False, reason="not yet")
        )
    assert result.status is RunStatus.WAITING_APPROVAL
    assert [a.id for a in result.approvals] == [f"{task_id}:command:2:1"]
    assert not (tmp_path / "ran.txt").exists()


def test_resume_without_a_decision_keeps_waiting_and_calls_no_model(tmp_path: Path) -> None:
    task_id, _ = start_waiting(tmp_path)
    with Scripted(steps=[]) as model:
        result = runner(model, tmp_path).resume(task_id)
    assert result.status is RunStatus.WAITING_APPROVAL
    assert model.calls == []


def test_ask_answers_command_approvals_in_the_same_run(tmp_path: Path) -> None:
    asked: list[ApprovalRequest] = []

    def ask(requests: Sequence[ApprovalRequest]) -> Mapping[str, Decision]:
        asked.extend(requests)
        return {r.id: Decision(approved=True) for r in requests}

    with Scripted(steps=[*first_turn(), *approved_turn()]) as model:
        result = runner(model, tmp_path, ask=ask).start("Touch the file", entry="dev")
    assert result.status is RunStatus.COMPLETED
    assert [a.describe() for a in asked] == ["dev wants to run `touch ran.txt` in `.`"]
    assert (tmp_path / "ran.txt").is_file()


def test_allowlisted_and_yes_commands_run_without_asking(tmp_path: Path) -> None:
    steps = [
        Scripted.tool_call("run_command", {"command": ["echo", "hi"]}),
        Scripted.complete("Echoed"),
    ]
    with Scripted(steps=steps) as model:
        result = runner(model, tmp_path).start("Say hi", entry="dev")
    assert result.status is RunStatus.COMPLETED and not result.approvals
    with Scripted(steps=approved_turn()) as model:
        yes = Runner(
            catalog=CATALOG,
            agent=agent(model, tmp_path, AllowAll()),
            journal_root=tmp_path / "project_journal",
        )
        result = yes.start("Touch the file", entry="dev")
    assert result.status is RunStatus.COMPLETED and not result.approvals
    assert (tmp_path / "ran.txt").is_file()


def test_a_command_and_a_handoff_in_one_turn(tmp_path: Path) -> None:
    scripts: dict[str, list[ScriptStep]] = {
        "dev": [
            Scripted.tool_calls(
                [
                    ("run_command", {"command": TOUCH}),
                    (handoff_tool_name("writer"), {"goal": "Write docs/api.md", "reason": "docs"}),
                ]
            )
        ],
        "writer": [],
    }
    with Scripted.by_role(scripts) as model:
        result = runner(model, tmp_path).start("Build and document", entry="dev")
    assert result.status is RunStatus.WAITING_APPROVAL
    # the journal node stops before it commits anything: the handoff goes on after the answer
    assert [s.role for s in result.subtasks] == ["dev"]
    scripts = {
        "writer": [
            Scripted.tool_call("write_file", {"path": "docs/api.md", "content": "# API\n"}),
            Scripted.complete("Documented", references=["docs/api.md"]),
        ],
        "dev": approved_turn(),
    }
    with Scripted.by_role(scripts) as model:
        result = runner(model, tmp_path).resume(result.task_id, decision=Decision(approved=True))
    assert result.status is RunStatus.COMPLETED, result.reason
    assert [s.role for s in result.subtasks] == ["dev", "writer"]
    dev_turn = next(c for c in model.calls if c.role == "dev")
    assert "## Results of your handoffs" in dev_turn.system_prompt
    assert "`touch ran.txt` in `.`: approved" in dev_turn.system_prompt
    assert (tmp_path / "ran.txt").is_file() and (tmp_path / "docs" / "api.md").is_file()


def test_async_run_and_resume_with_a_command_approval(tmp_path: Path) -> None:
    async def go() -> None:
        with Scripted(steps=first_turn()) as model:
            first = await runner(model, tmp_path).astart("Touch the file", entry="dev")
        assert first.status is RunStatus.WAITING_APPROVAL
        assert [a.goal for a in first.approvals] == ["touch ran.txt"]
        with Scripted(steps=approved_turn()) as model:
            done = await runner(model, tmp_path).aresume(
                first.task_id, decision=Decision(approved=True)
            )
        assert done.status is RunStatus.COMPLETED

    asyncio.run(go())
    assert (tmp_path / "ran.txt").is_file()


def test_the_gate_refuses_outside_a_coordinator_turn() -> None:
    with pytest.raises(ToolRefused, match="no coordinator run"):
        ApprovalGate().approve(CommandRequest(command="touch x", argv=("touch", "x")))


SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from test_command_approvals import CATALOG, agent, approved_turn, first_turn
    from modegraph.coordinator import Decision, Runner
    from modegraph.testing import ScriptedChatModel as Scripted

    root, action = Path(sys.argv[2]), sys.argv[3]
    steps = {
        "start": first_turn(),
        "approve": approved_turn(),
        "reject": [Scripted.complete("Did without it")],
    }[action]
    with Scripted(steps=steps) as model:
        journal = root / "project_journal"
        run = Runner(catalog=CATALOG, agent=agent(model, root), journal_root=journal)
        if action == "start":
            result = run.start("Touch the file", entry="dev")
        else:
            decision = Decision(approved=action == "approve", reason="not here")
            result = run.resume(sys.argv[4], decision=decision)
    print(json.dumps({"task_id": result.task_id, "status": result.status.value,
                      "calls": len(model.calls)}))
    """
)


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_command_approval_resumes_in_a_new_process(tmp_path: Path, action: str) -> None:
    script = tmp_path / "drive.py"
    script.write_text(SCRIPT, encoding="utf-8")
    here = str(Path(__file__).parent)

    def drive(*args: str) -> dict[str, object]:
        done = subprocess.run(
            [sys.executable, str(script), here, str(tmp_path), *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        data: dict[str, object] = json.loads(done.stdout)
        return data

    first = drive("start")
    assert (first["status"], first["calls"]) == ("waiting_approval", 2)
    second = drive(action, str(first["task_id"]))
    assert second["status"] == "completed"
    assert second["calls"] == (2 if action == "approve" else 1)
    assert (tmp_path / "ran.txt").exists() is (action == "approve")
    text = journal_text(tmp_path, str(first["task_id"]))
    assert text.count("dev wants to run `touch ran.txt`") == 1


def test_a_blocked_report_with_a_deferred_command_waits_for_the_decision(tmp_path: Path) -> None:
    steps: list[ScriptStep] = [
        Scripted.tool_calls(
            [("run_command", {"command": TOUCH}), ("run_command", {"command": TOUCH})]
        ),
        Scripted.complete("Cannot finish without the command", status="blocked"),
    ]
    with Scripted(steps=steps) as model:
        result = runner(model, tmp_path).start("Touch the file", entry="dev")
    assert result.status is RunStatus.WAITING_APPROVAL
    # the same command twice in one turn is asked about once
    assert [a.goal for a in result.approvals] == ["touch ran.txt"]


OPS = [
    Mode(
        slug=f"ops{n}",
        name=f"Ops {n}",
        description="Runs things.",
        tool_groups=(ToolGroup(name="command"),),
    )
    for n in (1, 2)
]
LEAD = Mode(
    slug="lead",
    name="Lead",
    description="Hands the work out.",
    delegates_to=(Reference(slug="ops1"), Reference(slug="ops2")),
)


def test_parallel_turns_keep_their_commands_apart(tmp_path: Path) -> None:
    catalog = Catalog([LEAD, *OPS])

    def ops_turn(name: str) -> list[ScriptStep]:
        return [
            Scripted.tool_call("run_command", {"command": ["touch", name]}),
            Scripted.complete(f"asked for {name}"),
        ]

    asked: list[ApprovalRequest] = []

    def ask(requests: Sequence[ApprovalRequest]) -> Mapping[str, Decision]:
        asked.extend(requests)
        return {r.id: Decision(approved=r.source == "ops1", reason="not ops2") for r in requests}

    scripts: dict[str, list[ScriptStep]] = {
        "lead": [
            Scripted.handoffs({"ops1": "Touch one", "ops2": "Touch two"}),
            Scripted.complete("Both reported"),
        ],
        "ops1": [*ops_turn("one"), *ops_turn("one")],
        "ops2": [*ops_turn("two"), Scripted.complete("Did without two")],
    }
    with Scripted.by_role(scripts) as model:
        result = Runner(
            catalog=catalog,
            agent=agent(model, tmp_path),
            journal_root=tmp_path / "project_journal",
            ask=ask,
        ).start("Touch both", entry="lead")
    assert result.status is RunStatus.COMPLETED, result.reason
    assert sorted(a.describe() for a in asked) == [
        "ops1 wants to run `touch one` in `.`",
        "ops2 wants to run `touch two` in `.`",
    ]
    assert len({a.subtask for a in asked}) == 2
    assert (tmp_path / "one").is_file() and not (tmp_path / "two").exists()
    second_ops2 = [c for c in model.calls if c.role == "ops2"][-1]
    assert "`touch two` in `.`: rejected (not ops2)" in second_ops2.system_prompt


def test_a_failed_turn_drops_its_deferred_commands(tmp_path: Path) -> None:
    steps: list[ScriptStep] = [
        Scripted.tool_call("run_command", {"command": TOUCH}),
        Scripted.complete("Gave up", status="failed"),
    ]
    with Scripted(steps=steps) as model:
        result = runner(model, tmp_path).start("Touch the file", entry="dev")
    assert result.status is RunStatus.FAILED
    assert result.approvals == ()
    assert "wants to run" not in journal_text(tmp_path, result.task_id)
