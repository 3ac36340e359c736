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

__all__ = ["gc_paused"]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector inside the block (nesting is fine); restore it after."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
