"""The command group: `run_command`, approved, bounded in time and in output.

A command is an argv list (run without a shell) or a string (run by `/bin/sh -c`).
It runs in a directory inside the workspace, with stdin closed, in its own process
group; when it outlives its timeout the whole group is killed (SIGKILL), and when it
ends any process it left behind in its group is killed too. Output (stdout and
stderr together) is read as it comes and only the first and last halves of
`commands.max_output` characters are kept, so a command that prints gigabytes costs
no memory. The directory of the running Python interpreter comes first on `PATH`,
so `python` and `pytest` are the ones modegraph itself runs under. Environment
variables whose names look secret (`OPENAI_API_KEY`, `GITHUB_TOKEN`, `DATABASE_URL`,
...) are not passed on unless `commands.pass_env` names them, so a command cannot
print the keys of the process that runs the model.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from langchain_core.tools import BaseTool, ToolException
from pydantic import BaseModel, ConfigDict, Field

from modegraph.tools.context import ToolContext, make_tool
from modegraph.tools.permissions import (
    AllowList,
    Approver,
    CommandRequest,
    allowlist_match,
    refuse,
)
from modegraph.tools.workspace import PathKind

__all__ = [
    "SECRET_ENV_NAME",
    "CommandResult",
    "RunCommandArgs",
    "command_environment",
    "command_tools",
    "execute",
]

_CHUNK = 65_536

SECRET_ENV_NAME = re.compile(
    r"KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|PRIVATE|SESSION|COOKIE|AUTH"
    r"|DATABASE_URL|_DSN$",
    re.IGNORECASE,
)
"""Names of environment variables that are not passed to commands by default."""


def command_environment(
    pass_env: Sequence[str] = (), *, base: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment a command runs with.

    Args:
        pass_env: Globs of secret-looking variables to pass anyway.
        base: The environment to start from (default: this process's).

    Returns:
        `base` without secret-looking variables, with the interpreter's directory
        first on `PATH`.
    """
    source = os.environ if base is None else base
    env = {
        name: value
        for name, value in source.items()
        if not SECRET_ENV_NAME.search(name)
        or any(fnmatch.fnmatchcase(name, pattern) for pattern in pass_env)
    }
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + source.get("PATH", "")
    return env


class RunCommandArgs(BaseModel):
    """Arguments of `run_command`."""

    model_config = ConfigDict(extra="forbid")

    command: str | list[str] = Field(
        description=(
            "The command: a list of arguments run without a shell (preferred), or one "
            "string run by /bin/sh."
        )
    )
    """An argv list (run without a shell) or a shell string."""
    cwd: str = Field(default=".", description="Working directory relative to the workspace.")
    """Working directory relative to the workspace root."""
    timeout_seconds: float | None = Field(
        default=None, gt=0, description="Kill the command after this many seconds."
    )
    """Seconds before the command is killed; capped by `commands.timeout`."""


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


