"""Mermaid output checked against the grammar rules the renderer relies on."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from modegraph.modes.catalog import Catalog
from modegraph.modes.model import Mode
from modegraph.roles import EscalationGraph
from modegraph.roles.render.mermaid import escape_label, node_ids, render_mermaid

Grammar = Callable[[str], dict[str, list[tuple[str, str | None, str]]]]


def odd_catalog(mode_of: Callable[..., Mode]) -> Catalog:
    return Catalog(
        [
            mode_of(
                "end",
                "000-executive",
                delegates=[
                    'a-b # note with "quotes" [brackets] | pipes (parens) {braces} #hash <b>'
                ],
                name='The "End" [boss] | <i>x</i>',
                emoji="👑",
            ),
            mode_of("a-b", "020-lead", escalates=["end"], reports=["end"], name="A;B `tick`"),
            mode_of("a_b", "030-worker", escalates=["a-b", "ghost.v2 # 🚀 emoji note"]),
            mode_of("graph", "wizard", escalates=["subgraph"]),
        ]
    )


def test_escape_label_leaves_no_raw_specials() -> None:
    text = escape_label('a "b" [c] |d| (e) {f} <g> #h; `i` &j\nk')
    assert not set(text) & set('"[]|(){}<>`&')
    assert "\n" not in text
    assert "#quot;" in text and "#35;" in text
    assert escape_label("🚀 ok") == "🚀 ok"


def test_node_ids_are_safe_and_unique() -> None:
    ids = node_ids(["a-b", "a_b", "a.b", "end", "ünï", "x y"])
    assert len(set(ids.values())) == 6
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", i) for i in ids.values())
    assert ids["end"] == "n_end"


def test_odd_catalog_follows_the_grammar(
    mode_of: Callable[..., Mode], mermaid_grammar: Grammar
) -> None:
    graph = EscalationGraph(odd_catalog(mode_of))
    text = render_mermaid(graph)
    edges = mermaid_grammar(text)
    ids = node_ids(graph.slugs)
    assert (ids["end"], ids["a-b"]) in [(s, t) for s, _, t in edges["delegate"]]
    assert len(edges["escalate"]) == 4
    assert len(edges["report"]) == 1
    # the note is an escaped, quoted edge label
    [(_, label, _)] = edges["delegate"]
    assert label is not None and label.startswith('"note with #quot;quotes#quot;')
    # every label: quoted, never a raw quote inside
    for line in text.splitlines():
        for label in re.findall(r'\["(.*?)"\]', line):
            assert '"' not in label


def test_tiers_are_subgraphs_top_to_bottom_with_missing_last(mode_of: Callable[..., Mode]) -> None:
    text = render_mermaid(EscalationGraph(odd_catalog(mode_of)))
    order = re.findall(r"^  subgraph (tier_\w+)", text, flags=re.MULTILINE)
    assert order == ["tier_executive", "tier_lead", "tier_worker", "tier_other", "tier_missing"]
    assert "  tier_executive ~~~ tier_lead" in text
    assert "  class n_ghost_v2,n_subgraph missing" in text
    assert "👑 The #quot;End#quot; #91;boss#93; #124; #lt;i#gt;x#lt;/i#gt;" in text


def test_link_styles_count_real_edges_first(team: Catalog, mermaid_grammar: Grammar) -> None:
    graph = EscalationGraph(team)
    text = render_mermaid(graph)
    kinds = [e.kind.value for e in graph.edges()] + ["delegate", "escalate", "report"]
    colors = {"delegate": "#2563eb", "escalate": "#dc2626", "report": "#6b7280"}
    for kind, color in colors.items():
        lines = [ln for ln in text.splitlines() if ln.startswith("  linkStyle") and color in ln]
        indexes = sorted(int(i) for ln in lines for i in ln.split()[1].split(","))
        assert indexes == [i for i, k in enumerate(kinds) if k == kind]
    mermaid_grammar(text)


def _rows(text: str) -> dict[str, int]:
    rows: dict[str, int] = {}
    for index, block in enumerate(re.findall(r"^  subgraph tier_.*?^  end$", text, re.M | re.S)):
        rows.update((m, index) for m in re.findall(r"^    (\w+)\[", block, re.M))
    return rows


def test_links_are_written_downwards_and_upward_ones_keep_one_head(
    team: Catalog, mermaid_grammar: Grammar
) -> None:
    """Mermaid ranks by link direction: every link goes from a higher row to a lower
    one (or stays in its row); an upward edge is `upper <--> lower` whose linkStyle
    drops the end head, so the one head left is at the upper (target) end."""
    graph = EscalationGraph(team)
    text = render_mermaid(graph)
    ids = node_ids(graph.slugs)
    rows = _rows(text)
    links = [ln for ln in text.splitlines() if re.match(r"^  n_\w+ <?[-=.]+>", ln)]
    assert len(links) == graph.graph.number_of_edges()
    headless_end: set[int] = set()
    for line in text.splitlines():
        if line.startswith("  linkStyle") and line.endswith(",marker-end:none"):
            headless_end.update(int(i) for i in line.split()[1].split(","))
    upward = set()
    for index, line in enumerate(links):
        first, arrow, second = line.split()[0], line.split()[1], line.split()[-1]
        assert rows[first] <= rows[second], line
        # a link across rows is one rank longer than a link inside a row
        core = arrow.split("|")[0].lstrip("<")
        assert (core in {"===>", "--->", "-..->"}) == (rows[first] != rows[second]), line
        if arrow.startswith("<"):
            upward.add(index)
    assert upward and upward == headless_end
    # read back in their own direction, the links are the graph's edges
    parsed = mermaid_grammar(text)
    for kind in ("delegate", "escalate", "report"):
        want = {(ids[e.source], ids[e.target]) for e in graph.edges() if e.kind.value == kind}
        got = {(s, t) for s, _, t in parsed[kind] if not s.startswith("legend_")}
        assert got == want
    escalations = [e for e in graph.edges() if e.kind.value == "escalate"]
    assert any(graph.tier(e.target).rank < graph.tier(e.source).rank for e in escalations)


def test_notes_can_be_left_out(team: Catalog, mermaid_grammar: Grammar) -> None:
    graph = EscalationGraph(team)
    assert '|"For complex database design"|' in render_mermaid(graph)
    bare = render_mermaid(graph)
    light = render_mermaid(graph, notes=False)
    assert "For complex database design" not in light
    assert len(mermaid_grammar(light)["escalate"]) == len(mermaid_grammar(bare)["escalate"])


def test_docs_diagram_is_the_renderers_picture_of_the_bundled_library(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mermaid_grammar: Grammar
) -> None:
    from modegraph.modes.catalog.layers import load_catalog
    from modegraph.roles.render import GraphFormat, render_graph

    page = Path(__file__).resolve().parents[2] / "docs" / "library.md"
    intro = "The bundled library, drawn by `modegraph graph show`"
    text = page.read_text(encoding="utf-8")
    block = re.search(re.escape(intro) + r".*?```mermaid\n(.*?)```", text, re.DOTALL)
    assert block is not None, "docs/library.md lost its bundled-library diagram"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    graph = EscalationGraph(load_catalog(paths=(), include_bundled=True))
    assert block.group(1) == render_graph(graph, GraphFormat.MERMAID), (
        "regenerate the diagram in docs/library.md: modegraph graph show (in an empty directory)"
    )
    mermaid_grammar(block.group(1))


def test_the_graphs_page_draws_its_example_catalog_as_the_renderer_does(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mermaid_grammar: Grammar
) -> None:
    from modegraph.modes.catalog.layers import load_catalog
    from modegraph.roles.render import GraphFormat, render_graph

    text = (Path(__file__).resolve().parents[2] / "docs" / "graphs.md").read_text("utf-8")
    source = re.search(r'```yaml title="shop.mode.yaml"\n(.*?)```', text, re.DOTALL)
    drawn = re.search(r"The last command's Mermaid.*?```mermaid\n(.*?)```", text, re.DOTALL)
    assert source is not None and drawn is not None, "docs/graphs.md lost its example"
    (tmp_path / "shop.mode.yaml").write_text(source.group(1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    catalog = load_catalog(paths=(Path("shop.mode.yaml"),), include_bundled=False)
    assert drawn.group(1) == render_graph(EscalationGraph(catalog), GraphFormat.MERMAID), (
        "regenerate the diagram in docs/graphs.md: "
        "modegraph graph show --no-bundled --modes shop.mode.yaml"
    )
    mermaid_grammar(drawn.group(1))
