r"""Arguments that turn an allowlisted program into "run anything": `-exec`, `-c`, ...

A `commands.allow` rule such as `^find \. -name\b` is meant to allow a search, not
`find . -name x -exec sh -c '...' ;`. `escape_tokens` lists, for one argv, every
argument that makes its program run other code or another program, or write or
delete files it was not asked to:

- any program: `--exec`, `--eval`, `--command`, `--to-command`, `--rsh`,
  `--upload-pack`, `--use-compress-program`, `--checkpoint-action`, ... (with or
  without `=value`);
- `find`: `-exec`, `-execdir`, `-ok`, `-okdir`, `-delete`, `-fprint*`, `-fls`;
- interpreters (`sh`, `bash`, `python`, `node`, `perl`, `ruby`, `php`, `lua`, `Rscript`,
  `pwsh`, ...): an option before the script that runs code from the command line
  (`-c`, `-e`, `-E`, `-r`, `-p`, `--eval`, `-M`, ... also inside a cluster like
  `-ec`); what follows the script or module belongs to it and is not judged here;
- `git`: `-c` and `--config-env` (configuration, which can name commands),
  `--exec-path`, `--template`, `-u`, and the subcommands `config`, `submodule`,
  `bisect`, `filter-branch`, `difftool`, `mergetool`, `daemon`, `instaweb`,
  `credential`, `send-email`;
- `pytest` (also as `python -m pytest`): `-p` (but not `-p no:...`), `-c`, `-o`,
  `--override-ini`, `--doctest-glob`, `--rootdir`, `--confcutdir` (a role that may only
  write Markdown could otherwise have its `.md` files collected and run);
- `tar`: `-I`, `-F`, `--info-script`, `--rmt-command`; `rsync`: `-e`;
  `ssh`/`scp`/`sftp`: `-o`, `-F`; `zip`: `-TT`;
- wrappers that run another program (`env`, `xargs`, `timeout`, `nice`, `nohup`,
  `setsid`, `stdbuf`, `sudo`, `time`, `command`, `exec`, ...): the program they run.

The list is a best effort, not a sandbox: an allowlisted interpreter or build tool
runs whatever code the workspace holds (`python evil.py`, `make`, `pytest` with a
`conftest.py`). A rule that spells one of these arguments out (`^python -c\b`,
`^find \. -name \S+ -exec\b`) allows it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

__all__ = ["Escape", "escape_tokens", "program_name"]

_ANY = frozenset(
    {
        "--exec",
        "--eval",
        "--command",
        "--to-command",
        "--use-compress-program",
        "--checkpoint-action",
        "--rsh",
        "--rsh-command",
        "--rmt-command",
        "--rsync-path",
        "--upload-pack",
        "--receive-pack",
        "--info-script",
        "--new-volume-script",
        "--extcmd",
        "--config-env",
        "--eval-command",
        "--unzip-command",
        "--init-command",
        "--exec-path",
        "--editor",
        "--pager",
    }
)
_FIND = frozenset(
    {"-exec", "-execdir", "-ok", "-okdir", "-delete", "-fprint", "-fprint0", "-fprintf", "-fls"}
)
# interpreter family -> (letters that run code inside a short-option cluster,
#                        long options that run code, short options taking a value)
_SHELL = ("c", {"--command", "--init-command", "--rcfile", "--init-file"}, "o")
_INTERPRETERS: dict[str, tuple[str, set[str], str]] = {
    **dict.fromkeys(
        ("sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "csh", "tcsh", "fish", "yash"), _SHELL
    ),
    **dict.fromkeys(("python", "pypy", "jython"), ("c", set(), "WX")),
    **dict.fromkeys(
        ("node", "nodejs", "bun"),
        ("epr", {"--eval", "--print", "--require", "--import", "--loader"}, ""),
    ),
    "deno": ("", {"--eval"}, ""),
    "perl": ("eEmM", set(), "I"),
    "ruby": ("er", {"--require"}, "I"),
    "php": ("rBREFd", set(), ""),
    **dict.fromkeys(("lua", "luajit"), ("el", set(), "")),
    **dict.fromkeys(("rscript", "r"), ("e", {"--expr"}, "")),
    "osascript": ("e", set(), ""),
    **dict.fromkeys(
        ("pwsh", "powershell"),
        ("", {"-c", "-command", "-e", "-ec", "-encodedcommand", "-commandwithargs"}, ""),
    ),
}
_CODE_SUBCOMMANDS = {"deno": {"eval", "repl"}}
_GIT_SUBCOMMANDS = frozenset(
    {
        "config",
        "submodule",
        "bisect",
        "filter-branch",
        "difftool",
        "mergetool",
        "daemon",
        "instaweb",
        "credential",
        "send-email",
        "upload-pack",
        "receive-pack",
        "shell",
    }
)
_GIT_VALUE_OPTIONS = frozenset({"-C", "-c", "--git-dir", "--work-tree", "--namespace"})
_WRAPPERS = frozenset(
    {
        "env",
        "xargs",
        "timeout",
        "nice",
        "ionice",
        "nohup",
        "setsid",
        "stdbuf",
        "time",
        "command",
        "exec",
        "sudo",
        "doas",
        "su",
        "runuser",
        "chroot",
        "unshare",
        "nsenter",
        "flock",
        "watch",
        "parallel",
        "strace",
        "ltrace",
        "taskset",
        "chrt",
        "script",
        "busybox",
        "firejail",
    }
)
_VERSIONED = re.compile(r"^(python|pypy|ruby|perl|php|lua|node)[\d.]*$")
_SKIPPED_BY_WRAPPERS = re.compile(r"^(-.*|[A-Za-z_][A-Za-z0-9_]*=.*|\d+(\.\d+)?[smhd]?)$")


@dataclass(frozen=True, slots=True)
class Escape:
    """One argument that lets the program run something else."""

    index: int
    """Its position in the argv."""
    why: str
    """What it does, as a refusal says it."""


def program_name(word: str) -> str:
    """The program's base name, lowercased, without a version (`python3.11` -> `python`)."""
    name = PurePosixPath(word.replace("\\", "/")).name.lower().removesuffix(".exe")
    versioned = _VERSIONED.match(name)
    return versioned.group(1) if versioned else name


