"""Regression tests for the second mode-catalog review (helper F7), one group per finding."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pytest
from rich.console import Console

from modegraph.cli._common import print_findings
from modegraph.findings import Code, Finding, Severity
from modegraph.modes.catalog.loader import load_text
from modegraph.modes.formats.writers import write_modes
from modegraph.modes.formats.writing import MODE_FIELDS, TargetFormat
from modegraph.modes.model import Mode, Reference, SourceInfo, ToolGroup


def test_native_yaml_bad_list_item_drops_only_that_item() -> None:
    text = (
        "slug: a\nname: A\n"
        'tool_groups: [{name: edit, file_regex: "(["}, read, 7]\n'
        "escalates_to: [b, 5]\n"
    )
    result = load_text(text, path="a.mode.yaml")
    (mode,) = result.modes
    assert [group.name for group in mode.tool_groups] == ["edit", "read"]
    assert mode.tool_groups[0].file_regex == "(["
    assert [ref.slug for ref in mode.escalates_to] == ["b"]
    codes = [(f.code, f.line) for f in result.findings]
    assert (Code.INVALID_REGEX, 3) in codes
    wrong = [f.message for f in result.findings if f.code is Code.WRONG_TYPE]
    assert any("tool_groups.2" in message for message in wrong)
    assert any("escalates_to.1" in message for message in wrong)


def test_native_yaml_bad_nested_key_drops_only_that_group() -> None:
    text = "slug: a\nname: A\ntool_groups: [read, {name: edit, fileRegx: x}]\n"
    result = load_text(text, path="a.mode.yaml")
    (mode,) = result.modes
    assert [group.name for group in mode.tool_groups] == ["read"]
    assert any(f.code is Code.UNKNOWN_KEY for f in result.findings)


def test_inline_tool_group_list_on_the_key_line_is_split() -> None:
    text = (
        "# Mode: A (`a-mode`)\n\n"
        "**Tool Groups:** read, edit (fileRegex: \\.md$, description: Markdown only), command\n"
    )
    result = load_text(text, path="a.mode.md")
    (mode,) = result.modes
    groups = [(g.name, g.file_regex, g.description) for g in mode.tool_groups]
    assert groups == [
        ("read", None, None),
        ("edit", r"\.md$", "Markdown only"),
        ("command", None, None),
    ]


def test_inline_tool_group_with_a_comma_in_its_description_stays_one() -> None:
    text = "# Mode: A (`a-mode`)\n\n**Tool Groups:**\n- edit (fileRegex: \\.md$) docs, notes\n"
    (mode,) = load_text(text, path="a.mode.md").modes
    assert [g.name for g in mode.tool_groups] == ["edit"]
    assert mode.tool_groups[0].file_regex == r"\.md$"


def test_toml_mode_with_only_id_name_and_metadata_is_read_as_toml() -> None:
    text = '+++\nid = "docs-bot"\nname = "Docs Bot"\n\n[metadata]\ntags = ["docs"]\n+++\nBody.\n'
    result = load_text(text, path="docs-bot.mode.md")
    (mode,) = result.modes
    assert (mode.slug, mode.name, mode.tags) == ("docs-bot", "Docs Bot", ("docs",))
    assert mode.custom_instructions == "Body."


def test_toml_mode_with_id_and_metadata_only_is_read_as_toml() -> None:
    text = '+++\nid = "docs-bot"\n[metadata]\nescalate_to = ["lead"]\n+++\n'
    result = load_text(text, path="docs-bot.mode.md")
    assert [ref.slug for ref in result.modes[0].escalates_to] == ["lead"]


def test_unrecognised_toml_block_is_a_finding_not_ignored() -> None:
    text = '+++\ntitle = "Notes"\n+++\n# Mode: Helper (`helper`)\n'
    result = load_text(text, path="helper.mode.md")
    (mode,) = result.modes
    assert mode.slug == "helper"
    (found,) = [f for f in result.findings if f.code is Code.UNKNOWN_FORMAT]
    assert found.line == 1
    assert "`+++`" in found.message


def test_default_browser_group_is_not_warned_as_deprecated() -> None:
    text = '+++\nid = "docs-bot"\nname = "Docs Bot"\n+++\n'
    result = load_text(text, path="docs-bot.mode.md")
    (mode,) = result.modes
    assert "browser" in [group.name for group in mode.tool_groups]
    assert all(group.line is None for group in mode.tool_groups)
    assert mode.extra["allowed_tool_groups"] == "default"
    assert not [f for f in result.findings if f.code is Code.DEPRECATED_TOOL_GROUP]


def test_written_browser_group_is_still_warned() -> None:
    text = (
        '+++\nid = "docs-bot"\nname = "Docs Bot"\nallowed_tool_groups = ["read", "browser"]\n+++\n'
    )
    result = load_text(text, path="docs-bot.mode.md")
    (found,) = [f for f in result.findings if f.code is Code.DEPRECATED_TOOL_GROUP]
    assert found.line == 4


@pytest.mark.parametrize(
    ("text", "path", "line"),
    [
        (
            "customModes: &a\n  - slug: x\n    name: X\n    roleDefinition: r\n    groups: *a\n",
            "custom_modes.yaml",
            5,
        ),
        ("customModes: &c [*c]\n", ".roomodes", 1),
        ("slug: x\nname: X\ntags: &t [*t]\n", "x.mode.yaml", 3),
        ("slug: x\nname: X\nextra: &e {a: *e}\n", "x.mode.yaml", 3),
        ("---\nslug: x\ntags: &t [*t]\n---\n# Mode: X (`x`)\n", "x.mode.md", 3),
        ("---\nname: x\ndescription: d\ntools: &t [*t]\n---\nbody\n", "agents/x.md", 4),
    ],
)
def test_recursive_yaml_anchor_is_a_syntax_error_with_its_line(
    text: str, path: str, line: int
) -> None:
    result = load_text(text, path=path)
    errors = [f for f in result.findings if f.code is Code.SYNTAX_ERROR]
    assert [f.line for f in errors] == [line]
    assert "recursive `&anchor`" in errors[0].message
    assert not [f for f in result.findings if f.code is Code.INTERNAL_ERROR]


LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['x'] * 9)}]\n"
    for prev, name in zip(["", "a", "b", "c", "d", "e", "f"], "abcdefg", strict=True)
)


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("slug: x\nname: X\n" + LAUGHS, "x.mode.yaml"),
        ("customModes: []\n" + LAUGHS, "custom_modes.yaml"),
        ("---\nslug: x\n" + LAUGHS + "---\n# Mode: X (`x`)\n", "x.mode.md"),
    ],
)
def test_exploding_yaml_aliases_are_refused_quickly(text: str, path: str) -> None:
    result = load_text(text, path=path)
    (error,) = [f for f in result.findings if f.code is Code.SYNTAX_ERROR]
    assert "expand to more than" in error.message
    assert error.line is not None and error.line > 2


def test_deeply_nested_tool_group_item_is_a_finding() -> None:
    text = "# Mode: X (`x`)\n\n**Tool Groups:**\n- " + "[" * 5000 + "\n"
    result = load_text(text, path="x.mode.md")
    assert not [f for f in result.findings if f.code is Code.INTERNAL_ERROR]
    assert [f.line for f in result.findings if f.code is Code.WRONG_TYPE] == [4]


def test_findings_output_groups_by_code_and_severity() -> None:
    console = Console(record=True, width=200)
    findings = [
        Finding(path="a", line=1, code=Code.FIELD_DROPPED, severity=Severity.WARNING, message="w"),
        Finding(path="a", line=2, code=Code.FIELD_DROPPED, severity=Severity.INFO, message="i"),
    ]
    print_findings(findings, console=console)
    out = console.export_text()
    assert "field-dropped (1 warning)" in out
    assert "field-dropped (1 info)" in out
    assert "2 warnings" not in out
    assert out.index("(1 warning)") < out.index("a:1:") < out.index("(1 info)") < out.index("a:2:")


SAMPLE: dict[str, Any] = {
    "slug": "docs-writer",
    "name": "Docs Writer",
    "emoji": "📝",
    "level": "034-worker-docs",
    "description": "Writes the project documentation.",
    "when_to_use": "When a guide or reference page is needed.",
    "capabilities": ("Write guides", "Review pages"),
    "workflow": ("Read the code", "Write the page"),
    "role_definition": "You write clear documentation.",
    "custom_instructions": "Keep pages short.",
    "tool_groups": (ToolGroup(name="read"), ToolGroup(name="edit", file_regex=r"\.md$")),
    "tags": ("docs",),
    "categories": ("Documentation",),
    "stack": ("markdown",),
    "delegates_to": (Reference(slug="proof-reader", note="for a second pass"),),
    "escalates_to": (Reference(slug="technical-writer"),),
    "reports_to": (Reference(slug="docs-lead"),),
    "model": "sonnet",
    "extra": {"version": "1.0.0"},
}


def test_every_content_field_has_a_sample_and_mode_fields_follow_the_model() -> None:
    assert set(MODE_FIELDS) == set(Mode.model_fields) - {"source"}
    assert set(SAMPLE) == set(MODE_FIELDS), "add a sample value for the new Mode field"


def _plain(value: object) -> object:
    """A field's value without where it was read (references compare by slug and note)."""
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    if isinstance(value, Reference):
        return (value.slug, value.note)
    return value


