"""Read one list item of a Roo Commander reference list (tool groups: `_tool_groups`).

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

import re
import sys
from dataclasses import dataclass, field

from modegraph.modes.model import Reference

__all__ = [
    "PLACEHOLDER_WORDS",
    "ParsedReferences",
    "clean_scalar",
    "note_text",
    "parse_reference_item",
    "plain_reference",
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
    reference = plain_reference(text, line=line)
    if reference is not None:
        return ParsedReferences(references=[reference])
    return _parse_reference_item(text.strip(), line=line)


def plain_reference(text: str, *, line: int | None) -> Reference | None:
    """The one reference of a common item (`` `slug` # note ``), else None.

    What `parse_reference_item` finds in such an item (the span is the slug, the
    comment the note), without the general rule; None for any other item.
    """
    plain = _PLAIN_ITEM.fullmatch(text.strip())
    if plain is None or not _is_plain_slug(plain.group("slug")):
        return None
    comment = plain.group("note")
    note = None if comment is None else comment.strip().lstrip("#").strip() or None
    # interned: a catalog names each slug in many modes, and repeats notes
    return Reference(
        slug=sys.intern(plain.group("slug")),
        note=None if note is None else sys.intern(note),
        line=line,
    )


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
        rest_note = note_text(rest)
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
        return [first], note_text(rest)
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


def note_text(text: str) -> str | None:
    """Text beside a reference as a note, or None when nothing readable is left.

    Spaces are squeezed; separators and a leading `or` / `and` are dropped.
    """
    note = " ".join(text.split()).strip(_NOTE_PUNCT)
    note = re.sub(r"^(?:(?:or|and)\b[\s/,]*)+", "", note, flags=re.IGNORECASE).strip(_NOTE_PUNCT)
    return note if any(ch.isalnum() for ch in note) else None
