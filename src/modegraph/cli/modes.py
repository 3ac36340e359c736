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
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import typer

from modegraph._gc import command_line_process, gc_paused
from modegraph.cli._common import (
    FLAG,
    AliasOption,
    BundledOption,
    DiscoverOption,
    JsonOption,
    ModesOption,
    all_findings,
    check_modes_paths,
    empty_catalog_message,
    fail,
    load_catalog_for_cli,
    parse_aliases,
    print_json,
    report_findings,
)
from modegraph.cli._coordination import EdgesOption, coordinated
from modegraph.cli._styled import print_styled
from modegraph.cli._warnings import print_warnings
from modegraph.cli.app import Lazy, LazyGroup
from modegraph.modes.catalog._edge_mode import EdgeMode

if TYPE_CHECKING:
    from rich.console import Console

    from modegraph.modes.model import Mode


class _ModesGroup(LazyGroup):
    """`modegraph modes`: `convert` and `new` (modes_write) load when they run.

    So `modes list` imports neither the writers nor what they import, and Typer
    converts the parameters of the command that runs only.
    """

    lazy_commands: ClassVar[dict[str, Lazy]] = {
        "convert": Lazy(
            "modegraph.cli.modes_write",
            "Convert mode files to Roo Code, Claude Code, Roo Commander Markdown, YAML or CrewAI.",
        ),
        "new": Lazy(
            "modegraph.cli.modes_write",
            "Write a new mode file, ready to edit, and say how it validates in the catalog.",
        ),
    }
    root_help: ClassVar[bool] = False

    def list_commands(self, ctx: Any) -> list[str]:
        """`convert` and `new` first, then the commands of this module, as before."""
        names = [name for name in super().list_commands(ctx) if name not in self.lazy_commands]
        return [*self.lazy_commands, *names]


app = typer.Typer(
    cls=_ModesGroup,
    help="List, show, validate, convert and create mode files.",
    no_args_is_help=True,
    add_completion=False,
)

CacheOption = Annotated[
    bool,
    typer.Option(
        "--cache/--no-cache",
        metavar=FLAG,
        help="Print the listing kept from the last run while no mode file, folder or option "
        "changed, or read every file again.",
    ),
]
"""`--no-cache`: read every mode file, neither reading nor writing the listing cache."""


@app.command("list")
def list_modes(
    modes: ModesOption = None,
    alias: AliasOption = None,
    json_out: JsonOption = False,
    bundled: BundledOption = None,
    discover: DiscoverOption = True,
    edges: EdgesOption = EdgeMode.ALL,
    cache: CacheOption = True,
) -> None:
    """List every mode of the catalog: where it came from and what it overrides.

    The catalog is found the way Roo Code and Claude Code find modes: from the project
    root (the first folder upwards holding .git, .roomodes, .roo/ or .claude/) its
    .roomodes, .roo/commander/modes and .claude/agents; the user's ~/.claude/agents
    and Roo Code's global custom_modes.yaml; then each --modes PATH. Project modes
    override user modes, which override the bundled library. When `run` would enter
    the built-in orchestrator (the catalog declares no edges), it is listed too, with
    layer `built-in`.

    The listing is kept in the user's cache folder and printed again while no
    mode file, folder or option changes (--no-cache reads every file).
    """
    from modegraph.cli import _list_cache

    check_modes_paths(modes)
    options: dict[str, Any] = {
        "modes": list(modes or ()),
        "aliases": parse_aliases(alias),
        "bundled": bundled,
        "discover": discover,
        "edges": EdgeMode(edges).value,
    }
    key = _list_cache.listing_key(**options) if _list_cache.enabled(cache) else None
    listing = _list_cache.read_listing(key) if key is not None else None
    if listing is None:
        # Paused, as for the command line's imports: the listing imports pydantic and the
        # readers, then builds the catalog; all of it stays alive until printed, and the
        # command line's own process ends then (frozen: no collection walks it again).
        with gc_paused(freeze=command_line_process()):
            from modegraph.cli._listing import listing as read_listing

            listing = read_listing(modes, alias, bundled, discover, edges)  # prints warnings
        if key is not None and _list_cache.listing_key(**options) == key:
            _list_cache.write_listing(key, listing)  # no file changed while it was read
    else:
        print_warnings(listing.warnings)  # what loading the files printed
    if json_out:
        print_json(listing.document)
        return
    print_styled(listing.lines)
    # load errors: one line on stderr, see load_catalog_for_cli


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
    from rich.console import Console

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
    if not paths and loaded.bundled and all(m.source.layer == "bundled" for m in loaded):
        _say_only_bundled(len(loaded))
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


def _say_only_bundled(count: int) -> None:
    """Say on standard error when mode files under the current folder were not read.

    Only the bundled library is being checked while mode files sit where no tool looks
    for them (a Roo Commander checkout's `v7.0/modes/...`): they are named, with the
    `--modes` that checks them. With no such file nothing is said (checking the bundled
    library is what a new user does first).
    """
    from rich.console import Console
    from rich.text import Text

    from modegraph._terminal import shown
    from modegraph.modes.catalog.discovery import walk

    found = walk(Path.cwd()).files
    if not found:
        return
    folders = sorted({(Path(os.path.relpath(f.parent)).parts or (".",))[0] for f in found})
    options = " ".join(f"--modes {shown(folder)}" for folder in folders[:3])
    more = "" if len(folders) <= 3 else " ..."
    one = len(found) == 1
    Console(stderr=True, highlight=False).print(
        Text(
            f"note: these are the {count} modes of the bundled library; {len(found)} mode "
            f"file{'' if one else 's'} under this folder {'is' if one else 'are'} outside "
            f"the places modegraph looks and {'was' if one else 'were'} not read: check "
            f"{'it' if one else 'them'} with {options}{more}.",
            style="yellow",
        ),
        soft_wrap=True,
    )


@app.command("schema")
def schema() -> None:
    """Print the JSON Schema of modegraph's own mode files (`*.mode.yaml`)."""
    from modegraph.modes.schema import mode_file_schema_text

    sys.stdout.write(mode_file_schema_text())


def mode_json(mode: Mode) -> dict[str, Any]:
    """A mode as JSON with Mode's field names; references as `{slug, note}`."""
    from modegraph.modes.model import EdgeKind

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


def _under(path: str | None, roots: list[Path]) -> bool:
    if path is None:
        return False
    resolved = Path(os.path.realpath(path))
    return any(resolved == root or root in resolved.parents for root in roots)


def _print_mode(mode: Mode, console: Console) -> None:
    from rich.text import Text

    from modegraph.modes.model import EdgeKind

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
    from modegraph.cli._listing import where

    groups = [
        group.name + (f" ({group.file_regex})" if group.file_regex else "")
        for group in mode.tool_groups
    ]
    for label, value in (
        ("level", mode.level),
        ("model", mode.model),
        ("source", f"{where(mode.source.path, mode.source.line)} [{mode.source.layer}]"),
        ("format", mode.source.format.value),
        ("tool groups", ", ".join(groups)),
        ("tags", ", ".join(mode.tags)),
        ("categories", ", ".join(mode.categories)),
        ("stack", ", ".join(mode.stack)),
    ):
        if value:
            line(f"{label}: {value}")
