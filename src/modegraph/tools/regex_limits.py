"""Regular expressions a model (or a mode file) supplies, matched with a time limit.

Python's `re` backtracks: `(a|aa)+$` on forty `a`s and a `!` takes longer than the
universe has left, and nothing can interrupt it. Every regex whose pattern or
subject a model controls — `search_files` patterns, `fileRegex` on the paths a model
names, `commands.allow` rules on the command lines it sends, `browser.urls` on the
URLs it asks for — is matched with the `regex` module instead, which takes a
timeout and raises when a match runs past it. The syntax is `re`'s (the `regex`
module's VERSION0), lookarounds included, so Roo Code's `fileRegex` values keep
working.
"""

from __future__ import annotations

import functools

import regex

__all__ = ["REGEX_SECONDS", "RegexTooSlow", "compile_regex", "match", "search"]

REGEX_SECONDS = 1.0
"""The longest one match of a user-supplied regex may take."""


class RegexTooSlow(Exception):
    """A match ran past its time limit (the regex backtracks catastrophically)."""

    def __init__(self, pattern: str, seconds: float) -> None:
        super().__init__(
            f"the regular expression {pattern!r} took longer than {seconds:g} s to match; "
            "simplify it (nested repetition such as (a+)+ or (a|aa)+ backtracks without end)"
        )
        self.pattern = pattern
        """The pattern that was too slow."""


@functools.lru_cache(maxsize=512)
def compile_regex(pattern: str, *, ignore_case: bool = False) -> regex.Pattern[str]:
    """Compile `pattern` with `re`'s syntax.

    Raises:
        regex.error: The pattern is not a valid regular expression.
    """
    flags = regex.VERSION0 | (regex.IGNORECASE if ignore_case else 0)
    return regex.compile(pattern, flags)


def search(
    compiled: regex.Pattern[str], text: str, *, seconds: float = REGEX_SECONDS
) -> regex.Match[str] | None:
    """`compiled.search(text)`, stopped after `seconds`.

    Raises:
        RegexTooSlow: The match took longer than `seconds`.
    """
    try:
        return compiled.search(text, timeout=max(seconds, 0.001))
    except TimeoutError as exc:
        raise RegexTooSlow(compiled.pattern, seconds) from exc


def match(
    compiled: regex.Pattern[str], text: str, *, seconds: float = REGEX_SECONDS
) -> regex.Match[str] | None:
    """`compiled.match(text)` (anchored at the start), stopped after `seconds`.

    Raises:
        RegexTooSlow: The match took longer than `seconds`.
    """
    try:
        return compiled.match(text, timeout=max(seconds, 0.001))
    except TimeoutError as exc:
        raise RegexTooSlow(compiled.pattern, seconds) from exc
