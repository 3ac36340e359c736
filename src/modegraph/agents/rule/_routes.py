"""Where each clause of a goal goes: a target, the role itself, or nobody.

Longer than 400 lines: the routing rules (clauses, modifiers, evidence, ties,
coverage) read as one decision procedure, documented rule by rule.

`Router` decides one turn. It cuts the goal into fragments (`_clauses`), scores
each against the profile of every allowed target and of the role itself
(`_text_match`), groups fragments into clauses, and gives each clause one of three
dispositions:

- `HANDOFF`: a target covers it. A target *covers* a clause when its score
  reaches the floor (`min_score`, or `COORDINATOR_SCORE` for a coordinator) on
  enough evidence (`MIN_EVIDENCE`); in a *foreign* clause, mostly in words no
  profile knows (`FOREIGN_SHARE`), more than its leading verb must match. A worker or
  a lead hands a covered clause off only when, on top of that, the target beats
  the role's own score by the margin, partly on words that are more the target's
  own, and no other target nearly ties with it. A *coordinator* (see
  `is_coordinator`) keeps nothing it could hand off: it gives every covered
  clause to the best target, unless that target scores under `_CONFIDENT` and
  another nearly ties with it (within `_RIVAL_MARGIN`), or, at any score, when its
  match is only in its prompt's body (no word but a common leading verb or a generic
  noun in a field that says what it does) and another nearly ties with it: in a
  catalog of a hundred overlapping roles such a call is noise, and the clause is
  reported uncovered with the tied roles rather than handed to a wrong one.
- `KEPT`: no target takes it and the role's own profile covers it (`OWN_SCORE`,
  `OWN_EVIDENCE`), or a target covers it but not clearly enough for a worker to
  hand it off.
- `UNCOVERED`: neither. The clause is not done, and the report says so with the
  closest targets and their scores.

A best target whose match rests on one word of the clause (`image` in `Build a Docker
image`) yields to a target that covers it on two or more, that word among them
(`Router._corroborated_first`); copies of one prompt under two names are no rivals. A
request whose object no role works with (`order pizza for the team`: `Router.stray`),
or that is the asker's own and named by no role (`pick up my dry cleaning`), counts as
foreign. The role named for what a request asks for comes first
(`Router._named_first`): not one named for what the work is about (`sales` in `Build a
React dashboard for sales metrics`), nor one whose name adds a specialisation nobody
asked for (`react-native-expert`); a role that does the kind of work the object names
(`docs` in `Update the API docs`) comes before one named for what the work is about
(`Router._kind_first`); a role that says what is asked comes before one whose only
describing word is generic (`app`). A common verb one target alone is named for
(`integrate`) is evidence for it, and a move is scored without what it leaves
(`from React Native` in `Migrate ... from React Native to Flutter`).

A target is also scored through the modes it delegates to (`REACH_HOPS`,
`REACH_DECAY`): work for a mode the turn cannot reach goes to the target that can.

Fragments of a sentence that say too little to be routed alone (`answers 202
right away`) are details of the clause next to them and join it; fragments in
words the catalog does not know (`find me cheap flights to Lisbon`) stay apart,
and so does a request of its own nobody covers (`own_request`: `plan the menu for
our office party`) unless it follows up the clause before it in its sentence, so an
uncovered part is reported on its own and never folded into another part.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from modegraph.agents.protocol import AllowedTarget
from modegraph.agents.rule._clauses import (
    Fragment,
    fragments,
    items,
    joined,
    main_clause,
    modifier_split,
    opens_request,
)
from modegraph.agents.rule._lexicon import EVERYDAY_VERBS
from modegraph.agents.rule._profiles import Profile, without_negations
from modegraph.agents.rule._text_match import (
    DESCRIBING_WEIGHT,
    GENERIC_TERMS,
    ORDINARY_TERMS,
    Match,
    Vocabulary,
    Weighed,
    asked_object,
    clause_terms,
    content_terms,
    family_of,
    kindred,
    match_weighed,
    object_kind,
    object_terms,
    personal,
    request_object,
    stem,
    terms_and_words,
    without_origin,
    work_kinds,
)
from modegraph.modes.model import Mode, SourceFormat
from modegraph.roles.levels import Tier, parse_level

__all__ = [
    "COORDINATOR_SCORE",
    "FOREIGN_SHARE",
    "FOREIGN_WORDS",
    "MIN_EVIDENCE",
    "OWN_EVIDENCE",
    "OWN_SCORE",
    "REACH_DECAY",
    "REACH_HOPS",
    "ClauseRoute",
    "Disposition",
    "Router",
    "is_coordinator",
]

MIN_EVIDENCE = 1.75
"""The least evidence (`Match.evidence`) a target needs to cover a clause: one term
in its name, tags, stack or edge note (a same-family word there, 3 x 0.6, reaches
it), or two in its description, whenToUse and capabilities. One word of a
description is not enough to hand a clause over."""

COORDINATOR_SCORE = 0.3
"""The least score a target needs to cover a clause when the role is a coordinator."""

OWN_SCORE = 0.3
"""The least score the role's own profile needs on a clause to keep it. Below it
(a score of 0 above all) the role has not done the clause: it is uncovered."""

OWN_EVIDENCE = MIN_EVIDENCE
"""The least evidence the role's own profile needs on a clause to keep it: what a
target needs to cover it."""

FOREIGN_SHARE = 0.5
"""A clause is *foreign* when at least this share of its content words, and at least
`FOREIGN_WORDS` of them, are unknown to every profile of the catalog (`a toast for
my sister's wedding`): it is never a detail of the clause next to it."""

FOREIGN_WORDS = 2
"""The least unknown words a foreign clause has."""

REACH_DECAY = 0.85
"""How much a target's score keeps per hop when it comes from a mode the target
hands work on to (its delegates, up to `REACH_HOPS` deep)."""

REACH_HOPS = 2
"""How many delegate hops beyond a target its reach goes."""

CANDIDATES = 3
"""How many closest targets an uncovered clause reports."""

_HEAD_TERMS = 2
"""The least known terms the head of a clause needs to stand alone after a modifier split."""

_OWN_EVIDENCE_SHARE = 0.5
"""The share of the score floor a worker's target must reach on terms that are more its own."""

_ITEM_SHARE = 0.75
"""Modifier items leave their head only when, read with it, their target scores at
least this share of the head's target: a side remark stays with the main job."""

_RIVAL_MARGIN = 1.1
"""How much a worker's best target must beat the next one by: a near tie is no clear call."""

_OWN_SHARE = 0.5
"""A term is more a target's own when the role's profile weighs it less than this share."""

