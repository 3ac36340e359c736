"""The warnings loading a catalog prints on standard error (`load_catalog_for_cli`).

Apart, so that a cached `modegraph modes list` prints the same lines again
(`modegraph.cli._list_cache` keeps them with the listing).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from modegraph.cli._styled import print_styled

if TYPE_CHECKING:
    from modegraph.modes.catalog.catalog import Catalog

__all__ = ["load_warnings", "print_warnings"]


def load_warnings(catalog: Catalog, aliases: dict[str, str], *, errors: bool = True) -> list[str]:
    """The warnings `load_catalog_for_cli` prints on standard error after loading `catalog`.

    One for each `--alias OLD=NEW` whose NEW names no mode, then (with `errors`) one
    saying how many errors the mode files have.
    """
    from modegraph.findings import Severity

    lines = []
    for old, new in aliases.items():
        if catalog.resolve(new) is None:
            close = catalog.suggestions(new)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            lines.append(
                f"warning: --alias {old}={new}: {new!r} names no mode in the catalog, "
                f"so {old!r} still resolves to nothing{hint}"
            )
    count = sum(1 for item in catalog.findings if item.severity is Severity.ERROR)
    if errors and count:
        noun = "error" if count == 1 else "errors"
        lines.append(
            f"warning: {count} {noun} in mode files; run `modegraph modes validate` to see them"
        )
    return lines


def print_warnings(lines: Iterable[str]) -> None:
    """Print warnings on standard error, one line each (as `load_catalog_for_cli` does)."""
    print_styled(((line, "yellow") for line in lines), stderr=True)
