"""The Postgres checkpointer, for real: a run, and an approval resumed in a new process.

Skipped unless `MODEGRAPH_TEST_POSTGRES_URL` names a server (`.ci/run` starts one when
it can) and the `postgres` extra is installed. Each test works in a schema of its own,
dropped afterwards, so reruns and parallel runs against one database never clash.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from modegraph.coordinator import ApprovalRule, Policy, Runner, RunStatus
from modegraph.journal.store import Journal
from modegraph.modes.catalog import Catalog
from modegraph.modes.catalog.layers import load_catalog

URL_VAR = "MODEGRAPH_TEST_POSTGRES_URL"
SERVER = os.environ.get(URL_VAR)
if not SERVER:
    pytest.skip(
        f"{URL_VAR} is not set; set it to a postgres:// URL of a throwaway database "
        "to test the Postgres checkpointer",
        allow_module_level=True,
    )
pytest.importorskip(
    "langgraph.checkpoint.postgres",
    reason="the postgres extra (langgraph-checkpoint-postgres, psycopg) is not installed",
)
import psycopg  # noqa: E402 - only importable with the postgres extra

GOAL = (
    "Build a users API with signup and login, a Postgres schema with migrations, "
    "and deploy it with Docker"
)

RESUME = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from modegraph.coordinator import Decision, Runner
    from modegraph.modes.catalog.layers import load_catalog

    home, root, url, task_id = sys.argv[1:5]
    catalog = load_catalog(user_dir=Path(home) / "none", project_dir=Path(home))
    runner = Runner(catalog=catalog, journal_root=root, checkpoint=url)
    result = runner.resume(task_id, decision=Decision(approved=True))
    print(json.dumps(result.to_json()))
    """
)


def with_schema(url: str, schema: str) -> str:
    """`url` with `search_path` set to `schema`, so the checkpoint tables land there."""
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query), ("options", f"-csearch_path={schema}")]
    return urlunsplit(parts._replace(query=urlencode(query)))


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema on the test server, dropped after the test."""
    assert SERVER is not None
    schema = f"modegraph_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield with_schema(SERVER, schema)
    finally:
        with psycopg.connect(SERVER, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def bundled_catalog(home: Path) -> Catalog:
    """The bundled library alone: no user layer, no project files."""
    return load_catalog(user_dir=home / "none", project_dir=home)


def tables(url: str) -> set[str]:
    """The tables of the schema `url` points at."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchall()
    return {str(row[0]) for row in rows}


def entries(root: Path) -> dict[str, list[tuple[str, str]]]:
    """Per task file, relative to the root task: its (entry id, kind) list."""
    journal = Journal(root)
    found: dict[str, list[tuple[str, str]]] = {}
    for task_id in journal.ids():
        suffix = task_id.split(".", 1)[1] if "." in task_id else ""
        root_id = task_id.split(".", 1)[0]
        record = journal.read(task_id)
        found[suffix] = [(e.id.replace(root_id, "ROOT"), e.kind.value) for e in record.entries]
    return found


def test_a_run_checkpoints_to_postgres_and_completes(tmp_path: Path, postgres_url: str) -> None:
    catalog = bundled_catalog(tmp_path)
    runner = Runner(catalog=catalog, journal_root=tmp_path / "journal", checkpoint=postgres_url)
    done = runner.start(GOAL, entry="fastapi-developer")
    assert done.status is RunStatus.COMPLETED
    roles = {s.role for s in done.subtasks}
    assert "fastapi-developer" in roles and len(roles) > 1
    assert {"checkpoints", "checkpoint_writes"} <= tables(postgres_url)
    with psycopg.connect(postgres_url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM checkpoints WHERE thread_id = %s", (done.task_id,)
        ).fetchone()
    assert row is not None and row[0] > 0


@pytest.mark.slow
def test_an_approval_stop_resumes_from_postgres_in_a_new_process(
    tmp_path: Path, postgres_url: str
) -> None:
    catalog = bundled_catalog(tmp_path)
    clean = Runner(catalog=catalog, journal_root=tmp_path / "clean").start(
        GOAL, entry="fastapi-developer"
    )
    assert clean.status is RunStatus.COMPLETED
    roles = {s.role for s in clean.subtasks}
    assert len(roles) > 1

    root = tmp_path / "journal"
    waiting = Runner(
        catalog=catalog,
        journal_root=root,
        checkpoint=postgres_url,
        policy=Policy(approve=ApprovalRule.parse("escalations")),
    ).start(GOAL, entry="fastapi-developer")
    assert waiting.status is RunStatus.WAITING_APPROVAL
    assert [s.role for s in waiting.subtasks] == ["fastapi-developer"]
    assert waiting.approvals
    assert not (root / "checkpoints.sqlite").exists()

    script = tmp_path / "resume.py"
    script.write_text(RESUME, encoding="utf-8")
    args = [str(tmp_path), str(root), postgres_url, waiting.task_id]
    second = subprocess.run(
        [sys.executable, str(script), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert second.returncode == 0, second.stderr
    done = json.loads(second.stdout)
    assert done["status"] == "completed"
    assert done["task_id"] == waiting.task_id
    assert {s["role"] for s in done["subtasks"]} == roles
    assert not (root / "checkpoints.sqlite").exists()

    got, want = entries(root), entries(tmp_path / "clean")
    assert got.keys() == want.keys()
    for name, listed in got.items():
        assert max(Counter(listed).values()) == 1, name
        assert Counter(want[name]) <= Counter(listed), name
