"""Running one command: its environment, its process tree, its output and its time.

What is guaranteed (see docs/sandbox.md):

- **Environment.** A command sees only an allowlist of variables (`SAFE_ENV`: `PATH`,
  `HOME`, `LANG`, `LC_*`, `TERM`, `TMPDIR`, ...) plus those `commands.pass_env` names;
  every other variable of the process that runs the model (API keys, tokens,
  passwords, whatever their names) stays out. The running interpreter's directory
  comes first on `PATH`, and empty or relative `PATH` entries (which mean "the
  current directory") are dropped.
- **Process tree.** On Linux the command runs under a small supervisor
  (`_reaper.py`) that is a child subreaper: when the command ends, and at its
  timeout, every process it started is killed, including children that called
  `setsid` or forked twice to leave its process group (SIGTERM first, SIGKILL
  `STOP_GRACE` seconds later). If the supervisor itself is
  killed, modegraph kills every process still marked with the command's id in its
  environment. Elsewhere the command runs in its own process group and the group is
  killed.
- **Output.** Stdout and stderr together are read as they come; only the first and
  last halves of `max_output` characters are kept, so a command that prints
  gigabytes costs no memory.

Longer than 400 lines: a command's environment, its supervised start, its output
pump and the clean-up of its tree are one sequence and are read together.
"""

from __future__ import annotations

import fnmatch
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from langchain_core.tools import ToolException

__all__ = [
    "COMMAND_ID_VARIABLE",
    "SAFE_ENV",
    "STOP_GRACE",
    "SUPERVISED",
    "CommandResult",
    "OutputCollector",
    "command_environment",
    "cut_middle",
    "execute",
    "supervisor_argv",
]

SAFE_ENV: tuple[str, ...] = (
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "SHELL",
    "LANG",
    "LANGUAGE",
    "LC_*",
    "TERM",
    "COLORTERM",
    "NO_COLOR",
    "TZ",
    "TMPDIR",
    "TEMP",
    "TMP",
    "VIRTUAL_ENV",
    "PYTHONIOENCODING",
    "PYTHONUTF8",
    "SYSTEMROOT",
    "COMSPEC",
    "PATHEXT",
    "WINDIR",
)
"""Environment variables (globs) a command always gets; `commands.pass_env` adds more."""

COMMAND_ID_VARIABLE = "MODEGRAPH_COMMAND_ID"
"""Set in every command's environment to an id that marks its processes."""

SUPERVISED = sys.platform.startswith("linux")
"""Whether commands run under the subreaper supervisor (Linux)."""

STOP_GRACE = 1.0
"""Seconds the processes of a command get between SIGTERM and SIGKILL when it is stopped."""

_REAPER = str(Path(__file__).with_name("_reaper.py"))
_CHUNK = 65_536
_GRACE = 5.0 + STOP_GRACE


def command_environment(
    pass_env: Sequence[str] = (),
    *,
    base: Mapping[str, str] | None = None,
    workspace_root: Path | None = None,
) -> dict[str, str]:
    """The environment a command runs with.

    Args:
        pass_env: Globs of more variables to pass (`commands.pass_env`).
        base: The environment to start from (default: this process's).
        workspace_root: When given, `GIT_CEILING_DIRECTORIES` is set to its parent so
            git never looks for a repository above the workspace.

    Returns:
        The variables of `base` that `SAFE_ENV` or `pass_env` name, with the
        interpreter's directory first on `PATH` and no empty or relative `PATH` entry.
    """
    source = os.environ if base is None else base
    wanted = (*SAFE_ENV, *pass_env)
    env = {
        name: value
        for name, value in source.items()
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in wanted)
    }
    entries = [os.path.dirname(sys.executable), *source.get("PATH", "").split(os.pathsep)]
    env["PATH"] = os.pathsep.join(entry for entry in entries if os.path.isabs(entry))
    if workspace_root is not None:
        env["GIT_CEILING_DIRECTORIES"] = str(workspace_root.parent)
    return env


