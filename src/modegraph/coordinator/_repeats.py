"""The journal node's guard against a model that repeats itself.

A model that keeps handing the same work back and forth costs a call per turn and
gets nowhere: the subtask and chain guards would stop it only after dozens of turns
(a scripted server that always hands off made 198 calls). A handoff is a repeat,
and trips a guard at once, when the role:

- asks again for a handoff to a target that was already refused on this subtask
  (by the escalation graph, a guard or a person), after being told why; or
- hands a role the very goal (ignoring case and spacing) that this role already
  finished for the subtask.

The router refuses it, and the subtask ends `blocked` rather than get another turn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from modegraph.coordinator.records import is_terminal
from modegraph.coordinator.state import RefusalRecord, SubtaskRecord

__all__ = ["repeated"]


def repeated(
    rec: SubtaskRecord,
    target: str,
    goal: str,
    *,
    refused: Sequence[RefusalRecord],
    subtasks: Mapping[str, SubtaskRecord],
) -> str:
    """Why a handoff repeats work already refused or done, or an empty string.

    Args:
        rec: The requesting subtask.
        target: The target role.
        goal: The handoff's goal.
        refused: The refusals of earlier journal-node passes.
        subtasks: Every subtask by id (for `rec`'s children).

    Returns:
        The guard's message, or an empty string when the handoff is new.
    """
    for refusal in refused:
        if refusal["subtask"] == rec["id"] and refusal["target"] == target:
            return (
                f"guard: {rec['role']} asked again for the handoff to {target} that was "
                f"refused on {rec['id']} ({refusal['reason']}); the model repeats itself, "
                "so the subtask stops"
            )
    wanted = " ".join(goal.split()).casefold()
    for child_id in rec["children"]:
        child = subtasks[child_id]
        same = " ".join(child["goal"].split()).casefold() == wanted
        if child["role"] == target and same and is_terminal(child):
            return (
                f"guard: {rec['role']} handed {target} the same goal again ({goal!r}), "
                f"which {child_id} already did; the model repeats itself, so the "
                "subtask stops"
            )
    return ""
