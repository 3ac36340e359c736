"""The import paths of the old layout still work, warn, and give the very same objects."""

from __future__ import annotations

import importlib
import subprocess
import sys
import warnings

import pytest

from modegraph._moved import MOVED


@pytest.mark.parametrize(("old", "new"), sorted(MOVED.items()))
def test_an_old_module_path_warns_and_is_the_new_module(old: str, new: str) -> None:
    parent = old.rpartition(".")[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        importlib.import_module(parent)  # `modegraph.graph` warns on its own
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=f"{old} is deprecated: import {new} instead"):
        module = importlib.import_module(old)
    assert module is importlib.import_module(new)
    assert module.__spec__ is not None
    assert module.__spec__.name == new  # the alias leaves the real module's spec alone


def test_the_old_graph_package_warns_and_reexports() -> None:
    code = (
        "import warnings; warnings.simplefilter('error')\n"
        "try:\n"
        "    from modegraph.graph import Runner\n"
        "except DeprecationWarning as w:\n"
        "    print(w)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "modegraph.graph is deprecated" in out.stdout
    code = (
        "import warnings; warnings.simplefilter('ignore')\n"
        "from modegraph.graph import Runner, RuleAgent\n"
        "from modegraph.coordinator import Runner as R2\n"
        "from modegraph.agents import RuleAgent as A2\n"
        "assert Runner is R2 and RuleAgent is A2\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_langgraph_is_imported_only_by_the_coordinator() -> None:
    import modegraph

    src = modegraph.__file__.rsplit("/", 1)[0]
    from pathlib import Path

    offenders = [
        str(path.relative_to(src))
        for path in Path(src).rglob("*.py")
        if "import langgraph" in (text := path.read_text(encoding="utf-8"))
        or "from langgraph" in text
        if not str(path.relative_to(src)).startswith(("coordinator/", "engines/"))
    ]
    assert offenders == []


def test_sandboxed_agent_moved_to_agents_with_a_warning() -> None:
    import modegraph.tools as tools
    from modegraph.agents import SandboxedAgent

    with pytest.warns(DeprecationWarning, match="modegraph.tools.SandboxedAgent is deprecated"):
        assert tools.SandboxedAgent is SandboxedAgent
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = tools.Nope
