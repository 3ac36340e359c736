"""`modegraph journal ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="journal commands.", no_args_is_help=True)
