"""Reading a mode's prose for the handoffs it implies (`implied.implied_edges`).

Apart from `implied` so that its regular expressions are compiled when a mode
without declared edges is first read, not whenever the entry rule is imported: a
catalog whose modes all declare their edges (the bundled library) never needs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from modegraph.modes.model import EdgeKind, Mode

if TYPE_CHECKING:
    from modegraph.modes.catalog.implied import ImpliedEdge, _Files

__all__ = ["LOOKS_LIKE_SLUG", "Locator", "mentions"]

_SLUG = r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9-]))*"
"""A Roo Code slug (`^[a-zA-Z0-9-]+$`) that neither starts nor ends with a hyphen."""
_SLUG_ONLY = re.compile(rf"^{_SLUG}$")
LOOKS_LIKE_SLUG = re.compile(r"^[a-z0-9]+(?:-+[a-z0-9]+)+$")
"""A name that can only be a slug (lowercase words joined by hyphens): a missing one of
these is reported; a bare word (`loader`, `Link`) that names no mode is code, not a role."""

_HANDOFF_WORDS = re.compile(
    r"new_task|switch_mode|\bdelegat|\bassign|\bhand(?:s|ed|ing)?[\s-]*(?:off|over)\b|"
    r"\bhandoffs?\b|\bdispatch|\bavailable\s+(?:modes|agents|roles)\b|"
    r"\bescalat",
    re.IGNORECASE,
)
"""Words that say work goes to another role (a list after them names its targets)."""

_INCOMING = re.compile(r"\b(?:from|accept\w*|receiv\w*)\b", re.IGNORECASE)
"""Words that turn a handoff phrase around (`Accept Escalations From:`): work comes in."""
_TO_THIS_ROLE = re.compile(
    r"^\s*(?:you|yourself|me|us|this\s+(?:mode|agent|role))\b|\b(?:by|from)\b", re.IGNORECASE
)
"""Between a handoff verb's `to` and its slugs: the work comes to this role (`tasks
assigned to you by `x``), so the slugs name who sends it, not where it goes."""
_SEPARATORS = re.compile(r",|/|\band\b|\bor\b", re.IGNORECASE)
_HEADING = re.compile(
    r"^\s*#{1,6}\s+[^\n]*(?:delegat|assign|hand[\s-]*off|handoff|coordinat|dispatch|"
    r"available\s+(?:modes|agents|roles))",
    re.IGNORECASE,
)
"""A Markdown heading that introduces the roles work goes to (`### Coordination Matrix`)."""
_LABELLED = re.compile(r"^(?:\*\*|__)?[^`:*_]{1,40}(?:\*\*|__)?:(?:\*\*|__)?\s*(?P<rest>.+)$")
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|vs)\.", re.IGNORECASE)
"""Dots that do not end a sentence (`to a specialist (e.g., `x`)`)."""
_TRIGGER_END = re.compile(r":\s*(?:\*\*|__)?\s*(?P<inline>.*)$")
_ITEM = re.compile(r"^\s*(?:[-*+•▪◦‣]|\d{1,3}[.)])\s+(?P<text>\S.*)$")
_LEAD = re.compile(rf"^[^\w`]*(?:`(?P<tick>[^`\n]+)`|(?P<bare>{_SLUG}))(?P<rest>.*)$")
_TICKED = re.compile(r"`([^`\n]+)`")
_SENTENCE_VERB = re.compile(
    r"\b(?P<verb>delegat(?:e|es|ed|ing)|assign(?:s|ed|ing)?|"
    r"hand(?:s|ed|ing)?(?:\s+\w+)?\s+(?:off|over)|dispatch(?:es|ed|ing)?|"
    r"escalat(?:e|es|ed|ing)|switch(?:es|ed|ing)?)\b"
    r"(?P<gap>[^.!?\n]{0,80}?)\bto\b(?P<lead>[^.!?\n`]{0,48}?)"
    r"(?P<slugs>`[^`\n]+`(?:\s*(?:,|/|\bor\b|\band\b)\s*(?:or\s+|and\s+)?`[^`\n]+`)*)",
    re.IGNORECASE,
)
_TOOL_CALL = re.compile(
    r"<(?:new_task|switch_mode)>\s*<(?:mode|mode_slug)>\s*(?P<slug>[^<\s]+)\s*</", re.IGNORECASE
)
_LIST_WORDS = 3
"""The most words besides slugs that a list of slugs may hold (`language specialists`)."""
_ANCHOR_WORDS = re.compile(
    r"new_task|switch_mode|delegat|assign|hand|dispatch|available|escalat|coordinat",
    re.IGNORECASE,
)
"""Where a mode's handoff text may start in its file (no word boundaries: inside a JSON
string a line break is written `\\n`, right before the word)."""
_ANCHOR_LINES = 2_000
"""How far past a mode's first line its handoff text is looked for."""
_SEARCH_LINES = 20_000
"""How far past a mode's first line its slug is looked for in the file."""


