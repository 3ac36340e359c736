"""The `## Metadata` block of a Roo Commander Markdown mode: bold keys and their items.

A key line is `**Key:** value` (also `**Key**: value`, `- **Key:** value`), in
any letter case. Its items are the lines up to the next key line: list items with
any marker (`-`, `*`, `*   `, `1.`) and indentation, or bare lines. Comment-only
lines (`# Directors (01x)`, `  # General FE`, `- # note`), rules, headings and
HTML comments are skipped. A value on the key's own line is read before the items.
Unknown keys (`**Context Sources:**`) are kept in `Mode.extra` under their own
name, as the list of their items (or the same-line value when there are none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.formats._draft import REFERENCE_FIELDS, ModeDraft, split_emoji
from modegraph.modes.formats._markdown import ITEM_RE, is_rule, normalise_key
from modegraph.modes.formats._references import (
    clean_scalar,
    parse_reference_item,
    plain_reference,
)
from modegraph.modes.formats._tool_groups import parse_tool_group_item
from modegraph.modes.model import Reference

__all__ = [
    "KEY_FIELDS",
    "MetaEntry",
    "MetaTarget",
    "apply_metadata",
    "is_key_line",
    "metadata_entries",
]

_INT = re.compile(r"^-?\d{1,18}$")
_FLOAT = re.compile(r"^-?(?:\d{1,18}\.\d{0,18}|\.\d{1,18})$")
_KEY_LINE = re.compile(r"^\s*(?:[-*+]\s+)?\*\*(?P<key>[^*\n]+?)\*\*\s*(?P<rest>.*)$")

MetaTarget = Literal[
    "level",
    "tool_groups",
    "tags",
    "categories",
    "stack",
    "delegates_to",
    "escalates_to",
    "reports_to",
    "api",
    "model",
    "slug",
    "name",
    "emoji",
    "when_to_use",
]
"""What a bold metadata key fills: a `Mode` field, or `api` (the API configuration)."""

KEY_FIELDS: dict[str, MetaTarget] = {
    "level": "level",
    "mode level": "level",
    "tool groups": "tool_groups",
    "tool group": "tool_groups",
    "groups": "tool_groups",
    "tags": "tags",
    "tag": "tags",
    "categories": "categories",
    "category": "categories",
    "stack": "stack",
    "tech stack": "stack",
    "delegates to": "delegates_to",
    "delegate to": "delegates_to",
    "delegates": "delegates_to",
    "escalates to": "escalates_to",
    "escalate to": "escalates_to",
    "escalation": "escalates_to",
    "escalations": "escalates_to",
    "reports to": "reports_to",
    "report to": "reports_to",
    "api configuration": "api",
    "api config": "api",
    "api": "api",
    "model": "model",
    "slug": "slug",
    "name": "name",
    "emoji": "emoji",
    "when to use": "when_to_use",
}
"""Normalised bold key -> the field it fills."""


@dataclass
class MetaEntry:
    """One bold key with its value and items."""

    key: str
    """The key as written, without `**` and `:`."""
    norm: str
    """The key normalised (`tool groups`)."""
    line: int
    """1-based file line of the key."""
    values: list[tuple[int, str]] = field(default_factory=list)
    """(line, text) of the same-line value and each item, markers removed."""


def is_key_line(line: str) -> str | None:
    """The normalised key if `line` is a bold key line (`**Level:** ...`), else None."""
    match = _key_match(line)
    return None if match is None else normalise_key(match.group("key"))


def _key_match(line: str) -> re.Match[str] | None:
    """The `_KEY_LINE` match of a bold key line (the key or the rest starts with `:`)."""
    if "**" not in line:
        return None
    match = _KEY_LINE.match(line)
    if match is None:
        return None
    key, rest = match.group("key", "rest")
    if not (key.rstrip().endswith(":") or rest.startswith(":")):
        return None
    return match


def metadata_entries(lines: list[str], first_line: int) -> list[MetaEntry]:
    """The bold key entries in a block of lines starting at file line `first_line`."""
    entries: list[MetaEntry] = []
    for offset, raw in enumerate(lines):
        match = _key_match(raw) if "**" in raw else None
        if match is not None:
            number = first_line + offset
            key, rest = match.group("key", "rest")
            entry = MetaEntry(
                key=key.strip().rstrip(":").strip(), norm=normalise_key(key), line=number
            )
            rest = rest.lstrip(":").strip()
            if rest:
                entry.values.append((number, rest))
            entries.append(entry)
            continue
        if not entries or not raw or raw.isspace():
            continue
        text = _item_text(raw)
        if text:
            entries[-1].values.append((first_line + offset, text))
    return entries


def _item_text(raw: str) -> str:
    """An item's text without its marker; "" for blank, rule and comment-only lines."""
    stripped = raw.strip()
    if not stripped or stripped[0] == "#" or stripped.startswith("<!--"):
        return ""
    if stripped[0] == stripped[-1] and is_rule(raw):  # a rule starts and ends with its mark
        return ""
    match = ITEM_RE.match(raw)
    if match is None:
        return stripped
    text = match.group("text")
    text = text.strip() if text else ""
    return "" if text.startswith("#") else text


