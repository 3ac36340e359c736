"""Write modes in modegraph's own YAML (`*.mode.yaml`), which holds every field.

It is `yaml.safe_dump` output (a `SafeDumper` that only writes multi-line
strings as `|` blocks). One mode is written as a mapping; several as
`modes: [...]`. Keys are the `Mode` field names; empty fields are left out; a
reference is ``{slug, note}`` (just ``{slug}`` when it has no note); a tool group
is its name, or ``{name, file_regex, description}`` when it is limited to some files.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from modegraph.findings import Finding
from modegraph.modes.formats._coerce import jsonable
from modegraph.modes.formats.writing import WrittenFile, content_fields
from modegraph.modes.model import Mode, Reference, ToolGroup

__all__ = ["mode_mapping", "yaml_file"]

_REFERENCE_FIELDS = frozenset({"delegates_to", "escalates_to", "reports_to"})


class _BlockDumper(yaml.SafeDumper):
    """`yaml.SafeDumper` that writes multi-line strings as `|` blocks, readable by hand."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _represent_str)


def yaml_file(modes: Sequence[Mode]) -> tuple[WrittenFile, list[Finding]]:
    """The `.mode.yaml` file of `modes`; nothing is ever dropped."""
    mappings = [mode_mapping(mode) for mode in modes]
    document: dict[str, Any] = mappings[0] if len(mappings) == 1 else {"modes": mappings}
    text = yaml.dump(document, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=100)
    name = f"{modes[0].slug}.mode.yaml" if len(modes) == 1 else "modes.mode.yaml"
    return WrittenFile(name=name, text=text), []


def mode_mapping(mode: Mode) -> dict[str, Any]:
    """The YAML mapping of one mode: its filled fields, by their model names."""
    data: dict[str, Any] = {}
    for field in content_fields(mode):
        value = getattr(mode, field)
        if value is None or value == "" or value == () or value == {}:
            continue
        if field in _REFERENCE_FIELDS:
            data[field] = [_reference(ref) for ref in value]
        elif field == "tool_groups":
            data[field] = [_group(group) for group in value]
        elif isinstance(value, tuple):
            data[field] = list(value)
        elif field == "extra":
            data[field] = jsonable(value)
        else:
            data[field] = value
    return data


def _reference(reference: Reference) -> dict[str, str]:
    data = {"slug": reference.slug}
    if reference.note:
        data["note"] = reference.note
    return data


def _group(group: ToolGroup) -> str | dict[str, str]:
    if group.file_regex is None and group.description is None:
        return group.name
    data = {"name": group.name}
    if group.file_regex is not None:
        data["file_regex"] = group.file_regex
    if group.description is not None:
        data["description"] = group.description
    return data
