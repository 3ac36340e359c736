"""New mode files that validate clean and are ready to edit (`modegraph modes new`).

```python
text = new_mode(slug="redis-specialist", level="033-worker-database",
                escalates_to=["database-lead"])
```

The file gets real starting text, not `TODO` markers: a description, capabilities
and a workflow made from the name and the level's tier and department, a role
definition, custom instructions that say how the mode logs to the task journal and
when it escalates, tool groups that suit the tier, and a note on every reference.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from modegraph.errors import ConfigError
from modegraph.modes.formats.writers import write_mode
from modegraph.modes.formats.writing import TargetFormat
from modegraph.modes.model import SLUG_PATTERN, Mode, Reference, ToolGroup
from modegraph.modes.names import name_from_slug

__all__ = ["ScaffoldFormat", "new_mode"]

ScaffoldFormat = Literal["markdown", "yaml"]
"""The formats `new_mode` writes."""

_TIER_BY_DIGIT = {
    "0": "executive",
    "1": "director",
    "2": "lead",
    "3": "worker",
    "4": "assistant",
}
_TIER_WORDS = frozenset(_TIER_BY_DIGIT.values())
_LEVEL = re.compile(r"^(?P<code>\d{2}[\dx])(?:-(?P<rest>[a-z0-9-]+))?$", re.IGNORECASE)
_TOOL_GROUPS = {
    "executive": ("read", "modes"),
    "director": ("read", "modes"),
    "lead": ("read", "edit", "command", "modes"),
}
_WORKER_GROUPS = ("read", "edit", "command")
_ROLE_WORDS = _TIER_WORDS | {"specialist", "developer", "engineer", "manager", "mode"}


def new_mode(
    *,
    slug: str,
    level: str,
    name: str | None = None,
    escalates_to: Sequence[str] = (),
    delegates_to: Sequence[str] = (),
    format: ScaffoldFormat = "markdown",
) -> str:
    """The text of a new mode file.

    Args:
        slug: The new mode's slug (`^[a-zA-Z0-9-]+$`).
        level: Its level id (`033-worker-database`) or tier word (`worker`).
        name: Display name; made from the slug when not given.
        escalates_to: Slugs the mode escalates to.
        delegates_to: Slugs the mode delegates to.
        format: `markdown` (Roo Commander Markdown) or `yaml` (modegraph YAML).

    Returns:
        The file's text, ending with a newline.

    Raises:
        ConfigError: When the slug, a referenced slug or the level is not valid.
    """
    _check_slug(slug, what="the new mode's slug")
    for target in (*escalates_to, *delegates_to):
        _check_slug(target, what="a referenced slug")
    if target_self := next((t for t in (*escalates_to, *delegates_to) if t == slug), None):
        raise ConfigError(
            f"mode `{target_self}` cannot delegate or escalate to itself; "
            "leave its own slug out of --escalates-to and --delegates-to"
        )
    tier, department = _tier_and_department(level)
    title = name.strip() if name and name.strip() else _title(slug)
    mode = _draft_mode(
        slug=slug,
        level=level.strip(),
        name=title,
        tier=tier,
        department=department,
        escalates_to=escalates_to,
        delegates_to=delegates_to,
    )
    target = TargetFormat.YAML if format == "yaml" else TargetFormat.MARKDOWN
    return write_mode(mode, to=target).text


def _check_slug(slug: str, *, what: str) -> None:
    if not SLUG_PATTERN.match(slug):
        raise ConfigError(
            f"{what} {slug!r} is not valid; use letters, digits and hyphens, "
            "for example `redis-specialist`"
        )


def _tier_and_department(level: str) -> tuple[str, str | None]:
    text = level.strip()
    if text.lower() in _TIER_WORDS:
        return text.lower(), None
    match = _LEVEL.match(text)
    if (
        match is None
        or match.group("code")[1] not in _TIER_BY_DIGIT
        or match.group("code")[0] != "0"
    ):
        raise ConfigError(
            f"level {level!r} is not a level id; write `<code>-<tier>[-<department>]`, "
            "for example `033-worker-database`, `020-lead-backend` or `000-executive`"
        )
    tier = _TIER_BY_DIGIT[match.group("code")[1]]
    words = [word for word in (match.group("rest") or "").lower().split("-") if word]
    if words and words[0] in _TIER_WORDS | {"dir", "exec"}:
        words = words[1:]
    return tier, " ".join(words) or None


def _title(slug: str) -> str:
    return name_from_slug(slug)


def _words(slug: str) -> str:
    return slug.replace("-", " ")


def _draft_mode(
    *,
    slug: str,
    level: str,
    name: str,
    tier: str,
    department: str | None,
    escalates_to: Sequence[str],
    delegates_to: Sequence[str],
) -> Mode:
    field = department or name.lower()
    escalations = tuple(
        Reference(slug=target, note=f"For {field} work that needs the {_words(target)}")
        for target in escalates_to
    )
    delegations = tuple(
        Reference(slug=target, note=f"For tasks in the {_words(target)}'s field")
        for target in delegates_to
    )
    groups = _TOOL_GROUPS.get(tier, _WORKER_GROUPS)
    return Mode(
        slug=slug,
        name=name,
        level=level,
        description=(
            f"The {name} is a {tier} for {field} work. It takes the tasks in its field, "
            "finishes them, records them in the task journal, and hands on what belongs "
            "to other modes."
        ),
        capabilities=(
            f"Plan and carry out {field} tasks from a goal and its context",
            f"Check {field} results against the task's acceptance criteria",
            "Keep a task log in the project journal",
            "Hand work outside its field to the modes it delegates or escalates to",
        ),
        workflow=(
            "Read the task and its context; log the goal",
            f"Plan the {field} work and what to hand to other modes",
            "Do the work, or hand each part to the mode that owns it",
            "Check the result against the acceptance criteria",
            "Log the outcome and report back to the mode that asked",
        ),
        role_definition=(
            f"You are the {name}, a {tier} for {field} work. You finish the tasks in your "
            "field carefully, you say clearly what you did, and you hand work that belongs "
            "to another mode to that mode instead of improvising it."
        ),
        custom_instructions=_instructions(field, escalations, delegations),
        tool_groups=tuple(ToolGroup(name=group) for group in groups),
        tags=tuple(
            dict.fromkeys(
                word for word in [*field.split(), *slug.split("-")] if word not in _ROLE_WORDS
            )
        ),
        categories=(field.title(),),
        delegates_to=delegations,
        escalates_to=escalations,
    )


def _instructions(
    field: str, escalations: Sequence[Reference], delegations: Sequence[Reference]
) -> str:
    lines = [
        "### 1. Task Log",
        "- Log the goal and the context in `project_journal/tasks/<TASK-ID>.md`.",
        "- Log each handoff with its target and reason, and each result as it comes back.",
        "- Finish with **Status:**, **Outcome:**, **Summary:** and **References:**.",
    ]
    if delegations or escalations:
        lines += ["", "### 2. Handoffs"]
        lines += [f"- Delegate to `{ref.slug}` for tasks in its field." for ref in delegations]
        lines += [
            f"- Escalate to `{ref.slug}` when a {field} task needs it." for ref in escalations
        ]
    return "\n".join(lines)