class _Collector:
    """Keeps the head and the tail of a stream, counting what it drops."""

    def __init__(self, limit: int) -> None:
        self.half = max(limit // 2, 1)
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0

    def feed(self, chunk: bytes) -> None:
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
        omitted = self.total - len(self.head) - len(self.tail)
        head = self.head.decode("utf-8", errors="replace")
        tail = self.tail.decode("utf-8", errors="replace")
        if omitted > 0:
            return f"{head}\n[... {omitted} bytes of output cut ...]\n{tail}", omitted
        return head + tail, 0


def execute(
    command: str | list[str],
    *,
    cwd: Path,
    timeout: float,
    max_output: int,
    env: Mapping[str, str] | None = None,
) -> CommandResult:
    """Run a command in its own process group, killing the group at the timeout.

    Args:
        command: An argv list, or a string for `/bin/sh -c`.
        cwd: The working directory.
        timeout: Seconds before the process group is killed.
        max_output: Characters of output to keep (half from the start, half from the end).
        env: The environment (default: `command_environment()`).

    Returns:
        The result.

    Raises:
        ToolException: The program cannot be started.
    """
    environment = dict(env) if env is not None else command_environment()
    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            command,
            shell=isinstance(command, str),
            cwd=cwd,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as exc:
        raise ToolException(f"cannot start {command!r}: {exc}") from exc
    collector = _Collector(max_output)
    assert proc.stdout is not None
    stream = proc.stdout

    def pump() -> None:
        fd = stream.fileno()
        while True:
            try:
                chunk = os.read(fd, _CHUNK)
            except OSError:
                return
            if not chunk:
                return
            collector.feed(chunk)

    reader = threading.Thread(target=pump, name="run_command-output", daemon=True)
    reader.start()
    timed_out = False
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
    _kill_group(proc)
    proc.wait()
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


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    if os.name == "posix":
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    elif proc.poll() is None:  # pragma: no cover - not POSIX
        proc.kill()


def command_tools(ctx: ToolContext, *, approver: Approver | None = None) -> list[BaseTool]:
    """The command group's tool for one role.

    A command runs without asking when it matches `commands.allow`; otherwise the
    approver decides (None refuses every such command).

    Args:
        ctx: The role's sandbox and permissions.
        approver: Decides about commands that are not allowlisted.

    Returns:
        `run_command`.
    """
    settings = ctx.config.commands

    def run_command(
        command: str | list[str], cwd: str = ".", timeout_seconds: float | None = None
    ) -> str:
        if isinstance(command, list):
            if not command or not command[0]:
                raise ToolException("the command list is empty; give the program first")
            request = CommandRequest(
                command=shlex.join(command), argv=tuple(command), cwd=cwd, role=ctx.role
            )
        else:
            if not command.strip():
                raise ToolException("the command is empty")
            request = CommandRequest(command=command, cwd=cwd, role=ctx.role)
        where = ctx.resolve(cwd, kind=PathKind.DIRECTORY)
        if not where.absolute.is_dir():
            raise ToolException(f"working directory {where.relative} is not a directory")
        request = request.model_copy(update={"cwd": where.relative})
        _authorise(ctx, request, approver)
        timeout = min(timeout_seconds or settings.timeout, settings.timeout)
        result = execute(
            list(command) if isinstance(command, list) else command,
            cwd=where.absolute,
            timeout=timeout,
            max_output=settings.max_output,
            env=command_environment(settings.pass_env),
        )
        shown = f"`{request.command}` in `{where.relative}`"
        if result.timed_out:
            ctx.note(f"command {shown} timed out after {timeout:g} s and was killed")
            raise ToolException(
                f"$ {request.command}\ntimed out after {timeout:g} s; the command and its "
                f"child processes were killed. Output so far:\n{result.output}"
            )
        ctx.note(f"ran {shown}: exit code {result.exit_code}")
        cut = f" ({result.omitted} bytes of output cut)" if result.omitted else ""
        return (
            f"$ {request.command}\nexit code {result.exit_code} after "
            f"{result.seconds:.1f} s{cut}\n{result.output}"
        )

    return [
        make_tool(
            run_command,
            name="run_command",
            description=(
                "Run a command in the workspace (argv list without a shell, or a shell "
                "string) and return its exit code and output (stdout and stderr, long "
                f"output cut in the middle). Commands time out after {settings.timeout:g} s. "
                "Commands not allowlisted in modegraph.yaml need approval."
            ),
            args_schema=RunCommandArgs,
        )
    ]


def _authorise(ctx: ToolContext, request: CommandRequest, approver: Approver | None) -> None:
    if allowlist_match(request, ctx.config.commands.allow) is not None:
        return
    judge = approver if approver is not None else AllowList(ctx.config.commands.allow)
    if judge.approve(request):
        return
    if isinstance(judge, AllowList):
        refuse(
            f"command `{request.command}` is not allowlisted: add a regex matching it under "
            "commands.allow in modegraph.yaml (a shell string with operators such as ; | && "
            "never matches; pass an argv list instead), or run with --yes",
            ctx.journal_hook,
        )
    refuse(
        f"command `{request.command}` was not approved; it is not allowlisted in "
        "modegraph.yaml (commands.allow) and the approver said no",
        ctx.journal_hook,
    )
