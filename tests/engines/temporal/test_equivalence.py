"""The same task run here and on Temporal: the same journal, the same route and result.

Workers run in this process (`WorkerGroup`) against the session's dev server, each
test on a task queue of its own; the local run is the coordinator's `Runner`. Every
comparison masks what must differ: the task id (a new one per run) and the times.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from modegraph.agents import RuleAgent
from modegraph.agents.protocol import Agent, AgentReport, HandoffRequest, RoleTurn
from modegraph.coordinator import ApprovalRule, Decision, Policy, Runner, RunStatus
from modegraph.coordinator.command_gate import ApprovalGate
from modegraph.coordinator.result import RunResult
from modegraph.coordinator.runner import RunSettings
from modegraph.engines.temporal import (
    RemoteRun,
    TemporalRunner,
    Timeouts,
    WorkerGroup,
    connect,
)
from modegraph.engines.temporal.messages import TaskView
from modegraph.errors import BudgetExceeded, ToolRefused
from modegraph.journal.store import Journal
from modegraph.modes.catalog import Catalog
from modegraph.modes.catalog.layers import load_catalog
from modegraph.modes.model import Mode, Reference
from modegraph.tools.permissions import CommandRequest

GOAL = (
    "Build a users API with signup and login, a Postgres schema with migrations, "
    "and deploy it with Docker"
)


def masked(result: RunResult) -> dict[str, Any]:
    """The result's JSON with the task id masked and without the journal's path."""
    data = result.to_json()
    data["journal"] = None
    return json.loads(json.dumps(data).replace(result.task_id, "TASK"))


async def temporal_run(
    address: str,
    queue: str,
    journal: Path,
    catalog: Catalog,
    agent: Agent,
    goal: str,
    *,
    entry: str,
    policy: Policy | None = None,
    then: Callable[[TemporalRunner, RemoteRun], Awaitable[RemoteRun]] | None = None,
    **runner: Any,
) -> RemoteRun:
    """Start `goal` on Temporal with in-process workers, follow it, maybe answer it."""
    client = await connect(address)
    async with WorkerGroup(
        client, catalog=catalog, task_queue=queue, journal_root=journal, agent_for=lambda s: agent
    ):
        temporal = TemporalRunner(
            client=client,
            catalog=catalog,
            policy=policy,
            journal_root=journal.parent / "ids",
            task_queue=queue,
            **runner,
        )
        run = await temporal.astart(goal, entry=entry)
        return await then(temporal, run) if then is not None else run


def assert_same(
    local: RunResult, remote: RunResult, tmp_path: Path, same_journal: Any
) -> dict[str, str]:
    assert masked(remote) == masked(local)
    want = same_journal(tmp_path / "local", local.task_id)
    assert same_journal(tmp_path / "remote", remote.task_id) == want
    assert remote.journal == str(tmp_path / "remote" / "tasks" / f"{remote.task_id}.md")
    return want


ENTRY = "fastapi-developer"


def main_job_both_ways(
    temporal: str, queue: str, tmp_path: Path, **runner: Any
) -> tuple[RunResult, RemoteRun]:
    """The README's main job run locally and on Temporal (`runner`: TemporalRunner options)."""
    catalog = load_catalog()
    local = Runner(catalog=catalog, journal_root=tmp_path / "local").start(
        GOAL, entry="fastapi-developer"
    )
    agent = RuleAgent(catalog=catalog)
    remote = temporal_run(
        temporal, queue, tmp_path / "remote", catalog, agent, GOAL, entry=ENTRY, **runner
    )
    return local, asyncio.run(remote)


def test_the_main_job_writes_the_same_journal_and_route(
    temporal: str, queue: str, tmp_path: Path, same_journal: Any
) -> None:
    local, run = main_job_both_ways(temporal, queue, tmp_path)
    assert run.result.status is RunStatus.COMPLETED
    files = assert_same(local, run.result, tmp_path, same_journal)
    assert len(files) == 4
    assert [t.role for t in run.turns].count("fastapi-developer") == 2
    assert len(run.turns) == 5 and run.runs == 1


def _mode(slug: str, delegates: tuple[str, ...] = (), escalates: tuple[str, ...] = ()) -> Mode:
    return Mode(
        slug=slug,
        name=slug.title(),
        description=f"The {slug} role.",
        delegates_to=tuple(Reference(slug=s) for s in delegates),
        escalates_to=tuple(Reference(slug=s) for s in escalates),
    )


