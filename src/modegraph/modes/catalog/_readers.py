"""The readers and sniffers that load their format's module on first use.

The native YAML, Roo Code and CrewAI readers bring the JSON Schema models and the
YAML parser, which `modegraph modes list` over Markdown files never needs. The
folder search (`discovery`) and the loader both take them from here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from modegraph.modes.formats.reading import ReadResult

__all__ = [
    "Reader",
    "Sniffer",
    "looks_like_crewai_agents",
    "looks_like_native_mode",
    "looks_like_roomodes",
    "read_crewai_agents",
    "read_native_toml",
    "read_native_yaml",
    "read_roomodes",
]

Reader = Callable[..., ReadResult]
Sniffer = Callable[[str], bool]


def _on_first_use(module: str, name: str) -> Callable[..., Any]:
    """`module.name`, imported when it is first called."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


_NATIVE = "modegraph.modes.formats.native_yaml.reader"
_ROOCODE = "modegraph.modes.formats.roocode.reader"
_CREWAI = "modegraph.modes.formats.crewai.reader"
looks_like_native_mode: Sniffer = _on_first_use(_NATIVE, "looks_like_native_mode")
read_native_toml: Reader = _on_first_use(_NATIVE, "read_native_toml")
read_native_yaml: Reader = _on_first_use(_NATIVE, "read_native_yaml")
looks_like_roomodes: Sniffer = _on_first_use(_ROOCODE, "looks_like_roomodes")
read_roomodes: Reader = _on_first_use(_ROOCODE, "read_roomodes")
looks_like_crewai_agents: Sniffer = _on_first_use(_CREWAI, "looks_like_crewai_agents")
read_crewai_agents: Reader = _on_first_use(_CREWAI, "read_crewai_agents")