def escape_tokens(argv: Sequence[str]) -> list[Escape]:
    """Every argument of `argv` that runs other code or another program.

    Args:
        argv: The command, program first.

    Returns:
        The escapes, in argv order.
    """
    found: list[Escape] = []
    start = 0
    while start < len(argv):
        name = program_name(argv[start])
        found.extend(_generic(argv, start))
        if name in _WRAPPERS:
            inner = _wrapped_program(argv, start)
            if inner is None:
                break
            found.append(Escape(inner, f"`{argv[inner]}`, the program `{name}` runs"))
            start = inner
            continue
        found.extend(_specific(name, argv, start))
        break
    return sorted(set(found), key=lambda escape: escape.index)


def _generic(argv: Sequence[str], start: int) -> list[Escape]:
    return [
        Escape(index, f"`{token}` runs another command")
        for index, token in enumerate(argv[start + 1 :], start + 1)
        if token.split("=", 1)[0].lower() in _ANY
    ]


def _wrapped_program(argv: Sequence[str], start: int) -> int | None:
    for index in range(start + 1, len(argv)):
        if not _SKIPPED_BY_WRAPPERS.match(argv[index]):
            return index
    return None


def _specific(name: str, argv: Sequence[str], start: int) -> list[Escape]:
    if name == "find":
        return [
            Escape(i, f"`{t}` makes find run a command or change files")
            for i, t in enumerate(argv[start + 1 :], start + 1)
            if t in _FIND
        ]
    if name == "git":
        return _git(argv, start)
    if name in ("pytest", "py.test"):
        return _pytest(argv, start)
    if name in _INTERPRETERS:
        return _interpreter(name, argv, start)
    return _short_options(name, argv, start)


