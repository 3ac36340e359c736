"""Fuzz the command line: odd values for every option of every command, never a traceback.

The argv are built from the real Typer commands (`typer.main.get_command(app)`): a
command, its required arguments, then a few of its options, each with a value
chosen by the option's type: huge, negative and non-numeric numbers, empty and
unicode text with control characters, paths to a directory, a missing file, a text
file, an SQLite file of something else, a named pipe, `-`, and URLs that are not
what they should be. Every invocation must end with exit code 0, 1, 2 (Typer's
usage errors are 2) or 3 (a run or route that leaves part of its goal not covered,
such as a goal of random letters), say something when it fails, and raise nothing else; one
that runs for more than 30 s counts as a hang.

Bounded for CI: `max_examples` keeps the whole test near half a minute on two
cores (each example is one in-process invocation, a `run` of the rule agent being
the slowest). No value names a real LLM provider, and no host is resolved: the
test stays offline.
"""

from __future__ import annotations

import enum
import itertools
import os
import shutil
import signal
import socket
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import typer.main
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from modegraph.cli.app import _CLICK, app

SEED = Path(__file__).parents[1] / "coordinator" / "data" / "seed.mode.yaml"
TIMEOUT = 30
"""Seconds one invocation may take before it counts as a hang."""


SERVING = (["worker"], ["dev-server"])
"""Commands that serve until stopped (Ctrl-C, SIGTERM): given good options they run on
by design, so they are not fuzzed here; tests/engines/temporal/test_cli.py checks their
bad options and their stopping."""


def commands() -> list[tuple[list[str], Any]]:
    """Every leaf command of the app with its name path, e.g. (["modes", "list"], cmd)."""
    found: list[tuple[list[str], Any]] = []

    def walk(command: Any, path: list[str]) -> None:
        if hasattr(command, "list_commands"):  # a group (the root loads its commands lazily)
            ctx = _CLICK.Context(command)
            for name in sorted(command.list_commands(ctx)):
                walk(command.get_command(ctx, name), [*path, name])
        elif path not in SERVING:
            found.append((path, command))

    walk(typer.main.get_command(app), [])
    return found


COMMANDS = commands()

HUGE = ["99999999999999999999999", str(2**63), str(2**64 + 1), "1e309"]
NUMBERS = st.sampled_from(["0", "-1", "-99999999999999999999", "abc", "", " 3", "٣", *HUGE]) | (
    st.integers(min_value=-(10**30), max_value=10**30).map(str)
)
PATHS = st.sampled_from(
    [
        "adir",
        "missing.yaml",
        "missing/deeper/x",
        "text.txt",
        "app.db",
        "fifo",
        "empty",
        "-",
        "",
        ".",
        "/proc/x.sqlite",
        "adir/../text.txt",
        "seed.mode.yaml",
    ]
)
OUTPUTS = st.sampled_from(
    ["adir", "missing/deeper/x", "text.txt", "new.out", "-", "", "/proc/x.svg"]
)
URLS = st.sampled_from(
    [
        "postgres://nohost/db",
        "postgresql://u:s3cret@127.0.0.1:1/db",
        "postgres://[bad",
        "postgres://u:p@:99999/db",
        "postgresql://",
        "sqlite:///tmp/x",
        "sqlite:////proc/x.sqlite",
        "sqlite:///:memory:",
        "sqlite://host/x",
        "sqlite:x",
        "redis://h",
        "file:///etc/passwd",
        "://",
    ]
)
LONG = "x" * 3000
"""Longer than any file name may be (ENAMETOOLONG)."""
SHORT_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=24
) | st.sampled_from(
    [
        "",
        " ",
        "\x1b[31mred\x1b[0m",
        "a\x00b",
        "ü\u202e",
        "--json",
        "-",
        "fastapi-developer",
        "roo-commander",
        "a=b",
        "=",
        "tier:worker",
        "escalations",
    ]
)
TEXT = SHORT_TEXT | st.just(LONG)
MODELS = st.sampled_from(["", "x", ":", "nosuch:model", "ü:ü", "\x1b:\x07", "nosuch:"])
"""`--model` values: never a real provider, so nothing is installed or reached."""


