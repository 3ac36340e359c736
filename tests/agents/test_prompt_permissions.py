"""The system prompt says what each role may write and run, and tells the command decisions."""

from __future__ import annotations

from modegraph.agents.chat.prompts import system_prompt, turn_request
from modegraph.agents.protocol import AllowedTarget, CommandDecision, RoleTurn
from modegraph.modes.model import EdgeKind, Mode, ToolGroup

WRITER = Mode(
    slug="writer",
    name="Writer",
    description="Writes the docs.",
    tool_groups=(ToolGroup(name="read"), ToolGroup(name="edit", file_regex=r"\.md$")),
)
RUNNER = Mode(
    slug="ops",
    name="Ops",
    description="Runs things.",
    tool_groups=(ToolGroup(name="read"), ToolGroup(name="edit"), ToolGroup(name="command")),
)
BROKEN = Mode(
    slug="broken",
    name="Broken",
    description="Has a bad regex.",
    tool_groups=(ToolGroup(name="edit", file_regex="(["),),
)
REVIEWER = Mode(
    slug="reviewer",
    name="Reviewer",
    description="Reads code.",
    tool_groups=(ToolGroup(name="read"),),
)


def turn(**kwargs: object) -> RoleTurn:
    allowed = tuple(AllowedTarget(mode=m, kind=EdgeKind.DELEGATE) for m in (WRITER, RUNNER, BROKEN))
    return RoleTurn(
        task_id="T-1",
        subtask_id="T-1",
        mode=REVIEWER,
        goal="Review and fix",
        allowed=allowed,
        **kwargs,  # type: ignore[arg-type]
    )


def test_each_target_says_what_it_may_write_and_run() -> None:
    prompt = system_prompt(turn())
    lines = {line.split("`")[1]: line for line in prompt.splitlines() if line.startswith("- `")}
    assert lines["handoff_to_writer"].endswith(
        r"It may: read files; write files matching `\.md$`; no commands."
    )
    assert lines["handoff_to_ops"].endswith("It may: read files; write any file; run commands.")
    assert "It may: unknown (its edit group's fileRegex is not a valid regex)." in prompt
    assert "You may: read files; no file writing; no commands." in prompt
    assert "hand that part to a role below that may" in prompt


def test_command_decisions_are_told_on_the_next_turn() -> None:
    decisions = (
        CommandDecision(command="pytest -q", cwd=".", approved=True),
        CommandDecision(command="rm -rf build", cwd="app", approved=False, reason="keep it"),
    )
    t = turn(commands=decisions)
    prompt = system_prompt(t)
    assert "## Command approvals" in prompt
    assert "- `pytest -q` in `.`: approved. Run it now" in prompt
    assert "- `rm -rf build` in `app`: rejected (keep it). Do not run it again" in prompt
    assert "A person decided on the commands" in turn_request(t)
    assert "## Command approvals" not in system_prompt(turn())
    assert "A person decided" not in turn_request(turn())
