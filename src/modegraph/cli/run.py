"""`modegraph run` and `modegraph resume`."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add `run` and `resume` to the root app."""
