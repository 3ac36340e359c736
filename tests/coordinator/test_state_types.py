"""The state's Literal types name exactly the values of the enums they store."""

from __future__ import annotations

from typing import get_args, get_type_hints

import pytest

from modegraph.agents.protocol import ReportStatus
from modegraph.coordinator.build import build_coordinator
from modegraph.coordinator.command_gate import APPROVED, PENDING, REJECTED
from modegraph.coordinator.state import (
    CommandStatus,
    EdgeKindValue,
    ReportStatusValue,
    SubtaskKind,
    SubtaskRecord,
    SubtaskStatus,
    SubtaskStatusValue,
    edge_kind_value,
)
from modegraph.modes.model import EdgeKind


def test_literals_match_the_enums() -> None:
    assert set(get_args(SubtaskStatusValue)) == {s.value for s in SubtaskStatus}
    assert set(get_args(ReportStatusValue)) == {s.value for s in ReportStatus}
    assert set(get_args(CommandStatus)) == {PENDING, APPROVED, REJECTED}
    assert set(get_args(EdgeKindValue)) == {EdgeKind.DELEGATE.value, EdgeKind.ESCALATE.value}
    assert set(get_args(SubtaskKind)) == {"entry", *get_args(EdgeKindValue)}


def test_record_fields_are_typed() -> None:
    hints = get_type_hints(SubtaskRecord)
    assert hints["status"] == SubtaskStatusValue
    assert hints["kind"] == SubtaskKind


def test_edge_kind_value() -> None:
    assert edge_kind_value(EdgeKind.ESCALATE) == "escalate"
    with pytest.raises(ValueError, match="never goes along a report edge"):
        edge_kind_value(EdgeKind.REPORT)


def test_build_coordinator_is_typed() -> None:
    hints = get_type_hints(build_coordinator)
    assert hints["return"].__name__ == "CompiledStateGraph"
    assert "BaseCheckpointSaver" in str(hints["checkpointer"])
