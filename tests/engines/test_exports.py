"""The engines' packages export exactly what their `__all__` lists."""

from __future__ import annotations

import ast
import importlib
import inspect

import pytest


@pytest.mark.parametrize("package", ["modegraph.engines", "modegraph.engines.temporal"])
def test_all_lists_exactly_the_public_imports(package: str) -> None:
    if package.endswith("temporal"):
        pytest.importorskip("temporalio", reason="the temporal extra is not installed")
    module = importlib.import_module(package)
    declared = list(module.__all__)
    assert len(declared) == len(set(declared))
    tree = ast.parse(inspect.getsource(module))
    imported = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("modegraph")
        for alias in node.names
    }
    assert set(declared) == imported
    assert all(hasattr(module, name) for name in declared)
