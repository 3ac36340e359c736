r"""Markdown building blocks for the Roo Commander reader: sections, lists, cleaning.

- `clean_json_artifacts` undoes what a JSON -> Markdown conversion leaves behind:
  a line ending in an odd number of backslashes loses the last one (a `\` line
  continuation), and `\"` becomes `"`.
- `split_sections` cuts a body at `## ` headings (up to three leading spaces),
  ignoring headings inside fenced code blocks (unless a fence never closes, then
  fences are ignored so an unclosed fence cannot swallow the file).
- `list_items` reads a bullet or numbered list (`-`, `*`, `+`, `*   `, `1.`, `1)`);
  deeper-indented items and continuation lines belong to the item above.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

__all__ = [
    "ITEM_RE",
    "Item",
    "Section",
    "clean_json_artifacts",
    "is_rule",
    "list_items",
    "normalise_key",
    "split_sections",
    "trimmed_lines",
    "trimmed_text",
    "without_fenced_code",
]

ITEM_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+•]|\d{1,3}[.)])(?:[ \t]+(?P<text>.*))?$")
"""A list item line: indentation, marker, text."""

_HEADING2 = re.compile(r"^ {0,3}##[ \t]+(?P<title>.*?)[ \t#]*$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_RULE = re.compile(r"^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$")
_HTML_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")
_ESCAPED_QUOTE = re.compile(r'(?<!\\)\\"')
_RULE_MARKS = ("-", "*", "_")
_MARKS = ("#", "```", "~~~")
"""How a line that `_HEADING2` or `_FENCE` can match starts, after its indentation."""


@dataclass
class Section:
    """A `## ` section of a Markdown body (or the preamble before the first one)."""

    title: str
    """The heading text as written (empty for the preamble)."""
    key: str
    """The title normalised by `normalise_key`."""
    heading_line: int | None
    """1-based file line of the heading; None for the preamble."""
    first_line: int
    """1-based file line of the first content line."""
    lines: list[str] = field(default_factory=list)
    """The content lines, heading excluded."""


@dataclass
class Item:
    """One list item with its continuation lines folded in."""

    text: str
    """The item text, marker removed."""
    line: int
    """1-based file line of the item's first line."""


def clean_json_artifacts(line: str) -> str:
    r"""Remove a trailing `\` continuation and turn `\"` into `"`."""
    if "\\" not in line:
        return line
    stripped = line.rstrip()
    trailing = len(stripped) - len(stripped.rstrip("\\"))
    if trailing % 2 == 1:
        line = stripped[:-1].rstrip() if stripped[:-1].strip() else stripped[:-1]
    return _ESCAPED_QUOTE.sub('"', line)


@functools.lru_cache(maxsize=4096)
def normalise_key(text: str) -> str:
    """`Tool_Groups:` -> `tool groups`: lower case, punctuation and extra spaces gone.

    Cached: the same few dozen keys and headings recur in every file of a catalog.
    """
    text = text.strip().strip("*_`").strip().rstrip(":").strip()
    text = re.sub(r"^[^\w]+", "", text)
    return re.sub(r"[\s_\-]+", " ", text.lower()).strip()


def is_rule(line: str) -> bool:
    """True for a Markdown horizontal rule (`---`, `***`, `___`, `- - -`)."""
    # Stripped, a rule starts and ends with one of `-*_` and holds nothing but that
    # character, spaces and tabs: list items (`- x`) fail at once, without the regex.
    stripped = line.strip()
    if len(stripped) < 3 or stripped[0] not in _RULE_MARKS or stripped[-1] != stripped[0]:
        return False
    return not stripped.strip(stripped[0] + " \t") and bool(_RULE.match(line))


