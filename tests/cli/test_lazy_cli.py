"""The root command loads each command module when it is used; `--help` loads none."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from modegraph.cli.app import COMMANDS, Lazy, load_command

app_module = importlib.import_module("modegraph.cli.app")  # `modegraph.cli.app` is the Typer app

runner = CliRunner()

PROBE = """
import contextlib, io, json, sys
sys.argv = ["modegraph", *{argv!r}]
with contextlib.redirect_stdout(io.StringIO()):
    try:
        from modegraph.cli import main
        main()
    except SystemExit:
        pass
print(json.dumps(sorted(sys.modules)))
"""

NEVER_AT_START = {
    "langgraph",
    "langchain_core",
    "networkx",
    "markdown_it",
    "rich.markdown",
    "rich.traceback",
    "modegraph.modes.schema",
    "modegraph.modes.config",
    "modegraph.modes.formats.writers",
    "modegraph.modes.formats.native_yaml.reader",
    "modegraph.journal",
    "modegraph.coordinator",
}


def imported_by(*argv: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=list(argv))],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_help_lists_every_command_without_importing_one() -> None:
    modules = imported_by("--help")
    command_modules = {e.module for e in COMMANDS.values()}
    assert modules.isdisjoint(command_modules)
    assert modules.isdisjoint(NEVER_AT_START | {"pydantic", "yaml", "modegraph.modes"})
    out = runner.invoke(app_module.app, ["--help"], env={"TERMINAL_WIDTH": "160"}).stdout
    positions = [out.index(f"│ {name} ") for name in COMMANDS]
    assert positions == sorted(positions)  # in the table's order
    for entry in COMMANDS.values():
        assert entry.help in " ".join(out.split())


def test_modes_list_imports_only_what_listing_needs() -> None:
    modules = imported_by("modes", "list")
    assert "modegraph.cli.modes" in modules
    # the entry rule `modes list` shows works on plain dicts, not the networkx graph
    assert modules.isdisjoint(NEVER_AT_START)
    assert "modegraph.cli.modes_write" not in modules  # `modes convert|new` load when run
    other_commands = {e.module for e in COMMANDS.values()} - {"modegraph.cli.modes"}
    assert modules.isdisjoint(other_commands)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_row_says_what_its_command_says(name: str) -> None:
    command = load_command(name, COMMANDS[name])
    assert command.name == name
    assert command.get_short_help_str(limit=500) == COMMANDS[name].help


def test_a_typo_is_answered_with_the_command_meant() -> None:
    done = runner.invoke(app_module.app, ["modse", "list"])
    assert done.exit_code == 2
    assert "Did you mean 'modes'?" in done.output


def test_a_row_whose_module_does_not_add_its_command_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(COMMANDS, "nope", Lazy("modegraph.cli.run", "Nothing."))
    with pytest.raises(LookupError, match=r"modegraph.cli.run.register\(app\) did not add"):
        load_command("nope", COMMANDS["nope"])


def test_a_command_added_the_usual_way_is_listed_and_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    extra = typer.Typer()

    @extra.command("hello")
    def hello() -> None:
        """Say hello."""
        typer.echo("hello there")

    monkeypatch.setitem(COMMANDS, "hello", Lazy(__name__, "Say hello."))
    monkeypatch.setattr(sys.modules[__name__], "register", _register_hello, raising=False)
    assert runner.invoke(app_module.app, ["hello"]).stdout == "hello there\n"
    assert "Say hello." in runner.invoke(app_module.app, ["--help"]).stdout


def _register_hello(app: typer.Typer) -> None:
    @app.command("hello")
    def hello() -> None:
        """Say hello."""
        typer.echo("hello there")


def test_the_modes_groups_lazy_rows_say_what_their_commands_say() -> None:
    from modegraph.cli.modes import _ModesGroup

    for name, entry in _ModesGroup.lazy_commands.items():
        command = load_command(name, entry)
        assert command.get_short_help_str(limit=500) == entry.help
    listed = runner.invoke(app_module.app, ["modes", "--help"], env={"TERMINAL_WIDTH": "160"})
    order = [listed.stdout.index(f"│ {n} ") for n in ("convert", "new", "list", "show")]
    assert order == sorted(order)  # as before the group loaded convert and new lazily
