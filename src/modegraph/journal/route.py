"""The route diagram: a Mermaid flowchart of the handoffs a task actually took.

Each role is a node; each handoff an arrow, in the order the handoffs happened, drawn
like the edges of `modegraph graph show` (one meaning per arrow style in both pictures):
a thick blue ``==>`` for a delegation, a red ``-->`` for an escalation; a refused
handoff is an amber ``--x`` (an arrow ending in a cross) and a handoff of unrecorded
kind a grey ``--o``. Each label says the kind and the reason, cut to `LABEL_WIDTH`
characters (the log has the whole reason); a cut or multi-line reason is kept whole in a
``%% reason:`` comment line just before its arrow, which Mermaid ignores and
`parse_route` reads, so the diagram parses back to the same steps. A one-line legend
follows the diagram (`ROUTE_LEGEND`).

Labels are escaped so that GitHub's Mermaid renders any text: ``#`` ``"`` ``<`` ``>``
``|`` ``[`` ``]`` ``{`` ``}`` ``;`` and backticks become Mermaid entity codes (``#35;``,
``#quot;``, ...), emoji and other symbols numeric codes (``#128640;``), newlines ``<br>``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from enum import StrEnum
from typing import NamedTuple

from modegraph.journal.model import RouteStep
from modegraph.modes.model import EdgeKind

__all__ = [
    "ARROWS",
    "LABEL_WIDTH",
    "ROUTE_LEGEND",
    "ArrowStyle",
    "StepStyle",
    "escape_label",
    "parse_route",
    "render_route",
    "short_reason",
    "unescape_label",
]

LABEL_WIDTH = 60
"""The longest reason an arrow's label shows, in characters (``…`` included)."""


class StepStyle(StrEnum):
    """How a route step is drawn: by the edge it took, or as refused or of unknown kind."""

    DELEGATE = "delegate"
    ESCALATE = "escalate"
    REFUSED = "refused"
    UNKNOWN = "unknown"

    @classmethod
    def of(cls, step: RouteStep) -> StepStyle:
        """The style of a step: refused first, then its edge kind, else unknown."""
        if step.refused:
            return cls.REFUSED
        if step.kind in (EdgeKind.DELEGATE, EdgeKind.ESCALATE):
            return cls(step.kind.value)
        return cls.UNKNOWN


class ArrowStyle(NamedTuple):
    """How one kind of route step is drawn."""

    arrow: str
    """The Mermaid link."""
    color: str
    """CSS colour of the line and its label."""


ARROWS: dict[StepStyle, ArrowStyle] = {
    StepStyle.DELEGATE: ArrowStyle("==>", "#2563eb"),
    StepStyle.ESCALATE: ArrowStyle("-->", "#dc2626"),
    StepStyle.REFUSED: ArrowStyle("--x", "#b45309"),
    StepStyle.UNKNOWN: ArrowStyle("--o", "#6b7280"),
}
"""Arrow per step style; delegate and escalate as in `modegraph.roles.render` (tested)."""

ROUTE_LEGEND = (
    "**Legend:** thick blue arrow: delegated · red arrow: escalated · "
    "amber arrow ending in ✕: refused · grey arrow ending in ○: kind not recorded. "
    f"Labels show the first {LABEL_WIDTH} characters of each reason; the log above has them whole."
)
"""The line written under the diagram."""

_NAMED = {'"': "#quot;", "<": "#lt;", ">": "#gt;"}
_CODED = set("#|[]{}`;")
_UNESCAPE = re.compile(r"#(quot|lt|gt|\d+);|<br>")
_NAMED_BACK = {"quot": '"', "lt": "<", "gt": ">"}
_NODE = re.compile(r'^\s*(?P<node>n\d+)\["(?P<label>[^"]*)"\]\s*$')
_EDGE = re.compile(
    r'^\s*(?P<source>n\d+)\s*(?P<arrow>==>|-->|--x|--o|-\.->)\s*(?:\|"(?P<label>[^"]*)"\|)?\s*'
    r"(?P<target>n\d+)\s*$"
)
_FULL_REASON = re.compile(r"^\s*%% reason: (?P<reason>.*)$")
_PREFIX = re.compile(r"^(?P<word>refused(?: (?:delegate|escalate))?|delegate|escalate): ")
_OLD_REFUSED = "-.->"  # how files written before the kinds were drawn mark a refusal


_PLAIN = re.compile(r"[ !$-:=?-Z\\^_a-z~]*")
"""Text that `escape_label` keeps as it is: printable ASCII without `"<>#|[]{}`;`."""


