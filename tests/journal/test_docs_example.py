"""The docs' example task file is exactly what the journal writes, and reads back."""

from __future__ import annotations

from pathlib import Path

import pytest

from modegraph.journal import RouteStep, SubtaskResult, TaskRecord, parse_record
from modegraph.journal.store import document_from_record

from .test_format import SMALL

PAGE = Path(__file__).parents[2] / "docs" / "journal.md"


def docs_example() -> str:
    section = PAGE.read_text(encoding="utf-8").split("## The file format", 1)[1]
    return section.split("````markdown\n", 1)[1].split("````", 1)[0]


def test_docs_example_is_what_the_journal_writes() -> None:
    record = TaskRecord.model_validate(
        SMALL.model_dump()
        | {
            "results": (
                SubtaskResult(
                    id="TASK-FASTAPI-20261127-091500.1",
                    role="database-specialist",
                    goal="Design the users table.",
                    summary="Added `users` with a unique email.",
                    references=("migrations/0001.py",),
                ),
            ),
            "route": (
                RouteStep(
                    source="fastapi-developer",
                    target="database-specialist",
                    reason="schema needs migrations",
                    kind="delegate",
                ),
                RouteStep(
                    source="fastapi-developer",
                    target="cicd-specialist",
                    reason="not an allowed target",
                    refused=True,
                ),
            ),
        }
    )
    example = docs_example()
    assert document_from_record(record).render() == example
    assert parse_record(example, path=Path("example.md")) == record


def test_docs_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    section = PAGE.read_text(encoding="utf-8").split("## From Python", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(code, "docs/journal.md", "exec"), {})
    (task,) = (tmp_path / "project_journal" / "tasks").glob("TASK-FASTAPI-*.md")
    assert "**References:** [`app/main.py`]" in task.read_text(encoding="utf-8")