_DISTINCTIVE_VERB = 0.5
"""A leading verb whose IDF is at least this share of the highest says what kind of work
a foreign clause is (`Ingest the orders feed ...`), so it counts as evidence."""

_CONFIDENT = 0.6
"""A handoff scoring under this next to one at or above it in the same sentence is a
detail of that job (`Router._faint`)."""

_SHORT = 2
"""A fragment of at most this many words joins the one before it (`signup and login`)."""

_REQUEST_TERMS = 2
"""The least content words besides its verb a fragment that opens a request needs to be
a request of its own (`plan the menu for the party`), never a detail of its neighbour
(`make it fast`)."""

_ACTING = 0.75
"""The least profile weight of a clause's leading verb for a near-tied target to be
preferred for it (`Router._ranked`): the body of the role's prompt, not its notes."""

_EVERYDAY = frozenset(stem(verb) for verb in EVERYDAY_VERBS)

_IDENTITY_WEIGHT = 2.5
"""The least profile weight of a field that names the role (name, tags, stack, edge
note): an ordinary noun of software work there is the role's own kind of work."""

_BODY_TERMS = 2
"""How many of a clause's words must meet in the body of a role's prompt, when none is in
a field that says what the role does, to count as the kind of work (`_domain`)."""

_LONE_MARGIN = 1.25
"""How far a target whose match rests on one word may score above a target whose match
rests on several before the latter comes first (`Router._corroborated_first`)."""

_OBJECT_MARGIN = 1.5
"""How far below a role named for a word outside the request's object a role named for a
word of its object may score and still come first (`Router._named_first`)."""

_ROLE_NOUN = 3
"""In how many of the targets' names a word must be to be a role noun (`expert`,
`engineer`), not what a role specialises in."""

_CORROBORATING = 2
"""How many of a clause's words (generic nouns and a common verb aside) must match in
one target for the match to rest on more than one word."""

_MAX_GROUP = 8
"""The most fragments one clause joins: longer runs start a new clause (for the same
target they meet again in one handoff), so routing stays linear in the goal's length."""


_CONTINUING = frozenset(
    """
    with for to in on at by from into onto so that which who whose where when while
    because since until after before without via than as if unless whether
    """.split()
)
"""Words that open a fragment continuing the clause before it (`..., with a guard so
nobody can ...`, `..., so we can ship Spanish`): prepositions, conjunctions and
relative words, English grammar rather than any catalog's vocabulary."""

_NOUN_PHRASE = frozenset(
    "a an the our my your their its his her this that these those some any all each every".split()
)
"""Words that open a noun phrase: a list item (`..., plus the IAM roles`) that may name
another role's work, but is no request of its own."""


def continues(text: str) -> bool:
    """Whether a fragment continues the clause before it rather than asking for more.

    It opens with a preposition, a conjunction or a relative word, or with a verb
    in `-s`, `-ing` or `-ed` that shares the clause's subject (`..., finds duplicate
    photos`, `..., doing the processing afterwards`).
    """
    words = text.split()
    first = words[0].lower().strip("\"'(`") if words else ""
    if first in _CONTINUING:
        return True
    if len(first) <= 3 or not first.isalpha() or first in _NOUN_PHRASE:
        return False
    if first.endswith("ing"):
        return any(ch in "aeiouy" for ch in first[:-3])  # doing, using; not bring, thing
    if len(first) <= 4 or first.endswith(("ss", "us", "is", "eed")):
        return False  # access, focus, analysis; speed, need: not inflections
    return first.endswith(("s", "ed"))


def opens(text: str) -> bool:
    """Whether a fragment makes a request of its own (an imperative, not a list item)."""
    words = text.split()
    first = words[0].lower() if words else ""
    return bool(first) and first not in _NOUN_PHRASE and not continues(text)


_SEPARATE = re.compile(r"\b(?:also|additionally|separately)\W*$", re.IGNORECASE)
"""`Also`, `additionally`, `separately` just before a fragment: it asks for more."""


def separate(goal: str, piece: Fragment) -> bool:
    """Whether `piece` is set apart from the clause before it.

    It opens a sentence (`... REST API. Plan the menu ...`), or `also`,
    `additionally` or `separately` introduces it (`... and also plan the menu ...`).
    """
    before = goal[max(0, piece.start - 40) : piece.start]
    return piece.hard or _SEPARATE.search(before) is not None


def own_request(text: str) -> bool:
    """Whether a clause asks for work of its own, in words of its own.

    It opens a request (`opens`, and a request verb or a verb with its object:
    `plan the menu for our holiday party`, `add a regression test`) and names at
    least `_REQUEST_TERMS` content words besides its verb, or one when its verb takes
    an object of its own (`write the changelog`, `research our competitors`). Such a
    clause is never a detail of the clause next to it: when no role covers it, it is
    reported uncovered on its own, whatever the words (`make it fast` is a detail).
    """
    if not opens(text) or not opens_request(text, initial=True):
        return False
    terms, action = clause_terms(without_negations(text))
    words = text.lower().split()
    least = 1 if len(words) > 1 and words[1] in _OWN_OBJECT else _REQUEST_TERMS
    return len([t for t in terms if t != action and not t.isdigit()]) >= least


_OWN_OBJECT = frozenset("a an the our my your".split())
"""Words that open an object of a request's own (`write the changelog`, `research our
competitors`): one content word after them is a request of its own, not a detail."""


def _points_back(text: str) -> bool:
    """Whether a request's object starts with a word pointing back (`edit those patients`)."""
    words = text.lower().split()
    return len(words) > 1 and words[1] in _BACK


_BACK = frozenset("it its them their those these this that they each".split())
"""Words that point back to something named before (not an object of a request's own)."""


def _domain(
    match: Match,
    evidence: frozenset[str],
    *,
    generic: bool = False,
    noted: frozenset[str] = frozenset(),
) -> bool:
    """Whether `evidence` (matched terms of `match`) says what kind of work the clause is.

    One of its terms says so (`Match.strong`: in the role's name, description or
    another field that says what it does), or
    `_BODY_TERMS` of them meet in the rest of the role's prompt (`Exchange Online
    mailboxes` in an admin's prompt). One word of a prompt's body (`sink` in a
    front-end security prompt, for `call the plumber about the leaking sink`) is a
    shared word, not the kind of work. Nor is one ordinary noun of software work
    (`_lexicon.GENERIC_NOUNS`: `page` in `Add a login page`, for an SEO role whose
    description is about pages competing in search): every software role has
    pages, users and files. Unless it names the role (`_IDENTITY_WEIGHT`: its name,
    tags or stack: `login` for an auth specialist), or the role keeps the clause
    itself (`generic`): the clause was given to it. A generic noun that only the note
    of the edge to the role says (`noted`: `user` in `For READMEs, user guides and
    release notes`) names the kind of things the edge is for, not the role's work.
    """
    weights = dict(match.weights)
    return len(evidence - GENERIC_TERMS) >= _BODY_TERMS or any(
        generic
        or term not in GENERIC_TERMS
        or (weights.get(term, 0.0) >= _IDENTITY_WEIGHT and term not in noted)
        for term in evidence & match.strong
    )


