"""`modegraph modes ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="modes commands.", no_args_is_help=True)
