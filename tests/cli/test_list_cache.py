"""`modegraph modes list` keeps its listing while no file changes, and never prints another.

Every step compares the cached command with `--no-cache` (which reads every file):
an edit, a new file, a removed file, an edit that keeps the size and the modification
time. A hit is proven by making the uncached listing fail while the cached one runs.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import modegraph
from modegraph.cli import _list_cache, _listing, app
from modegraph.cli._styled import plain_stream, print_styled
from modegraph.modes.catalog._edge_mode import EdgeMode

runner = CliRunner()

AGENT = """---
name: {slug}
description: {text}
---

You are {slug}. Do the work you are given.
"""


def _agent(folder: Path, slug: str, text: str) -> Path:
    path = folder / ".claude" / "agents" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(AGENT.format(slug=slug, text=text), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    _agent(root, "alpha", "Writes the alpha reports.")
    _agent(root, "beta", "Reviews the beta changes.")
    monkeypatch.chdir(root)
    return root


def _list(*args: str) -> tuple[str, str]:
    done = runner.invoke(app, ["modes", "list", *args])
    assert done.exit_code == 0, done.output
    return done.stdout, done.stderr


def _must_hit(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_reading(*_: object, **__: object) -> None:
        raise AssertionError("the listing was read from the files, not the cache")

    monkeypatch.setattr(_listing, "listing", no_reading)


def _same_as_uncached(monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    """The uncached listing; the cached command prints it (written, then read back)."""
    expected = _list("--no-cache", *args)
    assert _list(*args) == expected  # a miss: read, and kept
    with monkeypatch.context() as patch:
        _must_hit(patch)
        assert _list(*args) == expected  # a hit: nothing read
    return expected[0]


def test_a_listing_is_kept_and_never_differs_from_the_files(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _same_as_uncached(monkeypatch)
    assert "alpha" in first and "3 modes" in first  # and the built-in orchestrator
    assert json.loads(_same_as_uncached(monkeypatch, "--json"))["modes"][1]["slug"] == "alpha"

    _agent(project, "alpha", "Writes the gamma reports instead.")  # an edit
    assert _same_as_uncached(monkeypatch) == first  # the listing shows no description
    _agent(project, "alpha-two", "Writes more reports.")  # a new file
    added = _same_as_uncached(monkeypatch)
    assert "alpha-two" in added and "4 modes" in added
    (project / ".claude" / "agents" / "beta.md").unlink()  # a removed file
    removed = _same_as_uncached(monkeypatch)
    assert "beta" not in removed and "3 modes" in removed

    # an edit that keeps the size and the modification time: the slug changes
    path = project / ".claude" / "agents" / "alpha-two.md"
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("alpha-two", "alpha-tw0"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert "alpha-tw0" in _same_as_uncached(monkeypatch)


def test_options_and_folders_have_listings_of_their_own(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _same_as_uncached(monkeypatch)
    assert "bundled" in _same_as_uncached(monkeypatch, "--bundled")
    elsewhere = project / "sub"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # paths are shown relative to the current folder
    assert "../.claude/agents/alpha.md" in _same_as_uncached(monkeypatch)


def test_a_corrupt_or_unwritable_cache_is_ignored(
    project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    expected = _same_as_uncached(monkeypatch)
    files = list(_list_cache.cache_dir().glob("*.json"))
    assert files
    for broken in ('{"format": 1, "name"', "[]", '{"format": 1, "lines": 3}', "\x00\xff"):
        for path in files:
            path.write_text(broken, encoding="utf-8", errors="surrogateescape")
        assert _list() == (expected, "")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert _list() == (expected, "")
    assert _list() == (expected, "")


@pytest.mark.parametrize("how", ["--no-cache", "MODEGRAPH_NO_CACHE"])
def test_the_cache_can_be_turned_off(
    project: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    if how == "MODEGRAPH_NO_CACHE":
        monkeypatch.setenv(_list_cache.NO_CACHE_ENV, "1")
        _list()
    else:
        _list("--no-cache")
    assert not _list_cache.cache_dir().exists()


def test_the_warnings_of_loading_are_printed_with_a_cached_listing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = project / ".claude" / "agents" / "broken.md"
    bad.write_text("---\nname: [broken\ndescription: x\n---\nBody.\n", encoding="utf-8")
    args = ("--alias", "old=nobody", "--alias", "writer=alpha")
    expected = _list("--no-cache", *args)
    assert expected[1].splitlines() == [
        "warning: --alias old=nobody: 'nobody' names no mode in the catalog, so 'old' still "
        "resolves to nothing",
        "warning: 1 error in mode files; run `modegraph modes validate` to see them",
    ]
    assert _list(*args) == expected
    with monkeypatch.context() as patch:
        _must_hit(patch)
        assert _list(*args) == expected  # the same lines on standard error, from the cache


def test_option_values_are_still_checked_and_converted(project: Path) -> None:
    assert "3 modes" in _list("--edges", "DECLARED")[0]
    done = runner.invoke(app, ["modes", "list", "--edges", "nope"])
    assert done.exit_code == 2
    assert "nope" in done.output and "declared" in done.output


def test_only_modes_list_uses_the_cache() -> None:
    src = Path(modegraph.__file__).parent
    users = set()
    for path in src.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (
                node.module == "modegraph.cli._list_cache"
                or (
                    node.module == "modegraph.cli"
                    and any(a.name == "_list_cache" for a in node.names)
                )
            ):
                users.add(path.relative_to(src).as_posix())
    assert users == {"cli/modes.py", "cli/_listing.py"}


PROBE = """
import contextlib, io, json, sys
sys.argv = ["modegraph", "modes", "list"]
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        from modegraph.cli import main
        main()
    except SystemExit:
        pass
