"""`gc_paused`: Python's cycle collector paused while a catalog is built or checked.

Loading, graphing and linting a catalog create hundreds of thousands of objects
that all stay alive (models, references, edges, findings). Each time enough new
objects pile up the collector runs, and its full collections walk every object
alive, so with the collector on these stages grow faster than the catalog: lint of
10,000 modes took 25 times as long as lint of 1,000, about 11 times with it paused
(`benchmarks/catalog_scale.py`). Reference counting still frees what dies inside;
cycles made inside wait for the next collection after the block.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["command_line_process", "gc_paused", "mark_command_line_process"]


_own_process = False
"""True once `modegraph.cli.main` runs: the command line's own process."""


def mark_command_line_process() -> None:
    """Note that this process is the command line's own (`modegraph.cli.main`)."""
    global _own_process
    _own_process = True


def command_line_process() -> bool:
    """True in the command line's own process, which ends when its command does.

    There a block whose objects stay alive to the end (the modules a command imports
    at start, the catalog `modes list` prints) may freeze them (`gc_paused(freeze=...)`);
    a process that lives on and runs commands again and again, such as a test run,
    must not.
    """
    return _own_process


@contextlib.contextmanager
def gc_paused(*, freeze: bool = False) -> Iterator[None]:
    """Pause the cycle collector inside the block (nesting is fine); restore it after.

    Args:
        freeze: When the block ends, freeze what is alive (`gc.freeze`) so that later
            collections do not walk it again. Only for objects that stay alive to the
            end of the process (imported modules; see `command_line_process`): a
            frozen cycle is never collected, even when it dies.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            if freeze:
                gc.freeze()
            gc.enable()