def apply_metadata(
    entries: list[MetaEntry], draft: ModeDraft, *, path: str | None, findings: list[Finding]
) -> int | None:
    """Fill `draft` from metadata entries; returns the line of the level value, if any."""
    level_line: int | None = None
    for entry in entries:
        target = KEY_FIELDS.get(entry.norm)
        if target is None:
            texts = [text for _, text in entry.values]
            draft.extra.setdefault(entry.key, texts if len(texts) != 1 else texts[0])
        elif target == "tool_groups":
            for line, text in entry.values:
                draft.tool_groups.extend(
                    parse_tool_group_item(text, line=line, path=path, findings=findings)
                )
        elif target in ("tags", "categories", "stack"):
            getattr(draft, target).extend(_scalars(entry))
        elif target in REFERENCE_FIELDS:
            _apply_references(entry, draft, target, path=path, findings=findings)
        elif target == "api":
            _apply_api(entry, draft)
        else:
            value_line = _apply_scalar(entry, draft, target)
            if target == "level" and level_line is None:
                level_line = value_line
    return level_line


def _scalars(entry: MetaEntry) -> list[str]:
    values: list[str] = []
    for _, text in entry.values:
        for part in text.split(","):
            value = clean_scalar(part)
            if value and value.lower() not in ("none", "n/a", "na", "-"):
                values.append(value)
    return values


def _apply_references(
    entry: MetaEntry,
    draft: ModeDraft,
    target: MetaTarget,
    *,
    path: str | None,
    findings: list[Finding],
) -> None:
    references: list[Reference] = getattr(draft, target)
    for line, text in entry.values:
        plain = plain_reference(text, line=line)
        if plain is not None:  # the common item: one reference, nothing else to say
            references.append(plain)
            continue
        parsed = parse_reference_item(text, line=line)
        references.extend(parsed.references)
        for unclear in parsed.ambiguous:
            findings.append(
                Finding(
                    path=path,
                    line=line,
                    code=Code.AMBIGUOUS_REFERENCE,
                    severity=Severity.WARNING,
                    message=f"{unclear!r} follows a reference after a separator but is not a "
                    "slug; it was kept as the note, not as a reference",
                    hint="write each mode as its own item with its slug in backticks "
                    "(`- `security-specialist``), or the note after a `#`",
                )
            )
        for placeholder in parsed.placeholders:
            draft.add_placeholder(REFERENCE_FIELDS[target], placeholder, line)


def _apply_api(entry: MetaEntry, draft: ModeDraft) -> None:
    for _, text in entry.values:
        key, sep, value = clean_scalar(text).partition(":")
        if not sep:
            draft.model = draft.model or key.strip() or None
            continue
        value = value.strip().strip("`'\"")
        if normalise_key(key) == "model":
            draft.model = draft.model or value or None
        else:
            draft.extra.setdefault("api_configuration", {})[key.strip()] = _scalar(value)


def _scalar(text: str) -> str | int | float | bool:
    """`0.2` -> 0.2, `true` -> True, `12` -> 12; anything else stays the string."""
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def _apply_scalar(entry: MetaEntry, draft: ModeDraft, target: MetaTarget) -> int | None:
    for line, text in entry.values:
        value = clean_scalar(text)
        if not value:
            continue
        if target == "name":
            emoji, name = split_emoji(value)
            draft.name = draft.name or name
            draft.emoji = draft.emoji or emoji
        elif getattr(draft, target) in (None, ""):
            setattr(draft, target, value)
        return line
    return None