# lead delegates to dev and ops; dev may escalate back to lead; nobody may reach "qa"
TEAM = Catalog([_mode("lead", ("dev", "ops")), _mode("dev", escalates=("lead",)), _mode("ops")])


class Team:
    """lead hands to dev and to qa (refused); dev escalates back to lead (a chain guard)."""

    def run(self, turn: RoleTurn) -> AgentReport:
        slug = turn.mode.slug
        if turn.results or turn.refusals or slug == "ops":
            return AgentReport(summary=f"{slug} done", llm_calls=1, tokens=10)
        targets = {"lead": ("dev", "qa", "ops"), "dev": ("lead",)}[slug]
        handoffs = tuple(HandoffRequest(target=t, goal=f"{slug} asks {t}") for t in targets)
        return AgentReport(summary=f"{slug} hands off", handoffs=handoffs, llm_calls=1, tokens=10)

    async def arun(self, turn: RoleTurn) -> AgentReport:
        return self.run(turn)


class Spender(Team):
    """Team, but a turn whose budget share is spent raises, as a chat agent does."""

    def run(self, turn: RoleTurn) -> AgentReport:
        if turn.llm_calls_left == 0:
            raise BudgetExceeded("no LLM call left for this turn", llm_calls=0, tokens=3)
        return super().run(turn)


@pytest.mark.parametrize(
    ("agent", "policy"),
    [
        (Team, Policy()),
        (Spender, Policy(max_llm_calls=3)),
        (Team, Policy(max_subtasks=1)),
    ],
    ids=["refusals and the chain guard", "budget", "subtask guard"],
)
def test_refusals_guards_and_budgets_are_the_same(
    agent: Callable[[], Agent],
    policy: Policy,
    temporal: str,
    queue: str,
    tmp_path: Path,
    same_journal: Any,
) -> None:
    local = Runner(catalog=TEAM, agent=agent(), policy=policy, journal_root=tmp_path / "local")
    want = local.start("ship it", entry="lead")
    run = asyncio.run(
        temporal_run(
            temporal,
            queue,
            tmp_path / "remote",
            TEAM,
            agent(),
            "ship it",
            entry="lead",
            policy=policy,
        )
    )
    assert run.result.refused, "the scenario refuses nothing: it tests nothing"
    assert_same(want, run.result, tmp_path, same_journal)


def test_an_approval_answered_by_a_signal_gives_the_same_journal(
    temporal: str, queue: str, tmp_path: Path, same_journal: Any
) -> None:
    catalog = load_catalog()
    policy = Policy(approve=ApprovalRule.parse("escalations"))
    runner = Runner(catalog=catalog, policy=policy, journal_root=tmp_path / "local")
    waiting = runner.start(GOAL, entry="fastapi-developer")
    assert waiting.status is RunStatus.WAITING_APPROVAL
    local = runner.resume(waiting.task_id, decision=Decision(approved=True))

    async def approve(temporal: TemporalRunner, run: RemoteRun) -> RemoteRun:
        assert masked(run.result) == masked(waiting)
        return await temporal.aresume(run.result.task_id, decision=Decision(approved=True))

    run = asyncio.run(
        temporal_run(
            temporal,
            queue,
            tmp_path / "remote",
            catalog,
            RuleAgent(catalog=catalog),
            GOAL,
            entry="fastapi-developer",
            policy=policy,
            then=approve,
        )
    )
    assert run.result.status is RunStatus.COMPLETED
    files = assert_same(local, run.result, tmp_path, same_journal)
    assert "Approval given" in files["TASK.md"]


class AsksToRun:
    """The root role asks to run a command a person must approve (as its tool would)."""

    def __init__(self) -> None:
        self.gate = ApprovalGate()

    def run(self, turn: RoleTurn) -> AgentReport:
        if turn.commands:
            told = "; ".join(f"{c.command}: {c.approved}" for c in turn.commands)
            return AgentReport(summary=f"told {told}")
        try:
            self.gate.approve(CommandRequest(command="make deploy", cwd="."))
        except ToolRefused:
            return AgentReport(summary="waits for `make deploy`", status="blocked")
        return AgentReport(summary="ran it")  # pragma: no cover - never approved up front

    async def arun(self, turn: RoleTurn) -> AgentReport:
        return self.run(turn)


