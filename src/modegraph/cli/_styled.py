"""Styled lines printed as Rich prints them, without importing Rich on a pipe.

`modegraph modes list` prints a cached listing in a few milliseconds; Rich's console
alone takes about 25 ms to import. On a pipe or a file Rich writes no style, so a
line of printable text is written as is.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import Any

__all__ = ["plain_stream", "print_styled"]


def print_styled(
    lines: Iterable[tuple[str, str]], *, stderr: bool = False, rich: bool | None = None
) -> None:
    """Print each `(text, style)` line on standard output (or error) as Rich prints it.

    When the stream is not a terminal (a pipe, a file) and nothing asks Rich to treat
    it as one (`FORCE_COLOR`, `TTY_COMPATIBLE`, Jupyter), Rich writes no style, only
    each line's text: printable text is then written as is, without importing Rich
    (about 25 ms). Anything else (a terminal, tabs, control characters, an encoding
    other than UTF-8) goes through Rich's console. `rich` forces either way (tests).
    """
    lines = list(lines)
    if not lines:
        return
    stream = sys.stderr if stderr else sys.stdout
    if rich is None:
        rich = not plain_stream(stream) or not all(text.isprintable() for text, _ in lines)
    if not rich:
        stream.write("".join(f"{text}\n" for text, _ in lines))
        stream.flush()
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(stderr=stderr, highlight=False)
    for text, style in lines:
        console.print(Text(text, style=style), soft_wrap=True)


def plain_stream(stream: Any) -> bool:
    """True when Rich would write to `stream` without styles (see `print_styled`)."""
    import builtins

    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):
        return False
    return (
        not terminal
        and encoding == "utf8"
        and "FORCE_COLOR" not in os.environ
        and "TTY_COMPATIBLE" not in os.environ
        and not hasattr(builtins, "get_ipython")
    )
