"""`modegraph modes ...`: list, show, validate and schema (convert and new: modes_write).

Run with:
    modegraph modes list
    modegraph modes show fastapi-developer --json
    modegraph modes validate .roomodes --strict
    modegraph modes schema > mode.schema.json
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from modegraph.cli import modes_write
from modegraph.cli._common import (
    FLAG,
    AliasOption,
    BundledOption,
    DiscoverOption,
    JsonOption,
    ModesOption,
    all_findings,
    empty_catalog_message,
    fail,
    load_catalog_for_cli,
    print_json,
    report_findings,
)
from modegraph.cli._coordination import EdgesOption, coordinated
from modegraph.findings import Severity
from modegraph.modes.catalog.catalog import Catalog, SourceReport
from modegraph.modes.catalog.implied import EdgeMode
from modegraph.modes.model import EdgeKind, Mode

app = typer.Typer(help="List, show, validate, convert and create mode files.", no_args_is_help=True)
modes_write.register(app)


@app.command("list")
def list_modes(
    modes: ModesOption = None,
    alias: AliasOption = None,
    json_out: JsonOption = False,
    bundled: BundledOption = None,
    discover: DiscoverOption = True,
    edges: EdgesOption = EdgeMode.ALL,
) -> None:
    """List every mode of the catalog: where it came from and what it overrides.

    The catalog is found the way Roo Code and Claude Code find modes: from the project
    root (the first folder upwards holding .git, .roomodes, .roo/ or .claude/) its
    .roomodes, .roo/commander/modes and .claude/agents; the user's ~/.claude/agents
    and Roo Code's global custom_modes.yaml; then each --modes PATH. Project modes
    override user modes, which override the bundled library. When `run` would enter
    the built-in orchestrator (the catalog declares no edges), it is listed too, with
    layer `built-in`.
    """
    loaded = load_catalog_for_cli(modes, alias, bundled=bundled, discover=discover)
    catalog = coordinated(loaded, edges=edges).catalog
    overridden = _overridden_by(catalog)
    rows = [_list_row(mode, overridden.get(mode.slug, [])) for mode in catalog]
    if json_out:
        counts = Counter(item.severity for item in catalog.findings)
        print_json(
            {
                "modes": rows,
                "errors": counts.get(Severity.ERROR, 0),
                "warnings": counts.get(Severity.WARNING, 0),
                "project_root": catalog.project_root,
                "bundled": catalog.bundled,
                "sources": [_source_json(source) for source in catalog.sources],
            }
        )
        return
    console = Console(highlight=False)
    columns = ("slug", "name", "level", "format", "layer", "source")
    cells = [
        [
            row["slug"],
            row["name"],
            row["level"] or "-",
            row["format"],
            row["layer"] or "-",
            _where(_short(row["path"]), row["line"]),
        ]
        for row in rows
    ]
    widths = [
        max([len(column)] + [len(cell[i]) for cell in cells]) for i, column in enumerate(columns)
    ]
    console.print(Text(_pad(list(columns), widths), style="bold"), soft_wrap=True)
    for row, cell in zip(rows, cells, strict=True):
        console.print(Text(_pad(cell, widths)), soft_wrap=True)
        for old in row["overrides"]:
            text = f"    overrides {_where(_short(old['path']), old['line'])} ({old['layer']})"
            console.print(Text(text, style="dim"), soft_wrap=True)
    used = _from_sources(catalog)
    if used:
        console.print(Text(f"from {used}", style="dim"), soft_wrap=True)
    console.print(Text(f"{len(rows)} modes"))
    # load errors: one line on stderr, see load_catalog_for_cli


def _source_json(source: SourceReport) -> dict[str, Any]:
    return {
        "layer": source.layer,
        "path": source.path,
        "label": source.label,
        "exists": source.exists,
        "modes": source.modes,
    }


def _from_sources(catalog: Catalog) -> str:
    """`project .claude/agents (158), bundled library (14)`: the places that gave modes."""
    used = [
        f"{source.layer} {_short(source.path) if source.layer != 'bundled' else 'library'} "
        f"({source.modes})"
        for source in catalog.sources
        if source.modes
    ]
    return ", ".join(used)


@app.command("show")
def show(
    slug: Annotated[
        str, typer.Argument(metavar="SLUG", help="The mode's slug (or a file stem or level id).")
    ],
    modes: ModesOption = None,
    alias: AliasOption = None,
    json_out: JsonOption = False,
    bundled: BundledOption = None,
    discover: DiscoverOption = True,
    edges: EdgesOption = EdgeMode.ALL,
) -> None:
    """Show one mode, every field (edges its text implies, marked `implied`)."""
    loaded = load_catalog_for_cli(modes, alias, bundled=bundled, discover=discover)
    entry = "orchestrator" if slug == "orchestrator" else None
    catalog = coordinated(loaded, entry=entry, edges=edges).catalog
    resolved = catalog.resolve(slug)
    if resolved is None:
        holders = catalog.level_holders(slug)
        if len(holders) > 1:
            fail(
                f"{slug!r} is a level held by {len(holders)} modes: {', '.join(holders)}; "
                "name one of them by its slug"
            )
        close = catalog.suggestions(slug, limit=5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        fail(f"no mode {slug!r} in the catalog{hint} (`modegraph modes list` shows them)")
    mode = catalog[resolved]
    if json_out:
        print_json(mode_json(mode))
        return
    _print_mode(mode, Console(highlight=False))


@app.command("validate")
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH", help="Files or directories to check (default: the whole catalog)."
        ),
    ] = None,
    modes: ModesOption = None,
    alias: AliasOption = None,
    json_out: JsonOption = False,
    strict: Annotated[
        bool, typer.Option("--strict", metavar=FLAG, help="Warnings count as errors.")
    ] = False,
    bundled: BundledOption = None,
    discover: DiscoverOption = True,
    edges: EdgesOption = EdgeMode.ALL,
) -> None:
    """Check mode files and the catalog; exit 1 when there are errors.

    With PATHs, the files are checked inside the whole catalog (so their references
    to bundled or project modes resolve), and only their own findings are shown.
    Edges a mode's own text implies are `implied-edge` info findings (and slugs it
    names that do not exist `implied-target-missing` warnings); `--edges declared`
    leaves them out. When `run` would enter the orchestrator role, a
    `built-in-orchestrator` info finding says so and why.
    """
    loaded = load_catalog_for_cli(
        modes,
        alias,
        checked=paths or (),
        bundled=bundled,
        discover=discover,
        warn_errors=False,
        require_modes=False,
    )
    if not paths and len(loaded) == 0 and not loaded.findings:
        # Nothing found and nothing broken: "0 modes checked: OK" would hide that no
        # mode file was where modegraph looked.
        fail(empty_catalog_message(loaded))
    catalog = coordinated(loaded, edges=edges).catalog
    findings = all_findings(catalog)
    selected = [mode.slug for mode in catalog]
    if paths:
        roots = [Path(os.path.realpath(path)) for path in paths]
        selected = [mode.slug for mode in catalog if _under(mode.source.path, roots)]
        findings = [
            f
            for f in findings
            if _under(f.path, roots) or (f.path is None and f.slug in set(selected))
        ]
    report_findings(selected, findings, json_out=json_out, strict=strict)


@app.command("schema")
def schema() -> None:
    """Print the JSON Schema of modegraph's own mode files (`*.mode.yaml`)."""
    from modegraph.modes.schema import mode_file_schema_text

    sys.stdout.write(mode_file_schema_text())


