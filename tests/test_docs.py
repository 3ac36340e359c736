"""The docs site builds with `mkdocs build --strict`, and its references are complete.

`strict: true` and the `validation:` settings in mkdocs.yml turn every broken link,
missing anchor, unresolved cross-reference and page missing from the nav into a
failure. The build runs once per session (a few seconds); the checks below read what
it wrote: the CLI reference names every command of the Typer app, and the API
reference documents every public name of every package. Skips, saying so, only when
the docs tools are not installed (`pip install -e '.[docs]'`, part of `dev`).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

import modegraph
from modegraph.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
DOCS_TOOLS = ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python")
DOCUMENTED_PACKAGES = [
    "modegraph.errors",
    "modegraph.findings",
    "modegraph.modes",
    "modegraph.modes.catalog",
    "modegraph.roles",
    "modegraph.coordinator",
    "modegraph.agents",
    "modegraph.agents.rule",
    "modegraph.agents.chat",
    "modegraph.tools",
    "modegraph.journal",
    "modegraph.testing",
]
"""Every package whose `__all__` the Python API page must document in full."""


def _missing_tools() -> list[str]:
    missing = []
    for name in DOCS_TOOLS:
        try:
            found = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            found = None
        if found is None:
            missing.append(name)
    return missing


def _build(config: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of a config, run from its folder."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(out)],
        # never --quiet: it hides the warnings that --strict counts, and the build passes
        cwd=config.parent,  # pymdownx.snippets reads benchmarks/README.md relative to it
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _require_docs_tools() -> None:
    missing = _missing_tools()
    if missing:
        pytest.skip(
            f"the docs tools are not installed ({', '.join(missing)}); "
            "pip install -e '.[docs]' to build and check the docs"
        )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built with `mkdocs build --strict` from the repository's mkdocs.yml."""
    _require_docs_tools()
    out = tmp_path_factory.mktemp("site")
    result = _build(ROOT / "mkdocs.yml", out)
    assert result.returncode == 0, (
        "mkdocs build --strict failed; fix the pages (every nav page must exist, every "
        f"link and anchor resolve):\n{result.stdout[-4000:]}\n{result.stderr[-8000:]}"
    )
    return out


def _inventory(site: Path) -> set[str]:
    """The object names of the site's `objects.inv` (mkdocstrings writes it)."""
    raw = (site / "objects.inv").read_bytes()
    header = raw.split(b"\n", 4)
    lines = zlib.decompress(header[4]).decode("utf-8").splitlines()
    return {line.split(" ", 1)[0] for line in lines if line.strip()}


def _commands(command: Any, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    yield path
    if not hasattr(command, "list_commands"):
        return
    # asked by name: the root group loads its commands on first use
    ctx = typer.Context(command)
    for name in sorted(command.list_commands(ctx)):
        sub = command.get_command(ctx, name)
        if not getattr(sub, "hidden", False):
            yield from _commands(sub, (*path, name))


@pytest.mark.slow
def test_the_site_builds_strictly_with_every_page(site: Path) -> None:
    assert (site / "index.html").is_file()
    for page in ("getting-started", "running", "cli", "api", "benchmarks", "development"):
        assert (site / page / "index.html").is_file(), page


@pytest.mark.slow
def test_the_cli_reference_names_every_command_and_option(site: Path) -> None:
    html = (site / "cli" / "index.html").read_text(encoding="utf-8")
    assert "modegraph: cli-reference" not in html, "the hook did not replace its marker"
    root = typer.main.get_command(app)
    paths = list(_commands(root, ("modegraph",)))
    assert len(paths) > 10
    for path in paths:
        heading = re.search(rf'<h\d id="{"-".join(path)}"', html)
        assert heading is not None, f"no section for `{' '.join(path)}` in the CLI reference"
    for option in ("--max-llm-calls", "--no-bundled", "--strict", "--raw", "--approve"):
        assert f"<code>{option}" in html, option


@pytest.mark.slow
@pytest.mark.parametrize("package", DOCUMENTED_PACKAGES)
def test_the_api_reference_documents_every_public_name(site: Path, package: str) -> None:
    documented = _inventory(site)
    names = importlib.import_module(package).__all__
    missing = [name for name in names if f"{package}.{name}" not in documented]
    assert not missing, f"docs/api.md does not document {package}: {missing}"


def test_a_broken_link_fails_the_build(tmp_path: Path) -> None:
    _require_docs_tools()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n[gone](gone.md)\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nstrict: true\n", encoding="utf-8")
    result = _build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    assert "gone.md" in result.stderr


def test_the_api_page_lists_the_top_level_groups_of_all() -> None:
    page = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    table = page.split("| group | from | names |", 1)[1].split("\n\n", 1)[0]
    rows = [row.split("|")[1:4] for row in table.strip().splitlines()[1:]]
    groups = {}
    for group, source, names in rows:
        module, expected = modegraph._GROUPS[group.strip()]
        assert f"`{module}`" in source, (group, source)
        groups[group.strip()] = tuple(re.findall(r"\[(\w+)\]\[", names))
        assert groups[group.strip()] == expected, group
    assert list(groups) == list(modegraph._GROUPS)


def test_every_page_in_docs_is_in_the_nav() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = re.findall(r"^  - [^:]+: (\S+\.md)$", config, re.MULTILINE)
    assert nav[0] == "index.md"
    assert len(nav) == len(set(nav))
    on_disk = {p.name for p in (ROOT / "docs").glob("*.md")}
    assert on_disk <= set(nav), f"pages not in the nav: {sorted(on_disk - set(nav))}"
