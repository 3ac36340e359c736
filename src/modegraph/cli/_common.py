"""Options and helpers every command module shares.

```python
@app.command()
def show(modes: ModesOption = None, alias: AliasOption = None, json_out: JsonOption = False):
    catalog = load_catalog_for_cli(modes, alias)
```

Exit codes: 0 success, 1 the input is wrong (a mode file, a catalog, an unknown
slug, a catalog with no modes), 2 a command-line option or `modegraph.yaml` is wrong
(a `--modes PATH` that does not exist too).

Importing this module imports Typer only (not Rich, pydantic or the catalog), so a
command that does not load a catalog, such as a cached `modegraph modes list`, starts
fast; the catalog's modules load when a function here needs them.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from modegraph._terminal import json_shown, shown
from modegraph.cli._warnings import load_warnings, print_warnings

if TYPE_CHECKING:
    from rich.console import Console

    from modegraph.findings import Finding, Severity
    from modegraph.modes.catalog.catalog import Catalog

__all__ = [
    "EXIT_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_USAGE",
    "FLAG",
    "AliasOption",
    "BundledOption",
    "DiscoverOption",
    "JsonOption",
    "ModesOption",
    "check_modes_paths",
    "default_journal_root",
    "fail",
    "load_catalog_for_cli",
    "parse_aliases",
    "print_findings",
    "print_json",
    "report_findings",
]

EXIT_INPUT = 1
"""Exit code when a mode file, the catalog or a named slug is wrong."""
EXIT_USAGE = 2
"""Exit code when an option or `modegraph.yaml` is wrong."""
EXIT_INTERRUPTED = 130
"""Exit code after Ctrl-C (128 + SIGINT, as shells report it)."""

FLAG = ""
"""The metavar of an on/off option: Typer's Rich help would otherwise show `<bool>`."""

ModesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--modes",
        metavar="PATH",
        help="Add a mode file or directory as the highest catalog layer (repeatable).",
        show_default=False,
    ),
]
"""`--modes PATH`, repeatable: explicit catalog sources, in order."""

AliasOption = Annotated[
    list[str] | None,
    typer.Option(
        "--alias",
        metavar="OLD=NEW",
        help="Resolve the reference OLD to the slug NEW, written OLD=NEW (repeatable).",
        show_default=False,
    ),
]
"""`--alias old=new`, repeatable: aliases over those of modegraph.yaml."""

JsonOption = Annotated[
    bool,
    typer.Option("--json", metavar=FLAG, help="Print one JSON document instead of text."),
]
"""`--json`: machine-readable output."""

BundledOption = Annotated[
    bool | None,
    typer.Option(
        "--bundled/--no-bundled",
        metavar=FLAG,
        help="Include the bundled mode library as the lowest catalog layer, or leave it "
        "out. Default: included unless the project has its own modes (.roomodes, .roo/, "
        ".claude/agents, a CrewAI crew) or --modes is given.",
        show_default=False,
    ),
]
"""`--bundled/--no-bundled`; unset, the bundled library is a starter catalog (see layers)."""

DiscoverOption = Annotated[
    bool,
    typer.Option(
        "--discover/--no-discover",
        metavar=FLAG,
        help="Read the project's and the user's mode files (.roomodes, .roo/, "
        ".claude/agents, ~/.claude/agents, Roo Code's global modes). --no-discover reads "
        "only --modes (and the bundled library), for scripts.",
    ),
]
"""`--no-discover`: no user or project layer, only `--modes` and the bundled library."""

# by `Severity` value (a StrEnum member is found by its value): no pydantic at import
_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}
_STYLE: dict[str, str] = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    """Print `error: message` on standard error and exit with `code`.

    Under `--json`, when the command has printed no JSON document yet, standard output
    gets one too: `{"error": message, "exit_code": code}`, so a script always reads one.
    """
    from rich.console import Console
    from rich.text import Text

    Console(stderr=True, highlight=False).print(
        Text(f"error: {shown(message, keep=chr(10))}", style="bold red"), soft_wrap=True
    )
    ctx = _current_context()
    if ctx is not None and ctx.params.get("json_out") and not ctx.meta.get(_PRINTED_JSON):
        print_json({"error": message, "exit_code": code})
    raise typer.Exit(code)


_PRINTED_JSON = "modegraph.printed_json"
"""Key of the command's context `meta`: it printed its JSON document (`print_json`)."""


def _current_context() -> Any:
    """The running command's Click context, or None outside a command."""
    import importlib

    # Typer 0.29 carries its own copy of Click (typer._click); older Typers use click
    try:
        click: Any = importlib.import_module("typer._click.globals")
    except ImportError:
        click = importlib.import_module("click")
    return click.get_current_context(silent=True)


