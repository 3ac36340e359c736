r"""What a `commands.allow` rule allows, judged on the parsed argv, never on raw text.

A rule is a regular expression, as `modegraph.yaml` has always written it
(`^python -m pytest\b`, `^uv run `). It allows a command when all of these hold:

1. The command parses to an argv: an argv list as given, or a shell string without
   shell operators or expansions (`;`, `|`, `&&`, `>`, `$(...)`, backticks, globs,
   `~`, a leading `NAME=value`), split the way the shell would (`shlex`). Such a
   string then runs as that argv, without a shell.
2. The rule matches the *command line*: the program, then the arguments quoted with
   `shlex.quote` and joined by spaces. The program is written as given when it is a
   bare name (`pytest`, found on `PATH`); a program given as a path is resolved
   first, lexically from the working directory: `./scripts/check.sh` inside the
   workspace is written as `./scripts/check.sh`, and any path outside it as its
   absolute path, so `pytest/../../bin/sh` is `/bin/sh` and `^pytest\b` never
   matches it.
3. The match starts at the program (the rule is anchored there, as if it began with
   `^`) and ends at the end of a whole argument (or just after the space that
   follows one): `^pytest\b` does not allow the program `pytest-evil`, and
   `^python -m pytest\b` does not allow `python -m pytest_evil`. The arguments the
   match covers are *named* by the rule.
4. No argument (named or not) names a path outside the workspace, or a file no role
   may write (the journal, the checkpoint, mode sources, `.git`, ...), unless the
   rule spells that argument out literally. Paths are looked for in the argument
   itself, after `=` (`--junitxml=/tmp/x.xml`), after a short option's letter
   (`-o/tmp/x`), and in `:`- or `,`-separated lists; URLs are not paths.
5. No argument is an escape (`-exec`, `-c`, `--upload-pack`, see
   `modegraph.tools.escapes`) unless the rule spells it out literally:
   `^python -c\b` allows `python -c CODE`; `^python\b` does not.

"Spelled out literally" means the argument is covered by the match and its text
appears in the rule with any backslash escapes removed.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from modegraph.tools.escapes import escape_tokens
from modegraph.tools.regex_limits import RegexTooSlow, compile_regex, match
from modegraph.tools.workspace import Workspace

__all__ = ["CommandLine", "Verdict", "command_line", "judge", "parse_shell"]

_SHELL_OPERATORS = re.compile(r"[;&|<>`$(){}\n*?\[\]~!#]")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_PIECES = re.compile(r"[:,]")
_SPECIAL = re.compile(r"[.^$*+?{}\[\]|()\\]")

ProtectedCheck = Callable[[Path], str | None]
"""Says why a real path may not be written (named by a command), or None."""


@dataclass(frozen=True, slots=True)
class CommandLine:
    """An argv as allow rules see it."""

    argv: tuple[str, ...]
    """The argument vector, the program as given."""
    program: str
    """The program as rules match it: a bare name, `./path` inside the workspace, or
    an absolute path."""
    line: str
    """The program and the quoted arguments, joined by spaces."""
    ends: tuple[int, ...]
    """The offset in `line` where each argument (the program first) ends."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether the rules allow a command, and why not when they do not."""

    pattern: str | None = None
    """The rule that allows it; None when none does."""
    problem: str | None = None
    """Why a rule that matched the program still does not allow it."""


def parse_shell(command: str) -> tuple[str, ...] | str:
    """The argv of a plain shell string, or why it cannot be allowlisted.

    Returns:
        The words, or a sentence saying what makes it more than a plain command.
    """
    if _SHELL_OPERATORS.search(command):
        return (
            "it holds shell operators or expansions (; | && > $ ` * ~ ...); "
            "pass an argv list instead"
        )
    try:
        words = tuple(shlex.split(command))
    except ValueError as exc:
        return f"it cannot be split into arguments ({exc})"
    if not words:
        return "it is empty"
    if "=" in words[0]:
        return "it starts with a variable assignment"
    return words


def command_line(
    argv: Sequence[str], *, cwd: Path | None, workspace: Workspace | None
) -> CommandLine:
    """The command line rules are matched against.

    Args:
        argv: The command, program first.
        cwd: The working directory (to resolve a program given as a path).
        workspace: The sandbox (to write a program inside it as `./path`).
    """
    program = _program_word(argv[0], cwd=cwd, workspace=workspace)
    words = [program, *argv[1:]]
    ends: list[int] = []
    offset = -1
    for word in words:
        offset += 1 + len(shlex.quote(word))
        ends.append(offset)
    line = " ".join(shlex.quote(word) for word in words)
    return CommandLine(argv=tuple(argv), program=program, line=line, ends=tuple(ends))


