"""The supervisor every command (and stdio MCP server) runs under, on Linux.

Run as `python -I -S _reaper.py PARENT_PID STATUS_FD CWD_FD GRACE EXECUTABLE ARGV0 [ARG...]`
(standard library only; it imports nothing from modegraph, so it starts in a few
milliseconds). It:

1. becomes a *child subreaper* (`prctl(PR_SET_CHILD_SUBREAPER)`): every process the
   command starts, even one that calls `setsid` or forks twice, is reparented to the
   supervisor when its own parent exits, so none can slip out of the tree;
2. asks for SIGTERM when the thread that started it dies
   (`prctl(PR_SET_PDEATHSIG)`), so a killed modegraph does not leave it behind;
3. changes to the working directory through the descriptor it was given (`fchdir`,
   so the directory checked is the directory used), forks, and execs the program;
4. when the command ends, or on SIGTERM, SIGINT or SIGHUP (the timeout), stops every
   process left in its tree: SIGTERM to each, up to `GRACE` seconds for them to exit
   (a `docker run` client passes the SIGTERM on to its container), then SIGKILL until
   none is left; it reaps them and exits with the command's status (re-raising the
   signal that killed it), after writing `done <status>` to the status descriptor, so
   modegraph knows the tree is gone.

`STATUS_FD` or `CWD_FD` may be `-1` (none); `GRACE` may be `0` (SIGKILL at once).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36
_GIVE_UP_AFTER = 10.0


def _children(me: int | None = None) -> list[int]:
    """The direct children of `me` (default: this process)."""
    found: list[int] = []
    me = os.getpid() if me is None else me
    try:
        tasks = os.listdir(f"/proc/{me}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{me}/task/{task}/children", encoding="ascii") as handle:
                found.extend(int(pid) for pid in handle.read().split())
        except FileNotFoundError:
            continue  # the thread ended
        except OSError:
            return _children_by_scan(me)
    return found


def _descendants() -> list[int]:
    found: list[int] = []
    todo = _children()
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(_children(pid))
    return found


def _reap() -> bool:
    """Reap every child that has ended; False when no child is left at all."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0] != 0:
            pass
    except ChildProcessError:
        return False
    return True


def _children_by_scan(me: int) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me:
            found.append(int(name))
    return found


def _kill_tree(grace: float) -> None:
    """Stop every process in the tree: SIGTERM, `grace` seconds, then SIGKILL until none is left."""
    if grace > 0:
        for pid in _descendants():
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        while _reap() and _children() and time.monotonic() < deadline:
            time.sleep(0.005)
    deadline = time.monotonic() + _GIVE_UP_AFTER
    while time.monotonic() < deadline:
        for pid in _children():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if not _reap():
            return
        time.sleep(0.002)


def _finish(status_fd: int, status: int, grace: float) -> None:
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, signal.SIG_IGN)
    _kill_tree(grace)
    if status_fd >= 0:
        try:
            os.write(status_fd, f"done {status}\n".encode())
        except OSError:
            pass
    if os.WIFSIGNALED(status):
        killed_by = os.WTERMSIG(status)
        signal.signal(killed_by, signal.SIG_DFL)
        os.kill(os.getpid(), killed_by)
    os._exit(os.waitstatus_to_exitcode(status) if not os.WIFSIGNALED(status) else 1)


def main(argv: list[str]) -> None:
    """Supervise one command; see the module docstring."""
    parent, status_fd, cwd_fd, grace = int(argv[1]), int(argv[2]), int(argv[3]), float(argv[4])
    executable, args = argv[5], argv[6:]
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(125)
    if status_fd >= 0:
        os.set_inheritable(status_fd, False)
    if cwd_fd >= 0:
        os.fchdir(cwd_fd)
        os.close(cwd_fd)

    def stop(number: int, _frame: object) -> None:
        _finish(status_fd, number, grace)  # a status of N means "killed by signal N"

    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, stop)
    child = os.fork()
    if child == 0:
        for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGPIPE):
            signal.signal(number, signal.SIG_DFL)
        try:
            os.execv(executable, args)
        except OSError as exc:
            os.write(2, f"cannot start {executable}: {exc.strerror or exc}\n".encode())
        os._exit(127)
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:  # pragma: no cover - the command is our child
            _finish(status_fd, 0, grace)
        if pid == child:
            _finish(status_fd, status, grace)


if __name__ == "__main__":
    main(sys.argv)
