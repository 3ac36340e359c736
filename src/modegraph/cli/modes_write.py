"""`modegraph modes convert` and `modegraph modes new` (registered on the modes app)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add `convert` and `new` to the `modes` app."""
