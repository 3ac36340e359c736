"""The root Typer app; each command group lives in its own module.

Command modules must not import LangGraph at module level, so that
`modegraph modes ...` and `modegraph graph ...` start fast.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from modegraph.cli import dev_server as dev_server_cmd
from modegraph.cli import graph as graph_cmd
from modegraph.cli import journal as journal_cmd
from modegraph.cli import modes as modes_cmd
from modegraph.cli import route as route_cmd
from modegraph.cli import run as run_cmd
from modegraph.cli import worker as worker_cmd

app = typer.Typer(
    name="modegraph",
    help=(
        "Run multi-role tasks through an escalation graph of modes declared in files "
        "(Roo Commander, Roo Code, Claude Code, modegraph YAML)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            shown = version("modegraph")
        except PackageNotFoundError:  # run from a source tree that is not installed
            from modegraph import __version__ as shown
        typer.echo(f"modegraph {shown}")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            metavar="",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Run multi-role tasks through an escalation graph of modes declared in files."""


app.add_typer(modes_cmd.app, name="modes")
app.add_typer(graph_cmd.app, name="graph")
app.add_typer(journal_cmd.app, name="journal")
run_cmd.register(app)
route_cmd.register(app)
worker_cmd.register(app)
dev_server_cmd.register(app)


def main() -> None:
    """Entry point of the `modegraph` console script."""
    try:
        app()
    except SystemExit as done:
        if "temporalio.bridge.temporal_sdk_bridge" in sys.modules:
            # Temporal's native client threads can crash the interpreter's shutdown
            # (temporalio/sdk-python#300): skip it once the command is done
            sys.stdout.flush()
            sys.stderr.flush()
            code = done.code
            os._exit(code if isinstance(code, int) else (0 if code is None else 1))
        raise
