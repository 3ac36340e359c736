import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from modegraph.findings import Code, Severity
from modegraph.modes.formats.roocode.reader import looks_like_roomodes, read_roomodes
from modegraph.modes.model import SourceFormat, ToolGroup

FIXTURES = Path(__file__).parent / "fixtures_h2" / "roomodes"


def codes(result):  # type: ignore[no-untyped-def]
    return [(f.code, f.line) for f in result.findings]


def test_roomodes_json_reads_every_field() -> None:
    text = (FIXTURES / ".roomodes").read_text(encoding="utf-8")
    result = read_roomodes(text, path=".roomodes")
    assert result.findings == []
    docs, tester = result.modes
    assert docs.slug == "docs-writer"
    assert docs.name == "Docs Writer"
    assert docs.emoji == "📝"
    assert docs.role_definition.startswith("You write and maintain")
    assert docs.when_to_use == "For README files, guides and API reference pages."
    assert docs.description == "Writes documentation"
    assert docs.custom_instructions == "Keep sentences short."
    assert docs.tool_groups == (
        ToolGroup(name="read"),
        ToolGroup(name="edit", file_regex=r"\.(md|mdx)$", description="Markdown files only"),
        ToolGroup(name="command"),
    )
    assert docs.tags == ("docs", "markdown")
    assert docs.model == "quasar-alpha"
    assert docs.extra == {
        "source": "project",
        "apiConfiguration": {"model": "quasar-alpha", "temperature": 0.2},
    }
    assert docs.source.path == ".roomodes"
    assert docs.source.line == 3
    assert docs.source.format is SourceFormat.ROOMODES
    assert tester.source.line == 19
    assert tester.extra == {"escalatesTo": ["backend-lead"]}
    assert tester.emoji is None


def test_custom_modes_yaml_reads_nested_groups() -> None:
    text = (FIXTURES / "custom_modes.yaml").read_text(encoding="utf-8")
    result = read_roomodes(text, path="custom_modes.yaml")
    assert result.findings == []
    reviewer, broken = result.modes
    assert reviewer.emoji == "🗄️"
    assert reviewer.name == "SQL Reviewer"
    assert reviewer.role_definition == "You review SQL migrations for safety."
    assert reviewer.tool_groups[1] == ToolGroup(
        name="edit", file_regex=r"\.sql$", description="SQL files"
    )
    assert reviewer.source.line == 2
    # the reader keeps what it can; the per-mode checks (loader) judge slugs and groups
    assert broken.slug == "Bad Slug!"
    assert broken.source.line == 11
    assert [g.name for g in broken.tool_groups] == ["read", "read", "teleport", "edit"]


def test_bare_mode_object_and_bare_list() -> None:
    bare = read_roomodes(
        json.dumps({"slug": "solo", "name": "Solo", "roleDefinition": "r", "groups": []}),
        path="solo.json",
    )
    assert [m.slug for m in bare.modes] == ["solo"]
    assert bare.findings == []
    listed = read_roomodes(
        '[{"slug": "a", "name": "A", "roleDefinition": "r", "groups": ["read"]}]', path="l.json"
    )
    assert [m.slug for m in listed.modes] == ["a"]


def test_json_syntax_error_has_the_parser_line() -> None:
    result = read_roomodes('{\n  "customModes": [\n    {"slug": "a",}\n  ]\n}', path="x")
    assert codes(result) == [(Code.SYNTAX_ERROR, 3)]
    assert result.findings[0].severity is Severity.ERROR
    assert "JSON syntax error" in result.findings[0].message
    assert result.modes == []


def test_yaml_syntax_error_at_the_end_names_where_the_open_bracket_starts() -> None:
    result = read_roomodes("customModes:\n  - slug: a\n    name: [unclosed\n", path="x")
    assert result.findings[0].code is Code.SYNTAX_ERROR
    assert result.findings[0].line == 3  # the parser's line 4 is past the end
    assert "YAML syntax error" in result.findings[0].message


def test_custom_modes_not_a_list() -> None:
    result = read_roomodes("x: 1\ncustomModes: oops\n", path="x")
    assert codes(result) == [(Code.WRONG_TYPE, 2)]
    assert "`customModes` should be a list" in result.findings[0].message


def test_no_modes_at_all_is_missing_field() -> None:
    result = read_roomodes("{}", path="x")
    assert codes(result) == [(Code.MISSING_FIELD, 1)]
    assert read_roomodes("customModes:\n", path="x").findings == []


def test_empty_text() -> None:
    assert codes(read_roomodes("  \n", path="x")) == [(Code.EMPTY_FILE, 1)]


def test_mode_that_is_not_a_mapping_is_skipped() -> None:
    result = read_roomodes("customModes:\n  - just a string\n", path="x")
    assert result.modes == []
    assert codes(result) == [(Code.WRONG_TYPE, 2)]


def test_missing_slug_skips_the_mode() -> None:
    result = read_roomodes(
        "customModes:\n  - name: A\n    roleDefinition: r\n    groups: []\n", path="x"
    )
    assert result.modes == []
    assert codes(result) == [(Code.MISSING_FIELD, 2)]


def test_numeric_slug_is_kept_as_text_list_slug_is_wrong_type() -> None:
    ok = read_roomodes('{"slug": 42, "name": "N", "roleDefinition": "r", "groups": []}')
    assert ok.modes[0].slug == "42"
    bad = read_roomodes('{"slug": ["a"], "name": "N", "roleDefinition": "r", "groups": []}')
    assert bad.modes == []
    assert [f.code for f in bad.findings] == [Code.WRONG_TYPE]


