"""`modegraph.coordinator` exports exactly what `__all__` lists; the bundled coordinator."""

from __future__ import annotations

import modegraph.coordinator as graph
from modegraph.coordinator import default_entry
from modegraph.modes.catalog import Catalog
from modegraph.modes.catalog.layers import bundled_library_dir
from modegraph.modes.catalog.loader import load_paths


def test_all_lists_the_public_names() -> None:
    public = {
        name
        for name, value in vars(graph).items()
        if not name.startswith("_") and not isinstance(value, type(graph))
    }
    assert public == set(graph.__all__)
    assert len(graph.__all__) == len(set(graph.__all__))


def test_the_bundled_library_coordinator_is_roo_commander() -> None:
    library = bundled_library_dir()
    assert library is not None
    assert default_entry(Catalog(load_paths([library]).modes)) == "roo-commander"
