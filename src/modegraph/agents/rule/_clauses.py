"""Split a goal into clauses: sentences, semicolons, commas and connectives.

The split is deliberately cautious. Sentences and semicolons always separate
clauses. Commas and connectives (`and`, `then`, `also`, `plus`, `as well as`)
only *may*: the rule agent joins a fragment back to the one before it when the
fragment is a bare word or two (`signup and login`) or when both name the same
role's work. This module only cuts; the joining needs scores and lives in
`rule_agent`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Fragment", "fragments", "items", "joined", "modifier_split", "tidy"]

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(`])|;\s*|\n+")
_SOFT = re.compile(
    r"\s*,(?!(?<=\d,)\d{3})\s*(?:and\s+|then\s+|also\s+|plus\s+)?(?:then\s+)?"
    r"|\s+(?:and\s+then|and\s+also|as\s+well\s+as|and|then|plus|also)\s+",
    re.IGNORECASE,
)
_MODIFIER = re.compile(r"\s+(?:with|using|including|via)\s+", re.IGNORECASE)
_ITEM = re.compile(
    r"\s*,(?!(?<=\d,)\d{3})\s*(?:and\s+|or\s+)?|\s+(?:and|or|as\s+well\s+as|plus)\s+", re.IGNORECASE
)
_LEADING = re.compile(r"^(?:and|then|also|plus|finally|next|so|but)\b[\s,]*", re.IGNORECASE)


@dataclass(frozen=True)
class Fragment:
    """A piece of the goal between two cut points."""

    text: str
    """The piece, trimmed."""
    start: int
    """Offset of the piece's first character in the goal."""
    end: int
    """Offset just past the piece's last character in the goal."""
    hard: bool
    """True when a sentence end or a semicolon precedes it (never joined back)."""


def tidy(text: str) -> str:
    """Trim connectives and punctuation at the ends of a clause."""
    return _LEADING.sub("", text.strip()).strip(" \t,;:.")


def _depths(text: str) -> list[int]:
    """The bracket depth at each character of `text` (unbalanced closers count as 0)."""
    depths, depth = [], 0
    for char in text:
        if char in "([{":
            depth += 1
        depths.append(depth)
        if char in ")]}" and depth:
            depth -= 1
    return depths


def _cuts(
    pattern: re.Pattern[str], text: str, offset: int, *, bracketed: bool = True
) -> list[tuple[int, int]]:
    """Spans between the cuts of `pattern`; with `bracketed` False, never inside brackets."""
    spans, at = [], 0
    depths = None if bracketed else _depths(text)
    for cut in pattern.finditer(text):
        if depths is not None and depths[cut.start()]:
            continue
        spans.append((offset + at, offset + cut.start()))
        at = cut.end()
    spans.append((offset + at, offset + len(text)))
    return spans


def fragments(goal: str) -> list[Fragment]:
    """Cut `goal` into fragments at every sentence end, semicolon, comma and connective.

    Commas and connectives inside brackets do not cut: `(tenants, customers,
    invoices)` is a detail of its clause.
    """
    pieces: list[Fragment] = []
    for index, (s_start, s_end) in enumerate(_cuts(_SENTENCE, goal, 0)):
        first = True
        for start, end in _cuts(_SOFT, goal[s_start:s_end], s_start, bracketed=False):
            raw = goal[start:end]
            text = tidy(raw)
            if not text:
                continue
            lead = raw.find(text)
            begin = start + max(lead, 0)
            pieces.append(
                Fragment(text=text, start=begin, end=begin + len(text), hard=first and index > 0)
            )
            first = False
    return pieces


def joined(goal: str, first: Fragment, last: Fragment) -> str:
    """The goal's text from `first` to `last`, connectives kept, ends tidied."""
    return tidy(goal[first.start : last.end])


def modifier_split(clause: str) -> tuple[str, str] | None:
    """Cut `Build a users API with signup and login` into its head and its modifier.

    Returns None when the clause has no `with`, `using`, `including` or `via`, or
    when either side would be empty.
    """
    found = _MODIFIER.search(clause)
    if found is None:
        return None
    head, modifier = tidy(clause[: found.start()]), tidy(clause[found.end() :])
    if not head or not modifier:
        return None
    return head, modifier


def items(modifier: str) -> list[str]:
    """The list items of a modifier: `migrations and OAuth2 login` -> two items.

    Cut at commas, `and`, `or`, `plus` and `as well as`; empty pieces are dropped.
    """
    return [text for piece in _ITEM.split(modifier) if (text := tidy(piece))]
