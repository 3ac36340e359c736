import json

from hypothesis import given, settings
from hypothesis import strategies as st

from modegraph.modes.formats._positions import Lines, parse_json, parse_yaml

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
