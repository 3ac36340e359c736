"""`modegraph modes ...` commands."""

from __future__ import annotations

import typer

from modegraph.cli import modes_write

app = typer.Typer(help="List, show, validate, convert and create mode files.", no_args_is_help=True)
modes_write.register(app)
