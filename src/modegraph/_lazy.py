"""Public names imported on first use (PEP 562): `modegraph`, `modegraph.modes`, `.roles`."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, exports: Mapping[str, str], names: Iterable[str], space: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The `__getattr__` and `__dir__` of a package whose public names load on first use.

    Args:
        package: The package's name, for the error message.
        exports: Each public name -> the module it is imported from.
        names: The package's `__all__`.
        space: The package's `globals()`; an imported name is kept there.
    """
    public = tuple(names)

    def __getattr__(name: str) -> Any:
        """Import a public name on first use and keep it in the package."""
        module = exports.get(name)
        if module is None:
            msg = f"module {package!r} has no attribute {name!r}"
            raise AttributeError(msg)
        value = getattr(importlib.import_module(module), name)
        space[name] = value
        return value

    def __dir__() -> list[str]:
        """The package's names, the not yet imported public ones included."""
        return sorted({*space, *public})

    return __getattr__, __dir__
