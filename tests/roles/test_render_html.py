"""The self-contained HTML page: escaping, offline, and a real headless Chromium."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from modegraph.modes.catalog import Catalog
from modegraph.modes.model import EdgeKind, Mode
from modegraph.roles import EscalationGraph
from modegraph.roles.render.html import render_html, script_safe_json

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTILE = 'Breaks </script><script>window.pwned=1</script> & "quotes" \u2028 <!-- x'


def hostile_graph(mode_of: Callable[..., Mode], team: Catalog) -> EscalationGraph:
    modes = [m for m in team if m.slug != "database-specialist"]
    modes.append(
        mode_of(
            "database-specialist",
            "032-worker-database",
            escalates=["backend-lead # </script> in a note", "dba-ghost"],
            reports=["backend-lead"],
            description=HOSTILE,
            name="<b>DB</b> Specialist",
        )
    )
    return EscalationGraph(Catalog(modes))


def embedded_data(page: str) -> dict[str, object]:
    m = re.search(
        r'<script type="application/json" id="modegraph-data">(.*?)</script>', page, re.DOTALL
    )
    assert m is not None
    data: dict[str, object] = json.loads(m.group(1))
    return data


def test_script_safe_json_never_closes_a_script() -> None:
    text = script_safe_json({"d": HOSTILE})
    assert "</" not in text and "<" not in text and "\u2028" not in text
    assert json.loads(text) == {"d": HOSTILE}


def test_page_is_offline_and_escaped(mode_of: Callable[..., Mode], team: Catalog) -> None:
    page = render_html(hostile_graph(mode_of, team), title='A <title> & "more"')
    assert "<title>A &lt;title&gt; &amp; &quot;more&quot;</title>" in page
    assert page.count("</script>") == 2  # the data element and the page's own script
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # no CDN, no network
    assert "innerHTML = " not in page.replace("details.innerHTML = initialDetails", "")
    data = embedded_data(page)
    nodes = {n["id"]: n for n in data["nodes"]}  # type: ignore[attr-defined]
    assert nodes["database-specialist"]["description"] == HOSTILE
    assert nodes["dba-ghost"]["missing"] is True
    assert len(data["edges"]) == EscalationGraph(team).graph.number_of_edges() + 1  # type: ignore[arg-type]


def _chromium_or_skip() -> None:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="the playwright Python package is missing")


@contextmanager
def _opened(page_file: Path, width: int, height: int) -> Iterator[Any]:
    """`page_file` open in headless Chromium at this window size (a playwright Page)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(page_file.as_uri())
            yield page
        finally:
            browser.close()