def escape_label(text: str) -> str:
    """Escape text for a quoted Mermaid label; `unescape_label` reverses it exactly."""
    if _PLAIN.fullmatch(text):
        return text
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


def short_reason(reason: str, *, width: int = LABEL_WIDTH) -> str:
    """The reason on one line, cut to ``width`` characters with ``…`` when longer.

    The cut goes after the last whole word when one ends in the last third of the
    room, so a label does not stop mid-word.
    """
    flat = " ".join(reason.split())
    if len(flat) <= width:
        return flat
    cut = flat[: width - 1]
    space = cut.rfind(" ")
    if flat[width - 1] != " " and space >= (width * 2) // 3:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _label(step: RouteStep) -> str:
    kind = step.kind.value if step.kind in (EdgeKind.DELEGATE, EdgeKind.ESCALATE) else ""
    word = " ".join(w for w in ("refused" if step.refused else "", kind) if w)
    short = short_reason(step.reason)
    return f"{word}: {short}" if word else short


def render_route(route: Sequence[RouteStep], *, root_role: str = "") -> str:
    """Render the route as a fenced Mermaid flowchart (left to right).

    Args:
        route: The handoffs, in the order they happened.
        root_role: The root task's role; drawn first, and alone when the route is empty.

    Returns:
        A fenced ```` ```mermaid ```` block that GitHub renders (without the legend).
    """
    nodes: dict[str, str] = {}

    def node(role: str) -> str:
        if role not in nodes:
            nodes[role] = f"n{len(nodes)}"
        return nodes[role]

    if root_role:
        node(root_role)
    edges: list[str] = []
    styled: dict[StepStyle, list[int]] = {key: [] for key in ARROWS}
    for index, step in enumerate(route):
        source, target = node(step.source), node(step.target)
        key = StepStyle.of(step)
        label = _label(step)
        if step.reason and short_reason(step.reason) != step.reason:
            edges.append(f"    %% reason: {escape_label(step.reason)}")
        text = f'|"{escape_label(label)}"| ' if label else " "  # Mermaid refuses |""|
        edges.append(f"    {source} {ARROWS[key].arrow}{text}{target}")
        styled[key].append(index)
    lines = ["```mermaid", "flowchart LR"]
    lines += [f'    {name}["{escape_label(role)}"]' for role, name in nodes.items()]
    lines += edges
    for key, indexes in styled.items():
        if indexes:
            color = ARROWS[key].color
            width = "3px" if key is StepStyle.DELEGATE else "2px"
            lines.append(
                f"    linkStyle {','.join(map(str, indexes))} "
                f"stroke:{color},stroke-width:{width},color:{color}"
            )
    lines.append("```")
    return "\n".join(lines)


def _step(match: re.Match[str], names: dict[str, str], full: str | None) -> RouteStep:
    arrow = match["arrow"]
    label = unescape_label(match["label"] or "")
    prefix = _PREFIX.match(label)
    word = prefix["word"] if prefix else ""
    refused = arrow in ("--x", _OLD_REFUSED)
    kind: EdgeKind | None = None
    expected = {"==>": EdgeKind.DELEGATE, "-->": EdgeKind.ESCALATE}.get(arrow)
    if word and word.startswith("refused") == refused:
        named = word.removeprefix("refused").strip()
        kind = EdgeKind(named) if named else None
        if not refused and kind is not expected:  # a label that disagrees with its arrow
            kind, word = None, ""
    else:
        word = ""
    reason = label[len(word) + 2 :] if word else label
    return RouteStep(
        source=names.get(match["source"], match["source"]),
        target=names.get(match["target"], match["target"]),
        reason=full if full is not None else reason,
        refused=refused,
        kind=kind,
    )


def parse_route(text: str) -> tuple[RouteStep, ...]:
    """Read the steps back from a diagram written by `render_route`.

    Lines it does not understand (styles, comments, hand-added nodes) are skipped;
    diagrams written before arrows showed their kind (refusals dotted) are read too.
    """
    names: dict[str, str] = {}
    for line in text.splitlines():
        if match := _NODE.match(line):
            names[match["node"]] = unescape_label(match["label"])
    steps: list[RouteStep] = []
    full: str | None = None
    for line in text.splitlines():
        if reason := _FULL_REASON.match(line):
            full = unescape_label(reason["reason"])
            continue
        match = _EDGE.match(line)
        if match is not None:
            steps.append(_step(match, names, full))
        full = None
    return tuple(steps)
