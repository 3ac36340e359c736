"""`EdgeMode` (`--edges all|declared`), apart from `implied`, which needs the mode models.

Re-exported by `modegraph.modes.catalog.implied`; here so that the command line can
declare its `--edges` option without importing pydantic.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["EdgeMode"]


class EdgeMode(StrEnum):
    """Which edges a run follows (`--edges`)."""

    ALL = "all"
    """Declared edges, and the edges modes' own texts imply."""
    DECLARED = "declared"
    """Only the edges the files declare."""