def parse_aliases(values: Sequence[str] | None) -> dict[str, str]:
    """`["old=new", ...]` -> `{"old": "new"}`; a value without `=` exits with code 2."""
    aliases: dict[str, str] = {}
    for value in values or ():
        old, sep, new = value.partition("=")
        if not sep or not old.strip() or not new.strip():
            fail(
                f"--alias {value!r}: write it as OLD=NEW (e.g. sql-expert=database-specialist)",
                EXIT_USAGE,
            )
        aliases[old.strip()] = new.strip()
    return aliases


def load_catalog_for_cli(
    modes: Sequence[Path] | None,
    aliases: Sequence[str] | None,
    *,
    project_dir: Path | None = None,
    bundled: bool | None = None,
    discover: bool = True,
    warn_errors: bool = True,
    require_modes: bool = True,
    checked: Sequence[Path] = (),
) -> Catalog:
    """The layered catalog for a command, with setup errors mapped to exit codes.

    Args:
        modes: `--modes` paths, the highest layers in order. A path that does not exist
            stops the command with exit code 2, naming it.
        aliases: `--alias OLD=NEW` values.
        project_dir: Where to look for the project root (default: the current folder).
        bundled: `--bundled/--no-bundled`; None leaves it to the catalog (see
            `modegraph.modes.catalog.layers`).
        discover: `--discover/--no-discover`: read the user and project layers.
        warn_errors: When the mode files have errors, say so in one line on
            standard error (never on standard output, so `--json` stays clean);
            `modes validate` shows the errors themselves and turns this off.
        require_modes: A catalog with no modes stops the command with exit code 1 and
            the places it looked in (`modes validate` reports its findings instead).
        checked: Paths checked inside the catalog (`modes validate PATH`): the highest
            layer, but, unlike `--modes`, they never leave the bundled library out.
    """
    from modegraph.errors import ConfigError, SetupError
    from modegraph.modes.catalog.layers import load_catalog

    check_modes_paths(modes)
    check_modes_paths(checked, option=None)
    alias_table = parse_aliases(aliases)
    try:
        catalog = load_catalog(
            paths=modes or (),
            aliases=alias_table,
            project_dir=project_dir,
            include_bundled=bundled,
            discover=discover,
            checked=checked,
        )
    except ConfigError as exc:
        fail(str(exc), EXIT_USAGE)
    except SetupError as exc:
        fail(str(exc), EXIT_INPUT)
    if require_modes and not len(catalog):
        fail(empty_catalog_message(catalog), EXIT_INPUT)
    print_warnings(load_warnings(catalog, alias_table, errors=warn_errors))
    return catalog


def default_journal_root() -> Path:
    """`<project root>/project_journal`, as a path relative to the current folder.

    The project root is the one the catalog is discovered from (the first folder upwards
    holding `.git`, `.roomodes`, `.roo/` or `.claude/`; else the current folder), so a
    run started in `src/api` writes its journal and checkpoints beside the project's
    modes, not into `src/api/project_journal`.
    """
    from modegraph.journal.store import DEFAULT_JOURNAL_ROOT
    from modegraph.modes.catalog.layers import project_root

    return Path(os.path.relpath(project_root() / DEFAULT_JOURNAL_ROOT))


def check_modes_paths(paths: Sequence[Path] | None, *, option: str | None = "--modes") -> None:
    """Exit with code 2 naming the first path that does not exist.

    Args:
        paths: The paths given.
        option: The option that gave them (`--modes`), None for command arguments.
    """
    for path in paths or ():
        shown = f"{option} {path}" if option else str(path)
        if os.path.lexists(path) and not os.path.exists(path):
            fail(
                f"{shown}: the path is a symbolic link that leads nowhere (a missing "
                "target or a symlink loop); name the real file or folder",
                EXIT_USAGE,
            )
        if not os.path.lexists(path):
            fail(
                f"{shown}: no such file or folder (paths are relative to the current "
                f"folder, {Path.cwd()}); check the spelling"
                + (", or leave --modes out to use the modes of the project" if option else ""),
                EXIT_USAGE,
            )


