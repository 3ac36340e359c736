"""Checkpoints, resume and approvals across processes; a SIGKILLed run resumes exactly once."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from modegraph.agents import RuleAgent
from modegraph.coordinator import ApprovalRule, Decision, Policy, Runner, RunStatus, stored_settings
from modegraph.coordinator.persistence import check_checkpoint, checkpointer, sqlite_path
from modegraph.errors import ConfigError, JournalError
from modegraph.journal.store import Journal
from modegraph.modes.catalog import Catalog

SEED = Path(__file__).parent / "data" / "seed.mode.yaml"
GOAL = (
    "Build a users API with signup and login, a Postgres schema with migrations, "
    "and deploy it with Docker"
)

SCRIPT = textwrap.dedent(
    """
    import json, os, signal, sys, threading
    from modegraph.agents import RuleAgent
    from modegraph.coordinator import Runner
    from modegraph.modes.catalog import Catalog
    from modegraph.modes.catalog.loader import load_paths

    seed, root, action, arg = sys.argv[1:5]
    catalog = Catalog(load_paths([seed]).modes)
    inner = RuleAgent(catalog=catalog)

    class KillAtTurn:
        def __init__(self, n):
            self.n, self.count, self.lock = n, 0, threading.Lock()

        def run(self, turn):
            with self.lock:
                self.count += 1
                count = self.count
            if count == self.n:
                os.kill(os.getpid(), signal.SIGKILL)
            return inner.run(turn)

        async def arun(self, turn):
            return self.run(turn)

    if action == "start":
        runner = Runner(catalog=catalog, agent=KillAtTurn(int(arg)), journal_root=root)
        result = runner.start(os.environ["GOAL"], entry="fastapi-developer")
    else:
        result = Runner(catalog=catalog, journal_root=root).resume(arg)
    print(json.dumps(result.to_json()))
    """
)


def seed_catalog_() -> Catalog:
    from modegraph.modes.catalog.loader import load_paths

    return Catalog(load_paths([SEED]).modes)


def entries(root: Path) -> dict[str, list[tuple[str, str]]]:
    """Per task file, relative to the root task: its (entry id, kind) list."""
    journal = Journal(root)
    found: dict[str, list[tuple[str, str]]] = {}
    for task_id in journal.ids():
        suffix = task_id.split(".", 1)[1] if "." in task_id else ""
        record = journal.read(task_id)
        root_id = task_id.split(".", 1)[0]
        found[suffix] = [(e.id.replace(root_id, "ROOT"), e.kind.value) for e in record.entries]
    return found


def python(script: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script), str(SEED), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"GOAL": GOAL, "PATH": "/usr/bin:/bin"},
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize("kill_at", [2, 4])  # a child turn; the integration turn
def test_a_run_killed_with_sigkill_resumes_and_writes_each_entry_once(
    tmp_path: Path, kill_at: int
) -> None:
    script = tmp_path / "runner.py"
    script.write_text(SCRIPT, encoding="utf-8")
    clean, killed = tmp_path / "clean", tmp_path / "killed"

    reference = Runner(catalog=seed_catalog_(), journal_root=clean).start(
        GOAL, entry="fastapi-developer"
    )
    assert reference.status is RunStatus.COMPLETED

    crash = python(script, str(killed), "start", str(kill_at), cwd=tmp_path)
    assert crash.returncode == -signal.SIGKILL, crash.stderr
    (task_file,) = [p for p in (killed / "tasks").glob("*.md") if "." not in p.stem]
    task_id = task_file.stem

    resumed = python(script, str(killed), "resume", task_id, cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    out = json.loads(resumed.stdout)
    assert out["status"] == "completed"
    assert [s["role"] for s in out["subtasks"]] == [
        "fastapi-developer",
        "database-specialist",
        "infrastructure-specialist",
    ]

    got, want = entries(killed), entries(clean)
    assert got.keys() == want.keys()
    for name in want:
        assert Counter(got[name]) == Counter(want[name]), name
        assert max(Counter(got[name]).values()) == 1, name


@pytest.mark.slow
def test_approval_stops_the_run_and_resumes_in_a_new_process(tmp_path: Path) -> None:
    root = tmp_path / "journal"
    cli = [sys.executable, "-m", "modegraph"]
    base = ["--modes", str(SEED), "--no-bundled", "--journal", str(root), "--json"]
    first = subprocess.run(
        [*cli, "run", GOAL, "--mode", "fastapi-developer", "--approve", "escalations", *base],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert first.returncode == 2, first.stderr
    waiting = json.loads(first.stdout)
    assert waiting["status"] == "waiting_approval"
    assert [s["role"] for s in waiting["subtasks"]] == ["fastapi-developer"]
    record = Journal(root).read(waiting["task_id"])
    assert record.status.value == "waiting_approval"

    second = subprocess.run(
        [*cli, "resume", waiting["task_id"], "--approve", "--journal", str(root), "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert second.returncode == 0, second.stderr
    done = json.loads(second.stdout)
    assert done["status"] == "completed"
    assert done["task_id"] == waiting["task_id"]
    assert {s["role"] for s in done["subtasks"]} == {
        "fastapi-developer",
        "database-specialist",
        "infrastructure-specialist",
    }


def test_a_rejected_handoff_goes_back_to_the_requesting_role(
    tmp_path: Path, agent_class: Any
) -> None:
    catalog = seed_catalog_()
    agent = agent_class(RuleAgent(catalog=catalog).run)
    policy = Policy(approve=ApprovalRule.parse("tier:worker"))
    runner = Runner(catalog=catalog, agent=agent, policy=policy, journal_root=tmp_path)
    waiting = runner.start("Design a Postgres schema with migrations", entry="roo-commander")
    assert waiting.status is RunStatus.WAITING_APPROVAL
    assert [a.target for a in waiting.approvals] == ["database-specialist"]
    assert waiting.to_json()["status"] == "waiting_approval"

    # resuming without a decision leaves it waiting
    still = runner.resume(waiting.task_id)
    assert still.status is RunStatus.WAITING_APPROVAL

    done = runner.resume(waiting.task_id, decision=Decision(approved=False, reason="too costly"))
    assert done.status is RunStatus.BLOCKED  # the work it needed was rejected
    assert "rejected by a person: too costly" in done.reason
    assert [u.role for u in done.uncovered] == ["roo-commander"]
    assert [(r.source, r.target) for r in done.refused] == [
        ("roo-commander", "database-specialist")
    ]
    assert "rejected by a person: too costly" in done.refused[0].reason
    last = agent.turns[-1]
    assert last.mode.slug == "roo-commander"
    assert any("too costly" in r for r in last.refusals)
    text = Journal(tmp_path).path(done.task_id).read_text(encoding="utf-8")
    assert "Approval asked" in text
    assert "Approval refused" in text
    # the entry names both ends of the refused handoff, not only the target
    assert "**Approval refused:** roo-commander -> database-specialist (" in text

    # a finished run resumes to the same result, running nothing
    again = runner.resume(done.task_id)
    assert again == done
    assert len(agent.turns) == 2


def test_ask_answers_approvals_in_the_same_run(tmp_path: Path) -> None:
    asked: list[str] = []

    def ask(requests: Any) -> dict[str, Decision]:
        asked.extend(r.target for r in requests)
        return {r.id: Decision(approved=True) for r in requests}

    runner = Runner(
        catalog=seed_catalog_(),
        policy=Policy(approve=ApprovalRule.parse("escalations")),
        journal_root=tmp_path,
        ask=ask,
    )
    result = runner.start(GOAL, entry="fastapi-developer")
    assert result.status is RunStatus.COMPLETED
    assert sorted(asked) == ["database-specialist", "infrastructure-specialist"]


def test_async_run_and_resume(tmp_path: Path) -> None:
    import asyncio

    runner = Runner(
        catalog=seed_catalog_(),
        policy=Policy(approve=ApprovalRule.parse("escalations")),
        journal_root=tmp_path,
    )

    async def go() -> tuple[Any, Any]:
        waiting = await runner.astart(GOAL, entry="fastapi-developer")
        done = await runner.aresume(waiting.task_id, decision=Decision(approved=True))
        return waiting, done

    waiting, done = asyncio.run(go())
    assert waiting.status is RunStatus.WAITING_APPROVAL
    assert done.status is RunStatus.COMPLETED
    assert stored_settings(done.task_id, journal_root=tmp_path).entry == "fastapi-developer"


def test_resume_of_an_unknown_task_says_how_to_find_it(tmp_path: Path) -> None:
    runner = Runner(catalog=seed_catalog_(), journal_root=tmp_path)
    with pytest.raises(JournalError, match=r"no checkpoint file .*journal list"):
        runner.resume("TASK-NOPE")
    assert not list(tmp_path.iterdir())  # nothing created
    runner.start(GOAL, entry="fastapi-developer")
    with pytest.raises(JournalError, match=r"no run with task id 'TASK-NOPE'.*journal list"):
        runner.resume("TASK-NOPE")


def test_checkpoint_urls(tmp_path: Path) -> None:
    assert sqlite_path(None, root=tmp_path) == tmp_path / "checkpoints.sqlite"
    assert sqlite_path("sqlite:///x/y.db", root=tmp_path) == Path("x/y.db")
    assert sqlite_path("postgres://u@h/db", root=tmp_path) is None
    with pytest.raises(ConfigError, match="use sqlite:///PATH"):
        sqlite_path("redis://h", root=tmp_path)


def test_postgres_without_the_extra_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Hide the extra whether or not it is installed: a None entry makes the import fail.
    for name in ("langgraph.checkpoint.postgres", "langgraph.checkpoint.postgres.aio"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ConfigError, match=r"pip install 'modegraph\[postgres\]'"):
        check_checkpoint("postgres://user:secret@db/x")
    with (
        pytest.raises(ConfigError, match=r"pip install 'modegraph\[postgres\]'") as caught,
        checkpointer("postgres://user:secret@db/x", root=tmp_path),
    ):
        pass  # pragma: no cover
    assert "secret" not in str(caught.value)
