"""`modegraph journal list` and `modegraph journal show`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from modegraph.cli import app
from modegraph.journal import (
    Entry,
    EntryKind,
    Journal,
    RouteStep,
    SubtaskResult,
    TaskRecord,
    TaskStatus,
    child_task_id,
)

runner = CliRunner(env={"COLUMNS": "200"})
AT = datetime(2026, 11, 27, 9, 15, tzinfo=UTC)


def clock() -> Callable[[], datetime]:
    now = [AT]

    def tick() -> datetime:
        now[0] += timedelta(seconds=1)
        return now[0]

    return tick


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A journal with a closed root task, one subtask and one open task."""
    journal = Journal(tmp_path / "project_journal", clock=clock(), durable=False)
    task = journal.new_task_id(prefix="FASTAPI")
    journal.create(
        TaskRecord(
            id=task,
            title='Users "API" 🚀',
            goal="Build the users API with a **database**.",
            context="The seed task.",
            assigned_to="fastapi-developer",
            tags=("api",),
        )
    )
    journal.append(task, Entry(id="s", kind=EntryKind.STARTED, text="Started the work.", at=AT))
    journal.append(
        task,
        Entry(
            id="h",
            kind=EntryKind.HANDOFF,
            text="Handed off to `database-specialist` because of the schema.",
            at=AT,
        ),
    )
    sub = child_task_id(task, 1)
    journal.create(
        TaskRecord(
            id=sub,
            title="Schema",
            goal="Design the tables",
            assigned_to="database-specialist",
            coordinator=task,
        )
    )
    journal.close(sub, status=TaskStatus.COMPLETE, outcome="Success", summary="Tables made.")
    journal.set_results(
        task,
        results=[SubtaskResult(id=sub, role="database-specialist", summary="Tables made.")],
        route=[
            RouteStep(
                source="fastapi-developer",
                target="database-specialist",
                reason="schema",
                kind="delegate",
            ),
            RouteStep(
                source="fastapi-developer", target="cicd-specialist", reason="nope", refused=True
            ),
        ],
    )
    journal.close(
        task,
        status=TaskStatus.COMPLETE,
        outcome="Success",
        summary="Done.",
        references=["app/main.py"],
    )
    other = journal.new_task_id(prefix="DOCS")
    journal.create(TaskRecord(id=other, title="Write docs", assigned_to="technical-writer"))
    return journal.root


def ids_in_order(output: str, ids: list[str]) -> list[str]:
    return sorted(ids, key=output.index)


def test_list_newest_first(root: Path) -> None:
    result = runner.invoke(app, ["journal", "list", "--journal", str(root)])
    assert result.exit_code == 0, result.output
    ids = Journal(root).ids()
    assert len(ids) == 3
    assert "3 tasks" in result.stdout
    assert 'Users "API" 🚀' in result.stdout
    assert "fastapi-developer" in result.stdout and "technical-writer" in result.stdout
    # the subtask closed, then the root was updated last, the docs task was created after
    order = ids_in_order(result.stdout, [i for i in ids if not i.endswith(".1")])
    assert order[0].startswith("TASK-DOCS")


