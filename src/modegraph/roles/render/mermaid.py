"""Mermaid flowchart of an escalation graph (GitHub renders it in Markdown).

Grammar rules this module relies on, checked by the tests:

- node ids are ``n_`` plus the slug with every character outside
  ``[A-Za-z0-9_]`` replaced by ``_`` (made unique), so no slug can break a line
  or collide with a keyword such as ``end``;
- every label is a double-quoted string in which ``"`` never appears raw:
  ``#``, ``"``, ``<``, ``>``, ``&``, ``|``, `````, ``[``, ``]``, ``{``, ``}``,
  ``(`` and ``)`` are written as Mermaid entity codes (``#quot;``, ``#35;``, ...),
  and line breaks become spaces;
- one ``subgraph ... end`` pair per tier, top to bottom, chained with invisible
  ``~~~`` links so the rows keep their order; one link style per edge kind
  (``==>`` delegate, ``-->`` escalate, ``-.->`` report) coloured with
  ``linkStyle``; missing nodes get the dashed ``missing`` class.
"""

from __future__ import annotations

import itertools
import re

from modegraph.modes.model import EdgeKind
from modegraph.roles.escalation import EscalationGraph
from modegraph.roles.render._common import EDGE_STYLE, groups, node_title, short_note

__all__ = ["escape_label", "node_ids", "render_mermaid"]

_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "|": "#124;",
    "`": "#96;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
    "(": "#40;",
    ")": "#41;",
    ";": "#59;",
}
_UNSAFE = re.compile("[" + re.escape("".join(_ENTITIES)) + "]")
_NOT_ID = re.compile(r"[^A-Za-z0-9_]")


def escape_label(text: str) -> str:
    """Text made safe inside a Mermaid ``"..."`` label (one line, entity codes)."""
    flat = " ".join(text.split())
    return _UNSAFE.sub(lambda m: _ENTITIES[m.group(0)], flat)


def node_ids(slugs: list[str]) -> dict[str, str]:
    """A Mermaid-safe, unique id for every slug: ``n_`` + ``[A-Za-z0-9_]`` only."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for slug in slugs:
        base = "n_" + _NOT_ID.sub("_", slug)
        candidate, counter = base, 2
        while candidate in used:
            candidate, counter = f"{base}_{counter}", counter + 1
        used.add(candidate)
        ids[slug] = candidate
    return ids


def render_mermaid(graph: EscalationGraph, *, notes: bool = True) -> str:
    """The graph as a Mermaid ``flowchart TB``: tiers as subgraphs, a legend, styled edges.

    Args:
        graph: The graph (or a subgraph) to draw.
        notes: Label each edge with its note, cut short; False for a lighter picture.
    """
    ids = node_ids(graph.slugs)
    lines = ["flowchart TB"]
    rows = groups(graph)
    for row in rows:
        lines.append(f'  subgraph tier_{row.key}["{escape_label(row.title)}"]')
        for slug in row.slugs:
            label = node_title(graph, slug)
            if label != slug:
                label = f"{escape_label(label)}<br/><small>{escape_label(slug)}</small>"
            else:
                label = escape_label(label)
            lines.append(f'    {ids[slug]}["{label}"]')
        lines.append("  end")
    link_index = 0
    by_kind: dict[EdgeKind, list[int]] = {kind: [] for kind in EdgeKind}
    for edge in graph.edges():
        arrow = EDGE_STYLE[edge.kind].mermaid_arrow
        note = short_note(edge) if notes else None
        label = f'|"{escape_label(note)}"|' if note else ""
        lines.append(f"  {ids[edge.source]} {arrow}{label} {ids[edge.target]}")
        by_kind[edge.kind].append(link_index)
        link_index += 1
    lines.extend(_legend(link_index, by_kind))
    # invisible links last, so that linkStyle indexes above count real edges only
    for upper, lower in itertools.pairwise(rows):
        lines.append(f"  tier_{upper.key} ~~~ tier_{lower.key}")
    for kind, indexes in by_kind.items():
        if indexes:
            color = EDGE_STYLE[kind].color
            lines.append(f"  linkStyle {','.join(map(str, indexes))} stroke:{color},color:{color}")
    missing = [ids[slug] for slug in graph.slugs if graph.is_missing(slug)]
    lines.append("  classDef missing stroke-dasharray:5 5,fill:#ffffff,color:#6b7280")
    lines.append("  classDef legend fill:#f9fafb,stroke:#d1d5db,color:#374151")
    if missing:
        lines.append(f"  class {','.join(missing)} missing")
    return "\n".join(lines) + "\n"


def _legend(first_index: int, by_kind: dict[EdgeKind, list[int]]) -> list[str]:
    lines = ['  subgraph legend["Legend"]', "    direction LR"]
    index = first_index
    for kind in EdgeKind:
        style = EDGE_STYLE[kind]
        a, b = f"legend_{kind.value}_a", f"legend_{kind.value}_b"
        lines.append(
            f'    {a}["A"]:::legend {style.mermaid_arrow}|"{escape_label(style.label)}"| '
            f'{b}["B"]:::legend'
        )
        by_kind[kind].append(index)
        index += 1
    lines.append("  end")
    return lines
