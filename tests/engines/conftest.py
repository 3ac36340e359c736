"""Helpers for the engine tests: a task's journal with its times and ids taken out."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

_TIMES = [
    (re.compile(r"^(created|updated) = .*$", re.MULTILINE), r"\1 = T"),
    (re.compile(r"\*\*\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\*\*"), "**T**"),
    (re.compile(r" at=\S+ -->"), " at=T -->"),
]

JournalFiles = Callable[[Path, str], dict[str, str]]
"""(journal root, root task id) -> {file name with the id as TASK: text without times}."""


def journal_files(root: Path, task_id: str) -> dict[str, str]:
    """Every file of a task (root and subtasks), with times and the task id masked."""
    files: dict[str, str] = {}
    for path in sorted((root / "tasks").glob(f"{task_id}*.md")):
        if path.stem != task_id and not path.stem.startswith(f"{task_id}."):
            continue  # a task whose id merely starts the same (TASK-X-2 for TASK-X)
        text = path.read_text(encoding="utf-8")
        for pattern, replacement in _TIMES:
            text = pattern.sub(replacement, text)
        files[path.name.replace(task_id, "TASK")] = text.replace(task_id, "TASK")
    return files


@pytest.fixture
def same_journal() -> JournalFiles:
    return journal_files
