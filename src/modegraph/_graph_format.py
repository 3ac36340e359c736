"""`GraphFormat`, apart from the renderers, so the CLI can name it without loading them.

`modegraph.roles.render` (and `modegraph.roles`) re-export it; importing either
loads networkx and every renderer, which `modegraph --help` should not pay for.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["GraphFormat"]


class GraphFormat(StrEnum):
    """The picture formats of `modegraph graph show --format`."""

    MERMAID = "mermaid"
    DOT = "dot"
    JSON = "json"
    SVG = "svg"
    HTML = "html"
