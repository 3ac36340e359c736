"""MkDocs hook: the CLI reference page, generated from the Typer app on every build.

`docs/cli.md` holds the marker line below; this hook replaces it with the Markdown
that Typer's own `typer modegraph.cli.app utils docs` command writes for every
command, argument and option of `modegraph.cli.app:app`. Nothing is copied by hand,
so the page cannot fall behind the code: a new command or option shows up on the
next build. Headings move one level down so that the page keeps a single `#` title.
"""

from __future__ import annotations

import re
from typing import Any

MARKER = "<!-- modegraph: cli-reference -->"
"""The line of a page that is replaced by the generated reference."""

APP = "modegraph.cli.app"
"""The module that holds the Typer app (`app`)."""


def render_cli_reference() -> str:
    """The Markdown reference of every `modegraph` command, as Typer writes it.

    Returns:
        Markdown with `##` for `modegraph`, `###` for its commands and `####` for
        subcommands.

    Raises:
        RuntimeError: Typer could not load the app or write its docs; the message
            carries Typer's own output.
    """
    from typer.cli import app as typer_cli
    from typer.testing import CliRunner

    result = CliRunner().invoke(typer_cli, [APP, "utils", "docs", "--name", "modegraph"])
    if result.exit_code != 0 or not result.stdout.lstrip().startswith("# "):
        msg = (
            f"`typer {APP} utils docs` failed (exit {result.exit_code}); "
            f"run it by hand to see why:\n{result.output}"
        )
        raise RuntimeError(msg)
    return _demote_headings(result.stdout.strip()) + "\n"


def _demote_headings(markdown: str) -> str:
    """Move every heading outside code blocks one level down."""
    lines: list[str] = []
    fenced = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,5} ", line):
            line = "#" + line
        lines.append(line)
    return "\n".join(lines)


def on_page_markdown(markdown: str, /, **_: Any) -> str:
    """Replace the marker line of a page with the generated CLI reference."""
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, render_cli_reference())