def mentions(text: str, known: frozenset[str]) -> Iterator[tuple[str, EdgeKind, str]]:
    """(slug, kind, evidence) for every handoff the text implies, in text order."""
    lines = _ABBREVIATION.sub(lambda m: m.group(0).replace(".", ""), text).splitlines()
    hits: list[tuple[int, int, str, EdgeKind, str]] = []
    for index, line in enumerate(lines):
        # cheap tests first: most lines hold no colon, no backtick and no tag
        if ":" in line or line.lstrip().startswith("#"):
            for order, (slug, evidence) in enumerate(_list_after(lines, index, known)):
                hits.append((index, order, slug, _kind_of(evidence), evidence))
        if "`" not in line and "<" not in line:
            continue
        for match in _SENTENCE_VERB.finditer(line) if "`" in line else ():
            if _TO_THIS_ROLE.search(match["lead"]):
                continue
            evidence = _short(line[match.start() : match.end()])
            kind = _kind_of(match["verb"])
            for order, slug in enumerate(_TICKED.findall(match["slugs"])):
                if _SLUG_ONLY.match(slug.strip()):
                    hits.append((index, 1000 + order, slug.strip(), kind, evidence))
        for match in _TOOL_CALL.finditer(line):
            slug = match["slug"]
            if _SLUG_ONLY.match(slug):
                hits.append((index, 2000, slug, EdgeKind.DELEGATE, _short(match.group(0))))
    hits.sort(key=lambda hit: (hit[0], hit[1]))
    for _, _, slug, kind, evidence in hits:
        yield slug, kind, evidence


def _kind_of(phrase: str) -> EdgeKind:
    """Escalate when the phrase speaks of escalating, else delegate."""
    return EdgeKind.ESCALATE if re.search(r"escalat", phrase, re.IGNORECASE) else EdgeKind.DELEGATE


def _list_after(lines: list[str], index: int, known: frozenset[str]) -> Iterator[tuple[str, str]]:
    """The slugs a handoff line ending in a colon lists (inline, then in the items below)."""
    line = lines[index]
    if _INCOMING.search(line):
        return
    heading = _HEADING.match(line)
    if heading is not None:
        evidence = _short(line.strip())
    else:
        words = _HANDOFF_WORDS.search(line)
        end = None if words is None else _TRIGGER_END.search(line, words.end())
        if end is None:
            return
        evidence = _short(line[: end.start() + 1])
        inline = end["inline"].strip()
        if inline:
            yield from ((slug, evidence) for slug in _inline_slugs(inline))
            return
    blank = 0
    for later in lines[index + 1 :]:
        if not later.strip():
            blank += 1
            if blank > 1:
                return
            continue
        item = _ITEM.match(later)
        if item is None:
            return
        blank = 0
        for slug in _item_slugs(item["text"], known):
            yield slug, evidence


def _inline_slugs(text: str) -> list[str]:
    """`` `code`, `tdd` `` or `code, tdd and debug` written after the colon: a list, not prose."""
    ticked = _listed(text)
    if ticked:
        return ticked
    pieces = [p.strip(" .;") for p in re.split(r",|\band\b|\bor\b", text)]
    pieces = [p for p in pieces if p]
    if pieces and all(_SLUG_ONLY.match(p) and "-" in p for p in pieces):
        return pieces
    return []


def _listed(text: str) -> list[str]:
    """The backticked slugs of `text` when it is a list of them (a few other words at most).

    `` `code`, language specialists, `tdd` `` is a list; ``Prioritize modes whose `tags`
    match`` is prose and gives nothing.
    """
    ticked = [s.strip() for s in _TICKED.findall(text) if _SLUG_ONLY.match(s.strip())]
    if not ticked:
        return []
    rest = _SEPARATORS.sub(" ", _TICKED.sub(" ", text)).replace("*", " ").split()
    words = [w for w in rest if w.strip(".;:()!?-–—_")]
    return ticked if len(words) <= _LIST_WORDS else []


def _item_slugs(text: str, known: frozenset[str]) -> list[str]:
    """The slugs of one list item: those after a `**Label**:`, else the one it leads with."""
    labelled = _LABELLED.match(text)
    if labelled is not None:
        return _listed(labelled["rest"])
    slug = _item_slug(text, known)
    return [] if slug is None else [slug]


def _item_slug(text: str, known: frozenset[str]) -> str | None:
    """The slug a list item leads with, or None when it is prose."""
    lead = _LEAD.match(text)
    if lead is None:
        return None
    if lead["tick"] is not None:
        slug = lead["tick"].strip()
        return slug if _SLUG_ONLY.match(slug) else None
    bare, rest = lead["bare"], lead["rest"].strip()
    if not rest or rest in (".", ",", ";"):
        return bare
    if bare in known and re.match(r"^(?:[-–—:(]|\s*$)", rest):
        return bare
    return None


def _short(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


# -- finding the line ---------------------------------------------------------------


class Locator:
    """Finds the file line of each slug one mode's text names."""

    def __init__(self, mode: Mode, files: _Files) -> None:
        self.start = mode.source.line
        self.lines = files.lines(mode.source.path)
        self.first = max((self.start or 1) - 1, 0)
        self.stop = min(len(self.lines), self.first + _SEARCH_LINES)
        # the first line of the mode that names a handoff: where its lists begin
        window = min(self.stop, self.first + _ANCHOR_LINES)
        self.anchor = next(
            (i for i in range(self.first, window) if _ANCHOR_WORDS.search(self.lines[i])),
            self.first,
        )

    def find(self, edge: ImpliedEdge) -> int | None:
        """The slug's line, at or after the anchor (else after the mode's first line)."""
        if self.start is None or not self.lines:
            return self.start
        # `\n` as written inside a JSON string may stand right before the slug
        slug = re.compile(rf"(?:(?<![\w-])|(?<=\\n)){re.escape(edge.target)}(?![\w-])")
        for begin, end in ((self.anchor, self.stop), (self.first, self.anchor)):
            for i in range(begin, end):
                line = self.lines[i]
                if edge.target in line and slug.search(line):
                    return i + 1
        return self.start
