"""Implied edges: a mode's own text that hands work to named slugs gets those edges."""

from __future__ import annotations

from pathlib import Path

import pytest

from modegraph.findings import Code, Severity
from modegraph.modes.catalog import Catalog
from modegraph.modes.catalog.implied import implied_edges, with_implied_edges
from modegraph.modes.catalog.loader import load_paths
from modegraph.modes.model import EdgeKind, Mode, Reference

DATA = Path(__file__).parents[1] / "data" / "coordination"
KNOWN_YAML = ("page-painter", "data-miner", "lost-mode")
KNOWN = frozenset({"coder", "checker", "drafter", "reviewer", "architect", "release-captain"})


def _mode(text: str, *, slug: str = "lead", **fields: object) -> Mode:
    return Mode(slug=slug, name=slug.title(), custom_instructions=text, **fields)  # type: ignore[arg-type]


def _targets(text: str, **fields: object) -> list[tuple[str, EdgeKind]]:
    return [(e.target, e.kind) for e in implied_edges(_mode(text, **fields), known=KNOWN)]


def _load(name: str) -> Catalog:
    result = load_paths([DATA / name])
    return Catalog(result.modes)


def test_a_new_task_list_of_slugs_implies_delegations() -> None:
    text = "Plan first.\nUse `new_task` to assign:\n- drafter\n- `coder`\n* checker\n\nThen report."
    assert _targets(text) == [
        ("drafter", EdgeKind.DELEGATE),
        ("coder", EdgeKind.DELEGATE),
        ("checker", EdgeKind.DELEGATE),
    ]


def test_slugs_written_after_the_colon_count() -> None:
    assert _targets("Use `new_task` to assign: `coder`, `checker` and `drafter`.") == [
        ("coder", EdgeKind.DELEGATE),
        ("checker", EdgeKind.DELEGATE),
        ("drafter", EdgeKind.DELEGATE),
    ]


def test_a_handoff_sentence_implies_an_edge_and_escalation_keeps_its_kind() -> None:
    text = (
        "When the design is unclear, delegate the outline to `drafter`.\n"
        "Escalate security doubts to a specialist (e.g., `reviewer`).\n"
        "For big calls, hand it over to `architect` via `new_task`."
    )
    assert _targets(text) == [
        ("drafter", EdgeKind.DELEGATE),
        ("reviewer", EdgeKind.ESCALATE),
        ("architect", EdgeKind.DELEGATE),
    ]


def test_a_tool_call_example_names_its_target() -> None:
    assert _targets("Example: `<new_task><mode>coder</mode><message>go</message>`") == [
        ("coder", EdgeKind.DELEGATE)
    ]


def test_a_labelled_matrix_under_a_coordination_heading() -> None:
    text = (
        "### Coordination Matrix\n"
        "- **Design**: `drafter`, `architect`\n"
        "- **Build**: `coder`, language specialists, `checker`\n"
        "- **Notes**: keep the `tags` of each mode up to date when you change them"
    )
    assert [t for t, _ in _targets(text)] == ["drafter", "architect", "coder", "checker"]


@pytest.mark.parametrize(
    "text",
    [
        # a guide for people: no handoff phrase before the list
        "Point people at the right mode:\n- `drafter` – specs\n- `coder` – code",
        # work coming in, not going out
        "Accept escalations from:\n- `coder`\n- `checker`",
        "Accept tasks delegated from `coder` when specs are missing.",
        "Your role is to execute the task assigned to you by the `coder`.",
        "Finish what was handed over to this mode by `checker` or `drafter`.",
        # prose items: no slug leads them
        "Use `new_task` to:\n- Delegate credential setup to Security Reviewer\n- Request logs",
        # backticks in prose after a handoff phrase are not a list
        "Delegate Tasks:\n- Prioritize modes whose `tags` match the stack and `coder` second",
        # peers, not handoffs
        "Collaborate with:\n- `coder`\n- `checker`",
        # `new_task` alone, no slugs
        "Use `new_task` for subtasks and finish with `attempt_completion`.",
    ],
)
def test_text_that_hands_nothing_to_a_named_slug_implies_nothing(text: str) -> None:
    assert _targets(text) == []