def values_for(param: Any, command: str = "") -> st.SearchStrategy[str]:
    """Odd values for one option or argument, by its type and name."""
    kind = param.bare_type()
    name = param.opts[0]
    if name == "--model":
        return MODELS
    if name in ("-o", "--output"):  # writing to a named pipe waits for its reader, rightly
        return OUTPUTS | TEXT
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return st.sampled_from([m.value for m in kind]) | TEXT
    if kind is int:
        return NUMBERS
    if name == "--checkpoint":
        return URLS | PATHS | TEXT
    if "Path" in str(kind):
        return PATHS | TEXT
    return TEXT | PATHS | URLS


@st.composite
def argv(draw: st.DrawFn) -> list[str]:
    """One invocation: a command, its arguments, some of its options with odd values."""
    path, command = draw(st.sampled_from(COMMANDS))
    args = [*path]
    options = []
    for param in command.params:
        if type(param).__name__.endswith("Argument"):
            count = 1 if param.nargs == 1 else draw(st.integers(0 if not param.required else 1, 2))
            args.extend(draw(values_for(param, " ".join(path))) for _ in range(count))
        else:
            options.append(param)
    chosen = draw(st.lists(st.sampled_from(options), max_size=4)) if options else []
    for param in chosen:
        if getattr(param, "is_flag", False):
            flags = [*param.opts, *param.secondary_opts]
            args.append(draw(st.sampled_from(flags)))
        else:
            value = draw(values_for(param, " ".join(path)))
            args.extend([draw(st.sampled_from(param.opts)), value])
    if path == ["run"] and draw(st.booleans()):  # a small catalog makes a run quick
        args.extend(["--modes", "seed.mode.yaml", "--no-bundled"])
    return args


@contextmanager
def world() -> Iterator[Path]:
    """A fresh directory with one of each kind of path the values name."""
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        root = Path(tmp)
        (root / "adir").mkdir()
        (root / "text.txt").write_text("hello\n", encoding="utf-8")
        (root / "empty").touch()
        # a copy: an invocation may write to any path it is given (`-o`, `--force`)
        shutil.copyfile(SEED, root / "seed.mode.yaml")
        with sqlite3.connect(root / "app.db") as conn:
            conn.execute("CREATE TABLE users (id INTEGER)")
        conn.close()
        if hasattr(os, "mkfifo"):
            os.mkfifo(root / "fifo")
        patch.chdir(root)
        patch.setenv("HOME", str(root))
        patch.setenv("XDG_CONFIG_HOME", str(root / "config"))
        yield root


@contextmanager
def offline() -> Iterator[None]:
    """No host name resolves, as on a machine without a network (no NetworkBlocked noise)."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in (None, "", "localhost", "127.0.0.1", "::1", b"localhost"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, "getaddrinfo", getaddrinfo)
        yield


class Hang(Exception):
    """An invocation ran for more than `TIMEOUT` seconds."""


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.slow
@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(argv())
def test_no_invocation_ends_in_a_traceback(args: list[str]) -> None:
    with world(), offline(), deadline(TIMEOUT):
        result = CliRunner().invoke(app, args)
    error = result.exception
    command = next(" ".join(p) for p, _ in COMMANDS if args[: len(p)] == p)
    event(f"{command} -> exit {result.exit_code}")  # see --hypothesis-show-statistics
    assert error is None or isinstance(error, SystemExit), (args, repr(error))
    assert result.exit_code in (0, 1, 2, 3), (args, result.exit_code, result.output)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, (args, output)
    if result.exit_code != 0:
        assert output.strip(), (args, "failed without a word")
    if any(a == "--checkpoint" and "s3cret" in b for a, b in itertools.pairwise(args)):
        assert "s3cret" not in output, (args, "the checkpoint URL's password was echoed")


def test_every_command_is_fuzzed() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"run", "resume", "modes list", "journal show", "graph show"} <= names
    for _, command in COMMANDS:
        for param in command.params:
            assert values_for(param) is not None


@pytest.mark.parametrize(
    "args",
    [
        ["modes", "validate", LONG],
        ["modes", "list", "--modes", LONG],
        ["modes", "new", "ab", "--level", "worker", "-o", LONG],
    ],
)
def test_an_over_long_mode_path_is_reported_without_a_traceback(args: list[str]) -> None:
    with world():
        result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (1, 2)
