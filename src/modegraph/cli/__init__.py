"""The `modegraph` command line: a thin Typer app over the library.

The cycle collector is paused while the command line's modules load, and what they
made is frozen after (`gc.freeze`): imports allocate tens of thousands of objects
(functions, classes, Typer's tables) that all stay alive, and every collection on the
way, or after, would walk them again for nothing (`modegraph._gc`). Once per process.
"""

from modegraph._gc import gc_paused

with gc_paused(freeze=True):
    from modegraph.cli.app import app, main

__all__ = ["app", "main"]
