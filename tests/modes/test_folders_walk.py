"""`_folders.folders` knows a folder's real path from its parent's, as `realpath` says.

The walk takes the real path of a folder that is no symlink from its parent's (one
`lstat`), and asks `os.path.realpath` for the others; the folders it yields, and the
ones it skips as already searched, are those of asking `realpath` for every folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from modegraph.modes.catalog._folders import Folder, folders, searched


def _every_folder_by_realpath(root: Path) -> list[Path]:
    """The walk as it was: `realpath` of every folder."""
    seen: set[str] = set()
    found: list[Path] = []
    for directory, subdirs, _ in os.walk(root, followlinks=True):
        real = os.path.realpath(directory)
        if real in seen:
            subdirs[:] = []
            continue
        seen.add(real)
        subdirs[:] = sorted(name for name in subdirs if searched(name))
        found.append(Path(directory))
    return found


def _tree(root: Path) -> None:
    for folder in ("a/b/c", "a/kb/deep", "d/e", "outside/x"):
        (root / folder).mkdir(parents=True)
        (root / folder / "m.mode.md").write_text("# Mode: M (`m`)\n", encoding="utf-8")
    (root / "a" / "to_d").symlink_to(root / "d")  # a second way into d
    (root / "d" / "e" / "loop").symlink_to(root / "a")  # back up: a loop
    (root / "a" / "b" / "rel").symlink_to(Path("..") / "kb")  # relative
    (root / "a" / "gone").symlink_to(root / "nowhere")  # dangling
    (root / "project").mkdir()
    (root / "project" / "out").symlink_to(root / "outside")


@pytest.mark.parametrize("start", [".", "a", "project", "a/to_d"])
def test_the_folders_walked_are_those_realpath_gives(tmp_path: Path, start: str) -> None:
    if not hasattr(os, "symlink"):
        pytest.skip("no symlinks here")
    _tree(tmp_path)
    root = tmp_path / start

    def unreadable(error: OSError) -> None:
        raise AssertionError(error)

    walked: list[Folder] = list(folders(root, unreadable))
    assert [folder.path for folder in walked] == _every_folder_by_realpath(root)
    assert len(walked) > 2


def test_a_symlinked_project_root_is_walked_the_same(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / "link").symlink_to(tmp_path / "a")
    root = tmp_path / "link"
    walked = [folder.path for folder in folders(root, lambda error: None)]
    assert walked == _every_folder_by_realpath(root)
