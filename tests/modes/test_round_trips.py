"""Every format converts to every other format and reads back, for every pair.

For each source format (Roo Commander Markdown, Roo Commander TOML, Roo Code
`.roomodes`, Claude Code agents, modegraph YAML, CrewAI) and each target of
`modes convert --to` (roomodes, claude, markdown, yaml, crewai): the modes are read,
written, and the output folder is read back as `--modes DIR` reads it. The fields the
target holds come back equal; Markdown and YAML hold everything. The command line
does the same round trip through files (`convert -o DIR`, then `modes list --modes DIR`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from modegraph.cli import app
from modegraph.findings import Code, Severity
from modegraph.modes.catalog.loader import load_paths
from modegraph.modes.formats.writers import TargetFormat, write_modes
from modegraph.modes.model import Mode
from modegraph.modes.names import name_from_slug

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "src" / "modegraph" / "library"
FIXTURES = Path(__file__).parent / "fixtures"

ROOMODES = {
    "customModes": [
        {
            "slug": "docs-writer",
            "name": "📝 Docs Writer",
            "description": "Writes the docs.",
            "roleDefinition": "You write clear documentation.",
            "whenToUse": "For READMEs and guides.",
            "customInstructions": "Keep pages short.",
            "groups": ["read", ["edit", {"fileRegex": "\\.md$", "description": "Markdown"}]],
            "apiConfiguration": {"model": "sonnet"},
        },
        {
            "slug": "cicd-specialist",
            "name": "CI/CD Specialist",
            "roleDefinition": "You keep the pipelines green.",
            "groups": ["read", "command"],
        },
    ]
}
CLAUDE = {
    "sql-pro.md": "---\nname: sql-pro\ndescription: Writes and tunes SQL queries.\n"
    "tools: Read, Grep, Bash, TodoWrite\nmodel: sonnet\ncolor: blue\n---\nYou write SQL.\n",
    "helper.md": "---\nname: helper\ndescription: Helps with anything.\nmodel: inherit\n---\n"
    "You help.\n",
}
NATIVE = """\
modes:
  - slug: qa-lead
    name: QA Lead
    emoji: 🧪
    level: 020-lead-qa
    description: Owns test strategy.
    when_to_use: For test plans.
    capabilities: [Plan tests, Review coverage]
    workflow: [Read the change, Plan, Check]
    role_definition: You lead quality.
    custom_instructions: Prefer fast tests.
    tool_groups: [read, command]
    tags: [qa, testing]
    categories: [Quality]
    stack: [pytest]
    delegates_to: [{slug: qa-engineer, note: For test code}]
    escalates_to: [technical-architect]
    model: openai:gpt-4o-mini
  - slug: qa-engineer
    name: QA Engineer
    level: 034-worker-qa
    role_definition: You write tests.
    tool_groups: [read, edit, command]
    reports_to: [qa-lead]
"""
CREW_AGENTS = """\
researcher:
  role: Senior Researcher
  goal: Find what is known about {topic}
  backstory: You read everything.
  llm: openai/gpt-4o
  allow_delegation: true
writer:
  role: ✍️ Writer
  goal: Turn research into an article
  backstory: You write plainly.
  tools: [file_writer_tool]
"""
CREW_TASKS = """\
research:
  description: Research {topic}.
  expected_output: Ten facts.
  agent: researcher
