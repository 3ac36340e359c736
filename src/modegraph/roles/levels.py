"""The role hierarchy: levels as real catalogs write them, read into tiers.

Roo Commander writes a level as a three-character code, a tier word and an
optional department: ``032-worker-backend`` is tier worker, code 32, department
``backend``. The code's first two digits name the tier (``00`` executive, ``01``
director, ``02`` lead, ``03`` worker, ``04`` assistant, ``05`` the "footgun"
modes outside the hierarchy); a trailing ``x`` (``04x-assistant``) names the
family without a number. Roo Commander's TOML files give a ``classification``
word instead (``lead``, ``Worker``, ...); besides the tier names, the words its
versions use read as these tiers (`CLASSIFICATION_WORDS`):

| words | tier |
|---|---|
| ``core``, ``orchestrator``, ``commander``, ``chief`` | executive |
| ``manager``, ``management``, ``head`` | director |
| ``squad``, ``utility``, ``util``, ``specialist``, ``developer``, ``dev``, | worker |
| ``framework``, ``expert``, ``engineer`` | worker |
| ``agent``, ``helper``, ``support`` | assistant |

(v8's ``core`` is the top-level orchestrator, ``manager`` modes direct a squad whose
members are ``squad`` workers; v7.0.5 maps ``utility`` to a worker and ``agent-*``
modes are its assistants.) Only the first word counts: ``Specialist Mode`` is a
worker, ``executive_orchestrator`` an executive.

An off-list level (``wizard``, ``07z``) reads as tier `Tier.OTHER` with an
``unknown-level`` warning: lint then leaves the mode out of the checks that compare
tiers. A mode with no level at all (Roo Code and Claude Code files have none) is
tier other with no finding.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import Enum
from functools import total_ordering

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.model import Mode

__all__ = ["CLASSIFICATION_WORDS", "Level", "Tier", "level_finding", "parse_level"]


@total_ordering
class Tier(Enum):
    """A rung of the hierarchy, ordered: executive > director > lead > worker > assistant > other.

    `OTHER` holds modes outside the hierarchy; it compares lowest, but lint never
    draws conclusions from a comparison with it (see `ranked`).
    """

    EXECUTIVE = "executive"
    DIRECTOR = "director"
    LEAD = "lead"
    WORKER = "worker"
    ASSISTANT = "assistant"
    OTHER = "other"

    @property
    def rank(self) -> int:
        """0 for executive down to 5 for other (smaller is higher up)."""
        return _RANKS[self]

    @property
    def ranked(self) -> bool:
        """True for the five tiers of the hierarchy, False for `OTHER`."""
        return self is not Tier.OTHER

    @property
    def label(self) -> str:
        """The tier's name for people: ``Executive``, ``Director``, ..."""
        return self.value.capitalize()

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Tier):
            return NotImplemented
        return self.rank > other.rank


_RANKS: dict[Tier, int] = {tier: index for index, tier in enumerate(Tier)}

_TIER_BY_DIGITS: dict[str, Tier] = {
    "00": Tier.EXECUTIVE,
    "01": Tier.DIRECTOR,
    "02": Tier.LEAD,
    "03": Tier.WORKER,
    "04": Tier.ASSISTANT,
    "05": Tier.OTHER,
}
"""The tier each code family names; ``05x`` is Roo Commander's footgun family."""

CLASSIFICATION_WORDS: dict[str, Tier] = {
    **{word: Tier.EXECUTIVE for word in ("core", "orchestrator", "commander", "chief")},
    **{word: Tier.DIRECTOR for word in ("manager", "management", "head")},
    **{
        word: Tier.WORKER
        for word in (
            "squad",
            "utility",
            "util",
            "specialist",
            "developer",
            "dev",
            "framework",
            "expert",
            "engineer",
        )
    },
    **{word: Tier.ASSISTANT for word in ("agent", "helper", "support")},
}
"""Classification words other than the tier names, and the tier each one reads as."""

_TIER_BY_WORD: dict[str, Tier] = {
    **CLASSIFICATION_WORDS,
    **{tier.value: tier for tier in Tier if tier.ranked},
}

_KNOWN_OTHER_WORDS = frozenset({"footgun"})
"""Words of documented levels outside the hierarchy: tier other, no warning."""

