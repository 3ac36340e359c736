"""`run` and `resume` refuse unusable options with a message and exit 2, never a traceback.

One test per case of issue 18 item 7 and 8: a guard value too large for a checkpoint,
Postgres URLs that cannot be reached (the password never echoed), a directory, a
text file (left as it was), a read-only file system, SQLAlchemy's `sqlite:///`
(relative) and `sqlite:////` (absolute) URLs. None of them reserves a task id.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from modegraph.cli.app import app

SEED = Path(__file__).parents[1] / "coordinator" / "data" / "seed.mode.yaml"
GOAL = "Design a Postgres schema with migrations"
BASE = ["--modes", str(SEED), "--no-bundled"]


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty project directory with an empty user layer."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def run(*args: str) -> Any:
    result = CliRunner().invoke(app, ["run", GOAL, *BASE, *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def resume(*args: str) -> Any:
    result = CliRunner().invoke(app, ["resume", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def nothing_reserved(root: Path) -> bool:
    return not (root / "project_journal" / ".ids").exists()


def one_line(text: str) -> str:
    return " ".join(text.split())


# -- guard values --------------------------------------------------------------------


def test_a_huge_max_depth_is_out_of_range(in_tmp: Path) -> None:
    result = run("--max-depth", "99999999999999999999999")
    assert result.exit_code == 2
    assert (
        "--max-depth 99999999999999999999999 is out of range; use a whole number from 1 to 100"
        in one_line(result.stderr)
    )
    assert nothing_reserved(in_tmp)


def test_a_huge_token_budget_is_out_of_range() -> None:
    result = run("--max-tokens", str(2**64))
    assert result.exit_code == 2
    assert "--max-tokens 18446744073709551616 is out of range" in one_line(result.stderr)


def test_a_huge_guard_in_modegraph_yaml_names_the_file(in_tmp: Path) -> None:
    (in_tmp / "modegraph.yaml").write_text(
        "guards:\n  max_subtasks: 99999999999999999999\n", encoding="utf-8"
    )
    result = run()
    assert result.exit_code == 2
    assert "guards.max_subtasks in modegraph.yaml 99999999999999999999 is out of range" in (
        one_line(result.stderr)
    )


# -- Postgres ---------------------------------------------------------------------------


@pytest.fixture
def offline_resolver(monkeypatch: pytest.MonkeyPatch) -> None:
    """Resolve no name but this machine's, as a resolver without a network does."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in ("localhost", "127.0.0.1", "::1"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.usefixtures("offline_resolver")
def test_run_with_an_unknown_postgres_host_says_so(in_tmp: Path) -> None:
    pytest.importorskip("langgraph.checkpoint.postgres")
    result = run("--checkpoint", "postgres://nohost/db")
    assert result.exit_code == 2
    message = one_line(result.stderr)
    assert "cannot use the Postgres checkpoint store --checkpoint postgres://nohost/db" in message
    assert "nohost" in message and "check the host, port" in message
    assert nothing_reserved(in_tmp)


@pytest.mark.usefixtures("offline_resolver")
def test_resume_with_an_unknown_postgres_host_says_so() -> None:
    pytest.importorskip("langgraph.checkpoint.postgres")
    result = resume("TASK-X-20260101-000000", "--checkpoint", "postgres://nohost/db")
    assert result.exit_code == 2
    assert "cannot use the Postgres checkpoint store" in one_line(result.stderr)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("command", ["run", "resume"])
def test_an_unreachable_postgres_server_is_reported_without_its_password(
    in_tmp: Path, command: str
) -> None:
    pytest.importorskip("langgraph.checkpoint.postgres")
    url = f"postgresql://alice:s3cr3t-pw@127.0.0.1:{closed_port()}/db"
    if command == "run":
        result = run("--checkpoint", url, "--json")
    else:
        result = resume("TASK-X-20260101-000000", "--checkpoint", url, "--json")
    assert result.exit_code == 2
    message = one_line(result.stderr)
    assert "cannot use the Postgres checkpoint store" in message
    assert "postgresql://alice:***@127.0.0.1" in message
    assert "s3cr3t-pw" not in result.stderr + result.stdout
    assert nothing_reserved(in_tmp)


