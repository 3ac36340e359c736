"""Every real folder layout loads whole, and nothing that looks like a mode is skipped silently.

The trees are written here in the shapes of public catalogs (see the catalogs'
manifest): nested Claude Code collections, one-mode-per-file Roo Code folders with
and without the `customModes` wrapper, Roo Commander v6.3 bare JSON objects, v8 TOML
mode folders with templates, v8.1 bare YAML objects, stray Markdown beside agents.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from modegraph.findings import Code, Severity
from modegraph.modes.catalog.discovery import discover, walk
from modegraph.modes.catalog.layers import load_catalog
from modegraph.modes.catalog.loader import MAX_FILE_BYTES, load_file, load_paths
from modegraph.modes.formats.reading import ReadResult


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def agent(name: str, extra: str = "") -> str:
    return f"---\nname: {name}\ndescription: Use for {name} work.\n{extra}---\nYou do {name}.\n"


def codes(result: ReadResult, severity: Severity | None = None) -> list[Code]:
    return [f.code for f in result.findings if severity is None or f.severity is severity]


def slugs(result: ReadResult) -> list[str]:
    return sorted(mode.slug for mode in result.modes)


def test_a_nested_claude_collection_loads_whole(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "categories/01-core/api-designer.md": agent("api-designer", "tools: Read, Write\n"),
            "categories/01-core/README.md": "# Core\n\nThe core agents.\n",
            "categories/01-core/.claude-plugin/plugin.json": '{"name": "core"}',
            "categories/02-lang/python-pro.md": agent("python-pro", "model: sonnet\n"),
            "categories/02-lang/README.md": "# Languages\n",
            "plugins/api/agents/backend-architect.md": agent("api-backend-architect"),
            "plugins/web/agents/backend-architect.md": agent("web-backend-architect"),
        },
    )
    result = load_paths([tmp_path])
    assert slugs(result) == [
        "api-backend-architect",
        "api-designer",
        "python-pro",
        "web-backend-architect",
    ]
    assert result.findings == []  # READMEs and plugin manifests are not modes


def test_plain_markdown_beside_agents_is_a_finding_not_silence(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "marketing/tiktok-strategist.md": agent("tiktok-strategist"),
            "marketing/growth-hacker.md": "# Growth Hacker\n\n## Description\n\nGrows things.\n",
            "agents/notes.md": "Some notes with no front matter.\n",
            "docs/guide.md": "# Guide\n\nNot beside any agent.\n",
            ".claude/commands/review.md": "Review the diff.\n",
        },
    )
    result = load_paths([tmp_path])
    assert slugs(result) == ["tiktok-strategist"]
    stray = [(f.path, f.line, f.severity) for f in result.findings if f.code is Code.NOT_A_MODE]
    assert stray == [
        (str(tmp_path / "agents" / "notes.md"), 1, Severity.WARNING),
        (str(tmp_path / "marketing" / "growth-hacker.md"), 1, Severity.WARNING),
    ]


def roo(slug: str) -> dict[str, object]:
    return {
        "slug": slug,
        "name": slug.title(),
        "roleDefinition": f"You {slug}.",
        "groups": ["read"],
    }


def test_one_mode_per_file_yaml_folders_load_whole(tmp_path: Path) -> None:
    wrapped = (
        "customModes:\n  - slug: {slug}\n    name: {slug}\n    roleDefinition: r\n"
        "    groups: [read]\n"
    )
    write(
        tmp_path,
        {
            "custom_modes.d/ai/ai-engineer.yaml": wrapped.format(slug="ai-engineer"),
            "custom_modes.d/context/context-manager.yaml": wrapped.format(slug="context-manager"),
            "custom_modes.d/api-designer.yaml": wrapped.format(slug="api-designer"),
            "custom_modes.d/bare.yml": "slug: bare\nname: Bare\nroleDefinition: r\ngroups: []\n",
            "custom_modes.d/README.md": "# Modes\n",
        },
    )
    result = load_paths([tmp_path / "custom_modes.d"])
    assert slugs(result) == ["ai-engineer", "api-designer", "bare", "context-manager"]
    assert codes(result, Severity.ERROR) == []


def test_a_folder_of_bare_json_mode_objects_loads_whole(tmp_path: Path) -> None:
    for slug in ("roo-commander", "react-specialist", "git-manager"):
        data = {**roo(slug), "customInstructions": "First:\\n\\n1. Plan\\n2. Act", "tags": ["x"]}
        write(tmp_path, {f"v6.3/modes/{slug}.json": json.dumps(data, indent=2)})
    result = load_paths([tmp_path / "v6.3" / "modes"])
    assert slugs(result) == ["git-manager", "react-specialist", "roo-commander"]
    assert codes(result, Severity.ERROR) == []
    assert all(mode.custom_instructions == "First:\n\n1. Plan\n2. Act" for mode in result.modes)


TOML_MODE = """+++
id = "{slug}"
name = "{name}"
classification = "{classification}"
summary = "Does {slug} work"
system_prompt = "You are {slug}."
[metadata]
delegate_to = [{delegates}]
+++
Instructions.
"""


def v8_project(root: Path) -> None:
    def mode(slug: str, classification: str, delegates: str = "") -> str:
        return TOML_MODE.format(
            slug=slug, name=slug.title(), classification=classification, delegates=delegates
        )

    write(
        root,
        {
            ".roomodes": json.dumps({"customModes": [roo("roo-commander"), roo("manager-data")]}),
            ".roo/commander/modes/roo-commander/roo-commander.mode.md": mode(
                "roo-commander", "core", '"manager-data"'
            ),
            ".roo/commander/modes/roo-commander/kb/README.md": "# Knowledge\n",
            ".roo/commander/modes/manager-data/manager-data.mode.md": mode(
                "manager-data", "director", '"data-ideator"'
            ),
            # misplaced inside its knowledge base, as in the real v8.0.0 branch
            ".roo/commander/modes/data-ideator/kb/data-ideator.mode.md": mode(
                "data-ideator", "squad"
            ),
            ".roo/commander/templates/modes/squad/template_00_squad.mode.md": mode(
                "[squad-member-mode-slug]", "squad"
            ),
            ".roo/commander/templates/tasks/template_00_task.md": "+++\nid = 'x'\n+++\n",
            ".roo/rules/01-rules.md": "# Rules\n\nBe kind.\n",
        },
    )


def test_roo_commander_v8_project_loads_with_templates_reported(tmp_path: Path) -> None:
    v8_project(tmp_path)
    result = load_paths([tmp_path])
    catalog_slugs = {mode.slug for mode in result.modes}
    assert catalog_slugs == {"data-ideator", "manager-data", "roo-commander"}
    assert codes(result, Severity.ERROR) == []  # no duplicate-slug, no invalid-slug
    overridden = [f for f in result.findings if f.code is Code.OVERRIDDEN]
    assert len(overridden) == 2 and all(f.severity is Severity.INFO for f in overridden)
    (template,) = [f for f in result.findings if f.code is Code.TEMPLATE_SKIPPED]
    assert template.path == str(tmp_path / ".roo" / "commander" / "templates")
    assert template.message.startswith("1 mode-like file")
    # the per-mode file wins over the .roomodes copy it was built from
    last = {mode.slug: mode for mode in result.modes}
    assert last["roo-commander"].level == "core"


def test_bare_yaml_mode_objects_of_v8_1_load(tmp_path: Path) -> None:
    mode = "slug: {0}\nname: {0}\ndescription: d\nroleDefinition: r\nwhenToUse: w\ngroups: [read]\n"
    write(tmp_path, {f".roo/commander/modes/{s}.yaml": mode.format(s) for s in ("a-b", "c-d")})
    assert slugs(load_paths([tmp_path])) == ["a-b", "c-d"]


def test_a_template_outside_a_templates_folder_is_skipped_with_an_info(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "mode_template.md": "# Mode: [Mode Name] (`[mode_slug]`)\n\n## Metadata\n"
            "**Level:** 030-worker\n",
            "real.mode.md": "# Mode: Real (`real`)\n\n## Metadata\n**Level:** 030-worker\n",
        },
    )
    result = load_paths([tmp_path])
    assert slugs(result) == ["real"]
    (skipped,) = result.findings
    assert (skipped.code, skipped.severity, skipped.line) == (
        Code.TEMPLATE_SKIPPED,
        Severity.INFO,
        1,
    )
    assert "'[mode_slug]'" in skipped.message


def test_symlink_loops_are_findings_not_tracebacks(tmp_path: Path) -> None:
    modes = tmp_path / "modes"
    write(modes, {"good.mode.yaml": "slug: good\nname: Good\n"})
    os.symlink("loop.mode.md", modes / "loop.mode.md")  # a file link to itself
    os.symlink(".", modes / "again")  # a folder link back into the tree
    os.symlink("b-link", modes / "a-link")
    os.symlink("a-link", modes / "b-link")
    result = load_paths([modes])
    assert slugs(result) == ["good"]
    (loop,) = result.findings
    assert loop.code is Code.UNREADABLE_FILE
    assert loop.path == str(modes / "loop.mode.md")
    # every catalog command loads through layers, which used to crash in _SeenFiles
    catalog = load_catalog(paths=[modes, modes / "loop.mode.md"], discover=False)
    assert catalog.slugs == ["good"]


def test_a_file_over_the_size_limit_is_refused_at_once(tmp_path: Path) -> None:
    big = tmp_path / "huge.mode.md"
    with big.open("wb") as handle:  # sparse: nothing is written, the size is what counts
        handle.truncate(MAX_FILE_BYTES + 1)
    result = load_file(big)
    (error,) = result.findings
    assert (error.code, error.severity, error.line) == (Code.FILE_TOO_LARGE, Severity.ERROR, 1)
    assert "10.0 MiB" in error.message and "at most 10.0 MiB" in error.message
    assert error.hint and "split" in error.hint


def test_an_unreadable_folder_is_a_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"ok/a.mode.yaml": "slug: a\nname: A\n", "closed/b.mode.yaml": "slug: b\n"})
    closed = str(tmp_path / "closed")
    scandir = os.scandir

    def refuse(path: str) -> object:  # as chmod 000 would, even for root
        if os.fspath(path) == closed:
            raise PermissionError(13, "Permission denied", closed)
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    found = walk(tmp_path)
    assert [p.name for p in found.files] == ["a.mode.yaml"]
    (error,) = found.findings
    assert (error.code, error.path) == (Code.UNREADABLE_FILE, closed)
    assert "Permission denied" in error.message


def test_collections_load_before_the_mode_files_that_override_them(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a/a.mode.yaml": "slug: a\nname: From the file\n",
            "z/.roomodes": json.dumps({"customModes": [roo("a")]}),
        },
    )
    assert [p.name for p in discover(tmp_path)] == [".roomodes", "a.mode.yaml"]
    result = load_paths([tmp_path])
    assert result.modes[-1].name == "From the file"
    assert codes(result) == [Code.OVERRIDDEN]


def test_notes_beside_roo_commander_modes_are_not_called_stray_agents(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "modes/react/031-react.mode.md": "# Mode: React (`react`)\n\n## Metadata\n"
            "**Level:** 031-worker-frontend\n",
            "modes/react/notes.md": "# Notes\n\nHow this mode came about.\n",
        },
    )
    result = load_paths([tmp_path])
    assert slugs(result) == ["react"]
    assert result.findings == []


def test_a_readme_copied_into_claude_agents_is_not_an_agent(tmp_path: Path) -> None:
    # People copy a whole collection, README included, into .claude/agents/.
    write(
        tmp_path,
        {
            ".claude/agents/README.md": "# Our agents\n\nA list of the agents.\n",
            ".claude/agents/changelog.md": "## 1.0\n- first\n",
            ".claude/agents/api-builder.md": agent("api-builder"),
        },
    )
    result = load_paths([tmp_path / ".claude" / "agents"])
    assert slugs(result) == ["api-builder"]
    assert result.findings == []
