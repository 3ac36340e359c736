"""The system prompt a chat model gets for one role turn, built from the mode.

The prompt's first line is a machine-readable role header,
``# Role: FastAPI Developer (`fastapi-developer`)``; `role_of_prompt` reads the slug
back (the scripted test model uses it to pick a per-role script).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from modegraph.agents.chat.turn_tools import COMPLETE_TOOL, handoff_tool_name
from modegraph.agents.protocol import AllowedTarget, ChildResult, CommandDecision, RoleTurn
from modegraph.errors import ModeFileError
from modegraph.modes.model import Mode
from modegraph.tools.groups import describe_permissions

__all__ = [
    "RolePrompt",
    "journal_path",
    "role_of_prompt",
    "role_prompt",
    "same_targets",
    "system_prompt",
    "turn_request",
]

_ROLE_HEADER = re.compile(r"^# Role: .*\(`(?P<slug>[A-Za-z0-9-]+)`\)\s*$", re.MULTILINE)

JOURNAL_DIR = "project_journal/tasks"
"""Where task logs live, relative to the workspace (Roo Commander's convention)."""


def journal_path(task_id: str) -> str:
    """The task log file of a task or subtask, relative to the workspace.

    Args:
        task_id: Id of the task or subtask.

    Returns:
        `project_journal/tasks/<task_id>.md`.
    """
    return f"{JOURNAL_DIR}/{task_id}.md"


def role_of_prompt(prompt: str) -> str | None:
    """The role slug named in a system prompt's role header, or None.

    Args:
        prompt: A system prompt built by `system_prompt`.

    Returns:
        The slug, or None when the prompt has no role header.
    """
    match = _ROLE_HEADER.search(prompt)
    return match.group("slug") if match else None


@dataclass(frozen=True)
class RolePrompt:
    """The parts of a role's system prompt that are the same on every turn of the role.

    They depend on the mode and its allowed targets alone, so an agent builds them
    once per role (`role_prompt`) and `system_prompt` adds each turn's own parts.
    """

    mode: Mode
    """The role they were built for."""
    allowed: tuple[AllowedTarget, ...]
    """The targets they were built for."""
    head: tuple[str, ...]
    """The role header and definition, custom instructions, workflow and tool groups."""
    targets: tuple[tuple[str, str], ...]
    """Per allowed target, its slug and its line in the handoffs section."""

    def fits(self, mode: Mode, allowed: tuple[AllowedTarget, ...]) -> bool:
        """Whether these parts were built for exactly this mode and these targets."""
        same = same_targets(self.allowed, allowed) or self.allowed == allowed
        return self.mode is mode and same


def same_targets(a: tuple[AllowedTarget, ...], b: tuple[AllowedTarget, ...]) -> bool:
    """Whether two tuples of targets hold the very same objects (`RoleTurn` copies the tuple)."""
    return a is b or (len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True)))


def role_prompt(mode: Mode, allowed: tuple[AllowedTarget, ...]) -> RolePrompt:
    """The parts of `mode`'s system prompt that no turn changes (see `RolePrompt`).

    Args:
        mode: The role.
        allowed: Where it may hand work.

    Returns:
        The parts, for `system_prompt`.
    """
    head = [f"# Role: {mode.display_name} (`{mode.slug}`)"]
    head.append(mode.role_definition.strip() or f"You are {mode.name}.")
    if mode.custom_instructions.strip():
        head.append("## Custom Instructions\n" + mode.custom_instructions.strip())
    if mode.workflow:
        steps = "\n".join(f"{n}. {step}" for n, step in enumerate(mode.workflow, 1))
        head.append("## Workflow\n" + steps)
    if mode.tool_groups:
        head.append(_tool_groups_section(mode))
    targets = tuple((target.mode.slug, _target_line(target)) for target in allowed)
    return RolePrompt(mode=mode, allowed=allowed, head=tuple(head), targets=targets)


def system_prompt(turn: RoleTurn, role: RolePrompt | None = None) -> str:
    """The system prompt for one role turn.

    It holds, in order: the role header and definition, the custom instructions, the
    workflow, the tool groups (with their file limits and what they let the role
    do), the task (ids, journal path), the roles this role may hand work to (with
    their descriptions, edge notes, what each may write and run, and the tool for
    each), the children's results on an integration turn, the decisions on commands
    that awaited a person's approval, the reasons earlier handoffs were refused, and
    how to finish.

    Args:
        turn: The role turn.
        role: The role's parts built earlier by `role_prompt` for this turn's mode and
            targets; built here when None (or when they were built for others).

    Returns:
        The prompt text.
    """
    if role is None or not role.fits(turn.mode, turn.allowed):
        role = role_prompt(turn.mode, turn.allowed)
    parts = list(role.head)
    parts.append(_task_section(turn))
    parts.append(_targets_section(role.targets, turn.chain))
    if turn.results:
        parts.append(_results_section(turn.results))
    if turn.commands:
        parts.append(_commands_section(turn.commands))
    if turn.refusals:
        refused = "\n".join(f"- {reason}" for reason in turn.refusals)
        parts.append(
            "## Refused handoffs\nThe coordinator refused these earlier handoffs; do not "
            "repeat them:\n" + refused
        )
    parts.append(_finish_section(turn))
    return "\n\n".join(parts) + "\n"