class Disposition(StrEnum):
    """What becomes of a clause."""

    HANDOFF = "handoff"
    """A target takes it."""
    KEPT = "kept"
    """The role keeps it: its own profile covers it."""
    UNCOVERED = "uncovered"
    """Nobody covers it: not done."""


@dataclass(frozen=True)
class ClauseRoute:
    """Where one clause goes and why."""

    clause: str
    """The clause, as written in the goal."""
    target: str | None
    """Slug of the target it is handed to, or None when the role keeps it or nobody covers it."""
    best: Match | None
    """The best target's match."""
    own: Match
    """The role's own match."""
    disposition: Disposition = Disposition.KEPT
    """Handed off, kept, or uncovered."""
    closest: tuple[Match, ...] = field(default=())
    """The best-scoring targets, best first (at most `CANDIDATES`)."""
    foreign: float = 0.0
    """The share of the clause's content words no profile of the catalog knows."""
    tie: bool = False
    """True when a coordinator left it uncovered because its closest targets nearly tie
    on a score under `_CONFIDENT`, or two roles that do the kind of work asked for nearly
    tie (`Router._kind_first`): no clear call."""
    stray: tuple[str, ...] = ()
    """The words (as written) of the request's object when no role does that thing
    (`Router.stray`: `pizza` in `order pizza for the team`): the clause counts as
    foreign."""
    errand: bool = False
    """True when the object is stray only because it is the asker's own (`pick up my
    dry cleaning`): prompts use its words, in a software sense, and no role is named
    for them."""


def is_coordinator(mode: Mode, targets: Sequence[AllowedTarget], catalog: frozenset[str]) -> bool:
    """True for a role whose job is to hand work on.

    A role is a coordinator when it has targets and one of: its level is executive
    (Roo Commander's `000`); it may hand work to every other mode of the catalog (a
    built-in or catalog orchestrator); it is a Roo Code mode with no tool group at
    all (`"groups": []`: it can only talk and assign).
    """
    if not targets:
        return False
    if parse_level(mode.level).tier is Tier.EXECUTIVE:
        return True
    others = catalog - {mode.slug}
    if len(others) >= 2 and others <= {t.mode.slug for t in targets}:
        return True
    return mode.source.format is SourceFormat.ROOMODES and not mode.tool_groups


