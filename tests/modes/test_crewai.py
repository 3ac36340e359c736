"""CrewAI crews: agents.yaml (with tasks.yaml beside it) read into modes, and written back."""

from __future__ import annotations

from pathlib import Path

import yaml

from modegraph.findings import Code, Severity
from modegraph.modes.catalog.discovery import discover
from modegraph.modes.catalog.loader import detect_format, load_file, load_paths, load_text
from modegraph.modes.formats.crewai.reader import DELEGATION_NOTE, looks_like_crewai_agents
from modegraph.modes.formats.writers import TargetFormat, write_modes
from modegraph.modes.model import Mode, SourceFormat

AGENTS = """\
trip_planner:
  role: >
    🧭 Itinerary Planner
  goal: >
    Put together a day-by-day plan for {destination}
  backstory: >
    You have planned hundreds of trips and know
    how long things really take.
  llm: openai/gpt-4o-mini
  tools:
    - serper_dev_tool
    - scrape_website_tool
  allow_delegation: true
  verbose: true

budget_keeper:
  role: Budget Keeper
  goal: Keep the trip within {budget}
  backstory: You count every coin.
  tools: [file_read_tool, code_interpreter_tool, my_custom_tool]

local_guide:
  role: Local Guide
  goal: Know the places worth seeing
  backstory: You grew up there.
"""

TASKS = """\
plan_days:
  description: >
    Draft the plan for each day of the trip.
  expected_output: >
    A table with one row per day.
  agent: trip_planner

check_costs:
  description: Add up the costs and flag anything over budget.
  expected_output: A list of costs.
  agent: budget_keeper

loose_task:
  description: Bound to an agent in Python, not here.
  expected_output: Anything.

lost_task:
  description: Names an agent that is not in the crew.
  expected_output: Nothing.
  agent: ghost_writer
"""


def crew(tmp_path: Path, *, tasks: bool = True) -> Path:
    config = tmp_path / "src" / "trip" / "config"
    config.mkdir(parents=True)
    (config / "agents.yaml").write_text(AGENTS, encoding="utf-8")
    if tasks:
        (config / "tasks.yaml").write_text(TASKS, encoding="utf-8")
    return config / "agents.yaml"


def content(mode: Mode) -> dict[str, object]:
    """A mode's fields without where they were read (source, lines)."""
    data = mode.model_dump(exclude={"source"})
    for key in ("delegates_to", "escalates_to", "reports_to", "tool_groups"):
        data[key] = [{k: v for k, v in item.items() if k != "line"} for item in data[key]]
    return data


def by_slug(modes: list[Mode]) -> dict[str, Mode]:
    return {mode.slug: mode for mode in modes}


def test_agents_yaml_reads_every_agent_with_its_tasks(tmp_path: Path) -> None:
    result = load_file(crew(tmp_path))
    modes = by_slug(result.modes)
    assert list(modes) == ["trip-planner", "budget-keeper", "local-guide"]
    planner = modes["trip-planner"]
    assert planner.source.format is SourceFormat.CREWAI
    assert (planner.emoji, planner.name) == ("🧭", "Itinerary Planner")
    assert planner.description == "Put together a day-by-day plan for {destination}"
    assert planner.role_definition.startswith("You have planned hundreds of trips")
    assert planner.model == "openai/gpt-4o-mini"
    assert planner.when_to_use == "Draft the plan for each day of the trip."
    assert planner.extra["crewai_tasks"] == [
        {
            "name": "plan_days",
            "description": "Draft the plan for each day of the trip.",
            "expected_output": "A table with one row per day.",
        }
    ]
    assert planner.extra["verbose"] is True
    assert planner.extra["crewai_tools"] == ["serper_dev_tool", "scrape_website_tool"]
    assert [g.name for g in planner.tool_groups] == ["browser"]
    keeper = modes["budget-keeper"]
    assert [g.name for g in keeper.tool_groups] == ["read", "command"]
    assert modes["local-guide"].tool_groups == ()


