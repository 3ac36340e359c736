"""`new_mode`: new mode files validate clean, are real text, and refuse bad input."""

from __future__ import annotations

import pytest

from modegraph.errors import ConfigError
from modegraph.modes.catalog.loader import load_text
from modegraph.modes.model import Mode, SourceFormat
from modegraph.modes.scaffold import new_mode

LEVELS = ["000-executive", "010-director", "020-lead-data", "033-worker-database", "04x-assistant"]


def _load(text: str, fmt: SourceFormat) -> Mode:
    result = load_text(text, path="new.mode", format=fmt)
    assert [f.format() for f in result.findings] == []
    assert len(result.modes) == 1
    return result.modes[0]


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize(
    ("file_format", "read_as"),
    [("markdown", SourceFormat.ROO_MARKDOWN), ("yaml", SourceFormat.YAML)],
)
def test_new_modes_validate_clean(level: str, file_format: str, read_as: SourceFormat) -> None:
    text = new_mode(
        slug="redis-specialist",
        level=level,
        escalates_to=["database-lead", "infrastructure-specialist"],
        delegates_to=["cache-assistant"],
        format="yaml" if file_format == "yaml" else "markdown",
    )
    mode = _load(text, read_as)
    assert mode.slug == "redis-specialist"
    assert mode.name == "Redis Specialist"
    assert mode.level == level
    assert [r.slug for r in mode.escalates_to] == ["database-lead", "infrastructure-specialist"]
    assert [r.slug for r in mode.delegates_to] == ["cache-assistant"]
    assert all(r.note for r in (*mode.escalates_to, *mode.delegates_to))
    assert mode.description and mode.role_definition and mode.capabilities and mode.workflow
    assert "project_journal/tasks/<TASK-ID>.md" in mode.custom_instructions
    assert "TODO" not in text and "TBD" not in text and "FIXME" not in text


def test_markdown_scaffold_uses_the_seed_layout() -> None:
    text = new_mode(slug="redis-specialist", level="033-worker-database", name="Redis Expert")
    assert text.startswith("# Mode: Redis Expert (`redis-specialist`)\n\n## Description\n")
    assert "**Level:** 033-worker-database\n" in text
    mode = _load(text, SourceFormat.ROO_MARKDOWN)
    assert "database" in mode.tags and "redis" in mode.tags
    assert "specialist" not in mode.tags
    assert [g.name for g in mode.tool_groups] == ["read", "edit", "command"]


def test_tool_groups_follow_the_tier() -> None:
    lead = _load(new_mode(slug="data-lead", level="020-lead-data"), SourceFormat.ROO_MARKDOWN)
    boss = _load(new_mode(slug="boss", level="000-executive"), SourceFormat.ROO_MARKDOWN)
    assert "modes" in [g.name for g in lead.tool_groups]
    assert [g.name for g in boss.tool_groups] == ["read", "modes"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"slug": "bad slug", "level": "033-worker-x"}, "is not valid"),
        ({"slug": "ok", "level": "033-worker-x", "escalates_to": ["no/pe"]}, "referenced slug"),
        ({"slug": "ok", "level": "manager"}, "is not a level id"),
        ({"slug": "ok", "level": "932-worker"}, "is not a level id"),
        ({"slug": "ok", "level": "033-worker-x", "delegates_to": ["ok"]}, "itself"),
    ],
)
def test_bad_input_is_a_config_error_with_a_fix(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        new_mode(**kwargs)  # type: ignore[arg-type]
