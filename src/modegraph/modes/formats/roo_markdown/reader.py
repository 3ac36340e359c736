r"""Read Roo Commander Markdown mode files (the seed's format).

The layout, every part optional except a slug and a name:

```
---                                   optional YAML front matter
slug: fastapi-developer
level: 032-worker-backend
---
# Mode: 🚀 FastAPI Developer (`fastapi-developer`)
## Description            -> description
## When to Use            -> when_to_use
## Capabilities           -> capabilities (one per list item; also `Key Capabilities`)
## Workflow               -> workflow (one per list item; also `Workflow Overview`)
## Role Definition        -> role_definition (also `System Prompt`)
## Custom Instructions    -> custom_instructions (kept as Markdown)
## Metadata               -> bold keys, see `_roo_metadata`
**Level:** 032-worker-backend
**Tool Groups:**
- read
- edit (fileRegex: \.md$)
**Escalates To:**
- `database-specialist` # For complex database design issues
**API Configuration:**
- model: quasar-alpha
```

How the variations real files have are read:

- Heading: `# Mode: <emoji> <Name> (`slug`)`; the emoji, the backticks and the slug
  are optional. Without a `# Mode:` heading the first `# ` heading gives the name;
  the slug then comes from the front matter (`slug` or `id`) or from the file name
  (`032-fastapi-developer.mode.md` -> `fastapi-developer`: a numeric prefix and a
  `.mode` suffix are dropped). No slug at all, or no name, is a `missing-field`
  error.
- Sections are cut at `## ` headings outside fenced code. Each section's trailing
  blank lines and `---` rules are dropped; everything else is kept intact, so
  `---` rules and `###` headings inside the custom instructions stay. After
  `## Custom Instructions`, an unknown `## ` heading or one of a section already
  read (`## Description` in a converted TOML body) stays part of the instructions,
  up to the file's last `## Metadata` (an earlier `## Metadata` heading there,
  as instructions about metadata have, is text); other unknown sections are kept
  in `extra["sections"]`.
  A section given twice elsewhere is read twice (lists extend, texts are joined).
- Metadata without a `## Metadata` heading is found after the last `---` rule (or
  before the first section) when it starts with a known bold key.
- References (delegates, escalates, reports) follow the rule in `_references`:
  backticked or bare slugs, `#` comments as notes, `` `a` / `b` `` as two,
  placeholders (`None`, `N/A`, `Relevant Lead`) and `(e.g., ...)` example lists
  not references. Placeholders are kept in `extra["placeholder_references"]`
  as `{kind, text, line}` so lint can point at them.
- Tool groups: `- edit`, `- edit (fileRegex: \.md$, description: Docs)`, a JSON
  item `["edit", {"fileRegex": "\\.md$"}]`, or `read, edit` on the key's line.
- `**API Configuration:**` items `model: x` give `model`; other `key: value` items
  go to `extra["api_configuration"]`.
- JSON-conversion artifacts in the body are cleaned only when the file shows
  them (see `_json_artifacts`): a line ending in an odd number of backslashes
  loses the last one (`\` continuation), and `\"` becomes `"`; fenced code that
  is not damaged (a `docker run \` block) is kept as written, and what was
  cleaned is a `json-artifacts-cleaned` info finding. The front matter is not
  touched (YAML has its own escapes).
- Front matter keys fill the same fields (`slug`/`id`, `name`, `emoji`, `level`,
  `description`, `when_to_use`, `tags`, `categories`, `stack`, `tool_groups`/
  `groups`, `delegates_to`, `escalates_to`, `reports_to`, `model`,
  `api_configuration`, ...) and win over the body. A level in both places that
  differs is a `level-conflict` warning naming both lines. A string where a list
  belongs is split on commas; a mapping where a string belongs is `wrong-type`.
  Unknown front matter keys are kept in `extra`. A file that opens with a `---`
  rule followed by no `key:` line has no front matter: the rule is Markdown.
"""

from __future__ import annotations

