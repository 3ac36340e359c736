"""The TOML ``+++`` front matter: written whole for a new file, patched in place after.

A write changes one or two keys (``status``, ``updated``). `patch_front_matter`
replaces just those ``key = value`` lines in the text as it was, so comments, key
order and hand formatting survive; when that cannot be done safely (a multi-line
value, a key inside a table) it gives up and the caller writes the table whole.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from typing import Any

import tomli_w

__all__ = ["front_table_text", "patch_front_matter", "render_front_matter"]

_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z0-9_-]+)[ \t]*=")
_TABLE = re.compile(r"^[ \t]*\[")


def render_front_matter(front: Mapping[str, Any]) -> str:
    """The whole ``+++`` block, keys in the order given (None values left out)."""
    return f"+++\n{front_table_text(front)}+++"


def front_table_text(front: Mapping[str, Any]) -> str:
    """The TOML of the table between the ``+++`` lines, as `render_front_matter` writes it."""
    return tomli_w.dumps({key: value for key, value in front.items() if value is not None})


def patch_front_matter(
    toml_text: str, changes: Mapping[str, Any], expected: Mapping[str, Any]
) -> str | None:
    """Apply ``changes`` to the top-level keys of ``toml_text``, keeping everything else.

    Args:
        toml_text: The front matter as the file had it (without the ``+++`` lines).
        changes: The keys to set, with their new values.
        expected: The whole table after the change; the patched text must parse to it.

    Returns:
        The ``+++`` block, or None when the text cannot be patched safely.
    """
    lines = toml_text.split("\n")
    top_end = next((i for i, line in enumerate(lines) if _TABLE.match(line)), len(lines))
    while top_end > 0 and not lines[top_end - 1].strip():
        top_end -= 1  # add new keys after the last top-level line, not after blank ones
    for key, value in changes.items():
        if value is None:
            return None
        new_line = tomli_w.dumps({key: value}).rstrip("\n")
        if "\n" in new_line:
            return None
        found = next(
            (i for i in range(top_end) if (m := _KEY_LINE.match(lines[i])) and m["key"] == key),
            None,
        )
        if found is None:
            lines.insert(top_end, new_line)
            top_end += 1
        else:
            lines[found] = new_line
    patched = "\n".join(lines)
    try:
        if tomllib.loads(patched) != dict(expected):
            return None
    except tomllib.TOMLDecodeError:
        return None
    if not patched.endswith("\n"):
        patched += "\n"
    return f"+++\n{patched}+++"
