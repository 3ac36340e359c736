r"""What a role may do with its tools: write rules, secret files, command approvals.

Three independent checks, each on the normalised path or command line:

- `WriteRule`: the edit group's `fileRegex`, searched (as Roo Code searches it) on
  the path relative to the workspace after `Workspace.resolve`, so `./`, `..`,
  symlinks and (on a case-insensitive file system) case cannot change which file the
  regex judged. Matching is case-sensitive: `\.md$` does not allow `NOTES.MD`. The
  match has a time limit (`regex_limits`), so a regex that backtracks forever
  refuses the write instead of hanging the turn.
- `is_secret`: files that usually hold secrets are not read (nor edited) unless
  `files.allow_secrets` in `modegraph.yaml` names them.
- `protected_reason`: `.git/`, a file named `HEAD`, `modegraph.yaml`, `.modegraph/`,
  `.roomodes` and `project_journal/`, wherever they are in the workspace, are never
  written, so a role cannot plant a git hook or a git repository, widen its own
  permissions, or rewrite the journal. (`protection.Protected` adds the run's own
  journal, checkpoint and mode sources wherever they are.)
- command approval: a command runs when a `commands.allow` rule in
  `modegraph.yaml` allows it (`rules` says exactly when), or when the `Approver`
  says yes. A shell string holding shell operators (`;`, `&&`, `|`, `$(...)`,
  redirections, ...) never matches the allowlist, because `^pytest\b` must not let
  `pytest; rm -rf ~` through.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, Protocol, runtime_checkable

import regex
from pydantic import BaseModel, ConfigDict

from modegraph.errors import ToolRefused
from modegraph.modes.config import ProjectConfig
from modegraph.tools.regex_limits import RegexTooSlow, compile_regex, search
from modegraph.tools.rules import ProtectedCheck, judge, parse_shell
from modegraph.tools.workspace import Workspace

__all__ = [
    "SECRET_PATTERNS",
    "AllowAll",
    "AllowList",
    "Approver",
    "CallableApprover",
    "CommandRequest",
    "JournalHook",
    "WriteRule",
    "allowlist_match",
    "is_secret",
    "protected_reason",
    "refuse",
]

JournalHook = Callable[[str], None]
"""Called with one line of text for each tool event worth a journal entry."""

SECRET_PATTERNS: tuple[str, ...] = (
    ".env",
    ".env.*",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    "id_ecdsa_sk",
    "id_ed25519_sk",
    ".netrc",
    ".pgpass",
    ".git-credentials",
    ".pypirc",
    ".npmrc",
)
"""Glob patterns (matched on the file name) of files that usually hold secrets."""

_PROTECTED_NAMES = {
    ".git": "a file under .git/ (git hooks and config would run code outside the sandbox)",
    "head": (
        "a git HEAD file (with objects/ and refs/ beside it a folder becomes a git "
        "repository whose config runs commands when git runs there)"
    ),
    ".modegraph": "modegraph's project modes (a role could rewrite its own permissions)",
    "modegraph.yaml": "modegraph's configuration (a role could allowlist its own commands)",
    ".roomodes": "the project's mode file (a role could rewrite its own permissions)",
    "project_journal": "the task journal, which only the coordinator writes",
}
_FILE_ONLY = frozenset({"head"})

_NOT_SECRET = frozenset({".env.example", ".env.sample", ".env.template", ".env.dist"})


def refuse(message: str, journal_hook: JournalHook | None = None) -> NoReturn:
    """Record a refusal in the journal (when a hook is given) and raise it.

    Args:
        message: What was refused and how to fix it.
        journal_hook: Called with `refused: <message>` before raising.

    Raises:
        ToolRefused: Always.
    """
    if journal_hook is not None:
        journal_hook(f"refused: {message}")
    raise ToolRefused(message)


def is_secret(relative: str, *, allowed: Iterable[str] = ()) -> bool:
    """Whether a workspace file usually holds secrets and is not explicitly allowed.

    Args:
        relative: The normalised path relative to the workspace (`config/.env`).
        allowed: Glob patterns from `files.allow_secrets`, matched on the relative
            path and on the file name.

    Returns:
        True when the file must not be read. The secret patterns ignore case
        (`SERVER.PEM` is a key too); the allowed patterns are matched as written.
    """
    parts = relative.split("/")
    name = parts[-1]
    for pattern in allowed:
        if fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(name, pattern):
            return False
    folded = name.casefold()
    if ".ssh" in (part.casefold() for part in parts[:-1]):
        return True
    if folded in _NOT_SECRET:
        return False
    return any(fnmatch.fnmatchcase(folded, pattern) for pattern in SECRET_PATTERNS)


def protected_reason(relative: str) -> str | None:
    """Why no role may write this workspace file, or None.

    Files under `.git/` (hooks and config run code outside the sandbox), a file named
    `HEAD` (the file that makes a folder a git repository), modegraph's configuration
    and project modes, and the task journal are never written by a tool, whatever the
    role's edit groups say, in whichever folder of the workspace they are. Names are
    compared ignoring case.

    Args:
        relative: The normalised path relative to the workspace.

    Returns:
        What the file is, or None when it is not protected.
    """
    parts = [part.casefold() for part in relative.split("/")]
    for index, part in enumerate(parts):
        reason = _PROTECTED_NAMES.get(part)
        if reason is not None and (part not in _FILE_ONLY or index == len(parts) - 1):
            return reason
    return None


@dataclass(frozen=True, slots=True)
class WriteRule:
    """The files a role may write: none, all, or those matching its edit regexes."""

    enabled: bool
    """Whether the role has the edit group at all."""
    patterns: tuple[str, ...] = ()
    """`fileRegex` of each edit group; empty means any file in the workspace."""

    def check(self, relative: str) -> str | None:
        """Why `relative` may not be written, or None when it may.

        Args:
            relative: The normalised path relative to the workspace.

        Returns:
            A message naming the rule, or None.
        """
        if not self.enabled:
            return "this role has no edit tool group, so it may not write files"
        if not self.patterns:
            return None
        for pattern in self.patterns:
            try:
                if search(compile_regex(pattern), relative):
                    return None
            except RegexTooSlow as exc:
                return f"the edit group's fileRegex: {exc}"
            except regex.error as exc:
                return f"the edit group's fileRegex {pattern!r} is not valid ({exc})"
        shown = " or ".join(f"`{pattern}`" for pattern in self.patterns)
        return (
            f"this role may only write files whose path matches {shown} "
            f"(case-sensitive, on the path relative to the workspace); {relative!r} does not"
        )


class CommandRequest(BaseModel):
    """A command a role asks to run, as an approver sees it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    command: str
    """The command line as one string (argv joined with shell quoting)."""
    argv: tuple[str, ...] | None = None
    """The argument vector, or None for a shell string."""
    cwd: str = "."
    """Working directory relative to the workspace."""
    role: str | None = None
    """Slug of the role that asks."""

    @property
    def uses_shell(self) -> bool:
        """Whether the command runs through `/bin/sh -c`."""
        return self.argv is None


