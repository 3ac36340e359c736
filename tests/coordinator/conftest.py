"""Fixtures for the coordinator tests: small catalogs and a scripted `Agent`."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from modegraph.agents.protocol import AgentReport, HandoffRequest, RoleTurn
from modegraph.modes.catalog import Catalog
from modegraph.modes.catalog.loader import load_paths
from modegraph.modes.model import Mode, Reference

DATA = Path(__file__).parent / "data"
SEED_MODES = DATA / "seed.mode.yaml"


class ScriptAgent:
    """An `Agent` that answers each turn with a function of it and records every turn."""

    def __init__(self, answer: Callable[[RoleTurn], AgentReport]) -> None:
        self.answer = answer
        self.turns: list[RoleTurn] = []
        self._lock = threading.Lock()

    def run(self, turn: RoleTurn) -> AgentReport:
        with self._lock:
            self.turns.append(turn)
        return self.answer(turn)

    async def arun(self, turn: RoleTurn) -> AgentReport:
        return self.run(turn)

    def roles(self) -> list[str]:
        return [t.mode.slug for t in self.turns]


def handing(*targets: str, llm_calls: int = 0) -> Callable[[RoleTurn], AgentReport]:
    """First turn of every role: hand off to `targets` (those allowed or not); then complete."""

    def answer(turn: RoleTurn) -> AgentReport:
        if turn.results or turn.refusals or turn.depth > 0:
            return AgentReport(summary=f"{turn.mode.slug} done", llm_calls=llm_calls)
        return AgentReport(
            summary=f"{turn.mode.slug} hands off",
            handoffs=tuple(HandoffRequest(target=t, goal=f"part for {t}") for t in targets),
            llm_calls=llm_calls,
        )

    return answer


@pytest.fixture
def seed_catalog() -> Catalog:
    result = load_paths([SEED_MODES])
    assert not result.findings, result.findings
    return Catalog(result.modes)


WaitingRun = Callable[[], tuple[Any, Any]]
"""`start_waiting()`: (the runner, its run waiting for approval)."""


@pytest.fixture
def start_waiting(tmp_path: Path, seed_catalog: Catalog) -> WaitingRun:
    """Start, when called, a seed run that waits: its handoff to a worker needs approval.

    A factory, so that a test can watch the disk before the run starts.
    """
    from modegraph.agents import RuleAgent
    from modegraph.coordinator import ApprovalRule, Policy, Runner, RunStatus

    def start() -> tuple[Any, Any]:
        runner = Runner(
            catalog=seed_catalog,
            agent=RuleAgent(catalog=seed_catalog),
            journal_root=tmp_path,
            policy=Policy(approve=ApprovalRule.parse("tier:worker")),
        )
        waiting = runner.start("Design a Postgres schema with migrations", entry="roo-commander")
        assert waiting.status is RunStatus.WAITING_APPROVAL
        return runner, waiting

    return start


def _mode(slug: str, *, delegates: tuple[str, ...] = (), escalates: tuple[str, ...] = ()) -> Mode:
    return Mode(
        slug=slug,
        name=slug.title(),
        description=f"The {slug} role.",
        delegates_to=tuple(Reference(slug=s) for s in delegates),
        escalates_to=tuple(Reference(slug=s) for s in escalates),
    )


@pytest.fixture
def loop_catalog() -> Catalog:
    """alpha -> beta -> gamma, and every one may escalate back up: a ping-pong playground."""
    return Catalog(
        [
            _mode("alpha", delegates=("beta",)),
            _mode("beta", delegates=("gamma",), escalates=("alpha",)),
            _mode("gamma", escalates=("beta", "alpha")),
        ]
    )


@pytest.fixture
def chain_catalog() -> Catalog:
    """A straight line of six roles: r0 -> r1 -> ... -> r5."""
    return Catalog([_mode(f"r{i}", delegates=(f"r{i + 1}",) if i < 5 else ()) for i in range(6)])


@pytest.fixture
def agent_class() -> type[ScriptAgent]:
    return ScriptAgent


@pytest.fixture
def hand_to() -> Callable[..., Callable[[RoleTurn], AgentReport]]:
    return handing
