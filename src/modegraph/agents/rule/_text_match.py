"""Small, deterministic text matching for the rule agent: tokens, stems, IDF, scores.

Nothing here knows any catalog. A mode's *profile* (`_profiles`) is a weighted bag
of stemmed terms drawn from its fields. Term weights are scaled by an inverse
document frequency computed over the profiles of the whole catalog, so words every
mode uses ("task", "code", "project") count for little and distinctive words
("postgres", "docker", "oauth") for much; the notes of the edges into a mode count
in its document, so a word only an edge note uses still has a weight. Words no
profile knows count against every match (`UNKNOWN_WEIGHT`).

Stemming is conservative (`stem`): it merges a word's inflections and a few
derivations that keep its meaning, never two word families (`product` and
`production`, `public` and `publish`). A term also matches, at reduced credit,
another of its family (`test`/`tester`, `postgres`/`postgresql`). Generic words
(`fix`, `find`, `instead`) and stop words never count; a written-out phrase
(`continuous integration`) counts as its abbreviation (`ci`), not as its words.
A clause's leading verb weighs more than its other words.

Longer than 400 lines: the vocabulary, the stemmer and the scoring are one matching
model; apart they would share most of their helpers.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from modegraph.agents.rule._lexicon import (
    ENGINEERING_WORDS,
    FAMILIES,
    FAMILY_CREDIT,
    GENERIC_NOUNS,
    PHRASAL_VERBS,
)

if TYPE_CHECKING:
    from modegraph.agents.rule._profiles import Profile

__all__ = [
    "ACTION_WEIGHT",
    "BOUND_PREFIX",
    "DESCRIBING_WEIGHT",
    "GENERIC_TERMS",
    "NAMING_WEIGHT",
    "ORDINARY_TERMS",
    "UNKNOWN_WEIGHT",
    "Match",
    "Vocabulary",
    "Weighed",
    "action_of",
    "asked_object",
    "clause_terms",
    "content_terms",
    "family_of",
    "kindred",
    "match_weighed",
    "object_kind",
    "object_terms",
    "personal",
    "request_object",
    "stem",
    "terms_and_words",
    "tokens",
    "without_origin",
    "work_kinds",
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
    until up upon us very via was we were what when where whether which while who whom why will
    with within without would yet you your yours e g eg ie new make makes making made
    re ve ll don doesn didn isn aren wasn weren won wouldn couldn shouldn hasn haven
    need needs needed want wants get gets set sets put one two three way ways thing
    things something sure well lot many much kind
    """.split()
)
"""English function words and empty verbs; they never decide a route."""