@pytest.mark.parametrize("password", ["e", "p", "on"])
def test_a_short_password_is_hidden_without_garbling_the_drivers_message(
    in_tmp: Path, password: str
) -> None:
    """A password of a letter or two is not masked inside the words of the message."""
    pytest.importorskip("langgraph.checkpoint.postgres")
    url = f"postgres://user:{password}@127.0.0.1:{closed_port()}/db"
    result = run("--checkpoint", url)
    assert result.exit_code == 2
    message = one_line(result.stderr)
    assert "postgres://user:***@127.0.0.1" in message
    assert "connection" in message.lower() and "port" in message
    assert "***" not in message.split("@127.0.0.1", 1)[1]


# -- SQLite files -----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["run", "resume"])
def test_a_directory_is_not_a_checkpoint_file(in_tmp: Path, command: str) -> None:
    (in_tmp / "adir").mkdir()
    if command == "run":
        result = run("--checkpoint", "adir")
    else:
        result = resume("TASK-X-20260101-000000", "--checkpoint", "adir")
    assert result.exit_code == 2
    assert "--checkpoint adir is a directory; name a file in it, e.g. adir/checkpoints.sqlite" in (
        one_line(result.stderr)
    )


@pytest.mark.parametrize(
    "content", [b"hello\n", b"\x00\x01binary", b"SQLite format 2\x00" + b"\x00" * 84]
)
def test_a_file_that_is_not_an_sqlite_database_is_refused_and_kept(
    in_tmp: Path, content: bytes
) -> None:
    afile = in_tmp / "afile"
    afile.write_bytes(content)
    result = run("--checkpoint", "afile")
    assert result.exit_code == 2
    assert "--checkpoint afile is not an SQLite database, and modegraph will not overwrite it" in (
        one_line(result.stderr)
    )
    assert afile.read_bytes() == content
    assert nothing_reserved(in_tmp)


def test_resume_from_a_text_file_is_refused_and_keeps_it(in_tmp: Path) -> None:
    (in_tmp / "notes.txt").write_text("my notes\n", encoding="utf-8")
    result = resume("TASK-X-20260101-000000", "--checkpoint", "notes.txt")
    assert result.exit_code == 2
    assert "is not an SQLite database" in result.stderr
    assert (in_tmp / "notes.txt").read_text(encoding="utf-8") == "my notes\n"


def test_an_sqlite_database_of_something_else_is_refused(in_tmp: Path) -> None:
    with sqlite3.connect(in_tmp / "app.db") as conn:
        conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY)")
    conn.close()
    result = run("--checkpoint", "app.db")
    assert result.exit_code == 2
    assert "is an SQLite database of something else (its tables: users)" in (
        one_line(result.stderr)
    )


def test_an_empty_file_and_an_earlier_checkpoint_file_are_used(in_tmp: Path) -> None:
    (in_tmp / "empty.sqlite").touch()
    first = run("--checkpoint", "empty.sqlite", "--json")
    assert first.exit_code == 0, first.stderr
    again = run("--checkpoint", "empty.sqlite", "--json")
    assert again.exit_code == 0, again.stderr
    task_id = json.loads(first.stdout)["task_id"]
    assert resume(task_id, "--checkpoint", "empty.sqlite").exit_code == 0


def read_only_dir(in_tmp: Path) -> Path:
    """A directory where no file can be created, as on a read-only file system."""
    if os.geteuid() != 0:
        locked = in_tmp / "locked"
        locked.mkdir(mode=0o555)
        return locked
    if Path("/proc/self").is_dir():  # root writes anywhere, except in /proc
        return Path("/proc")
    pytest.skip("as root without /proc, no directory refuses new files")


def test_a_checkpoint_where_no_file_can_be_created_is_refused(in_tmp: Path) -> None:
    where = read_only_dir(in_tmp) / "x.sqlite"
    result = run("--checkpoint", str(where))
    assert result.exit_code == 2
    message = one_line(result.stderr)
    assert f"--checkpoint {where} cannot be used:" in message
    assert "check that its directory is writable (not on a read-only file system)" in message
    assert nothing_reserved(in_tmp)


def test_a_checkpoint_on_a_read_only_file_system_is_refused(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def read_only(path: Any, *args: Any, **kwargs: Any) -> int:
        if str(path).startswith(str(in_tmp / "mnt")):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, *args, **kwargs)

    (in_tmp / "mnt").mkdir()
    monkeypatch.setattr(os, "open", read_only)
    result = run("--checkpoint", str(in_tmp / "mnt" / "x.sqlite"))
    assert result.exit_code == 2
    assert "cannot be used: Read-only file system" in one_line(result.stderr)