print(json.dumps([out.getvalue(), sorted(sys.modules)]))
"""


def test_a_cached_listing_imports_no_reader_pydantic_yaml_or_networkx(project: Path) -> None:
    def listed() -> tuple[str, set[str]]:
        done = subprocess.run(
            [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
        )
        text, modules = json.loads(done.stdout.strip().splitlines()[-1])
        return text, set(modules)

    first, on_miss = listed()
    again, on_hit = listed()
    assert again == first and "3 modes" in first
    heavy = {"pydantic", "yaml", "networkx", "langgraph", "modegraph.modes.catalog.loader"}
    assert heavy & on_miss == {"pydantic", "yaml", "modegraph.modes.catalog.loader"}
    assert heavy & on_hit == set()


ROO_MODE = """# Mode: {name} (`{slug}`)

## Description
Handles the {slug} work of the project.
"""


def test_knowledge_base_folders_count_mode_files_by_content(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = project / ".roo" / "commander" / "modes" / "lead" / "kb"
    kb.mkdir(parents=True)
    (kb / "notes.md").write_text("# Notes\n\nNot a mode.\n", encoding="utf-8")
    page = kb / "aide.mode.md"
    page.write_text(ROO_MODE.format(name="Aide", slug="aide-one"), encoding="utf-8")
    assert "aide-one" in _same_as_uncached(monkeypatch)
    (kb / "notes.md").write_text("# Notes\n\nStill not a mode.\n", encoding="utf-8")
    assert "aide-one" in _same_as_uncached(monkeypatch)
    before = page.stat()
    page.write_text(ROO_MODE.format(name="Aide", slug="aide-two"), encoding="utf-8")
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert "aide-two" in _same_as_uncached(monkeypatch)


LINES = [
    ("slug  name", "bold"),
    ("backend-lead  🧩 Backend Lead  数据库  <bundled>/backend-lead.mode.md:1", ""),
    ("x" * 300, ""),
    ("trailing spaces   ", "dim"),
    ("", ""),
    ("[bold]not markup[/bold] :smile: https://example.com 1.5 None", "yellow"),
    ("    overrides ../.roomodes:3 (project)", "dim"),
]


class _Pipe(io.TextIOWrapper):
    """A UTF-8 stream that is not a terminal, like a pipe."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8", newline="\n")

    def text(self) -> str:
        self.flush()
        raw = self.buffer
        assert isinstance(raw, io.BytesIO)
        return raw.getvalue().decode("utf-8")


def _printed(lines: list[tuple[str, str]], *, rich: bool | None, stderr: bool = False) -> str:
    pipe = _Pipe()
    redirect = contextlib.redirect_stderr if stderr else contextlib.redirect_stdout
    with redirect(pipe):
        print_styled(lines, rich=rich, stderr=stderr)
    return pipe.text()


def test_plain_lines_are_printed_as_rich_prints_them_to_a_pipe(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    listing = _listing.listing(None, None, True, True, EdgeMode.ALL)
    for lines in (LINES, listing.lines):
        for stderr in (False, True):
            rich = _printed(lines, rich=True, stderr=stderr)
            assert _printed(lines, rich=False, stderr=stderr) == rich
            assert _printed(lines, rich=None, stderr=stderr) == rich
    with contextlib.redirect_stdout(_Pipe()):
        assert plain_stream(sys.stdout)
        monkeypatch.setenv("FORCE_COLOR", "1")  # Rich would write styles: Rich prints
        assert not plain_stream(sys.stdout)
        styled = _printed([("bold words", "bold")], rich=None)
        assert "\x1b[1m" in styled


def test_lines_rich_would_change_go_through_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    odd = [("a\ttab", ""), ("a bell\x07 and a return\r", ""), ("esc \x1b[31m", "")]
    for line in odd:
        assert _printed([line], rich=None) == _printed([line], rich=True)


@pytest.mark.skipif(sys.platform != "linux", reason="file names that are not UTF-8")
def test_names_that_are_not_utf8_are_hashed_too(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    agents = os.fsencode(project / ".claude" / "agents")
    os.mkdir(os.path.join(agents, b"odd-\xff-folder"))
    with open(os.path.join(agents, b"odd-\xfe.txt"), "wb") as handle:
        handle.write(b"not a mode\n")
    assert "alpha" in _same_as_uncached(monkeypatch)


def test_only_the_latest_listings_are_kept(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_list_cache, "MAX_LISTINGS", 2)
    for folder in ("one", "two", "three"):
        (project / folder).mkdir()
        monkeypatch.chdir(project / folder)
        _same_as_uncached(monkeypatch)
    assert len(list(_list_cache.cache_dir().iterdir())) == 2
