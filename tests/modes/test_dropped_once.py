"""A field a target format cannot hold is named once, however often a writer lists it."""

from __future__ import annotations

from modegraph.modes.formats.writing import TargetFormat, dropped_findings
from modegraph.modes.model import Mode, ToolGroup


def test_a_dropped_field_is_named_once() -> None:
    mode = Mode(
        slug="rev",
        name="Reviewer",
        when_to_use="For reviews.",
        tool_groups=(ToolGroup(name="read"),),
    )
    [finding] = dropped_findings(
        mode,
        target=TargetFormat.CREWAI,
        dropped=["when_to_use", "tool_groups", "when_to_use", "tool_groups", "extra.claude_tools"],
        hint="",
    )
    assert "cannot hold when_to_use, tool_groups, extra.claude_tools;" in finding.message
