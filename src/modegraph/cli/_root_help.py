"""`modegraph --help`: the root help, drawn like Typer's without Typer's help module.

Typer's Rich help (`typer.rich_utils`) imports Rich's Markdown renderer (and with it
markdown-it and Pygments) and Rich's traceback module, whatever the help says: more
than `modegraph --help` costs otherwise. The root help is a usage line, a paragraph,
two options and the command table, which Rich's console, panels and tables draw alone.
Subcommands keep Typer's own help.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

__all__ = ["print_root_help"]


def print_root_help(
    ctx: Any, *, usage: str, help_text: str, commands: Sequence[tuple[str, str]]
) -> None:
    """Print the root group's help: usage, help text, options and commands.

    Args:
        ctx: The click context (for the options).
        usage: The usage line (``Usage: modegraph [OPTIONS] COMMAND [ARGS]...``).
        help_text: The group's help.
        commands: Each command's name and one-line help, in order.
    """
    from rich import box
    from rich.console import Console
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    width = os.environ.get("TERMINAL_WIDTH", "")
    console = Console(highlight=False, width=int(width) if width.isdigit() else None)
    console.print(Padding(Text(usage, style="bold"), 1))
    console.print(Padding(Text(" ".join(help_text.split())), (0, 1, 1, 1)))

    def panel(title: str, rows: Sequence[tuple[str, str]]) -> Panel:
        table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for name, text in rows:
            table.add_row(name, Text(text))
        return Panel(table, title=title, title_align="left", border_style="dim", box=box.ROUNDED)

    options = [
        (", ".join([*param.opts, *param.secondary_opts]), param.help or "")
        for param in ctx.command.get_params(ctx)
        if not getattr(param, "hidden", False)
    ]
    console.print(panel("Options", options))
    console.print(panel("Commands", commands))
