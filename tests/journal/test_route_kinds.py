"""The route diagram's arrows: one style per kind, as in the graph pictures; short labels."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from modegraph.journal import Journal, RouteStep, SubtaskResult, TaskRecord, render_route
from modegraph.journal.route import ARROWS, LABEL_WIDTH, StepStyle, parse_route, short_reason
from modegraph.modes.model import EdgeKind
from modegraph.roles.render._common import EDGE_STYLE

LONG = (
    "'migrations', 'schema', 'postgresql' matched database-specialist's tags and the "
    "edge note 'For complex database design' (score 3.2 vs own 0.0)"
)


def test_arrows_mean_what_they_mean_in_the_graph_pictures() -> None:
    for kind in (EdgeKind.DELEGATE, EdgeKind.ESCALATE):
        assert ARROWS[StepStyle(kind.value)].arrow == EDGE_STYLE[kind].mermaid_arrow
        assert ARROWS[StepStyle(kind.value)].color == EDGE_STYLE[kind].color
    graph_arrows = {style.mermaid_arrow for style in EDGE_STYLE.values()}
    graph_colors = {style.color for style in EDGE_STYLE.values()}
    for key in (StepStyle.REFUSED, StepStyle.UNKNOWN):  # another meaning, another arrow
        assert ARROWS[key].arrow not in graph_arrows
    assert ARROWS[StepStyle.REFUSED].color not in graph_colors
    assert len({a.arrow for a in ARROWS.values()}) == len(ARROWS)


def test_each_kind_has_its_arrow_its_word_and_its_colour() -> None:
    route = [
        RouteStep(source="a", target="b", reason="plan", kind=EdgeKind.DELEGATE),
        RouteStep(source="a", target="c", reason="schema", kind="escalate"),
        RouteStep(source="b", target="d", reason="no edge", refused=True),
        RouteStep(source="b", target="e", reason="old", kind="entry"),
    ]
    lines = render_route(route, root_role="a").splitlines()
    assert '    n0 ==>|"delegate: plan"| n1' in lines
    assert '    n0 -->|"escalate: schema"| n2' in lines
    assert '    n1 --x|"refused: no edge"| n3' in lines
    assert '    n1 --o|"old"| n4' in lines
    assert "    linkStyle 0 stroke:#2563eb,stroke-width:3px,color:#2563eb" in lines
    assert "    linkStyle 1 stroke:#dc2626,stroke-width:2px,color:#dc2626" in lines
    assert parse_route("\n".join(lines)) == tuple(route)
    assert route[3].kind is None


def test_long_reasons_are_cut_and_kept_whole_in_a_comment() -> None:
    step = RouteStep(source="a", target="b", reason=LONG, kind="escalate")
    text = render_route([step])
    edge = next(line for line in text.splitlines() if "-->" in line)
    label = edge.split('"')[1]
    assert label.startswith("escalate: 'migrations', 'schema'")
    assert label.endswith("#8230;")  # the ellipsis, as a Mermaid entity
    assert len(short_reason(LONG)) <= LABEL_WIDTH
    assert short_reason(LONG) == "'migrations', 'schema', 'postgresql' matched…"
    assert short_reason("x" * 100) == "x" * (LABEL_WIDTH - 1) + "…"  # no word to cut after
    assert short_reason("a" * 58 + " bcd") == "a" * 58 + "…"
    assert "%% reason: " in text
    assert parse_route(text) == (step,)


def test_short_reasons_get_no_comment() -> None:
    text = render_route([RouteStep(source="a", target="b", reason="schema work")])
    assert "%%" not in text


def test_diagrams_written_before_the_kinds_still_read() -> None:
    old = (
        '```mermaid\nflowchart LR\n    n0["a"]\n    n1["b"]\n    n2["c"]\n'
        '    n0 -->|"schema needs migrations"| n1\n'
        '    n0 -.->|"refused: not an allowed target"| n2\n'
        "    linkStyle 1 stroke:#c0392b,stroke-width:2px,color:#c0392b\n```"
    )
    assert parse_route(old) == (
        RouteStep(source="a", target="b", reason="schema needs migrations"),
        RouteStep(source="a", target="c", reason="not an allowed target", refused=True),
    )


def test_a_reason_that_looks_like_a_kind_word_stays_the_reason() -> None:
    route = [
        RouteStep(source="a", target="b", reason="delegate: x"),
        RouteStep(source="a", target="b", reason="refused: y", kind="escalate"),
        RouteStep(source="a", target="b", reason="escalate: z", refused=True),
    ]
    assert parse_route(render_route(route)) == tuple(route)


@given(st.text(), st.sampled_from([None, "delegate", "escalate"]), st.booleans())
def test_short_labels_parse_back_to_the_whole_reason(
    reason: str, kind: str | None, refused: bool
) -> None:
    step = RouteStep(source="a", target="b", reason=reason, kind=kind, refused=refused)
    assert parse_route(render_route([step])) == (step,)
    assert len(short_reason(step.reason)) <= LABEL_WIDTH


def test_set_results_takes_the_kind_from_the_subtask_tags(tmp_path: Path) -> None:
    journal = Journal(tmp_path, durable=False)
    journal.create(TaskRecord(id="T-1", title="root", assigned_to="a"))
    journal.create(TaskRecord(id="T-1.1", title="one", assigned_to="b", tags=("b", "delegate")))
    journal.create(TaskRecord(id="T-1.2", title="two", assigned_to="c", tags=("c", "escalate")))
    journal.set_results(
        "T-1",
        results=[SubtaskResult(id="T-1.1", role="b"), SubtaskResult(id="T-1.2", role="c")],
        route=[
            RouteStep(source="a", target="b", reason="plan"),
            RouteStep(source="a", target="c", reason="schema"),
            RouteStep(source="a", target="d", reason="nope", refused=True),
        ],
    )
    route = journal.read("T-1").route
    assert [step.kind for step in route] == [EdgeKind.DELEGATE, EdgeKind.ESCALATE, None]
    text = journal.path("T-1").read_text(encoding="utf-8")
    assert "**Legend:**" in text.split("```", 3)[-1]
