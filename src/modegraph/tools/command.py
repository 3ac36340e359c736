"""The command group: `run_command`, allowed or approved, bounded in time and in output.

A command is an argv list (run without a shell) or a string. A command a
`commands.allow` rule allows (`modegraph.tools.rules` says exactly when) runs as its
parsed argv, with the program resolved on `PATH` first, never through a shell; any
other command runs only when the approver says yes, and a string then runs by
`/bin/sh -c`. The working directory is opened through directory descriptors
(`fileio`), so the folder that was checked is the folder the command starts in.
How the command runs (its environment allowlist, its process tree, its output cap)
is `modegraph.tools.process`.
"""

from __future__ import annotations

import shlex
from contextlib import ExitStack
from pathlib import Path

from langchain_core.tools import BaseTool, ToolException
from pydantic import BaseModel, ConfigDict, Field

from modegraph.errors import ToolRefused
from modegraph.tools.context import ToolContext, make_tool
from modegraph.tools.fileio import directory
from modegraph.tools.permissions import AllowList, Approver, CommandRequest, refuse
from modegraph.tools.process import CommandResult, command_environment, execute
from modegraph.tools.rules import Verdict, judge, parse_shell
from modegraph.tools.workspace import PathKind, ResolvedPath

__all__ = ["CommandResult", "RunCommandArgs", "command_environment", "command_tools", "execute"]


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
        request = _request(command, cwd, ctx.role)
        where = ctx.resolve(cwd, kind=PathKind.DIRECTORY)
        request = request.model_copy(update={"cwd": where.relative})
        timeout = min(timeout_seconds or settings.timeout, settings.timeout)
        with ExitStack() as stack:
            cwd_fd = _enter(ctx, where, stack)
            argv = _authorise(ctx, request, approver, where.absolute)
            result = execute(
                argv,
                cwd=where.absolute,
                cwd_fd=cwd_fd,
                timeout=timeout,
                max_output=settings.max_output,
                env=command_environment(settings.pass_env, workspace_root=ctx.workspace.root),
            )
        shown = f"`{request.command}` in `{where.relative}`"
        if result.timed_out:
            ctx.note(f"command {shown} timed out after {timeout:g} s and was killed")
            raise ToolException(
                f"$ {request.command}\ntimed out after {timeout:g} s; the command and every "
                f"process it started were killed. Output so far:\n{result.output}"
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


def _enter(ctx: ToolContext, where: ResolvedPath, stack: ExitStack) -> int:
    """A descriptor of the working directory, reached without following a symlink."""
    try:
        return stack.enter_context(directory(ctx.workspace, where.relative))
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise ToolException(f"working directory {where.relative} is not a directory") from exc
    except ToolRefused as exc:
        ctx.refused(exc)


def _request(command: str | list[str], cwd: str, role: str | None) -> CommandRequest:
    if isinstance(command, list):
        if not command or not command[0]:
            raise ToolException("the command list is empty; give the program first")
        return CommandRequest(command=shlex.join(command), argv=tuple(command), cwd=cwd, role=role)
    if not command.strip():
        raise ToolException("the command is empty")
    return CommandRequest(command=command, cwd=cwd, role=role)


def _authorise(
    ctx: ToolContext, request: CommandRequest, approver: Approver | None, cwd: Path
) -> str | list[str]:
    """What to run: the parsed argv when a rule allows it, else what the approver approved.

    Raises:
        ToolRefused: No rule allows the command and no approver approved it.
    """
    parsed = request.argv if request.argv is not None else parse_shell(request.command)
    if isinstance(parsed, str):
        verdict = Verdict(problem=f"the shell string cannot be allowlisted: {parsed}")
    else:
        verdict = judge(
            parsed,
            ctx.config.commands.allow,
            cwd=cwd,
            workspace=ctx.workspace,
            protected=ctx.command_protection,
        )
    if verdict.pattern is None and isinstance(approver, AllowList) and not isinstance(parsed, str):
        verdict = judge(
            parsed,
            approver.patterns,
            cwd=cwd,
            workspace=ctx.workspace,
            protected=ctx.command_protection,
        )
    if verdict.pattern is not None and not isinstance(parsed, str):
        return list(parsed)
    why = verdict.problem or "no rule under commands.allow in modegraph.yaml matches it"
    if approver is None or isinstance(approver, AllowList):
        refuse(
            f"command `{request.command}` is not allowlisted: {why}. Add a rule under "
            "commands.allow in modegraph.yaml (docs/sandbox.md says what a rule allows), "
            "or run with --yes",
            ctx.journal_hook,
        )
    if approver.approve(request):
        return list(request.argv) if request.argv is not None else request.command
    refuse(
        f"command `{request.command}` was not approved; it is not allowlisted in "
        f"modegraph.yaml (commands.allow: {why}) and the approver said no",
        ctx.journal_hook,
    )
