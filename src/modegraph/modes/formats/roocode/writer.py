"""Write modes as a Roo Code `.roomodes` JSON file: `{"customModes": [...]}`.

Roo Code knows slug, name, roleDefinition, whenToUse, description,
customInstructions and groups (``"edit"`` or ``["edit", {"fileRegex": ...,
"description": ...}]``). It ignores keys it does not know, so modegraph keeps
`tags` there as an extra key, the model as `apiConfiguration.model` (as Roo
Commander's converted files do), and every key of `Mode.extra`. The rest of a mode
(level, capabilities, workflow, stack, categories, references) has no place in the
format and is reported.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.formats.writing import (
    TargetFormat,
    WrittenFile,
    dropped_findings,
    unwritten,
)
from modegraph.modes.model import Mode, ToolGroup

__all__ = ["EXTRA_KEYS", "mode_entry", "roomodes_file"]

EXTRA_KEYS: dict[str, str] = {"tags": "tags"}
"""Mode fields written as extra keys Roo Code ignores but modegraph reads back."""

_WRITES = frozenset(
    {
        "slug",
        "name",
        "emoji",
        "description",
        "when_to_use",
        "role_definition",
        "custom_instructions",
        "tool_groups",
        "model",
        "extra",
        *EXTRA_KEYS,
    }
)
"""The mode fields a `customModes` entry holds; every other one is reported dropped."""
_API_KEY = "apiConfiguration"
_HINT = "write to `markdown` or `yaml` to keep the hierarchy and the references"
_STANDARD_KEYS = frozenset(
    {"slug", "name", "roleDefinition", "whenToUse", "description", "customInstructions", "groups"}
)


def roomodes_file(modes: Sequence[Mode]) -> tuple[WrittenFile, list[Finding]]:
    """The `.roomodes` file of `modes` and what it could not hold."""
    entries: list[dict[str, Any]] = []
    findings: list[Finding] = []
    for mode in modes:
        entry, dropped = mode_entry(mode)
        entries.append(entry)
        findings.extend(
            dropped_findings(mode, target=TargetFormat.ROOMODES, dropped=dropped, hint=_HINT)
        )
        if not mode.role_definition.strip():
            findings.append(_no_role_definition(mode))
    text = json.dumps({"customModes": entries}, ensure_ascii=False, indent=2, default=str) + "\n"
    return WrittenFile(name=".roomodes", text=text), findings


def mode_entry(mode: Mode) -> tuple[dict[str, Any], list[str]]:
    """One `customModes` entry and the names of the fields it left out."""
    entry: dict[str, Any] = {
        "slug": mode.slug,
        "name": mode.display_name,
        "roleDefinition": mode.role_definition,
    }
    if mode.when_to_use:
        entry["whenToUse"] = mode.when_to_use
    if mode.description:
        entry["description"] = mode.description
    if mode.custom_instructions:
        entry["customInstructions"] = mode.custom_instructions
    entry["groups"] = [_group(group) for group in _unique(mode.tool_groups)]
    for field, key in EXTRA_KEYS.items():
        value = getattr(mode, field)
        if value:
            entry[key] = list(value)
    dropped = unwritten(mode, _WRITES)
    clashing = []
    for key, value in mode.extra.items():
        if key in _STANDARD_KEYS or key in entry:
            clashing.append(key)
            continue
        entry[key] = value
    if mode.model:
        settings = entry.get(_API_KEY)
        base = dict(settings) if isinstance(settings, dict) else {}
        entry[_API_KEY] = {**base, "model": mode.model}
    if clashing:
        dropped.append("extra." + "/".join(clashing))
    if len(_unique(mode.tool_groups)) != len(mode.tool_groups):
        dropped.append("tool_groups.duplicates")
    return entry, dropped


def _no_role_definition(mode: Mode) -> Finding:
    return Finding(
        path=mode.source.path,
        line=mode.source.line,
        code=Code.MISSING_FIELD,
        severity=Severity.WARNING,
        message=f"mode `{mode.slug}` has no role definition; Roo Code refuses a mode without one",
        hint="add a `## Role Definition` (or `role_definition`) to the source mode",
        slug=mode.slug,
    )


def _unique(groups: Sequence[ToolGroup]) -> list[ToolGroup]:
    seen: set[str] = set()
    kept: list[ToolGroup] = []
    for group in groups:
        if group.name not in seen:
            seen.add(group.name)
            kept.append(group)
    return kept


def _group(group: ToolGroup) -> str | list[Any]:
    if group.file_regex is None and group.description is None:
        return group.name
    options: dict[str, str] = {}
    if group.file_regex is not None:
        options["fileRegex"] = group.file_regex
    if group.description is not None:
        options["description"] = group.description
    return [group.name, options]