def turn_request(turn: RoleTurn) -> str:
    """The user message that opens the turn: the goal and its context.

    Args:
        turn: The role turn.

    Returns:
        The message text.
    """
    lines = [f"Goal: {turn.goal}"]
    if turn.context.strip():
        lines.append(f"Context: {turn.context.strip()}")
    if turn.results:
        lines.append(
            "The handoffs you asked for have come back (see 'Results of your handoffs'). "
            "Integrate them, then call `complete` (or hand off again if work remains)."
        )
    if turn.commands:
        lines.append(
            "A person decided on the commands you asked to run (see 'Command approvals'). "
            "Carry on with your goal accordingly."
        )
    return "\n".join(lines)


def permissions_of(mode: Mode) -> str:
    """What `mode` may do with files and commands, for the prompt.

    Args:
        mode: The role.

    Returns:
        `describe_permissions(mode)`, or a note when its `fileRegex` is invalid.
    """
    try:
        return describe_permissions(mode)
    except ModeFileError:
        return "unknown (its edit group's fileRegex is not a valid regex)"


def _tool_groups_section(mode: Mode) -> str:
    lines = ["## Tool groups", "Your tools come from these groups; calls outside them are refused."]
    for group in mode.tool_groups:
        line = f"- {group.name}"
        if group.file_regex:
            line += f" (only files matching `{group.file_regex}`"
            line += f": {group.description})" if group.description else ")"
        lines.append(line)
    lines.append(f"You may: {permissions_of(mode)}.")
    return "\n".join(lines)


def _task_section(turn: RoleTurn) -> str:
    chain = " -> ".join(turn.chain) if turn.chain else turn.mode.slug
    root = (
        f" (the root task's log is `{journal_path(turn.task_id)}`)"
        if turn.subtask_id != turn.task_id
        else ""
    )
    return (
        "## Task\n"
        f"- Task id: {turn.task_id}\n"
        f"- Subtask id: {turn.subtask_id}\n"
        f"- Escalation chain: {chain} (depth {turn.depth})\n"
        f"- Task log: `{journal_path(turn.subtask_id)}`{root}; the coordinator writes your "
        "report there."
    )


def _targets_section(targets: tuple[tuple[str, str], ...], chain: tuple[str, ...]) -> str:
    if not targets:
        return "## Handoffs\nYou may not hand work to any other role: do the whole goal yourself."
    lines = [
        "## Handoffs",
        "You may hand part of the work to these roles, and to no others. Each has a "
        "tool; call it with the sub-goal and your reason. The results come back to you. "
        "When part of the goal needs something you may not do (write a file your edit "
        "group does not allow, run a command), hand that part to a role below that may.",
    ]
    for slug, line in targets:
        if slug in chain:
            line += (
                " (Already in this escalation chain: the coordinator refuses a handoff back to it.)"
            )
        lines.append(line)
    return "\n".join(lines)


def _target_line(target: AllowedTarget) -> str:
    """A target's line in the handoffs section, before any note about the chain."""
    mode = target.mode
    about = mode.description.strip() or mode.when_to_use.strip() or mode.name
    line = (
        f"- `{handoff_tool_name(mode.slug)}`: {mode.display_name} (`{mode.slug}`), "
        f"{target.kind.value}. {about}"
    )
    if mode.when_to_use.strip() and mode.when_to_use.strip() != about:
        line += f" When to use: {mode.when_to_use.strip()}"
    if target.note:
        line += f" Note: {target.note}"
    line += f" It may: {permissions_of(mode)}."
    return line


def _results_section(results: tuple[ChildResult, ...]) -> str:
    lines = ["## Results of your handoffs"]
    for result in results:
        lines.append(
            f"- {result.subtask_id} ({result.role}, {result.status.value}): goal "
            f"'{result.goal}'. Summary: {result.summary}"
        )
        if result.references:
            lines.append("  References: " + ", ".join(result.references))
    return "\n".join(lines)


def _commands_section(commands: tuple[CommandDecision, ...]) -> str:
    lines = [
        "## Command approvals",
        "Commands you asked to run last turn waited for a person, who decided:",
    ]
    for decision in commands:
        shown = f"`{decision.command}` in `{decision.cwd}`"
        if decision.approved:
            lines.append(
                f"- {shown}: approved. Run it now with `run_command` (same command, same "
                "directory); it stays allowed for the rest of this subtask."
            )
        else:
            why = decision.reason or "no reason given"
            lines.append(
                f"- {shown}: rejected ({why}). Do not run it again; do without it, or say "
                "in your report what is left undone."
            )
    return "\n".join(lines)


def _finish_section(turn: RoleTurn) -> str:
    return (
        "## Finishing\n"
        f"When your part of subtask {turn.subtask_id} is done, call `{COMPLETE_TOOL}` "
        "with a summary, an outcome (Success, Partial, ...), the files you created or "
        "modified as references, and a status (completed, blocked or failed). Calling "
        "handoff tools also ends your turn: the coordinator routes them and brings the "
        "results back to you."
    )
