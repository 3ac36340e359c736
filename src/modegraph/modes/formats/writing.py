"""What every writer shares: the output types and the dropped-field report.

A writer never drops a field silently. Each target format declares the `Mode`
fields it can hold; `dropped_findings` compares that list with the fields a mode
actually fills and reports the rest as one `field-dropped` finding per mode.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.model import Mode

__all__ = [
    "MODE_FIELDS",
    "NOT_CONTENT",
    "ROUTING_FIELDS",
    "TargetFormat",
    "WriteResult",
    "WrittenFile",
    "content_fields",
    "dropped_findings",
    "filled_fields",
    "unwritten",
]


class TargetFormat(StrEnum):
    """The formats `modegraph modes convert` writes."""

    ROOMODES = "roomodes"
    """Roo Code `.roomodes` JSON: `{"customModes": [...]}`."""
    CLAUDE = "claude"
    """Claude Code subagents: one `.claude/agents/<slug>.md` per mode."""
    MARKDOWN = "markdown"
    """Roo Commander Markdown, the seed's layout: one `<slug>.mode.md` per mode."""
    YAML = "yaml"
    """modegraph's own YAML (`*.mode.yaml`)."""
    CREWAI = "crewai"
    """A CrewAI crew: `agents.yaml` (role, goal, backstory), `tasks.yaml` when there are tasks."""


NOT_CONTENT = frozenset({"source"})
"""`Mode` fields that say where a mode came from, not what it is: never written."""

MODE_FIELDS: tuple[str, ...] = tuple(name for name in Mode.model_fields if name not in NOT_CONTENT)
"""Every `Mode` field a writer has to account for, taken from the model itself."""


def content_fields(mode: Mode) -> tuple[str, ...]:
    """The fields of `mode`'s own class a writer accounts for (a subclass adds its own)."""
    return tuple(name for name in type(mode).model_fields if name not in NOT_CONTENT)


def unwritten(mode: Mode, written: Iterable[str]) -> list[str]:
    """The content fields a writer does not write: what it must report as dropped.

    A writer names the fields it writes, not the ones it leaves out, so a field
    added to `Mode` later is reported dropped until a writer learns to write it.
    """
    kept = set(written)
    return [name for name in content_fields(mode) if name not in kept]


ROUTING_FIELDS = frozenset({"level", "delegates_to", "escalates_to", "reports_to", "tool_groups"})
"""Fields whose loss changes the escalation graph or a role's permissions: a warning."""


@dataclass(frozen=True)
class WrittenFile:
    """One file of a conversion's output."""

    name: str
    """Suggested file name, relative to the output directory (`.roomodes`, `x.mode.md`)."""
    text: str
    """The file's content, ending with a newline."""


@dataclass(frozen=True)
class WriteResult:
    """The text a writer produced and what it could not carry over."""

    text: str
    """The whole output: the one file, or every file one after the other."""
    findings: tuple[Finding, ...] = ()
    """`field-dropped` findings, one per mode that lost something."""
    files: tuple[WrittenFile, ...] = ()
    """The output as files; one entry for single-file formats."""


def filled_fields(mode: Mode) -> list[str]:
    """The fields of `mode` that hold something (non-empty, not None)."""
    filled: list[str] = []
    for name in content_fields(mode):
        value = getattr(mode, name)
        if value is None or value == "" or value == () or value == {}:
            continue
        filled.append(name)
    return filled


def dropped_findings(
    mode: Mode,
    *,
    target: TargetFormat,
    dropped: Iterable[str],
    hint: str,
) -> list[Finding]:
    """One `field-dropped` finding naming every field `target` could not hold.

    Args:
        mode: The mode being written.
        target: The format it is written to.
        dropped: The names of the fields left out; a plain field name is reported only
            when the mode fills it, a dotted one (`tool_groups.file_regex`) always, so
            the writer passes a dotted name only when that part was really lost.
        hint: What the user can do instead (another target, or where the data went).

    Returns:
        An empty list when nothing was dropped, otherwise one finding: a warning when a
        routing field (level, references, tool groups) was lost, an info otherwise.
    """
    filled = set(filled_fields(mode))
    lost = list(dict.fromkeys(name for name in dropped if "." in name or name in filled))
    if not lost:
        return []
    routing = any(name.split(".")[0] in ROUTING_FIELDS for name in lost)
    return [
        Finding(
            path=mode.source.path,
            line=mode.source.line,
            code=Code.FIELD_DROPPED,
            severity=Severity.WARNING if routing else Severity.INFO,
            message=(
                f"mode `{mode.slug}`: the {target.value} format cannot hold "
                f"{', '.join(lost)}; left out of the output"
            ),
            hint=hint,
            slug=mode.slug,
        )
    ]