"""


def _roo_markdown(folder: Path) -> None:
    for name in ("fastapi-developer.mode.md", "technical-writer.mode.md"):
        (folder / name).write_bytes((LIBRARY / name).read_bytes())


def _roo_toml(folder: Path) -> None:
    (folder / "fastapi.mode.md").write_bytes((FIXTURES / "toml_full.mode.md").read_bytes())


def _roomodes(folder: Path) -> None:
    (folder / ".roomodes").write_text(json.dumps(ROOMODES, indent=2), encoding="utf-8")


def _claude(folder: Path) -> None:
    for name, text in CLAUDE.items():
        (folder / name).write_text(text, encoding="utf-8")


def _native(folder: Path) -> None:
    (folder / "qa.mode.yaml").write_text(NATIVE, encoding="utf-8")


def _crewai(folder: Path) -> None:
    (folder / "agents.yaml").write_text(CREW_AGENTS, encoding="utf-8")
    (folder / "tasks.yaml").write_text(CREW_TASKS, encoding="utf-8")


SOURCES: dict[str, Callable[[Path], None]] = {
    "roo-markdown": _roo_markdown,
    "roo-toml": _roo_toml,
    "roomodes": _roomodes,
    "claude": _claude,
    "yaml": _native,
    "crewai": _crewai,
}
TARGETS = list(TargetFormat)
ALLOWED_ON_REREAD = {Code.DEPRECATED_TOOL_GROUP, Code.OVERRIDDEN}
"""A `browser` group written to Markdown or YAML is a warning on every read."""


def read_folder(folder: Path) -> list[Mode]:
    result = load_paths([folder])
    problems = [
        f.format()
        for f in result.findings
        if f.severity is not Severity.INFO and f.code not in ALLOWED_ON_REREAD
    ]
    assert problems == []
    return result.modes


def content(mode: Mode) -> dict[str, Any]:
    data = mode.model_dump(exclude={"source"})
    for key in ("delegates_to", "escalates_to", "reports_to"):
        data[key] = [(ref["slug"], ref["note"]) for ref in data[key]]
    data["tool_groups"] = [
        (group["name"], group["file_regex"], group["description"]) for group in data["tool_groups"]
    ]
    return data


def prompt(mode: Mode) -> str:
    return "\n\n".join(
        p.strip("\n") for p in (mode.role_definition, mode.custom_instructions) if p.strip()
    )


def check(target: TargetFormat, before: Mode, after: Mode) -> None:
    """The fields `target` holds came back equal."""
    old, new = content(before), content(after)
    if target in (TargetFormat.MARKDOWN, TargetFormat.YAML):
        assert new == old
        return
    assert new["slug"] == old["slug"]
    if target is TargetFormat.ROOMODES:
        for field in (
            "name",
            "emoji",
            "description",
            "when_to_use",
            "role_definition",
            "custom_instructions",
            "tool_groups",
            "tags",
            "model",
        ):
            assert new[field] == old[field], field
    elif target is TargetFormat.CLAUDE:
        assert after.name == name_from_slug(before.slug)
        described = before.description or before.when_to_use
        if described:
            assert after.description == " ".join(described.split())
        assert after.role_definition == prompt(before)
        kept = [g for g in before.tool_groups if g.name != "mcp"]
        if {g.name for g in before.tool_groups} != {g.name for g in after.tool_groups}:
            assert [g.name for g in after.tool_groups] == [g.name for g in kept]
    else:  # crewai
        assert (after.name, after.emoji) == (before.name, before.emoji)
        if before.description or before.when_to_use:  # else a goal is made up, and said so
            assert after.description == (before.description or before.when_to_use)
        assert after.role_definition == prompt(before)
        assert after.model == before.model


@pytest.mark.parametrize("target", TARGETS, ids=str)
@pytest.mark.parametrize("source", list(SOURCES))
def test_every_format_to_every_format_and_back(
    source: str, target: TargetFormat, tmp_path: Path
) -> None:
    origin = tmp_path / "in"
    origin.mkdir()
    SOURCES[source](origin)
    modes = read_folder(origin)
    assert modes
    written = write_modes(modes, to=target)
    out = tmp_path / "out"
    out.mkdir()
    for file in written.files:
        (out / file.name).write_text(file.text, encoding="utf-8")
    again = {mode.slug: mode for mode in read_folder(out)}
    assert sorted(again) == sorted(mode.slug for mode in modes)
    for mode in modes:
        check(target, mode, again[mode.slug])


runner = CliRunner()


@pytest.mark.parametrize("target", TARGETS, ids=str)
@pytest.mark.parametrize("source", list(SOURCES))
def test_convert_output_folders_read_back_with_modes(
    source: str, target: TargetFormat, tmp_path: Path
) -> None:
    origin = tmp_path / "in"
    origin.mkdir()
    SOURCES[source](origin)
    out = tmp_path / "converted"
    converted = runner.invoke(
        app, ["modes", "convert", str(origin), "--to", target.value, "-o", str(out)]
    )
    assert converted.exit_code == 0, converted.output
    # one mode written to a name that is not a folder is one file: --modes reads it too
    listed = runner.invoke(app, ["modes", "list", "--json", "--no-discover", "--modes", str(out)])
    assert listed.exit_code == 0, listed.output
    before = runner.invoke(
        app, ["modes", "list", "--json", "--no-discover", "--modes", str(origin)]
    )

    def files(listing: str) -> list[str]:
        # the built-in orchestrator comes and goes with the edges a format can carry
        rows = json.loads(listing)["modes"]
        return sorted(row["slug"] for row in rows if row["layer"] != "built-in")

    assert files(listed.stdout) == files(before.stdout)
