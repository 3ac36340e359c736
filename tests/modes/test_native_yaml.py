import json
from importlib.resources import files
from pathlib import Path

import jsonschema
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from modegraph.findings import Code, Severity
from modegraph.modes.formats.native_yaml.reader import (
    looks_like_native_mode,
    read_native_toml,
    read_native_yaml,
)
from modegraph.modes.model import Reference, SourceFormat, ToolGroup
from modegraph.modes.schema import ModeInput, mode_file_schema, mode_file_schema_text

FIXTURES = Path(__file__).parent / "fixtures_h2" / "native"


def read(name: str):  # type: ignore[no-untyped-def]
    path = FIXTURES / name
    text = path.read_text(encoding="utf-8")
    if name.endswith(".toml"):
        return read_native_toml(text, path=name)
    return read_native_yaml(text, path=name)


def test_one_mode_with_every_kind_of_field() -> None:
    result = read("docs-writer.mode.yaml")
    assert result.findings == []
    (mode,) = result.modes
    assert mode.slug == "docs-writer"
    assert mode.emoji == "📝"
    assert mode.level == "037-worker-docs"
    assert mode.capabilities == ("Write guides", "Keep the API reference current")
    assert mode.workflow == ("Read the task", "Write the page")
    assert mode.tool_groups == (
        ToolGroup(name="read"),
        ToolGroup(name="edit", file_regex=r"\.md$", description="Markdown only"),
    )
    assert mode.escalates_to == (
        Reference(slug="technical-writer", line=21),
        Reference(
            slug="technical-architect", note="For documentation structure decisions", line=22
        ),
    )
    assert mode.reports_to == (Reference(slug="project-manager", line=24),)
    assert mode.model == "anthropic:claude-sonnet"
    assert mode.source.line == 2
    assert mode.source.format is SourceFormat.YAML


def test_a_list_of_modes_with_problems() -> None:
    result = read("team.mode.yaml")
    assert [m.slug for m in result.modes] == ["alpha", "beta"]
    beta = result.modes[1]
    assert beta.level == "031-worker-alpha"
    assert beta.capabilities == ()  # the wrong-typed key was dropped, the rest kept
    got = [(f.code, f.line, f.slug) for f in result.findings]
    assert (Code.UNKNOWN_KEY, 9, "beta") in got
    assert (Code.WRONG_TYPE, 10, "beta") in got
    assert (Code.MISSING_FIELD, 11, None) in got  # the third mode has no slug: skipped
    unknown = next(f for f in result.findings if f.code is Code.UNKNOWN_KEY)
    assert unknown.severity is Severity.ERROR
    assert unknown.hint == "did you mean `escalates_to`?"
    assert "`escalate_to`" in unknown.message


def test_camel_case_key_suggests_the_snake_case_field() -> None:
    result = read_native_yaml("slug: a\nname: A\nroleDefinition: You are A.\n", path="a.mode.yaml")
    (finding,) = result.findings
    assert finding.code is Code.UNKNOWN_KEY
    assert finding.line == 3
    assert finding.hint == "did you mean `role_definition`?"
    assert result.modes[0].role_definition == ""


def test_unknown_key_without_a_close_match() -> None:
    result = read_native_yaml("slug: a\nname: A\nzzzz: 1\n")
    assert result.findings[0].hint == "see `modegraph modes schema`"


def test_nested_unknown_key_in_a_reference() -> None:
    text = "slug: a\nname: A\nescalates_to:\n  - {slug: b, notes: x}\n"
    result = read_native_yaml(text)
    (finding,) = result.findings
    assert finding.code is Code.UNKNOWN_KEY
    assert finding.line == 4
    assert "`escalates_to.0.notes`" in finding.message
    assert finding.hint == "did you mean `note`?"


def test_reference_of_the_wrong_type() -> None:
    result = read_native_yaml("slug: a\nname: A\nescalates_to:\n  - b\n  - 5\n")
    (finding,) = result.findings
    assert finding.code is Code.WRONG_TYPE
    assert finding.line == 5
    assert "should be a name or a mapping" in finding.message
    assert [ref.slug for ref in result.modes[0].escalates_to] == ["b"]


def test_toml_mode() -> None:
    result = read("writer.mode.toml")
    assert result.findings == []
    (mode,) = result.modes
    assert mode.slug == "toml-writer"
    assert mode.source.format is SourceFormat.TOML
    assert mode.tool_groups[1] == ToolGroup(name="edit", file_regex=r"\.md$")
    assert mode.escalates_to[1] == Reference(
        slug="project-manager", note="When scope grows", line=6
    )


