"""The route diagram: a Mermaid flowchart of the handoffs a task actually took.

Each role is a node; each handoff an arrow labelled with its reason, in the order the
handoffs happened. A refused handoff is a dotted red arrow whose label starts with
``refused:``. Labels are escaped so that GitHub's Mermaid renders any text and so that
the diagram parses back to the same steps: ``#`` ``"`` ``<`` ``>`` ``|`` ``[`` ``]``
``{`` ``}`` and backticks become Mermaid entity codes (``#35;``, ``#quot;``, ...), emoji
and other symbols become numeric codes (``#128640;``), newlines become ``<br>``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from modegraph.journal.model import RouteStep

__all__ = ["escape_label", "parse_route", "render_route", "unescape_label"]

_NAMED = {'"': "#quot;", "<": "#lt;", ">": "#gt;"}
_CODED = set("#|[]{}`;")
_REFUSED_PREFIX = "refused: "
_UNESCAPE = re.compile(r"#(quot|lt|gt|\d+);|<br>")
_NAMED_BACK = {"quot": '"', "lt": "<", "gt": ">"}
_NODE = re.compile(r'^\s*(?P<node>n\d+)\["(?P<label>[^"]*)"\]\s*$')
_EDGE = re.compile(
    r'^\s*(?P<source>n\d+)\s*(?P<arrow>-->|-\.->)\s*(?:\|"(?P<label>[^"]*)"\|)?\s*'
    r"(?P<target>n\d+)\s*$"
)
_REFUSED_STYLE = "stroke:#c0392b,stroke-width:2px,color:#c0392b"


def escape_label(text: str) -> str:
    """Escape text for a quoted Mermaid label; `unescape_label` reverses it exactly."""
    out: list[str] = []
    for char in text:
        if char in _NAMED:
            out.append(_NAMED[char])
        elif char == "\n":
            out.append("<br>")
        elif char in _CODED or (ord(char) > 127 and unicodedata.category(char)[0] not in "LN"):
            out.append(f"#{ord(char)};")
        elif ord(char) < 32 or ord(char) == 127:
            out.append(f"#{ord(char)};")
        else:
            out.append(char)
    return "".join(out)


def unescape_label(text: str) -> str:
    """Turn an escaped Mermaid label back into its text."""

    def back(match: re.Match[str]) -> str:
        code = match.group(1)
        if code is None:
            return "\n"
        if code in _NAMED_BACK:
            return _NAMED_BACK[code]
        number = int(code) if len(code) <= 7 else -1
        if 0 <= number <= 0x10FFFF and not 0xD800 <= number <= 0xDFFF:
            return chr(number)
        return match.group(0)  # not a character: keep the text as written

    return _UNESCAPE.sub(back, text)


def render_route(route: Sequence[RouteStep], *, root_role: str = "") -> str:
    """Render the route as a fenced Mermaid flowchart (left to right).

    Args:
        route: The handoffs, in the order they happened.
        root_role: The root task's role; drawn first, and alone when the route is empty.

    Returns:
        A fenced ```` ```mermaid ```` block that GitHub renders.
    """
    nodes: dict[str, str] = {}

    def node(role: str) -> str:
        if role not in nodes:
            nodes[role] = f"n{len(nodes)}"
        return nodes[role]

    if root_role:
        node(root_role)
    edges: list[str] = []
    refused: list[int] = []
    for index, step in enumerate(route):
        source, target = node(step.source), node(step.target)
        label = (_REFUSED_PREFIX + step.reason) if step.refused else step.reason
        arrow = "-.->" if step.refused else "-->"
        text = f'|"{escape_label(label)}"| ' if label else " "  # Mermaid refuses |""|
        edges.append(f"    {source} {arrow}{text}{target}")
        if step.refused:
            refused.append(index)
    lines = ["```mermaid", "flowchart LR"]
    lines += [f'    {name}["{escape_label(role)}"]' for role, name in nodes.items()]
    lines += edges
    if refused:
        lines.append(f"    linkStyle {','.join(map(str, refused))} {_REFUSED_STYLE}")
    lines.append("```")
    return "\n".join(lines)


def parse_route(text: str) -> tuple[RouteStep, ...]:
    """Read the steps back from a diagram written by `render_route`.

    Lines it does not understand (styles, comments, hand-added nodes) are skipped.
    """
    names: dict[str, str] = {}
    steps: list[RouteStep] = []
    for line in text.splitlines():
        if match := _NODE.match(line):
            names[match["node"]] = unescape_label(match["label"])
    for line in text.splitlines():
        match = _EDGE.match(line)
        if match is None:
            continue
        refused = match["arrow"] == "-.->"
        reason = unescape_label(match["label"] or "")
        if refused and reason.startswith(_REFUSED_PREFIX):
            reason = reason[len(_REFUSED_PREFIX) :]
        steps.append(
            RouteStep(
                source=names.get(match["source"], match["source"]),
                target=names.get(match["target"], match["target"]),
                reason=reason,
                refused=refused,
            )
        )
    return tuple(steps)