def test_allow_delegation_means_every_other_agent_of_the_crew(tmp_path: Path) -> None:
    modes = by_slug(load_file(crew(tmp_path)).modes)
    targets = [(ref.slug, ref.note) for ref in modes["trip-planner"].delegates_to]
    assert targets == [("budget-keeper", DELEGATION_NOTE), ("local-guide", DELEGATION_NOTE)]
    assert modes["trip-planner"].delegates_to[0].line == 13
    assert modes["budget-keeper"].delegates_to == ()  # CrewAI's default: no delegation


def test_a_task_naming_no_agent_is_a_warning_and_no_deprecation_noise(tmp_path: Path) -> None:
    result = load_file(crew(tmp_path))
    assert [(f.code, f.severity) for f in result.findings] == [
        (Code.DANGLING_REFERENCE, Severity.WARNING)
    ]
    (finding,) = result.findings
    assert finding.path is not None and finding.path.endswith("tasks.yaml")
    assert finding.line == 20
    assert "ghost_writer" in finding.message


def test_without_tasks_yaml_the_agents_still_load(tmp_path: Path) -> None:
    result = load_file(crew(tmp_path, tasks=False))
    assert len(result.modes) == 3
    assert result.findings == []
    assert by_slug(result.modes)["trip-planner"].when_to_use == ""


def test_detected_by_content_and_found_in_a_folder_by_name(tmp_path: Path) -> None:
    assert looks_like_crewai_agents(AGENTS)
    assert detect_format(AGENTS, path="config/agents.yaml") is SourceFormat.CREWAI
    agents = crew(tmp_path)
    (tmp_path / "roles.yaml").write_text(AGENTS, encoding="utf-8")  # right content, other name
    assert discover(tmp_path) == [agents]
    assert [m.slug for m in load_paths([tmp_path]).modes][:1] == ["trip-planner"]


def test_missing_fields_and_wrong_types_are_findings() -> None:
    text = "writer:\n  role: Writer\n  goal: [a, b]\nlonely: just a string\n"
    result = load_text(text, path="agents.yaml")
    found = [(f.code, f.line) for f in result.findings]
    assert (Code.WRONG_TYPE, 3) in found  # goal is a list
    assert (Code.MISSING_FIELD, 3) in found  # so there is no goal
    assert (Code.MISSING_FIELD, 1) in found  # no backstory
    assert (Code.WRONG_TYPE, 4) in found  # an agent that is a string
    assert [m.slug for m in result.modes] == ["writer"]


def test_written_back_the_crew_reads_the_same(tmp_path: Path) -> None:
    modes = load_file(crew(tmp_path)).modes
    result = write_modes(modes, to=TargetFormat.CREWAI)
    assert [f.name for f in result.files] == ["agents.yaml", "tasks.yaml"]
    out = tmp_path / "out"
    out.mkdir()
    for written in result.files:
        (out / written.name).write_text(written.text, encoding="utf-8")
    again = load_file(out / "agents.yaml").modes
    for before, after in zip(modes, again, strict=True):
        assert content(before) == content(after)
    tasks = yaml.safe_load(result.files[1].text)
    assert tasks["plan_days"]["agent"] == "trip_planner"


def test_modes_of_other_formats_become_agents_and_losses_are_reported() -> None:
    lead = Mode(
        slug="docs-lead",
        name="Docs Lead",
        emoji="📝",
        level="020-lead-docs",
        description="Owns the docs.",
        role_definition="You lead the docs.",
        custom_instructions="Review every page.",
        delegates_to=(),
    )
    result = write_modes([lead], to=TargetFormat.CREWAI)
    data = yaml.safe_load(result.text)
    assert data == {
        "docs_lead": {
            "role": "📝 Docs Lead",
            "goal": "Owns the docs.",
            "backstory": "You lead the docs.\n\nReview every page.",
        }
    }
    messages = " ".join(f.message for f in result.findings)
    assert "level" in messages and "merged" in messages
