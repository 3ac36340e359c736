"""Regression tests for the mode-catalog review (issue 2 follow-up), one per finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from modegraph.findings import Code, Severity
from modegraph.modes.catalog.loader import load_file, load_text
from modegraph.modes.formats._references import parse_reference_item
from modegraph.modes.model import Mode

SEED = Path(__file__).resolve().parents[1] / "data" / "000_fcc372a2e7cd4ede.txt"


def _one(text: str, path: str = "x.mode.md") -> Mode:
    result = load_text(text, path=path)
    assert len(result.modes) == 1, result.findings
    return result.modes[0]


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("`database-lead`, security-specialist", ["database-lead", "security-specialist"]),
        ("`a` and b", ["a", "b"]),
        ("`a` / b, c", ["a", "b", "c"]),
        ("x-one, `y-two`", ["x-one", "y-two"]),
    ],
)
def test_backticked_then_bare_slug_gives_both(item: str, expected: list[str]) -> None:
    parsed = parse_reference_item(item, line=3)
    assert [ref.slug for ref in parsed.references] == expected
    assert all(ref.note is None for ref in parsed.references)


def test_backticked_slug_keeps_parenthesised_note() -> None:
    parsed = parse_reference_item("`database-specialist` (for schema work)", line=1)
    assert [(r.slug, r.note) for r in parsed.references] == [
        ("database-specialist", "for schema work")
    ]


_FENCED = """# Mode: Esc (`esc`)

## Custom Instructions
Run this:

```bash
docker run \\
  --rm image
echo "a \\"q\\" w"
```

Ends with a hard break\\
here.

