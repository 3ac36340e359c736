"""The activities alone (Temporal's `ActivityEnvironment`, no server): what a worker answers.

A role turn with another catalog's digest is refused (retryable: another worker may
take it), naming both digests; a run error comes back as data for the role node; a
setup error or a bug fails the turn for good; a journal that cannot be written fails
the batch for good.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from modegraph.agents import RuleAgent
from modegraph.agents.protocol import AgentReport, RoleTurn
from modegraph.coordinator.runner import RunSettings
from modegraph.engines import catalog_digest
from modegraph.engines.temporal.activities import WorkerActivities
from modegraph.engines.temporal.journal_ops import CreateOp
from modegraph.engines.temporal.messages import AllowedRef, JournalBatch, TurnRequest
from modegraph.errors import BudgetExceeded, ProviderError
from modegraph.journal.model import TaskRecord
from modegraph.journal.store import Journal
from modegraph.modes.catalog.layers import load_catalog
from modegraph.modes.model import EdgeKind

CATALOG = load_catalog()
DIGEST = catalog_digest(CATALOG)


class Raises:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def run(self, turn: RoleTurn) -> AgentReport:
        raise self.error

    async def arun(self, turn: RoleTurn) -> AgentReport:
        raise self.error


def _activities(agent: Any = None, journal: Journal | None = None) -> WorkerActivities:
    chosen = agent or RuleAgent(catalog=CATALOG)
    return WorkerActivities(
        catalog=CATALOG, digest=DIGEST, agent_for=lambda s: chosen, journal=journal
    )


def _request(digest: str = DIGEST) -> TurnRequest:
    return TurnRequest(
        catalog_digest=digest,
        settings=RunSettings(entry="fastapi-developer").model_dump(mode="json"),
        mode="fastapi-developer",
        allowed=[AllowedRef(slug="database-specialist", kind=EdgeKind.ESCALATE, note="data")],
        turn={
            "task_id": "TASK-FASTAPI-20260101-000000",
            "subtask_id": "TASK-FASTAPI-20260101-000000",
            "goal": "Add a users API and a Postgres schema",
        },
    )


def _run(call: Any, arg: Any) -> Any:
    return asyncio.run(ActivityEnvironment().run(call, arg))


def test_a_turn_runs_the_agent_on_the_worker_catalog_modes() -> None:
    reply = _run(_activities().role_turn, _request())
    assert reply.failure is None and reply.report is not None
    assert [h.target for h in reply.report.handoffs] == ["database-specialist"]
    assert reply.worker == f"{os.getpid()}@{os.uname()[1]}"


def test_another_catalog_is_refused_naming_both_digests_and_may_be_retried() -> None:
    with pytest.raises(ApplicationError) as refused:
        _run(_activities().role_turn, _request("sha256:0000000000000000"))
    assert refused.value.type == "CatalogMismatch"
    assert not refused.value.non_retryable
    assert DIGEST in refused.value.message and "sha256:0000000000000000" in refused.value.message


def test_a_run_error_comes_back_as_data_for_the_role_node() -> None:
    spent = BudgetExceeded("no call left", llm_calls=2, tokens=30)
    reply = _run(_activities(Raises(spent)).role_turn, _request())
    assert reply.report is None and reply.failure is not None
    assert (reply.failure.error, reply.failure.llm_calls, reply.failure.tokens) == (
        "BudgetExceeded",
        2,
        30,
    )


@pytest.mark.parametrize(
    ("error", "kind"),
    [(ProviderError("no API key for openai"), "ProviderError"), (KeyError("bug"), "KeyError")],
)
def test_setup_errors_and_bugs_fail_the_turn_for_good(error: Exception, kind: str) -> None:
    with pytest.raises(ApplicationError) as failed:
        _run(_activities(Raises(error)).role_turn, _request())
    assert failed.value.type == kind and failed.value.non_retryable


def test_a_journal_that_cannot_be_written_fails_the_batch_for_good(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    record = TaskRecord(id="TASK-FASTAPI-20260101-000000", title="t", goal="g")
    batch = JournalBatch(task_id=record.id, ops=[CreateOp(record=record)])
    with pytest.raises(ApplicationError) as failed:
        _run(_activities(journal=Journal(blocked)).journal_write, batch)
    assert failed.value.type == "JournalError" and failed.value.non_retryable
    written = _run(_activities(journal=Journal(tmp_path / "ok")).journal_write, batch)
    assert written.changed == 1
    assert written.path == str(tmp_path / "ok" / "tasks" / f"{record.id}.md")
    with pytest.raises(ApplicationError) as none:
        _run(_activities().journal_write, batch)
    assert none.value.type == "NoJournal" and not none.value.non_retryable