def test_missing_and_wrong_required_fields_keep_the_mode() -> None:
    text = "customModes:\n  - slug: a\n    name: ''\n    roleDefinition: 7\n    whenToUse: [x]\n"
    result = read_roomodes(text, path="x")
    (mode,) = result.modes
    assert mode.name == "a"  # falls back to the slug
    assert mode.role_definition == ""
    assert mode.when_to_use == ""
    assert codes(result) == [
        (Code.MISSING_FIELD, 3),  # name empty
        (Code.WRONG_TYPE, 4),  # roleDefinition a number
        (Code.WRONG_TYPE, 5),  # whenToUse a list
        (Code.MISSING_FIELD, 2),  # groups missing: line of the mode
    ]
    assert all(f.slug == "a" for f in result.findings)


def test_bad_group_entries_are_wrong_type_with_their_line() -> None:
    text = (
        "customModes:\n"
        "  - slug: a\n"
        "    name: A\n"
        "    roleDefinition: r\n"
        "    groups:\n"
        "      - read\n"
        "      - 5\n"
        "      - [edit, {fileRegex: 3}]\n"
        "      - [edit, {}, extra]\n"
        "      - [edit, null]\n"
    )
    result = read_roomodes(text, path="x")
    assert [g.name for g in result.modes[0].tool_groups] == ["read", "edit"]
    assert codes(result) == [(Code.WRONG_TYPE, 7), (Code.WRONG_TYPE, 8), (Code.WRONG_TYPE, 9)]


def test_groups_not_a_list() -> None:
    result = read_roomodes('{"slug": "a", "name": "A", "roleDefinition": "r", "groups": "edit"}')
    assert [f.code for f in result.findings] == [Code.WRONG_TYPE]


def test_tags_of_the_wrong_type() -> None:
    result = read_roomodes(
        '{"slug": "a", "name": "A", "roleDefinition": "r", "groups": [], "tags": "x"}'
    )
    assert [f.code for f in result.findings] == [Code.WRONG_TYPE]
    assert result.modes[0].tags == ()


def test_api_configuration_variants() -> None:
    def model(config: object) -> str | None:
        item = {
            "slug": "a",
            "name": "A",
            "roleDefinition": "r",
            "groups": [],
            "apiConfiguration": config,
        }
        return read_roomodes(json.dumps(item)).modes[0].model

    assert model({"modelId": "gpt-x"}) == "gpt-x"
    assert model({"apiModelId": "claude-y"}) == "claude-y"
    assert model("openai:gpt-z") == "openai:gpt-z"
    assert model({"temperature": 1}) is None


def test_yaml_dates_in_extra_become_text() -> None:
    text = "slug: a\nname: A\nroleDefinition: r\ngroups: []\ncreated: 2024-05-01\n"
    assert read_roomodes(text).modes[0].extra == {"created": "2024-05-01"}


def test_looks_like_roomodes() -> None:
    assert looks_like_roomodes('{"customModes": []}')
    assert looks_like_roomodes("customModes:\n  - slug: a\n")
    assert looks_like_roomodes('{"slug": "a", "roleDefinition": "r"}')
    assert not looks_like_roomodes("# Mode: 🚀 FastAPI Developer (`fastapi-developer`)\n")
    assert not looks_like_roomodes("slug: a\nrole_definition: r\n")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
mode_keys = st.sampled_from(
    ["slug", "name", "roleDefinition", "whenToUse", "groups", "tags", "apiConfiguration", "x"]
)
mode_like = st.dictionaries(mode_keys, json_values, max_size=7)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(json_values, st.fixed_dictionaries({"customModes": st.lists(mode_like, max_size=3)}))
)
def test_random_json_never_raises(data: object) -> None:
    result = read_roomodes(json.dumps(data), path="random.json")
    assert all(f.path == "random.json" for f in result.findings)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_random_text_never_raises(text: str) -> None:
    read_roomodes(text, path="random.yaml")


@settings(max_examples=100, deadline=None)
@given(st.lists(mode_like, max_size=3))
def test_random_yaml_structures_never_raise(modes: list[dict[str, object]]) -> None:
    import yaml

    read_roomodes(yaml.safe_dump({"customModes": modes}), path="random.yaml")


def test_a_bare_mode_object_escaped_twice_is_unescaped_once() -> None:
    # Roo Commander v6.3's shape: one bare JSON object per file, instructions whose
    # decoded text holds `\n` and `\"` sequences instead of line breaks and quotes
    text = json.dumps(
        {
            "slug": "chief",
            "name": "👑 Chief",
            "roleDefinition": "You coordinate.",
            "customInstructions": 'Step one:\\n\\n1. Ask \\"what\\" first\\n2. Then `new_task`',
            "groups": ["read", "edit"],
            "apiConfiguration": {"model": "gemini-2.5-pro"},
        },
        indent=2,
    )
    result = read_roomodes(text, path="chief.json")
    (mode,) = result.modes
    assert mode.custom_instructions == 'Step one:\n\n1. Ask "what" first\n2. Then `new_task`'
    (info,) = result.findings
    assert info.code is Code.JSON_ARTIFACTS_CLEANED and info.severity is Severity.INFO
    assert info.line == 5
    assert mode.model == "gemini-2.5-pro"


def test_text_with_real_line_breaks_is_left_as_written() -> None:
    text = json.dumps(
        {"slug": "a", "name": "A", "roleDefinition": "r", "groups": [],
         "customInstructions": "Split on \\n in code.\nSecond line."}
    )  # fmt: skip
    result = read_roomodes(text, path="a.json")
    assert result.modes[0].custom_instructions == "Split on \\n in code.\nSecond line."
    assert result.findings == []
