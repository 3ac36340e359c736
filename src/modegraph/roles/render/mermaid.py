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
  ``linkStyle``; missing nodes get the dashed ``missing`` class;
- every link is written from the higher row to the lower one. Mermaid's layout
  (dagre) ranks nodes by link direction, so an escalation written ``worker -->
  lead`` pulls the worker above its lead and the tier boxes overlap. An edge that
  points up is therefore written ``lead <--> worker`` (a two-headed link, laid out
  downwards) and its ``linkStyle`` adds ``marker-end:none``, which removes the
  head at the worker: the picture shows one head, at the lead, as it should.
  Mermaid has no one-headed backward link (``<--`` is not an arrow). Links
  between two tiers are one rank longer (``--->``) than links inside a tier, so
  a chain of handoffs inside the leads cannot push a lead into the workers' rows.
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
        notes: Label each edge with its note, cut short; False for a lighter picture
            (`auto_notes` decides for the CLI).
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
    row_of = {slug: index for index, row in enumerate(rows) for slug in row.slugs}
    link_index = 0
    by_kind: dict[EdgeKind, list[int]] = {kind: [] for kind in EdgeKind}
    upward: dict[EdgeKind, list[int]] = {kind: [] for kind in EdgeKind}
    for edge in graph.edges():
        style = EDGE_STYLE[edge.kind]
        across = row_of[edge.target] != row_of[edge.source]
        arrow = style.mermaid_long if across else style.mermaid_arrow
        note = short_note(edge) if notes else None
        label = f'|"{escape_label(note)}"|' if note else ""
        if row_of[edge.target] < row_of[edge.source]:
            # laid out downwards, drawn with its one head at the (upper) target
            lines.append(f"  {ids[edge.target]} <{arrow}{label} {ids[edge.source]}")
            upward[edge.kind].append(link_index)
        else:
            lines.append(f"  {ids[edge.source]} {arrow}{label} {ids[edge.target]}")
            by_kind[edge.kind].append(link_index)
        link_index += 1
    lines.extend(_legend(link_index, by_kind))
    # invisible links last, so that linkStyle indexes above count real edges only
    for upper, lower in itertools.pairwise(rows):
        lines.append(f"  tier_{upper.key} ~~~ tier_{lower.key}")
    for kind in EdgeKind:
        color = EDGE_STYLE[kind].color
        css = f"stroke:{color},color:{color}"
        if by_kind[kind]:
            lines.append(f"  linkStyle {','.join(map(str, by_kind[kind]))} {css}")
        if upward[kind]:
            indexes = ",".join(map(str, upward[kind]))
            lines.append(f"  linkStyle {indexes} {css},marker-end:none")
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