def split_sections(lines: list[str], start: int) -> tuple[Section, list[Section]]:
    """Cut `lines[start:]` at `## ` headings: (preamble, sections in order)."""
    headings = _headings(lines, start, respect_fences=True)
    if headings is None:
        headings = _headings(lines, start, respect_fences=False) or []
    bounds = [*(begin for begin, _ in headings), len(lines)]
    preamble = Section("", "", None, start + 1, lines[start : bounds[0]])
    sections: list[Section] = []
    for index, (begin, title) in enumerate(headings):
        sections.append(
            Section(
                title=title,
                key=normalise_key(title),
                heading_line=begin + 1,
                first_line=begin + 2,
                lines=lines[begin + 1 : bounds[index + 1]],
            )
        )
    return preamble, sections


def _headings(
    lines: list[str], start: int, *, respect_fences: bool
) -> list[tuple[int, str]] | None:
    """(index, title) of each `## ` heading; None when fences are respected and one is open."""
    found: list[tuple[int, str]] = []
    fence: str | None = None
    # only a line starting with a mark can be a heading or a fence: the rest skip the regexes
    marked = [i for i in range(start, len(lines)) if lines[i].lstrip().startswith(_MARKS)]
    for index in marked:
        line = lines[index]
        if respect_fences:
            match = _FENCE.match(line)
            if match:
                mark = match.group(1)
                if fence is None:
                    fence = mark
                elif fence == mark:
                    fence = None
                continue
            if fence is not None:
                continue
        heading = _HEADING2.match(line)
        if heading:
            found.append((index, heading.group("title")))
    if respect_fences and fence is not None:
        return None
    return found


def without_fenced_code(text: str) -> str:
    """`text` with the lines inside closed fenced code blocks blanked (lines kept)."""
    if "```" not in text and "~~~" not in text:
        return text
    lines = text.split("\n")
    fence: str | None = None
    opened = 0
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if match and fence is None:
            fence, opened = match.group(1), index
            lines[index] = ""
        elif fence is not None:
            if match and match.group(1) == fence:
                fence = None
            lines[index] = ""
    if fence is not None:  # never closed: keep what followed the opening fence
        original = text.split("\n")
        lines[opened + 1 :] = original[opened + 1 :]
    return "\n".join(lines)


def trimmed_lines(lines: list[str]) -> list[str]:
    """Lines without leading and trailing blank lines or trailing rules."""
    begin, end = 0, len(lines)
    while begin < end and not lines[begin].strip():
        begin += 1
    while end > begin and (not lines[end - 1].strip() or is_rule(lines[end - 1])):
        end -= 1
    return lines[begin:end]


def trimmed_text(lines: list[str]) -> str:
    """The lines joined, without surrounding blank lines or trailing `---` rules."""
    return "\n".join(line.rstrip() for line in trimmed_lines(lines))


def list_items(lines: list[str], first_line: int) -> list[Item]:
    """The items of a list; without any list markers, each non-blank line is an item."""
    items: list[Item] = []
    base: int | None = None
    for offset, raw in enumerate(lines):
        if _not_an_item(raw):
            continue
        match = ITEM_RE.match(raw)
        indent = len(raw) - len(raw.lstrip())
        if match and (base is None or indent <= base):
            base = indent if base is None else min(base, indent)
            text = (match.group("text") or "").strip()
            items.append(Item(text=text, line=first_line + offset))
        elif match and items:
            items[-1].text += "\n" + raw.strip()
        elif items:
            items[-1].text = f"{items[-1].text} {raw.strip()}".strip()
    if base is None:
        return [
            Item(text=raw.strip(), line=first_line + offset)
            for offset, raw in enumerate(lines)
            if not _not_an_item(raw)
        ]
    return [item for item in items if item.text]


def _not_an_item(raw: str) -> bool:
    """A blank line, a rule or a one-line HTML comment: never part of a list."""
    stripped = raw.strip()
    if not stripped:
        return True
    if stripped[0] == stripped[-1] and is_rule(raw):  # a rule starts and ends with its mark
        return True
    return stripped.startswith("<!--") and bool(_HTML_COMMENT.match(raw))
