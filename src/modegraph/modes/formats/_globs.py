"""Turn file globs (`**/*.py`, `docs/**/*.md`, `*.{ts,tsx}`) into one file regex.

The regex is matched against paths relative to the workspace, with `/` separators,
as Roo Code matches a group's `fileRegex`:

- `**/` is any number of directories (also none), `**` anything at all;
- `*` is any run of characters except `/`, `?` one character except `/`;
- `{a,b}` is a choice, `[...]` a character class, everything else is literal;
- several globs become one alternation anchored at both ends.

`**` and `**/*` alone match every path, so they give no regex at all (None).
"""

from __future__ import annotations

import re

__all__ = ["glob_to_regex", "globs_to_regex"]

_MATCH_ALL = frozenset({"**", "**/*", "*/**", "**/**"})


def globs_to_regex(globs: list[str]) -> str | None:
    """One anchored regex for several globs; None when any of them matches everything."""
    cleaned = [glob.strip().removeprefix("./") for glob in globs if glob.strip()]
    if not cleaned or any(glob in _MATCH_ALL for glob in cleaned):
        return None
    parts = [glob_to_regex(glob) for glob in cleaned]
    if len(parts) == 1:
        return f"^{parts[0]}$"
    return "^(?:" + "|".join(parts) + ")$"


def glob_to_regex(glob: str) -> str:
    """The unanchored regex of one glob."""
    out: list[str] = []
    index = 0
    while index < len(glob):
        char = glob[index]
        if glob.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif glob.startswith("**", index):
            out.append(".*")
            index += 2
        elif char == "*":
            out.append("[^/]*")
            index += 1
        elif char == "?":
            out.append("[^/]")
            index += 1
        elif char == "{" and "}" in glob[index:]:
            end = glob.index("}", index)
            choices = glob[index + 1 : end].split(",")
            out.append("(?:" + "|".join(glob_to_regex(choice) for choice in choices) + ")")
            index = end + 1
        elif char == "[" and "]" in glob[index + 1 :]:
            end = glob.index("]", index + 1)
            body = glob[index + 1 : end].replace("\\", "\\\\")
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append(_char_class(body) or re.escape(glob[index : end + 1]))
            index = end + 1
        else:
            out.append(re.escape(char))
            index += 1
    return "".join(out)


def _char_class(body: str) -> str | None:
    """`[body]` when it is a valid, non-empty regex class; None otherwise."""
    if not body or body == "^":
        return None
    try:
        re.compile(f"[{body}]")
    except re.error:
        return None
    return f"[{body}]"
