"""Turn loosely typed values from front matter (YAML or TOML) into model field types.

Every function returns the coerced value and appends a `wrong-type` finding to the
list it is given when the value cannot be used. Rules shared by all readers:

- a string field accepts a string, or a number (converted with `str`); a mapping,
  a list or a boolean is `wrong-type` and the field is left unset;
- a list field accepts a list of strings (numbers converted), or one string that is
  split on commas (`"a, b"` -> `["a", "b"]`); a mapping is `wrong-type`, and so is
  any list item that is itself a mapping or a list (that item is skipped);
- `None` (an empty YAML key) means "not given" everywhere.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from modegraph.findings import Code, Finding, Severity

__all__ = ["as_str", "as_str_list", "jsonable", "wrong_type"]


def wrong_type(
    *, path: str | None, line: int | None, key: str, expected: str, value: object
) -> Finding:
    """A `wrong-type` error for `key`, which should hold `expected`."""
    return Finding(
        path=path,
        line=line,
        code=Code.WRONG_TYPE,
        severity=Severity.ERROR,
        message=f"`{key}` should be {expected}, not {_kind(value)}; the value was ignored",
        hint=f"write `{key}` as {expected}",
    )


def as_str(
    value: object, *, key: str, path: str | None, line: int | None, findings: list[Finding]
) -> str | None:
    """A string field's value, or None when absent or of the wrong type."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, _dt.date | _dt.datetime | _dt.time):
        return value.isoformat()
    findings.append(wrong_type(path=path, line=line, key=key, expected="a string", value=value))
    return None


def as_str_list(
    value: object, *, key: str, path: str | None, line: int | None, findings: list[Finding]
) -> list[str] | None:
    """A list field's value (a comma string is split), or None when absent or wrong."""
    if value is None:
        return None
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, list | tuple):
        items: list[str] = []
        for item in value:
            text = as_str(item, key=f"{key}[]", path=path, line=line, findings=findings)
            if text is not None and text.strip():
                items.append(text.strip())
        return items
    findings.append(
        wrong_type(path=path, line=line, key=key, expected="a list of strings", value=value)
    )
    return None


_MAX_DEPTH = 64
_MAX_NODES = 10_000


def jsonable(value: Any) -> Any:
    """A copy of `value` that JSON can hold (dates become ISO strings, tuples lists).

    A hostile file cannot blow it up: containers nested deeper than 64 levels, and
    everything past the first 10,000 values (YAML aliases can make a tiny file
    hold billions), are replaced by a short marker string.
    """
    budget = [_MAX_NODES]
    return _jsonable(value, 0, budget)


def _jsonable(value: Any, depth: int, budget: list[int]) -> Any:
    budget[0] -= 1
    container = isinstance(value, Mapping | list | tuple | set | frozenset)
    if container and (depth >= _MAX_DEPTH or budget[0] <= 0):
        return f"<{type(value).__name__} cut: too deep or too large>"
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v, depth + 1, budget) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v, depth + 1, budget) for v in value]
    if isinstance(value, _dt.date | _dt.datetime | _dt.time):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _kind(value: object) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int | float):
        return "a number"
    return type(value).__name__
