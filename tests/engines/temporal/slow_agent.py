"""An agent for worker processes in tests: the rule agent, slow on one role.

Used as `modegraph worker --agent slow_agent:make` with this folder on PYTHONPATH.
`SLOW_ROLE` names the slow role, `SLOW_SECONDS` how long its turns take, and each
slow turn leaves a file `<subtask>@<pid>` in `SLOW_MARKS` when it starts, so a test
knows which worker is in the middle of the turn.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from modegraph.agents import RuleAgent
from modegraph.agents.protocol import AgentReport, RoleTurn
from modegraph.modes.catalog import Catalog


class Slow:
    def __init__(self, inner: RuleAgent, *, role: str, seconds: float, marks: Path) -> None:
        self.inner, self.role, self.seconds, self.marks = inner, role, seconds, marks

    def run(self, turn: RoleTurn) -> AgentReport:
        return self.inner.run(turn)

    async def arun(self, turn: RoleTurn) -> AgentReport:
        if turn.mode.slug == self.role and self.seconds:
            self.marks.mkdir(parents=True, exist_ok=True)
            (self.marks / f"{turn.subtask_id}@{os.getpid()}").write_text("started")
            await asyncio.sleep(self.seconds)
        return await self.inner.arun(turn)


def make(catalog: Catalog) -> Slow:
    return Slow(
        RuleAgent(catalog=catalog),
        role=os.environ.get("SLOW_ROLE", ""),
        seconds=float(os.environ.get("SLOW_SECONDS", "0")),
        marks=Path(os.environ.get("SLOW_MARKS", "marks")),
    )
