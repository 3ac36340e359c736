"""Claude Code's own rules: inherited tools, current tool names, models, front matter as written.

The agents here are written for these tests in the shapes public collections have:
an unquoted description holding `: `, examples with `user:` lines inside the
description, a front matter block indented by four spaces, `tools: []`.
"""

from __future__ import annotations

import pytest

from modegraph.findings import Code, Severity
from modegraph.modes.catalog.loader import load_text
from modegraph.modes.formats.claude.reader import INHERITED_GROUPS, looks_like_claude_agent
from modegraph.modes.formats.reading import ReadResult
from modegraph.modes.model import Mode


def agent(front: str, body: str = "You help.\n") -> str:
    return f"---\n{front}---\n{body}"


def read(text: str) -> ReadResult:
    return load_text(text, path=".claude/agents/a.md")


def only(result: ReadResult) -> Mode:
    assert len(result.modes) == 1, [f.format() for f in result.findings]
    return result.modes[0]


def codes(result: ReadResult) -> list[Code]:
    return [f.code for f in result.findings]


def groups(mode: Mode) -> list[str]:
    return [group.name for group in mode.tool_groups]


def test_no_tools_key_inherits_every_group_without_a_deprecation_warning() -> None:
    result = read(agent("name: helper\ndescription: Helps.\nmodel: inherit\n"))
    mode = only(result)
    assert groups(mode) == list(INHERITED_GROUPS)
    assert mode.extra["claude_tools"] == "inherit"
    assert codes(result) == []


def test_an_empty_tool_list_means_no_tools() -> None:
    mode = only(read(agent("name: bare\ndescription: d\ntools: []\n")))
    assert mode.tool_groups == ()
    assert mode.extra["claude_tools"] == []


def test_current_tool_names_are_known_and_web_tools_are_the_browser_group() -> None:
    tools = (
        "Agent, TeamCreate, TeamDelete, TaskCreate, TaskList, TaskGet, TaskUpdate, SendMessage, "
        "TodoWrite, NotebookEdit, LS, MultiEdit, WebFetch, WebSearch, mcp__meigen__draw, "
        "AskUserQuestion, LSP, PowerShell"
    )
    result = read(agent(f"name: lead\ndescription: Leads a team.\ntools: {tools}\n"))
    mode = only(result)
    assert codes(result) == []  # no unknown-tool, no deprecated-tool-group
    assert groups(mode) == ["modes", "edit", "read", "browser", "mcp", "command"]


def test_permission_style_entries_name_their_tool() -> None:
    mode = only(read(agent("name: git\ndescription: d\ntools: Read, Bash(git:*), Agent(rev)\n")))
    assert groups(mode) == ["read", "command", "modes"]


def test_unknown_tools_are_still_a_warning() -> None:
    result = read(agent("name: x\ndescription: d\ntools: Read, context-manager\n"))
    assert codes(result) == [Code.UNKNOWN_TOOL]


def test_disallowed_tools_take_groups_away() -> None:
    mode = only(read(agent("name: ro\ndescription: d\ndisallowedTools: Write, Edit, Bash\n")))
    assert "edit" not in groups(mode) and "command" not in groups(mode)
    assert "read" in groups(mode)


@pytest.mark.parametrize(
    "model", ["inherit", "sonnet", "opus", "haiku", "claude-sonnet-4-20250514", "fable"]
)
def test_the_model_is_kept_as_written(model: str) -> None:
    mode = only(read(agent(f"name: m\ndescription: d\nmodel: {model}\n")))
    assert mode.model == model


def test_a_description_with_an_unquoted_colon_is_read_leniently() -> None:
    text = agent(
        "name: privacy\n"
        "description: Use for privacy reviews. Triggers on: 'GDPR', 'consent', 'CCPA'.\n"
        "tools: Read, Grep\n"
        "model: sonnet\n"
    )
    result = read(text)
    mode = only(result)
    (warning,) = result.findings
    assert warning.code is Code.LENIENT_FRONT_MATTER
    assert warning.severity is Severity.WARNING
    assert warning.line == 3
    assert "`description:`" in warning.message and warning.hint
    assert mode.description == "Use for privacy reviews. Triggers on: 'GDPR', 'consent', 'CCPA'."
    assert mode.model == "sonnet"
    assert groups(mode) == ["read"]


def test_example_lines_stay_in_the_description() -> None:
    text = agent(
        "name: designer\n"
        "description: Use this agent for brand work. Examples:\\n\\n<example>\n"
        "Context: A new logo\n"
        'user: "Make it pop"\n'
        'assistant: "I will use the designer agent."\n'
        "</example>\n"
        "color: purple\n"
        "tools:\n"
        "  - Read\n"
        "  - Write\n"
    )
    result = read(text)
    mode = only(result)
    assert codes(result) == [Code.LENIENT_FRONT_MATTER]
    assert mode.description.startswith("Use this agent for brand work. Examples:\n\n<example>")
    assert 'user: "Make it pop"' in mode.description
    assert mode.description.endswith("</example>")
    assert mode.extra["color"] == "purple"
    assert groups(mode) == ["read", "edit"]


def test_front_matter_indented_after_a_blank_line_is_read_with_a_warning() -> None:
    text = (
        "\n    ---\n    name: queue-expert\n    description: Message queues.\n"
        "    model: claude-sonnet-4-20250514\n    ---\n    \n    ## Focus Areas\n    - SQS\n"
    )
    assert looks_like_claude_agent(text)
    result = read(text)
    mode = only(result)
    (warning,) = result.findings
    assert warning.code is Code.LENIENT_FRONT_MATTER
    assert warning.line == 2
    assert "indented by 4 spaces" in warning.message
    assert mode.slug == "queue-expert"
    assert mode.role_definition == "## Focus Areas\n- SQS"


def test_front_matter_without_a_name_is_still_an_error_when_read_leniently() -> None:
    result = read(agent("description: Triggers on: x\n"))
    assert result.modes == []
    assert Code.SYNTAX_ERROR in codes(result)
