"""The names a task's workflow, its activities, queues and handlers go by in Temporal.

Clients, workers and replayers of one deployment must agree on these, so they live
in one place; changing one is a change of the wire protocol.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "DEFAULT_ADDRESS",
    "DEFAULT_TASK_QUEUE",
    "JOURNAL_WRITE",
    "QUERY_VIEW",
    "ROLE_TURN",
    "SIGNAL_ANSWER",
    "WORKFLOW",
    "journal_queue",
]

WORKFLOW: Final = "modegraph.task"
"""The workflow type: one workflow per task, workflow id = task id."""
ROLE_TURN: Final = "modegraph.role_turn"
"""The activity that runs one role turn (on the task queue)."""
JOURNAL_WRITE: Final = "modegraph.journal_write"
"""The activity that writes a batch of journal entries (on the journal queue)."""
SIGNAL_ANSWER: Final = "answer"
"""The signal that answers a task's pending approvals."""
QUERY_VIEW: Final = "view"
"""The query a client follows a task with (`TaskView`)."""

DEFAULT_ADDRESS: Final = "127.0.0.1:7233"
"""Where `modegraph dev-server` listens, and where clients and workers look by default."""
DEFAULT_TASK_QUEUE: Final = "modegraph"
"""The task queue when none is given."""


def journal_queue(task_queue: str) -> str:
    """The journal queue that goes with a task queue: `<task queue>.journal`."""
    return f"{task_queue}.journal"
