"""The `modegraph` command line: a thin Typer app over the library."""

from modegraph.cli.app import app, main

__all__ = ["app", "main"]
