"""Kill `modegraph run` at one write point, then `modegraph resume` it: the crash test's worker.

Run with:
    python crash_worker.py WORKDIR POINT [POINT ...]

A *write point* is one checkpoint write (`SqliteSaver.put` or `put_writes`) or one
journal write (an atomic replace of a task file, `_writer.write_atomic`, or a record
appended to a task's append log, `_writer.append_record`), counted in the order the
run makes them. For each POINT `k` this process forks a child that runs the README
main job in `WORKDIR/k` through the real command line and SIGKILLs itself *inside*
write `k`: a checkpoint write dies after its SQL ran and before its commit, a task
file replace after its temporary file was written and before the rename, an append
after its record was written and before the writer returns. Then it forks a second
child that runs `modegraph resume TASK-ID --json` there. POINT 0 kills nothing: it
is the uninterrupted run, and its child writes how many points it passed.

This process only imports and forks, and never runs a graph itself, so each child
starts warm (no import cost) from a process with a single thread. It prints one JSON
line per POINT: the signal that ended the run, the task id, resume's exit code.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import json
import os
import signal
import sqlite3
import sys
import threading
from pathlib import Path
from typing import Any

from langgraph.checkpoint.sqlite import SqliteSaver

from modegraph.cli.app import app
from modegraph.journal import _writer

# What the commands import lazily, imported once here so that every child starts warm.
for _module in ("modegraph.coordinator.runner", "modegraph.modes.catalog.layers"):
    importlib.import_module(_module)

GOAL = (
    "Build a users API with signup and login, a Postgres schema with migrations, "
    "and deploy it with Docker"
)
RUN = ["run", GOAL, "--mode", "fastapi-developer", "--json"]


def _install_kill_at(point: int, count_file: Path) -> None:
    """Count every write; SIGKILL this process inside write number `point` (0: never)."""
    counter = itertools.count(1)
    armed = threading.local()
    lock = threading.Lock()  # role turns write from several threads at once

    def passed() -> bool:
        with lock:
            n = next(counter)
            count_file.write_text(str(n), encoding="utf-8")
        return n == point

    def die_if_armed() -> None:
        if getattr(armed, "on", False):
            os.kill(os.getpid(), signal.SIGKILL)

    class KillingConnection(sqlite3.Connection):
        def commit(self) -> None:
            die_if_armed()
            super().commit()

    real_connect = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        return real_connect(*args, factory=KillingConnection, **kwargs)

    sqlite3.connect = connect  # type: ignore[assignment]

    def counted(original: Any) -> Any:
        def write(*args: Any, **kwargs: Any) -> Any:
            armed.on = passed()
            try:
                return original(*args, **kwargs)
            finally:
                armed.on = False

        return write

    SqliteSaver.put = counted(SqliteSaver.put)  # type: ignore[method-assign]
    SqliteSaver.put_writes = counted(SqliteSaver.put_writes)  # type: ignore[method-assign]
    _writer.write_atomic = counted(_writer.write_atomic)  # type: ignore[attr-defined]
    real_append = _writer.append_record

    def append_record(*args: Any, **kwargs: Any) -> bool:
        created = real_append(*args, **kwargs)
        die_if_armed()  # the record is in the log; the writer has not returned yet
        return created

    _writer.append_record = counted(append_record)  # type: ignore[attr-defined]
    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:
        die_if_armed()  # the temporary file is written, the task file not yet replaced
        real_replace(src, dst)

    os.replace = replace


def _child(workdir: Path, argv: list[str], name: str, point: int | None = None) -> int:
    """Fork a child running `modegraph ARGV` in `workdir`; its exit code, or -signal."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 70
        try:
            os.chdir(workdir)
            for fd, suffix in ((1, "out"), (2, "err")):
                out = os.open(f"{name}.{suffix}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                os.dup2(out, fd)
            if point is not None:
                _install_kill_at(point, workdir / "points")
            try:
                app(argv, prog_name="modegraph")
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def main() -> None:
    """Run each trial named on the command line and print its JSON line."""
    root = Path(sys.argv[1])
    for point in (int(p) for p in sys.argv[2:]):
        workdir = root / str(point)
        workdir.mkdir(parents=True)
        run_code = _child(workdir, RUN, "run", point)
        ids = sorted(p.name for p in (workdir / "project_journal" / ".ids").glob("TASK-*"))
        task_id = ids[0] if len(ids) == 1 else None
        resume_code = None
        if task_id is not None:
            resume_code = _child(workdir, ["resume", task_id, "--json"], "resume")
        trial = {"point": point, "run": run_code, "task_id": task_id, "resume": resume_code}
        print(json.dumps(trial), flush=True)


if __name__ == "__main__":
    main()
