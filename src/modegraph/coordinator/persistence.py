"""Checkpointers: SQLite under the journal root by default, Postgres on request.

`--checkpoint` takes, like SQLAlchemy's database URLs:

- `sqlite:///relative/path.sqlite`: three slashes, a path relative to the current
  directory (`sqlite:///tmp/x` is `./tmp/x`);
- `sqlite:////absolute/path.sqlite`: four slashes, an absolute path;
- a bare file path, relative or absolute;
- `postgres://...` / `postgresql://...` (needs the `postgres` extra).

Without it the checkpoints go to `<journal root>/checkpoints.sqlite`. The thread id
of a run is its task id, so `modegraph resume TASK-ID` finds it again.

Nothing is overwritten or created by mistake: a named SQLite file must be missing,
empty, or an SQLite database that holds no tables or modegraph's checkpoints; its
directory must exist (only the default file's directory, the journal root, is
created). A store that cannot be used is a `ConfigError` that names it (a Postgres
password shown as `***`) and says how to fix it, raised before a run reserves a task
id; a store that fails while a run is running is a `JournalError` (the run continues
with `modegraph resume` once the store works again).

Longer than 400 lines: the URL forms, the refusals of each store and the durability
settings of SQLite connections belong together.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, ExitStack, asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from modegraph.errors import ConfigError, JournalError

__all__ = [
    "CHECKPOINT_FILE",
    "CONNECT_TIMEOUT",
    "SQLITE_HEADER",
    "SYNCHRONOUS",
    "PreparedFiles",
    "acheckpointer",
    "check_checkpoint",
    "checkpointer",
    "keep_open",
    "shown_url",
    "sqlite_path",
    "sync_wal",
]

CHECKPOINT_FILE = "checkpoints.sqlite"
"""Name of the default SQLite checkpoint file, under the journal root."""

BUSY_TIMEOUT = 120.0
"""Seconds a SQLite connection waits for another writer's lock before it fails.

Many runs share one checkpoint file (concurrent `Runner.astart` calls, several
processes); each commit holds the write lock for milliseconds, so a writer waits
its turn instead of failing with `database is locked` after SQLite's default 5 s.
"""

CONNECT_TIMEOUT = 10
"""Seconds to wait for a Postgres server, unless the URL sets `connect_timeout`."""

SQLITE_HEADER = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file."""

SYNCHRONOUS = "NORMAL"
"""SQLite's `synchronous` setting for checkpoint connections (in WAL mode).

With NORMAL a commit is written to the write-ahead log without an fsync: it survives
the process being killed at any moment (the operating system has the data), not a
power loss or an operating system crash, which can roll back the commits of the last
moments (the database stays consistent). `sync_wal` makes them durable when a run
returns; FULL would fsync every step's commit instead.
"""

_POSTGRES = ("postgres://", "postgresql://")
_SQLITE = "sqlite://"


def sqlite_path(url: str | None, *, root: Path) -> Path | None:
    """The SQLite file `url` names (the default under `root` when None); None for Postgres.

    Raises:
        ConfigError: an empty value, a scheme modegraph does not know, or an SQLite URL
            that names no file.
    """
    if url is None:
        return root / CHECKPOINT_FILE
    if not url.isascii() and url != url.encode("utf-8", "replace").decode("utf-8"):
        raise ConfigError(
            f"--checkpoint {url.encode('utf-8', 'replace').decode()!r} is not valid UTF-8 text; "
            "pass it in UTF-8 (e.g. with LANG=C.UTF-8)"
        )
    if url.startswith(_POSTGRES):
        return None
    if not url.strip():
        raise ConfigError(
            "--checkpoint is empty; give sqlite:///PATH, a file path or postgres://..."
        )
    if url.startswith("sqlite:") and not url.startswith(_SQLITE):
        raise ConfigError(
            f"--checkpoint {url!r} is not an SQLite URL; use sqlite:///relative/path or "
            "sqlite:////absolute/path (or a plain file path)"
        )
    if url.startswith(_SQLITE):
        rest = url.removeprefix(_SQLITE)
        if rest and not rest.startswith("/"):
            raise ConfigError(
                f"--checkpoint {url!r} names a host; SQLite URLs have none: use "
                "sqlite:///relative/path or sqlite:////absolute/path"
            )
        path = rest.removeprefix("/").split("?", 1)[0]
        if path in ("", ":memory:"):
            raise ConfigError(
                f"--checkpoint {url!r} names no file, and checkpoints in memory cannot be "
                "resumed; use sqlite:///relative/path or sqlite:////absolute/path"
            )
        return Path(path)
    if "://" in url:
        raise ConfigError(
            f"--checkpoint {shown_url(url)!r}: use sqlite:///PATH, a file path, or postgres://..."
        )
    return Path(url)


