"""Every role turn and tool call is a run in LangChain's callback tree (what LangSmith shows).

A recording handler stands in for LangSmith's tracer (no network): the run is traced
exactly as `LANGSMITH_TRACING=true` would trace it, with no code.
"""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from langchain_core.tools import tool
from langchain_core.tracers.context import collect_runs
from langchain_core.tracers.schemas import Run

from modegraph.agents.chat.agent import ChatAgent
from modegraph.coordinator import Runner, RunStatus
from modegraph.modes.catalog import Catalog
from modegraph.modes.model import Mode, Reference
from modegraph.testing import ScriptedChatModel as S


@tool
def read_notes(topic: str) -> str:
    """Read the team's notes on a topic."""
    return f"notes on {topic}"


def _catalog() -> Catalog:
    return Catalog(
        [
            Mode(slug="hub", name="Hub", delegates_to=(Reference(slug="db"),)),
            Mode(slug="db", name="DB", description="Designs schemas."),
        ]
    )


def _walk(runs: list[Run]) -> list[Run]:
    found: list[Run] = []
    for run in runs:
        found.append(run)
        found.extend(_walk(run.child_runs))
    return found


def test_every_turn_model_call_and_tool_call_is_a_named_run(tmp_path: Path) -> None:
    model = S.by_role(
        {
            "hub": [
                S.tool_call("read_notes", {"topic": "users"}),
                S.handoff("db", "Design the users table"),
                S.complete("Users API done"),
            ],
            "db": [S.tool_call("read_notes", {"topic": "schema"}), S.complete("Table designed")],
        }
    )
    agent = ChatAgent(model=model, tools_for=lambda mode: [read_notes])
    runner = Runner(catalog=_catalog(), agent=agent, journal_root=tmp_path)
    with model, collect_runs() as recorder:
        result = runner.start("Build the users API", entry="hub")
    assert result.status is RunStatus.COMPLETED
    task = result.task_id
    runs = _walk(recorder.traced_runs)
    by_id: dict[UUID, Run] = {run.id: run for run in runs}

    turns = [run for run in runs if "modegraph" in (run.tags or []) and run.run_type == "chain"]
    assert [run.name for run in turns] == [f"hub {task}", f"db {task}.1", f"hub {task}"]
    for run in turns:
        role = run.name.split()[0]
        assert {f"role:{role}", f"task:{task}"} <= set(run.tags or [])
        assert run.metadata["modegraph_task_id"] == task
        assert run.metadata["modegraph_role"] == role
        # each turn hangs under LangGraph's run of its role's node
        assert run.parent_run_id is not None and by_id[run.parent_run_id].name == role

    def children(turn: Run, run_type: str) -> list[str]:
        return [c.name for c in turn.child_runs if c.run_type == run_type]

    assert [children(t, "llm") for t in turns] == [
        ["hub model", "hub model"],
        ["db model", "db model"],
        ["hub model"],
    ]
    assert [children(t, "tool") for t in turns] == [["read_notes"], ["read_notes"], []]
    tool_runs = [run for run in runs if run.run_type == "tool"]
    assert all({"role:hub", "role:db"} & set(run.tags or []) for run in tool_runs)
    assert turns[1].outputs == {
        "status": "completed",
        "summary": "Table designed",
        "handoffs": [],
        "llm_calls": 2,
        "tokens": 30,
        "cost": 0.0,
    }


def test_a_turn_outside_the_coordinator_is_a_root_run() -> None:
    from modegraph.agents.protocol import RoleTurn

    model = S(steps=[S.complete("done")])
    turn = RoleTurn(
        task_id="TASK-9", subtask_id="TASK-9", mode=Mode(slug="solo", name="Solo"), goal="x"
    )
    with model, collect_runs() as recorder:
        ChatAgent(model=model).run(turn)
    [root] = recorder.traced_runs
    assert (root.name, root.parent_run_id) == ("solo TASK-9", None)
    assert [child.name for child in root.child_runs] == ["solo model"]
