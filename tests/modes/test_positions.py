import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modegraph.modes.formats import _positions as positions
from modegraph.modes.formats._positions import Lines, ParseError, parse_json, parse_yaml

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab{}[]",:\\\n é', max_size=6),
    lambda children: (
        st.lists(children, min_size=1, max_size=3)
        | st.dictionaries(
            st.text(alphabet='ab{}"\\ :', min_size=1, max_size=4), children, min_size=1, max_size=3
        )
    ),
    max_leaves=12,
)


def paths(data: object, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths(value, (*prefix, index))
    return found


@settings(max_examples=150, deadline=None)
@given(values, st.sampled_from([None, 1, 2]))
def test_json_lines_agree_with_the_yaml_parser(data: object, indent: int | None) -> None:
    # JSON is YAML: PyYAML's node marks are an independent oracle for the JSON scanner
    text = json.dumps(data, indent=indent)
    parsed, lines = parse_json(text)
    assert parsed == data
    _, yaml_lines = parse_yaml(text)
    for path in paths(data):
        assert lines.at(path) is not None
        assert lines.at(path) == yaml_lines.at(path), path


def test_yaml_and_json_agree_on_lines() -> None:
    text = (
        '{\n  "customModes": [\n    {\n      "slug": "a",\n      "groups": ["read"]\n    }\n  ]\n}'
    )
    _, json_lines = parse_json(text)
    _, yaml_lines = parse_yaml(text)
    for path in [("customModes", 0), ("customModes", 0, "slug"), ("customModes", 0, "groups", 0)]:
        assert json_lines.at(path) == yaml_lines.at(path)


def test_lines_fall_back_to_the_nearest_ancestor() -> None:
    lines = Lines({(): 1, ("a",): 3})
    assert lines.at(("a", "b", 2)) == 3
    assert lines.at(("z",)) == 1
    assert lines.under(("a",)).at(()) == 3


def test_a_view_shares_the_table_and_stops_at_its_root() -> None:
    lines = Lines({(): 1, ("modes", 0): 2, ("modes", 0, "slug"): 3, ("modes", 1): 5})
    first = lines.under(("modes", 0))
    assert first.at(("slug",)) == 3
    assert first.at(("name",)) == 2  # falls back to the mode, never above it
    assert first.table is lines.table
    assert lines.under(("modes", 7)).at(("slug",)) is None


def test_many_values_without_aliases_are_not_an_alias_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(positions, "MAX_YAML_VALUES", 50)
    text = "customModes:\n" + "".join(f"  - slug: m{i}\n    name: M{i}\n" for i in range(60))
    data, lines = parse_yaml(text)
    assert len(data["customModes"]) == 60
    assert lines.at(("customModes", 59, "name")) == 121


def test_aliases_count_only_what_they_add(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(positions, "MAX_YAML_VALUES", 50)
    shared = "base: &b [" + ", ".join(["x"] * 20) + "]\n"
    twice = shared + "one: *b\ntwo: *b\n"  # 40 values added
    assert parse_yaml(twice)[0]["two"] == ["x"] * 20
    thrice = twice + "three: *b\n"  # 60 values added: over the limit
    with pytest.raises(ParseError, match="expand to more than 50 values") as caught:
        parse_yaml(thrice)
    assert caught.value.line == 4


def test_a_large_document_without_aliases_parses() -> None:
    # 40,000 modes and no alias: once refused as "the aliases expand to more than 100,000"
    count = 40_000
    text = "customModes:\n" + "".join(f"- slug: m{i}\n  name: M{i}\n" for i in range(count))
    data, lines = parse_yaml(text)
    assert len(data["customModes"]) == count
    assert lines.under(("customModes", count - 1)).at(("name",)) == 2 * count + 1


def test_yaml_only_line_breaks_do_not_shift_line_numbers() -> None:
    # found by the readers' fuzz test: NEL is a line break to YAML, not to modegraph
    from modegraph.modes.formats._positions import ParseError, parse_yaml

    with pytest.raises(ParseError) as caught:
        parse_yaml("|\x850")
    assert caught.value.line == 1
    data, lines = parse_yaml("a: 'x\x85y'\nb: 2\n")
    assert data["b"] == 2
    assert (lines.at(("a",)), lines.at(("b",))) == (1, 2)


@pytest.mark.parametrize("text", ["", "\n", "a\nb\n\n", "no break", "\n\n{}\n", "x\r\ny\n"])
def test_json_lines_count_every_newline(text: str) -> None:
    from modegraph.modes.formats._positions import _newline_offsets

    assert _newline_offsets(text) == [i for i, char in enumerate(text) if char == "\n"]
