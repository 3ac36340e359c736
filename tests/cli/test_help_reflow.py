"""Command help reads as paragraphs in any terminal width, not as a docstring's lines."""

from __future__ import annotations

import itertools
import re

import pytest
from typer.testing import CliRunner

from modegraph.cli import app
from modegraph.cli.app import reflow

runner = CliRunner()

COMMANDS = [
    ["run"],
    ["resume"],
    ["route"],
    ["test"],
    ["modes", "list"],
    ["modes", "validate"],
    ["modes", "convert"],
    ["graph", "show"],
    ["graph", "lint"],
    ["journal", "show"],
    ["worker"],
]


def test_reflow_joins_the_lines_of_a_paragraph() -> None:
    text = "Draw the graph.\n\nReferences to modes\nthat are missing are\ndrawn dashed."
    joined = "References to modes that are missing are drawn dashed."
    assert reflow(text) == f"Draw the graph.\n\n{joined}"


def test_reflow_keeps_examples_and_list_items() -> None:
    text = (
        "Check cases.\n\nEach case is\na goal.\n\nThe file:\n\n    cases:\n      - goal: x\n\n"
        "Exit codes:\n- 0 when every case\n  passed;\n- 1 when one failed."
    )
    assert reflow(text) == (
        "Check cases.\n\nEach case is a goal.\n\nThe file:\n\n    cases:\n      - goal: x\n\n"
        "Exit codes:\n- 0 when every case passed;\n- 1 when one failed."
    )


def test_reflow_leaves_a_help_whose_example_would_lose_its_indentation() -> None:
    # Typer dedents the paragraphs after the first: an example right after one joined
    # line would be printed flush left, so the text is left as it was written
    text = "Check cases.\n\nEach case is\na goal. The file:\n\n    cases:\n      - goal: x"
    assert reflow(text) == text


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_ragged_lines_in_an_80_column_terminal(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "80"}, terminal_width=80)
    assert result.exit_code == 0, result.output
    description = re.split(r"╭|\n(?:Arguments|Options):\n", result.output)[0]
    # Rich indents the help by one space; an example's lines by more
    lines = [line.strip() for line in description.splitlines() if not line.startswith("   ")]
    # a docstring line break kept by Typer shows as a line of one or two words in the
    # middle of a paragraph ("the", "implies") before the paragraph goes on
    ragged = [
        (line, after)
        for line, after in itertools.pairwise(lines)
        if line and after and len(line.split()) <= 2 and re.match(r"[a-z(`]", after)
    ]
    assert ragged == [], result.output


def test_a_command_help_in_a_narrow_terminal_is_plain_two_columns() -> None:
    narrow = runner.invoke(app, ["run", "--help"], env={"COLUMNS": "80"}, terminal_width=80)
    assert narrow.exit_code == 0, narrow.output
    assert "╭" not in narrow.output and "\nOptions:\n" in narrow.output
    lines = narrow.output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("--bundled"))
    bundled = list(
        itertools.takewhile(lambda line: not line.lstrip().startswith("--"), lines[start + 1 :])
    )
    # the option's help wraps at about 45 columns, not Rich's squeezed 20 (13 lines)
    assert len(bundled) <= 5, narrow.output


def test_wide_terminals_and_command_lists_keep_rich_panels() -> None:
    wide = runner.invoke(app, ["run", "--help"], env={"COLUMNS": "120"}, terminal_width=120)
    assert "╭─ Options" in wide.output
    group = runner.invoke(app, ["modes", "--help"], env={"COLUMNS": "80"}, terminal_width=80)
    assert "╭─ Commands" in group.output


@pytest.mark.parametrize("command", [*COMMANDS, ["modes"], ["graph"], ["journal"]], ids=" ".join)
def test_help_shows_no_bool_type_and_no_completion_options_below_the_root(
    command: list[str],
) -> None:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"}, terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output
    assert "--install-completion" not in result.output