def test_a_command_asked_on_a_worker_waits_for_approval_as_in_a_local_run(
    temporal: str, queue: str, tmp_path: Path, same_journal: Any
) -> None:
    runner = Runner(catalog=TEAM, agent=AsksToRun(), journal_root=tmp_path / "local")
    waiting = runner.start("deploy", entry="ops")
    assert [a.kind for a in waiting.approvals] == ["command"]
    local = runner.resume(waiting.task_id, decision=Decision(approved=False, reason="not now"))

    async def reject(temporal: TemporalRunner, run: RemoteRun) -> RemoteRun:
        assert masked(run.result) == masked(waiting)
        no = Decision(approved=False, reason="not now")
        return await temporal.aresume(run.result.task_id, decision=no)

    run = asyncio.run(
        temporal_run(
            temporal,
            queue,
            tmp_path / "remote",
            TEAM,
            AsksToRun(),
            "deploy",
            entry="ops",
            then=reject,
        )
    )
    assert run.result.summary == "told make deploy: False"
    assert_same(local, run.result, tmp_path, same_journal)


def test_a_long_task_continues_as_new_runs_and_ends_the_same(
    temporal: str, queue: str, tmp_path: Path, same_journal: Any
) -> None:
    # continue as new at every pass
    local, run = main_job_both_ways(temporal, queue, tmp_path, history_limit=1)
    # one run per pass after the first: the developer's own turn, then the step where
    # its node routes the specialists' reports and integrates them (continued as new)
    assert run.runs == 2
    assert_same(local, run.result, tmp_path, same_journal)
    assert len(run.turns) == 5


def test_journal_writes_wait_in_temporal_until_a_journal_worker_comes(
    temporal: str, queue: str, tmp_path: Path, same_journal: Any
) -> None:
    catalog = load_catalog()
    local = Runner(catalog=catalog, journal_root=tmp_path / "local").start(
        GOAL, entry="fastapi-developer"
    )
    remote = tmp_path / "remote"

    async def scenario() -> tuple[RemoteRun, list[str]]:
        client = await connect(temporal)
        agent = RuleAgent(catalog=catalog)
        tasks = WorkerGroup(
            client, catalog=catalog, serve="tasks", task_queue=queue, agent_for=lambda s: agent
        )
        async with tasks:
            runner = TemporalRunner(
                client=client, catalog=catalog, journal_root=tmp_path / "ids", task_queue=queue
            )
            task_id = await runner.submit(GOAL, entry="fastapi-developer")
            handle = client.get_workflow_handle(task_id)
            for _ in range(200):  # every role turn done: the root's `done` event is out
                view = await handle.query("view", 0, result_type=TaskView)
                if any(e["kind"] == "done" and e["subtask"] == task_id for e in view.events):
                    break
                await asyncio.sleep(0.05)
            else:  # pragma: no cover - a hung task
                raise AssertionError("the task's turns never finished")
            await asyncio.sleep(0.5)
            before = sorted(p.name for p in remote.rglob("*.md"))
            assert view.status == "running"
            journal = WorkerGroup(
                client, catalog=catalog, serve="journal", task_queue=queue, journal_root=remote
            )
            async with journal:
                return await runner.afollow(task_id), before

    run, before = asyncio.run(scenario())
    assert before == []
    assert_same(local, run.result, tmp_path, same_journal)


def test_a_worker_with_another_catalog_refuses_the_task_naming_both_digests(
    temporal: str, queue: str, tmp_path: Path, same_journal: Any
) -> None:
    from temporalio.api.enums.v1 import EventType

    catalog = load_catalog()
    other = Catalog([*catalog, _mode("extra-role")])
    local = Runner(catalog=catalog, journal_root=tmp_path / "local").start(
        GOAL, entry="fastapi-developer"
    )

    async def scenario() -> tuple[RemoteRun, list[str]]:
        client = await connect(temporal)
        runner = TemporalRunner(
            client=client, catalog=catalog, journal_root=tmp_path / "ids", task_queue=queue
        )
        wrong = WorkerGroup(client, catalog=other, task_queue=queue, journal_root=tmp_path / "x")
        async with wrong:
            task_id = await runner.submit(GOAL, entry="fastapi-developer")
            handle = client.get_workflow_handle(task_id)
            failures: list[str] = []
            for _ in range(100):
                history = await handle.fetch_history()
                failures = [
                    e.workflow_task_failed_event_attributes.failure.message
                    for e in history.events
                    if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED
                ]
                if failures:
                    break
                await asyncio.sleep(0.05)
        right = WorkerGroup(
            client,
            catalog=catalog,
            task_queue=queue,
            journal_root=tmp_path / "remote",
            agent_for=lambda s: RuleAgent(catalog=catalog),
        )
        async with right:
            return await runner.afollow(task_id), failures

    run, failures = asyncio.run(scenario())
    from modegraph.engines import catalog_digest

    assert failures, "the wrong worker took the task"
    assert catalog_digest(catalog) in failures[0] and catalog_digest(other) in failures[0]
    assert assert_same(local, run.result, tmp_path, same_journal)


