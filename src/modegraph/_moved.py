"""Old import paths that still work: each imports its new module and warns.

The 0.2 layout split `modegraph.graph` into `modegraph.coordinator`,
`modegraph.agents` and `modegraph.tools`, and `modegraph.modes` into
`modegraph.modes.formats` and `modegraph.modes.catalog`. Code that imports an old
module path keeps working: it gets the new module itself (the same objects, so
`isinstance` checks and monkeypatching still agree) and a `DeprecationWarning`
naming the new path. `modegraph/__init__.py` puts the finder on `sys.meta_path`;
nothing else is imported until an old path is used.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import warnings
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from importlib.abc import Loader

__all__ = ["MOVED", "install", "moved_name"]

MOVED: dict[str, str] = {
    "modegraph.graph.approvals": "modegraph.coordinator.approvals",
    "modegraph.graph.chat_agent": "modegraph.agents.chat.agent",
    "modegraph.graph.chat_tools": "modegraph.agents.chat.turn_tools",
    "modegraph.graph.command_gate": "modegraph.coordinator.command_gate",
    "modegraph.graph.coordinator": "modegraph.coordinator.build",
    "modegraph.graph.nodes": "modegraph.coordinator.nodes",
    "modegraph.graph.persistence": "modegraph.coordinator.persistence",
    "modegraph.graph.policy": "modegraph.coordinator.policy",
    "modegraph.graph.prompts": "modegraph.agents.chat.prompts",
    "modegraph.graph.protocol": "modegraph.agents.protocol",
    "modegraph.graph.providers": "modegraph.agents.chat.providers",
    "modegraph.graph.recorder": "modegraph.coordinator.recorder",
    "modegraph.graph.records": "modegraph.coordinator.records",
    "modegraph.graph.result": "modegraph.coordinator.result",
    "modegraph.graph.router": "modegraph.coordinator.router",
    "modegraph.graph.routing": "modegraph.coordinator.routing",
    "modegraph.graph.rule_agent": "modegraph.agents.rule.agent",
    "modegraph.graph.runner": "modegraph.coordinator.runner",
    "modegraph.graph.state": "modegraph.coordinator.state",
    "modegraph.graph.tools": "modegraph.tools",
    "modegraph.graph.tools.agent": "modegraph.agents.sandboxed",
    "modegraph.graph.tools.browser": "modegraph.tools.browser",
    "modegraph.graph.tools.command": "modegraph.tools.command",
    "modegraph.graph.tools.context": "modegraph.tools.context",
    "modegraph.graph.tools.files": "modegraph.tools.files",
    "modegraph.graph.tools.groups": "modegraph.tools.groups",
    "modegraph.graph.tools.mcp": "modegraph.tools.mcp",
    "modegraph.graph.tools.permissions": "modegraph.tools.permissions",
    "modegraph.graph.tools.workspace": "modegraph.tools.workspace",
    "modegraph.modes.claude": "modegraph.modes.formats.claude.reader",
    "modegraph.modes.discovery": "modegraph.modes.catalog.discovery",
    "modegraph.modes.layers": "modegraph.modes.catalog.layers",
    "modegraph.modes.loader": "modegraph.modes.catalog.loader",
    "modegraph.modes.native_yaml": "modegraph.modes.formats.native_yaml.reader",
    "modegraph.modes.reading": "modegraph.modes.formats.reading",
    "modegraph.modes.resolution": "modegraph.modes.catalog.resolution",
    "modegraph.modes.roo_markdown": "modegraph.modes.formats.roo_markdown.reader",
    "modegraph.modes.roo_toml": "modegraph.modes.formats.roo_toml.reader",
    "modegraph.modes.roocode": "modegraph.modes.formats.roocode.reader",
    "modegraph.modes.writers": "modegraph.modes.formats.writers",
}
"""Each old module path and the module that replaced it."""


# The finder and the loader follow importlib's protocols without subclassing its
# abstract bases: importing `importlib.abc` pulls in `importlib.resources`, tempfile
# and zipfile, a cost every `modegraph` command would pay at start-up.


class _Alias:
    def __init__(self, new: str) -> None:
        self.new = new

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        warnings.warn(
            f"{spec.name} is deprecated: import {self.new} instead",
            DeprecationWarning,
            stacklevel=2,
        )
        module = importlib.import_module(self.new)
        self.spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run; give the module back its own spec, which the import replaced."""
        module.__spec__ = self.spec


class _MovedFinder:
    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        new = MOVED.get(fullname)
        if new is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, cast("Loader", _Alias(new)))


_FINDER = _MovedFinder()


def install() -> None:
    """Put the finder on `sys.meta_path` once."""
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)


def moved_name(old_module: str, name: str, new_module: str) -> object:
    """A public name that moved to `new_module`, with a `DeprecationWarning`."""
    warnings.warn(
        f"{old_module}.{name} is deprecated: import it from {new_module}",
        DeprecationWarning,
        stacklevel=3,
    )
    return getattr(importlib.import_module(new_module), name)
