"""The cached listing of `modegraph modes list`: what it prints, kept until a file changes.

Listing modes parses every mode file (YAML, Markdown, pydantic models), which takes
most of the command's time; the files rarely change between two listings. The cache
keeps what the listing prints (plain JSON: the `--json` document and the text lines
with their styles), so a listing whose files are unchanged prints it again without
importing a reader or pydantic.

**What makes a listing the same.** A cached listing is printed only when all of
these are what they were when it was written:

- modegraph's version and its code (the size and modification time of every module
  of the package, so an upgrade or an edited checkout never shows an old listing);
- the current folder, the home folder, the project root, the options (`--modes`,
  `--alias`, `--bundled`, `--discover`, `--edges`) and every source the catalog is
  read from (`modegraph.modes.catalog.sources.catalog_sources`, the bundled
  library);
- the content of every file in those sources (a BLAKE2 digest of the bytes, not
  the modification time, whose resolution can hide two edits in a row), every folder
  searched and the names in it (as discovery searches them: `_folders`), the
  `tasks.yaml` beside a CrewAI `agents.yaml`, and the project's `modegraph.yaml`.

The digest is computed before the catalog is loaded and again after: a listing is
written only when both agree (no file changed while it was read), and never for a
folder holding a file over `MAX_HASHED_BYTES`. The warnings loading printed on
standard error (errors in mode files, an `--alias` naming no mode) are kept with the
listing and printed again with it.

**Where.** `$XDG_CACHE_HOME/modegraph/listings` (default `~/.cache`; on macOS
`~/Library/Caches`, on Windows `%LOCALAPPDATA%`), one small JSON file per current
folder and set of options (the `MAX_LISTINGS` most recent are kept), replaced
atomically. A cache that cannot be read, is corrupt or cannot be written is
ignored. `modegraph modes list --no-cache`, or
`MODEGRAPH_NO_CACHE=1` in the environment, neither reads nor writes it. Only `modes
list` uses it: `run`, `route`, `graph` and `modes show|validate` always read the files.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from hashlib import blake2b
from pathlib import Path
from typing import Any

__all__ = [
    "MAX_HASHED_BYTES",
    "MAX_LISTINGS",
    "NO_CACHE_ENV",
    "Listing",
    "ListingKey",
    "cache_dir",
    "enabled",
    "listing_key",
    "read_listing",
    "write_listing",
]

NO_CACHE_ENV = "MODEGRAPH_NO_CACHE"
"""Set (to anything but an empty value or `0`) to turn the listing cache off."""

MAX_HASHED_BYTES = 4 * 1024 * 1024
"""A source holding a file larger than this is never cached (hashing it would cost more
than the listing saves)."""

MAX_LISTINGS = 64
"""The most listings kept (one per current folder and set of options); the oldest go."""

_FORMAT = 2
"""The cache file's own format; a file of another format is ignored."""


@dataclass(frozen=True)
class ListingKey:
    """Which listing (`name`) and the state of the files it was made from (`content`)."""

    name: str
    """The cache file's name: a digest of the version, folders, options and sources."""
    content: str
    """A digest of every file and folder the listing reads."""


@dataclass(frozen=True)
class Listing:
    """What `modes list` prints."""

    document: dict[str, Any]
    """The `--json` document."""
    lines: list[tuple[str, str]]
    """The text output: each line and its Rich style (`""` for none)."""
    warnings: list[str]
    """What loading the files printed on standard error (`load_warnings`)."""


def enabled(option: bool) -> bool:
    """True when the cache is on: `--cache` (the default) and no `MODEGRAPH_NO_CACHE`."""
    return option and os.environ.get(NO_CACHE_ENV, "").strip() in ("", "0")


def cache_dir() -> Path:
    """The folder of cached listings (see the module docstring)."""
    if sys.platform.startswith("win"):
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "modegraph" / "listings"


def listing_key(
    *,
    modes: Sequence[Path],
    aliases: dict[str, str],
    bundled: bool | None,
    discover: bool,
    edges: str,
) -> ListingKey | None:
    """The key of the listing these options give now; None when it may not be cached."""
    from modegraph import __version__
    from modegraph.modes.catalog.sources import (
        bundled_library_dir,
        catalog_sources,
        project_root,
    )

    try:
        here = os.getcwd()
        home = str(Path.home())
    except (OSError, RuntimeError):
        return None
    root = project_root() if discover else Path(here)
    sources = catalog_sources(paths=modes, discover=discover)
    library = bundled_library_dir()
    where = {
        "format": _FORMAT,
        "version": __version__,
        "code": _code_stamp(),
        "python": sys.version,
        "cwd": here,
        "real_cwd": os.path.realpath(here),
        "home": home,
        "root": str(root),
        "library": None if library is None else [str(library), os.path.realpath(library)],
        "options": {
            "modes": [str(path) for path in modes],
            "aliases": sorted(aliases.items()),
            "bundled": bundled,
            "discover": discover,
            "edges": edges,
        },
        "sources": [[s.layer.value, str(s.path), s.label, s.replaces_bundled] for s in sources],
    }
    name = blake2b(json.dumps(where, sort_keys=True).encode(), digest_size=16).hexdigest()
    content = _content_digest(
        [*(s.path for s in sources), *([] if library is None else [library])],
        root / "modegraph.yaml",
    )
    return None if content is None else ListingKey(name, content)


