"""Read one list item of a Roo Commander reference list or tool-group list.

The reference rule (documented in `roo_markdown`):

1. An inline comment (`#` at the start or after a space, outside backticks) is the
   note: `` `database-specialist` # For schema work `` -> note `For schema work`.
2. Example lists in parentheses (`(e.g., a, b)`, `(i.e. ...)`, `(for example ...)`,
   `(such as ...)`) are never references.
3. With backticks, each backticked span is a candidate (`` `a` / `b` `` -> two);
   text outside the spans becomes the note when there is no `#` comment.
4. Without backticks, the text is split on `/ , ; |` and ` or ` when every piece is
   slug-shaped (`a, b` -> two); otherwise a slug-shaped first word with a hyphen, or
   one set off by `(`, `-`, `:` (`orchestrator: final report`), is the slug and the
   rest the note (`roo-commander (final report)`).
5. A candidate is a reference only when it is slug-shaped: letters, digits, `-`,
   `_`, `.`, starting with a letter or digit and holding a letter; bare (not
   backticked) text must also be lower case. Placeholder words (`None`, `N/A`,
   `TBD`, `user`, ...) and prose (`Requesting Mode`, `Relevant Lead`,
   `None directly`) are not references; they are returned as placeholders so the
   caller can keep them in `Mode.extra`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.model import Reference, ToolGroup

__all__ = [
    "PLACEHOLDER_WORDS",
    "ParsedReferences",
    "clean_scalar",
    "group_from_value",
    "parse_reference_item",
    "parse_tool_group_item",
    "split_comment",
]

PLACEHOLDER_WORDS = frozenset(
    {
        "none",
        "n/a",
        "na",
        "n-a",
        "nil",
        "null",
        "tbd",
        "todo",
        "-",
        "--",
        "any",
        "all",
        "various",
        "user",
        "users",
        "human",
        "requester",
    }
)
"""Words that stand for "no mode" or "someone" and are never references."""

_EXAMPLES = re.compile(
    r"\(\s*(?:e\.?\s?g\.?|i\.?\s?e\.?|for\s+example|for\s+instance|such\s+as|example)\b[^)]*\)?",
    re.IGNORECASE,
)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_SPAN = re.compile(r"`([^`]*)`")
_CODE_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_BARE_SLUG = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_SEPARATORS = re.compile(r"\s*(?:[/,;|]|\s(?:or|and)\s)\s*")
_EDGE_PUNCT = " \t[](){}'\"*_.:;,!?"
_SCALAR_PUNCT = _EDGE_PUNCT.replace(".", "").replace("-", "")
_LEAD_SEPARATOR = re.compile(r"^\s*(?:[/,;|&+]|(?:or|and)\b)\s*", re.IGNORECASE)
_TRAIL_SEPARATOR = re.compile(r"\s*(?:[/,;|&+]|\b(?:or|and))\s*$", re.IGNORECASE)
_NOTE_PUNCT = " \t-–—:;,/|()[]"
_PLAIN_ITEM = re.compile(r"`(?P<slug>[A-Za-z0-9][A-Za-z0-9_.-]*)`(?:[ \t]+#(?P<note>.*))?")
"""The common reference item, `` `slug` `` with an optional `# note`: read without the
general rule, which gives the same result for it (`parse_reference_item`)."""


@dataclass
class ParsedReferences:
    """The references in one item and what was left over."""

    references: list[Reference] = field(default_factory=list)
    """Slug-shaped references, in the order written."""
    placeholders: list[str] = field(default_factory=list)
    """Texts that stand where a reference would, but are not one (`None`, `Relevant Lead`)."""
    ambiguous: list[str] = field(default_factory=list)
    """Texts joined to a backticked slug by a separator that are not slugs
    (`` `a`, Security Specialist ``): kept as the note, worth a finding."""


def split_comment(text: str) -> tuple[str, str | None]:
    """Split `text # note` at the first `#` that starts a comment, outside backticks."""
    if "#" not in text:
        return text, None  # most items: no need to walk the characters
    in_code = False
    for index, char in enumerate(text):
        if char == "`":
            in_code = not in_code
        elif char == "#" and not in_code and (index == 0 or text[index - 1].isspace()):
            note = text[index + 1 :].strip().lstrip("#").strip()
            return text[:index].rstrip(), note or None
    return text, None


def clean_scalar(text: str) -> str:
    """A tag, category or level value: comment, backticks, quotes and bold removed."""
    value, _ = split_comment(text)
    value = _LINK.sub(r"\1", value).replace("`", "")
    return value.strip(_SCALAR_PUNCT).strip()


def parse_reference_item(text: str, *, line: int | None) -> ParsedReferences:
    """The references (and placeholders) in one item of a reference list."""
    text = text.strip()
    plain = _PLAIN_ITEM.fullmatch(text)
    if plain is not None and _is_plain_slug(plain.group("slug")):
        # What the general rule makes of it: the span is the slug, the comment the note.
        comment = plain.group("note")
        note = None if comment is None else comment.strip().lstrip("#").strip() or None
        reference = Reference(slug=plain.group("slug"), note=note, line=line)
        return ParsedReferences(references=[reference])
    return _parse_reference_item(text, line=line)


def _parse_reference_item(text: str, *, line: int | None) -> ParsedReferences:
    """`parse_reference_item` by the general rule (every item shape)."""
    result = ParsedReferences()
    body, note = split_comment(text)
    body = _LINK.sub(r"\1", body)
    examples = " ".join(m.group(0).strip("() ") for m in _EXAMPLES.finditer(body))
    body = _EXAMPLES.sub(" ", body).strip()
    if not body:
        return result
    if "`" in body:
        candidates, rest = _code_candidates(body, result.ambiguous)
        rest_note = _note_text(rest)
        if rest_note and not note:
            note = rest_note
        allow_upper = True
    else:
        candidates, rest_note = _bare_candidates(body)
        if rest_note and not note:
            note = rest_note
        allow_upper = False
    if examples and note is None and candidates:
        note = examples
    for candidate in candidates:
        if _is_slug(candidate, allow_upper=allow_upper):
            result.references.append(Reference(slug=candidate, note=note, line=line))
        elif candidate.strip(_EDGE_PUNCT):
            result.placeholders.append(candidate.strip())
    return result


def _code_candidates(body: str, ambiguous: list[str]) -> tuple[list[str], str]:
    """Backticked spans, and bare slugs joined to them by a separator, in order.

    `` `a`, b ``, `` `a` and b `` and `` x, `y` `` give two slugs; text next to a
    span that is not joined to it by a separator, or is not all slugs
    (`` `a` (for schema work) ``), is left for the note.
    """
    spans = list(_SPAN.finditer(body))
    candidates: list[str] = []
    rest: list[str] = []
    position = 0
    for match in spans:
        _outside(
            body[position : match.start()],
            candidates,
            rest,
            ambiguous,
            after=position > 0,
            before=True,
        )
        candidates.append(match.group(1).strip())
        position = match.end()
    _outside(body[position:], candidates, rest, ambiguous, after=bool(spans), before=False)
    return candidates, " ".join(rest).replace("`", " ")


def _outside(
    text: str,
    candidates: list[str],
    rest: list[str],
    ambiguous: list[str],
    *,
    after: bool,
    before: bool,
) -> None:
    """Text beside a span: more slugs when a separator joins them to it, else note."""
    inner = text
    lead = _LEAD_SEPARATOR.match(inner)
    if lead is not None and lead.group(0).strip():
        inner = inner[lead.end() :]
    else:
        lead = None
    trail = _TRAIL_SEPARATOR.search(inner)
    if trail is not None and trail.group(0).strip():
        inner = inner[: trail.start()]
    else:
        trail = None
    joined = (after and lead is not None) or (before and trail is not None)
    if joined and inner.strip():
        pieces = [piece.strip(_EDGE_PUNCT) for piece in _SEPARATORS.split(inner)]
        pieces = [piece for piece in pieces if piece]
        if pieces and all(_is_slug(piece, allow_upper=False) for piece in pieces):
            candidates.extend(pieces)
            return
        ambiguous.append(inner.strip())
    rest.append(text)


def _bare_candidates(body: str) -> tuple[list[str], str | None]:
    whole = body.strip(_EDGE_PUNCT)
    if _is_placeholder(whole):
        return [whole], None
    pieces = [piece.strip(_EDGE_PUNCT) for piece in _SEPARATORS.split(body)]
    pieces = [piece for piece in pieces if piece]
    if pieces and all(_is_slug(piece, allow_upper=False) for piece in pieces):
        return pieces, None
    first, _, rest = body.strip().partition(" ")
    separated = first.endswith((":", ";", ",")) or rest.lstrip()[:1] in ("(", "-", "–", "—", ":")
    first = first.strip(_EDGE_PUNCT)
    if _is_slug(first, allow_upper=False) and ("-" in first or separated):
        return [first], _note_text(rest)
    return [whole], None


def _is_plain_slug(span: str) -> bool:
    """`_is_slug(span, allow_upper=True)` for a span `_PLAIN_ITEM` matched.

    Its characters are ASCII letters, digits, `_`, `.` and `-` and it starts with a
    letter or digit, so it holds a letter when something is left after stripping the
    others from its ends; it has no space, so only the placeholder words can refuse it.
    """
    return bool(span.strip("0123456789_.-")) and (
        span.strip(_EDGE_PUNCT).lower() not in PLACEHOLDER_WORDS
    )


def _is_placeholder(text: str) -> bool:
    lowered = text.strip(_EDGE_PUNCT).lower()
    return lowered in PLACEHOLDER_WORDS or lowered.startswith("none ")


def _is_slug(text: str, *, allow_upper: bool) -> bool:
    pattern = _CODE_SLUG if allow_upper else _BARE_SLUG
    return (
        bool(pattern.match(text)) and any(ch.isalpha() for ch in text) and not _is_placeholder(text)
    )


def _note_text(text: str) -> str | None:
    note = " ".join(text.split()).strip(_NOTE_PUNCT)
    note = re.sub(r"^(?:(?:or|and)\b[\s/,]*)+", "", note, flags=re.IGNORECASE).strip(_NOTE_PUNCT)
    return note if any(ch.isalnum() for ch in note) else None


_GROUP_NAME = re.compile(r"[A-Za-z][\w-]*")
"""A tool group item that is a bare group name (`read`)."""
_GROUP_PLAIN = re.compile(r"^(?P<name>[A-Za-z][\w-]*)\s*(?:\((?P<opts>.*)\))?\s*(?P<rest>.*)$")
_FILE_REGEX_OPT = re.compile(
    r"^(?:file_?regex|regex|files?)\s*[:=]\s*(?P<regex>.+?)"
    r"(?:\s*[,;]\s*description\s*[:=]\s*(?P<desc>.+))?$",
    re.IGNORECASE,
)


def parse_tool_group_item(
    text: str, *, line: int | None, path: str | None, findings: list[Finding]
) -> list[ToolGroup]:
    r"""The tool groups in one item: `edit`, `edit (fileRegex: \.md$)`, `["edit", {...}]`."""
    text = text.strip()
    if _GROUP_NAME.fullmatch(text):  # the common `- read`: what the general rule gives
        return [ToolGroup(name=text.lower(), file_regex=None, description=None, line=line)]
    return _parse_tool_group_item(text, line=line, path=path, findings=findings)


def _parse_tool_group_item(
    text: str, *, line: int | None, path: str | None, findings: list[Finding]
) -> list[ToolGroup]:
    """`parse_tool_group_item` by the general rule (every item shape)."""
    groups = _tool_group_item(text, line=line, path=path, findings=findings)
    return [group.model_copy(update={"line": line}) for group in groups]


def _tool_group_item(
    text: str, *, line: int | None, path: str | None, findings: list[Finding]
) -> list[ToolGroup]:
    text = text.strip()
    unticked = text.strip("`").strip()
    if unticked.startswith(("[", "{")):  # a JSON list, bare or in backticks
        return _structured_group(unticked, line=line, path=path, findings=findings)
    body, note = split_comment(text)
    body = body.replace("`", "").strip()
    parts = _split_top_level(body)
    if len(parts) > 1 and all(_GROUP_ONLY.match(part) for part in parts):
        return [
            group
            for part in parts
            for group in _tool_group_item(part, line=line, path=path, findings=findings)
        ]
    if "," in body and "(" not in body:
        return [ToolGroup(name=part.strip().lower()) for part in body.split(",") if part.strip()]
    match = _GROUP_PLAIN.match(body)
    if match is None:
        if body:
            findings.append(_bad_group(path, line, text))
        return []
    regex: str | None = None
    description = note
    opts = (match.group("opts") or "").strip()
    if opts:
        option = _FILE_REGEX_OPT.match(opts)
        if option:
            regex = _unquote(option.group("regex"))
            description = _unquote(option.group("desc") or "") or description
        else:
            description = _unquote(opts) or description
    rest = _note_text(match.group("rest") or "")
    description = description or rest
    return [ToolGroup(name=match.group("name").lower(), file_regex=regex, description=description)]


_GROUP_ONLY = re.compile(r"^[A-Za-z][\w-]*\s*(?:\(.*\))?$", re.DOTALL)
_OPENERS = {"(": ")", "[": "]", "{": "}"}


def _split_top_level(text: str) -> list[str]:
    r"""Split on commas outside `()`, `[]`, `{}` and `"`: `read, edit (a, b)` -> 2 parts."""
    parts: list[str] = []
    closers: list[str] = []
    quote: str | None = None
    start = 0
    for index, char in enumerate(text):
        if quote is not None:
            quote = None if char == quote else quote
        elif char == '"':  # not `'`: an apostrophe is common in descriptions
            quote = char
        elif char in _OPENERS:
            closers.append(_OPENERS[char])
        elif closers and char == closers[-1]:
            closers.pop()
        elif char == "," and not closers:
            parts.append(text[start:index].strip())
            start = index + 1
    parts.append(text[start:].strip())
    return [part for part in parts if part]


def _structured_group(
    text: str, *, line: int | None, path: str | None, findings: list[Finding]
) -> list[ToolGroup]:
    value: Any
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        try:
            value = yaml.safe_load(text)
        except (yaml.YAMLError, ValueError, OverflowError, RecursionError):
            findings.append(_bad_group(path, line, text))
            return []
    if isinstance(value, list) and len(value) > 1 and not isinstance(value[1], dict):
        # A whole groups list on one line: `["read", "edit", ["edit", {...}]]`.
        groups = [group_from_value(item) for item in value]
        if all(group is not None for group in groups):
            return [group for group in groups if group is not None]
        findings.append(_bad_group(path, line, text))
        return []
    group = group_from_value(value)
    if group is None:
        findings.append(_bad_group(path, line, text))
        return []
    return [group]


def group_from_value(value: object) -> ToolGroup | None:
    """A tool group from `"edit"`, `["edit", {"fileRegex": ...}]` or `{"name": "edit"}`."""
    if isinstance(value, str) and value.strip():
        return ToolGroup(name=value.strip().lower())
    options: object = {}
    name: object = None
    if isinstance(value, list) and value and isinstance(value[0], str):
        name = value[0]
        options = value[1] if len(value) > 1 else {}
    elif isinstance(value, dict):
        name = value.get("name", value.get("group"))
        options = value
    if not isinstance(name, str) or not name.strip() or not isinstance(options, dict):
        return None
    regex = options.get("fileRegex", options.get("file_regex"))
    description = options.get("description")
    return ToolGroup(
        name=name.strip().lower(),
        file_regex=regex if isinstance(regex, str) and regex else None,
        description=description if isinstance(description, str) and description else None,
    )


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "`'\"":
        text = text[1:-1]
    return text.strip()


def _bad_group(path: str | None, line: int | None, text: str) -> Finding:
    return Finding(
        path=path,
        line=line,
        code=Code.WRONG_TYPE,
        severity=Severity.ERROR,
        message=f"cannot read the tool group item {text[:60]!r}; it was ignored",
        hint='write a group name (`- edit`), `- edit (fileRegex: \\.md$)` or `["edit", '
        '{"fileRegex": "\\\\.md$", "description": "Markdown only"}]`',
    )
