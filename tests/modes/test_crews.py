"""Agents of different CrewAI crews that share a key stay two agents."""

from __future__ import annotations

from pathlib import Path

from modegraph.findings import Code, Severity
from modegraph.modes.catalog.crews import crew_name
from modegraph.modes.catalog.layers import load_catalog
from modegraph.modes.catalog.loader import load_paths

SCOUTING = """\
scout:
  role: Venue scout
  goal: Find three venues that fit the guest count and the budget
  backstory: Has booked halls in every district of the city.
caterer:
  role: Catering planner
  goal: Choose a menu the guests can all eat
  backstory: Ran a kitchen for ten years.
  allow_delegation: true
"""

PROGRAMME = """\
scout:
  role: Speaker scout
  goal: Find speakers for the conference tracks
  backstory: Knows who gives a good talk.
host:
  role: Programme host
  goal: Put the talks in order and write the running sheet
  backstory: Has hosted forty meetups.
  allow_delegation: true
"""


def flow(root: Path) -> Path:
    crews = root / "src" / "summit" / "crews"
    for crew, text in (("scouting", SCOUTING), ("programme", PROGRAMME)):
        (crews / crew / "config").mkdir(parents=True)
        (crews / crew / "config" / "agents.yaml").write_text(text, encoding="utf-8")
    (root / "pyproject.toml").write_text("[project]\nname = 'summit'\n", encoding="utf-8")
    return crews


def test_a_flow_project_keeps_both_scouts_under_their_crews_names(tmp_path: Path) -> None:
    crews = flow(tmp_path)
    catalog = load_catalog(project_dir=tmp_path)
    by_slug = {mode.slug: mode for mode in catalog}
    assert {"scouting-scout", "programme-scout", "caterer", "host"} <= set(by_slug)
    assert "scout" not in by_slug
    assert by_slug["scouting-scout"].name == "Venue scout"
    assert by_slug["programme-scout"].name == "Speaker scout"
    assert not catalog.overrides
    notes = [f for f in catalog.findings if f.code is Code.CREW_QUALIFIED]
    assert sorted((f.slug or "", f.line, f.severity) for f in notes) == [
        ("programme-scout", 1, Severity.INFO),
        ("scouting-scout", 1, Severity.INFO),
    ]
    assert all(Path(f.path or "").parent.parent.parent == crews for f in notes)
    assert "programme, scouting" in notes[0].message


def test_delegation_inside_a_crew_follows_the_renamed_agent(tmp_path: Path) -> None:
    flow(tmp_path)
    by_slug = {mode.slug: mode for mode in load_catalog(project_dir=tmp_path)}
    assert [ref.slug for ref in by_slug["caterer"].delegates_to] == ["scouting-scout"]
    assert [ref.slug for ref in by_slug["host"].delegates_to] == ["programme-scout"]


def test_a_folder_of_crews_named_with_modes_gives_no_duplicate_slug(tmp_path: Path) -> None:
    crews = flow(tmp_path)
    result = load_paths([crews])
    assert sorted(mode.slug for mode in result.modes) == [
        "caterer",
        "host",
        "programme-scout",
        "scouting-scout",
    ]
    assert not [f for f in result.findings if f.code is Code.DUPLICATE_SLUG]


def test_one_crew_keeps_its_plain_keys(tmp_path: Path) -> None:
    crews = flow(tmp_path)
    result = load_paths([crews / "scouting" / "config"])
    assert sorted(mode.slug for mode in result.modes) == ["caterer", "scout"]
    assert not [f for f in result.findings if f.code is Code.CREW_QUALIFIED]


def test_the_same_crew_file_named_twice_is_not_two_crews(tmp_path: Path) -> None:
    crews = flow(tmp_path)
    one = crews / "scouting" / "config" / "agents.yaml"
    again = crews / "scouting" / "config" / ".." / "config" / "agents.yaml"
    catalog = load_catalog(paths=[one, again], project_dir=tmp_path, discover=False)
    assert "scout" in {mode.slug for mode in catalog}


def test_crew_names_come_from_the_folder_above_config() -> None:
    assert crew_name("src/trip/crews/Market_Research/config/agents.yaml") == "market-research"
    assert crew_name("src/poem_crew/config/agents.yaml") == "poem-crew"
    assert crew_name("agents/team.yaml") == "agents"


def test_two_copies_of_one_crew_are_named_once_and_stay_a_duplicate(tmp_path: Path) -> None:
    flow(tmp_path / "copy-a")
    flow(tmp_path / "copy-b")
    catalog = load_catalog(paths=[tmp_path], project_dir=tmp_path, discover=False)
    slugs = {mode.slug for mode in catalog}
    assert {"scouting-scout", "programme-scout"} <= slugs
    assert not any(slug.startswith(("scouting-scouting", "programme-programme")) for slug in slugs)
    duplicates = [f for f in catalog.findings if f.code is Code.DUPLICATE_SLUG]
    assert {f.slug for f in duplicates} >= {"scouting-scout", "programme-scout"}