def read_listing(key: ListingKey) -> Listing | None:
    """The cached listing for `key`, or None (none, another state, unreadable, corrupt)."""
    try:
        with open(cache_dir() / f"{key.name}.json", encoding="utf-8") as handle:
            data = json.load(handle)
        if (
            data.get("format") != _FORMAT
            or data.get("name") != key.name
            or data.get("content") != key.content
        ):
            return None
        document = data["document"]
        lines = [(text, style) for text, style in data["lines"]]
        warnings = data["warnings"]
        if (
            not isinstance(document, dict)
            or not all(isinstance(text, str) and isinstance(style, str) for text, style in lines)
            or not isinstance(warnings, list)
            or not all(isinstance(line, str) for line in warnings)
        ):
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return Listing(document=document, lines=lines, warnings=warnings)


def write_listing(key: ListingKey, listing: Listing) -> None:
    """Keep `listing` for `key`, atomically; never raises (an unwritable cache stays as is)."""
    folder = cache_dir()
    data = {
        "format": _FORMAT,
        "name": key.name,
        "content": key.content,
        "document": listing.document,
        "lines": [list(line) for line in listing.lines],
        "warnings": listing.warnings,
    }
    temporary = folder / f".{key.name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False)
        os.replace(temporary, folder / f"{key.name}.json")
        _prune(folder)
    except (OSError, ValueError, TypeError):
        try:
            os.unlink(temporary)
        except OSError:
            pass


def _prune(folder: Path) -> None:
    """Keep the `MAX_LISTINGS` most recently written listings; never raises."""
    try:
        found = [(entry.stat().st_mtime_ns, entry.path) for entry in os.scandir(folder)]
    except OSError:
        return
    if len(found) <= MAX_LISTINGS:
        return
    for _, path in sorted(found, reverse=True)[MAX_LISTINGS:]:
        try:
            os.unlink(path)
        except OSError:
            pass


def _code_stamp() -> str:
    """The size and modification time of every module of modegraph, as one digest."""
    package = Path(__file__).resolve().parents[1]
    digest = blake2b(digest_size=16)
    for directory, subdirs, files in os.walk(package):
        subdirs[:] = sorted(name for name in subdirs if name != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                try:
                    info = os.stat(os.path.join(directory, name))
                except OSError:
                    continue
                stamp = f"{directory}/{name}:{info.st_size}:{info.st_mtime_ns}\n"
                digest.update(stamp.encode(errors="surrogateescape"))
    return digest.hexdigest()


class _TooLarge(Exception):
    """A file over `MAX_HASHED_BYTES`: the listing is not cached."""


def _content_digest(paths: Sequence[Path], config: Path) -> str | None:
    """A digest of every file and folder under `paths` that discovery reads, and `config`."""
    digest = blake2b(digest_size=32)
    try:
        for path in paths:
            _hash_source(digest, path)
        _hash_entry(digest, config)
    except _TooLarge:
        return None
    return digest.hexdigest()


def _hash_source(digest: Any, path: Path) -> None:
    """A source: a file (and a CrewAI crew's `tasks.yaml` beside it), or a folder."""
    try:
        info = os.stat(path)
    except OSError:
        _hash_entry(digest, path)  # absent, a dangling link, a loop: noted as such
        return
    if stat.S_ISDIR(info.st_mode):
        _hash_folder(digest, path)
        return
    _hash_entry(digest, path)
    for name in ("tasks.yaml", "tasks.yml"):
        _hash_entry(digest, path.with_name(name))


def _hash_folder(digest: Any, root: Path) -> None:
    """Every folder discovery searches under `root`: its file names and contents.

    The folders come from `_folders.folders`, the walk discovery itself takes, with
    every file of their templates folders (discovery sniffs them). Markdown that
    discovery never opens (not named as a mode, in a knowledge-base or
    custom-instructions folder) counts by its name, size and modification time.
    """
    from modegraph.modes.catalog._folders import all_files, folders, unread_page

    def unreadable(error: OSError) -> None:
        digest.update(f"unlistable {error.filename}\n".encode(errors="surrogateescape"))

    for folder in folders(root, unreadable):
        digest.update(f"folder {folder.path}\n".encode(errors="surrogateescape"))
        for template in folder.templates:
            for path in all_files(template):
                _hash_entry(digest, path)
        for path in folder.files:
            if unread_page(folder, path):
                _hash_stat(digest, path)
            else:
                _hash_entry(digest, path)


def _hash_stat(digest: Any, path: Path) -> None:
    digest.update(f"\0{path}\0".encode(errors="surrogateescape"))
    try:
        info = os.stat(path)
    except OSError as exc:
        digest.update(f"missing {exc.errno}".encode())
        return
    digest.update(f"stat {info.st_mode} {info.st_size} {info.st_mtime_ns}".encode())


def _hash_entry(digest: Any, path: Path) -> None:
    """One file: its name, and its bytes when it is a regular file (else what it is)."""
    digest.update(f"\0{path}\0".encode(errors="surrogateescape"))
    try:
        info = os.stat(path)
    except OSError as exc:
        digest.update(f"missing {os.path.lexists(path)} {exc.errno}".encode())
        return
    if not stat.S_ISREG(info.st_mode):
        digest.update(f"mode {stat.S_IFMT(info.st_mode)}".encode())
        return
    if info.st_size > MAX_HASHED_BYTES:
        raise _TooLarge(str(path))
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_HASHED_BYTES + 1)
    except OSError as exc:
        digest.update(f"unreadable {exc.errno}".encode())
        return
    if len(data) > MAX_HASHED_BYTES:
        raise _TooLarge(str(path))
    digest.update(f"{len(data)}\0".encode())
    digest.update(data)