_CODED = re.compile(r"^(?P<code>\d{2}[0-9x])(?:[-_ ]+(?P<rest>.*))?$", re.IGNORECASE)
_WORDS = re.compile(r"^[A-Za-z][A-Za-z0-9 _-]*$")


@dataclass(frozen=True, slots=True)
class Level:
    """A mode's level, read."""

    tier: Tier
    """Where the level sits in the hierarchy."""
    code: int | None = None
    """The numeric code (32 for ``032-worker-backend``); None for ``04x`` or a bare word."""
    department: str | None = None
    """What follows the tier word (``backend``, ``frontend-styling``), lowercased."""
    raw: str | None = None
    """The level as written."""
    known: bool = True
    """False when the level did not read as any tier (an ``unknown-level`` finding)."""

    @property
    def label(self) -> str:
        """The level as people read it: the raw text, or the tier name."""
        return self.raw or self.tier.label


@functools.lru_cache(maxsize=4096)
def parse_level(raw: str | None) -> Level:
    """Read a level string into a `Level`; never raises.

    Cached: a catalog repeats a few dozen levels, and a `Level` is immutable.

    Args:
        raw: The level as a file writes it (``032-worker-backend``, ``04x-assistant``,
            ``lead``), or None when the mode has none.

    Returns:
        The level; `Level.known` is False when the text names no tier.
    """
    if raw is None or not raw.strip():
        return Level(tier=Tier.OTHER, raw=raw or None)
    text = raw.strip()
    coded = _CODED.match(text)
    if coded:
        return _parse_coded(text, coded.group("code").lower(), coded.group("rest"))
    if _WORDS.match(text):
        return _parse_words(text, text)
    return Level(tier=Tier.OTHER, raw=text, known=False)


def _split_words(rest: str) -> tuple[str, str | None]:
    words = [w for w in re.split(r"[-_ ]+", rest.strip().lower()) if w]
    if not words:
        return "", None
    return words[0], "-".join(words[1:]) or None


def _parse_coded(text: str, code_text: str, rest: str | None) -> Level:
    code = None if code_text.endswith("x") else int(code_text)
    by_digits = _TIER_BY_DIGITS.get(code_text[:2])
    word, department = _split_words(rest or "")
    by_word = _TIER_BY_WORD.get(word)
    if by_word is None and word and word not in _KNOWN_OTHER_WORDS:
        # "020-backend": the word is the department, the digits the tier.
        department = "-".join(p for p in (word, department) if p)
    if by_digits is None:
        tier = by_word or Tier.OTHER
        return Level(
            tier=tier, code=code, department=department, raw=text, known=by_word is not None
        )
    if by_word is not None and by_word is not by_digits:
        # The digits and the word disagree; the word is what a person reads.
        return Level(tier=by_word, code=code, department=department, raw=text, known=False)
    return Level(tier=by_digits, code=code, department=department, raw=text)


def _parse_words(text: str, raw: str) -> Level:
    word, department = _split_words(text)
    tier = _TIER_BY_WORD.get(word)
    if tier is not None:
        return Level(tier=tier, department=department, raw=raw)
    if word in _KNOWN_OTHER_WORDS:
        return Level(tier=Tier.OTHER, department=department, raw=raw)
    return Level(tier=Tier.OTHER, raw=raw, known=False)


def level_finding(mode: Mode, level: Level) -> Finding | None:
    """The ``unknown-level`` warning for a mode whose level names no tier, else None."""
    if level.known:
        return None
    tiers = ", ".join(t.value for t in Tier if t.ranked)
    if level.tier.ranked:
        message = (
            f"level {level.raw!r} of mode {mode.slug!r}: its code and its word name "
            f"different tiers; read as {level.tier.value}"
        )
    else:
        message = (
            f"level {level.raw!r} of mode {mode.slug!r} names no tier of the hierarchy; "
            "read as tier other, so tier checks skip this mode"
        )
    return Finding(
        path=mode.source.path,
        line=mode.source.line,
        code=Code.UNKNOWN_LEVEL,
        severity=Severity.WARNING,
        message=message,
        hint=(
            f"write the level as `NNN-<tier>[-<department>]` (e.g. `032-worker-backend`) "
            f"or a classification word: {tiers}"
        ),
        slug=mode.slug,
    )
