"""Small helpers the structured readers (Roo Code JSON/YAML, modegraph YAML) share."""

from __future__ import annotations

import base64
import datetime as _dt
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from modegraph.findings import Code, Finding, Severity

__all__ = ["describe_type", "finding", "jsonable", "split_emoji"]


def finding(
    code: Code,
    severity: Severity,
    message: str,
    *,
    path: str | None,
    line: int | None = None,
    hint: str | None = None,
    slug: str | None = None,
) -> Finding:
    """A finding, with keyword arguments in the order readers have them."""
    return Finding(
        path=path,
        line=line,
        code=code,
        severity=severity,
        message=message,
        hint=hint,
        slug=slug,
    )


def describe_type(value: object) -> str:
    """A person's word for the type of a parsed value (`a list`, `a number`)."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple | set | frozenset):
        return "a list"
    return f"a {type(value).__name__}"


def jsonable(value: Any) -> Any:
    """A copy of `value` that JSON can hold (dates -> ISO text, sets and tuples -> lists)."""
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((jsonable(item) for item in value), key=repr)
    if isinstance(value, _dt.date | _dt.datetime | _dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


_FIRST_WORD = re.compile(r"^\s*(\S+)\s+(\S.*)$", re.DOTALL)


def split_emoji(name: str) -> tuple[str | None, str]:
    """Split a leading emoji off a display name: `🚀 FastAPI Developer` -> (`🚀`, ...).

    An emoji written against the name (`❓Ask`) is split off too.
    """
    match = _FIRST_WORD.match(name)
    if match is not None:
        word, rest = match.groups()
        if any(map(_is_emoji_char, word)) and not any(char.isalnum() for char in word):
            return word, rest.strip()
    glued = _GLUED_EMOJI.match(name)
    if glued is not None and any(map(_is_emoji_char, glued.group(1))):
        return glued.group(1), glued.group(2).strip()
    return None, name.strip()


_GLUED_EMOJI = re.compile(r"^\s*([^\w\s]+?)(\w.*)$", re.DOTALL)
"""Symbols, then a word at once (`❓Ask`); only emoji symbols are split off."""


def _is_emoji_char(char: str) -> bool:
    return unicodedata.category(char) in {"So", "Sk"} and ord(char) > 0x7F
