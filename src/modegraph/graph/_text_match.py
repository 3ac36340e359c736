"""Small, deterministic text matching for the rule agent: tokens, stems, profiles, scores.

Nothing here knows any catalog. A mode's *profile* is a weighted bag of stemmed
terms drawn from its fields (name and slug words, tags, stack, the note on the
edge that leads to it weigh most; description and capabilities less; the role
definition and workflow least). Term weights are scaled by an inverse document
frequency computed over the profiles of the whole catalog, so words every mode
uses ("task", "code", "project") count for little and distinctive words
("postgres", "docker", "oauth") for much.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from modegraph.modes.model import Mode

__all__ = [
    "FIELD_WEIGHTS",
    "Match",
    "Profile",
    "Vocabulary",
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

ABBREVIATIONS: Mapping[str, tuple[str, ...]] = {
    "auth": ("authentication", "authorization"),
    "authn": ("authentication",),
    "authz": ("authorization",),
    "db": ("database",),
    "dbs": ("database",),
    "k8s": ("kubernetes",),
    "ci": ("continuous", "integration"),
    "cd": ("continuous", "deployment"),
    "ui": ("user", "interface"),
    "ux": ("user", "experience"),
    "infra": ("infrastructure",),
    "repo": ("repository",),
    "config": ("configuration",),
    "docs": ("documentation",),
    "perf": ("performance",),
    "e2e": ("end", "to", "end", "test"),
    "sql": ("sql", "database"),
}
"""Common technical abbreviations, expanded on both sides (general, not per catalog)."""

_SUFFIXES: tuple[str, ...] = (
    "izations",
    "ization",
    "isations",
    "isation",
    "ational",
    "ations",
    "ation",
    "ments",
    "ment",
    "ities",
    "ity",
    "ings",
    "ing",
    "ness",
    "ators",
    "ator",
    "ables",
    "able",
    "ists",
    "ist",
    "izes",
    "ize",
    "ises",
    "ise",
    "ates",
    "ate",
    "ers",
    "er",
    "ies",
    "ied",
    "ed",
    "es",
    "ly",
    "al",
    "ic",
    "ive",
    "s",
    "e",
    "y",
)
_MIN_STEM = 3
_RESTORE_AFTER = frozenset({"ing", "ings", "ed"})


def stem(word: str) -> str:
    """A light, deterministic stem: strip the longest known suffix, keep >= 3 letters.

    `migrations`, `migrate` and `migrating` all become `migr`; `deployment` and
    `deploying` become `deploy`; `security` and `secure` become `secur`.
    """
    if len(word) <= _MIN_STEM or not word.isalpha():
        return word
    for _ in range(2):
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
                if suffix == "s" and word.endswith(("ss", "us", "is")):
                    continue
                word = word[: -len(suffix)]
                if suffix in _RESTORE_AFTER and word.endswith(("at", "bl", "iz")):
                    word += "e"  # migrating -> migrate, like Porter's step 1b
                break
        else:
            break
    return word


def tokens(text: str) -> list[str]:
    """Lowercase word tokens of `text` (kebab-case and snake_case split)."""
    return _TOKEN.findall(text.lower().replace("_", " "))


def content_terms(text: str) -> list[str]:
    """The stemmed content terms of `text`, abbreviations expanded, stop words dropped."""
    terms: list[str] = []
    for token in tokens(text):
        if token in STOP_WORDS or (len(token) < 2 and not token.isdigit()):
            continue
        for word in (token, *ABBREVIATIONS.get(token, ())):
            term = stem(word)
            if term not in STOP_WORDS and term not in terms:
                terms.append(term)
    return terms


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
            for token in tokens(text):
                for term in content_terms(token):
                    words.setdefault(term, token)
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

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency; 0 for unknown terms."""
        df = self._df.get(term)
        if df is None:
            near = self._prefix_of(term)
            df = self._df[near] if near is not None else 0
        if df == 0:
            return 0.0
        return math.log(1.0 + (self._count + 1) / (df + 0.5))

    def _prefix_of(self, term: str) -> str | None:
        """The first known term, in sorted order, that is `_close` to `term`.

        Known prefixes of `term` sort before it, shortest first, and known extensions
        of it sort right after it: so the answer is its shortest known prefix (of at
        least 4 letters), else the extension next to it in sorted order. A look-up per
        prefix and one bisection, not a scan of the vocabulary.
        """
        if len(term) < 4:
            return None
        for end in range(4, len(term)):
            if term[:end] in self._df:
                return term[:end]
        index = bisect.bisect_right(self._terms, term)
        if index < len(self._terms) and self._terms[index].startswith(term):
            return self._terms[index]
        return None

    def match(self, terms: Sequence[str], profile: Profile) -> Match:
        """Score `terms` (a clause) against `profile`."""
        total = 0.0
        gained: list[tuple[float, str]] = []
        where: list[tuple[float, str]] = []
        hit: set[str] = set()
        got = 0.0
        for term in terms:
            idf = self.idf(term)
            if idf == 0.0:
                continue
            total += idf
            weight = profile.weights.get(term)
            credit = 1.0
            word = profile.words.get(term, term)
            field = profile.origin.get(term, "")
            if weight is None:
                near = _nearest(term, profile)
                if near is None:
                    continue
                weight, credit, word = profile.weights[near], 0.6, profile.words[near]
                field = profile.origin[near]
            gain = idf * weight * credit
            where.append((gain, field))
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
        )

    def known_terms(self, terms: Sequence[str]) -> list[str]:
        """The terms some profile of the catalog knows (they can decide a route)."""
        return [t for t in terms if self.idf(t) > 0.0]


def _close(a: str, b: str) -> bool:
    """True when one term is a prefix (of at least 4 letters) of the other."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 4 and long_.startswith(short) and short != long_


def _nearest(term: str, profile: Profile) -> str | None:
    best: str | None = None
    for known in profile.weights:
        if _close(term, known) and (best is None or profile.weights[known] > profile.weights[best]):
            best = known
    return best