import re
from typing import Literal

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.formats._draft import ModeDraft, empty_file, slug_from_path, split_emoji
from modegraph.modes.formats._front_matter import (
    FrontMatter,
    find_front_matter,
    parse_yaml_front_matter,
    unclosed,
)
from modegraph.modes.formats._markdown import (
    Section,
    is_rule,
    list_items,
    split_sections,
    trimmed_lines,
    trimmed_text,
    without_fenced_code,
)
from modegraph.modes.formats._roo_front_matter import apply_front_matter
from modegraph.modes.formats.reading import ReadResult
from modegraph.modes.formats.roo_markdown._json_artifacts import clean_json_damage
from modegraph.modes.formats.roo_markdown.metadata import (
    KEY_FIELDS,
    apply_metadata,
    is_key_line,
    metadata_entries,
)
from modegraph.modes.model import SourceFormat
from modegraph.modes.text import normalise_text

__all__ = ["looks_like_roo_markdown", "read_roo_markdown"]

_MODE_HEADING = re.compile(r"^ {0,3}#[ \t]+Mode[ \t]*:[ \t]*(?P<title>.*?)[ \t#]*$", re.IGNORECASE)
_YAML_KEY = re.compile(r"^[A-Za-z_][\w-]*[ \t]*:(?:[ \t]|$)", re.MULTILINE)
_H1 = re.compile(r"^ {0,3}#[ \t]+(?P<title>.*?)[ \t#]*$")
_TITLE_SLUG = re.compile(r"^(?P<name>.*?)\s*\(\s*`?(?P<slug>[^`()\s]+)`?\s*\)\s*$")
_TITLE_CODE_SLUG = re.compile(r"^(?P<name>.*?)\s*\(\s*`(?P<slug>[^`]+)`\s*\)\s*$")
"""A backticked slug that is not slug-shaped (`` (`a b`) ``): kept, so it is `invalid-slug`."""
_SNIFF_MODE = re.compile(r"^ {0,3}#[ \t]+Mode[ \t]*:", re.IGNORECASE | re.MULTILINE)
_SNIFF_METADATA = re.compile(r"^ {0,3}##[ \t]+Metadata\b", re.IGNORECASE | re.MULTILINE)
_SNIFF_LEVEL = re.compile(
    r"^\s*(?:[-*+]\s+)?\*\*Level(?::\*\*|\*\*\s*:)", re.IGNORECASE | re.MULTILINE
)
_SNIFF_MODE_KEYS = re.compile(
    r"^\s*(?:[-*+]\s+)?\*\*(?:Level|Tool[ _]Groups|Escalates[ _]To|Delegates[ _]To|Reports[ _]To)"
    r"(?::\*\*|\*\*\s*:)",
    re.IGNORECASE | re.MULTILINE,
)
SectionTarget = Literal[
    "description",
    "when_to_use",
    "capabilities",
    "workflow",
    "role_definition",
    "custom_instructions",
    "metadata",
]
_SECTION_FIELDS: dict[str, SectionTarget] = {
    "description": "description",
    "when to use": "when_to_use",
    "when to use this mode": "when_to_use",
    "capabilities": "capabilities",
    "key capabilities": "capabilities",
    "core capabilities": "capabilities",
    "workflow": "workflow",
    "workflow overview": "workflow",
    "role definition": "role_definition",
    "system prompt": "role_definition",
    "custom instructions": "custom_instructions",
    "metadata": "metadata",
}


def looks_like_roo_markdown(text: str) -> bool:
    """True when `text` reads as a Roo Commander Markdown mode.

    It does when it has a `# Mode:` heading, a `**Level:**` key, or a
    `## Metadata` section holding a mode key (`**Tool Groups:**`,
    `**Escalates To:**`, ...), outside fenced code blocks. Knowledge-base pages and
    READMEs have none of these (an example mode inside a code fence does not count).
    """
    text = normalise_text(text)
    text = without_fenced_code(text)
    if _SNIFF_MODE.search(text) or _SNIFF_LEVEL.search(text):
        return True
    metadata = _SNIFF_METADATA.search(text)
    return bool(metadata and _SNIFF_MODE_KEYS.search(text, metadata.end()))


