"""The Roo Commander Markdown reader on messy fixtures and on small texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from modegraph.findings import Code, Severity
from modegraph.modes.formats.reading import ReadResult
from modegraph.modes.formats.roo_markdown.reader import looks_like_roo_markdown, read_roo_markdown
from modegraph.modes.model import Mode, Reference, SourceFormat, ToolGroup
from modegraph.modes.text import decode

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str) -> ReadResult:
    text, findings = decode((FIXTURES / name).read_bytes(), path=name)
    result = read_roo_markdown(text, path=name)
    result.findings[:0] = findings
    return result


def only_mode(result: ReadResult) -> Mode:
    assert len(result.modes) == 1, result.findings
    return result.modes[0]


def line_of(name: str, needle: str) -> int:
    text, _ = decode((FIXTURES / name).read_bytes())
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {name}")


def codes(result: ReadResult) -> list[Code]:
    return [f.code for f in result.findings]


# -- front matter ---------------------------------------------------------------------


def test_front_matter_wins_on_level_and_the_conflict_names_both_lines() -> None:
    name = "md_front_matter_level_conflict.mode.md"
    result = read(name)
    mode = only_mode(result)
    assert mode.slug == "api-gateway-developer"
    assert mode.level == "031-worker-gateway"
    (conflict,) = result.findings
    assert conflict.code is Code.LEVEL_CONFLICT
    assert conflict.severity is Severity.WARNING
    fm_line = line_of(name, "level: 031")
    body_line = line_of(name, "**level:**")
    assert conflict.line == fm_line
    assert f"(line {fm_line})" in conflict.message
    assert f"(line {body_line})" in conflict.message
    assert "032-worker-backend" in conflict.message


def test_front_matter_fields_merge_and_win() -> None:
    mode = only_mode(read("md_front_matter_level_conflict.mode.md"))
    assert mode.name == "API Gateway Developer"
    assert mode.emoji == "🛡️"  # the front matter's emoji beats the heading's
    assert mode.tags == ("gateway", "proxy", "routing")  # a comma string is split
    assert mode.description == "Builds and tunes API gateways."
    assert mode.extra == {"author": "someone", "created": "2025-04-01"}
    assert mode.source.line == 1


def test_same_level_twice_is_no_conflict() -> None:
    text = "---\nlevel: 030-worker\n---\n# Mode: A (`a`)\n## Metadata\n**Level:** 030-worker\n"
    result = read_roo_markdown(text)
    assert result.findings == []
    assert only_mode(result).level == "030-worker"


def test_front_matter_syntax_error_has_the_parser_line_and_the_body_still_reads() -> None:
    name = "md_front_matter_syntax_error.mode.md"
    result = read(name)
    (error,) = result.findings
    assert error.code is Code.SYNTAX_ERROR
    assert error.severity is Severity.ERROR
    assert error.line == line_of(name, "level: 030-worker")
    assert "YAML" in error.message
    assert error.hint
    mode = only_mode(result)
    assert mode.slug == "broken-yaml"
    assert mode.level is None


def test_front_matter_wrong_types() -> None:
    name = "md_front_matter_wrong_types.mode.md"
    result = read(name)
    wrong = {f.line: f for f in result.findings if f.code is Code.WRONG_TYPE}
    assert set(wrong) == {
        line_of(name, "name:"),
        line_of(name, "description:"),
        line_of(name, "delegates_to:"),
    }
    assert "mapping" in wrong[line_of(name, "name:")].message
    mode = only_mode(result)
    assert mode.name == "Wrong Types"  # from the heading
    assert mode.description == ""
    assert [r.slug for r in mode.escalates_to] == ["database-specialist", "security-specialist"]
    assert mode.delegates_to == ()
    assert [g.name for g in mode.tool_groups] == ["read", "edit"]
    assert mode.categories == ("Backend",)
    assert mode.model == "7"


def test_a_yaml_list_after_the_opening_rule_is_markdown_not_front_matter() -> None:
    result = read_roo_markdown("---\n- a\n- b\n---\n# Mode: X (`x`)\n", path="x.md")
    assert result.findings == []
    assert only_mode(result).slug == "x"


def test_unclosed_front_matter() -> None:
    result = read_roo_markdown("---\nslug: x\n# Mode: X (`x`)\n", path="x.md")
    assert codes(result) == [Code.SYNTAX_ERROR]
    assert result.findings[0].line == 1
    assert "never closed" in result.findings[0].message
    assert only_mode(result).slug == "x"


def test_front_matter_references_with_lines_and_notes() -> None:
    text = (
        "---\nslug: fm-refs\nname: FM Refs\n"
        "escalates_to:\n  - database-specialist\n  - '`security-specialist` # auth'\n"
        "  - {slug: cicd-specialist, note: pipelines}\n  - 42\n"
        "tool_groups:\n  - read\n  - [edit, {fileRegex: '\\.md$', description: Docs}]\n"
        "api_configuration: {model: quasar-alpha, temperature: 0.2}\n---\n"
    )
    result = read_roo_markdown(text)
    mode = only_mode(result)
    assert mode.escalates_to == (
        Reference(slug="database-specialist", line=5),
        Reference(slug="security-specialist", note="auth", line=6),
        Reference(slug="cicd-specialist", note="pipelines", line=7),
    )
    assert mode.tool_groups == (
        ToolGroup(name="read"),
        ToolGroup(name="edit", file_regex="\\.md$", description="Docs"),
    )
    assert mode.model == "quasar-alpha"
    assert mode.extra == {"api_configuration": {"temperature": 0.2}}
    (wrong,) = result.findings  # the number 42 is not a slug
    assert (wrong.code, wrong.line) == (Code.WRONG_TYPE, 8)


# -- heading and slug -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "emoji", "name", "slug"),
    [
        (
            "# Mode: 🚀 FastAPI Developer (`fastapi-developer`)",
            "🚀",
            "FastAPI Developer",
            "fastapi-developer",
        ),
        (
            "# Mode: FastAPI Developer (fastapi-developer)",
            None,
            "FastAPI Developer",
            "fastapi-developer",
        ),
        ("# mode:   🧑‍💻 Dev   (`dev`)  ", "🧑‍💻", "Dev", "dev"),
        ("# Mode: ⚙️ Config Keeper", "⚙️", "Config Keeper", None),
        ("# 🏗️ Architect (`architect`)", "🏗️", "Architect", "architect"),
        ("# Mode: C++ Developer (`cpp-developer`)", None, "C++ Developer", "cpp-developer"),
    ],
)
def test_heading_forms(heading: str, emoji: str | None, name: str, slug: str | None) -> None:
    result = read_roo_markdown(f"{heading}\n\n## Description\nText.\n", path="010-fallback.mode.md")
    mode = only_mode(result)
    assert (mode.emoji, mode.name) == (emoji, name)
    assert mode.slug == (slug or "fallback")


def test_missing_heading_slug_from_the_file_name() -> None:
    mode = only_mode(read("032-api-tester.mode.md"))
    assert mode.slug == "api-tester"  # numeric prefix and `.mode.md` dropped
    assert mode.name == "API Tester"
    assert mode.level == "033-worker-qa"
    assert mode.capabilities == ("Write request collections", "Assert response schemas")


def test_no_slug_anywhere_is_a_missing_field_error() -> None:
    text = (FIXTURES / "md_no_slug_anywhere.md").read_text(encoding="utf-8")
    result = read_roo_markdown(text, path=None)
    assert result.modes == []
    (missing,) = result.findings
    assert missing.code is Code.MISSING_FIELD
    assert missing.severity is Severity.ERROR
    assert "slug" in missing.message
    assert missing.hint is not None and "# Mode:" in missing.hint


def test_no_name_is_a_missing_field_error_but_the_mode_is_kept() -> None:
    result = read_roo_markdown("---\nslug: nameless-one\n---\n## Description\nx\n")
    mode = only_mode(result)
    assert mode.name == "Nameless One"
    assert codes(result) == [Code.MISSING_FIELD]
    assert result.findings[0].slug == "nameless-one"


def test_empty_text() -> None:
    result = read_roo_markdown(" \n\n", path="e.md")
    assert result.modes == []
    assert codes(result) == [Code.EMPTY_FILE]


# -- sections and lists -----------------------------------------------------------------


def test_list_markers_indentation_and_numbering() -> None:
    mode = only_mode(read("md_list_markers.mode.md"))
    assert mode.capabilities == (
        "Star with three spaces",
        "Star with one space",
        "Dash item",
        "Plus item\n- Nested detail of the plus item",
        "Item with a continuation line that belongs to it\n*   Deeply indented star item",
    )
    assert mode.workflow == (
        "First step",
        "Second step with a paren More words for step two",
        "Tenth step keeps its place",
    )
    assert [g.name for g in mode.tool_groups] == ["read", "edit"]


def test_capabilities_without_list_markers_are_one_per_line() -> None:
    text = "# Mode: P (`p`)\n## Capabilities\nWrites code\n\nReviews code\n"
    assert only_mode(read_roo_markdown(text)).capabilities == ("Writes code", "Reviews code")


def test_custom_instructions_keep_rules_fences_and_following_unknown_sections() -> None:
    mode = only_mode(read("md_custom_instructions_rich.mode.md"))
    ci = mode.custom_instructions
    assert ci.startswith("### Part one")
    assert "\n---\n" in ci
    assert "**Level:** 999-not-this-one" in ci  # inside a code fence: not metadata
    assert ci.endswith("An unknown section after the custom instructions stays in them.")
    assert "## Examples" in ci
    assert mode.level == "030-worker-general"
    assert mode.extra == {"sections": {"Glossary": "Unknown section after metadata is kept aside."}}


def test_an_unclosed_fence_does_not_swallow_the_metadata() -> None:
    text = (
        "# Mode: F (`f`)\n## Custom Instructions\n```python\nx = 1\n## Metadata\n**Level:** 030-w\n"
    )
    mode = only_mode(read_roo_markdown(text))
    assert mode.level == "030-w"
    assert mode.custom_instructions == "```python\nx = 1"


def test_metadata_without_its_heading_after_the_last_rule() -> None:
    name = "md_no_metadata_heading.mode.md"
    mode = only_mode(read(name))
    assert mode.role_definition == "You are a mode whose metadata has no heading."
    assert mode.level == "040-assistant-docs"
    assert mode.escalates_to == (
        Reference(slug="technical-writer", line=line_of(name, "`technical-writer`")),
    )


def test_duplicated_sections_are_both_read() -> None:
    text = (
        "# Mode: D (`d`)\n## Capabilities\n- a\n## Description\nOne.\n"
        "## Capabilities\n- b\n## Description\nTwo.\n"
    )
    mode = only_mode(read_roo_markdown(text))
    assert mode.capabilities == ("a", "b")
    assert mode.description == "One.\n\nTwo."


def test_json_conversion_artifacts_are_cleaned() -> None:
    mode = only_mode(read("md_json_artifacts.mode.md"))
    assert mode.role_definition == (
        'You are a mode whose text went through JSON.\nIt still says "hello" with escaped quotes.'
    )
    assert '    print("done")' in mode.custom_instructions
    assert "```\\" not in mode.custom_instructions
    assert mode.custom_instructions.endswith("C:\\\\")  # an even run of backslashes stays
    assert mode.level == "030-worker-general"
    assert mode.tool_groups == (ToolGroup(name="read"),)


# -- metadata, references, tool groups --------------------------------------------------


def test_messy_references() -> None:
    name = "md_references_messy.mode.md"
    mode = only_mode(read(name))
    assert mode.level == "020-lead-backend"
    delegates = [(r.slug, r.note) for r in mode.delegates_to]
    assert delegates == [
        ("technical-architect", "For architecture decisions"),
        ("frontend-developer", None),
        ("api-developer", None),
        ("fastapi-developer", None),
        ("database-specialist", None),
        ("security-specialist", None),
        ("e2e-tester", "for browser flows"),
        ("roo-commander", "final sign-off"),
        ("integration-tester", None),
        ("performance-optimizer", None),
    ]
    assert mode.delegates_to[0].line == line_of(name, "`technical-architect`")
    # both `**escalates to:**` blocks are read, placeholders are not references
    assert mode.escalates_to == (
        Reference(slug="infrastructure-lead", line=line_of(name, "`infrastructure-lead`")),
    )
    assert mode.reports_to == (
        Reference(slug="roo-commander", note="always", line=line_of(name, "**Reports To:**")),
    )
    placeholders = [(p["kind"], p["text"]) for p in mode.extra["placeholder_references"]]
    assert placeholders == [
        ("delegate", "Relevant specialists"),
        ("delegate", "N/A"),
        ("delegate", "N/A"),
        ("delegate", "None directly"),
        ("escalate", "None"),
        ("escalate", "Requesting Mode"),
        ("escalate", "Relevant Lead"),
    ]
    assert mode.extra["Context Sources"] == ["`project_journal/context/`", "the stack profile"]
    assert mode.extra["Notes"] == "free text on the key line"
    assert mode.categories == ()  # a key with no items
    assert mode.stack == ("Python", "FastAPI")  # a value on the key's line


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("`a-mode`", [("a-mode", None)]),
        ("a-mode", [("a-mode", None)]),
        ("`a-mode` # why", [("a-mode", "why")]),
        ("`a` / `b`", [("a", None), ("b", None)]),
        ("a / b", [("a", None), ("b", None)]),
        ("`MyMode`", [("MyMode", None)]),
        ("`010-dir-technical-architect`", [("010-dir-technical-architect", None)]),
        ("[roo-commander](../roo-commander.mode.md)", [("roo-commander", None)]),
        ("None", []),
        ("none", []),
        ("`None`", []),
        ("N/A", []),
        ("[N/A]", []),
        ("TBD", []),
        ("None directly", []),
        ("Requesting Mode", []),
        ("Relevant Lead", []),
        ("relevant lead", []),
        ("Any relevant specialist (e.g., `react-developer`, `vue-developer`)", []),
        ("(e.g., react-developer)", []),
        ("123", []),
        ("orchestrator (final reports)", [("orchestrator", "final reports")]),
        ("orchestrator: final reports", [("orchestrator", "final reports")]),
        ("roo-commander - for sign-off", [("roo-commander", "for sign-off")]),
        ("user (the person asking)", []),
        ("relevant lead (whoever)", []),
        ("`dev` (e.g., for UI)", [("dev", "e.g., for UI")]),
    ],
)
def test_reference_items(item: str, expected: list[tuple[str, str | None]]) -> None:
    text = f"# Mode: R (`r`)\n## Metadata\n**Escalates To:**\n- {item}\n"
    mode = only_mode(read_roo_markdown(text))
    assert [(r.slug, r.note) for r in mode.escalates_to] == expected
    assert all(r.line == 4 for r in mode.escalates_to)
    placeholders = mode.extra.get("placeholder_references", [])
    # an item that is only an example list leaves nothing, not even a placeholder
    assert bool(placeholders) == (not expected and not item.startswith("("))


def test_level_on_the_key_line_and_key_forms() -> None:
    text = (
        "# Mode: K (`k`)\n## Metadata\n- **LEVEL**: `032-worker-backend` # note\n"
        "**tool_groups:**\n* read\n**Delegates To:** `x-mode`\n"
    )
    mode = only_mode(read_roo_markdown(text))
    assert mode.level == "032-worker-backend"
    assert mode.tool_groups == (ToolGroup(name="read"),)
    assert mode.delegates_to == (Reference(slug="x-mode", line=6),)


def test_tool_groups_with_file_regex_forms() -> None:
    name = "md_tool_groups_regex.mode.md"
    result = read(name)
    mode = only_mode(result)
    assert mode.tool_groups == (
        ToolGroup(name="read"),
        ToolGroup(name="edit", file_regex=r"\.(md|mdx)$", description="Markdown and MDX only"),
        ToolGroup(name="edit", file_regex=r"\.rst$", description="reStructuredText"),
        ToolGroup(name="command", description="only for builds"),
        ToolGroup(name="mcp"),
    )
    (bad,) = result.findings
    assert bad.code is Code.WRONG_TYPE
    assert bad.line == line_of(name, "[this is not json")
    assert mode.model == "claude-sonnet"
    assert mode.extra == {"api_configuration": {"temperature": 0.2}}


def test_tool_groups_and_model_on_the_key_line() -> None:
    mode = only_mode(read("md_tool_groups_inline.mode.md"))
    assert [g.name for g in mode.tool_groups] == ["read", "command", "browser"]
    assert mode.model == "gpt-4o"


def test_duplicate_and_unknown_groups_are_left_for_the_loader_checks() -> None:
    text = "# Mode: G (`g`)\n## Metadata\n**Tool Groups:**\n- edit\n- edit\n- teleport\n"
    result = read_roo_markdown(text)
    assert result.findings == []
    assert [g.name for g in only_mode(result).tool_groups] == ["edit", "edit", "teleport"]


def test_a_json_list_of_groups_in_backticks_is_every_group() -> None:
    # Shaped like a Roo Commander v7 assistant mode: the list on the key's line, ticked.
    text = (
        "# Mode: S (`s`)\n## Metadata\n**Level:** 040-assistant\n"
        '**Tool Groups:** `["read", "edit"]`\n'
    )
    result = read_roo_markdown(text)
    assert result.findings == []
    groups = only_mode(result).tool_groups
    assert [(g.name, g.line) for g in groups] == [("read", 4), ("edit", 4)]


# -- bytes ------------------------------------------------------------------------------


def test_crlf_and_bom() -> None:
    name = "md_crlf_bom.mode.md"
    assert (FIXTURES / name).read_bytes().startswith(b"\xef\xbb\xbf")
    result = read(name)
    mode = only_mode(result)
    assert result.findings == []
    assert (mode.emoji, mode.slug, mode.level) == ("🚀", "windows-file", "030-worker")
    assert mode.escalates_to == (Reference(slug="ops-lead", line=9),)


def test_cp1252_bytes() -> None:
    result = read("md_cp1252.mode.md")
    assert codes(result) == [Code.NOT_UTF8]
    mode = only_mode(result)
    assert mode.name == "Café Mode"
    assert mode.description == "Saved as cp1252: “quoted”."


def test_mojibake_fixture() -> None:
    result = read("md_mojibake.mode.md")
    assert codes(result) == [Code.MOJIBAKE_REPAIRED]
    assert "ðŸ”§ -> 🔧" in result.findings[0].message
    mode = only_mode(result)
    assert mode.emoji == "🔧"
    assert mode.description == "Status ✅ done."
    assert mode.source.format is SourceFormat.ROO_MARKDOWN


# -- sniffing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "# Mode: X (`x`)\n",
        "intro\n**Level:** 030-worker\n",
        "# Title\n## Metadata\n\n**Tool Groups:**\n- read\n",
        "## metadata\n- **escalates to:** `a`\n",
        "```python\nnever closed\n# Mode: X (`x`)\n",
    ],
)
def test_looks_like_roo_markdown(text: str) -> None:
    assert looks_like_roo_markdown(text)


@pytest.mark.parametrize(
    "text",
    [
        "# Project README\n\nInstall with pip.\n",
        "# Knowledge base\n## Metadata\n**Author:** me\n**Updated:** today\n",
        "---\nname: code-reviewer\ndescription: Reviews.\n---\nYou review.\n",
        '+++\nid = "x"\nsystem_prompt = "y"\n+++\n',
        "# Custom instructions\n- Mode: always be nice\n",
        "# Guide\n```markdown\n# Mode: X (`x`)\n## Metadata\n**Level:** 030-w\n```\n",
        "~~~\n**Level:** 030-w\n~~~\nText.\n",
        "",
    ],
)
def test_does_not_look_like_roo_markdown(text: str) -> None:
    assert not looks_like_roo_markdown(text)


@pytest.mark.parametrize(
    "name", sorted(p.name for p in FIXTURES.glob("*md*") if "md_" in p.name or p.name[0].isdigit())
)
def test_every_markdown_fixture_is_sniffed(name: str) -> None:
    text, _ = decode((FIXTURES / name).read_bytes())
    assert looks_like_roo_markdown(text)


def test_front_matter_placeholders_are_kept_with_their_lines() -> None:
    text = "---\nslug: p\nname: P\nreports_to: [user, roo-commander]\nescalates_to: None\n---\n"
    mode = only_mode(read_roo_markdown(text))
    assert mode.reports_to == (Reference(slug="roo-commander", line=4),)
    assert mode.escalates_to == ()
    assert mode.extra["placeholder_references"] == [
        {"kind": "report", "text": "user", "line": 4},
        {"kind": "escalate", "text": "None", "line": 5},
    ]


def test_section_title_synonyms() -> None:
    text = (
        "# Mode: S (`s`)\n## Key Capabilities\n- a\n## Workflow Overview\n1. b\n"
        "## System Prompt\nYou are S.\n## When to use this mode\nAlways.\n"
    )
    mode = only_mode(read_roo_markdown(text))
    assert (mode.capabilities, mode.workflow) == (("a",), ("b",))
    assert (mode.role_definition, mode.when_to_use) == ("You are S.", "Always.")


def test_identity_from_bold_keys_when_there_is_no_heading() -> None:
    text = (
        "## Metadata\n**Slug:** `keyed-mode`\n**Name:** 🔑 Keyed Mode\n**Emoji:** 🗝️\n"
        "**When To Use:** For keys.\n**Model:** some-model\n"
        "**API Configuration:**\n- model: ignored-because-model-came-first\n"
        "- streaming: true\n- max_tokens: 4096\n- region: eu-west-1\n- top_p: .9\n"
    )
    mode = only_mode(read_roo_markdown(text))
    assert (mode.slug, mode.name, mode.emoji) == ("keyed-mode", "Keyed Mode", "🔑")
    assert mode.when_to_use == "For keys."
    assert mode.model == "some-model"
    assert mode.extra["api_configuration"] == {
        "streaming": True,
        "max_tokens": 4096,
        "region": "eu-west-1",
        "top_p": 0.9,
    }


def test_front_matter_tool_groups_of_the_wrong_type() -> None:
    text = "---\nslug: t\nname: T\ngroups: {edit: yes}\ntool_groups: [read, {}, 3]\n---\n"
    result = read_roo_markdown(text)
    mode = only_mode(result)
    assert [(f.code, f.line) for f in result.findings] == [
        (Code.WRONG_TYPE, 4),
        (Code.WRONG_TYPE, 5),
        (Code.WRONG_TYPE, 5),
    ]
    assert mode.tool_groups == (ToolGroup(name="read"),)


def test_the_project_readme_is_not_a_mode() -> None:
    readme = Path(__file__).parents[2] / "README.md"
    assert not looks_like_roo_markdown(readme.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("title", "emoji", "name"),
    [
        ("🧑‍💻 Dev", "🧑‍💻", "Dev"),
        ("🇫🇷 French Writer", "🇫🇷", "French Writer"),
        ("👍🏽 Approver", "👍🏽", "Approver"),
        ("1️⃣ First Responder", "1️⃣", "First Responder"),
        ("— Dashing Mode", None, "— Dashing Mode"),
        ("• Bullet Mode", None, "• Bullet Mode"),
        ("Ünïcode Mode", None, "Ünïcode Mode"),
        ("🚀", None, "🚀"),
    ],
)
def test_emoji_split(title: str, emoji: str | None, name: str) -> None:
    mode = only_mode(read_roo_markdown(f"# Mode: {title} (`e`)\n"))
    assert (mode.emoji, mode.name) == (emoji, name)


def test_text_not_passed_through_decode_reads_the_same() -> None:
    text = (
        "\ufeff# Mode: W (`w`)\r\n## Metadata\r\n**Level:** 030-w\r**Escalates To:**\r\n- `x-y`\r\n"
    )
    mode = only_mode(read_roo_markdown(text))
    assert (mode.name, mode.level) == ("W", "030-w")
    assert mode.escalates_to == (Reference(slug="x-y", line=5),)


def test_metadata_keys_right_under_the_heading() -> None:
    text = (
        "# Mode: Top (`top`)\n**Level:** 030-worker\n**Escalates To:** `a-b`\n\n"
        "## Description\nKeys first.\n"
    )
    mode = only_mode(read_roo_markdown(text))
    assert (mode.level, mode.description) == ("030-worker", "Keys first.")
    assert mode.escalates_to == (Reference(slug="a-b", line=3),)


def test_metadata_tail_after_custom_instructions_without_heading() -> None:
    text = (
        "# Mode: Tail (`tail`)\n## Custom Instructions\n### Do\nThings.\n\n---\n\n"
        "**Level:** 031-worker\n**Tool Groups:** read\n"
    )
    mode = only_mode(read_roo_markdown(text))
    assert mode.custom_instructions == "### Do\nThings."
    assert (mode.level, mode.tool_groups) == ("031-worker", (ToolGroup(name="read"),))


def test_a_rule_followed_by_prose_is_not_metadata() -> None:
    text = "# Mode: R (`r`)\n## Custom Instructions\nOne.\n\n---\n\nTwo, with **bold:** text.\n"
    mode = only_mode(read_roo_markdown(text))
    assert mode.custom_instructions == "One.\n\n---\n\nTwo, with **bold:** text."
    assert mode.level is None


def test_findings_name_the_mode_they_are_about() -> None:
    result = read("md_front_matter_wrong_types.mode.md")
    assert {f.slug for f in result.findings} == {"wrong-types"}


def test_a_leading_rule_is_not_front_matter() -> None:
    text = (
        "---\n# Mode: Ruled (`ruled`)\n## Description\nA rule opens the file.\n---\n"
        "## Metadata\n**Level:** 030-w\n"
    )
    result = read_roo_markdown(text)
    assert result.findings == []
    mode = only_mode(result)
    assert (mode.slug, mode.description, mode.level) == (
        "ruled",
        "A rule opens the file.",
        "030-w",
    )
    assert mode.source.line == 2  # the heading
