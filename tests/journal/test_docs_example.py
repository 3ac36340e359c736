"""The README's example task file is exactly what the journal writes, and reads back."""

from __future__ import annotations

from pathlib import Path

from modegraph.journal import RouteStep, SubtaskResult, TaskRecord, parse_record
from modegraph.journal.store import document_from_record

from .test_format import SMALL

README = Path(__file__).parents[2] / "README.md"


def readme_example() -> str:
    section = README.read_text(encoding="utf-8").split("## The task journal", 1)[1]
    return section.split("````markdown\n", 1)[1].split("````", 1)[0]


def test_readme_example_is_what_the_journal_writes() -> None:
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
    example = readme_example()
    assert document_from_record(record).render() == example
    assert parse_record(example, path=Path("example.md")) == record