def read_roo_markdown(text: str, *, path: str | None = None) -> ReadResult:
    """Read one Roo Commander Markdown mode from decoded text.

    Args:
        text: The file's text (see `modegraph.modes.text.decode`).
        path: The file name, used in findings, in `Mode.source` and, when there is
            no heading or front matter slug, for the slug.

    Returns:
        At most one mode and the findings met. Never raises for bad input.
    """
    text = normalise_text(text)
    result = ReadResult()
    findings = result.findings
    if not text.strip():
        findings.append(empty_file(path))
        return result
    lines = text.split("\n")
    draft = ModeDraft()
    block = find_front_matter(lines, "---")
    if block is not None and not _opens_front_matter(lines, block):
        block = None  # a `---` rule opens the file, not front matter
    body_start = 0
    front = None
    toml_block = find_front_matter(lines, "+++") if block is None else None
    if toml_block is not None and toml_block.close_index is not None:
        findings.append(_unrecognised_toml(toml_block, path))
        body_start = toml_block.body_index
    if block is not None:
        draft.line = block.open_index + 1
        body_start = block.body_index
        if block.close_index is None:
            findings.append(unclosed(block, fence="---", path=path))
        else:
            front = parse_yaml_front_matter(block, path=path)
            findings.extend(front.findings)
    cleaned = None
    if "\\" in text:  # without a backslash there is no JSON damage to look for
        body, cleaned = clean_json_damage(lines[body_start:], first_line=body_start + 1, path=path)
    if cleaned is not None:
        lines = lines[:body_start] + body
        findings.append(cleaned)
    preamble, sections = split_sections(lines, body_start)
    if block is None:
        draft.line = next((i + 1 for i, line in enumerate(lines) if line.strip()), 1)
    _read_heading(preamble, draft, set_line=block is None)
    metadata = _read_sections(preamble, sections, draft)
    level_line = apply_metadata(
        metadata_entries(metadata[0], metadata[1]) if metadata else [],
        draft,
        path=path,
        findings=findings,
    )
    if front is not None:
        apply_front_matter(front, draft, body_level_line=level_line, path=path, findings=findings)
    if not draft.slug:
        draft.slug = slug_from_path(path)
    mode = draft.finish(path=path, fmt=SourceFormat.ROO_MARKDOWN, findings=findings)
    if mode is not None:
        result.modes.append(mode)
    return result


def _unrecognised_toml(block: FrontMatter, path: str | None) -> Finding:
    """A `+++` block that is not a Roo Commander TOML mode: said, not silently skipped."""
    return Finding(
        path=path,
        line=block.open_index + 1,
        code=Code.UNKNOWN_FORMAT,
        severity=Severity.WARNING,
        message="the `+++` TOML front matter is not a Roo Commander mode "
        "(it has no `id` with a `name` or `[metadata]`); it was ignored",
        hint='add `id = "your-slug"` and `name = "Your Name"` to the block to read the mode '
        "from it, or remove the block",
    )


def _opens_front_matter(lines: list[str], block: FrontMatter) -> bool:
    """Whether a leading `---` opens YAML front matter (a `key:` line follows)."""
    if block.close_index is not None:
        return bool(_YAML_KEY.search(block.text))
    following = lines[block.open_index + 1 : block.open_index + 2]
    return bool(following and _YAML_KEY.match(following[0]))


def _read_heading(preamble: Section, draft: ModeDraft, *, set_line: bool) -> None:
    """Name, emoji and slug from `# Mode: ...` (or the first `# ` heading)."""
    chosen: tuple[int, str] | None = None
    for offset, line in enumerate(preamble.lines):
        match = _MODE_HEADING.match(line)
        if match:
            chosen = (offset, match.group("title"))
            break
        plain = _H1.match(line)
        if plain and chosen is None:
            chosen = (offset, plain.group("title"))
    if chosen is None:
        return
    offset, title = chosen
    if set_line:
        draft.line = preamble.first_line + offset
    slug_match = _TITLE_SLUG.match(title) or _TITLE_CODE_SLUG.match(title)
    if slug_match and slug_match.group("slug").strip():
        title = slug_match.group("name")
        draft.slug = slug_match.group("slug").strip()
    emoji, name = split_emoji(title)
    draft.emoji = emoji
    draft.name = name.strip() or None