def _interpreter(name: str, argv: Sequence[str], start: int) -> list[Escape]:
    letters, long_options, valued = _INTERPRETERS[name]
    found: list[Escape] = []
    index = start + 1
    while index < len(argv):
        token = argv[index]
        if token in _CODE_SUBCOMMANDS.get(name, ()):
            return [*found, Escape(index, f"`{name} {token}` runs code from the command line")]
        if token == "-m" and name == "python" and index + 1 < len(argv):
            module = argv[index + 1].lower()  # `python -m pytest ...` is pytest's arguments
            return found + _specific(module, argv, index + 1)
        if token == "--" or not token.startswith("-") or token in ("-", "-m"):
            break  # the script, the module or stdin: what follows belongs to it
        key = token.split("=", 1)[0].lower()
        cluster = token[1:] if not token.startswith("--") else ""
        if key in long_options or any(letter in cluster for letter in letters):
            found.append(Escape(index, f"`{token}` makes {name} run code from the command line"))
        if cluster[:1] and cluster[:1] in valued and len(cluster) == 1:
            index += 1  # the option's value
        index += 1
    return found


_PYTEST = frozenset(
    {"-c", "--config-file", "-o", "--override-ini", "--doctest-glob", "--rootdir", "--confcutdir"}
)


def _pytest(argv: Sequence[str], start: int) -> list[Escape]:
    """Options that make pytest load code or configuration a role could have written."""
    found: list[Escape] = []
    for index, token in enumerate(argv[start + 1 :], start + 1):
        key = token.split("=", 1)[0]
        plugin = token == "-p" or (token.startswith("-p") and not token.startswith("--"))
        if plugin:
            value = token[2:] or (argv[index + 1] if index + 1 < len(argv) else "")
            if not value.startswith("no:"):
                found.append(Escape(index, f"`{token}` makes pytest load a plugin module"))
        elif key in _PYTEST or (token.startswith(("-c", "-o")) and not token.startswith("--")):
            found.append(
                Escape(index, f"`{token}` makes pytest read configuration or collect other files")
            )
    return found


def _git(argv: Sequence[str], start: int) -> list[Escape]:
    found: list[Escape] = []
    index = start + 1
    while index < len(argv) and argv[index].startswith("-"):
        token = argv[index]
        if token == "-c" or token.startswith(("-c", "--config-env", "--exec-path")):
            found.append(Escape(index, f"`{token}` sets git configuration, which can run commands"))
        index += 2 if token in _GIT_VALUE_OPTIONS else 1
    if index >= len(argv):
        return found
    sub = argv[index]
    if sub in _GIT_SUBCOMMANDS:
        found.append(Escape(index, f"`git {sub}` can run commands or change git's configuration"))
    for i, token in enumerate(argv[index + 1 :], index + 1):
        key = token.split("=", 1)[0]
        if key in ("--template", "--config", "-c", "-u", "-x") or token.startswith("-c"):
            if sub in ("clone", "init", "fetch", "pull", "ls-remote", "rebase", "archive"):
                found.append(Escape(i, f"`{token}` makes `git {sub}` run a command"))
    return found


_SHORT: dict[str, tuple[str, frozenset[str]]] = {
    "tar": ("IF", frozenset()),
    "bsdtar": ("IF", frozenset()),
    "gtar": ("IF", frozenset()),
    "rsync": ("e", frozenset()),
    "ssh": ("oF", frozenset()),
    "scp": ("oFS", frozenset()),
    "sftp": ("oFS", frozenset()),
    "zip": ("", frozenset({"-TT"})),
}


def _short_options(name: str, argv: Sequence[str], start: int) -> list[Escape]:
    letters, exact = _SHORT.get(name, ("", frozenset()))
    found: list[Escape] = []
    for index, token in enumerate(argv[start + 1 :], start + 1):
        cluster = token[1:] if token.startswith("-") and not token.startswith("--") else ""
        if token in exact or any(letter in cluster for letter in letters):
            found.append(Escape(index, f"`{token}` makes {name} run another command"))
    return found
