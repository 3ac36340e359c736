"""Split a goal into the requests it makes, each with its context.

A goal is cut at every sentence end and semicolon, and inside a sentence at a
comma, a colon or a connective (`and`, `then`, `also`, `plus`, `as well as`, a dash)
*only* where a new request starts (`opens_request`): a verb that opens a request
(`_lexicon.REQUEST_VERBS`, or any word followed straight by an object such as
`the`, `our`, `it`), a question, a need (`X still needs an index`), or `have`/`get`
someone to do something. Between two nouns (`Coke and Pepsi`, `the api, worker and
scheduler deployments`) and between two verbs of one request (`read and edit their
notes`, `clone, install, run the thing`) nothing is cut. After a colon, a list of
two or more noun phrases (`a form ..., a POST route ..., and a table ...`) is a
list of deliverables: each item is a request.

A sentence that asks for nothing (`Memory on our worker boxes creeps up for days.`)
and a lead-in before the first request of a sentence (`In our Supabase project, ...`)
are *context*: they join the request after them (or, at the end of the goal, the one
before), so they are routed with it and never reported on their own.

This module only cuts; the joining that needs scores lives in `_routes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from modegraph.agents.rule._lexicon import REQUEST_VERBS

__all__ = [
    "Fragment",
    "fragments",
    "items",
    "joined",
    "main_clause",
    "modifier_split",
    "opens_request",
    "tidy",
]

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(`])|;\s*|\n+")
_SOFT = re.compile(
    r"\s*,(?!(?<=\d,)\d{3})\s*(?:and\s+|then\s+|also\s+|plus\s+|but\s+)?(?:then\s+)?"
    r"|\s*:\s+|\s+[-\u2013\u2014]+\s+|\s*\u2014\s*"
    r"|\s+(?:and\s+then|and\s+also|as\s+well\s+as|and|then|plus|also)\s+",
    re.IGNORECASE,
)
_BARE = re.compile(r"^\s*(?:,|and|or)\s*$", re.IGNORECASE)
"""A cut that can join two verbs of one request (`read and edit`, `clone, install`);
`, and`, `then`, `also` or a colon start a new request even after a verb."""
_SUBORDINATE = re.compile(
    r"\s+(?:when|whenever|if|unless|once|because|while|until|after|before)\s+", re.IGNORECASE
)
"""A subordinate clause inside a request (`Fix the crash when the cart is empty`)."""
_MODIFIER = re.compile(r"\s+(?:with|using|including|via)\s+", re.IGNORECASE)
_ITEM = re.compile(
    r"\s*,(?!(?<=\d,)\d{3})\s*(?:and\s+|or\s+)?|\s+(?:and|or|as\s+well\s+as|plus)\s+", re.IGNORECASE
)
_LEADING = re.compile(
    r"^(?:(?:and|then|also|plus|finally|next|so|but|please|separately|additionally|lastly|"
    r"afterwards|meanwhile|just|now|oh|ok|okay|too|first|second|third)\b[\s,]*)+",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")

_OBJECTS = frozenset(
    """a an the our my your their its his her this that these those some all each every
    any it them me us him both""".split()
)
"""Words that open a noun phrase or stand for one: a word followed straight by one of
these is a verb with its object (`Hammer the checkout service`, `Recycle them`)."""

_ARTICLES = frozenset("a an the our my your their its his her this these those some any".split())
"""Words that open a noun phrase that may be a deliverable of its own (`a table to
hold the tokens`); `all`, `each` and pronouns do not (`..., all in Terraform`)."""

_NOT_VERBS = frozenset(
    """a an the our my your their its his her this that these those some all each every
    any it them me us him both i we you he she they there here in on at by for from of
    to with into onto about over under after before during since until when while if
    because so as than what which who whose where why how not no nor and or but then
    also plus is are was were be been being has have had do does did will would can
    could should must may might shall one two three four five six""".split()
)
"""Function words: never the verb of a request."""

_ASKING = frozenset("""have get let ask make ensure""".split())
"""Verbs that ask for work to be done by someone (`have someone study it`, `get the
token handling threat-modelled`, `make sure ...`)."""

_QUESTION = frozenset(
    """what why how which who where whether can could would should is are do does""".split()
)
"""Words that open a question, which asks for work too (`What's likely wrong?`)."""

_NEED = re.compile(
    r"\b(?:needs?|needed|want|wants|wanted|would\s+like|'d\s+like|should|must|has\s+to|"
    r"have\s+to|needs\s+to)\b",
    re.IGNORECASE,
)
"""A need or an obligation: `payments.created_at still needs an index` asks for one."""


def _words(text: str) -> list[str]:
    return [w.lower().strip("'") for w in _WORD.findall(text)]


def opens_request(text: str, *, question: bool = False, initial: bool = False) -> bool:
    """Whether `text` (a piece of a goal) asks for work rather than giving context.

    It opens (after connectives such as `and`, `then`, `please`) with a request verb,
    with a question word in a `question` (a sentence that ends with `?`), with
    `have`/`get`/`let`/`ask`/`make`, or with a word followed straight by an object
    (`Hammer the ...`) or, at the start of a sentence (`initial`), by a number
    (`Serve 2,000 covers`); or it states a need.
    """
    words = _words(tidy(text))
    if not words:
        return False
    first = words[0]
    if first in REQUEST_VERBS or first in _ASKING:
        return True
    if first in _QUESTION and question:
        return True
    verbal = first not in _NOT_VERBS and not first.endswith(("ing", "ed", "s"))
    second = tidy(text).split()[1:2]
    number = initial and bool(second) and second[0][:1].isdigit()
    if verbal and len(words) > 1 and (words[1] in _OBJECTS or number):
        return True
    return _NEED.search(text) is not None


_BEFORE_A_VERB = frozenset(
    "to can could should must may might will would shall also only just then please".split()
)
"""Words after which a request verb is a verb (`how to clone, install and run`)."""


def _ends_with_verb(text: str) -> bool:
    """Whether `text` ends with a bare request verb (`read` in `can only read and edit`).

    A word after an article is a noun (`tag a version`), not a verb, and so is the last
    word of a piece that opens with a request verb of its own and goes on.
    """
    words = _words(text)
    if not words or words[-1] not in REQUEST_VERBS:
        return False
    lead = words[-2] if len(words) >= 2 else ""
    if len(words) >= 3 and words[0] in REQUEST_VERBS and lead not in _BEFORE_A_VERB | REQUEST_VERBS:
        # a request with its own object ends in a noun that is also a verb
        # (`Fix the slow query in the orders report`, `Optimize the Postgres query`)
        return False
    return len(words) < 2 or words[-2] not in _ARTICLES | {"all", "each", "every", "no"}


def _noun_phrase(text: str) -> bool:
    words = _words(tidy(text))
    return bool(words) and words[0] in _ARTICLES


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


def _pieces(goal: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """The requests of one sentence: (start, end, asks for work), cut only before requests.

    A lead-in that asks for nothing (`In our Supabase project`) joins the request
    after it; a sentence that asks for nothing is one piece, marked as not asking.
    After a colon, two or more noun phrases are each a request. A noun phrase after a
    comma or a connective (`..., a Postgres schema with migrations`) is a piece of its
    own too: it may name another role's work, and `_routes` joins it back when not.
    """
    text = goal[start:end]
    question = text.rstrip().endswith("?") or goal[end : end + 1] == "?"
    depths = _depths(text)
    cuts = [c for c in _SOFT.finditer(text) if not depths[c.start()]]
    bounds = [0, *(c.start() for c in cuts), len(text)]
    ends = [0, *(c.end() for c in cuts)]
    spans = [(ends[i], bounds[i + 1], cuts[i - 1] if i else None) for i in range(len(ends))]
    listed = _listed(text, spans)
    pieces: list[list[int]] = []
    asks: list[bool] = []
    for index, (s_at, e_at, cut) in enumerate(spans):
        piece = text[s_at:e_at]
        if not tidy(piece):
            continue
        request = opens_request(piece, question=question, initial=not pieces) or index in listed
        item = bool(pieces) and _noun_phrase(piece) and cut is not None
        joins = bool(pieces) and not request and not item
        if pieces and request and cut is not None and not listed:
            joins = (
                _ends_with_verb(text[pieces[-1][0] : pieces[-1][1]])
                and _BARE.match(cut.group()) is not None
            )
        if joins:
            pieces[-1][1] = e_at
            continue
        pieces.append([s_at, e_at])
        asks.append(request or item)
    if len(pieces) > 1 and not asks[0]:
        pieces[1][0] = pieces[0][0]
        del pieces[0], asks[0]
    return [(start + a, start + b, ask) for (a, b), ask in zip(pieces, asks, strict=True)]


def _listed(text: str, spans: list[tuple[int, int, re.Match[str] | None]]) -> set[int]:
    """Indexes of the spans that are items of a noun-phrase list after a colon."""
    colon = next(
        (i for i, (_, _, cut) in enumerate(spans) if cut is not None and ":" in cut.group()), None
    )
    if colon is None:
        return set()
    items = [i for i in range(colon, len(spans)) if _noun_phrase(text[spans[i][0] : spans[i][1]])]
    return set(items) if len(items) >= 2 else set()


def fragments(goal: str) -> list[Fragment]:
    """Cut `goal` into its requests, each with the context before it (see the module doc).

    Commas and connectives inside brackets never cut: `(tenants, customers, invoices)`
    is a detail of its request. Each fragment's `hard` is True when it starts a
    sentence (or a semicolon's part) after the first.
    """
    found: list[tuple[int, int, bool, bool]] = []
    for index, (s_start, s_end) in enumerate(_cuts(_SENTENCE, goal, 0)):
        for number, (start, end, ask) in enumerate(_pieces(goal, s_start, s_end)):
            found.append((start, end, ask, number == 0 and index > 0))
    if not found:
        return []
    merged: list[tuple[int, int, bool]] = []
    waiting: tuple[int, bool] | None = None
    for start, end, ask, hard in found:
        if not ask:
            waiting = waiting or (start, hard)
            continue
        if waiting is not None:
            (start, hard), waiting = waiting, None
        merged.append((start, end, hard))
    if waiting is not None:
        if merged:
            merged[-1] = (merged[-1][0], found[-1][1], merged[-1][2])
        else:
            merged.append((found[0][0], found[-1][1], False))
    pieces: list[Fragment] = []
    for start, end, hard in merged:
        raw = goal[start:end]
        text = tidy(raw)
        if text:
            begin = start + max(raw.find(text), 0)
            pieces.append(Fragment(text, begin, begin + len(text), hard and bool(pieces)))
    return pieces


def joined(goal: str, first: Fragment, last: Fragment) -> str:
    """The goal's text from `first` to `last`, connectives kept, ends tidied."""
    return tidy(goal[first.start : last.end])


def main_clause(clause: str) -> str | None:
    """`Fix the crash in the cart page` out of `... when the cart is empty`.

    The clause up to its first subordinate clause (`when`, `if`, `unless`, `once`,
    `because`, `while`, `until`, `after`, `before`); None when it has none or
    nothing comes before it.
    """
    found = _SUBORDINATE.search(clause)
    if found is None:
        return None
    return tidy(clause[: found.start()]) or None


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
