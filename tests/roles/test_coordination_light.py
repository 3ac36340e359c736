"""The entry rule's plain-dict edges (`_Handoffs`) answer as the escalation graph does.

`coordinate` works the entry out without building the networkx `EscalationGraph`
(`modegraph modes list` runs it at every start). Over the bundled library and every
catalog the tests ship, with implied edges and without, both must give the same
targets, the same reach and the same entry.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from modegraph.modes.catalog import Catalog, load_catalog
from modegraph.modes.catalog.implied import EdgeMode, with_implied_edges
from modegraph.modes.catalog.loader import load_paths, load_text
from modegraph.modes.model import EdgeKind
from modegraph.roles.coordination import _by_rule, _Handoffs, coordinate
from modegraph.roles.escalation import ROUTING_KINDS, EscalationGraph

TESTS = Path(__file__).parents[1]
SOURCES = {
    "bundled": None,
    "roo_shaped": TESTS / "catalogs" / "roo_shaped",
    "small": TESTS / "catalogs" / "small",
    "crew": TESTS / "catalogs" / "crew",
    "claude_agents": TESTS / "catalogs" / "claude_agents",
    "roo_orchestrated": TESTS / "catalogs" / "roo_orchestrated",
    "coordination": TESTS / "data" / "coordination",
    "conductor": TESTS / "data" / "coordination" / "conductor.roomodes",
    "flat": TESTS / "data" / "coordination" / "flat.roomodes",
    "custom_modes": TESTS / "data" / "coordination" / "custom_modes.yaml",
    "fixtures": TESTS / "modes" / "fixtures",
    "fixtures_h2": TESTS / "modes" / "fixtures_h2",
}


def _catalog(name: str) -> Catalog:
    path = SOURCES[name]
    if path is None:
        return load_catalog(discover=False, include_bundled=True)
    return Catalog(load_paths([path]).modes)


@pytest.mark.parametrize("edges", list(EdgeMode))
@pytest.mark.parametrize("name", list(SOURCES))
def test_plain_edges_and_entry_match_the_escalation_graph(name: str, edges: EdgeMode) -> None:
    loaded = _catalog(name)
    assert len(loaded), name  # every source gives modes, so the comparison means something
    catalog = with_implied_edges(loaded) if edges is EdgeMode.ALL else loaded
    light, full = _Handoffs(catalog), EscalationGraph.from_catalog(catalog)
    for slug in catalog.slugs:
        for kinds in ((EdgeKind.DELEGATE,), ROUTING_KINDS, tuple(EdgeKind)):
            assert [(e.target, e.kind, e.missing) for e in light.targets(slug, kinds)] == [
                (e.target, e.kind, e.missing) for e in full.targets(slug, kinds)
            ], (name, slug, kinds)
        assert light.reachable(slug) == full.reachable(slug), (name, slug)
    assert _by_rule(catalog) == _by_rule(catalog, full)


def test_a_coordinator_and_duplicate_references_choose_the_same_entry() -> None:
    # a lead that names one worker twice and an unknown slug, a flat folder beside it
    text = (
        '{"customModes": ['
        '{"slug": "lead", "name": "Lead", "roleDefinition": "Leads.", "groups": [],'
        ' "customInstructions": "Delegate to worker, worker again, and ghost."},'
        '{"slug": "worker", "name": "Worker", "roleDefinition": "Works.", "groups": []},'
        '{"slug": "helper", "name": "Helper", "roleDefinition": "Helps.", "groups": []}]}'
    )
    loaded = Catalog(load_text(text, path=".roomodes").modes)
    for catalog in (loaded, with_implied_edges(loaded)):
        assert _by_rule(catalog) == _by_rule(catalog, EscalationGraph.from_catalog(catalog))


def test_coordinating_never_imports_networkx() -> None:
    code = (
        "import sys\n"
        "from modegraph.modes.catalog import load_catalog\n"
        "from modegraph.roles.coordination import coordinate\n"
        "done = coordinate(load_catalog(discover=False, include_bundled=True))\n"
        "assert done.entry is not None\n"
        "print('networkx' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert coordinate(_catalog("flat")).entry is not None
