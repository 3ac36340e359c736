"""Small, deterministic text matching for the rule agent: tokens, stems, profiles, scores.

Nothing here knows any catalog. A mode's *profile* is a weighted bag of stemmed
terms drawn from its fields (name and slug words, tags, stack, the note on the
edge that leads to it weigh most; description and capabilities less; the role
definition and workflow least). Term weights are scaled by an inverse document
frequency computed over the profiles of the whole catalog, so words every mode
uses ("task", "code", "project") count for little and distinctive words
("postgres", "docker", "oauth") for much; the notes of the edges into a mode count
in its document, so a word only an edge note uses still has a weight.

Stemming is conservative (`stem`): it merges a word's inflections and a few
derivations that keep its meaning, never two word families (`product` and
`production`, `public` and `publish`). A term also matches, at reduced credit,
another of its family (`test`/`tester`, `postgres`/`postgresql`). Generic words
(`fix`, `find`, `instead`) and stop words never count; a written-out phrase
(`continuous integration`) counts as its abbreviation (`ci`), not as its words.
A clause's leading verb weighs more than its other words.

Longer than 400 lines: the vocabulary, the stemmer and the field-weighted
profiles are one matching model; apart they would share most of their helpers.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from modegraph.modes.model import Mode

__all__ = [
    "ACTION_WEIGHT",
    "FIELD_WEIGHTS",
    "Match",
    "Profile",
    "Vocabulary",
    "action_of",
    "clause_terms",
    "content_terms",
    "profile_of",
    "stem",
    "tokens",
]

_TOKEN = re.compile(r"[a-z0-9]+(?:[+#][a-z0-9+#]*)?")

STOP_WORDS = frozenset(
    """
    a about above after again all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each else
    etc few for from further had has have having he her here hers him his how i if in
    into is it its itself just let like me more most my no nor not now of off on once
    only or other our ours out over own per please same she should so some such than
    that the their theirs them then there these they this those through to too under
    until up upon us very via was we were what when where which while who whom why will
    with within without would yet you your yours e g eg ie new make makes making made
    need needs needed want wants get gets set sets put one two three way ways thing
    things something sure well lot many much kind
    """.split()
)
"""English function words and empty verbs; they never decide a route."""

GENERIC_WORDS = frozenset(
    """
    add adds added adding fix fixes fixed fixing find finds found finding use uses used
    using create creates created creating update updates updated updating change changes
    changed changing check checks checked checking ensure ensures help helps handle
    handles improve improves try tries instead rather whatever everything anything
    missing broken current existing whole next last first old able right wrong good bad
    better best still already even every really actually properly
    """.split()
)
"""Words any role's work can be phrased with (generic verbs, fillers, states): they say
nothing about *whose* work a clause is, so they neither route it nor keep it."""

ABBREVIATIONS: Mapping[str, tuple[str, ...]] = {
    "auth": ("authentication", "authorization"),
    "authn": ("authentication",),
    "authz": ("authorization",),
    "db": ("database",),
    "dbs": ("database",),
    "k8s": ("kubernetes",),
    "infra": ("infrastructure",),
    "repo": ("repository",),
    "config": ("configuration",),
    "docs": ("documentation",),
    "perf": ("performance",),
}
"""Abbreviations that stand for one word each (or for either of two), expanded on both
sides. An abbreviation of a *phrase* is in `PHRASES` instead: its words alone
(`integration` in `continuous integration`) must not stand for it."""

PHRASES: Mapping[tuple[str, ...], str] = {
    ("continuous", "integration"): "ci",
    ("continuous", "delivery"): "cd",
    ("continuous", "deployment"): "cd",
    ("user", "interface"): "ui",
    ("user", "experience"): "ux",
    ("end", "to", "end"): "e2e",
}
"""Multi-word terms and their abbreviation: the phrase written out becomes the
abbreviation, so `CI` in a goal matches `continuous integration` in a profile, and
`integration tests` does not."""

_VOWELS = frozenset("aeiouy")
_MIN_STEM = 4
"""A suffix is only stripped when at least this many letters are left: short stems
(`nam` from `naming`, `cod` from `coding`) would merge unrelated words."""

_DERIVATIONAL: tuple[tuple[str, str], ...] = (
    ("izations", "iz"),
    ("isations", "iz"),
    ("ization", "iz"),
    ("isation", "iz"),
    ("ations", "at"),
    ("ation", "at"),
    ("ments", "-"),
    ("ment", "-"),
    ("ities", ""),
    ("ity", ""),
    ("ness", ""),
    ("izing", "iz"),
    ("ising", "iz"),
    ("ize", "iz"),
    ("ise", "iz"),
)
"""Derivational suffixes (and what replaces them; `-` means nothing, but only with
five letters left: `document` keeps its `ment`) that keep the word family (`migration`/`migrate`,
`deployment`/`deploy`, `security`/`secure`). Suffixes that move a word into another
family are never stripped: `-ion` alone (`production` is not `product`), `-ic`
(`public` is not `publish`), `-er` (`server` is not `serve`), `-al`, `-ive`, `-ly`."""


def _has_vowel(text: str) -> bool:
    return any(ch in _VOWELS for ch in text)


def _inflection(word: str) -> str:
    """Strip one inflectional ending: plural or third person `-s`, `-ed`, `-ing`."""
    if word.endswith("ies") and len(word) - 3 >= _MIN_STEM - 1:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1] if len(word) - 1 >= _MIN_STEM else word
    for suffix in ("ing", "ed"):
        base = word[: -len(suffix)]
        if word.endswith(suffix) and _has_vowel(base):
            if len(base) >= 2 and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]  # running -> run, but missing -> miss
            return base if len(base) >= _MIN_STEM else word
    return word


def stem(word: str) -> str:
    """A conservative, deterministic stem that never leaves a word's family.

    Inflections go (`migrations` -> `migration`, `deploying` -> `deploy`), then a few
    derivational suffixes that keep the family (`migration` and `migrate` both become
    `migrat`, `deployment` becomes `deploy`, `security` and `secure` become `secur`),
    then a final `e`. At least four letters are always left, so `naming` stays apart
    from `name`, and `production`, `public` and `server` keep their own stems.
    """
    if len(word) <= _MIN_STEM or not word.isalpha():
        return word
    word = _inflection(word)
    for suffix, replacement in _DERIVATIONAL:
        least = _MIN_STEM + 1 if replacement == "-" else _MIN_STEM
        if word.endswith(suffix) and len(word) - len(suffix) >= least:
            word = word[: -len(suffix)] + replacement.strip("-")
            break
    if word.endswith("e") and len(word) - 1 >= _MIN_STEM:
        word = word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Lowercase word tokens of `text` (kebab-case and snake_case split)."""
    return _TOKEN.findall(text.lower().replace("_", " "))