def test_a_run_that_starts_with_no_worker_says_so_and_waits(
    temporal: str, queue: str, tmp_path: Path
) -> None:
    told: list[str] = []

    async def scenario() -> RemoteRun:
        client = await connect(temporal)
        catalog = load_catalog()
        runner = TemporalRunner(
            client=client,
            catalog=catalog,
            journal_root=tmp_path / "ids",
            task_queue=queue,
            on_wait=told.append,
            patience=0.5,
            timeouts=Timeouts(heartbeat=2),
        )
        task_id = await runner.submit(
            "Add a users API",
            entry="fastapi-developer",
            settings=RunSettings(entry="fastapi-developer"),
        )
        following = asyncio.create_task(runner.afollow(task_id))
        # told after `patience` and the query that found no worker (1 s, longer when
        # the shared server is busy)
        for _ in range(200):
            if told:
                break
            await asyncio.sleep(0.1)
        assert told and not following.done()
        # the command to run names the server this client uses, not only the queue
        assert f"modegraph worker --temporal {temporal} --task-queue {queue}" in told[0]
        assert "refuses the task" in told[0]
        async with WorkerGroup(
            client, catalog=catalog, task_queue=queue, journal_root=tmp_path / "remote"
        ):
            return await following

    run = asyncio.run(scenario())
    assert run.result.status is RunStatus.COMPLETED
    assert len(told) == 1 and f"--task-queue {queue}" in told[0]


def test_an_id_temporal_already_holds_counts_as_taken(
    temporal: str, queue: str, tmp_path: Path
) -> None:
    # two clients with journals of their own start tasks in the same second: the ids
    # each journal gives are the same, and Temporal's copy of the first makes it taken
    second = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

    async def scenario() -> list[str]:
        client = await connect(temporal)
        ids = []
        for name in ("a", "b", "c"):
            runner = TemporalRunner(
                client=client, catalog=TEAM, journal_root=tmp_path / name, task_queue=queue
            )
            runner.journal = Journal(tmp_path / name, clock=lambda: second)
            ids.append(await runner.submit("Ship it", entry="lead"))
        for task_id in ids:  # no worker serves this queue: end the tasks here
            await client.get_workflow_handle(task_id).terminate("test over")
        return ids

    first = "TASK-LEAD-20260102-030405"
    assert asyncio.run(scenario()) == [first, f"{first}-2", f"{first}-3"]


def test_a_catalog_without_edges_runs_from_the_built_in_orchestrator_on_workers(
    temporal: str, queue: str, tmp_path: Path, same_journal: Any
) -> None:
    """Agents that declare no edges: the orchestrator role exists on the workers too.

    The workers' default agent (no `agent_for`): the rule agent over the catalog as the
    run sees it, as a local run's.
    """
    flat = Catalog(
        [
            Mode(slug="api-builder", name="API Builder", description="Builds HTTP APIs."),
            Mode(slug="doc-writer", name="Doc Writer", description="Writes the docs."),
        ]
    )
    goal = "Build the users API and write the docs for it"
    local = Runner(catalog=flat, journal_root=tmp_path / "local").start(goal, entry="orchestrator")

    async def remote() -> RemoteRun:
        client = await connect(temporal)
        async with WorkerGroup(
            client, catalog=flat, task_queue=queue, journal_root=tmp_path / "remote"
        ):
            runner = TemporalRunner(
                client=client, catalog=flat, journal_root=tmp_path / "ids", task_queue=queue
            )
            return await runner.astart(goal, entry="orchestrator")

    run = asyncio.run(remote())
    assert run.result.status is RunStatus.COMPLETED
    assert [t.role for t in run.turns].count("orchestrator") == 2
    assert_same(local, run.result, tmp_path, same_journal)
