"""The package's public names load on first use, and `import modegraph` stays light."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import modegraph


def test_every_exported_name_comes_from_its_module() -> None:
    assert set(modegraph._EXPORTS) == set(modegraph.__all__) - {"__version__"}
    for name, module in modegraph._EXPORTS.items():
        assert getattr(modegraph, name) is getattr(importlib.import_module(module), name)


def test_dir_lists_the_public_names_and_unknown_names_raise() -> None:
    assert set(modegraph.__all__) <= set(dir(modegraph))
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        modegraph.Nope  # noqa: B018


def test_star_import_gives_the_public_api() -> None:
    names: dict[str, object] = {}
    exec("from modegraph import *", names)
    assert set(modegraph.__all__) <= set(names)


def test_importing_the_package_loads_no_heavy_module() -> None:
    code = (
        "import sys, modegraph\n"
        "heavy = ('networkx', 'ftfy', 'pydantic', 'langgraph', 'langchain_core', 'yaml')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