@pytest.mark.browser
def test_page_in_headless_chromium(
    mode_of: Callable[..., Mode], team: Catalog, tmp_path: Path
) -> None:
    _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    graph = hostile_graph(mode_of, team)
    page_file = tmp_path / "graph.html"
    page_file.write_text(render_html(graph, title="Team graph"), encoding="utf-8")
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("request", lambda req: requests.append(req.url))
            page.goto(page_file.as_uri())
            # every node drawn, every edge drawn, nothing injected
            assert page.locator("svg g.node").count() == len(graph)
            assert page.locator("svg path.edge").count() == graph.graph.number_of_edges()
            assert page.evaluate("window.pwned === undefined")
            assert page.title() == "Team graph"
            missing = sum(1 for _, d in graph.graph.nodes(data=True) if d.get("missing"))
            stats = page.locator("#stats").inner_text()
            assert stats.startswith(f"{len(graph) - missing} roles")  # references are no roles
            assert (f"+ {missing} missing references" in stats) is (missing > 0)
            page.screenshot(path=str(tmp_path / "graph.png"))

            # hover shows the description and the edge notes
            page.hover('g.node[data-slug="database-specialist"]')
            tooltip = page.locator("#tooltip")
            assert tooltip.is_visible()
            assert "</script><script>window.pwned=1</script>" in tooltip.inner_text()
            assert "escalates to backend-lead: </script> in a note" in tooltip.inner_text()

            # clicking a node highlights where it can delegate and escalate
            page.click('g.node[data-slug="backend-lead"]')
            reach = set(graph.reachable("backend-lead")) - {"backend-lead"}
            highlighted = set(
                page.eval_on_selector_all("g.node.reachable", "els => els.map(e => e.dataset.slug)")
            )
            assert highlighted == reach
            assert page.get_attribute('g.node[data-slug="backend-lead"]', "class") == (
                "node tier-lead selected"
            )
            dimmed = set(
                page.eval_on_selector_all("g.node.dimmed", "els => els.map(e => e.dataset.slug)")
            )
            assert dimmed == set(graph.slugs) - reach - {"backend-lead"}
            assert page.locator("#details h2").inner_text().endswith("Backend Lead")
            # highlighted edges: the shortest chain to each reachable role + its own edges
            tree = set()
            order = graph.reachable("backend-lead")
            for slug in reach:
                if graph.is_missing(slug):  # no path() to it: its breadth-first parent
                    last = next(e for u in order for e in graph.targets(u) if e.target == slug)
                else:
                    chain = graph.path("backend-lead", slug)
                    assert chain
                    last = chain[-1]
                tree.add((last.source, last.target, last.kind.value))
            own = {
                (e.source, e.target, e.kind.value)
                for e in graph.targets("backend-lead", list(EdgeKind))
            }
            active = page.eval_on_selector_all(
                "path.edge.active",
                "els => els.map(e => [e.dataset.source, e.dataset.target, e.dataset.kind])",
            )
            assert {tuple(a) for a in active} == tree | own
            page.mouse.move(5, 5)
            page.screenshot(path=str(tmp_path / "graph-selected.png"))

            # the search box marks matches and fades the rest
            page.click("#canvas > svg", position={"x": 3, "y": 3})  # clear the selection
            assert page.locator("g.node.selected, g.node.reachable, g.node.dimmed").count() == 0
            assert "Click a role" in page.locator("#details").inner_text()
            page.fill("#search", "lead")
            matches = set(
                page.eval_on_selector_all("g.node.match", "els => els.map(e => e.dataset.slug)")
            )
            assert matches == {"backend-lead", "frontend-lead"}
            assert page.locator("#search-count").inner_text() == "2 matches"
            assert page.locator("g.node.faded").count() == len(graph) - 2
            page.screenshot(path=str(tmp_path / "graph-search.png"))

            # zoom buttons scale the drawing
            before = float(page.get_attribute("#canvas > svg", "width") or 0)
            page.click("#zoom-in")
            after = float(page.get_attribute("#canvas > svg", "width") or 0)
            assert after == pytest.approx(before * 1.25)
            page.click("#zoom-fit")
            fitted = float(page.get_attribute("#canvas > svg", "width") or 0)
            assert fitted <= before
        finally:
            browser.close()
    assert errors == []
    assert all(url.startswith("file:") for url in requests), requests
    assert (tmp_path / "graph.png").stat().st_size > 10_000


@pytest.mark.browser
def test_empty_page_says_so(tmp_path: Path) -> None:
    _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "empty.html"
    page_file.write_text(render_html(EscalationGraph(Catalog([]))), encoding="utf-8")
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(page_file.as_uri())
            assert "the catalog is empty" in (page.text_content("#canvas svg text") or "")
            assert page.locator("g.node").count() == 0
        finally:
            browser.close()
    assert errors == []


@pytest.mark.browser
def test_long_slugs_fit_their_boxes_and_search_fades_edges(
    mode_of: Callable[..., Mode], tmp_path: Path
) -> None:
    _chromium_or_skip()

    long_slug = "containerization-developer-for-kubernetes-and-nomad-clusters"
    graph = EscalationGraph(
        Catalog(
            [
                mode_of("lead", "020-lead", delegates=["dev", "ops"]),
                mode_of("dev", "030-worker", escalates=["lead", long_slug]),
                mode_of("ops", "030-worker", escalates=["lead"], name="Operations " * 6),
            ]
        )
    )
    page_file = tmp_path / "long.html"
    page_file.write_text(render_html(graph), encoding="utf-8")
    with _opened(page_file, 1200, 700) as page:
        # every text line inside its box, in every node
        overflow = page.evaluate(
            """() => [...document.querySelectorAll('g.node')].flatMap(g => {
                const box = g.querySelector('rect').getBBox();
                return [...g.querySelectorAll('text')]
                  .map(t => t.getBBox())
                  .filter(t => t.x < box.x || t.x + t.width > box.x + box.width)
                  .map(() => g.dataset.slug);
            })"""
        )
        assert overflow == []
        # a cut label keeps its full text as a tooltip
        node = f'g.node[data-slug="{long_slug}"]'
        assert page.text_content(f"{node} text.name title") == long_slug
        assert page.locator("g.node[data-slug='dev'] title").count() == 0
        page.screenshot(path=str(tmp_path / "long.png"))

        # search: an edge fades when both its ends do
        page.fill("#search", "ops")
        faded = {
            tuple(x)
            for x in page.eval_on_selector_all(
                "path.edge.faded", "els => els.map(e => [e.dataset.source, e.dataset.target])"
            )
        }
        matched = set(
            page.eval_on_selector_all("g.node.match", "els => els.map(e => e.dataset.slug)")
        )
        assert matched == {"ops"}
        want = {(e.source, e.target) for e in graph.edges() if "ops" not in (e.source, e.target)}
        assert faded == want and want == {("lead", "dev"), ("dev", "lead"), ("dev", long_slug)}
        opacity = page.eval_on_selector(
            "path.edge.faded", "e => Number(getComputedStyle(e).opacity)"
        )
        assert opacity < 0.2
        page.screenshot(path=str(tmp_path / "long-search.png"))
        page.fill("#search", "")
        assert page.locator("path.edge.faded").count() == 0


