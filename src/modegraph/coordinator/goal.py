"""What a goal must be for a run (or a plan) to start: not empty, not huge."""

from __future__ import annotations

from modegraph.agents.rule.agent import MAX_GOAL_CHARS
from modegraph.errors import GoalError

__all__ = ["MAX_GOAL_CHARS", "check_goal"]


def check_goal(goal: str) -> None:
    """Refuse an empty goal or one longer than `MAX_GOAL_CHARS`, saying what to do.

    Raises:
        GoalError: the goal is empty (or only spaces or punctuation) or too long.
    """
    if not goal.strip():
        raise GoalError('the goal is empty; say what the task is: modegraph run "GOAL"')
    if not any(char.isalnum() for char in goal):
        raise GoalError(
            f"the goal {goal.strip()[:40]!r} has no words; say what the task is: "
            'modegraph run "GOAL"'
        )
    if len(goal) > MAX_GOAL_CHARS:
        raise GoalError(
            f"the goal is {len(goal):,} characters long, more than the {MAX_GOAL_CHARS:,} a "
            "run takes; put the details in a file in the workspace and name that file in a "
            "short goal"
        )