def content_terms(text: str) -> list[str]:
    """The stemmed content terms of `text`.

    Abbreviations are expanded, written-out phrases abbreviated, stop words and
    generic words dropped.
    """
    return [term for term, _ in _terms_and_words(text)]


def _terms_and_words(text: str) -> list[tuple[str, str]]:
    """`content_terms` of `text`, each with the surface word it came from."""
    words = tokens(text)
    found: dict[str, str] = {}
    skip = 0
    for index, token in enumerate(words):
        for phrase, short in PHRASES.items():
            if tuple(words[index : index + len(phrase)]) == phrase:
                skip = max(skip, len(phrase))
                found.setdefault(short, " ".join(phrase))
        if skip:
            skip -= 1  # a phrase's words stand for the phrase, not for themselves
            continue
        if _dropped(token):
            continue
        for word in (token, *ABBREVIATIONS.get(token, ())):
            term = stem(word)
            if not _dropped(term):
                found.setdefault(term, token)
    return list(found.items())


def action_of(text: str) -> str | None:
    """The term of `text`'s first word when it is a content word (an imperative's verb)."""
    words = tokens(text)
    if not words or _dropped(words[0]) or not words[0].isalpha():
        return None
    return stem(words[0])


def clause_terms(text: str) -> tuple[list[str], str | None]:
    """The content terms of a clause and its action (leading verb), if any.

    A leading verb that is about passing work or news on (`report the latency`,
    `escalate the outage`) says how the result travels, not what the work is: it
    is dropped, as such sentences are dropped from profiles.
    """
    terms, action = content_terms(text), action_of(text)
    if action is not None and _ROUTING_WORDS.match(tokens(text)[0]):
        return [term for term in terms if term != action], None
    return terms, action


def _dropped(token: str) -> bool:
    return token in STOP_WORDS or token in GENERIC_WORDS or (len(token) < 2 and not token.isdigit())


FIELD_WEIGHTS: Mapping[str, float] = {
    "name": 3.0,
    "tags": 3.0,
    "note": 3.0,
    "stack": 2.5,
    "categories": 1.5,
    "description": 1.5,
    "capabilities": 1.25,
    "role": 0.75,
    "workflow": 0.3,
}
"""How much a term counts in each field of a profile."""

_ROUTING_WORDS = re.compile(r"\b(escalat|delegat|collaborat|coordinat|hand ?off|report)", re.I)


def _own_work(items: Iterable[str]) -> list[str]:
    """Drop sentences about handing work to others: they name other roles' work."""
    kept: list[str] = []
    for item in items:
        for sentence in re.split(r"(?<=[.;!?])\s+", item):
            if not _ROUTING_WORDS.search(sentence):
                kept.append(sentence)
    return kept