def _read_sections(
    preamble: Section, sections: list[Section], draft: ModeDraft
) -> tuple[list[str], int] | None:
    """Fill the section fields; returns the metadata lines and their first file line."""
    texts: dict[SectionTarget, list[str]] = {}
    metadata: list[str] = []
    metadata_first: int | None = None
    in_instructions = False
    seen: set[SectionTarget] = set()
    metadata_indices = [
        i for i, s in enumerate(sections) if _SECTION_FIELDS.get(s.key) == "metadata"
    ]
    last_metadata = metadata_indices[-1] if metadata_indices else -1
    for index, section in enumerate(sections):
        target = _SECTION_FIELDS.get(section.key)
        # inside the custom instructions only the file's last `## Metadata` ends them
        ends = target == "metadata" and index == last_metadata
        if in_instructions and not ends and (target in (None, "metadata") or target in seen):
            texts["custom_instructions"].extend([f"## {section.title}", *section.lines])
            continue
        in_instructions = target == "custom_instructions"
        if target is None:
            draft.extra.setdefault("sections", {})[section.title] = trimmed_text(section.lines)
            continue
        seen.add(target)
        if target == "metadata":
            if metadata_first is None:
                metadata_first = section.first_line
                metadata = list(section.lines)
            else:
                metadata.extend(_padding(metadata_first, metadata, section.first_line))
                metadata.extend(section.lines)
        elif target in ("capabilities", "workflow"):
            items = list_items(trimmed_lines(section.lines), _first_content(section))
            getattr(draft, target).extend(item.text for item in items)
        else:
            chunk = texts.setdefault(target, [])
            if chunk:
                chunk.append("")
            # custom instructions keep their inner rules; their ends are trimmed below
            raw = target == "custom_instructions"
            chunk.extend(section.lines if raw else trimmed_lines(section.lines))
    for target, lines in texts.items():
        setattr(draft, target, trimmed_text(lines))
    if metadata_first is not None:
        return metadata, metadata_first
    return _loose_metadata(preamble, sections, draft)


def _first_content(section: Section) -> int:
    """File line of the first non-blank content line of a section."""
    for offset, line in enumerate(section.lines):
        if line.strip():
            return section.first_line + offset
    return section.first_line


def _padding(first: int, lines: list[str], next_first: int) -> list[str]:
    """Blank lines that keep file line numbers right when joining two blocks."""
    return [""] * max(0, next_first - (first + len(lines)))


def _loose_metadata(
    preamble: Section, sections: list[Section], draft: ModeDraft
) -> tuple[list[str], int] | None:
    """Bold mode keys with no `## Metadata` heading: after the last rule, or up top."""
    if sections:
        last = sections[-1]
        for offset in range(len(last.lines) - 1, -1, -1):
            if is_rule(last.lines[offset]):
                tail = last.lines[offset + 1 :]
                if _starts_with_mode_key(tail):
                    _drop_tail_from_field(draft, tail)
                    return tail, last.first_line + offset + 1
                break
    if _starts_with_mode_key([line for line in preamble.lines if not line.startswith("#")]):
        return preamble.lines, preamble.first_line
    return None


def _starts_with_mode_key(lines: list[str]) -> bool:
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            return is_key_line(line) in KEY_FIELDS
    return False


def _drop_tail_from_field(draft: ModeDraft, tail: list[str]) -> None:
    """The metadata tail was read into a text field with the last section; take it out."""
    tail_text = trimmed_text(tail)
    for target in ("custom_instructions", "role_definition", "description", "when_to_use"):
        value: str = getattr(draft, target)
        if tail_text and value.endswith(tail_text):
            kept = value[: -len(tail_text)].split("\n")
            setattr(draft, target, trimmed_text(kept))
            return