## Metadata
**Level:** 032-worker-backend
"""


def test_json_cleanup_leaves_undamaged_files_alone() -> None:
    result = load_text(_FENCED, path="esc.mode.md")
    mode = result.modes[0]
    assert 'docker run \\\n  --rm image\necho "a \\"q\\" w"' in mode.custom_instructions
    assert "hard break\\" in mode.custom_instructions
    assert Code.JSON_ARTIFACTS_CLEANED not in {f.code for f in result.findings}


def test_json_cleanup_runs_on_damaged_files_but_not_in_clean_fences() -> None:
    damaged = _FENCED.replace("Run this:\n", 'Run this:\\\n\\\nStep one.\\\nStep \\"two\\".\n')
    result = load_text(damaged, path="esc.mode.md")
    text = result.modes[0].custom_instructions
    assert 'Run this:\n\nStep one.\nStep "two".' in text
    assert 'docker run \\\n  --rm image\necho "a \\"q\\" w"' in text  # fence untouched
    info = [f for f in result.findings if f.code is Code.JSON_ARTIFACTS_CLEANED]
    assert len(info) == 1 and info[0].severity is Severity.INFO
    assert "continuation" in info[0].message and info[0].line == 4


def test_seed_custom_instructions_still_clean() -> None:
    result = load_file(SEED)
    text = result.modes[0].custom_instructions
    assert "\\\n" not in text + "\n" and '\\"' not in text
    assert not any(line.rstrip().endswith("\\") for line in text.splitlines())
    assert Code.JSON_ARTIFACTS_CLEANED in {f.code for f in result.findings}


@pytest.mark.parametrize(
    ("stem", "slug"),
    [
        ("032-worker-backend-api-tester", "api-tester"),
        ("036-worker-security-security-specialist", "security-specialist"),
        ("010-dir-technical-architect", "technical-architect"),
        ("020-lead-database-database-lead", "database-lead"),
        ("032-fastapi-developer", "fastapi-developer"),
        ("020-lead-design", "design"),
    ],
)
def test_file_name_slug_and_reference_stem_share_one_rule(stem: str, slug: str) -> None:
    from modegraph.modes.catalog.resolution import Resolver, stem_slug
    from modegraph.modes.formats._draft import slug_from_path

    assert stem_slug(stem) == slug
    assert slug_from_path(f"dir/{stem}.mode.md") == slug
    resolver = Resolver(slugs={slug, "x"}, levels={}, aliases={})
    assert resolver.resolve(stem).slug == slug


def test_headless_file_takes_the_stem_slug() -> None:
    text = "## Role Definition\nYou test.\n\n## Metadata\n**Level:** 032-worker-backend\n"
    result = load_text(text, path="032-worker-backend-api-tester.mode.md")
    assert [mode.slug for mode in result.modes] == ["api-tester"]


def test_markdown_round_trip_keeps_metadata_lookalikes_in_the_instructions() -> None:
    from modegraph.modes.formats.roo_markdown.writer import markdown_file
    from modegraph.modes.model import ToolGroup

    mode = Mode(
        slug="tricky",
        name="Tricky",
        level="032-worker-backend",
        role_definition="You are tricky.",
        custom_instructions=(
            "Write your mode like this:\n\n## Metadata\n**Level:** 000-executive\n"
            "**Escalates To:**\n- `roo-commander`\n\n## When to Use\nAlways."
        ),
        tool_groups=(
            ToolGroup(name="edit", file_regex=r"docs/.*, description: x\.md$", description="D"),
            ToolGroup(name="edit", file_regex=r"a(b)c", description="see (1), # two"),
            ToolGroup(name="read"),
        ),
    )
    written, _ = markdown_file(mode)
    back = load_text(written.text, path=written.name).modes[0]
    assert back.level == "032-worker-backend"
    assert back.escalates_to == ()
    assert back.when_to_use == ""
    assert back.custom_instructions == mode.custom_instructions
    assert back.tool_groups == mode.tool_groups


def test_fifo_and_binary_mode_files_are_findings_not_hangs(tmp_path: Path) -> None:
    import os

    from modegraph.modes.catalog.loader import load_paths

    os.mkfifo(tmp_path / "x.mode.md")
    os.mkfifo(tmp_path / "sniffed.md")  # sniffed by content: must not be opened either
    (tmp_path / "bin.mode.md").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00\xd0\x9f" * 50)
    result = load_paths([tmp_path])
    assert result.modes == []
    by_path = {Path(f.path or "").name: f for f in result.findings}
    assert set(by_path) == {"x.mode.md", "bin.mode.md"}
    assert by_path["x.mode.md"].code is Code.UNREADABLE_FILE
    assert "FIFO" in by_path["x.mode.md"].message
    assert by_path["bin.mode.md"].code is Code.UNREADABLE_FILE
    assert by_path["bin.mode.md"].severity is Severity.ERROR


@pytest.mark.parametrize(
    ("fmt", "wanted", "unwanted"),
    [
        ("roo-markdown", "**Escalates To:**", "cannot declare"),
        ("yaml", "`escalates_to`", "**"),
        ("roo-toml", "`escalate_to`", "**"),
        ("roomodes", "Roo Code files cannot declare references", "**"),
        ("claude", "Claude Code agent files cannot declare references", "**"),
    ],
)
def test_lint_hints_speak_the_source_format(fmt: str, wanted: str, unwanted: str) -> None:
    from modegraph.modes.catalog import Catalog
    from modegraph.modes.model import Reference, SourceFormat, SourceInfo
    from modegraph.roles.lint import lint_catalog

    source = SourceInfo(path=f"m.{fmt}", line=1, format=SourceFormat(fmt))
    worker = Mode(slug="w", name="W", level="032-worker-backend", source=source)
    lead = Mode(
        slug="lead",
        name="Lead",
        level="020-lead",
        delegates_to=(Reference(slug="other"),),
        source=SourceInfo(path="lead.mode.md", line=1, format=SourceFormat.ROO_MARKDOWN),
    )
    other = Mode(slug="other", name="O", level="032-worker-backend")
    findings = lint_catalog(Catalog([worker, lead, other]))
    hints = [f.hint or "" for f in findings if f.slug == "w"]
    assert hints and all(wanted in hint and unwanted not in hint for hint in hints), hints


def test_tool_group_findings_point_at_the_group_line() -> None:
    result = load_file(SEED)
    [browser] = [f for f in result.findings if f.code is Code.DEPRECATED_TOOL_GROUP]
    assert browser.line == 175
    text = (
        "# Mode: G (`g`)\n\n## Metadata\n**Level:** 032-worker-backend\n**Tool Groups:**\n"
        "- read\n- frob\n- edit (fileRegex: [unclosed)\n- read\n"
    )
    lines = {f.code: f.line for f in load_text(text, path="g.mode.md").findings}
    assert lines[Code.UNKNOWN_TOOL_GROUP] == 7
    assert lines[Code.INVALID_REGEX] == 8
    assert lines[Code.DUPLICATE_GROUP] == 9


def test_roomodes_and_yaml_groups_carry_their_lines() -> None:
    roomodes = (
        '{"customModes": [{"slug": "r", "name": "R", "roleDefinition": "x",\n'
        '  "groups": [\n    "read",\n    "browser"\n  ]}]}\n'
    )
    result = load_text(roomodes, path=".roomodes")
    assert [g.line for g in result.modes[0].tool_groups] == [3, 4]
    [deprecated] = [f for f in result.findings if f.code is Code.DEPRECATED_TOOL_GROUP]
    assert deprecated.line == 4
    native = "slug: y\nname: Y\ntool_groups:\n  - read\n  - frob\n"
    found = load_text(native, path="y.mode.yaml")
    [unknown] = [f for f in found.findings if f.code is Code.UNKNOWN_TOOL_GROUP]
    assert unknown.line == 5


def test_toml_tool_groups_as_a_string_is_wrong_type() -> None:
    text = '+++\nid = "t"\nname = "T"\nallowed_tool_groups = "read"\n+++\nBody.\n'
    result = load_text(text, path="t.mode.md")
    wrong = [f for f in result.findings if f.code is Code.WRONG_TYPE]
    assert len(wrong) == 1 and wrong[0].line == 4 and wrong[0].severity is Severity.ERROR
    assert [g.name for g in result.modes[0].tool_groups] == ["read"]


def test_unknown_claude_tool_is_a_warning_naming_the_known_ones() -> None:
    from modegraph.modes.formats.claude.reader import CLAUDE_TOOLS, TOOL_GROUPS

    assert set(TOOL_GROUPS) <= set(CLAUDE_TOOLS)
    text = "---\nname: a\ndescription: d\ntools: Read, Frobnicate, Gerp, TodoWrite\n---\nPrompt.\n"
    result = load_text(text, path=".claude/agents/a.md")
    unknown = [f for f in result.findings if f.code is Code.UNKNOWN_TOOL]
    assert [f.message.split("'")[1] for f in unknown] == ["Frobnicate", "Gerp"]
    assert all(f.severity is Severity.WARNING and f.line == 4 for f in unknown)
    assert "mcp__<server>__<tool>" in (unknown[0].hint or "")
    assert "did you mean 'Grep'" in (unknown[1].hint or "")


def test_an_invalid_heading_slug_is_invalid_slug_not_the_file_name() -> None:
    text = "# Mode: X (`a b`)\n\n## Metadata\n**Level:** 032-worker-backend\n"
    result = load_text(text, path="x.mode.md")
    assert [m.slug for m in result.modes] == ["a b"]
    assert Code.INVALID_SLUG in {f.code for f in result.findings}


def test_a_non_slug_joined_to_a_reference_is_an_ambiguous_reference_warning() -> None:
    text = (
        "# Mode: A (`a-mode`)\n\n## Metadata\n**Level:** 032-worker-backend\n**Escalates To:**\n"
        "- `database-lead`, Security Specialist\n- `infra-lead` (for servers)\n"
    )
    result = load_text(text, path="a.mode.md")
    assert [r.slug for r in result.modes[0].escalates_to] == ["database-lead", "infra-lead"]
    ambiguous = [f for f in result.findings if f.code is Code.AMBIGUOUS_REFERENCE]
    assert len(ambiguous) == 1 and ambiguous[0].line == 6
    assert "Security Specialist" in ambiguous[0].message