@dataclass(frozen=True, slots=True)
class CommandResult:
    """How a command ended and what it printed."""

    exit_code: int | None
    """The exit status; None when it was killed at the timeout."""
    output: str
    """Stdout and stderr together, cut in the middle when too long."""
    timed_out: bool
    """Whether the timeout killed it."""
    omitted: int
    """Bytes of output cut from the middle."""
    seconds: float
    """Wall time it ran."""


class OutputCollector:
    """Keeps the head and the tail of a stream, counting what it drops.

    Args:
        limit: Bytes (or characters) to keep, half from the start, half from the end.
    """

    def __init__(self, limit: int) -> None:
        self.half = max(limit // 2, 1)
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0

    def feed(self, chunk: bytes) -> None:
        """Take the next piece of the stream."""
        self.total += len(chunk)
        room = self.half - len(self.head)
        if room > 0:
            self.head += chunk[:room]
            chunk = chunk[room:]
        if chunk:
            self.tail += chunk
            if len(self.tail) > self.half:
                del self.tail[: len(self.tail) - self.half]

    def text(self) -> tuple[str, int]:
        """The kept text, with a line saying how much was cut, and the amount cut."""
        omitted = self.total - len(self.head) - len(self.tail)
        head = self.head.decode("utf-8", errors="replace")
        tail = self.tail.decode("utf-8", errors="replace")
        if omitted > 0:
            return f"{head}\n[... {omitted} bytes of output cut ...]\n{tail}", omitted
        return head + tail, 0


def cut_middle(text: str, limit: int) -> tuple[str, int]:
    """`text` with its middle cut so at most `limit` characters of it are kept.

    Returns:
        The text (with a line saying how much was cut) and the number of characters cut.
    """
    if len(text) <= limit:
        return text, 0
    half = max(limit // 2, 1)
    omitted = len(text) - 2 * half
    return f"{text[:half]}\n[... {omitted} characters of output cut ...]\n{text[-half:]}", omitted


def supervisor_argv(
    executable: str,
    argv: Sequence[str],
    *,
    status_fd: int = -1,
    cwd_fd: int = -1,
    grace: float = STOP_GRACE,
) -> list[str]:
    """The argv that runs `argv` under the supervisor (Linux only).

    Args:
        executable: The program file to exec.
        argv: The program's argv (`argv[0]` as it should see it).
        status_fd: A descriptor the supervisor reports `done <status>` on, or -1.
        cwd_fd: A directory descriptor to change to before exec, or -1.
        grace: Seconds between SIGTERM and SIGKILL when the tree is stopped.
    """
    return [
        sys.executable,
        "-I",
        "-S",
        _REAPER,
        str(os.getpid()),
        str(status_fd),
        str(cwd_fd),
        f"{grace:g}",
        executable,
        *argv,
    ]


def execute(
    command: str | list[str],
    *,
    cwd: Path,
    timeout: float,
    max_output: int,
    env: Mapping[str, str] | None = None,
    executable: str | None = None,
    cwd_fd: int | None = None,
) -> CommandResult:
    """Run a command, killing its whole process tree when it ends or times out.

    Args:
        command: An argv list, or a string for `/bin/sh -c`.
        cwd: The working directory.
        timeout: Seconds before the process tree is killed.
        max_output: Characters of output to keep (half from the start, half from the end).
        env: The environment (default: `command_environment()`).
        executable: The program file for an argv (default: found on `env`'s `PATH`).
        cwd_fd: A descriptor of `cwd` to change to (so a swapped folder is not used).

    Returns:
        The result.

    Raises:
        ToolException: The program cannot be found or started.
    """
    environment = dict(env) if env is not None else command_environment()
    token = secrets.token_hex(8)
    environment[COMMAND_ID_VARIABLE] = token
    if isinstance(command, str):
        program, argv = "/bin/sh", ["/bin/sh", "-c", command]
    else:
        program, argv = executable or _which(command[0], cwd, environment), list(command)
    started = time.monotonic()
    proc, status_read = _start(program, argv, cwd=cwd, cwd_fd=cwd_fd, env=environment)
    collector = OutputCollector(max_output)
    assert proc.stdout is not None
    stream = proc.stdout
    reader = threading.Thread(
        target=_pump, args=(stream.fileno(), collector), name="run_command-output", daemon=True
    )
    reader.start()
    timed_out = False
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        _stop(proc)
    proc.wait()
    clean = _supervisor_finished(status_read)
    if not clean and SUPERVISED:
        _sweep(token)
    _kill_group(proc)
    reader.join(timeout=2.0)
    if not reader.is_alive():
        stream.close()
    output, omitted = collector.text()
    return CommandResult(
        exit_code=None if timed_out else proc.returncode,
        output=output,
        timed_out=timed_out,
        omitted=omitted,
        seconds=time.monotonic() - started,
    )


def _which(program: str, cwd: Path, env: Mapping[str, str]) -> str:
    import shutil

    if "/" in program:
        path = os.path.join(cwd, program)
        if os.access(path, os.X_OK) and not os.path.isdir(path):
            return path
        raise ToolException(f"cannot start {program!r}: no such executable file")
    found = shutil.which(program, path=env.get("PATH", ""))
    if found is None:
        raise ToolException(f"cannot start {program!r}: it is not on PATH")
    return found


def _start(
    program: str,
    argv: list[str],
    *,
    cwd: Path,
    cwd_fd: int | None,
    env: dict[str, str],
) -> tuple[subprocess.Popen[bytes], int | None]:
    status_read: int | None = None
    try:
        if SUPERVISED:
            status_read, status_write = os.pipe()
            fds = (status_write,) if cwd_fd is None else (status_write, cwd_fd)
            args = supervisor_argv(
                program, argv, status_fd=status_write, cwd_fd=-1 if cwd_fd is None else cwd_fd
            )
            try:
                proc = subprocess.Popen(
                    args,
                    cwd=cwd if cwd_fd is None else None,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    pass_fds=fds,
                )
            finally:
                os.close(status_write)
        else:  # pragma: no cover - not Linux
            proc = subprocess.Popen(
                argv,
                executable=program,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
    except OSError as exc:
        if status_read is not None:
            os.close(status_read)
        raise ToolException(f"cannot start {argv[0]!r}: {exc}") from exc
    return proc, status_read


def _pump(fd: int, collector: OutputCollector) -> None:
    while True:
        try:
            chunk = os.read(fd, _CHUNK)
        except OSError:
            return
        if not chunk:
            return
        collector.feed(chunk)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """At the timeout: the supervisor kills the tree; SIGKILL the group if it does not."""
    if SUPERVISED:
        try:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=_GRACE)
            return
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    _kill_group(proc)


def _supervisor_finished(status_read: int | None) -> bool:
    """Whether the supervisor said it killed the tree (it writes `done ...`)."""
    if status_read is None:
        return False
    try:
        data = os.read(status_read, 64)
    except OSError:
        data = b""
    finally:
        os.close(status_read)
    return data.startswith(b"done ")


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    if os.name == "posix":
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    elif proc.poll() is None:  # pragma: no cover - not POSIX
        proc.kill()


def _sweep(token: str) -> None:
    """Kill every process whose environment carries this command's id (Linux)."""
    marker = f"{COMMAND_ID_VARIABLE}={token}".encode()
    for _ in range(3):
        found = []
        for name in os.listdir("/proc"):
            if not name.isdigit() or int(name) == os.getpid():
                continue
            try:
                with open(f"/proc/{name}/environ", "rb") as handle:
                    if marker in handle.read().split(b"\0"):
                        found.append(int(name))
            except OSError:
                continue
        if not found:
            return
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.01)