@dataclass(frozen=True)
class Profile:
    """A mode's weighted terms and where each came from."""

    slug: str
    """The mode's slug."""
    weights: dict[str, float]
    """Stemmed term -> field weight (before IDF)."""
    origin: dict[str, str]
    """Stemmed term -> the field it weighs most in."""
    words: dict[str, str] = field(default_factory=dict)
    """Stemmed term -> a surface word, for explanations."""

    @functools.cached_property
    def sorted_terms(self) -> list[str]:
        """The weighted terms in sorted order (a term's extensions follow it)."""
        return sorted(self.weights)


def profile_of(mode: Mode, *, note: str | None = None) -> Profile:
    """Build the profile of `mode`, adding the `note` of the edge that leads to it."""
    fields: dict[str, list[str]] = {
        "name": [mode.slug.replace("-", " "), mode.name],
        "tags": list(mode.tags),
        "note": [note] if note else [],
        "stack": list(mode.stack),
        "categories": list(mode.categories),
        "description": _own_work([mode.description, mode.when_to_use]),
        "capabilities": _own_work(mode.capabilities),
        "role": _own_work([mode.role_definition]),
        "workflow": _own_work(mode.workflow),
    }
    seen: dict[str, set[str]] = {}
    words: dict[str, str] = {}
    for name, texts in fields.items():
        for text in texts:
            for term, word in _terms_and_words(text):
                words.setdefault(term, word)
                seen.setdefault(term, set()).add(name)
    weights: dict[str, float] = {}
    origin: dict[str, str] = {}
    for term, names in seen.items():
        ranked = sorted(names, key=lambda n: (-FIELD_WEIGHTS[n], n))
        weights[term] = FIELD_WEIGHTS[ranked[0]] + 0.15 * sum(FIELD_WEIGHTS[n] for n in ranked[1:])
        origin[term] = ranked[0]
    return Profile(slug=mode.slug, weights=weights, origin=origin, words=words)


@dataclass(frozen=True)
class Match:
    """How well a clause matches one profile."""

    slug: str
    """The profile's mode."""
    score: float
    """Matched IDF mass, weighted by field, over the clause's IDF mass."""
    matched: tuple[str, ...]
    """Surface words that matched, strongest first."""
    terms: frozenset[str] = frozenset()
    """The clause's stemmed terms that matched."""
    fields: tuple[str, ...] = ()
    """The profile fields the matched terms weigh most in, strongest first."""
    gains: tuple[tuple[str, float], ...] = ()
    """Each matched clause term and its gain (IDF x field weight x credit), in clause order."""
    total: float = 0.0
    """The clause's IDF mass (the score's denominator)."""
    evidence: float = 0.0
    """The field weights of the matched terms, summed (times the credit of a
    same-family match): 3 is one term in a name, tag or edge note; 1.5 one in a
    description."""

    def score_beyond(self, other: Match, *, share: float) -> float:
        """The score this match gets from terms `other` weighs less than `share` of it.

        Terms both profiles weigh alike say nothing about which of the two the clause
        belongs to; a term one of them weighs far more (its name, its tag) does.
        """
        if self.total == 0.0:
            return 0.0
        theirs = dict(other.gains)
        return (
            sum(gain for term, gain in self.gains if theirs.get(term, 0.0) < gain * share)
            / self.total
        )


ACTION_WEIGHT = 1.5
"""How much more a clause's leading verb counts than its other terms."""

_RELATIVE_CREDIT = 0.6
"""How much a match with another term of the same family counts (exact match: 1)."""