def mode_json(mode: Mode) -> dict[str, Any]:
    """A mode as JSON with Mode's field names; references as `{slug, note}`."""
    data = mode.model_dump(mode="json")
    for kind in EdgeKind:
        field = {
            EdgeKind.DELEGATE: "delegates_to",
            EdgeKind.ESCALATE: "escalates_to",
            EdgeKind.REPORT: "reports_to",
        }[kind]
        data[field] = [
            {"slug": ref.slug, "note": ref.note}
            | ({"implied": ref.implied_by} if ref.implied_by else {})
            for ref in mode.references(kind)
        ]
    return data


def _overridden_by(catalog: Catalog) -> dict[str, list[Mode]]:
    found: dict[str, list[Mode]] = {}
    for old, new in catalog.overrides:
        if old.source.path != new.source.path:
            found.setdefault(new.slug, []).append(old)
    return found


def _list_row(mode: Mode, overrides: list[Mode]) -> dict[str, Any]:
    return {
        "slug": mode.slug,
        "name": mode.name,
        "emoji": mode.emoji,
        "level": mode.level,
        "format": mode.source.format.value,
        "layer": mode.source.layer,
        "path": mode.source.path,
        "line": mode.source.line,
        "overrides": [
            {"path": old.source.path, "line": old.source.line, "layer": old.source.layer}
            for old in overrides
        ],
    }


