"""A person who stops answering keeps the decisions already given (R1 A10)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from modegraph.coordinator import ApprovalRequest, Decision, Policy, Runner, RunStatus
from modegraph.coordinator.policy import ApprovalRule
from modegraph.journal.store import Journal
from modegraph.modes.catalog import Catalog
from modegraph.modes.model import Mode, Reference


def _catalog() -> Catalog:
    return Catalog(
        [
            Mode(
                slug="hub",
                name="Hub",
                escalates_to=tuple(Reference(slug=s) for s in ("a", "b", "c")),
            ),
            *(Mode(slug=s, name=s.upper()) for s in "abc"),
        ]
    )


def test_decisions_given_before_stopping_are_kept(
    tmp_path: Path, agent_class: Any, hand_to: Any
) -> None:
    asked: list[list[str]] = []

    def stop_after_two(requests: Sequence[ApprovalRequest]) -> Mapping[str, Decision]:
        asked.append([r.target for r in requests])
        first, second = requests[0], requests[1]
        return {
            first.id: Decision(approved=True),
            second.id: Decision(approved=False, reason="not b"),
        }

    policy = Policy(approve=ApprovalRule.parse("escalations"))
    runner = Runner(
        catalog=_catalog(),
        agent=agent_class(hand_to("a", "b", "c")),
        policy=policy,
        journal_root=tmp_path,
        ask=stop_after_two,
    )
    result = runner.start("do three things", entry="hub")
    assert asked == [["a", "b", "c"]]  # asked once: stopping means stop asking
    assert result.status is RunStatus.WAITING_APPROVAL
    assert [r.target for r in result.approvals] == ["c"]
    # the waiting run already shows b as refused (it was listed as a handoff to come)
    assert [(r.source, r.target, r.reason) for r in result.refused] == [
        ("hub", "b", "rejected by a person: not b")
    ]
    text = Journal(tmp_path).path(result.task_id).read_text(encoding="utf-8")
    assert "not b" in text  # the refusal is journaled as it was given

    later = Runner(catalog=_catalog(), agent=agent_class(hand_to()), journal_root=tmp_path)
    done = later.resume(result.task_id, decision=Decision(approved=True))
    # a and c did their parts; b's part was rejected, so the run is not `completed`
    assert done.status is RunStatus.BLOCKED
    assert done.reason == "hub -> b was rejected by a person: not b"
    assert [(r.target, "not b" in r.reason) for r in done.refused] == [("b", True)]
    assert sorted(s.role for s in done.subtasks) == ["a", "c", "hub"]