def test_toml_list_of_modes_and_lines() -> None:
    text = '[[modes]]\nslug = "a"\nname = "A"\n\n[[modes]]\nslug = "b"\nnam = "B"\n'
    result = read_native_toml(text, path="x.mode.toml")
    assert [m.slug for m in result.modes] == ["a"]
    got = [(f.code, f.line) for f in result.findings]
    assert (Code.UNKNOWN_KEY, 7) in got
    assert (Code.MISSING_FIELD, 5) in got


def test_toml_syntax_error_has_its_line() -> None:
    result = read_native_toml('slug = "a"\nname = \n', path="x.mode.toml")
    assert [(f.code, f.line) for f in result.findings] == [(Code.SYNTAX_ERROR, 2)]


def test_yaml_syntax_error_has_its_line() -> None:
    result = read_native_yaml("slug: a\nname: A\ntags: [x\n", path="x")
    assert result.findings[0].code is Code.SYNTAX_ERROR
    # the parser meets the end of the file on line 4, which the file does not have:
    # the finding names the line where the open bracket starts
    assert result.findings[0].line == 3
    assert "flow sequence that starts at this line" in result.findings[0].message


def test_yaml_syntax_error_inside_the_file_keeps_the_parser_line() -> None:
    result = read_native_yaml("slug: a\nname: [A\ntags: x\nmore: y\n", path="x")
    assert result.findings[0].code is Code.SYNTAX_ERROR
    assert result.findings[0].line == 3
    assert "starts at line 2" in result.findings[0].message


def test_json_with_native_fields_and_a_schema_key() -> None:
    text = json.dumps({"$schema": "mode.schema.json", "slug": "j", "name": "J", "tags": ["t"]})
    result = read_native_yaml(text, path="j.mode.json")
    assert result.findings == []
    assert result.modes[0].tags == ("t",)


def test_empty_and_non_mapping_documents() -> None:
    assert [f.code for f in read_native_yaml("# only a comment\n").findings] == [Code.EMPTY_FILE]
    assert [f.code for f in read_native_yaml("- a\n- b\n").findings] == [Code.WRONG_TYPE]
    assert [f.code for f in read_native_yaml("modes: 3\n").findings] == [Code.WRONG_TYPE]
    assert [f.code for f in read_native_yaml("modes:\n  - 3\n").findings] == [Code.WRONG_TYPE]


def test_modes_list_with_a_stray_key() -> None:
    result = read_native_yaml("version: 2\nmodes:\n  - {slug: a, name: A}\n")
    assert [m.slug for m in result.modes] == ["a"]
    assert [(f.code, f.line) for f in result.findings] == [(Code.UNKNOWN_KEY, 1)]


def test_looks_like_native_mode() -> None:
    assert looks_like_native_mode("slug: a\nname: A\nescalates_to: [b]\n")
    assert looks_like_native_mode('{"slug": "a", "role_definition": "r"}')
    assert looks_like_native_mode("modes:\n  - slug: a\n    level: 010-director\n")
    assert looks_like_native_mode('[[modes]]\nslug = "a"\nlevel = "x"\n')
    assert not looks_like_native_mode('{"slug": "a", "roleDefinition": "r"}')
    assert not looks_like_native_mode("# Mode: X (`x`)\n")


def test_shipped_schema_file_equals_the_generated_schema() -> None:
    shipped = files("modegraph.modes").joinpath("mode.schema.json").read_text(encoding="utf-8")
    assert shipped == mode_file_schema_text(), "regenerate with `modegraph modes schema`"


def test_schema_accepts_the_fixtures_and_refuses_unknown_keys() -> None:
    schema = mode_file_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    good = yaml.safe_load((FIXTURES / "docs-writer.mode.yaml").read_text(encoding="utf-8"))
    assert list(validator.iter_errors(good)) == []
    assert list(validator.iter_errors({**good, "escalate_to": []}))
    assert list(validator.iter_errors({"modes": [good]})) == []


def test_every_mode_field_is_in_the_input_model() -> None:
    from modegraph.modes.model import Mode

    assert set(ModeInput.model_fields) == set(Mode.model_fields) - {"source"}


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=15,
)
keys = st.sampled_from([*ModeInput.model_fields, "modes", "roleDefinition", "zz"])


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(keys, values, max_size=8))
def test_random_structures_never_raise(data: dict[str, object]) -> None:
    read_native_yaml(yaml.safe_dump(data), path="r.mode.yaml")
    read_native_yaml(json.dumps(data), path="r.mode.json")


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=120))
def test_random_text_never_raises(text: str) -> None:
    read_native_yaml(text, path="r.mode.yaml")
    read_native_toml(text, path="r.mode.toml")