class Vocabulary:
    """Inverse document frequencies over a set of profiles (one per catalog mode)."""

    def __init__(self, profiles: Sequence[Profile]) -> None:
        self._count = max(len(profiles), 1)
        self._df: dict[str, int] = {}
        for profile in profiles:
            for term in profile.weights:
                self._df[term] = self._df.get(term, 0) + 1
        self._terms = sorted(self._df)

    def knows(self, term: str) -> bool:
        """True when some profile has the term (or a close prefix of it)."""
        return term in self._df or self._prefix_of(term) is not None

    def idf(self, term: str, *, verb: bool = False) -> float:
        """Smoothed inverse document frequency; 0 for unknown terms.

        A `verb` unknown as such counts with its nominalisation (`encrypt` with
        `encryption`).
        """
        df = self._df.get(term)
        if df is None:
            near = self._prefix_of(term)
            if near is None and verb:
                near = next((n for n in (term + "ion", term + "ions") if n in self._df), None)
            df = self._df[near] if near is not None else 0
        if df == 0:
            return 0.0
        return math.log(1.0 + (self._count + 1) / (df + 0.5))

    def _prefix_of(self, term: str) -> str | None:
        """The first known term, in sorted order, that is `_close` to `term`.

        Known prefixes of `term` sort before it, shortest first, and its known
        extensions sort right after it: a look-up per prefix length and a walk from
        one bisection over the extensions, never a scan of the vocabulary.
        """
        for end in range(1, len(term)):
            if term[:end] in self._df and _close(term, term[:end]):
                return term[:end]
        index = bisect.bisect_right(self._terms, term)
        while index < len(self._terms) and self._terms[index].startswith(term):
            if _close(term, self._terms[index]):
                return self._terms[index]
            index += 1
        return None

    def match(self, terms: Sequence[str], profile: Profile, *, action: str | None = None) -> Match:
        """Score `terms` (a clause) against `profile`.

        `action` is the clause's leading verb (`containerize the API`): it says what
        kind of work the clause is, so it weighs `ACTION_WEIGHT` times its IDF.
        """
        total = 0.0
        gained: list[tuple[float, str]] = []
        where: list[tuple[float, str]] = []
        hit: set[str] = set()
        per_term: list[tuple[str, float]] = []
        got = 0.0
        evidence = 0.0
        for term in terms:
            idf = self.idf(term, verb=term == action) * (ACTION_WEIGHT if term == action else 1.0)
            if idf == 0.0:
                continue
            total += idf
            weight = profile.weights.get(term)
            credit = 1.0
            word = profile.words.get(term, term)
            field = profile.origin.get(term, "")
            near = _nearest(term, profile, verb=term == action)
            if near is not None and (
                weight is None or profile.weights[near] * _RELATIVE_CREDIT > weight
            ):
                weight, credit = profile.weights[near], _RELATIVE_CREDIT
                word = profile.words.get(near, near)
                field = profile.origin.get(near, "")
            if weight is None:
                continue
            gain = idf * weight * credit
            where.append((gain, field))
            per_term.append((term, gain))
            evidence += weight * credit
            hit.add(term)
            got += gain
            gained.append((gain, word))
        if total == 0.0:
            return Match(slug=profile.slug, score=0.0, matched=())
        gained.sort(key=lambda pair: (-pair[0], pair[1]))
        words = tuple(dict.fromkeys(word for _, word in gained))
        where.sort(key=lambda pair: (-pair[0], pair[1]))
        fields = tuple(dict.fromkeys(name for _, name in where))
        return Match(
            slug=profile.slug,
            score=got / total,
            matched=words,
            terms=frozenset(hit),
            fields=fields,
            gains=tuple(per_term),
            total=total,
            evidence=evidence,
        )

    def known_terms(self, terms: Sequence[str]) -> list[str]:
        """The terms some profile of the catalog knows (they can decide a route)."""
        return [t for t in terms if self.idf(t) > 0.0]


_FAMILY_TAILS: Mapping[str, int] = {
    "s": 4,
    "e": 4,
    "ed": 4,
    "ing": 4,
    "er": 4,
    "ers": 4,
    "or": 5,
    "ors": 5,
    "at": 5,
    "ment": 5,
    "ation": 5,
}
"""What a stem may add to a shorter stem of the same family, with the least length of
the shorter one: `tester` and `test`, `auditor` and `audit`, `documentat`
(documentation) and `document`."""

_LONG_STEM = 6
"""A stem at least this long also matches its longer forms with other tails
(`postgres` and `postgresql`), unless the tail changes the word (`_OTHER_FAMILY`)."""

_OTHER_FAMILY = re.compile(r"^(?:ions?|ic|ical|ish|al|ally|ive|ity|ure|ant|ent|ence|ance)s?$")
"""Tails that make another word from a stem: `production` from `product`."""


def _close(a: str, b: str) -> bool:
    """True when two terms are of one family.

    One is the other plus a family tail, or a long stem plus a tail that does not
    change the word.
    """
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if short == long_ or not long_.startswith(short):
        return False
    tail = long_[len(short) :]
    least = _FAMILY_TAILS.get(tail)
    if least is not None:
        return len(short) >= least
    return len(short) >= _LONG_STEM and _OTHER_FAMILY.match(tail) is None


def _nearest(term: str, profile: Profile, *, verb: bool = False) -> str | None:
    """The profile's strongest other term of `term`'s family (ties: the first in order).

    A `verb` (a clause's action) also reaches its nominalisation in `-ion`
    (`encrypt` -> `encryption`); a noun does not (`product` is not `production`).
    """
    # the family of `term`: its known prefixes and its known extensions (found from one
    # bisection of the sorted terms), never a scan of every term of the profile
    weights, terms = profile.weights, profile.sorted_terms
    found = [term[:end] for end in range(1, len(term)) if term[:end] in weights]
    index = bisect.bisect_right(terms, term)
    while index < len(terms) and terms[index].startswith(term):
        found.append(terms[index])
        index += 1
    found = [known for known in found if _close(term, known)]
    if verb:
        found += [known for known in (term + "ion", term + "ions") if known in profile.weights]
    return max(sorted(found), key=lambda known: profile.weights[known], default=None)
