"""The public API is exactly what `__all__` lists, group by group, in every package."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

import modegraph

SRC = Path(modegraph.__file__).parent
PACKAGES = [
    "modegraph.modes",
    "modegraph.roles",
    "modegraph.modes.catalog",
    "modegraph.coordinator",
    "modegraph.agents",
    "modegraph.agents.rule",
    "modegraph.agents.chat",
    "modegraph.tools",
    "modegraph.journal",
]


def _all_comments(path: Path) -> list[tuple[str, list[str]]]:
    """The `# group` comments of a literal `__all__` and the names under each."""
    groups: list[tuple[str, list[str]]] = []
    in_all = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("__all__ = ["):
            in_all = True
            continue
        if in_all and line.startswith("]"):
            break
        stripped = line.strip()
        if in_all and stripped.startswith("#"):
            groups.append((stripped[1:].strip(), []))
        elif in_all and stripped.startswith('"') and groups:
            groups[-1][1].append(stripped.strip('",'))
    return groups


def test_top_level_groups_match_all_and_exports() -> None:
    groups = _all_comments(SRC / "__init__.py")
    assert [g for g, _ in groups] == list(modegraph._GROUPS)
    for name, names in groups:
        _module, expected = modegraph._GROUPS[name]
        assert tuple(n for n in names if n != "__version__") == expected, name
    assert set(modegraph._EXPORTS) == set(modegraph.__all__) - {"__version__"}


@pytest.mark.parametrize("name", [n for n in modegraph.__all__ if n != "__version__"])
def test_every_top_level_name_is_the_object_of_its_module(name: str) -> None:
    value = getattr(modegraph, name)
    assert value is getattr(importlib.import_module(modegraph._EXPORTS[name]), name)
    assert getattr(value, "__module__", "").startswith("modegraph"), name


def test_main_entry_points_are_public() -> None:
    for name in ("load_catalog", "EscalationGraph", "build_coordinator", "Runner", "Journal"):
        assert name in modegraph.__all__


@pytest.mark.parametrize("package", PACKAGES)
def test_subpackage_all_lists_exactly_its_public_imports(package: str) -> None:
    module = importlib.import_module(package)
    declared = list(module.__all__)
    assert len(declared) == len(set(declared)), f"{package}.__all__ repeats a name"
    for name in declared:
        assert hasattr(module, name), f"{package}.__all__ names missing {name}"
    tree = ast.parse(inspect.getsource(module))
    imported = {
        alias.asname or alias.name
        for node in _imports(tree.body)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    public = {n for n in imported if not n.startswith("_") and n != "annotations"}
    assert public == set(declared), f"{package}: imported but not exported or vice versa"


def _imports(body: list[ast.stmt]) -> list[ast.stmt]:
    """The top-level statements, and those of an `if TYPE_CHECKING:` block (a package
    whose public names load on first use lists them there)."""
    found: list[ast.stmt] = []
    for node in body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            found.extend(node.body)
        else:
            found.append(node)
    return found
