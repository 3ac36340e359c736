"""Property tests: a well-formed Roo Commander Markdown file reads back exactly.

Modes are generated (slugs, names with and without emoji, capabilities, workflow
steps, tool groups, references with notes, list markers and key spellings chosen at
random), rendered as Markdown here, and read: every value must come back as written.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from modegraph.modes.formats._references import PLACEHOLDER_WORDS
from modegraph.modes.formats.roo_markdown.reader import read_roo_markdown

SLUG = st.from_regex(r"[a-z][a-z0-9]{0,7}(-[a-z0-9]{1,7}){0,3}", fullmatch=True).filter(
    lambda slug: slug not in PLACEHOLDER_WORDS
)
WORD = st.from_regex(r"[A-Za-z][a-z0-9]{0,8}", fullmatch=True)
SENTENCE = st.lists(WORD, min_size=1, max_size=8).map(" ".join)
NOTE = st.none() | st.lists(WORD, min_size=1, max_size=5).map(" ".join)
MARKER = st.sampled_from(["- ", "* ", "*   ", "+ ", "  - ", "    *   "])
EMOJI = st.sampled_from([None, "🚀", "🛡️", "🧑‍💻", "✅", "🇫🇷"])
GROUPS = st.lists(st.sampled_from(["read", "edit", "command", "mcp", "modes"]), unique=True)


@st.composite
def references(draw: st.DrawFn) -> list[tuple[str, str | None]]:
    return draw(st.lists(st.tuples(SLUG, NOTE), max_size=5))


def render_reference(slug: str, note: str | None, *, backticks: bool, marker: str) -> str:
    text = f"`{slug}`" if backticks else slug
    return f"{marker}{text}" + (f" # {note}" if note else "")


@settings(max_examples=80, deadline=None)
@given(
    slug=SLUG,
    name=SENTENCE,
    emoji=EMOJI,
    level=st.from_regex(r"0[0-4][0-9]-[a-z]{3,8}(-[a-z]{3,8})?", fullmatch=True),
    capabilities=st.lists(SENTENCE, max_size=6),
    workflow=st.lists(SENTENCE, max_size=6),
    groups=GROUPS,
    escalates=references(),
    delegates=references(),
    marker=MARKER,
    backticks=st.booleans(),
    lower_keys=st.booleans(),
    comment_lines=st.booleans(),
)
def test_a_generated_mode_reads_back_exactly(
    slug: str,
    name: str,
    emoji: str | None,
    level: str,
    capabilities: list[str],
    workflow: list[str],
    groups: list[str],
    escalates: list[tuple[str, str | None]],
    delegates: list[tuple[str, str | None]],
    marker: str,
    backticks: bool,
    lower_keys: bool,
    comment_lines: bool,
) -> None:
    def key(text: str) -> str:
        return f"**{text.lower() if lower_keys else text}:**"

    title = f"{emoji} {name}" if emoji else name
    lines = [f"# Mode: {title} (`{slug}`)", "", "## Description", "Generated.", ""]
    lines += ["## Capabilities", *(f"{marker}{c}" for c in capabilities), ""]
    lines += ["## Workflow", *(f"{n}.  {w}" for n, w in enumerate(workflow, start=1)), ""]
    lines += ["---", "", "## Metadata", "", f"{key('Level')} {level}", "", key("Tool Groups")]
    lines += [f"{marker}{g}" for g in groups]
    for title_key, refs in (("Escalates To", escalates), ("Delegates To", delegates)):
        lines += ["", key(title_key)]
        if comment_lines:
            lines.append("  # a comment-only group line")
        lines += [render_reference(s, n, backticks=backticks, marker=marker) for s, n in refs]
    result = read_roo_markdown("\n".join(lines) + "\n", path="generated.mode.md")
    assert result.findings == []
    (mode,) = result.modes
    assert (mode.slug, mode.name, mode.emoji, mode.level) == (slug, name, emoji, level)
    assert mode.capabilities == tuple(capabilities)
    assert mode.workflow == tuple(workflow)
    assert tuple(g.name for g in mode.tool_groups) == tuple(groups)
    assert [(r.slug, r.note) for r in mode.escalates_to] == escalates
    assert [(r.slug, r.note) for r in mode.delegates_to] == delegates
    for ref in (*mode.escalates_to, *mode.delegates_to):
        assert ref.line is not None
        assert ref.slug in lines[ref.line - 1]