@pytest.mark.browser
def test_fit_shows_a_200_role_graph_at_the_canvas_shape(
    mode_of: Callable[..., Mode], tmp_path: Path
) -> None:
    """A coordinator with 200 workers: Fit fills the canvas, not a thin strip down its side."""
    _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    workers = [f"worker-{n:03d}" for n in range(200)]
    graph = EscalationGraph(
        Catalog(
            [mode_of("lead", "020-lead", delegates=workers)]
            + [mode_of(slug, "030-worker") for slug in workers]
        )
    )
    page_file = tmp_path / "wide.html"
    page_file.write_text(render_html(graph), encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(page_file.as_uri())
            # on opening, the lone lead over the wide band of workers is in view
            lead = page.eval_on_selector(
                "g.node[data-slug='lead']", "n => n.getBoundingClientRect().right"
            )
            opened = page.eval_on_selector("#canvas", "c => c.getBoundingClientRect().right")
            page.click("#zoom-fit")
            drawn = page.eval_on_selector(
                "#canvas > svg",
                "s => [s.getBoundingClientRect().width, s.getBoundingClientRect().height]",
            )
            canvas = page.eval_on_selector("#canvas", "c => [c.clientWidth, c.clientHeight]")
            page.screenshot(path=str(tmp_path / "wide.png"))
        finally:
            browser.close()
    assert lead < opened
    # the whole graph in view, using most of the canvas both ways
    assert drawn[0] <= canvas[0] and drawn[1] <= canvas[1]
    assert drawn[0] > 0.6 * canvas[0] or drawn[1] > 0.6 * canvas[1]
    assert drawn[0] * drawn[1] > 0.4 * canvas[0] * canvas[1]


# Points along each drawn edge that fall inside a node's box other than its own ends.
_THROUGH_NODES = """() => {
  const boxes = [...document.querySelectorAll("g.node")].map(g => {
    const r = g.querySelector("rect").getBBox();
    const m = g.transform.baseVal.consolidate().matrix;  // the node's translate(x, y)
    const x = m.e + r.x, y = m.f + r.y;
    return {slug: g.dataset.slug, x0: x + 2, y0: y + 2, x1: x + r.width - 2, y1: y + r.height - 2};
  });
  const hits = [];
  document.querySelectorAll("path.edge").forEach(p => {
    const ends = [p.dataset.source, p.dataset.target];
    const length = p.getTotalLength();
    for (let at = 0; at <= length; at += 4) {
      const pt = p.getPointAtLength(at);
      boxes.forEach(b => {
        if (!ends.includes(b.slug) && pt.x > b.x0 && pt.x < b.x1 && pt.y > b.y0 && pt.y < b.y1) {
          hits.push(ends.join(" -> ") + " through " + b.slug);
        }
      });
    }
  });
  return [...new Set(hits)];
}"""


def test_an_edge_across_a_row_of_nodes_goes_round_them(
    mode_of: Callable[..., Mode], tmp_path: Path
) -> None:
    """A chief delegating past a lead to a worker (and to a missing mode) never crosses a box."""
    _chromium_or_skip()
    chief = mode_of("chief", "000-executive", delegates=["lead", "worker", "ghost"])
    lead = mode_of("lead", "010-director", delegates=["worker", "helper"])
    worker = mode_of("worker", "032-worker-backend")
    helper = mode_of("helper", "032-worker-backend")
    page_file = tmp_path / "rows.html"
    graph = EscalationGraph(Catalog([chief, lead, worker, helper]))
    page_file.write_text(render_html(graph), encoding="utf-8")
    with _opened(page_file, 1400, 900) as page:
        assert page.evaluate(_THROUGH_NODES) == []
