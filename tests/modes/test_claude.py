"""The Claude Code subagent reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from modegraph.findings import Code, Severity
from modegraph.modes.formats.claude.reader import (
    INHERITED_GROUPS,
    looks_like_claude_agent,
    read_claude_agent,
)
from modegraph.modes.formats.reading import ReadResult
from modegraph.modes.model import Mode, SourceFormat, ToolGroup

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str) -> ReadResult:
    return read_claude_agent((FIXTURES / name).read_text(encoding="utf-8"), path=name)


def only_mode(result: ReadResult) -> Mode:
    assert len(result.modes) == 1, result.findings
    return result.modes[0]


def test_comma_string_tools_and_the_prompt() -> None:
    result = read("claude_reviewer.md")
    assert result.findings == []
    mode = only_mode(result)
    assert mode.slug == "code-reviewer"
    assert mode.name == "Code Reviewer"
    assert mode.description.startswith("Expert code review specialist.")
    assert mode.when_to_use == mode.description
    assert mode.model == "sonnet"
    assert mode.tool_groups == (
        ToolGroup(name="read"),
        ToolGroup(name="command"),
        ToolGroup(name="mcp"),
    )
    assert mode.extra["claude_tools"] == [
        "Read",
        "Grep",
        "Glob",
        "Bash",
        "mcp__github__create_review",
        "TodoWrite",
    ]
    assert mode.role_definition.startswith("You are a senior code reviewer")
    assert mode.role_definition.endswith("2. Focus on modified files")
    assert mode.source.format is SourceFormat.CLAUDE
    assert mode.source.line == 1


def test_list_tools_folded_description_and_extra_keys() -> None:
    mode = only_mode(read("claude_tools_list.md"))
    assert [g.name for g in mode.tool_groups] == ["read", "edit", "browser", "modes"]
    assert mode.description == "Edits documentation. Use when docs need updating."
    assert mode.model == "claude-sonnet-4-5"
    assert mode.extra["color"] == "blue"
    assert mode.role_definition == "You edit docs."


def test_no_tools_means_inherit_every_tool() -> None:
    mode = only_mode(read("claude_no_tools.md"))
    assert [g.name for g in mode.tool_groups] == list(INHERITED_GROUPS)
    assert mode.extra == {"claude_tools": "inherit"}


def test_no_name_is_a_missing_field_error() -> None:
    result = read("claude_no_name.md")
    assert result.modes == []
    assert [f.code for f in result.findings] == [Code.MISSING_FIELD]
    assert "name:" in (result.findings[0].hint or "")


def test_front_matter_that_is_not_yaml_is_read_leniently_with_a_warning() -> None:
    result = read("claude_bad_yaml.md")
    assert [f.code for f in result.findings] == [Code.LENIENT_FRONT_MATTER]
    assert result.findings[0].line == 3
    assert result.findings[0].severity is Severity.WARNING
    mode = only_mode(result)
    assert mode.description == "Has a colon: in the middle: of the value"
    assert [g.name for g in mode.tool_groups] == ["read", "edit"]


@pytest.mark.parametrize(
    "description",
    ["[Beta] Reviews pull requests: style, bugs and security", "[unclosed: bracket"],
)
def test_read_leniently_a_value_that_only_starts_with_a_bracket_is_text(description: str) -> None:
    text = f"---\nname: rev\ndescription: {description}\ntools: [Read, Edit]\n---\nYou review.\n"
    result = read_claude_agent(text, path="rev.md")
    assert [f.code for f in result.findings] == [Code.LENIENT_FRONT_MATTER]
    mode = only_mode(result)
    assert mode.description == description
    assert [g.name for g in mode.tool_groups] == ["read", "edit"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", Code.EMPTY_FILE),
        ("You are an agent with no front matter.\n", Code.MISSING_FIELD),
        ("---\nname: x\n", Code.SYNTAX_ERROR),
    ],
)
def test_files_that_are_not_agents(text: str, code: Code) -> None:
    result = read_claude_agent(text, path="a.md")
    assert result.modes == []
    assert [f.code for f in result.findings] == [code]


def test_wrong_types() -> None:
    text = "---\nname: typed\ndescription: {a: b}\ntools: {Read: yes}\nmodel: [x]\n---\nBody\n"
    result = read_claude_agent(text)
    assert sorted(f.line for f in result.findings if f.code is Code.WRONG_TYPE) == [3, 4, 5]
    mode = only_mode(result)
    assert (mode.description, mode.model, mode.tool_groups) == ("", None, ())


def test_duplicate_tools_give_one_group_each() -> None:
    text = "---\nname: d\ndescription: d\ntools: Edit, Write, MultiEdit, NotebookEdit, LS\n---\n"
    mode = only_mode(read_claude_agent(text))
    assert mode.tool_groups == (ToolGroup(name="edit"), ToolGroup(name="read"))
    assert mode.role_definition == ""


def test_sniffing() -> None:
    for name in ("claude_reviewer.md", "claude_tools_list.md", "claude_no_tools.md"):
        assert looks_like_claude_agent((FIXTURES / name).read_text(encoding="utf-8")), name
    assert not looks_like_claude_agent("---\nslug: x\nname: X\ndescription: d\n---\n")
    assert not looks_like_claude_agent("---\nname: x\ndescription: d\n---\n# Mode: X (`x`)\n")
    assert not looks_like_claude_agent("---\ntitle: A blog post\n---\nText\n")
    assert not looks_like_claude_agent("# Just Markdown\n")
    assert not looks_like_claude_agent("")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\nname: a\ndescription: d\n---\nYou are A.\n", True),
        ("---\nname: a\ndescription: d\nmodel: haiku\n---\n# Role\nYou are A.\n", True),
        ("---\nname: a\ndescription: d\n---\n", True),
        # Agent Skills share the name/description front matter but are documents
        ("---\nname: fastapi\ndescription: Best practices.\n---\n\n# FastAPI\n\nUse it.\n", False),
        ("---\nname: cli\ndescription: d\nallowed-tools: Bash(x:*)\n---\nRun x.\n", False),
        ("---\nname: s\ndescription: d\nlicense: MIT\ntools: Read\n---\nBody\n", False),
    ],
)
def test_agents_and_skills(text: str, expected: bool) -> None:
    assert looks_like_claude_agent(text) is expected


def test_front_matter_that_is_not_a_mapping() -> None:
    result = read_claude_agent("---\n- a\n- b\n---\nPrompt\n", path="a.md")
    assert [(f.code, f.line) for f in result.findings] == [
        (Code.WRONG_TYPE, 2),
        (Code.MISSING_FIELD, 1),
    ]
    assert result.modes == []


def test_an_agent_without_a_description_is_a_warning() -> None:
    result = read_claude_agent("---\nname: helper\ntools: Read\n---\nYou help.\n", path="h.md")
    [finding] = result.findings
    assert (finding.code, finding.severity, finding.line) == (
        Code.MISSING_FIELD,
        Severity.WARNING,
        1,
    )
    assert "no goal will be routed here" in finding.message
    assert result.modes[0].slug == "helper"  # still loaded


def test_an_unclosed_quote_in_front_matter_names_the_file_line_where_it_opens() -> None:
    text = '---\nname: fixer\ndescription: "Fixes things\ntools: Read\n---\nYou fix.\n'
    result = read_claude_agent(text, path="fixer.md")
    [lenient] = [f for f in result.findings if f.code is Code.LENIENT_FRONT_MATTER]
    assert "quoted scalar that starts at line 3" in lenient.message  # the file's line 3
    assert [mode.slug for mode in result.modes] == ["fixer"]
