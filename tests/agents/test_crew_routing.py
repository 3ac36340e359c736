"""A CrewAI agent named after its crew is not chosen for the crew's name."""

from __future__ import annotations

from pathlib import Path

from orchestrator_turn import ENTRY, first_turn

from modegraph.agents.rule._profiles import profile_of
from modegraph.modes.catalog import Catalog
from modegraph.modes.catalog.layers import load_catalog

SHOWCASE = """\
scout:
  role: Talent scout
  goal: Find new acts worth booking
  backstory: Goes to every open-mic night in town.
"""

STAGE = """\
scout:
  role: Talent scout
  goal: Find new acts worth booking
  backstory: Goes to every open-mic night in town.
lighting:
  role: Lighting designer
  goal: Plan the lighting cues for each act on the main stage
  backstory: Has lit theatre and concert stages for twenty years.
"""


def test_the_crew_in_a_qualified_slug_is_not_the_agents_work(tmp_path: Path) -> None:
    for crew, text in (("showcase", SHOWCASE), ("main_stage", STAGE)):
        folder = tmp_path / "src" / "gala" / "crews" / crew / "config"
        folder.mkdir(parents=True)
        (folder / "agents.yaml").write_text(text, encoding="utf-8")
    loaded = load_catalog(project_dir=tmp_path, include_bundled=False)
    assert {"showcase-scout", "main-stage-scout", "lighting"} <= set(loaded.slugs)
    catalog = Catalog([ENTRY, *(mode for mode in loaded if mode.slug != "orchestrator")])
    report = first_turn(catalog, "Plan the lighting cues for the main stage")
    assert [h.target for h in report.handoffs] == ["lighting"]
    # the two scouts are one text in two crews: the crews' names add no word of work
    # ("main stage" would otherwise be a name word of main-stage-scout)
    one, other = loaded.get("showcase-scout"), loaded.get("main-stage-scout")
    assert one is not None and other is not None
    assert profile_of(one).weights == profile_of(other).weights
