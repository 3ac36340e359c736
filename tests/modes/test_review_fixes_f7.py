"""Regression tests for the second mode-catalog review (helper F7), one group per finding."""

from __future__ import annotations

import pytest
from rich.console import Console

from modegraph.cli._common import print_findings
from modegraph.findings import Code, Finding, Severity
from modegraph.modes.loader import load_text


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
