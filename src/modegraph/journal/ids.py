"""Task ids in Roo Commander's style, and how they name their parents.

The scheme:

- A root task is ``TASK-<PREFIX>-<YYYYMMDD>-<HHMMSS>`` (UTC), e.g.
  ``TASK-FASTAPI-20261127-091500``. The prefix comes from the mode's slug: its words
  upper-cased, without a trailing role word (``fastapi-developer`` -> ``FASTAPI``,
  ``database-specialist`` -> ``DATABASE``, ``technical-architect`` ->
  ``TECHNICAL-ARCHITECT``).
- When that id is taken (two tasks started in the same second) the journal adds
  ``-2``, ``-3``, ...: ``TASK-FASTAPI-20261127-091500-2``.
- Subtask ``n`` (1, 2, ...) of a task adds ``.n``: ``TASK-FASTAPI-20261127-091500.2``
  is the second subtask of the root task and ``...091500.2.1`` is the first subtask of
  that one. So a subtask's id (and its file name) names its parent.
"""

from __future__ import annotations

import re
from datetime import datetime

from modegraph.journal.model import TASK_ID_PATTERN, utc

__all__ = [
    "child_task_id",
    "is_valid_task_id",
    "new_task_id",
    "parent_task_id",
    "prefix_for_mode",
    "root_task_id",
]

_ROLE_WORDS = frozenset(
    {"developer", "specialist", "engineer", "expert", "agent", "mode", "dev", "worker"}
)
_TASK_ID = re.compile(TASK_ID_PATTERN)


def prefix_for_mode(slug: str) -> str:
    """The task id prefix for a mode.

    Args:
        slug: The mode's slug, e.g. ``fastapi-developer``.

    Returns:
        Its words upper-cased and joined by ``-``, without a trailing role word
        (developer, specialist, engineer, ...): ``FASTAPI``. ``TASK`` when nothing is left.
    """
    words = [w for w in re.split(r"[^A-Za-z0-9]+", slug) if w]
    while len(words) > 1 and words[-1].lower() in _ROLE_WORDS:
        words.pop()
    return "-".join(w.upper() for w in words) or "TASK"


def new_task_id(prefix: str = "TASK", *, now: datetime | None = None, suffix: int = 1) -> str:
    """Build a root task id, without reserving it (`Journal.new_task_id` reserves).

    Args:
        prefix: Upper-case words, e.g. ``FASTAPI``; a slug is turned into a prefix.
        now: The start time (UTC is used; naive means UTC); the current time when None.
        suffix: 1 for the plain id; 2, 3, ... add ``-2``, ``-3``.

    Returns:
        ``TASK-<PREFIX>-<YYYYMMDD>-<HHMMSS>[-<suffix>]``.
    """
    moment = utc(now if now is not None else datetime.now().astimezone())
    clean = (
        prefix_for_mode(prefix) if not re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]+)*", prefix) else prefix
    )
    base = f"TASK-{clean}-{moment:%Y%m%d-%H%M%S}"
    return base if suffix <= 1 else f"{base}-{suffix}"


def child_task_id(parent: str, n: int) -> str:
    """The id of subtask ``n`` of ``parent``: ``<parent>.<n>``.

    Raises:
        ValueError: ``n`` is below 1.
    """
    if n < 1:
        raise ValueError(f"subtask numbers start at 1, got {n}")
    return f"{parent}.{n}"


def parent_task_id(task_id: str) -> str | None:
    """The parent's id, read from a subtask id; None for a root task."""
    head, dot, tail = task_id.rpartition(".")
    if dot and head and tail.isdigit():
        return head
    return None


def root_task_id(task_id: str) -> str:
    """The root task's id: the id with every ``.n`` subtask part removed."""
    while (parent := parent_task_id(task_id)) is not None:
        task_id = parent
    return task_id


def is_valid_task_id(task_id: str) -> bool:
    """True when ``task_id`` can name a task file (letters, digits, ``.``, ``_``, ``-``)."""
    return bool(_TASK_ID.match(task_id)) and ".." not in task_id
