"""`gc_paused`: Python's cycle collector paused while a catalog is built or checked.

Loading, graphing and linting a catalog create hundreds of thousands of objects
that all stay alive (models, references, edges, findings). Each time enough new
objects pile up the collector runs, and its full collections walk every object
alive, so with the collector on these stages grow faster than the catalog: lint of
10,000 modes took 25 times as long as lint of 1,000, about 11 times with it paused
(`benchmarks/catalog_scale.py`). Reference counting still frees what dies inside;
cycles made inside wait for the next collection after the block.

When the block ends normally, what it made is handed to the oldest generation at
once (`gc.freeze()` then `gc.unfreeze()`: two list splices, nothing walked) instead
of being left young. Left young, it made the very next allocation start a young
collection that walked every object of the block, all of them alive: at 10,000
modes 80 to 90 ms after loading (it freed nothing) and 16 to 22 ms after the graph
build (8 objects), and those walks grew 13 to 15 times per 10 times more modes, as
a walk of a heap that no longer fits the processor's caches does. In the oldest
generation the objects are walked only by full collections, which Python runs when
the objects that reached it since the last one outnumber a quarter of those that
were there (the ones moved here are not counted, so they do not bring one on).
Cycles made inside, and garbage that was young before the block, are freed by the
next full collection (or `gc.collect()`) instead of the next young one. A small block
(fewer than `PROMOTE_FROM` objects) is left young: its walk is cheap, and a process
that builds small graphs again and again gets their cycles freed as soon as before
(a graph whose edge view was read refers to itself). A process
that has frozen objects itself (`gc.get_freeze_count()` is not 0, say a server that
freezes its heap before forking) is left as it was: `gc.unfreeze()` would thaw its
objects too. A block left by an exception also leaves its objects young: they are
likely garbage, for the next young collection to find.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["PROMOTE_FROM", "command_line_process", "gc_paused", "mark_command_line_process"]

PROMOTE_FROM = 10_000
"""Objects a block must leave young (allocated less freed, as `gc.get_count()` counts
them) for `gc_paused` to hand them to the oldest generation; below that a young
collection is cheap, and it frees the block's cycles sooner. Loading 1,000 modes
leaves about 30,000."""

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

    The outermost block, when it ends normally, moves every tracked object to the
    oldest generation (see the module docstring), so that no young collection walks
    what the block made and kept.

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
    except BaseException:
        if was_on:
            if freeze:
                gc.freeze()
            gc.enable()
        raise
    if was_on:
        if freeze:
            gc.freeze()  # the command line's own process: kept frozen to its end
        # nobody froze anything (the splice thaws only ours), and enough was made that
        # walking it would cost: a small block's objects stay young, freed sooner
        elif gc.get_count()[0] >= PROMOTE_FROM and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        gc.enable()
