from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from modegraph.journal import RouteStep, render_route
from modegraph.journal.route import escape_label, parse_route, unescape_label


@given(st.text())
def test_labels_escape_and_unescape_exactly(text: str) -> None:
    escaped = escape_label(text)
    assert unescape_label(escaped) == text
    assert '"' not in escaped
    assert "|" not in escaped
    assert "\n" not in escaped


def test_escaping_covers_quotes_brackets_pipes_emoji_newlines() -> None:
    assert escape_label('say "hi"') == "say #quot;hi#quot;"
    assert escape_label("[a] | {b}") == "#91;a#93; #124; #123;b#125;"
    assert escape_label("go 🚀") == "go #128640;"
    assert escape_label("a\nb") == "a<br>b"
    assert escape_label("<br>") == "#lt;br#gt;"
    assert escape_label("#35;") == "#35;35#59;"
    assert escape_label("café") == "café"


def test_route_diagram_shape() -> None:
    route = [
        RouteStep(source="fastapi-developer", target="database-specialist", reason="schema work"),
        RouteStep(source="fastapi-developer", target="security-specialist", reason="OAuth2 | SSO"),
        RouteStep(
            source="database-specialist",
            target="fastapi-developer",
            reason="no cycles",
            refused=True,
        ),
    ]
    text = render_route(route, root_role="fastapi-developer")
    lines = text.splitlines()
    assert lines[0] == "```mermaid"
    assert lines[1] == "flowchart LR"
    assert lines[-1] == "```"
    assert '    n0["fastapi-developer"]' in lines
    assert '    n0 --o|"schema work"| n1' in lines
    assert '    n0 --o|"OAuth2 #124; SSO"| n2' in lines
    assert '    n1 --x|"refused: no cycles"| n0' in lines
    assert re.search(r"linkStyle 2 stroke:#b45309", text)
    assert parse_route(text) == tuple(route)


def test_empty_route_draws_the_root_role_alone() -> None:
    text = render_route([], root_role="fastapi-developer")
    assert '    n0["fastapi-developer"]' in text
    assert parse_route(text) == ()


step_text = st.text(min_size=1).map(lambda t: " ".join(t.split()) or "x")


@given(
    st.lists(
        st.builds(
            RouteStep,
            source=step_text,
            target=step_text,
            reason=st.text(),
            refused=st.booleans(),
            kind=st.sampled_from([None, "delegate", "escalate"]),
        ),
        max_size=6,
    )
)
def test_any_route_parses_back(route: list[RouteStep]) -> None:
    assert parse_route(render_route(route, root_role="root")) == tuple(route)


def test_parse_route_skips_lines_it_does_not_know() -> None:
    text = (
        '```mermaid\nflowchart LR\n  %% comment\n  n0["a"]\n  n1["b"]\n'
        "  n0 --> n1\n  style n0 fill:#fff\n```"
    )
    assert parse_route(text) == (RouteStep(source="a", target="b"),)


def test_an_empty_reason_draws_an_arrow_without_a_label() -> None:
    # Mermaid refuses an empty label (|""|), so none is written
    route = [RouteStep(source="a", target="b"), RouteStep(source="b", target="c", refused=True)]
    text = render_route(route)
    assert "    n0 --o n1" in text.splitlines()
    assert '    n1 --x|"refused: "| n2' in text.splitlines()
    assert '|""|' not in text
    assert parse_route(text) == tuple(route)


def test_escape_label_keeps_plain_ascii_as_is_and_escapes_every_other_character() -> None:
    coded = set('"<>#|[]{}`;')
    for code in range(0x3000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        escaped = escape_label(f"a{char}b")
        assert unescape_label(escaped) == f"a{char}b", code
        plain = 32 <= code < 127 and char not in coded
        assert (escaped == f"a{char}b") is (plain or char.isalnum()), code