def test_a_mode_never_delegates_to_itself_and_names_each_target_once() -> None:
    text = "Use `new_task` to assign:\n- lead\n- coder\n- coder\nAlso delegate to `coder`."
    assert _targets(text) == [("coder", EdgeKind.DELEGATE)]


def test_a_roomodes_coordinator_gets_its_edges_with_file_and_line() -> None:
    catalog = with_implied_edges(_load("conductor.roomodes"))
    conductor = catalog["conductor"]
    assert [r.slug for r in conductor.delegates_to] == ["drafter", "coder", "checker"]
    assert all(
        r.implied_by == "its custom instructions: Use `new_task` to assign:"
        for r in conductor.delegates_to
    )
    implied = [f for f in catalog.findings if f.code is Code.IMPLIED_EDGE]
    assert [(f.severity, f.slug, f.line) for f in implied] == [(Severity.INFO, "conductor", 35)] * 3
    assert implied[0].path is not None and implied[0].path.endswith("conductor.roomodes")
    assert implied[0].message == (
        "conductor delegates to drafter: implied by its custom instructions: "
        "Use `new_task` to assign:"
    )
    # the guide mode lists slugs for people, and gets nothing
    assert catalog["helper"].delegates_to == ()


def test_a_slug_that_names_no_mode_is_a_warning_not_an_edge() -> None:
    catalog = with_implied_edges(_load("conductor.roomodes"))
    missing = [f for f in catalog.findings if f.code is Code.IMPLIED_TARGET_MISSING]
    assert len(missing) == 1
    assert missing[0].severity is Severity.WARNING
    assert "'release-captain'" in missing[0].message
    assert "release-captain" not in {r.slug for r in catalog["conductor"].delegates_to}


def test_each_slug_of_a_yaml_list_points_at_its_own_line() -> None:
    catalog = with_implied_edges(_load("custom_modes.yaml"))
    found = [
        f for f in catalog.findings if f.code in (Code.IMPLIED_EDGE, Code.IMPLIED_TARGET_MISSING)
    ]
    lines = {slug: f.line for f in found for slug in KNOWN_YAML if slug in f.message}
    assert lines == {"page-painter": 11, "data-miner": 12, "lost-mode": 13}


def test_a_mode_that_declares_edges_keeps_only_those() -> None:
    declared = _mode(
        "Use `new_task` to assign:\n- coder\n- checker",
        delegates_to=(Reference(slug="drafter"),),
    )
    others = [Mode(slug=s, name=s) for s in ("coder", "checker", "drafter")]
    catalog = with_implied_edges(Catalog([declared, *others]))
    assert [r.slug for r in catalog["lead"].delegates_to] == ["drafter"]
    assert not [f for f in catalog.findings if f.code is Code.IMPLIED_EDGE]


def test_a_bare_word_that_names_no_mode_is_code_not_a_missing_role() -> None:
    mode = _mode("Escalate to:\n- `loader`\n- `ErrorBoundary`\n- `ghost-role`")
    catalog = with_implied_edges(Catalog([mode]))
    missing = [f for f in catalog.findings if f.code is Code.IMPLIED_TARGET_MISSING]
    assert ["ghost-role" in f.message for f in missing] == [True]


def test_the_catalog_keeps_its_findings_overrides_and_aliases() -> None:
    first = Mode(slug="coder", name="Coder")
    second = Mode(slug="coder", name="Coder 2")
    lead = _mode("Use `new_task` to assign:\n- coder")
    catalog = Catalog([first, second, lead], aliases={"dev": "coder"})
    out = with_implied_edges(catalog)
    assert out.overrides == catalog.overrides
    assert out.aliases == {"dev": "coder"}
    assert out["lead"].delegates_to[0].slug == "coder"
