"""The one validated model every mode file format is read into."""

from __future__ import annotations

import re
from collections import defaultdict
from enum import StrEnum
from typing import Any

from pydantic import Field

from modegraph._model import FrozenModel

__all__ = [
    "KNOWN_TOOL_GROUPS",
    "SLUG_PATTERN",
    "EdgeKind",
    "Mode",
    "Reference",
    "SourceFormat",
    "SourceInfo",
    "ToolGroup",
]

SLUG_PATTERN = re.compile(r"^[a-zA-Z0-9-]+$")
"""Roo Code's rule for a mode slug."""

KNOWN_TOOL_GROUPS = frozenset({"read", "edit", "command", "mcp", "modes", "browser"})
"""The tool groups Roo Code knows; `browser` is deprecated upstream but still accepted."""


class EdgeKind(StrEnum):
    """The kinds of reference one mode makes to another."""

    DELEGATE = "delegate"
    ESCALATE = "escalate"
    REPORT = "report"


class SourceFormat(StrEnum):
    """The file formats modegraph reads."""

    ROO_MARKDOWN = "roo-markdown"
    ROO_TOML = "roo-toml"
    ROOMODES = "roomodes"
    CLAUDE = "claude"
    YAML = "yaml"
    TOML = "toml"
    CREWAI = "crewai"
    PYTHON = "python"


class _SharedFieldsSet(FrozenModel):
    """A frozen model whose set of explicitly given fields is shared with its look-alikes.

    Pydantic keeps, per instance, the set of the fields the caller gave
    (`model_fields_set`): 216 bytes for a `Reference`, 2,264 for a `Mode` given all
    twenty fields, about 4 KB of the 9 KB a loaded Roo Commander mode keeps, while a
    catalog has only a handful of different ones. Each new instance takes the equal
    set an earlier one of its class already holds (the value of `model_fields_set` is
    unchanged). The set is never changed in place: the model is frozen, and
    `model_copy` copies it before adding the fields it updates.
    """

    def model_post_init(self, context: Any, /) -> None:
        """Take the shared equal set of given fields (see the class docstring)."""
        fields = self.__pydantic_fields_set__
        known = _FIELD_SETS[type(self)]
        for shared in known:
            if shared == fields:
                _adopt(self, "__pydantic_fields_set__", shared)
                return
        if len(known) < _MAX_FIELD_SETS:
            known.append(fields)


_adopt = object.__setattr__
"""Sets an attribute of a frozen model (pydantic's own slot), past its `__setattr__`."""
_FIELD_SETS: defaultdict[type[FrozenModel], list[set[str]]] = defaultdict(list)
"""The sets of given fields met so far, per model class (see `_SharedFieldsSet`)."""
_MAX_FIELD_SETS = 16
"""At most this many kept per class: beyond them a new kind of set is not shared."""


class SourceInfo(_SharedFieldsSet):
    """Where a mode came from."""

    path: str | None = None
    """The file, as the user named it (None for modes built in Python)."""
    line: int | None = None
    """1-based line of the mode's start in `path`."""
    format: SourceFormat = SourceFormat.PYTHON
    """The format the mode was read from."""
    layer: str | None = None
    """The catalog layer: `bundled`, `user`, `project` or `explicit`."""


class Reference(_SharedFieldsSet):
    """A reference from one mode to another (delegate, escalate or report)."""

    slug: str
    """The referenced mode as written (a slug, a file stem or a level id)."""
    note: str | None = None
    """The inline note, e.g. `For complex database design issues`."""
    line: int | None = None
    """1-based line of the reference in the source file."""
    implied_by: str | None = None
    """Where an implied reference came from (`its custom instructions: Use `new_task` to
    assign:`, or `the built-in orchestrator`); None for one the file declares. Set by
    `modegraph.modes.catalog.implied` and `...orchestrator`, never by a reader."""


class ToolGroup(_SharedFieldsSet):
    """A tool group a mode may use, optionally limited to files matching a regex."""

    name: str
    """Group name: read, edit, command, mcp, modes or browser."""
    file_regex: str | None = None
    """For `edit`: only paths matching this regex may be written."""
    description: str | None = None
    """Human description of the restriction."""
    line: int | None = None
    """1-based line of the group in the source file (where findings about it point).

    Where a group was read, not what it is: equality and hashing ignore it, so a
    mode read back from another file still equals the original.
    """

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ToolGroup):
            return NotImplemented
        return (self.name, self.file_regex, self.description) == (
            other.name,
            other.file_regex,
            other.description,
        )

    def __hash__(self) -> int:
        return hash((self.name, self.file_regex, self.description))


class Mode(_SharedFieldsSet):
    """One role ("mode"), whatever file format it was declared in."""

    slug: str
    """Unique identifier, `^[a-zA-Z0-9-]+$`."""
    name: str
    """Display name without the emoji."""
    emoji: str | None = None
    """Emoji shown before the name."""
    level: str | None = None
    """Roo Commander level id (`032-worker-backend`) or TOML classification word."""
    description: str = ""
    """What the mode is for, in a paragraph."""
    when_to_use: str = ""
    """When a coordinator should pick this mode (Roo Code `whenToUse`)."""
    capabilities: tuple[str, ...] = ()
    """What the mode can do, one item each."""
    workflow: tuple[str, ...] = ()
    """The mode's working steps, in order."""
    role_definition: str = ""
    """The system prompt's opening: who the mode is."""
    custom_instructions: str = ""
    """Further instructions, Markdown."""
    tool_groups: tuple[ToolGroup, ...] = ()
    """Tool groups the mode may use."""
    tags: tuple[str, ...] = ()
    """Free tags (`fastapi`, `python`, ...)."""
    categories: tuple[str, ...] = ()
    """Broad categories (`Backend`, `API`)."""
    stack: tuple[str, ...] = ()
    """Technologies the mode works with."""
    delegates_to: tuple[Reference, ...] = ()
    """Modes this one hands work down to."""
    escalates_to: tuple[Reference, ...] = ()
    """Modes this one hands work it cannot do to."""
    reports_to: tuple[Reference, ...] = ()
    """Modes this one reports back to."""
    model: str | None = None
    """Preferred model (`provider:model` or a bare model name) from the file."""
    source: SourceInfo = Field(default_factory=SourceInfo)
    """Where the mode came from."""
    extra: dict[str, Any] = Field(default_factory=dict)
    """Keys the format has that the model does not (kept, written back where possible)."""

    def references(self, kind: EdgeKind) -> tuple[Reference, ...]:
        """The references of one kind."""
        if kind is EdgeKind.DELEGATE:
            return self.delegates_to
        if kind is EdgeKind.ESCALATE:
            return self.escalates_to
        return self.reports_to

    @property
    def display_name(self) -> str:
        """The name with its emoji, as Roo Commander shows it."""
        return f"{self.emoji} {self.name}" if self.emoji else self.name
