"""An orchestrator's first turn over a folder of agents, for the rule agent's tests.

Importable by the tests in this folder as `orchestrator_turn` (`conftest.py` puts the
folder on `sys.path`).
"""

from __future__ import annotations

from modegraph.agents import AgentReport, AllowedTarget, RoleTurn, RuleAgent
from modegraph.modes.catalog import Catalog
from modegraph.modes.model import EdgeKind, Mode

__all__ = ["ENTRY", "first_turn"]

ENTRY = Mode(
    slug="orchestrator",
    name="Orchestrator",
    description="Splits a request into parts and gives each part to the agent that fits it.",
)
"""The coordinator added to a folder of agents (as modegraph's built-in one is)."""


def first_turn(catalog: Catalog, goal: str) -> AgentReport:
    """The coordinator's first turn: it may hand work to every agent of the catalog."""
    allowed = tuple(
        AllowedTarget(mode=mode, kind=EdgeKind.DELEGATE) for mode in catalog if mode is not ENTRY
    )
    turn = RoleTurn(
        task_id="T", subtask_id="T", mode=ENTRY, goal=goal, allowed=allowed, chain=(ENTRY.slug,)
    )
    return RuleAgent(catalog=catalog).run(turn)
