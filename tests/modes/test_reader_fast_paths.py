"""The Roo Commander reader's fast paths give exactly what the general rules give.

Common items (`` `slug` # note ``, `read`) are read by a shortcut; every item must
come out equal to the general rule's result, down to which model fields were set,
and items the shortcut does not take must still go the general way.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from modegraph.findings import Finding
from modegraph.modes.formats import _markdown
from modegraph.modes.formats import _references as refs
from modegraph.modes.formats import _tool_groups as groups


def canonical(value: Any) -> Any:
    """A model's type, set fields and values, recursively (== compares all of it)."""
    if isinstance(value, BaseModel):
        fields = {name: canonical(getattr(value, name)) for name in type(value).model_fields}
        return type(value).__name__, sorted(value.model_fields_set), fields
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    return value


def references_both_ways(text: str) -> tuple[Any, Any]:
    fast = refs.parse_reference_item(text, line=7)
    general = refs._parse_reference_item(text.strip(), line=7)
    return (
        (canonical(fast.references), fast.placeholders, fast.ambiguous),
        (canonical(general.references), general.placeholders, general.ambiguous),
    )


def groups_both_ways(text: str) -> tuple[Any, Any]:
    fast_findings: list[Finding] = []
    general_findings: list[Finding] = []
    fast = groups.parse_tool_group_item(text, line=4, path="m.mode.md", findings=fast_findings)
    general = groups._parse_tool_group_item(
        text.strip(), line=4, path="m.mode.md", findings=general_findings
    )
    return (
        (canonical(fast), canonical(fast_findings)),
        (canonical(general), canonical(general_findings)),
    )


REFERENCE_ITEMS = [
    "`backend-lead`",
    "  `backend-lead`  ",
    "`backend-lead` # For design decisions",
    "`backend-lead`\t#\tFor design decisions  ",
    "`backend-lead` # # doubled hash",
    "`backend-lead` #",
    "`backend-lead` #   ",
    "`backend-lead`#no space",
    "`Backend_Lead.v2`",
    "`1234`",
    "`none`",
    "`None.`",
    "`n/a`",
    "`tbd` # later",
    "`-lead`",
    "`lead-`",
    "`é-lead`",
    "`a` / `b`",
    "`a`, b # note",
    "`a` (for schema work)",
    "`a` # note with `code` and # more",
    "backend-lead # note",
    "None",
    "(e.g., `a`, `b`)",
    "`a` (e.g., b)",
    "[`a`](a.md) # link",
    "``",
    "` a `",
]


@pytest.mark.parametrize("text", REFERENCE_ITEMS)
def test_reference_items_read_the_same_as_by_the_general_rule(text: str) -> None:
    fast, general = references_both_ways(text)
    assert fast == general


def test_the_common_reference_item_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def general(text: str, *, line: int | None) -> refs.ParsedReferences:
        raise AssertionError(f"general rule used for {text!r}")

    monkeypatch.setattr(refs, "_parse_reference_item", general)
    parsed = refs.parse_reference_item("`backend-lead` # For design decisions", line=3)
    assert [(r.slug, r.note, r.line) for r in parsed.references] == [
        ("backend-lead", "For design decisions", 3)
    ]


GROUP_ITEMS = [
    "read",
    "  Edit ",
    "command",
    "MCP",
    "edit_files",
    "my-group",
    "édit",
    "e",
    "read, edit",
    "edit (fileRegex: \\.md$)",
    '["edit", {"fileRegex": "\\\\.md$"}]',
    "`edit`",
    "read # comment",
    "1read",
    "-read",
]


@pytest.mark.parametrize("text", GROUP_ITEMS)
def test_tool_group_items_read_the_same_as_by_the_general_rule(text: str) -> None:
    fast, general = groups_both_ways(text)
    assert fast == general


PIECES = st.sampled_from(
    [
        "`", "#", " ", "\t", "a", "B", "z9", "-", "_", ".", ",", "/", "(", ")", "[", "]",
        "{", "}", '"', ":", "e.g.", " or ", " and ", "none", "n/a", "read", "edit", "é", "1",
    ]
)  # fmt: skip
ITEM = st.lists(PIECES, min_size=1, max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=ITEM)
def test_any_reference_item_reads_the_same_as_by_the_general_rule(text: str) -> None:
    fast, general = references_both_ways(text)
    assert fast == general


@settings(max_examples=400, deadline=None)
@given(text=ITEM)
def test_any_tool_group_item_reads_the_same_as_by_the_general_rule(text: str) -> None:
    fast, general = groups_both_ways(text)
    assert fast == general


SPAN = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,12}", fullmatch=True) | st.sampled_from(
    ["none", "None.", "n-a", "TBD", "1.2", "1-2_3", "a", "9z", "user", "users_", "All"]
)


@settings(max_examples=400, deadline=None)
@given(span=SPAN)
def test_the_fast_slug_check_agrees_with_the_general_one(span: str) -> None:
    assert refs._is_plain_slug(span) == refs._is_slug(span, allow_upper=True)


RULE_LINE = st.lists(
    st.sampled_from(["-", "*", "_", " ", "\t", "x", "`", "#", "\u00a0", "\x0c", "\n"]),
    max_size=9,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(line=RULE_LINE)
def test_is_rule_agrees_with_the_rule_pattern(line: str) -> None:
    assert _markdown.is_rule(line) == bool(_markdown._RULE.match(line))


@pytest.mark.parametrize(
    "line", ["---", "   ***", "_ _ _", "- - -  ", "    ---", "--", "-*-", "- x", "\t---", "---\n"]
)
def test_is_rule_on_written_lines(line: str) -> None:
    assert _markdown.is_rule(line) == bool(_markdown._RULE.match(line))


@settings(max_examples=400, deadline=None)
@given(text=ITEM | st.sampled_from(REFERENCE_ITEMS))
def test_a_plain_reference_is_exactly_what_the_item_parse_finds(text: str) -> None:
    plain = refs.plain_reference(text, line=5)
    general = refs._parse_reference_item(text.strip(), line=5)
    if plain is not None:
        assert canonical([plain]) == canonical(general.references)
        assert general.placeholders == general.ambiguous == []
