from pathlib import Path

import pytest

from modegraph.errors import ConfigError
from modegraph.modes.config import ProjectConfig, load_config, parse_config

FULL = """\
aliases:
  sql-specialist: database-specialist
approve: tier:director
commands:
  allow: ['^pytest ', '^uv run ']
browser:
  allow: true
mcp:
  servers:
    docs: {transport: stdio, command: docs-server, args: [--quiet]}
guards:
  max_depth: 4
  max_subtasks: 20
"""


def test_missing_file_is_the_default(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config == ProjectConfig()
    assert config.approve == "none"
    assert config.guards.max_depth is None
    assert config.browser.allow is False


def test_full_file_reads_every_section(tmp_path: Path) -> None:
    (tmp_path / "modegraph.yaml").write_text(FULL, encoding="utf-8")
    config = load_config(tmp_path)
    assert config.aliases == {"sql-specialist": "database-specialist"}
    assert config.approve_tier == "director"
    assert config.commands.allow == ("^pytest ", "^uv run ")
    assert config.browser.allow is True
    assert config.mcp.servers["docs"]["command"] == "docs-server"
    assert config.guards.max_depth == 4
    assert config.guards.max_subtasks == 20


def test_empty_file_is_the_default() -> None:
    assert parse_config("") == ProjectConfig()
    assert parse_config("# nothing yet\n") == ProjectConfig()


def test_config_is_frozen() -> None:
    config = parse_config("approve: escalations\n")
    with pytest.raises(ValueError, match="frozen"):
        config.approve = "none"  # type: ignore[misc]


def test_unknown_key_names_file_line_and_suggestion() -> None:
    text = "aliases: {}\nguards:\n  max_detph: 3\n"
    with pytest.raises(
        ConfigError,
        match=r"modegraph.yaml:3: unknown key 'guards.max_detph'; did you mean 'max_depth'",
    ):
        parse_config(text)


def test_unknown_top_level_key() -> None:
    with pytest.raises(ConfigError, match=r":2: unknown key 'aprove'; did you mean 'approve'"):
        parse_config("aliases: {}\naprove: none\n")


def test_bad_approve_value() -> None:
    with pytest.raises(
        ConfigError, match=r":1: approve: approve must be none, handoffs, escalations or tier:"
    ):
        parse_config("approve: always\n")


def test_bad_tier() -> None:
    with pytest.raises(ConfigError, match="tier:<executive"):
        parse_config("approve: tier:boss\n")


def test_bad_command_regex_has_line() -> None:
    with pytest.raises(ConfigError, match=r":4: commands.allow.1: invalid regular expression '\('"):
        parse_config("commands:\n  allow:\n    - ok\n    - '('\n")


def test_bad_guard_value() -> None:
    with pytest.raises(ConfigError, match=r":2: guards.max_depth"):
        parse_config("guards:\n  max_depth: 0\n")


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    (tmp_path / "modegraph.yaml").write_text("aliases:\n  a: b\n bad: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"modegraph.yaml:\d+: YAML syntax error"):
        load_config(tmp_path)


def test_not_a_mapping() -> None:
    with pytest.raises(ConfigError, match="must be a mapping"):
        parse_config("- a\n- b\n")


def test_alias_target_must_be_a_slug() -> None:
    with pytest.raises(ConfigError, match="not a valid slug"):
        parse_config("aliases:\n  old: 'new slug!'\n")


def test_config_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "modegraph.yaml").write_bytes(b"approve: \xff\xfe none\n")
    with pytest.raises(ConfigError, match=r"modegraph.yaml: cannot read the configuration"):
        load_config(tmp_path)


def test_approve_tier_is_none_unless_a_tier_is_named() -> None:
    assert parse_config("approve: escalations\n").approve_tier is None
    assert ProjectConfig().approve_tier is None


def test_approve_handoffs_is_accepted() -> None:
    assert parse_config("approve: handoffs\n").approve == "handoffs"
    with pytest.raises(ConfigError, match="none, handoffs, escalations or tier"):
        parse_config("approve: sometimes\n")