GENERIC_WORDS = frozenset(
    """
    add adds added adding find finds found finding use uses used
    using create creates created creating update updates updated updating change changes
    changed changing check checks checked checking ensure ensures help helps handle
    handles improve improves try tries instead rather whatever everything anything forward
    missing current existing whole next last first old able right wrong good bad
    better best still already even every really actually properly
    keep keeps keeping kept going goes
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
    "cicd": ("ci", "cd"),
    "devsecops": ("devops", "security"),
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
    ("front", "end"): "frontend",
    ("dark", "mode"): "darkmod",
}
"""Multi-word terms and their abbreviation: the phrase written out becomes the
abbreviation, so `CI` in a goal matches `continuous integration` in a profile, and
`integration tests` does not."""

_VOWELS = frozenset("aeiouy")
_MIN_STEM = 4
"""A suffix is only stripped when at least this many letters are left: short stems
(`nam` from `naming`, `cod` from `coding`) would merge unrelated words."""

_DERIVATIONAL: tuple[tuple[str, str], ...] = (
    ("riptions", "rib"),
    ("ription", "rib"),
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


@functools.lru_cache(maxsize=65536)
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


_DOTTED = re.compile(r"\b([a-z][a-z0-9]*)\.([a-z]{2,3})\b")
"""A dotted name with a short suffix (`next.js`, `socket.io`, `asp.net`)."""


_GO = re.compile(r"(?<=[\w,(] )Go\b(?![-'])")
"""`Go` with a capital inside a sentence: the language (`a Go service`), also written
`golang`; at a sentence's start it is the verb (`Go through the repo`)."""


BOUND_PREFIX = re.compile(
    r"\b(?:post|pre|non|multi|co|sub|semi|anti|re|inter|cross|self|de|un)-(?=[^\W\d_])",
    re.IGNORECASE,
)
"""A prefix bound to the next word by a hyphen (`post-deployment`, `pre-commit`): no word
of a text on its own (a `blog post` is no post-deployment work)."""


def tokens(text: str) -> list[str]:
    """Lowercase word tokens of `text` (kebab-case and snake_case split).

    `Go` with a capital inside a sentence also gives `golang` (`Write a Go service`
    meets `golang-pro`).

    A prefix bound by a hyphen is dropped (`post-deployment` -> `deployment`).

    A dotted name also gives its parts joined (`Next.js` -> `nextjs`, `next`, `js`),
    so it meets a slug (`nextjs-developer`) that writes it without the dot.
    """
    text = _GO.sub("Go golang", text)
    lowered = _DOTTED.sub(r"\1\2 \1 \2", BOUND_PREFIX.sub("", text.lower()))
    return _TOKEN.findall(lowered.replace("_", " "))


def content_terms(text: str) -> list[str]:
    """The stemmed content terms of `text`.

    Abbreviations are expanded, written-out phrases abbreviated, stop words and
    generic words dropped.
    """
    return [term for term, _ in terms_and_words(text)]


_PHRASES_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _phrase, _short in (
    *PHRASES.items(),
    *((pair, stem(word)) for pair, word in PHRASAL_VERBS.items()),
):
    _PHRASES_BY_FIRST.setdefault(_phrase[0], []).append((_phrase, _short))

_FAMILY_OF: dict[str, frozenset[str]] = {}
for _members in FAMILIES.values():
    _stems = frozenset(stem(word) for word in _members)
    for _term in _stems:
        _FAMILY_OF[_term] = _FAMILY_OF.get(_term, frozenset()) | (_stems - {_term})

ORDINARY_TERMS = frozenset(stem(word) for word in ENGINEERING_WORDS) | frozenset(_FAMILY_OF)
"""Stems of ordinary words of software work (`_lexicon.ENGINEERING_WORDS` and every
family's words): a catalog that lacks one is not foreign to it."""


GENERIC_TERMS = frozenset(stem(word) for word in GENERIC_NOUNS)
"""Stems of `_lexicon.GENERIC_NOUNS` (`page`, `user`, `file`): alone, they say a clause
is software work, not whose."""


def family_of(term: str) -> frozenset[str]:
    """The other terms of `term`'s kinds of work (`_lexicon.FAMILIES`), stemmed."""
    return _FAMILY_OF.get(term, frozenset())


def terms_and_words(text: str) -> list[tuple[str, str]]:
    """`content_terms` of `text`, each with the surface word it came from (linear time)."""
    words = tokens(text)
    found: dict[str, str] = {}
    skip = 0
    for index, token in enumerate(words):
        for phrase, short in _PHRASES_BY_FIRST.get(token, ()):
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
    for phrase, short in _PHRASES_BY_FIRST.get(words[0] if words else "", ()):
        if tuple(words[: len(phrase)]) == phrase:
            return short
    if not words or _dropped(words[0]) or not words[0].isalpha():
        return None
    return stem(words[0])


_WORK_FAMILIES = (
    "troubleshooting",
    "fixing",
    "documentation",
    "diagrams",
    "testing",
    "performance",
    "security",
    "database",
    "deployment",
    "design",
    "version control",
    "monitoring",
)
"""The families whose words name a discipline when they are what a request asks for
(`planning`, `refactoring` and `research` have words any request uses: `plan`,
`tasks`, `modules`, `compare`)."""

_WORK_TERMS = frozenset(stem(w) for name in _WORK_FAMILIES for w in FAMILIES[name])

_OBJECT_ENDS = frozenset(
    """for in on at to with from of into onto about that which who so because when
    while if before after by via using across against than as and or but""".split()
)
"""Words that end a request's direct object (`unit tests` in `Write unit tests for
the payment module`)."""


_BE = frozenset("be is are was were been being can could should would will must".split())


def work_kinds(text: str) -> frozenset[str]:
    """The terms of a request's direct object that name a kind of work.

    `Write unit tests for the payment module` asks for tests: `test`; the module is
    only where. Only the words between the leading verb and the first preposition
    or conjunction count, and only words of a discipline (`_WORK_FAMILIES`): in
    `Build a chatbot that answers from our product docs` the docs are a source.
    """
    return frozenset(t for t in object_terms(text) if t in _WORK_TERMS)


_GENERIC_VERBS = frozenset("add create update change check improve handle use".split())
"""Generic words that open a request as its verb (`Update the API docs`)."""


def request_object(text: str) -> list[str]:
    """`object_terms`, also after a generic verb (`docs` in `Update the API docs`).

    A generic verb (`add`, `update`) says nothing of whose work a request is, but it
    opens one all the same: its object does say.
    """
    words = tokens(text)
    if action_of(text) is None and words and words[0] in _GENERIC_VERBS:
        text = "write " + " ".join(words[1:])  # any content verb: only the object counts
    return object_terms(text)


_ARTEFACT_FAMILIES = ("documentation", "testing", "diagrams")
"""The kinds of work whose words name what the work makes (docs, tests, diagrams). The
words of the other kinds, as an object, say what is wrong with a thing or what it is
(`the Flutter app freezing`, `the slow queries`), and the thing decides."""

_ARTEFACT_TERMS = frozenset(stem(w) for name in _ARTEFACT_FAMILIES for w in FAMILIES[name])


_MOVES = frozenset("migrate port convert move switch rewrite transition".split())
"""Verbs of moving a thing from one technology to another."""

_ORIGIN = re.compile(r"\bfrom\b.*?(?=\b(?:to|into|onto)\b)", re.IGNORECASE)


def without_origin(text: str) -> str:
    """`text` without what a move leaves: the work is done where it ends up.

    `from React Native` in `Migrate the app from React Native to Flutter`; only after a
    verb of moving (`_MOVES`) and only before a `to`.
    """
    words = tokens(text)
    if not words or words[0] not in _MOVES:
        return text
    return _ORIGIN.sub("", text, count=1)


def asked_object(text: str) -> list[str]:
    """What a request is about: its object's terms, generic nouns aside.

    A generic noun (`app`, `code`, `page`) names no kind of work: when the object has
    nothing else (`Audit the app for security holes`), the words after it say what the
    request is about (`security`, `holes`).
    """
    thing = request_object(text)
    named = [t for t in thing if t not in GENERIC_TERMS]
    if named or not thing:
        return named
    terms, action = clause_terms(text)
    return [t for t in terms if t != action and t not in thing and t not in GENERIC_TERMS]


def object_kind(text: str) -> frozenset[str]:
    """The head of a request's object (its last word) when it is what a kind of work makes.

    `docs` in `Update the API docs`, `tests` in `Write tests for the billing API`; not
    `database` in `Move the app's database access to async sessions` (the access is
    moved), nor `freezing` in `Debug the Flutter app freezing` (what is wrong with the
    app: `_ARTEFACT_FAMILIES`).
    """
    return frozenset(t for t in request_object(text)[-1:] if t in _ARTEFACT_TERMS)


def object_terms(text: str) -> list[str]:
    """The content terms of a request's direct object (`pizza` in `order pizza for the team`).

    The words between the leading verb and the first preposition, conjunction or
    form of `be`; none when the text opens with no content word (a question, a
    statement).
    """
    if action_of(text) is None:
        return []  # no imperative: a question or a statement asks for no kind
    words = tokens(text)[1:]
    head: list[str] = []
    for word in words:
        if word in _OBJECT_ENDS or word in _BE:
            break
        head.append(word)
    return content_terms(" ".join(head))


def personal(text: str) -> bool:
    """Whether a request's object is the asker's own (`pick up my dry cleaning`).

    `my` before the object ends (see `object_terms`) says so: a request about software
    says `our`, `the` or names the thing.
    """
    for word in tokens(text)[1:]:
        if word in _OBJECT_ENDS or word in _BE:
            return False
        if word == "my":
            return True
    return False


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


_ROUTING_WORDS = re.compile(r"\b(escalat|delegat|collaborat|coordinat|hand ?off|report)", re.I)
"""A leading verb that says how a result travels, not what the work is."""


def _dropped(token: str) -> bool:
    return token in STOP_WORDS or token in GENERIC_WORDS or (len(token) < 2 and not token.isdigit())


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
    """The clause's IDF mass, unknown words included (the score's denominator)."""
    evidence: float = 0.0
    """The field weights of the matched terms, summed (times the credit of a
    same-family match): 3 is one term in a name, tag or edge note; 1.5 one in a
    description."""
    via: str | None = None
    """The mode this target hands work on to whose profile matched (the score is
    that mode's, discounted per hop), or None when the target's own profile did."""
    strong: frozenset[str] = frozenset()
    """The matched terms that say what kind of work the clause is for this profile
    (*domain evidence*): matched in a field that says what the role does
    (`DESCRIBING_WEIGHT`), not only in the rest of its prompt."""
    weights: tuple[tuple[str, float], ...] = ()
    """Each matched clause term and the profile weight it matched with (times the
    credit of a same-family match), in clause order."""
    kin: frozenset[str] = frozenset()
    """The matched terms that matched only another word of their kind of work
    (`_lexicon.FAMILIES`: `crash` for a profile that says `debug`), at `FAMILY_CREDIT`."""

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
"""How much more a clause's leading verb counts than its other terms, at most: the
boost scales with how distinctive the verb is (its IDF over the highest IDF), so
`containerize` says much about the kind of work and `write` little."""

IDF_POWER = 1.0
"""The power the IDF is raised to: above 1, rare words (a tool, a framework) weigh
more steeply against common ones."""

DESCRIBING_WEIGHT = 1.0
"""The least field weight (`_profiles.FIELD_WEIGHTS`) of a field that says what a role
does: its name, tags, stack, edge notes, whenToUse, description, identity, categories,
capabilities and examples. The rest of a prompt and its instructions (0.75 and less)
only mention things the role may meet (`DOM sinks` in a front-end security prompt)."""

NAMING_WEIGHT = 2.5
"""The least field weight of a field that names a role: its name, tags, stack and the
notes of the edges to it."""

UNKNOWN_WEIGHT = 0.5
"""How much a word no profile of the catalog knows counts in a clause's mass, as a
share of the highest IDF (a word only one profile has)."""


@dataclass(frozen=True)
class Weighed:
    """A clause's terms with their IDF, ready to be matched with every profile."""

    terms: tuple[tuple[str, float], ...]
    """Each known term and its weight in the clause (IDF, times `ACTION_WEIGHT` for
    the action)."""
    unknown: int
    """How many of the clause's words (numbers aside) no profile knows."""
    unknown_mass: float
    """Their mass in the score's denominator."""
    action: str | None
    """The clause's leading verb, if any."""
    max_idf: float
    """The highest IDF of the vocabulary."""


_RELATIVE_CREDIT = 0.6
"""How much a match with another term of the same family counts (exact match: 1)."""

_FAMILIAR_DF = 2
"""How many profiles must mention a term, none saying the role does it, for the catalog
to work with its thing (`Vocabulary.familiar`)."""


class Vocabulary:
    """Inverse document frequencies over a set of profiles (one per catalog mode)."""

    def __init__(self, profiles: Sequence[Profile]) -> None:
        self._count = max(len(profiles), 1)
        self._df: dict[str, int] = {}
        described: dict[str, int] = {}
        for profile in profiles:
            for term, weight in profile.weights.items():
                self._df[term] = self._df.get(term, 0) + 1
                if weight >= DESCRIBING_WEIGHT and term in _WORK_TERMS:
                    described[term] = described.get(term, 0) + 1
        self._work_df = described
        self._terms = sorted(self._df)
        self._described = sorted(
            {t for p in profiles for t, w in p.weights.items() if w >= DESCRIBING_WEIGHT}
        )
        self._named = sorted(
            {t for p in profiles for t, w in p.weights.items() if w >= NAMING_WEIGHT}
        )

    def familiar(self, term: str) -> bool:
        """True when the catalog's roles work with `term`'s thing.

        A profile has the term (or one of its family) in a field that says what the
        role does (`DESCRIBING_WEIGHT`), or at least `_FAMILIAR_DF` profiles have it.
        A word one prompt mentions in passing (`passport` in a PHP prompt that names
        Laravel Passport) is not the catalog's work.
        """
        if self._describes(term):
            return True
        df = self._df.get(term)
        if df is None:
            near = self._prefix_of(term)
            df = self._df[near] if near is not None else 0
        return df >= _FAMILIAR_DF

    def named(self, term: str) -> bool:
        """True when a role is named for `term`'s thing.

        Its name, tags, stack or the note of an edge to it has the term or one of its
        family (`NAMING_WEIGHT`).
        """
        return _among(term, self._named)

    def _describes(self, term: str) -> bool:
        return _among(term, self._described)

    def knows(self, term: str) -> bool:
        """True when some profile has the term (or a close prefix of it)."""
        return term in self._df or self._prefix_of(term) is not None

    def idf(self, term: str, *, verb: bool = False, work: bool = False) -> float:
        """Smoothed inverse document frequency; 0 for unknown terms.

        A `work` term, a word that names the kind of work a clause asks for
        (`work_kinds`: `tests` in `Write unit tests for the payment module`), counts
        the profiles that *do* that work, where it is in a field that says what the
        role does (`DESCRIBING_WEIGHT`), not every prompt that mentions it in passing:
        most prompts say they write tests, few roles are testers. So the testing
        weighs as much as the payments (when no role describes the work so, every
        mention counts).
        A `verb` unknown as such counts with its nominalisation (`encrypt` with
        `encryption`).
        """
        df = (self._work_df.get(term) if work else None) or self._df.get(term)
        if df is None:
            near = self._prefix_of(term)
            if near is None and verb:
                near = next((n for n in (term + "ion", term + "ions") if n in self._df), None)
            if near is None:  # known only through its kind of work: the commonest member
                near = max(
                    (m for m in sorted(family_of(term)) if m in self._df),
                    key=self._df.__getitem__,
                    default=None,
                )
            df = self._df[near] if near is not None else 0
        if df == 0:
            return 0.0
        return float(math.log(1.0 + (self._count + 1) / (df + 0.5)) ** IDF_POWER)

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

    @property
    def max_idf(self) -> float:
        """The IDF of a term only one profile has: what an unknown word would weigh."""
        return float(math.log(1.0 + (self._count + 1) / 1.5) ** IDF_POWER)

    def weigh(
        self,
        terms: Sequence[str],
        *,
        action: str | None = None,
        kinds: frozenset[str] = frozenset(),
    ) -> Weighed:
        """The IDF of each of a clause's terms, once for every profile it is matched with.

        `kinds` are the terms that name the kind of work the clause asks for
        (`work_kinds`), weighed by the roles that do it (`idf`).
        """
        known: list[tuple[str, float]] = []
        unknown = 0
        for term in terms:
            plain = self.idf(term, verb=term == action, work=term in kinds)
            if plain == 0.0:
                unknown += not term.isdigit()
                continue
            boost = 1.0 + (ACTION_WEIGHT - 1.0) * plain / self.max_idf if term == action else 1.0
            known.append((term, plain * boost))
        return Weighed(
            terms=tuple(known),
            unknown=unknown,
            unknown_mass=unknown * UNKNOWN_WEIGHT * self.max_idf,
            action=action,
            max_idf=self.max_idf,
        )

    def match(self, terms: Sequence[str], profile: Profile, *, action: str | None = None) -> Match:
        """Score `terms` (a clause) against `profile` (see `match_weighed`)."""
        return match_weighed(self.weigh(terms, action=action), profile)

    def known_terms(self, terms: Sequence[str]) -> list[str]:
        """The terms some profile of the catalog knows (they can decide a route)."""
        return [t for t in terms if self.idf(t) > 0.0]


def _among(term: str, terms: Sequence[str]) -> bool:
    """Whether the sorted `terms` have `term` or one of its family (`_close`)."""

    def has(known: str) -> bool:
        index = bisect.bisect_left(terms, known)
        return index < len(terms) and terms[index] == known

    if has(term) or any(
        has(term[:end]) and _close(term, term[:end]) for end in range(1, len(term))
    ):
        return True
    index = bisect.bisect_right(terms, term)
    while index < len(terms) and terms[index].startswith(term):
        if _close(term, terms[index]):
            return True
        index += 1
    return False


def match_weighed(weighed: Weighed, profile: Profile) -> Match:
    """Score a weighed clause against `profile`.

    The score is the matched IDF mass, each term times its field weight (and the
    credit of a same-family match), over the clause's IDF mass; words the catalog
    does not know count in that mass at `UNKNOWN_WEIGHT` of the highest IDF, so a
    clause mostly in such words scores low for every role. The clause's leading
    verb (`containerize the API`) says what kind of work it is: it weighs
    `ACTION_WEIGHT` times its IDF. The evidence adds the matched terms' field
    weights (times the credit of a same-family match).
    """
    total = weighed.unknown_mass
    gained: list[tuple[float, str]] = []
    where: list[tuple[float, str]] = []
    hit: set[str] = set()
    kin_only: set[str] = set()
    strong: set[str] = set()
    weights: list[tuple[str, float]] = []
    per_term: list[tuple[str, float]] = []
    got = 0.0
    evidence = 0.0
    for term, idf in weighed.terms:
        total += idf
        verb = term == weighed.action
        weight = profile.weights.get(term)
        credit = 1.0
        word = profile.words.get(term, term)
        field = profile.origin.get(term, "")
        key = term
        near = _nearest(term, profile, verb=verb)
        if near is not None and (
            weight is None or profile.weights[near] * _RELATIVE_CREDIT > weight
        ):
            weight, credit = profile.weights[near], _RELATIVE_CREDIT
            word = profile.words.get(near, near)
            field = profile.origin.get(near, "")
        kin = max(
            (m for m in sorted(family_of(term)) if m in profile.weights),
            key=profile.weights.__getitem__,
            default=None,
        )
        if kin is not None and profile.weights[kin] * FAMILY_CREDIT > (weight or 0.0) * credit:
            weight, credit, key = profile.weights[kin], FAMILY_CREDIT, kin
            word = profile.words.get(kin, kin)
            field = profile.origin.get(kin, "")
            kin_only.add(term)
        if weight is None:
            continue
        if key != term and key == weighed.action and key in profile.weights:
            # the clause's verb met in the profile, and met again by its object
            # through its kind of work (`Plan the sprint`: `plan`, and `sprint` on
            # the planner's `plans`), is one piece of evidence, not two
            kin_only.discard(term)
            continue
        gain = idf * weight * credit
        weights.append((term, weight * credit))
        if weight >= DESCRIBING_WEIGHT:
            strong.add(term)
        where.append((gain, field))
        per_term.append((term, gain))
        evidence += weight * credit
        hit.add(term)
        got += gain
        gained.append((gain, word))
    if not weighed.terms:
        return Match(slug=profile.slug, score=0.0, matched=(), total=total)
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
        strong=frozenset(strong),
        weights=tuple(weights),
        kin=frozenset(kin_only),
    )


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


def kindred(a: str, b: str) -> bool:
    """True when two terms are one word or of one family (`postgres`, `postgresql`)."""
    return a == b or _close(a, b)


def _nearest(term: str, profile: Profile, *, verb: bool = False) -> str | None:
    """The profile's strongest other term of `term`'s family (ties: the first in order).

    A `verb` (a clause's action) also reaches its nominalisation in `-ion`
    (`encrypt` -> `encryption`); a noun does not (`product` is not `production`).
    Family members are the term's known prefixes and its known extensions: a
    look-up per prefix length and a walk from one bisection, never a scan.
    """
    weights = profile.weights
    found = [term[:end] for end in range(1, len(term)) if term[:end] in weights]
    index = bisect.bisect_right(profile.terms, term)
    while index < len(profile.terms) and profile.terms[index].startswith(term):
        found.append(profile.terms[index])
        index += 1
    found = [known for known in found if _close(term, known)]
    if verb:
        found += [known for known in (term + "ion", term + "ions") if known in weights]
    return max(sorted(found), key=lambda known: weights[known], default=None)
