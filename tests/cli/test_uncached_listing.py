"""`modegraph modes list --no-cache` builds and imports only what the listing needs.

An uncached listing (the first one, or one after an edit) of Markdown modes imports
neither PyYAML nor tomllib nor the prose reader of implied edges, builds only the
pydantic models it validates, and its command-line process freezes what it made
instead of letting collections walk it.
What it prints stays what it was: a YAML front matter still loads YAML on need, and
a TOML mode's finding lines are those of a line-by-line scan.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from modegraph.cli import app
from modegraph.findings import Code
from modegraph.modes.formats._front_matter import find_front_matter
from modegraph.modes.formats.roo_toml.reader import _TABLE, _TomlMode, read_roo_toml

runner = CliRunner()

PROBE = """
import contextlib, gc, io, json, sys
sys.argv = ["modegraph", "modes", "list", "--no-cache", *sys.argv[1:]]
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        from modegraph.cli import main
        main()
    except SystemExit:
        pass
built = {}
for module, names in {
    "modegraph.findings": ["Finding"],
    "modegraph.modes.model": ["Mode", "SourceInfo", "Reference", "ToolGroup"],
    "modegraph.modes.schema": ["ModeInput", "ModeFileInput"],
}.items():
    if module in sys.modules:
        for name in names:
            built[name] = getattr(sys.modules[module], name).__pydantic_complete__
print(json.dumps([out.getvalue(), sorted(sys.modules), built, gc.get_freeze_count()]))
"""

AGENT = """---
name: alpha
description: Writes the alpha reports.
tools: Read, Grep
---

You are alpha. Do the work you are given.
"""


def _listed(cwd: Path, *args: str) -> tuple[str, set[str], dict[str, bool], int]:
    env = dict(os.environ, XDG_CACHE_HOME=str(cwd / ".cache"))
    env.pop("MODEGRAPH_NO_CACHE", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
        env=env,
    )
    text, modules, built, frozen = json.loads(done.stdout.strip().splitlines()[-1])
    return text, set(modules), built, frozen


@pytest.fixture
def empty_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    return root


def test_listing_markdown_modes_imports_no_yaml_or_toml_and_builds_what_it_validates(
    empty_project: Path,
) -> None:
    text, modules, built, frozen = _listed(empty_project)
    assert "backend-lead" in text and "<bundled>/" in text  # the bundled library
    unneeded = {"yaml", "tomllib", "modegraph.modes.schema"}
    unneeded.add("modegraph.modes.catalog._implied_text")
    assert unneeded & modules == set()  # every bundled mode declares its edges: no prose read
    # Mode validates its parts inline; a clean catalog never makes a Finding.
    assert built == {
        "Finding": False,
        "Mode": True,
        "SourceInfo": True,
        "Reference": True,
        "ToolGroup": True,
    }
    assert frozen > 0  # the command line's own process: what it made is frozen


def test_yaml_front_matter_still_loads_yaml_when_a_file_has_it(empty_project: Path) -> None:
    agents = empty_project / ".claude" / "agents"
    agents.mkdir(parents=True)
    (agents / "alpha.md").write_text(AGENT, encoding="utf-8")
    (agents / "broken.md").write_text(
        "---\nname: broken\ndescription: [unclosed\n---\n\nYou are broken.\n", encoding="utf-8"
    )
    text, modules, built, _ = _listed(empty_project, "--json")
    document = json.loads(text)
    assert "alpha" in {row["slug"] for row in document["modes"]}
    # read line by line: `[unclosed` is the description's text, with a warning
    assert (document["errors"], document["warnings"]) == (0, 1)
    assert {row["slug"] for row in document["modes"]} >= {"alpha", "broken"}
    assert "yaml" in modules and built["Finding"] is True
    assert "modegraph.modes.catalog._implied_text" in modules  # agents declare no edges


def test_a_listing_in_a_process_that_lives_on_freezes_nothing(
    empty_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(empty_project)
    monkeypatch.setenv("XDG_CACHE_HOME", str(empty_project / ".cache"))
    before = gc.get_freeze_count()
    done = runner.invoke(app, ["modes", "list", "--no-cache"])
    assert done.exit_code == 0, done.output
    assert "backend-lead" in done.stdout
    assert gc.get_freeze_count() <= before  # frozen objects that died; none added
    assert gc.isenabled()


TOML_MODE = """+++
id = "toml-lines"
name = "🧪 TOML Lines"
"level" = ["seven"]
'classification' = "worker"
summary = "Checks where keys are."

[metadata]
tags = ["one", 2]
name = "not the top-level name"

[[custom_instructions]]
level = "inside an array of tables"

[ "metadata" . inner ]
tags = "again"
+++

Body text.
"""


def _scanned_line(mode: _TomlMode, key: str, table: str | None) -> int | None:
    """The line a plain scan of every line finds (the reader's rule, written out)."""
    import re

    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    current: str | None = None
    for index, line in enumerate(mode.block_lines):
        header = _TABLE.match(line)
        if header:
            current = header.group(1)
        elif current == table and pattern.match(line):
            return mode.offset + index + 1
    return None


def test_toml_key_lines_are_those_of_a_scan_of_every_line() -> None:
    lines = TOML_MODE.split("\n")
    block = find_front_matter(lines, "+++")
    assert block is not None
    mode = _TomlMode(block, path="m.mode.md", findings=[])
    tables = [None] + [m.group(1) for line in lines if (m := _TABLE.match(line))]
    keys = ["id", "name", "level", "classification", "summary", "tags", "missing", "inner"]
    for table in tables:
        for key in keys:
            assert mode.line_of(key, table) == _scanned_line(mode, key, table), (key, table)
    assert mode.line_of("level") == 4 and mode.line_of("name", "metadata") == 10
    result = read_roo_toml(TOML_MODE, path="m.mode.md")
    wrong = [(f.line, f.code) for f in result.findings if f.code is Code.WRONG_TYPE]
    assert (4, Code.WRONG_TYPE) in wrong  # `"level" = [...]`: the quoted key's own line
