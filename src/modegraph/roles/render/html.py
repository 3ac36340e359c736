"""One self-contained interactive HTML page of an escalation graph.

The page needs no network: its CSS and JavaScript are inline (``assets/graph.html``)
and the graph is inline JSON in a ``<script type="application/json">`` element.
Everything that comes from mode files is escaped: the JSON has ``<``, ``>``,
``&``, U+2028 and U+2029 written as JSON unicode escapes (so a description holding
``</script>`` cannot end the element), the title is HTML-escaped, and the page's
script only ever sets ``textContent``, never ``innerHTML``, from data.
"""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from typing import Any

from modegraph.roles.escalation import EscalationGraph
from modegraph.roles.render._common import EDGE_STYLE, groups, node_title

__all__ = ["page_data", "render_html", "script_safe_json"]

_PLACEHOLDER = re.compile(r"__(TITLE|DATA)__")
_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_safe_json(value: object) -> str:
    """JSON that can sit inside a ``<script>`` element whatever strings it holds."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_UNSAFE[m.group(0)], text)


def page_data(graph: EscalationGraph, *, title: str) -> dict[str, Any]:
    """What the page's script draws: nodes, edges, rows (tiers) and edge styles."""
    nodes = []
    for slug, data in graph.graph.nodes(data=True):
        level = data["level"]
        nodes.append(
            {
                "id": slug,
                "title": node_title(graph, slug),
                "tier": data["tier"].value,
                "level": level.raw,
                "description": data.get("description") or "",
                "missing": bool(data["missing"]),
                "path": data.get("path"),
                "line": data.get("line"),
            }
        )
    edges = [
        {"source": e.source, "target": e.target, "kind": e.kind.value, "note": e.note or ""}
        for e in graph.edges()
    ]
    return {
        "title": title,
        "nodes": nodes,
        "edges": edges,
        "groups": [{"key": g.key, "title": g.title, "slugs": list(g.slugs)} for g in groups(graph)],
        "styles": {
            kind.value: {"label": style.label, "color": style.color, "dash": style.dash}
            for kind, style in EDGE_STYLE.items()
        },
    }


def render_html(graph: EscalationGraph, *, title: str = "modegraph escalation graph") -> str:
    """The graph as one HTML page that works offline (no CDN, no external file)."""
    template = (
        resources.files("modegraph.roles.render")
        .joinpath("assets", "graph.html")
        .read_text(encoding="utf-8")
    )
    values = {
        "TITLE": html.escape(title),
        "DATA": script_safe_json(page_data(graph, title=title)),
    }
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)
