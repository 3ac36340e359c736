"""The package's rooms import one way, with no import circle, and stay small.

Rooms, lowest first: the base modules (errors, findings, ...), `modes`, then
`roles`, `journal` and `tools` (side by side, never importing one another),
`agents`, `coordinator`, `engines`, and `cli` on top. A room imports only rooms
below it; inside `modes`, the formats never import the catalog that uses them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

import modegraph

SRC = Path(modegraph.__file__).parent

RANK = {
    "base": 0,
    "modes": 1,
    "roles": 2,
    "journal": 2,
    "tools": 2,
    "agents": 3,
    "testing": 4,
    "coordinator": 4,
    "engines": 5,
    "graph": 6,  # the deprecated alias package
    "cli": 7,
}


def _module_name(path: Path) -> str:
    parts = ["modegraph", *path.relative_to(SRC).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _room(module: str) -> str:
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] == "__main__":
        return "cli"
    if len(parts) < 2 or parts[1] not in RANK:
        return "base"
    return parts[1]


def _imports(path: Path, *, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("modegraph"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("modegraph"))
    return found


MODULES = {_module_name(p): p for p in SRC.rglob("*.py")}


def _edges(*, top_level_only: bool) -> list[tuple[str, str]]:
    return [
        (name, target)
        for name, path in MODULES.items()
        if name != "modegraph"  # the lazy public API names every room for type checkers
        for target in _imports(path, top_level_only=top_level_only)
        if target in MODULES and target != name
    ]


@pytest.mark.parametrize(("source", "target"), _edges(top_level_only=False))
def test_a_room_imports_only_rooms_below_it(source: str, target: str) -> None:
    mine, theirs = _room(source), _room(target)
    if mine == theirs or source == "modegraph._moved":
        return
    assert RANK[theirs] < RANK[mine], f"{source} ({mine}) imports {target} ({theirs})"


def test_formats_never_import_the_catalog() -> None:
    bad = [
        (s, t)
        for s, t in _edges(top_level_only=False)
        if s.startswith("modegraph.modes.formats") and t.startswith("modegraph.modes.catalog")
    ]
    assert bad == []


def test_no_import_circle_between_modules() -> None:
    graph = nx.DiGraph(_edges(top_level_only=True))
    # a package __init__ importing its own submodules is not a circle
    cycles = [
        c for c in nx.simple_cycles(graph) if not all(m.startswith(min(c, key=len)) for m in c)
    ]
    assert cycles == []


def test_modules_stay_small_or_say_why() -> None:
    big = [
        name
        for name, path in MODULES.items()
        if len(path.read_text(encoding="utf-8").splitlines()) > 420
        and "Longer than" not in path.read_text(encoding="utf-8")[:3000]
    ]
    assert big == [], "over ~400 lines without a 'Longer than ...' reason at the top"