class Router:
    """Routes the clauses of one turn's goal.

    Args:
        own: The role taking the turn and its profile.
        targets: The allowed targets (not in the chain) and their profiles.
        vocabulary: Term weights over the catalog.
        coordinator: Whether the role keeps nothing it could hand off.
        min_score: The score floor for a target to cover a clause.
        margin: How much a worker's target must beat the role's own score by.
    """

    def __init__(
        self,
        *,
        own: Profile,
        targets: Sequence[Profile],
        reach: Sequence[Sequence[tuple[Profile, int]]] = (),
        vocabulary: Vocabulary,
        coordinator: bool,
        min_score: float,
        margin: float,
    ) -> None:
        self._own = own
        self._targets = list(targets)
        self._reach = [list(r) for r in reach] or [[] for _ in self._targets]
        self._vocabulary = vocabulary
        self._coordinator = coordinator
        self._min_score = min_score
        self._margin = margin
        self._decided: dict[str, ClauseRoute] = {}
        self._bodies = {p.slug: p.body for p in self._targets}
        self._profiles = {p.slug: p for p in self._targets}
        self._names = {
            p.slug: frozenset(t for t, o in p.origin.items() if o == "name") for p in self._targets
        }
        counts: dict[str, int] = {}
        for names in self._names.values():
            for term in names:
                counts[term] = counts.get(term, 0) + 1
        self._role_nouns = frozenset(t for t, n in counts.items() if n >= _ROLE_NOUN)
        owners: dict[str, list[str]] = {}
        for slug, names in self._names.items():
            for term in names:
                owners.setdefault(term, []).append(slug)
        self._name_owners = {t: tuple(s) for t, s in owners.items()}
        """Each name term and the targets named for it."""

    @property
    def coordinator(self) -> bool:
        """Whether the role keeps nothing it could hand off."""
        return self._coordinator

    # -- one clause -----------------------------------------------------------

    def scores(self, text: str) -> tuple[Match, list[Match]]:
        """The role's own match and every target's match for `text`.

        A negated part of the clause (`but don't change any code yet`) is a
        constraint on the work, not work: it is left out of the match.
        """
        plain = without_origin(without_negations(text))
        terms, action = clause_terms(plain)
        weighed = self._vocabulary.weigh(terms, action=action, kinds=work_kinds(plain))
        own = match_weighed(weighed, self._own)
        return own, [
            self._through(match_weighed(weighed, p), weighed, reach)
            for p, reach in zip(self._targets, self._reach, strict=True)
        ]

    @staticmethod
    def _through(direct: Match, weighed: Weighed, reach: Sequence[tuple[Profile, int]]) -> Match:
        """A target's match, or better, that of a mode it hands work on to, discounted.

        Work for a role the turn cannot reach goes to the target that can
        (`react-specialist` through `frontend-developer`): each hop on the way
        multiplies the score by `REACH_DECAY`, so a target that fits as well itself
        is preferred.
        """
        best = direct
        for profile, hops in reach:
            match = match_weighed(weighed, profile)
            factor = REACH_DECAY**hops
            if match.score * factor > best.score:
                best = replace(
                    match,
                    slug=direct.slug,
                    score=match.score * factor,
                    gains=tuple((t, g * factor) for t, g in match.gains),
                    via=profile.slug,
                )
        return best

    def foreign(self, text: str) -> float:
        """The share of `text`'s content words that no profile of the catalog knows.

        0 when fewer than `FOREIGN_WORDS` words are unknown: one unknown word (a
        product name, `pagination`) does not make a clause foreign.
        """
        terms = [t for t in content_terms(without_negations(text)) if not t.isdigit()]
        unknown = sum(not self._vocabulary.knows(t) and t not in ORDINARY_TERMS for t in terms)
        if unknown < FOREIGN_WORDS:
            return 0.0
        return unknown / len(terms)

    def stray(self, text: str) -> tuple[str, ...]:
        """The words of a request's object when no role does that thing, else nothing.

        A request (`order pizza for the team`, `renew my passport`) is about its direct
        object (`_text_match.object_terms`). It is no role's work when no word of the
        object is familiar to the catalog (`Vocabulary.familiar`: `pizza` is in no
        profile, `passport` only in passing in one PHP prompt that names Laravel
        Passport), none is an ordinary word of software work, nor is any other word of
        the clause (`turn the nav into a burger menu`), and the object does not point
        back (`edit those patients`, `give each one an owner`). Such a clause is read
        as foreign: its verb and a word after a preposition (`team`) do not hand it to
        anyone, and it is never a detail of the clause next to it.
        """
        plain = without_negations(text)
        if not opens(plain) or not opens_request(plain, initial=True) or _points_back(plain):
            return ()
        terms = [t for t in object_terms(plain) if not t.isdigit()]
        known = self._vocabulary.named if personal(plain) else self._vocabulary.familiar
        if not terms or any(t in ORDINARY_TERMS or known(t) for t in terms):
            return ()
        rest, action = clause_terms(plain)
        if any(t in ORDINARY_TERMS for t in rest if t != action):
            return ()  # `turn the nav into a burger menu`: the rest says it is software work
        surface = dict(terms_and_words(plain))
        return tuple(surface.get(t, t) for t in terms)

    def covers(
        self,
        match: Match | None,
        *,
        foreign: float = 0.0,
        action: str | None = None,
        stray: frozenset[str] = frozenset(),
    ) -> bool:
        """Whether a target's match reaches the floor on enough evidence.

        A coordinator's floor is `COORDINATOR_SCORE`: it needs no margin over its own
        score, only a target that accounts for enough of the clause. In a foreign
        clause (`write a wedding toast for my sister`) the leading verb is no
        evidence: some other word must match, and for a coordinator, which has no
        margin over its own score to clear, two (`Bake a chocolate cake for the team
        party` is not the backend lead's work because its tags say `team`). A
        distinctive leading verb (`ingest`, `containerize`: its IDF at least
        `_DISTINCTIVE_VERB` of the highest) is evidence like any other word;
        a common one (`write`, `build`) is not. Nor, in a foreign clause, is a word
        the catalog does not work with (`Vocabulary.familiar`: `story` in `Write a
        short story about a dragon`, where one mode's notes say `user stories`), nor,
        in a request whose object is no role's work (`stray`: `dry`, `cleaning` in
        `pick up my dry cleaning`), a word of that object. A word this role says in
        what it does, or met through its kind of work (`flowchart` for a role that
        draws diagrams), is the catalog's work.
        """
        floor = COORDINATOR_SCORE if self._coordinator else self._min_score
        if match is None or match.score < floor or match.evidence < MIN_EVIDENCE:
            return False
        evidence = self._evidence(match, action) - stray
        if foreign >= FOREIGN_SHARE:
            familiar = self._vocabulary.familiar
            known = match.kin | match.strong
            evidence = frozenset(t for t in evidence if t in known or familiar(t))
        profile = None if match.via else self._profiles.get(match.slug)
        noted = frozenset(
            t for t in evidence & GENERIC_TERMS if profile and profile.origin.get(t) == "note"
        )
        if not _domain(match, evidence, noted=noted):
            return False
        if foreign < FOREIGN_SHARE:
            return bool(evidence)
        return len(evidence) >= (2 if self._coordinator else 1)

    def _evidence(self, match: Match, action: str | None) -> frozenset[str]:
        """The terms of `match` that count as evidence: all but a common leading verb.

        A common verb (`plan`, `write`, `build`: its IDF under `_DISTINCTIVE_VERB` of
        the highest) says nothing about whose work a clause is; a distinctive one
        (`ingest`, `containerize`) does. A verb of everyday life (`call`, `email`:
        `_lexicon.EVERYDAY_VERBS`) never does, however rare it is in the catalog. A
        common verb that one target alone is named for (`Integrate the payment module`
        and SPARC's `integration` mode) says it is that target's work: for that
        target it counts.
        """
        common = action is not None and (
            action in _EVERYDAY
            or self._vocabulary.idf(action, verb=True)
            < self._vocabulary.max_idf * _DISTINCTIVE_VERB
        )
        if common and action is not None and action not in _EVERYDAY:
            owners = self._name_owners.get(action, ())
            if owners == (match.slug,):
                common = False
        return frozenset(match.terms - {action} if common else match.terms)

    def decide(self, text: str) -> ClauseRoute:
        """The disposition of one clause (memoized per text)."""
        known = self._decided.get(text)
        if known is not None:
            return known
        own, matches = self.scores(text)
        action = clause_terms(without_negations(text))[1]
        foreign = self.foreign(text)
        stray = self.stray(text) if foreign < FOREIGN_SHARE else ()
        alien = FOREIGN_SHARE if stray else foreign
        beside = frozenset(object_terms(without_negations(text))) if stray else frozenset()

        def fits(match: Match | None) -> bool:
            return self.covers(match, foreign=alien, action=action, stray=beside)

        ranked = self._corroborated_first(self._ranked(matches, action, fits), action, fits)
        ranked = self._named_first(ranked, without_negations(text), fits)
        ranked, unclear = self._kind_first(ranked, without_negations(text), fits)
        best = ranked[0] if ranked else None
        thing = frozenset(object_terms(without_negations(text)))
        rival = next(
            (
                m.score
                for m in ranked[1:]
                if not self._copy(m, best) and self._rivals(m, best, thing)
            ),
            0.0,
        )
        closest = tuple(m for m in ranked[:CANDIDATES] if m.score > 0.0)
        # a near tie is no clear call under `_CONFIDENT`, nor at any score when the best
        # target matched only in its prompt's body, but for a common verb or a generic
        # noun (`Configure Prometheus alerts`: two developer prompts that mention both
        # in passing; `Build a Docker image`: `build` in an ML engineer's description)
        clear = best is not None and (
            (best.score >= _CONFIDENT and self._describes(best, action))
            or best.score >= rival * _RIVAL_MARGIN
        )
        # a worker that cannot keep the clause itself (its own score under `OWN_SCORE`)
        # weighs a near tie as a coordinator does: it hands the clause on or reports it
        tie = (self._coordinator or own.score < OWN_SCORE) and (not clear or unclear)
        keeps = (
            own.score >= OWN_SCORE
            and own.evidence >= OWN_EVIDENCE
            and _domain(own, self._evidence(own, action), generic=True)
        )
        if best is not None and not tie and fits(best):
            taken = self._coordinator or (
                self._beats(best, own)
                and (best.score >= rival * _RIVAL_MARGIN or own.score < OWN_SCORE)
            )
            target = best.slug if taken else None
            disposition = Disposition.HANDOFF if taken else Disposition.KEPT
        else:
            target = None
            disposition = Disposition.KEPT if keeps else Disposition.UNCOVERED
        tied = tie and disposition is Disposition.UNCOVERED
        errand = bool(stray) and any(self._vocabulary.familiar(t) for t in beside)
        route = ClauseRoute(
            text, target, best, own, disposition, closest, foreign, tied, stray, errand
        )
        self._decided[text] = route
        return route

    @staticmethod
    def _ranked(
        matches: Sequence[Match], action: str | None, fits: Callable[[Match], bool]
    ) -> list[Match]:
        """Targets best first; on a near tie, the one that does the clause's action first.

        Scores within `_RIVAL_MARGIN` of the best are a near tie. Among them a target
        whose profile has the clause's leading verb (`Build a users API`: the role
        that builds, not the one whose note mentions users and APIs) comes first,
        then the higher score, then the slug. Only a target that `fits` the clause
        (covers it), and whose prompt has the verb (`_ACTING`: not only its custom
        instructions or workflow notes), is moved up so: a verb is no reason to
        prefer a role that has nothing else of the clause (`Fix a memory leak in the
        React frontend` is not the file-repair mode's because its tags say `fix`, nor
        the Remix mode's because its notes do).
        """
        ranked = sorted(matches, key=lambda m: (-m.score, -m.evidence, m.slug))
        if not ranked or action is None:
            return ranked
        near = [m for m in ranked if m.score * _RIVAL_MARGIN >= ranked[0].score]
        acting = [m for m in near if dict(m.weights).get(action, 0.0) >= _ACTING and fits(m)]
        if not acting or acting[0] is ranked[0]:
            return ranked
        return [acting[0], *(m for m in ranked if m is not acting[0])]

    def _corroborated_first(
        self, ranked: list[Match], action: str | None, fits: Callable[[Match], bool]
    ) -> list[Match]:
        """Targets best first; a best target whose match rests on one word moved behind.

        When the best target's evidence is one word (`_lone`: `image` for an image
        generator, in `Build a Docker image for the service`; `React`, besides the
        common verb, for a refactoring role, in `Refactor the React checkout form to
        use hooks`), that word may be meant in another sense or say only where the
        work happens. The first target that covers the clause on two or more of its
        words (`Docker` and `image`; `React` and `hooks`) and scores within
        `_LONE_MARGIN` of the best one's score on its evidence (a common leading verb
        says nothing about whose work a clause is) comes first: two words of the
        clause meeting in one role say what the work is. A target resting on one
        word (`checkout` for a payments role) is no better a pick. The targets passed
        over go last: they are no rivals of the one chosen.
        """
        lead = ranked[0] if ranked else None
        if lead is None or lead.score <= 0.0 or not self._lone(lead, action):
            return ranked
        verb = sum(
            g for t, g in lead.gains if t == action and t not in self._evidence(lead, action)
        )
        floor = (lead.score - verb / lead.total) / _LONE_MARGIN if lead.total else lead.score
        word = self._backing(lead, action)
        backed = next(
            (
                m
                for m in ranked[1:]
                if m.score >= floor and word <= m.terms and not self._lone(m, action) and fits(m)
            ),
            None,
        )
        if backed is None:
            return ranked
        rest = [m for m in ranked if m is not backed]
        return [backed, *sorted(rest, key=lambda m: m.score > backed.score)]

    def _named_first(
        self, ranked: list[Match], text: str, fits: Callable[[Match], bool]
    ) -> list[Match]:
        """Targets best first; a role named for what the request asks for before others.

        A best target named for a word outside the request's object and verb (`sales`
        in `Build a React dashboard for sales metrics`: the subject, not the work), and
        with no word of the object in a field that says what it does, yields to a
        target that covers the clause, is named for a word of its object
        (`React`) and scores within `_OBJECT_MARGIN` of it. What a request asks for is
        its object without generic nouns (`asked_object`), or, when the object is
        only generic nouns (`Audit the app for security holes`), the words after it. A
        best target that says none of it in what it does, at most a generic noun or a
        common verb (`app` in a Next.js role's tags), yields likewise to a target that
        says a word of it (`security`). Then a best target whose
        name adds a word the clause does not have (`react-native-expert` for `Build a
        React dashboard`: a specialisation nobody asked for; words many names share,
        `expert`, `engineer`, aside) yields to one named for the same words without
        it (`react-expert`) that scores within `_LONE_MARGIN`.
        """
        if not ranked or ranked[0].score <= 0.0:
            return ranked
        terms, action = clause_terms(text)
        thing = frozenset(asked_object(text))
        asked = set(thing) | ({action} if action else set())

        named = self._named

        def unasked(match: Match) -> bool:
            return any(
                not any(kindred(t, n) for t in terms)
                for n in self._names.get(match.slug, frozenset()) - self._role_nouns
            )

        def first(pick: Match) -> list[Match]:
            return [pick, *(m for m in ranked if m is not pick)]

        lead = ranked[0]
        if named(lead) and not named(lead) & asked and not lead.strong & thing:
            pick = next(
                (
                    m
                    for m in ranked[1:]
                    if m.score * _OBJECT_MARGIN >= lead.score and named(m) & asked and fits(m)
                ),
                None,
            )
            if pick is not None:
                ranked, lead = first(pick), pick
        if thing and not self._describes(lead, action) and not lead.strong & thing:
            # the best target says in what it does none of what is asked, at most a
            # generic noun (`app` in a Next.js role's tags, in `Audit the app for
            # security holes`): a target that says a word of it comes first, unless it
            # scores above the lead, passed over for resting on one word
            pick = next(
                (
                    m
                    for m in ranked[1:]
                    if lead.score >= m.score
                    and m.score * _OBJECT_MARGIN >= lead.score
                    and m.strong & thing
                    and fits(m)
                ),
                None,
            )
            if pick is not None:
                ranked, lead = first(pick), pick
        if named(lead) and unasked(lead):
            pick = next(
                (
                    m
                    for m in ranked[1:]
                    if m.score * _LONE_MARGIN >= lead.score
                    and named(lead) <= named(m)
                    and not unasked(m)
                    and fits(m)
                ),
                None,
            )
            if pick is not None:
                ranked = first(pick)
        return ranked

    def _describes(self, match: Match, action: str | None) -> bool:
        """Whether a word of the clause is in a field that says what the role does.

        A common leading verb (`build`) and generic nouns (`page`, `user`) aside.
        """
        return bool(match.strong & self._evidence(match, action) - GENERIC_TERMS)

    def _named(self, match: Match) -> frozenset[str]:
        """The clause's matched terms its role is named for (words many names share aside)."""
        names = self._names.get(match.slug, frozenset()) - self._role_nouns
        return frozenset(t for t, _ in match.weights if any(kindred(t, n) for n in names))

    def _does(self, slug: str, kinds: frozenset[str]) -> bool:
        """Whether the role of `slug` says it does one of the kinds of work `kinds`.

        A word of the kind, or of its family (`docs` and `documentation`), in a field
        that says what the role does (`DESCRIBING_WEIGHT`), not only in its prompt.
        """
        profile = self._profiles.get(slug)
        if profile is None:
            return False
        weights = profile.weights
        return any(
            weights.get(term, 0.0) >= DESCRIBING_WEIGHT
            for kind in kinds
            for term in (kind, *family_of(kind))
        )

    def _kind_first(
        self, ranked: list[Match], text: str, fits: Callable[[Match], bool]
    ) -> tuple[list[Match], bool]:
        """Targets best first; a role that does the kind of work asked for before others.

        When the head of a request's object (its last word, `object_kind`) names a kind
        of work (`docs` in `Update the API docs`; not `database` in `Move the app's
        database access to async sessions`, which only says what is moved), a best
        target named for another word of the object (`openai-api-expert`: the API is
        what the docs are about) that does not say it does that work (no word of the
        kind or its family in its name or description, only in its prompt's body)
        yields to the first target that covers the clause, says it does that work and
        scores within `_OBJECT_MARGIN` of it. A role named for where the work happens
        (`Postgres` in `Tune the slow queries in Postgres`) keeps it. When two targets
        that do the work (not copies of one role) nearly tie (`_RIVAL_MARGIN`), the
        call is unclear (the second value): a coordinator reports the clause uncovered
        with them rather than give it to the one whose name only says the subject.
        """
        kinds = object_kind(text)
        if not kinds or not ranked or ranked[0].score <= 0.0:
            return ranked, False
        lead = ranked[0]
        subject = frozenset(request_object(text)) - kinds
        if self._does(lead.slug, kinds) or not self._named(lead) & subject:
            return ranked, False
        doers = [
            m
            for m in ranked[1:]
            if m.score * _OBJECT_MARGIN >= lead.score and self._does(m.slug, kinds) and fits(m)
        ]
        if not doers:
            return ranked, False
        pick = doers[0]
        tied = [
            m
            for m in doers[1:]
            if m.score * _RIVAL_MARGIN >= pick.score and not self._copy(m, pick)
        ]
        first = [pick, *tied]
        return [*first, *(m for m in ranked if all(m is not f for f in first))], bool(tied)

    def _backing(self, match: Match, action: str | None) -> frozenset[str]:
        """The words a match rests on.

        Its evidence in the role's prompt or in a field that says what the role does
        (`_ACTING`), generic nouns and a common verb aside.
        """
        weights = dict(match.weights)
        return frozenset(
            term
            for term in self._evidence(match, action) - GENERIC_TERMS
            if weights.get(term, 0.0) >= _ACTING
        )

    def _lone(self, match: Match, action: str | None) -> bool:
        """Whether a match rests on one word (`_backing`)."""
        return len(self._backing(match, action)) < _CORROBORATING

    @staticmethod
    def _rivals(match: Match, best: Match | None, thing: frozenset[str]) -> bool:
        """Whether `match` is a rival of `best` on a near tie.

        When the best target has a word of the request's object (`thing`) in a field
        that says what it does, a target that weighs the object's words less than
        half as much (`_OWN_SHARE`) is no rival (`Train a sentiment classifier on our
        support tickets`: the language role says `sentiment`; the customer success
        role's prompt only mentions sentiment, support and tickets).
        """
        if best is None or not best.strong & thing:
            return True
        mine, theirs = dict(match.weights), dict(best.weights)
        ours = sum(theirs.get(t, 0.0) for t in thing)
        return sum(mine.get(t, 0.0) for t in thing) >= ours * _OWN_SHARE

    def _copy(self, match: Match, best: Match | None) -> bool:
        """Whether `match` is a copy of `best`'s role (one prompt under two names).

        A catalog that ships one agent in several plugins (`a-frontend-developer`,
        `b-frontend-developer`) has copies that tie on every clause: they are one
        role, no rival.
        """
        if best is None or match.score != best.score:
            return False
        return self._bodies.get(match.slug, "") == self._bodies.get(best.slug) != ""

    def _beats(self, best: Match, own: Match) -> bool:
        """True when a worker's target clearly takes the clause from the role.

        Its score must beat the role's own by the margin, and it must do so on its
        own evidence: counting only the terms the role's profile lacks or weighs
        less than half as much, the target still reaches half the floor. A clause
        whose words the role uses about as much itself (`plan` for a project
        manager) stays with the role even when a target weighs them more.
        """
        return (
            best.score >= own.score * self._margin
            and best.score > own.score
            and best.score_beyond(own, share=_OWN_SHARE) >= self._min_score * _OWN_EVIDENCE_SHARE
        )

    def _own_request(self, text: str) -> bool:
        """Whether a fragment asks for work of its own (`own_request`).

        Also a request whose words past its verb are all words no profile of the
        catalog knows (`schedule a haircut`, `buy milk`), unless its object points back
        (`edit those patients`), while `make it fast` and `recommend a way forward`, in
        the catalog's words, are details of the clause next to them.
        """
        return own_request(text) or (not _points_back(text) and self._foreign_request(text))

    def _foreign_request(self, text: str) -> bool:
        """A request whose words past its verb are all unknown to the catalog (`buy milk`)."""
        if not opens(text) or not opens_request(text, initial=True):
            return False
        terms, action = clause_terms(without_negations(text))
        named = [t for t in terms if t != action and not t.isdigit()]
        return bool(named) and not any(
            self._vocabulary.knows(t) or t in ORDINARY_TERMS for t in named
        )

    def _weak(self, route: ClauseRoute) -> bool:
        """A clause nobody covers whose words the catalog knows: a detail of its neighbours."""
        return (
            route.disposition is Disposition.UNCOVERED
            and route.foreign < FOREIGN_SHARE
            and not route.stray
        )

    def foreign_clause(self, route: ClauseRoute) -> bool:
        """A clause nobody covers in words the catalog mostly does not know.

        Or whose object is no role's work (`ClauseRoute.stray`).
        """
        return route.disposition is Disposition.UNCOVERED and (
            route.foreign >= FOREIGN_SHARE or bool(route.stray)
        )

    # -- a goal -----------------------------------------------------------------

    def route(self, goal: str) -> list[ClauseRoute]:
        """The clauses of `goal` and where each goes."""
        routes: list[ClauseRoute] = []
        for grouped in self._group(goal, fragments(goal)):
            routes.extend(self._split_modifier(grouped))
        return routes

    def _group(self, goal: str, pieces: Sequence[Fragment]) -> list[ClauseRoute]:
        """Join the fragments of each sentence into clauses, then attach the weak ones.

        A fragment joins the clause before it in its sentence when it is short
        (`signup and login`), goes where that clause goes, or is weak (a detail:
        `..., answers 202 right away`). A foreign fragment always stands apart. A short
        fragment that opens a sentence joins the one after it (`Add pagination and
        filtering to the endpoint`).
        """
        runs: list[tuple[list[Fragment], ClauseRoute]] = []
        for piece in pieces:
            alone = self.decide(piece.text)
            if runs and not piece.hard and len(runs[-1][0]) < _MAX_GROUP:
                run, current = runs[-1]
                if self._joins(goal, run, current, piece, alone):
                    run.append(piece)
                    runs[-1] = (run, self._rejoined(joined(goal, run[0], run[-1]), current))
                    continue
                if len(run) == 1 and (len(runs) == 1 or run[0].hard):
                    if len(run[0].text.split()) <= _SHORT:
                        run.append(piece)
                        runs[-1] = (run, self.decide(joined(goal, run[0], piece)))
                        continue
            runs.append(([piece], alone))
        return self._attach_weak(goal, runs)

    def _rejoined(self, text: str, current: ClauseRoute) -> ClauseRoute:
        """`text` decided again; a detail that weakens it does not take it from its owner."""
        again = self.decide(text)
        if (
            again.disposition is Disposition.UNCOVERED
            and current.disposition is not again.disposition
        ):
            return ClauseRoute(
                text,
                current.target,
                current.best,
                current.own,
                current.disposition,
                current.closest,
                again.foreign,
            )
        return again

    def _joins(
        self,
        goal: str,
        run: list[Fragment],
        current: ClauseRoute,
        piece: Fragment,
        alone: ClauseRoute,
    ) -> bool:
        """Whether `piece` belongs to the clause `run` (decided as `current`)."""
        if continues(piece.text):
            return True
        if len(piece.text.split()) <= _SHORT:
            # short pieces are details (`signup and login`, `and deploy it`), unless a
            # verb asks for something in words no role of the catalog knows (`buy milk`)
            return not self._foreign_request(piece.text)
        uncovered = alone.disposition is Disposition.UNCOVERED
        if not uncovered and alone.disposition is current.disposition:
            if alone.target == current.target:
                return True
            if (
                alone.disposition is Disposition.HANDOFF
                and not opens(piece.text)
                and alone.best is not None
                and not self._describes(alone.best, None)
            ):
                # a list item (`..., and the tests on every pull request`) whose target
                # only mentions its words in its prompt is a detail of the request
                return True
            return self._ties(alone, current.target)
        if not uncovered:
            return False
        if current.disposition is Disposition.UNCOVERED:
            return not opens(piece.text)
        if self._own_request(piece.text):
            if not opens(piece.text):
                return True
            return not separate(goal, piece) and self._weak(alone) and self._related(alone, current)
        return self._weak(alone) or not opens(piece.text)

    def _related(self, alone: ClauseRoute, current: ClauseRoute) -> bool:
        """Whether `alone`, an uncovered request of its own, follows up `current`'s job.

        The role `current` goes to (its target, or the role keeping it) has a word
        of `alone` other than its leading verb (`..., and stream the results of the
        big list endpoints` after a FastAPI job). A request that shares nothing with it but a
        verb (`plan the menu for our office party` after an API job), or only a word
        of the same kind of work (`Email my landlord about the broken heater` after a
        payments job: `broken` is no `error`), is not that role's work: it stays
        apart, uncovered.
        """
        own, matches = self.scores(alone.clause)
        if current.disposition is Disposition.UNCOVERED:
            return False
        if current.target is None:
            mine: Match | None = own
        else:
            mine = next((m for m in matches if m.slug == current.target), None)
        if mine is None or mine.score <= 0.0:
            return False
        action = clause_terms(without_negations(alone.clause))[1]
        return bool(mine.terms - mine.kin - {action})

    def _ties(self, alone: ClauseRoute, target: str | None) -> bool:
        """Whether `target` nearly ties with the piece's own best target on the piece.

        On a near tie (within `_RIVAL_MARGIN`) a fragment goes where the clause
        before it goes: `Run a threat model and a security review` stays one job.
        """
        if target is None or alone.best is None:
            return False
        _, matches = self.scores(alone.clause)
        theirs = next((m.score for m in matches if m.slug == target), 0.0)
        return theirs * _RIVAL_MARGIN >= alone.best.score

    def _attach_weak(
        self, goal: str, runs: list[tuple[list[Fragment], ClauseRoute]]
    ) -> list[ClauseRoute]:
        """Weak clauses join the clause before them in their sentence, else the next one.

        A weak clause is one nobody covers in words the catalog knows (`The query
        behind /search takes 9 seconds.`, `answers 202 right away`): a detail or the
        context of the clause next to it. It joins the nearest clause that is handed
        off or kept (the one before it in the same sentence first); foreign clauses
        stay apart, and so do weak clauses with no such neighbour.
        """
        sentence: list[int] = []
        for run, _ in runs:
            sentence.append((sentence[-1] if sentence else 0) + (run[0].hard and bool(sentence)))
        faint = self._faint(runs, sentence)
        weak = [self._weak(route) or faint[i] for i, (_, route) in enumerate(runs)]
        if len(runs) < 2 or not any(weak):
            return [route for _, route in runs]
        strong = [
            route.disposition is not Disposition.UNCOVERED and not faint[i]
            for i, (_, route) in enumerate(runs)
        ]
        if not any(strong):
            return [route for _, route in runs]
        owner: list[int] = []
        for index in range(len(runs)):
            if not weak[index]:
                owner.append(index)
                continue
            before = next((i for i in range(index - 1, -1, -1) if strong[i]), None)
            after = next((i for i in range(index + 1, len(runs)) if strong[i]), None)
            same_sentence = before is not None and sentence[before] == sentence[index]
            pick = before if same_sentence or after is None else after
            if faint[index] and (pick is None or sentence[pick] != sentence[index]):
                pick = None
            run, route = runs[index]
            if pick is not None and not faint[index] and self._own_request(route.clause):
                apart = separate(goal, run[0]) or not self._related(route, runs[pick][1])
                pick = None if apart else pick
            owner.append(index if pick is None else pick)
        merged: list[ClauseRoute] = []
        for index, (_, route) in enumerate(runs):
            if owner[index] != index:
                continue
            members = [i for i in range(len(runs)) if owner[i] == index]
            if len(members) == 1:
                merged.append(route)
                continue
            adjacent = members == list(range(members[0], members[-1] + 1))
            whole = self._text_of(goal, [runs[i][0] for i in members], adjacent=adjacent)
            again = self.decide(whole)
            if again.disposition is Disposition.UNCOVERED or again.target != route.target:
                again = ClauseRoute(
                    whole,
                    route.target,
                    route.best,
                    route.own,
                    route.disposition,
                    route.closest,
                    route.foreign,
                )
            merged.append(again)
        return merged

    def _faint(
        self, runs: Sequence[tuple[list[Fragment], ClauseRoute]], sentence: Sequence[int]
    ) -> list[bool]:
        """Which clauses are handed off on a faint score next to a confident one.

        A handoff scoring under `_CONFIDENT` after a handoff at or above it in its
        sentence is a detail of that job, not a job for another role (`..., and
        stream the results of the big list endpoints`): it joins the confident
        clause. A wrong extra role costs more than a detail left with its job. A
        detail follows what it details: the sentence's requests before its first
        confident one are no details of it (`Fix the flaky login test and document
        the fix in the README`: the fix goes to the debugger, the docs to the writer).

        A subordinate clause (`Fix the crash on the cart page when the cart is
        empty`) describes its request, it is no job: a handoff whose fragments score
        confidently without it (`Router._confident`) is confident.
        """
        confident = [self._confident(run, route) for run, route in runs]
        first = {sentence[i]: i for i in range(len(runs) - 1, -1, -1) if confident[i]}
        return [
            route.disposition is Disposition.HANDOFF
            and route.best is not None
            and not confident[i]
            and first.get(sentence[i], i) < i
            for i, (_, route) in enumerate(runs)
        ]

    def _confident(self, run: Sequence[Fragment], route: ClauseRoute) -> bool:
        """Whether a handoff scores at least `_CONFIDENT`.

        As a whole, or in one of its fragments (a follow-up joined to it dilutes the
        score of the request it follows), or in a fragment read without its
        subordinate clause.
        """
        if route.disposition is not Disposition.HANDOFF or route.best is None:
            return False
        if route.best.score >= _CONFIDENT:
            return True
        for piece in run:
            for text in (piece.text, main_clause(piece.text)):
                if text is None or (text == route.clause and len(run) == 1):
                    continue
                _, matches = self.scores(text)
                if any(m.slug == route.target and m.score >= _CONFIDENT for m in matches):
                    return True
        return False

    @staticmethod
    def _text_of(goal: str, runs: Sequence[list[Fragment]], *, adjacent: bool) -> str:
        """The goal's text of `runs` (in goal order): one span when they are adjacent."""
        if adjacent:
            return joined(goal, runs[0][0], runs[-1][-1])
        return "; ".join(joined(goal, run[0], run[-1]) for run in runs)

    def _split_modifier(self, route: ClauseRoute) -> list[ClauseRoute]:
        """`Add a Postgres schema with migrations and OAuth2 login`: parts may part.

        The clause is cut at `with`/`using`/`including`/`via` into a head and the
        modifier's list items (`migrations`, `OAuth2 login`), and each is decided on
        its own. Items no profile knows a word of (`signup`) go with the next item
        that is routed, else the one before.

        A head that says enough to stand alone (two or more known terms) keeps the
        items that go where it goes; the items for another target leave a head
        routed elsewhere only when, read with the head, that target scores at least
        `_ITEM_SHARE` of the head's (`agree a contract with the payments team about
        their events` stays whole: its events are not what it is about). A thin head
        (`fit the van with brake discs and a battery`) is only context: the clause
        is cut when its items go to two or more places, else it stays whole.
        """
        parts = modifier_split(route.clause)
        if parts is None:
            return [route]
        head_text, modifier = parts
        decided = [(text, self.decide(text)) for text in items(modifier)]
        vocabulary = self._vocabulary
        thin = len(vocabulary.known_terms(content_terms(head_text))) < _HEAD_TERMS
        head = route if thin else self.decide(head_text)
        if not thin and self._weak(head):
            thin, head = True, route
        weighed: dict[str | None, bool] = {}

        def leaves(target: str | None) -> bool:
            """Whether the items for `target` hold their own against the head, together."""
            if thin or target is None or target == head.target or head.target is None:
                return True
            if target not in weighed:
                texts = [text for text, r in decided if r.target == target]
                _, matches = self.scores(f"{head_text} with {' and '.join(texts)}")
                both = {m.slug: m.score for m in matches}
                weighed[target] = both.get(target, 0.0) >= both.get(head.target, 0.0) * _ITEM_SHARE
            return weighed[target]

        owner: list[str | None] = [
            r.target if leaves(r.target) else head.target for _, r in decided
        ]
        blank = [
            not vocabulary.known_terms(content_terms(text)) or self._weak(r) for text, r in decided
        ]
        for index in range(len(decided)):
            if blank[index]:
                after = [owner[i] for i in range(index + 1, len(decided)) if not blank[i]]
                before = [owner[i] for i in range(index) if not blank[i]]
                owner[index] = (after or before or [head.target])[0]
        groups: dict[str | None, list[str]] = {}
        for (text, _), target in zip(decided, owner, strict=True):
            groups.setdefault(target, []).append(text)
        if len(groups) < 2 if thin else set(groups) == {head.target}:
            return [route]
        routes: list[ClauseRoute] = []
        if not thin:
            kept = groups.pop(head.target, [])
            head_clause = f"{head_text} with {' and '.join(kept)}" if kept else head_text
            again = self.decide(head_clause) if kept else head
            routes.append(self._as(again, head_clause, head.target))
        for target, texts in groups.items():
            item = self.decide(" and ".join(texts))
            detail = f"{' and '.join(texts)} (for: {head_text})"
            routes.append(self._as(item, detail, target))
        return routes

    def _as(self, decided: ClauseRoute, clause: str, target: str | None) -> ClauseRoute:
        """`decided`'s scores for `clause`, routed to `target` as the split chose."""
        if target is not None:
            disposition = Disposition.HANDOFF
        elif decided.disposition is Disposition.HANDOFF:
            disposition = Disposition.KEPT
        else:
            disposition = decided.disposition
        return ClauseRoute(
            clause, target, decided.best, decided.own, disposition, decided.closest, decided.foreign
        )
