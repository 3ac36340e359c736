"""`modegraph modes convert` and `modegraph modes new` (registered on the modes app).

```
modegraph modes convert .roomodes --to markdown -o modes/
modegraph modes convert src/modegraph/library --to claude -o .claude/agents
modegraph modes new redis-specialist --level 033-worker-database --escalates-to database-lead
```

Both write files atomically (a temporary file in the same directory, then a
rename) and never overwrite an existing file unless `--force` is given.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from modegraph.cli._common import (
    EXIT_INPUT,
    EXIT_USAGE,
    FLAG,
    all_findings,
    check_modes_paths,
    fail,
    load_catalog_for_cli,
    print_findings,
)
from modegraph.errors import ConfigError
from modegraph.findings import Code, Severity
from modegraph.modes.formats.writing import TargetFormat, WrittenFile

__all__ = ["register", "write_atomic"]

_STDOUT = "-"


def register(app: typer.Typer) -> None:
    """Add `convert` and `new` to the `modes` app."""
    app.command("convert")(convert)
    app.command("new")(new)


def convert(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH", help="Mode files or directories to convert.", show_default=False
        ),
    ],
    to: Annotated[
        TargetFormat,
        typer.Option("--to", help="Target format.", case_sensitive=False, show_default=False),
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            metavar="PATH",
            help="Output file, or directory for several files (claude, markdown, crewai "
            "with tasks). "
            "Default: standard output.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", metavar=FLAG, help="Overwrite existing files.")
    ] = False,
) -> None:
    """Convert mode files to Roo Code, Claude Code, Roo Commander Markdown, YAML or CrewAI.

    What the target format cannot hold is reported on standard error, never dropped
    silently.
    """
    from modegraph.modes.catalog.loader import load_paths

    check_modes_paths(paths, option=None)
    read = load_paths(paths)
    errors = [f for f in read.findings if f.severity is Severity.ERROR]
    stderr = Console(stderr=True, highlight=False)
    if errors:
        print_findings(errors, console=stderr)
        fail("the input has errors; fix them (see `modegraph modes validate`) and convert again")
    if not read.modes:
        fail("no modes found in " + ", ".join(str(p) for p in paths))
    from modegraph.modes.formats.writers import write_modes  # every writer: only here

    result = write_modes(read.modes, to=to)
    if result.findings:
        print_findings(result.findings, console=stderr)
    if output is None or output == _STDOUT:
        if len(result.files) > 1:
            fail(
                f"{len(result.files)} modes make {len(result.files)} {to.value} files; "
                "give a directory with -o DIR",
                EXIT_USAGE,
            )
        sys.stdout.write(result.text)
        sys.stdout.flush()
        return
    target = Path(output)
    written = _write_files(result.files, target, force=force)
    for path in written:
        stderr.print(f"wrote {path}")


def new(
    slug: Annotated[
        str, typer.Argument(metavar="SLUG", help="Slug of the new mode (`redis-specialist`).")
    ],
    level: Annotated[
        str,
        typer.Option(
            "--level",
            metavar="LEVEL",
            help="Level id (`033-worker-database`) or tier word (default: worker).",
            show_default=False,
        ),
    ] = "worker",
    name: Annotated[
        str | None,
        typer.Option("--name", metavar="NAME", help="Display name (default: from the slug)."),
    ] = None,
    escalates_to: Annotated[
        list[str] | None,
        typer.Option(
            "--escalates-to",
            metavar="SLUG",
            help="Slug to escalate to (repeatable).",
            show_default=False,
        ),
    ] = None,
    delegates_to: Annotated[
        list[str] | None,
        typer.Option(
            "--delegates-to",
            metavar="SLUG",
            help="Slug to delegate to (repeatable).",
            show_default=False,
        ),
    ] = None,
    file_format: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="markdown|yaml",
            help="markdown (Roo Commander) or yaml (modegraph).",
        ),
    ] = "markdown",
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            metavar="PATH",
            help="File to write; `-` for standard output. "
            "Default: .modegraph/modes/<slug>.mode.md (or .mode.yaml) at the project root.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", metavar=FLAG, help="Overwrite an existing file.")
    ] = False,
) -> None:
    """Write a new mode file, ready to edit, and say how it validates in the catalog.

    A new mode is not yet named by any other mode, so `unreachable`/`orphan` warnings
    are expected until one delegates to it; overriding an existing slug and naming
    a slug no mode has are warned about.
    """
    from modegraph.modes.scaffold import new_mode

    if file_format not in ("markdown", "yaml"):
        fail(f"--format {file_format!r}: choose markdown or yaml", EXIT_USAGE)
    try:
        text = new_mode(
            slug=slug,
            level=level,
            name=name,
            escalates_to=_split(escalates_to),
            delegates_to=_split(delegates_to),
            format="yaml" if file_format == "yaml" else "markdown",
        )
    except ConfigError as exc:
        fail(str(exc), EXIT_USAGE)
    if output == _STDOUT:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    suffix = ".mode.yaml" if file_format == "yaml" else ".mode.md"
    target = Path(output) if output else _project_modes() / f"{slug}{suffix}"
    try:
        if target.is_dir():
            target = target / f"{slug}{suffix}"
    except OSError as exc:  # a name too long, a loop of links
        fail(f"-o {output}: {exc.strerror or exc}; choose another path", EXIT_USAGE)
    _write_one(target, text, force=force)
    stderr = Console(stderr=True, highlight=False)
    stderr.print(Text(f"wrote {target}"), soft_wrap=True)
    _report_new_mode(target, slug, stderr)


_UNTIL_LINKED = frozenset({Code.UNREACHABLE, Code.ORPHAN})
"""Warnings a new mode has until another mode names it."""


def _report_new_mode(target: Path, slug: str, console: Console) -> None:
    """Say truthfully how the new file validates in the catalog, and what it overrides."""
    catalog = load_catalog_for_cli(None, None, checked=[target], warn_errors=False)
    written = os.path.realpath(target)  # realpath never raises on a symlink loop
    for old, new_mode in catalog.overrides:
        same_file = old.source.path and os.path.realpath(old.source.path) == written
        if new_mode.slug == slug and not same_file:
            console.print(
                Text(
                    f"warning: `{slug}` overrides the {old.source.layer} mode of the same slug "
                    f"({old.source.path}); choose another slug unless you mean to replace it",
                    style="yellow",
                ),
                soft_wrap=True,
            )
    mine = [
        f
        for f in all_findings(catalog)
        if f.path and os.path.realpath(f.path) == written and f.severity is not Severity.INFO
    ]
    if mine:
        print_findings(mine, console=console, summary=False)
    errors = [f for f in mine if f.severity is Severity.ERROR]
    warnings = [f for f in mine if f.severity is Severity.WARNING]
    if errors:
        verdict = f"{len(errors)} error(s) and {len(warnings)} warning(s): fix them before use"
    elif not warnings:
        verdict = "it validates clean, also with --strict"
    else:
        codes = sorted({f.code.value for f in warnings})
        verdict = f"no errors; {len(warnings)} warning(s) ({', '.join(codes)})"
        if {f.code for f in warnings} <= _UNTIL_LINKED:
            verdict += f" until another mode delegates to `{slug}` (`--strict` fails until then)"
        else:
            verdict += " (`modegraph modes validate --strict` fails until they are fixed)"
    console.print(Text(verdict), soft_wrap=True)


def _project_modes() -> Path:
    """`<project root>/.modegraph/modes`, relative to the current folder.

    The project layer discovery reads, from any folder of the project.
    """
    from modegraph.modes.catalog.layers import project_root

    return Path(os.path.relpath(project_root() / ".modegraph" / "modes"))


def _split(values: list[str] | None) -> list[str]:
    """`["a,b", "c"]` -> `["a", "b", "c"]`: the options accept repeats and commas."""
    return [part.strip() for value in values or () for part in value.split(",") if part.strip()]


def _write_files(files: tuple[WrittenFile, ...], target: Path, *, force: bool) -> list[Path]:
    """Write the files: into `target` as a folder when there are several or it is one.

    One file goes to `target` itself when `target` names a file: it exists as one, has
    a suffix (`all.mode.yaml`) or is a dotfile (`.roomodes`). A name without a suffix
    (`.claude/agents`, `crew/config`) is a folder, created when missing, so `-o DIR`
    gives a folder whatever the number of modes, and `--modes DIR` reads it back.
    """
    names_file = target.is_file() or bool(target.suffix) or target.name.startswith(".")
    if len(files) == 1 and not target.is_dir() and names_file:
        paths = [(target, files[0].text)]
    else:
        if target.exists() and not target.is_dir():
            fail(f"{target} is a file; several output files need a directory", EXIT_USAGE)
        paths = [(target / item.name, item.text) for item in files]
    if not force:
        existing = [str(path) for path, _ in paths if path.exists()]
        if existing:
            fail(f"{', '.join(existing)} already exist(s); use --force to overwrite", EXIT_INPUT)
    for path, text in paths:
        _write_one(path, text, force=True)
    return [path for path, _ in paths]


def _write_one(path: Path, text: str, *, force: bool) -> None:
    try:
        write_atomic(path, text, overwrite=force)
    except FileExistsError:
        fail(f"{path} already exists; use --force to overwrite it", EXIT_INPUT)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}", EXIT_INPUT)


def write_atomic(path: Path, text: str, *, overwrite: bool) -> None:
    """Write `text` to `path` through a temporary file and a rename.

    The file gets the permissions an ordinary `open()` would give it (0o666 less
    the umask), or keeps those of the file it replaces.

    Args:
        path: The file to write; missing parent directories are created.
        text: The content (UTF-8).
        overwrite: Replace an existing file. When False an existing file raises
            `FileExistsError` and is left untouched (checked atomically with a link).

    Raises:
        FileExistsError: When `path` exists and `overwrite` is False.
        OSError: When the directory or the file cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, _file_mode(path))  # mkstemp makes 0600; give what open() would
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            _link_no_clobber(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _file_mode(path: Path) -> int:
    """The permission bits for `path`: an existing file's own, else 0o666 less the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _link_no_clobber(tmp: Path, path: Path) -> None:
    """Put `tmp` at `path` unless `path` exists (a hard link is atomic; else check first)."""
    try:
        os.link(tmp, path)  # raises FileExistsError when `path` exists
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if path.exists():
            raise FileExistsError(str(path)) from None
        os.replace(tmp, path)
