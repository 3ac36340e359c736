"""A hub that hands two parts to two specialists, driven by the strict scripted model.

Shared by the tests that compare what a model's own callback handler sees with and
without the shortcuts taken when nothing listens (`test_chat_unheard.py`,
`test_node_quiet.py`). Importable as `hub_task` (tests/agents/conftest.py puts this
folder on `sys.path`).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import BaseMessage

from modegraph.agents.chat.agent import ChatAgent
from modegraph.coordinator.build import build_coordinator
from modegraph.coordinator.nodes import new_state
from modegraph.modes.catalog import Catalog
from modegraph.modes.model import Mode, Reference
from modegraph.testing import ScriptedChatModel as S

__all__ = ["DB", "HUB", "OPS", "ModelRuns", "hub_graph", "run_two_handoffs"]

HUB = Mode(slug="hub", name="Hub", delegates_to=(Reference(slug="db"), Reference(slug="ops")))
DB = Mode(slug="db", name="DB", description="Designs schemas.")
OPS = Mode(slug="ops", name="Ops", description="Deploys.")


def hub_graph(model: S, **build: Any) -> Any:
    """The coordinator over hub, db and ops, entered at hub, with the chat agent."""
    return build_coordinator(
        catalog=Catalog([HUB, DB, OPS]), entry="hub", agent=ChatAgent(model=model), **build
    )


def run_two_handoffs(task_id: str, handler: BaseCallbackHandler, config: dict[str, Any]) -> None:
    """Run the hub's task (two handoffs in parallel, then integration), `handler` on the model."""
    model = S.by_role(
        {
            "hub": [
                S.tool_calls(
                    [
                        ("handoff_to_db", {"goal": "Design the users table", "reason": "schema"}),
                        ("handoff_to_ops", {"goal": "Deploy it", "reason": "deploy"}),
                    ]
                ),
                S.complete("Users API done"),
            ],
            "db": [S.complete("Table designed")],
            "ops": [S.complete("Deployed")],
        }
    )
    model.callbacks = [handler]
    with model:
        final = hub_graph(model).invoke(
            new_state(task_id=task_id, goal="Build the users API", entry="hub"), config
        )
    assert final["finished"]


class ModelRuns(BaseCallbackHandler):
    """Records every chat model run it sees, run ids numbered by first appearance."""

    def __init__(self) -> None:
        self.seen: list[tuple[Any, ...]] = []
        self._ids: dict[UUID, int] = {}

    def _id(self, run_id: UUID | None) -> int | None:
        if run_id is None:
            return None
        return self._ids.setdefault(run_id, len(self._ids))

    def on_chat_model_start(
        self,
        serialized: dict[str, Any],
        messages: list[list[BaseMessage]],
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        stable = {
            k: v
            for k, v in (metadata or {}).items()
            if k not in {"langgraph_checkpoint_ns", "checkpoint_ns", "thread_id"}
        }
        self.seen.append(
            (
                kwargs.get("name"),
                self._id(run_id),
                self._id(parent_run_id),
                list(tags or []),
                stable,
                kwargs.get("invocation_params", {}).get("tools"),
            )
        )
