"""The closing sync of a run's checkpoint connection: skipped only when the steps covered it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from modegraph.agents import RuleAgent
from modegraph.coordinator import Runner, RunResult, RunStatus
from modegraph.coordinator import persistence as persistence_module
from modegraph.coordinator import runner as runner_module
from modegraph.modes.catalog import Catalog

GOAL = "Build a users API with a Postgres schema and deploy it with Docker"


def _watch(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """Record the step syncs (the runner's `after`) and the closing ones apart."""
    steps: list[str] = []
    closing: list[str] = []
    real = persistence_module.sync_wal

    def step_sync(path: Path) -> None:
        steps.append(path.name)
        real(path)

    def closing_sync(path: Path) -> None:
        closing.append(path.name)
        real(path)

    monkeypatch.setattr(runner_module, "sync_wal", step_sync)
    monkeypatch.setattr(persistence_module, "sync_wal", closing_sync)
    return steps, closing


def test_a_run_whose_steps_synced_every_write_closes_without_another_sync(
    tmp_path: Path, seed_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps, closing = _watch(monkeypatch)
    runner = Runner(
        catalog=seed_catalog, agent=RuleAgent(catalog=seed_catalog), journal_root=tmp_path
    )
    assert runner.start(GOAL, entry="fastapi-developer").status is RunStatus.COMPLETED
    assert len(steps) >= 3
    assert closing == []


def test_a_run_that_stops_with_writes_after_its_last_step_is_synced_as_it_closes(
    start_waiting: Callable[[], tuple[Runner, RunResult]], monkeypatch: pytest.MonkeyPatch
) -> None:
    steps, closing = _watch(monkeypatch)
    start_waiting()
    assert steps and closing == ["checkpoints.sqlite"]