def _where(path: str | None, line: int | None) -> str:
    if path is None:
        return ""
    return f"{path}:{line}" if line is not None else path


def _under(path: str | None, roots: list[Path]) -> bool:
    if path is None:
        return False
    resolved = Path(os.path.realpath(path))
    return any(resolved == root or root in resolved.parents for root in roots)


def _pad(cells: list[str], widths: list[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()


def _short(path: str | None) -> str | None:
    """A path as a person reads it.

    `<bundled>/x` in the bundled library; relative to the current folder when it is inside
    it or inside the project around it (`../../.roomodes`); `~/...` in the home folder;
    else as given.
    """
    if path is None:
        return None
    from modegraph.modes.catalog.layers import bundled_library_dir, project_root

    resolved = Path(os.path.realpath(path))
    library = bundled_library_dir()
    real_library = Path(os.path.realpath(library)) if library is not None else None
    if real_library is not None and real_library in resolved.parents:
        return f"<bundled>/{resolved.relative_to(real_library)}"
    here = Path(os.path.realpath(Path.cwd()))
    root = Path(os.path.realpath(project_root()))
    if resolved == here or here in resolved.parents or root in resolved.parents:
        return os.path.relpath(resolved, here)
    home = Path(os.path.realpath(Path.home()))
    if home in resolved.parents:
        return str(Path("~") / resolved.relative_to(home))
    return path


def _print_mode(mode: Mode, console: Console) -> None:
    def line(text: str, style: str = "") -> None:
        console.print(Text(text, style=style), soft_wrap=True)

    line(f"{mode.display_name} ({mode.slug})", "bold")
    _print_facts(mode, line)
    for title, text in (
        ("Description", mode.description),
        ("When to use", mode.when_to_use),
        ("Role definition", mode.role_definition),
    ):
        if text:
            line(f"\n{title}", "bold")
            line(text)
    for title, items in (("Capabilities", mode.capabilities), ("Workflow", mode.workflow)):
        if items:
            line(f"\n{title}", "bold")
            for number, item in enumerate(items, start=1):
                line(f"  {number}. {item}" if title == "Workflow" else f"  - {item}")
    for kind, title in (
        (EdgeKind.DELEGATE, "Delegates to"),
        (EdgeKind.ESCALATE, "Escalates to"),
        (EdgeKind.REPORT, "Reports to"),
    ):
        refs = mode.references(kind)
        if refs:
            line(f"\n{title}", "bold")
            for ref in refs:
                note = f"  # {ref.note}" if ref.note else ""
                if ref.implied_by:
                    note += f"  (implied by {ref.implied_by})"
                line(f"  - {ref.slug}{note}")
    if mode.custom_instructions:
        line("\nCustom instructions", "bold")
        line(mode.custom_instructions)


def _print_facts(mode: Mode, line: Callable[[str], None]) -> None:
    groups = [
        group.name + (f" ({group.file_regex})" if group.file_regex else "")
        for group in mode.tool_groups
    ]
    for label, value in (
        ("level", mode.level),
        ("model", mode.model),
        ("source", f"{_where(mode.source.path, mode.source.line)} [{mode.source.layer}]"),
        ("format", mode.source.format.value),
        ("tool groups", ", ".join(groups)),
        ("tags", ", ".join(mode.tags)),
        ("categories", ", ".join(mode.categories)),
        ("stack", ", ".join(mode.stack)),
    ):
        if value:
            line(f"{label}: {value}")