def empty_catalog_message(catalog: Catalog) -> str:
    """The error for a catalog with no modes: where it looked, and how to give it modes."""
    from modegraph.findings import Severity

    places = catalog.looked_in()
    where = (
        f" Looked in:\n{places}"
        if places
        else " Nothing was looked in: discovery is off (--no-discover), no --modes was given "
        "and the bundled library is left out (--no-bundled)."
    )
    errors = sum(1 for item in catalog.findings if item.severity is Severity.ERROR)
    broken = (
        f" The mode files have {errors} error{'' if errors == 1 else 's'}: run `modegraph "
        "modes validate` with the same --modes to see them."
        if errors
        else ""
    )
    return (
        "the catalog has no modes; add mode files with --modes PATH or put them where "
        f"modegraph looks (`modegraph modes list --help` says where).{broken}{where}"
    )


def print_json(data: Any) -> None:
    """Print one JSON document on standard output (no Rich markup, no wrapping)."""
    sys.stdout.write(json_shown(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")
    sys.stdout.flush()
    ctx = _current_context()
    if ctx is not None:
        ctx.meta[_PRINTED_JSON] = True


def print_findings(
    findings: Iterable[Finding], *, console: Console, summary: bool = True
) -> Counter[Severity]:
    """Print findings grouped by code and severity (errors first), each group with its count.

    A code met at two severities (a `field-dropped` warning and info) makes two
    groups, so a title's count never mixes them. Each line is
    `path:line: CODE severity: message`, then the fix hint indented beneath it.
    Returns the count per severity.
    """
    from rich.text import Text

    items = list(findings)
    groups: dict[tuple[str, Severity], list[Finding]] = {}
    for item in sorted(items, key=lambda f: (_ORDER[f.severity], f.code.value)):
        groups.setdefault((item.code.value, item.severity), []).append(item)
    for (code, severity), group in groups.items():
        title = Text(f"{code} ", style=_STYLE[severity])
        title.append(f"({len(group)} {severity.value}{'' if len(group) == 1 else 's'})")
        console.print(title, highlight=False)
        for item in sorted(group, key=lambda f: (f.path or "", f.line or 0)):
            console.print(Text("  " + _line(item)), highlight=False, soft_wrap=True)
            if item.hint:
                console.print(
                    Text(f"      fix: {item.hint}", style="dim"), highlight=False, soft_wrap=True
                )
    counts = Counter(item.severity for item in items)
    if summary:
        console.print(Text(summary_line(counts)), highlight=False)
    return counts


def summary_line(counts: Counter[Severity]) -> str:
    """`2 errors, 5 warnings, 1 info`."""
    from modegraph.findings import Severity

    parts = []
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        count = counts.get(severity, 0)
        word = severity.value if count == 1 else f"{severity.value}s"
        parts.append(f"{count} {word}")
    return ", ".join(parts)


def _line(item: Finding) -> str:
    where = item.path or "<catalog>"
    if item.line is not None:
        where = f"{where}:{item.line}"
    return f"{where}: {item.code.value} {item.severity.value}: {item.message}"


def report_findings(
    slugs: Sequence[str], findings: Sequence[Finding], *, json_out: bool, strict: bool
) -> None:
    """Print a check's findings and verdict (`modes validate`, `graph lint`); exit 1 on failure.

    `--json` prints one object `{"modes", "findings", "errors", "warnings"}`; the human
    output groups the findings by code and ends with `N modes checked: OK|FAILED`.

    Raises:
        typer.Exit: With `EXIT_INPUT` on errors, or on warnings when `strict`.
    """
    from modegraph.findings import Severity

    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
    failed = bool(errors or (strict and warnings))
    if json_out:
        print_json(
            {
                "modes": list(slugs),
                "findings": [f.model_dump(mode="json") for f in findings],
                "errors": errors,
                "warnings": warnings,
            }
        )
    else:
        from rich.console import Console
        from rich.text import Text

        console = Console(highlight=False, soft_wrap=True)
        print_findings(findings, console=console)
        verdict = "FAILED" if failed else "OK"
        if not slugs and not failed and warnings:
            verdict = "nothing to check (see the warnings above)"
        noun = "mode" if len(slugs) == 1 else "modes"
        console.print(Text(f"{len(slugs)} {noun} checked: {verdict}"))
    if failed:
        raise typer.Exit(EXIT_INPUT)


def all_findings(catalog: Catalog) -> list[Finding]:
    """Loading findings, reference findings and the role lint of a catalog, without repeats."""
    findings = [*catalog.findings, *catalog.reference_findings()]
    from modegraph.roles.lint import lint_catalog  # networkx: only for commands that lint

    findings.extend(lint_catalog(catalog))
    unique: dict[tuple[Any, ...], Finding] = {}
    for item in findings:
        unique.setdefault((item.path, item.line, item.code, item.slug, item.message), item)
    return list(unique.values())
