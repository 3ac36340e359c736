"""What a loaded mode shares with the others: results unchanged, less memory kept.

The sets of given fields are shared between look-alike models, and the strings a
catalog repeats (reference slugs and notes, tool group names, levels, emoji, tags) are
one object each; the file-name shortcut of `format_by_name` names files as `PurePath`.
"""

from __future__ import annotations

import random
from pathlib import Path, PurePath

from modegraph.modes.catalog.discovery import _file_name, format_by_name
from modegraph.modes.catalog.loader import load_paths
from modegraph.modes.model import Mode, Reference, SourceInfo, ToolGroup

MODE = """# Mode: 🛠️ {name} (`{slug}`)

## Description
A worker.

## Metadata

**Level:** 031-worker-backend

**Tool Groups:**
- read
- edit

**Tags:**
- python

**Escalates To:**
- `backend-lead` # For design decisions

**Reports To:**
- `backend-lead`
"""


def _load(tmp_path: Path, count: int) -> list[Mode]:
    for i in range(count):
        text = MODE.format(name=f"Worker {i}", slug=f"worker-{i}")
        (tmp_path / f"worker-{i}.mode.md").write_text(text, encoding="utf-8")
    result = load_paths([tmp_path])
    assert not result.findings
    return sorted(result.modes, key=lambda mode: int(mode.slug.split("-")[1]))


def test_look_alike_models_share_one_set_of_given_fields(tmp_path: Path) -> None:
    first, second = _load(tmp_path, 2)
    assert first.model_fields_set is second.model_fields_set
    assert first.source.model_fields_set is second.source.model_fields_set
    assert first.escalates_to[0].model_fields_set is second.reports_to[0].model_fields_set
    assert first.tool_groups[0].model_fields_set is second.tool_groups[1].model_fields_set
    # the value is what pydantic gave: the fields the reader passed
    assert first.source.model_fields_set == {"path", "line", "format"}
    assert first.escalates_to[0].model_fields_set == {"slug", "note", "line"}


def test_a_copy_with_updates_does_not_change_the_shared_set() -> None:
    one = Reference(slug="a", line=1)
    two = Reference(slug="b", line=2)
    assert one.model_fields_set is two.model_fields_set
    moved = one.model_copy(update={"note": "why"})
    assert moved.model_fields_set == {"slug", "line", "note"}
    assert one.model_fields_set == two.model_fields_set == {"slug", "line"}
    assert one.model_dump(exclude_unset=True) == {"slug": "a", "line": 1}
    assert moved.model_dump(exclude_unset=True) == {"slug": "a", "line": 1, "note": "why"}


def test_different_given_fields_keep_different_sets() -> None:
    bare = ToolGroup(name="read")
    limited = ToolGroup(name="edit", file_regex=r"\.md$")
    assert bare.model_fields_set == {"name"}
    assert limited.model_fields_set == {"name", "file_regex"}
    assert SourceInfo().model_fields_set == set()
    assert SourceInfo(path="x").model_fields_set == {"path"}


def test_repeated_strings_are_one_object(tmp_path: Path) -> None:
    first, second = _load(tmp_path, 2)
    assert first.escalates_to[0].slug is second.escalates_to[0].slug
    assert first.escalates_to[0].note is second.escalates_to[0].note
    assert first.tool_groups[0].name is second.tool_groups[0].name
    assert first.level is second.level == "031-worker-backend"
    assert first.emoji is second.emoji == "🛠️"
    assert first.tags[0] is second.tags[0] == "python"


def test_file_names_are_those_purepath_gives() -> None:
    fixed = [
        "",
        ".",
        "..",
        "/",
        "//",
        "a",
        "a/",
        "a/.",
        "a/..",
        "./a",
        "a//b",
        "/a/b.mode.md",
        ".roomodes",
        "x/.claude/agents/y.md",
        "x/.claude/agents/",
        "a/./b",
        "é/ü.MD",
        "a.",
    ]
    parts = ["a", "b.md", ".", "..", "", ".claude", "agents", "x.mode.md", " ", "c.MD"]
    generated = [
        "/".join(random.Random(seed).choices(parts, k=1 + seed % 4)) for seed in range(400)
    ]
    for path in fixed + generated:
        assert _file_name(path) == PurePath(path).name, path
        assert format_by_name(path) == format_by_name(PurePath(path)), path


def test_claude_agents_are_still_found_by_name() -> None:
    assert format_by_name("proj/.claude/agents/reviewer.md") is not None
    assert format_by_name("proj/agents/reviewer.md") is None
