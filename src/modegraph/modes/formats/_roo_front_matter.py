"""Apply the YAML front matter of a Roo Commander Markdown mode to a draft.

Keys are matched after normalising camelCase, `-` and spaces to snake_case
(`whenToUse` -> `when_to_use`). Front matter values win over the body; a level
that differs from the body's `**Level:**` is a `level-conflict` warning. Unknown
keys are kept in `Mode.extra` (made JSON-safe).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.formats._coerce import as_str, as_str_list, jsonable, wrong_type
from modegraph.modes.formats._draft import REFERENCE_FIELDS, ModeDraft, split_emoji
from modegraph.modes.formats._front_matter import YamlFrontMatter
from modegraph.modes.formats._references import parse_reference_item
from modegraph.modes.formats._tool_groups import group_from_value
from modegraph.modes.model import Reference, ToolGroup

__all__ = ["apply_front_matter", "normalise_field_key", "reference_list", "tool_group_list"]

_FIELDS: dict[str, str] = {
    "slug": "slug",
    "id": "slug",
    "name": "name",
    "emoji": "emoji",
    "level": "level",
    "description": "description",
    "summary": "description",
    "when_to_use": "when_to_use",
    "role_definition": "role_definition",
    "system_prompt": "role_definition",
    "custom_instructions": "custom_instructions",
    "capabilities": "capabilities",
    "workflow": "workflow",
    "tags": "tags",
    "categories": "categories",
    "stack": "stack",
    "tool_groups": "tool_groups",
    "groups": "tool_groups",
    "allowed_tool_groups": "tool_groups",
    "delegates_to": "delegates_to",
    "delegate_to": "delegates_to",
    "escalates_to": "escalates_to",
    "escalate_to": "escalates_to",
    "reports_to": "reports_to",
    "report_to": "reports_to",
    "model": "model",
    "api_configuration": "api",
    "api_config": "api",
}
_LISTS = {"capabilities", "workflow", "tags", "categories", "stack"}


def normalise_field_key(key: str) -> str:
    """`whenToUse`, `when-to-use`, `When To Use` -> `when_to_use`."""
    key = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key.strip())
    return re.sub(r"[\s\-]+", "_", key).lower()


def apply_front_matter(
    front: YamlFrontMatter,
    draft: ModeDraft,
    *,
    body_level_line: int | None,
    path: str | None,
    findings: list[Finding],
) -> None:
    """Fill `draft` from front matter keys; they win over what the body said."""
    for key, value in front.data.items():
        line = front.key_lines.get(key)
        target = _FIELDS.get(normalise_field_key(key))
        if target is None:
            draft.extra[key] = jsonable(value)
        elif target in _LISTS:
            items = as_str_list(value, key=key, path=path, line=line, findings=findings)
            if items is not None:
                setattr(draft, target, items)
        elif target in REFERENCE_FIELDS:
            lines = front.item_lines.get(key)
            kind = REFERENCE_FIELDS[target]
            refs = reference_list(
                value,
                key=key,
                lines=lines,
                line=line,
                path=path,
                findings=findings,
                on_placeholder=partial(draft.add_placeholder, kind),
            )
            if refs is not None:
                setattr(draft, target, refs)
        elif target == "tool_groups":
            groups = tool_group_list(value, key=key, line=line, path=path, findings=findings)
            if groups is not None:
                draft.tool_groups = groups
        elif target == "api":
            _apply_api(draft, value, key=key, line=line, path=path, findings=findings)
        else:
            text = as_str(value, key=key, path=path, line=line, findings=findings)
            if text is not None:
                _apply_text(draft, target, text, line, body_level_line, path, findings)


def _apply_text(
    draft: ModeDraft,
    target: str,
    text: str,
    line: int | None,
    body_level_line: int | None,
    path: str | None,
    findings: list[Finding],
) -> None:
    if target == "name":
        _apply_name(draft, text)
    elif target == "level":
        _apply_level(draft, text.strip(), line, body_level_line, path, findings)
    elif target in ("slug", "emoji", "model"):
        setattr(draft, target, text.strip() or getattr(draft, target))
    else:
        setattr(draft, target, text)


def _apply_name(draft: ModeDraft, name: str) -> None:
    if not name.strip():
        return
    emoji, rest = split_emoji(name)
    draft.name = rest
    draft.emoji = emoji or draft.emoji


def _apply_level(
    draft: ModeDraft,
    level: str,
    line: int | None,
    body_line: int | None,
    path: str | None,
    findings: list[Finding],
) -> None:
    if not level:
        return
    if draft.level and draft.level != level:
        findings.append(
            Finding(
                path=path,
                line=line,
                code=Code.LEVEL_CONFLICT,
                severity=Severity.WARNING,
                message=(
                    f"the front matter says level `{level}` (line {line}) but `**Level:**` "
                    f"says `{draft.level}` (line {body_line}); the front matter wins"
                ),
                hint="keep the level in one place, or make both say the same",
                slug=draft.slug,
            )
        )
    draft.level = level


def _apply_api(
    draft: ModeDraft,
    value: object,
    *,
    key: str,
    line: int | None,
    path: str | None,
    findings: list[Finding],
) -> None:
    if isinstance(value, str):
        draft.model = value.strip() or draft.model
    elif isinstance(value, dict):
        model = value.get("model")
        if isinstance(model, str) and model.strip():
            draft.model = model.strip()
        others = {str(k): jsonable(v) for k, v in value.items() if k != "model"}
        if others:
            draft.extra.setdefault("api_configuration", {}).update(others)
    elif value is not None:
        findings.append(
            wrong_type(path=path, line=line, key=key, expected="a mapping", value=value)
        )


def reference_list(
    value: object,
    *,
    key: str,
    lines: list[int] | None,
    line: int | None,
    path: str | None,
    findings: list[Finding],
    on_placeholder: Callable[[str, int | None], None] | None = None,
) -> list[Reference] | None:
    """References from a front matter value: a list, or a string split on commas.

    Items follow the Markdown reference rule (`parse_reference_item`); placeholders
    (`None`, `user`) are handed to `on_placeholder` with their line.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return _parsed(value.split(","), [line] * (value.count(",") + 1), on_placeholder)
    if not isinstance(value, list):
        findings.append(
            wrong_type(path=path, line=line, key=key, expected="a list of slugs", value=value)
        )
        return None
    refs: list[Reference] = []
    for index, item in enumerate(value):
        item_line = lines[index] if lines and index < len(lines) else line
        if isinstance(item, str):
            refs.extend(_parsed([item], [item_line], on_placeholder))
        else:
            refs.extend(
                _reference_item(item, key=key, line=item_line, path=path, findings=findings)
            )
    return refs