@runtime_checkable
class Approver(Protocol):
    """Decides whether a command that is not allowlisted may run."""

    def approve(self, request: CommandRequest) -> bool:
        """True to run the command, False to refuse it."""
        ...


def allowlist_match(
    request: CommandRequest,
    patterns: Sequence[str],
    *,
    workspace: Workspace | None = None,
    cwd: Path | None = None,
    protected: ProtectedCheck | None = None,
) -> str | None:
    """The `commands.allow` rule that lets `request` run without approval, or None.

    A shell string that holds shell operators or expansions, or that starts with a
    variable assignment (`PYTHONPATH=/elsewhere pytest`), never matches: only a plain
    command line does (`pytest -q tests/`). `modegraph.tools.rules` says exactly what
    a rule allows.

    Args:
        request: The command.
        patterns: Regexes from `commands.allow`.
        workspace: The sandbox; given, arguments naming paths outside it (or files in
            `protected`) are refused too, and a program given as a path inside it is
            written `./path`.
        cwd: The real working directory (default: the workspace root).
        protected: Says which real paths no command may name.

    Returns:
        The first rule that allows the command, or None.
    """
    argv = request.argv if request.argv is not None else parse_shell(request.command)
    if isinstance(argv, str):
        return None
    return judge(argv, patterns, cwd=cwd, workspace=workspace, protected=protected).pattern


class AllowAll:
    """Approves every command (`--yes`: a sandbox the user trusts)."""

    def approve(self, request: CommandRequest) -> bool:
        """Always True."""
        return True

    def __repr__(self) -> str:
        return "AllowAll()"


class AllowList:
    """Approves only commands that match the allowlist; refuses every other one.

    Args:
        source: A project configuration (its `commands.allow`) or the regexes.
    """

    def __init__(self, source: ProjectConfig | Sequence[str]) -> None:
        patterns = source.commands.allow if isinstance(source, ProjectConfig) else source
        self.patterns: tuple[str, ...] = tuple(patterns)
        """The allowlist."""

    def approve(self, request: CommandRequest) -> bool:
        """True when the command matches one of the patterns."""
        return allowlist_match(request, self.patterns) is not None

    def __repr__(self) -> str:
        return f"AllowList({list(self.patterns)!r})"


class CallableApprover:
    """Adapts a plain function `fn(request) -> bool` to the `Approver` protocol.

    Args:
        fn: Called for each command that is not allowlisted.
    """

    def __init__(self, fn: Callable[[CommandRequest], bool]) -> None:
        self._fn = fn

    def approve(self, request: CommandRequest) -> bool:
        """Whatever `fn` says, as a bool."""
        return bool(self._fn(request))

    def __repr__(self) -> str:
        return f"CallableApprover({self._fn!r})"