def shown_url(url: str) -> str:
    """`url` as it may be shown: the password replaced by `***`."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:  # not even a URL: hide everything between the scheme and '@'
        scheme, sep, rest = url.partition("://")
        return f"{scheme}{sep}***@{rest.rsplit('@', 1)[1]}" if "@" in rest else url
    if password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    netloc = f"{parts.username or ''}:***@{host}"
    return urlunsplit(parts._replace(netloc=netloc))


def _postgres_missing(url: str) -> ConfigError:
    return ConfigError(
        f"--checkpoint {shown_url(url)!r} needs the Postgres checkpointer; install it "
        "with `pip install 'modegraph[postgres]'`"
    )


def check_checkpoint(url: str | None, *, root: Path | None = None) -> None:
    """Check `url` before a run does anything (reserves an id, writes a file).

    Args:
        url: The `--checkpoint` value (None: the default file under `root`).
        root: The journal root; without it the default file is not checked.

    Raises:
        ConfigError: an unknown scheme, Postgres without the `postgres` extra, or an
            SQLite path that is a directory, sits in a missing directory or holds a
            file that is not an SQLite database.
    """
    if url is None and root is None:
        return
    path = sqlite_path(url, root=root or Path())
    if path is not None:
        _check_sqlite_file(path, url)
    elif importlib.util.find_spec("langgraph.checkpoint.postgres") is None:
        assert url is not None
        raise _postgres_missing(url)


def _named(path: Path, url: str | None) -> str:
    """How messages name the checkpoint file."""
    if url is None:
        return f"the checkpoint file {path} (under the journal directory)"
    return f"--checkpoint {url}" + ("" if str(path) == url else f" (the file {path})")


def _check_sqlite_file(path: Path, url: str | None) -> None:
    """Refuse a path that would not hold checkpoints, or whose file would be lost."""
    named = _named(path, url)
    if "\x00" in str(path):
        raise ConfigError(f"{named!r} cannot be used: a file name has no NUL character")
    try:
        _check_sqlite_path(path, url, named)
    except OSError as exc:  # a name too long, a loop of links, no permission to look
        raise ConfigError(f"{named} cannot be used: {_reason(exc)}") from exc


def _exists(path: Path, url: str | None) -> bool:
    try:
        return path.exists()
    except OSError as exc:
        raise ConfigError(f"{_named(path, url)} cannot be used: {_reason(exc)}") from exc


def _check_sqlite_path(path: Path, url: str | None, named: str) -> None:
    if path.is_dir():
        raise ConfigError(
            f"{named} is a directory; name a file in it, e.g. {path / CHECKPOINT_FILE}"
        )
    if path.exists() and not path.is_file():
        raise ConfigError(
            f"{named} is not a regular file (a device, a pipe or a socket); name a file"
        )
    parent = path.parent
    if parent.exists() and not parent.is_dir():
        raise ConfigError(
            f"{named} cannot be created: {parent} is a file, not a directory; pass "
            + ("another --checkpoint FILE" if url is not None else "another --journal DIR")
        )
    if url is not None and not parent.exists():
        hint = ""
        if url.startswith(_SQLITE) and not url.startswith(f"{_SQLITE}//"):
            hint = (
                f" (sqlite:///{path} is a path relative to the current directory, as in "
                f"SQLAlchemy; for /{path} write sqlite:////{path})"
            )
        raise ConfigError(
            f"the directory {parent} of {named} does not exist{hint}; create it first"
        )
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ConfigError(f"{named} cannot be read: {exc.strerror or exc}") from exc
    if head and head != SQLITE_HEADER:
        raise ConfigError(
            f"{named} is not an SQLite database, and modegraph will not overwrite it; "
            "name a new file (or an earlier run's checkpoint file)"
        )


class PreparedFiles:
    """The SQLite checkpoint files one `Runner` has set up, known by device and inode.

    Setting a file up (`_prepare_sqlite`: checks, a file lock, write-ahead logging,
    the tables) costs about a millisecond, and a Runner's runs all use the same file.
    A file this object holds was set up by this process and is still that file (the
    same inode), so a run skips the set-up; a file removed or replaced since is set up
    again.
    """

    def __init__(self) -> None:
        self._known: set[tuple[int, int]] = set()

    def holds(self, path: Path) -> bool:
        """Whether `path` is a file set up earlier (and still the same file)."""
        try:
            info = os.stat(path)
        except OSError:
            return False
        return (info.st_dev, info.st_ino) in self._known

    def add(self, path: Path) -> None:
        """Note that `path` is set up."""
        info = os.stat(path)
        self._known.add((info.st_dev, info.st_ino))


def _set_up(path: Path, url: str | None, prepared: PreparedFiles | None) -> bool:
    """Set the SQLite file up unless `prepared` holds it; True when it was set up before."""
    if prepared is not None and prepared.holds(path):
        return True
    _prepare_sqlite(path, url)
    if prepared is not None:
        prepared.add(path)
    return False


def _missing_file(path: Path) -> JournalError:
    return JournalError(
        f"there is no checkpoint file {path}, so no run can be resumed from it; pass the "
        "same --journal and --checkpoint as the run (`modegraph journal list` shows the "
        "task ids)"
    )


def _prepare_sqlite(path: Path, url: str | None) -> None:
    """Create the checkpoint file's tables and switch it to write-ahead logging, once.

    Switching the journal mode needs the database to itself, and SQLite answers
    `database is locked` at once (its busy timeout does not apply) when several
    connections try it together on a new file, as concurrent `Runner.astart` calls
    do. So the switch and the table set-up happen under a file lock, one connection
    at a time; WAL is a property of the file, so every later connection inherits it.

    Raises:
        ConfigError: the file or its directory cannot be written (a read-only file
            system, permissions), or it is an SQLite database of something else.
    """
    from filelock import FileLock
    from langgraph.checkpoint.sqlite import SqliteSaver

    _check_sqlite_file(path, url)
    lock = f"{path}.lock"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # FileLock retries a lock file it may not create until its timeout: find out now
        os.close(os.open(lock, os.O_RDWR | os.O_CREAT, 0o644))
        with FileLock(lock, timeout=BUSY_TIMEOUT):
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT, check_same_thread=False)
            try:
                tables = {
                    row[0]
                    for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                }
                if tables and "checkpoints" not in tables:
                    shown = ", ".join(sorted(tables)[:5])
                    raise ConfigError(
                        f"{_named(path, url)} is an SQLite database of something else (its "
                        f"tables: {shown}); name a new file for the checkpoints"
                    )
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    conn.execute("PRAGMA journal_mode=WAL")
                SqliteSaver(conn).setup()
            finally:
                conn.close()
    except (OSError, sqlite3.Error) as exc:
        option = "--checkpoint FILE" if url is not None else "another --journal DIR"
        raise ConfigError(
            f"{_named(path, url)} cannot be used: {_reason(exc)}; check that its directory "
            f"is writable (not on a read-only file system), or pass {option}"
        ) from exc


def _reason(exc: BaseException, url: str | None = None) -> str:
    """The first line of an error, any password in it replaced by `***`."""
    text = (getattr(exc, "strerror", None) or str(exc) or type(exc).__name__).strip()
    line = text.splitlines()[0] if text else type(exc).__name__
    if url is not None:
        try:
            password = urlsplit(url).password
        except ValueError:
            password = None
        if password:  # where it stands on its own: a one-letter one is in every word
            line = re.sub(rf"(?<!\w){re.escape(password)}(?!\w)", "***", line)
    return line


def _failed_during_run(url: str | None, path: Path | None, exc: BaseException) -> JournalError:
    where = shown_url(url) if url is not None and path is None else str(path)
    return JournalError(
        f"the checkpoint store {where} failed during the run: {_reason(exc, url)}; the run "
        "stopped at its last checkpoint: fix the store (disk space, permissions, server) "
        "and continue with `modegraph resume TASK-ID`"
    )


def _unreachable(url: str, exc: BaseException) -> ConfigError:
    return ConfigError(
        f"cannot use the Postgres checkpoint store --checkpoint {shown_url(url)}: "
        f"{_reason(exc, url)}; check the host, port, database, user and password, and "
        "that the server runs"
    )


def _with_timeout(url: str) -> str:
    """`url` with `connect_timeout` set, so a server that does not answer is reported."""
    if "connect_timeout=" in url:
        return url
    return f"{url}{'&' if '?' in url else '?'}connect_timeout={CONNECT_TIMEOUT}"


def _postgres_errors() -> tuple[type[BaseException], ...]:
    import psycopg

    return (psycopg.Error,)


def keep_open(path: Path) -> sqlite3.Connection:
    """An idle connection to the SQLite file `path`, to hold while runs come and go.

    When the last connection to a database in WAL mode closes, SQLite copies the
    write-ahead log into the database and syncs it (a checkpoint on close): about 10
    ms at the end of every run, each run opening and closing its own connection. A
    `Runner` holds this one for its life, so a run's close is not the last; SQLite
    then copies the log now and then as it grows (`wal_autocheckpoint`). The
    connection reads once (so that it holds the file's shared-memory lock) and then
    does nothing.
    """
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT, check_same_thread=False)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return conn


def sync_wal(path: Path) -> None:
    """Sync the write-ahead log of the SQLite file `path` to disk: every commit is durable.

    This is what `synchronous=FULL` does at each commit, done once (a run's end).
    """
    try:
        fd = os.open(f"{path}-wal", os.O_RDONLY)
    except FileNotFoundError:
        return  # no log: the commits are in the database file, synced by its checkpoint
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def checkpointer(
    url: str | None, *, root: Path, must_exist: bool = False, prepared: PreparedFiles | None = None
) -> Iterator[Any]:
    """A synchronous checkpointer for `url`, closed on exit.

    `prepared` holds the SQLite files already set up (`PreparedFiles`): those are not
    set up again.

    Raises:
        ConfigError: see `check_checkpoint`; or the store cannot be opened (a
            read-only file system, a Postgres server that cannot be reached).
        JournalError: `must_exist` and the SQLite file does not exist (nothing is
            created); or the store failed inside the `with` block.
    """
    path = sqlite_path(url, root=root)
    if must_exist and path is not None and not _exists(path, url):
        raise _missing_file(path)
    if path is None:
        assert url is not None
        try:
            from langgraph.checkpoint.postgres import PostgresSaver
        except ImportError as exc:
            raise _postgres_missing(url) from exc
        errors = _postgres_errors()
        with ExitStack() as stack:
            try:
                postgres = stack.enter_context(PostgresSaver.from_conn_string(_with_timeout(url)))
                postgres.setup()
            except errors as exc:
                raise _unreachable(url, exc) from None
            try:
                yield postgres
            except errors as exc:
                raise _failed_during_run(url, None, exc) from None
        return
    from langgraph.checkpoint.sqlite import SqliteSaver

    from modegraph.coordinator.step_sync import wal_synced

    ready = _set_up(path, url, prepared)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=BUSY_TIMEOUT)
    try:
        conn.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
        saver = SqliteSaver(conn)
        if ready:
            saver.is_setup = True  # its tables exist: `_prepare_sqlite` made them
        saver.setup()
        yield saver
        if not wal_synced(saver):  # the run's own step syncs covered every write
            sync_wal(path)
    except sqlite3.Error as exc:
        raise _failed_during_run(url, path, exc) from exc
    finally:
        conn.close()


@asynccontextmanager
async def acheckpointer(
    url: str | None, *, root: Path, must_exist: bool = False, prepared: PreparedFiles | None = None
) -> AsyncIterator[Any]:
    """An asynchronous checkpointer for `url`, closed on exit (raises as `checkpointer`)."""
    path = sqlite_path(url, root=root)
    if must_exist and path is not None and not _exists(path, url):
        raise _missing_file(path)
    if path is None:
        assert url is not None
        try:
            from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
        except ImportError as exc:
            raise _postgres_missing(url) from exc
        errors = _postgres_errors()
        async with AsyncExitStack() as stack:
            try:
                postgres = await stack.enter_async_context(
                    AsyncPostgresSaver.from_conn_string(_with_timeout(url))
                )
                await postgres.setup()
            except errors as exc:
                raise _unreachable(url, exc) from None
            try:
                yield postgres
            except errors as exc:
                raise _failed_during_run(url, None, exc) from None
        return
    import aiosqlite
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    from modegraph.coordinator.step_sync import wal_synced

    ready = await asyncio.to_thread(_set_up, path, url, prepared)
    try:
        async with aiosqlite.connect(str(path), timeout=BUSY_TIMEOUT) as conn:
            await conn.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
            saver = AsyncSqliteSaver(conn)
            if ready:
                saver.is_setup = True  # its tables exist: `_prepare_sqlite` made them
            await saver.setup()
            yield saver
            if not wal_synced(saver):
                await asyncio.to_thread(sync_wal, path)
    except sqlite3.Error as exc:
        raise _failed_during_run(url, path, exc) from exc
