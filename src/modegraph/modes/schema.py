"""The input model of modegraph's own mode files, and its published JSON Schema.

A `*.mode.yaml` file holds one mode, or a list of modes under `modes:`. Field
names are `Mode`'s field names; references may be a bare slug or
`{slug, note}`; a tool group may be a bare name or `{name, file_regex,
description}`. Unknown keys are refused (`extra="forbid"`), so a typo such as
`escalate_to` is reported instead of silently dropping edges.

`modegraph modes schema` prints `mode_file_schema()`; the same schema ships as
`modegraph/modes/mode.schema.json`, so a file can start with
`# yaml-language-server: $schema=<path or URL of mode.schema.json>`.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

__all__ = [
    "SCHEMA_FILE_NAME",
    "ModeFileInput",
    "ModeInput",
    "ReferenceInput",
    "ToolGroupInput",
    "mode_file_schema",
    "mode_file_schema_text",
]

SCHEMA_FILE_NAME = "mode.schema.json"
"""The name of the shipped schema file, next to this module."""

_STRICT = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, defer_build=True)


class ReferenceInput(BaseModel):
    """A reference to another mode, with an optional note."""

    model_config = _STRICT

    slug: str = Field(min_length=1)
    """The referenced mode: a slug, a Roo Commander file stem or a level id."""
    note: str | None = None
    """Why or when to follow this reference (`For complex database design issues`)."""


class ToolGroupInput(BaseModel):
    """A tool group, optionally limited to files matching a regex."""

    model_config = _STRICT

    name: str = Field(min_length=1)
    """read, edit, command, mcp, modes (or the deprecated browser)."""
    file_regex: str | None = None
    """For `edit`: only paths matching this regular expression may be written."""
    description: str | None = None
    """Human description of the restriction (`Markdown files only`)."""


class ModeInput(BaseModel):
    """One mode, as written in a modegraph mode file."""

    model_config = _STRICT

    slug: str = Field(min_length=1, json_schema_extra={"pattern": "^[a-zA-Z0-9-]+$"})
    """Unique identifier: letters, digits and hyphens (`fastapi-developer`)."""
    name: str = Field(min_length=1)
    """Display name without the emoji (`FastAPI Developer`)."""
    emoji: str | None = None
    """Emoji shown before the name."""
    level: str | None = None
    """Roo Commander level id (`032-worker-backend`) or a tier word (`worker`)."""
    description: str = ""
    """What the mode is for, in a paragraph."""
    when_to_use: str = ""
    """When a coordinator should pick this mode."""
    capabilities: list[str] = Field(default_factory=list)
    """What the mode can do, one item each."""
    workflow: list[str] = Field(default_factory=list)
    """The mode's working steps, in order."""
    role_definition: str = ""
    """The opening of the system prompt: who the mode is."""
    custom_instructions: str = ""
    """Further instructions, Markdown."""
    tool_groups: list[ToolGroupInput | str] = Field(default_factory=list)
    """Tool groups: a bare name (`read`) or `{name, file_regex, description}`."""
    tags: list[str] = Field(default_factory=list)
    """Free tags (`fastapi`, `python`)."""
    categories: list[str] = Field(default_factory=list)
    """Broad categories (`Backend`, `API`)."""
    stack: list[str] = Field(default_factory=list)
    """Technologies the mode works with."""
    delegates_to: list[ReferenceInput | str] = Field(default_factory=list)
    """Modes this one hands work down to: a slug or `{slug, note}`."""
    escalates_to: list[ReferenceInput | str] = Field(default_factory=list)
    """Modes this one hands work it cannot do to: a slug or `{slug, note}`."""
    reports_to: list[ReferenceInput | str] = Field(default_factory=list)
    """Modes this one reports back to: a slug or `{slug, note}`."""
    model: str | None = None
    """Preferred model, `provider:model` or a bare model name."""
    extra: dict[str, Any] = Field(default_factory=dict)
    """Keys from other formats that modegraph keeps but does not use."""


class ModeFileInput(BaseModel):
    """A file with several modes."""

    model_config = _STRICT

    modes: list[ModeInput]
    """The modes of the file, in order."""


def mode_file_schema() -> dict[str, Any]:
    """The JSON Schema of a mode file: one mode, or `{modes: [...]}`."""
    schema = TypeAdapter(ModeInput | ModeFileInput).json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "modegraph mode file",
        "description": "One mode, or a list of modes under `modes:`. "
        "Written by hand as *.mode.yaml; checked by `modegraph modes validate`.",
        **schema,
    }


def mode_file_schema_text() -> str:
    """The schema as the JSON text `modegraph modes schema` prints and the package ships."""
    return json.dumps(mode_file_schema(), indent=2, ensure_ascii=False) + "\n"