def _dropped_names(findings: Sequence[Finding]) -> str:
    return " ".join(f.message for f in findings if f.code is Code.FIELD_DROPPED)


@pytest.mark.parametrize("target", list(TargetFormat))
def test_every_mode_field_is_written_or_reported_dropped(target: TargetFormat) -> None:
    mode = Mode(**SAMPLE, source=SourceInfo(path="docs-writer.mode.yaml", line=1))
    written = write_modes([mode], to=target)
    dropped = _dropped_names(written.findings)
    back: list[Mode] = []
    for file in written.files:
        name = f".claude/agents/{file.name}" if target is TargetFormat.CLAUDE else file.name
        back.extend(load_text(file.text, path=name).modes)
    (again,) = back
    for field in MODE_FIELDS:
        original = getattr(mode, field)
        kept = _plain(getattr(again, field)) == _plain(original)
        if field == "extra":
            kept = all(again.extra.get(key) == value for key, value in original.items())
        assert kept or re.search(rf"\b{field}\b", dropped), (target, field)


class _Wider(Mode):
    """`Mode` with a field a later version might add."""

    novel_field: str = ""
    """A field no writer knows about yet."""


@pytest.mark.parametrize("target", list(TargetFormat))
def test_a_field_added_to_mode_is_written_or_reported_never_lost(target: TargetFormat) -> None:
    mode = _Wider(**SAMPLE, novel_field="zebra-quokka", source=SourceInfo(path="x", line=1))
    written = write_modes([mode], to=target)
    assert "zebra-quokka" in written.text or "novel_field" in _dropped_names(written.findings)