def _parsed(
    texts: list[str],
    lines: list[int | None],
    on_placeholder: Callable[[str, int | None], None] | None,
) -> list[Reference]:
    refs: list[Reference] = []
    for text, line in zip(texts, lines, strict=True):
        parsed = parse_reference_item(text, line=line)
        refs.extend(parsed.references)
        if on_placeholder is not None:
            for placeholder in parsed.placeholders:
                on_placeholder(placeholder, line)
    return refs


def _reference_item(
    item: Any, *, key: str, line: int | None, path: str | None, findings: list[Finding]
) -> list[Reference]:
    if isinstance(item, dict) and isinstance(item.get("slug"), str) and item["slug"].strip():
        note = item.get("note")
        return [
            Reference(
                slug=item["slug"].strip(),
                note=note if isinstance(note, str) and note.strip() else None,
                line=line,
            )
        ]
    findings.append(
        wrong_type(
            path=path,
            line=line,
            key=f"{key}[]",
            expected="a slug or a `{slug, note}` mapping",
            value=item,
        )
    )
    return []


def tool_group_list(
    value: object,
    *,
    key: str,
    line: int | None,
    path: str | None,
    findings: list[Finding],
    string_is_wrong: bool = False,
) -> list[ToolGroup] | None:
    """Tool groups from a list of names / `[name, {fileRegex}]` items, or a comma string.

    With `string_is_wrong` (TOML, where the type is part of the format), a string is a
    `wrong-type` error; its comma-separated names are still read.
    """
    if value is None:
        return None
    if isinstance(value, str):
        names = [part.strip().lower() for part in value.split(",") if part.strip()]
        if string_is_wrong:
            listed = ", ".join(f'"{name}"' for name in names)
            findings.append(
                Finding(
                    path=path,
                    line=line,
                    code=Code.WRONG_TYPE,
                    severity=Severity.ERROR,
                    message=f"`{key}` should be a list of groups, not a string; "
                    f"it was read as [{listed}]",
                    hint=f"write `{key} = [{listed}]`",
                )
            )
        return [ToolGroup(name=name, line=line) for name in names]
    if not isinstance(value, list):
        findings.append(
            wrong_type(path=path, line=line, key=key, expected="a list of groups", value=value)
        )
        return None
    groups: list[ToolGroup] = []
    for item in value:
        group = group_from_value(item)
        if group is None:
            findings.append(
                wrong_type(
                    path=path,
                    line=line,
                    key=f"{key}[]",
                    expected='a group name or ["edit", {"fileRegex": "..."}]',
                    value=item,
                )
            )
        else:
            groups.append(group.model_copy(update={"line": line}))
    return groups
