"""The FastAPI users example, end to end: real coordinator, tools, pytest and journal."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from modegraph.coordinator import RunStatus

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "fastapi_users"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"fastapi_users_{name}", EXAMPLE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _journal(workspace: Path) -> dict[str, str]:
    tasks = workspace / "project_journal" / "tasks"
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(tasks.glob("*.md"))}


@pytest.mark.slow
def test_the_example_builds_a_working_api(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    done = subprocess.run(
        [sys.executable, str(EXAMPLE / "run_example.py"), "--workspace", str(workspace)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "status:    completed" in done.stdout

    for name in ("app/main.py", "app/models.py", "app/security.py", "tests/test_api.py"):
        assert (workspace / name).is_file(), name
    assert "Depends(get_session)" in (workspace / "app" / "main.py").read_text()
    assert "table=True" in (workspace / "app" / "models.py").read_text()
    assert "pbkdf2_hmac" in (workspace / "app" / "security.py").read_text()

    journal = _journal(workspace)
    root_id = min(journal, key=len)
    root = journal[root_id]
    database = journal[f"{root_id}.1"]
    security = journal[f"{root_id}.2"]
    assert "**Status:** ✅ Complete" in root
    assert "tool: created `app/main.py`" in root
    assert "tool: created `tests/test_api.py`" in root
    assert "tool: ran `python -m pytest -q` in `.`: exit code 0" in root
    assert re.search(r"\*\*Summary:\*\* Users API done: .*; \d+ passed", root)
    assert "`app/models.py`, `app/security.py`, `tests/test_api.py`" in root
    assert "fastapi-developer -> database-specialist (escalate" in root
    assert "fastapi-developer -> security-specialist (escalate" in root
    assert "tool: created `app/models.py`" in database
    assert "**References:** [`app/models.py`]" in database
    assert "tool: created `app/security.py`" in security
    assert "ToolRefused: '.env' usually holds secrets" in security
    assert "change-me" not in "".join(journal.values())


@pytest.mark.slow
def test_the_developer_does_not_complete_when_the_tests_fail(tmp_path: Path) -> None:
    example = _load("run_example")
    drafts = _load("drafts")
    broken = ModuleType("broken_drafts")
    broken.__dict__.update(vars(drafts))
    broken.SECURITY_PY = drafts.SECURITY_PY.replace(
        "return hmac.compare_digest(digest.hex(), digest_hex)", "return True"
    )
    assert broken.SECURITY_PY != drafts.SECURITY_PY
    run = example.run_example(tmp_path / "ws", drafts=broken)
    run.assert_all_used()
    assert sorted(run.models) == [
        "database-specialist",
        "fastapi-developer",
        "security-specialist",
    ]
    assert run.result.status is not RunStatus.COMPLETED
    root = _journal(tmp_path / "ws")[run.result.task_id]
    assert "tool: ran `python -m pytest -q` in `.`: exit code 1" in root
    assert "The users API tests fail" in root


def test_the_example_refuses_a_workspace_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(SystemExit, match="is not empty"):
        _load("run_example").run_example(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