def _program_word(word: str, *, cwd: Path | None, workspace: Workspace | None) -> str:
    if "/" not in word and "\\" not in word:
        return word
    text = word.replace("\\", "/")
    base = cwd if cwd is not None else (workspace.root if workspace is not None else Path("/"))
    absolute = Path(os.path.normpath(base / text))
    if workspace is not None:
        root = workspace.root
        if absolute == root or root in absolute.parents:
            return "./" + absolute.relative_to(root).as_posix()
    return absolute.as_posix()


def judge(
    argv: Sequence[str],
    patterns: Sequence[str],
    *,
    cwd: Path | None = None,
    workspace: Workspace | None = None,
    protected: ProtectedCheck | None = None,
) -> Verdict:
    """Whether one of `patterns` allows `argv` (see the module docstring).

    Args:
        argv: The command, program first.
        patterns: The `commands.allow` rules.
        cwd: The working directory the command would run in.
        workspace: The sandbox; without it, arguments are not checked for paths.
        protected: Says which real paths no command may name.

    Returns:
        The allowing rule, or the first reason a matching rule did not allow it.
    """
    if not argv:
        return Verdict(problem="the command is empty")
    command = command_line(argv, cwd=cwd, workspace=workspace)
    problem: str | None = None
    for pattern in patterns:
        named = _named(command, pattern)
        if isinstance(named, str):
            problem = problem or named
            continue
        if named is None:
            continue
        literal = _literal(pattern)
        found = _argument_problem(
            command, named, literal, cwd=cwd, workspace=workspace, protected=protected
        )
        if found is None:
            return Verdict(pattern=pattern)
        problem = problem or f"rule `{pattern}` matches, but {found}"
    return Verdict(problem=problem)


def _named(command: CommandLine, pattern: str) -> int | str | None:
    """How many arguments (the program first) the rule covers; None or why not."""
    try:
        found = match(compile_regex(pattern), command.line)
    except RegexTooSlow as exc:
        return str(exc)
    except re.error:  # pragma: no cover - patterns are checked when the config loads
        return None
    if found is None:
        return None
    end = found.end()
    if end < command.ends[0]:
        return (
            f"rule `{pattern}` matches only part of the program name "
            f"`{command.program}`; a rule must name the whole program"
        )
    boundaries = {*command.ends, *(e + 1 for e in command.ends)}
    if end != len(command.line) and end not in boundaries:
        return (
            f"rule `{pattern}` ends inside an argument of `{command.line[:120]}`; "
            r"end the rule at a whole argument (for example with \s or $)"
        )
    return sum(1 for e in command.ends if e <= end)


def _escaped(text: str) -> str:
    return _SPECIAL.sub(r"\\\g<0>", text)


def _literal(pattern: str) -> str:
    return pattern.replace("\\", "")


def _argument_problem(
    command: CommandLine,
    named: int,
    literal: str,
    *,
    cwd: Path | None,
    workspace: Workspace | None,
    protected: ProtectedCheck | None,
) -> str | None:
    spelled = {index for index in range(1, named) if command.argv[index] in literal}
    for escape in escape_tokens((command.program, *command.argv[1:])):
        if escape.index not in spelled:
            words = (command.program, *command.argv[1 : escape.index + 1])
            example = "^" + " ".join(_escaped(shlex.quote(word)) for word in words) + r"\b"
            return (
                f"argument {escape.why}; only a rule that spells it out allows it "
                f"(for example `{example}`)"
            )
    if workspace is None:
        return None
    here = cwd if cwd is not None else workspace.root
    for index, token in enumerate(command.argv[1:], 1):
        if index in spelled:
            continue
        found = _path_problem(token, here, workspace, protected)
        if found is not None:
            return found
    return None


def _path_problem(
    token: str, cwd: Path, workspace: Workspace, protected: ProtectedCheck | None
) -> str | None:
    for piece in _pieces(token):
        real = Path(os.path.realpath(cwd / piece))
        if real != workspace.root and workspace.root not in real.parents:
            return (
                f"argument `{token}` names {real}, outside the workspace {workspace.root}; "
                "commands may only name paths inside it"
            )
        if protected is not None:
            why = protected(real)
            if why is not None:
                shown = real.relative_to(workspace.root).as_posix()
                return f"argument `{token}` names {shown}, {why}; no command may name it"
    return None


def _pieces(token: str) -> list[str]:
    """The parts of an argument that may name a path."""
    if token.startswith("-"):
        if "=" in token:
            value = token.split("=", 1)[1]
        elif token.startswith("--"):
            return []
        else:
            value = token[2:]
    else:
        value = token
    value = value.removeprefix("@")
    if not value or _URL.match(value):
        return []
    if "=" in value and not value.startswith(("/", ".")):
        value = value.split("=", 1)[1]  # NAME=VALUE as an argument (make, env-style)
    return [piece for piece in _PIECES.split(value) if piece and not _URL.match(piece)]
