r"""Undo what a JSON -> Markdown conversion leaves in a mode body, only where it did.

A mode body that once lived in a JSON string and was dumped line by line keeps two
marks: a `\` at the end of lines (the string's line continuation; a blank line
becomes a line holding only `\`) and `\"` for every double quote. Ordinary
Markdown has neither on purpose, except in code: a shell block with `docker run \`
continuations or `echo "a \"q\""` must stay as written. So the clean-up runs only
when the file shows the damage, and never inside a fenced block that does not:

- continuation damage: a line holding only `\`, a fence line (```` ```bash\ ````)
  ending in `\`, or at least `_MIN_CONTINUATIONS` lines ending in an odd number of
  backslashes outside fenced code;
- quote damage: `\"` outside fenced code while no double quote there is unescaped
  (a converted body escapes every one), or continuation damage together with `\"`.

A fenced block is damaged when its opening line ends in `\` or it holds a line of
only `\`; only damaged blocks are cleaned inside. `clean_json_damage` returns the
cleaned lines and, when it changed anything, one info finding saying what.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from modegraph.findings import Code, Finding, Severity

__all__ = ["clean_json_damage"]

_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_ESCAPED_QUOTE = re.compile(r'(?<!\\)\\"')
_UNESCAPED_QUOTE = re.compile(r'(?<!\\)"')
_MIN_CONTINUATIONS = 3


@dataclass
class _Line:
    text: str
    in_fence: bool
    damaged_fence: bool


def _odd_trailing(line: str) -> bool:
    stripped = line.rstrip()
    return (len(stripped) - len(stripped.rstrip("\\"))) % 2 == 1


def _fence_mark(line: str) -> str | None:
    match = _FENCE.match(line)
    return match.group(1) if match else None


def _classify(lines: list[str]) -> list[_Line]:
    """Each line with whether it is in (or is a delimiter of) a fence, and a damaged one."""
    out = [_Line(line, False, False) for line in lines]
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if match is None:
            index += 1
            continue
        mark = match.group(1)
        end = next(
            (j for j in range(index + 1, len(lines)) if _fence_mark(lines[j]) == mark),
            None,
        )
        if end is None:
            index += 1  # an unclosed fence: treat it as prose
            continue
        block = range(index, end + 1)
        damaged = _odd_trailing(lines[index]) or any(
            lines[j].strip() == "\\" for j in range(index + 1, end)
        )
        for j in block:
            out[j] = _Line(lines[j], True, damaged)
        index = end + 1
    return out


def clean_json_damage(
    lines: list[str], *, first_line: int, path: str | None
) -> tuple[list[str], Finding | None]:
    """The body lines with JSON-conversion damage undone where the file shows it.

    Args:
        lines: The body lines (after any front matter).
        first_line: The 1-based file line of `lines[0]`, for the finding.
        path: The file, for the finding.

    Returns:
        The lines (the same list object when nothing changed) and an info finding
        saying what was cleaned, or None.
    """
    if not any("\\" in line for line in lines):
        return lines, None
    info = _classify(lines)
    prose = [item.text for item in info if not item.in_fence]
    continuation = (
        any(item.text.strip() == "\\" for item in info)
        or any(item.damaged_fence for item in info)
        or sum(1 for text in prose if _odd_trailing(text)) >= _MIN_CONTINUATIONS
    )
    escaped = any(_ESCAPED_QUOTE.search(text) for text in prose)
    unescaped = any(_UNESCAPED_QUOTE.search(_ESCAPED_QUOTE.sub("", t)) for t in prose)
    quotes = escaped and (continuation or not unescaped)
    if not (continuation or quotes):
        return lines, None
    cleaned: list[str] = []
    continuations = quote_count = 0
    changed_lines: list[int] = []
    for offset, item in enumerate(info):
        text = item.text
        if item.in_fence and not item.damaged_fence:
            cleaned.append(text)
            continue
        before = text
        if continuation and _odd_trailing(text):
            stripped = text.rstrip()
            text = stripped[:-1].rstrip() if stripped[:-1].strip() else stripped[:-1]
            continuations += 1
        if quotes:
            text, count = _ESCAPED_QUOTE.subn('"', text)
            quote_count += count
        if text != before:
            changed_lines.append(first_line + offset)
        cleaned.append(text)
    if not changed_lines:
        return lines, None
    parts = []
    if continuations:
        parts.append(f"{continuations} trailing `\\` line continuation(s) removed")
    if quote_count:
        parts.append(f'{quote_count} `\\"` turned into `"`')
    kept = sum(1 for item in info if item.in_fence and not item.damaged_fence)
    tail = f"; {kept} line(s) in undamaged code blocks left as written" if kept else ""
    finding = Finding(
        path=path,
        line=changed_lines[0],
        code=Code.JSON_ARTIFACTS_CLEANED,
        severity=Severity.INFO,
        message="the body looked converted from a JSON string: "
        + ", ".join(parts)
        + f" (lines {changed_lines[0]}-{changed_lines[-1]}){tail}",
        hint="nothing to do; to silence this, save the file with the backslashes removed "
        "(`modegraph modes convert FILE --to markdown -o FILE` writes it clean)",
    )
    return cleaned, finding
