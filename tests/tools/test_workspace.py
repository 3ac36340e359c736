"""Workspace.resolve: the sandbox's path rules, and a property test over random paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modegraph.errors import ToolRefused
from modegraph.tools import PathKind, Workspace


def test_relative_and_absolute_paths_inside_resolve_to_the_same_file(root: Path) -> None:
    ws = Workspace(root)
    by_relative = ws.resolve("app/main.py")
    by_absolute = ws.resolve(str(root / "app" / "main.py"))
    assert by_relative == by_absolute
    assert by_relative.relative == "app/main.py"
    assert by_relative.absolute == Path(os.path.realpath(root)) / "app" / "main.py"
    assert str(by_relative) == "app/main.py"


def test_dot_segments_and_inner_dotdot_are_normalised(root: Path) -> None:
    ws = Workspace(root)
    assert ws.resolve("./docs/../app/./main.py").relative == "app/main.py"
    assert ws.resolve("docs//guide.md").relative == "docs/guide.md"


def test_symlink_inside_the_workspace_resolves_to_its_target(root: Path) -> None:
    assert Workspace(root).resolve("readme.md").relative == "app/main.py"


def test_root_is_a_directory_not_a_file(root: Path) -> None:
    ws = Workspace(root)
    assert ws.resolve(".", kind=PathKind.DIRECTORY).relative == "."
    with pytest.raises(ToolRefused, match="workspace root, not a file"):
        ws.resolve(".")


def test_a_workspace_reached_through_a_symlink_still_works(root: Path, tmp_path: Path) -> None:
    alias = tmp_path / "alias"
    alias.symlink_to(root, target_is_directory=True)
    ws = Workspace(alias)
    assert ws.resolve(str(alias / "app" / "main.py")).relative == "app/main.py"


def test_root_must_be_a_directory(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError):
        Workspace(tmp_path / "missing")


def test_case_insensitive_workspace_uses_on_disk_spelling(root: Path) -> None:
    ws = Workspace(root, case_insensitive=True)
    assert ws.resolve("APP/Main.PY").relative == "app/main.py"
    assert ws.resolve("App/new_file.py").relative == "app/new_file.py"
    assert ws.resolve("NEW/File.py").relative == "NEW/File.py"


def test_case_probe_on_this_file_system(tmp_path: Path) -> None:
    (tmp_path / "probe").mkdir()
    expected = (tmp_path / "PROBE").exists()
    assert Workspace(tmp_path / "probe").case_insensitive is expected


_SEGMENTS = st.sampled_from(
    ["..", ".", "app", "docs", "linkdir", "link.txt", "readme.md", "x.md", "", "APP", "..."]
)


@settings(
    max_examples=300,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(parts=st.lists(_SEGMENTS, min_size=1, max_size=6), absolute=st.booleans())
def test_any_path_resolves_inside_the_root_or_is_refused(
    root: Path, parts: list[str], absolute: bool
) -> None:
    ws = Workspace(root, case_insensitive=False)
    text = "/".join(parts)
    if absolute:
        text = str(root) + "/" + text
    try:
        resolved = ws.resolve(text, kind=PathKind.DIRECTORY)
    except ToolRefused:
        return
    real = Path(os.path.realpath(resolved.absolute))
    assert real == ws.root or ws.root in real.parents
    assert not resolved.relative.startswith("..")
    assert ".." not in resolved.relative.split("/")


def test_case_insensitive_lookup_ignores_unicode_normal_form(root: Path) -> None:
    (root / "caf\u00e9.md").write_text("composed")
    ws = Workspace(root, case_insensitive=True)
    assert ws.resolve("CAFE\u0301.MD").relative == "caf\u00e9.md"


_WRITE_SEGMENTS = st.sampled_from(
    [
        "..",
        ".",
        "docs",
        "app",
        "readme.md",
        "x.md",
        "x.py",
        "X.MD",
        "linkdir",
        "",
        "a\\b.md",
        "x.md.py",
        "notes.md ",
        "link.txt",
        ".git",
        "main.py",
    ]
)


def _snapshot(base: Path) -> dict[Path, bytes]:
    return {
        p: p.read_bytes()
        for p in base.rglob("*")
        if p.is_file() and not p.is_symlink() and ".tmp" not in p.name
    }


@settings(
    max_examples=200,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(parts=st.lists(_WRITE_SEGMENTS, min_size=1, max_size=5))
def test_a_markdown_writer_only_ever_changes_markdown_inside_the_workspace(
    tools_for, root: Path, parts: list[str]
) -> None:
    from modegraph.modes.model import Mode, ToolGroup

    writer = Mode(slug="w", name="W", tool_groups=(ToolGroup(name="edit", file_regex=r"\.md$"),))
    write = tools_for(writer)["write_file"]
    everything = root.parent
    before = _snapshot(everything)
    try:
        write.invoke({"path": "/".join(parts), "content": "# changed\n"})
    except ToolRefused:
        pass
    changed = [p for p, data in _snapshot(everything).items() if before.get(p) != data]
    for path in changed:
        relative = path.relative_to(root).as_posix()  # raises if outside the workspace
        assert relative.endswith(".md"), relative