def test_list_json_is_one_array(root: Path) -> None:
    result = runner.invoke(app, ["journal", "list", "--json", "--journal", str(root)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 3
    assert set(data[0]) == {
        "id",
        "title",
        "status",
        "type",
        "assigned_to",
        "coordinator",
        "created",
        "updated",
        "tags",
        "entries",
        "path",
    }
    updated = [item["updated"] for item in data]
    assert updated == sorted(updated, reverse=True)
    sub = next(item for item in data if item["id"].endswith(".1"))
    assert sub["coordinator"] == sub["id"][:-2]
    assert sub["status"] == "complete"


@pytest.mark.parametrize(
    ("word", "count"), [("complete", 2), ("done", 2), ("open", 1), ("failed", 0)]
)
def test_list_status_filter(root: Path, word: str, count: int) -> None:
    result = runner.invoke(
        app, ["journal", "list", "--status", word, "--json", "--journal", str(root)]
    )
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == count


def test_list_bad_status_is_a_usage_error(root: Path) -> None:
    result = runner.invoke(app, ["journal", "list", "--status", "pending", "--journal", str(root)])
    assert result.exit_code == 2
    assert "unknown task status 'pending'; use one of: open, in_progress" in result.stderr


def test_list_of_an_empty_journal(tmp_path: Path) -> None:
    result = runner.invoke(app, ["journal", "list", "--journal", str(tmp_path / "none")])
    assert result.exit_code == 0
    assert "No tasks in" in result.stdout
    result = runner.invoke(app, ["journal", "list", "--json", "--journal", str(tmp_path / "none")])
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize("command", [["list"], ["show", "TASK-1"]])
def test_a_journal_that_is_a_file_is_a_usage_error(tmp_path: Path, command: list[str]) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a journal\n", encoding="utf-8")
    result = runner.invoke(app, ["journal", *command, "--journal", str(notes)])
    assert result.exit_code == 2
    assert "is a file, not a directory" in result.stderr
    assert notes.read_text(encoding="utf-8") == "not a journal\n"


def test_list_skips_an_unreadable_file_with_a_warning(root: Path) -> None:
    (root / "tasks" / "BROKEN-1.md").write_text('+++\ntitle = "x\n+++\n', encoding="utf-8")
    result = runner.invoke(app, ["journal", "list", "--json", "--journal", str(root)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 3
    assert "warning: skipped an unreadable task file" in result.stderr
    assert "BROKEN-1.md" in result.stderr


def test_show_renders_the_task(root: Path) -> None:
    task = next(i for i in Journal(root).ids() if i.startswith("TASK-FASTAPI") and "." not in i)
    result = runner.invoke(app, ["journal", "show", task, "--journal", str(root)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in (
        task,
        'Users "API" 🚀',
        "Build the users API with a database.",
        "Started the work.",
        "Handed off to database-specialist because of the schema.",
        "✅ Complete",
        "app/main.py",
        "Merged results",
        "Tables made.",
        "fastapi-developer ⇒ database-specialist  delegated: schema",
        "fastapi-developer ✕ cicd-specialist  refused: nope",
        f"{task}.1",
    ):
        assert text in out, text


def test_show_raw_prints_the_file(root: Path) -> None:
    journal = Journal(root)
    task = journal.ids()[0]
    result = runner.invoke(app, ["journal", "show", task, "--raw", "--journal", str(root)])
    assert result.exit_code == 0
    assert result.stdout == journal.path(task).read_text(encoding="utf-8")


def test_show_json(root: Path) -> None:
    journal = Journal(root)
    task = next(i for i in journal.ids() if i.startswith("TASK-FASTAPI") and "." not in i)
    result = runner.invoke(app, ["journal", "show", task, "--json", "--journal", str(root)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["id"] == task
    assert [e["kind"] for e in data["entries"]] == ["started", "handoff"]
    assert data["closing"]["status"] == "complete"
    assert data["route"][1]["refused"] is True
    assert data["subtasks"] == [f"{task}.1"]
    assert data["path"].endswith(f"{task}.md")


def test_show_unknown_id_names_the_nearest(root: Path) -> None:
    task = Journal(root).ids()[0]
    wrong = task[:-1] + ("9" if task[-1] != "9" else "8")
    result = runner.invoke(app, ["journal", "show", wrong, "--journal", str(root)])
    assert result.exit_code == 1
    assert f"no task {wrong}" in result.stderr
    assert "nearest known ids" in result.stderr
    assert task in result.stderr


def test_show_unknown_id_with_none_close_counts_the_files(root: Path) -> None:
    count = len(Journal(root).ids())
    result = runner.invoke(app, ["journal", "show", "TASK-NOPE", "--journal", str(root)])
    assert result.exit_code == 1
    assert "no task TASK-NOPE" in result.stderr
    assert f"none of its {count} task files has a close id" in result.stderr
    assert "holds no task files" not in result.stderr


def test_show_unknown_id_in_an_empty_journal(tmp_path: Path) -> None:
    result = runner.invoke(app, ["journal", "show", "TASK-NOPE", "--journal", str(tmp_path)])
    assert result.exit_code == 1
    assert "it holds no task files" in result.stderr


def test_show_rejects_bad_ids_and_option_mixes(root: Path) -> None:
    result = runner.invoke(app, ["journal", "show", "../../etc/passwd", "--journal", str(root)])
    assert result.exit_code == 1
    assert "not a valid task id" in result.stderr
    task = Journal(root).ids()[0]
    result = runner.invoke(
        app, ["journal", "show", task, "--raw", "--json", "--journal", str(root)]
    )
    assert result.exit_code == 2
    assert "--raw and --json cannot be used together" in result.stderr


def test_default_journal_is_project_journal(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(root.parent)
    result = runner.invoke(app, ["journal", "list", "--json"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 3


def test_list_on_a_narrow_terminal_uses_two_lines_a_task(root: Path) -> None:
    narrow = CliRunner(env={"COLUMNS": "80"})
    result = narrow.invoke(app, ["journal", "list", "--journal", str(root)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    task = next(i for i in Journal(root).ids() if i.startswith("TASK-DOCS"))
    at = next(n for n, line in enumerate(lines) if line.startswith(task))
    assert "open" in lines[at] and "technical-writer" in lines[at]
    assert lines[at + 1].strip().endswith("Write docs")


def test_the_journal_of_a_real_run_reads_back(tmp_path: Path) -> None:
    root = tmp_path / "jj"
    goal = "Add a users API with a Postgres schema and deploy it with Docker"
    ran = runner.invoke(
        app, ["run", goal, "--mode", "fastapi-developer", "--journal", str(root), "--json"]
    )
    assert ran.exit_code == 0, ran.output
    task = json.loads(ran.stdout[ran.stdout.index("{") :])["task_id"]
    listed = json.loads(
        runner.invoke(app, ["journal", "list", "--json", "--journal", str(root)]).stdout
    )
    ids = {item["id"] for item in listed}
    assert task in ids and len(ids) >= 3
    assert all(item["coordinator"] == task for item in listed if item["id"] != task)
    shown = runner.invoke(app, ["journal", "show", task, "--json", "--journal", str(root)])
    data = json.loads(shown.stdout)
    assert data["status"] == "complete"
    assert len(data["results"]) == len(ids) - 1
    assert {step["target"] for step in data["route"]} >= {"database-specialist"}
    assert "handoff" in {entry["kind"] for entry in data["entries"]}
    raw = runner.invoke(app, ["journal", "show", task, "--raw", "--journal", str(root)]).stdout
    assert "```mermaid" in raw and "## Merged results" in raw


def test_show_a_subtask_and_a_bare_task(root: Path) -> None:
    journal = Journal(root)
    sub = next(i for i in journal.ids() if i.endswith(".1"))
    out = runner.invoke(app, ["journal", "show", sub, "--journal", str(root)]).stdout
    assert "coordinator" in out and sub[:-2] in out
    assert "Design the tables" in out and "Tables made." in out
    journal.create(TaskRecord(id="BARE-1", title=""))
    result = runner.invoke(app, ["journal", "show", "BARE-1", "--journal", str(root)])
    assert result.exit_code == 0, result.output
    assert "BARE-1" in result.stdout and "Log" not in result.stdout


def test_markup_in_titles_and_roles_is_shown_literally(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j")
    journal.create(
        TaskRecord(
            id="T-1", title="[bold]not bold[/bold] [red]", assigned_to="[x]-role", tags=("[t]",)
        )
    )
    journal.close("T-1", status=TaskStatus.COMPLETE, outcome="[ok]", references=["[a].py"])
    listed = runner.invoke(app, ["journal", "list", "--journal", str(tmp_path / "j")])
    assert listed.exit_code == 0, listed.output
    assert "[bold]not bold[/bold] [red]" in listed.stdout and "[x]-role" in listed.stdout
    shown = runner.invoke(app, ["journal", "show", "T-1", "--journal", str(tmp_path / "j")])
    assert shown.exit_code == 0, shown.output
    for text in ("[bold]not bold[/bold] [red]", "[x]-role", "[t]", "[ok]", "[a].py"):
        assert text in shown.stdout, text