def test_the_default_checkpoint_under_a_journal_that_is_a_file_is_refused(in_tmp: Path) -> None:
    (in_tmp / "journal.txt").write_text("not a directory\n", encoding="utf-8")
    result = run("--journal", "journal.txt")
    assert result.exit_code == 2
    message = one_line(result.stderr)
    assert (
        "the checkpoint file journal.txt/checkpoints.sqlite (under the journal directory) "
        "cannot be created: journal.txt is a file, not a directory; pass another --journal DIR"
    ) in message


# -- sqlite:/// URLs as SQLAlchemy reads them -------------------------------------------


def test_sqlite_url_with_three_slashes_is_relative_and_its_directory_must_exist(
    in_tmp: Path,
) -> None:
    result = run("--checkpoint", "sqlite:///tmp/x")
    assert result.exit_code == 2
    assert (
        "the directory tmp of --checkpoint sqlite:///tmp/x (the file tmp/x) does not exist "
        "(sqlite:///tmp/x is a path relative to the current directory, as in SQLAlchemy; "
        "for /tmp/x write sqlite:////tmp/x); create it first"
    ) in one_line(result.stderr)
    assert not (in_tmp / "tmp").exists()
    (in_tmp / "tmp").mkdir()
    assert run("--checkpoint", "sqlite:///tmp/x").exit_code == 0
    assert (in_tmp / "tmp" / "x").read_bytes().startswith(b"SQLite format 3\x00")


def test_sqlite_url_with_four_slashes_is_absolute(in_tmp: Path, tmp_path_factory: Any) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    first = run("--checkpoint", f"sqlite:///{elsewhere}/cp.sqlite", "--json")
    assert first.exit_code == 0, first.stderr
    assert (elsewhere / "cp.sqlite").is_file()
    task_id = json.loads(first.stdout)["task_id"]
    assert resume(task_id, "--checkpoint", f"sqlite:///{elsewhere}/cp.sqlite").exit_code == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "--checkpoint is empty"),
        ("sqlite://host/x", "names a host; SQLite URLs have none"),
        ("sqlite:///:memory:", "checkpoints in memory cannot be resumed"),
        ("sqlite://", "names no file"),
        ("sqlite:x.db", "is not an SQLite URL"),
        ("redis://h", "use sqlite:///PATH, a file path, or postgres://"),
    ],
)
def test_checkpoint_values_that_name_no_file(value: str, message: str) -> None:
    result = run("--checkpoint", value)
    assert result.exit_code == 2
    assert message in one_line(result.stderr)


def test_an_empty_mode_is_refused() -> None:
    result = run("--mode", " ")
    assert result.exit_code == 2
    assert "--mode is empty" in result.stderr


def test_a_checkpoint_that_is_a_pipe_is_refused_without_waiting_on_it(in_tmp: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    os.mkfifo(in_tmp / "fifo")
    for result in (run("--checkpoint", "fifo"), resume("TASK-X", "--checkpoint", "fifo")):
        assert result.exit_code == 2
        assert "--checkpoint fifo is not a regular file" in one_line(result.stderr)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--checkpoint", "x" * 3000], "cannot be used: File name too long"),
        (["--journal", "x" * 3000], "cannot be used: File name too long"),
        (
            ["--journal", "x" * 3000, "--checkpoint", "cp.sqlite"],
            "File name too long; pass another",
        ),
    ],
)
def test_an_over_long_path_is_an_error_not_a_traceback(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code in (1, 2)
    assert message in one_line(result.stderr)


def test_hidden_reject_options_that_do_not_pair_up_are_a_usage_error(tmp_path, monkeypatch):
    # found by the CLI fuzz test: `resume X --reject-id Y` (no --reject-why) was a traceback
    from typer.testing import CliRunner

    from modegraph.cli.app import app

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["resume", "TASK-X-1", "--reject-id", "a1"])
    assert result.exit_code == 2
    assert 'reject a single request with --reject ID "REASON"' in result.output


def test_a_checkpoint_name_with_a_nul_character_is_a_usage_error(tmp_path, monkeypatch):
    # found by the CLI fuzz test: `run 0 --checkpoint '\x00'` was a ValueError traceback
    from typer.testing import CliRunner

    from modegraph.cli.app import app

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["run", "Go", "--checkpoint", "a\x00b"])
    assert result.exit_code == 2
    assert "a file name has no NUL character" in result.output
