"""The FastAPI developer builds a users API with the database and security specialists.

Run with: python examples/fastapi_users/run_example.py [--workspace DIR]

Everything is real except the language model: the bundled mode library, the
coordinator and its escalation graph, the sandboxed tools (every file below is
written through `write_file`, and `pytest` runs through `run_command`), the
SQLite checkpoints and the Markdown task journal. The model is a strict
`ScriptedChatModel` per role (it fails on a call past its script and on steps left
unused), so the run needs no network and no API key:

1. fastapi-developer writes `pytest.ini`, `app/__init__.py` and `app/main.py` (FastAPI
   routes, Pydantic models, `Depends`) and escalates the schema to database-specialist
   and hashing plus tokens to security-specialist, in parallel;
2. database-specialist reads `app/main.py` and writes `app/models.py` (SQLModel);
3. security-specialist reads `app/main.py`, is refused `.env` (secrets are not
   readable), and writes `app/security.py` (PBKDF2 hashing, HS256 JWT, stdlib only);
4. fastapi-developer integrates: reads both files, writes `tests/test_api.py`
   (TestClient), runs `python -m pytest` (allowlisted in the workspace's
   `modegraph.yaml`), and completes only when the tests pass.

The journal is in `DIR/project_journal/tasks/`. Exit code 0 when the run completed
and the generated tests passed.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage

from modegraph.agents import SandboxedAgent, ToolsFor
from modegraph.agents.chat.agent import ChatAgent
from modegraph.coordinator import Runner, RunResult, RunStatus
from modegraph.modes.catalog.layers import load_catalog
from modegraph.modes.config import load_config
from modegraph.modes.model import Mode
from modegraph.testing import ScriptedChatModel as Scripted
from modegraph.tools import Workspace

GOAL = "Build a users API with signup and login"
ENTRY = "fastapi-developer"
PYTEST = ["python", "-m", "pytest", "-q"]
CONFIG = """\
# The one command roles may run without asking: the test suite.
commands:
  allow: ['^python -m pytest\\b']
  timeout: 300
"""
ENV_FILE = "USERS_SECRET_KEY=change-me-in-production\n"
FILES = (
    "pytest.ini",
    "app/__init__.py",
    "app/main.py",
    "app/models.py",
    "app/security.py",
    "tests/test_api.py",
)


def _drafts() -> ModuleType:
    """The code the scripted roles write (examples/fastapi_users/drafts.py)."""
    spec = importlib.util.spec_from_file_location("drafts", Path(__file__).with_name("drafts.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _after_pytest(messages: list[BaseMessage]) -> AIMessage:
    """Complete only when the real pytest run passed; otherwise report the failure."""
    result = next(m for m in reversed(messages) if isinstance(m, ToolMessage))
    text = str(result.content)
    passed = result.status != "error" and re.search(r"^exit code 0\b", text, re.MULTILINE)
    tally = re.search(r"\d+ passed[^\n]*", text)
    if passed:
        return Scripted.complete(
            f"Users API done: POST /signup, POST /login, GET /users/me; "
            f"{tally.group(0) if tally else 'tests passed'}.",
            references=list(FILES),
        )
    return Scripted.complete(
        "The users API tests fail; see the pytest output in the journal.",
        outcome="Failed",
        status="failed",
        references=list(FILES),
    )


def scripts(drafts: ModuleType) -> dict[str, list[object]]:
    """One strict script per role."""
    developer = [
        Scripted.tool_call("list_files", {"path": "."}),
        Scripted.tool_calls(
            [
                ("write_file", {"path": "pytest.ini", "content": drafts.PYTEST_INI}),
                ("write_file", {"path": "app/__init__.py", "content": drafts.APP_INIT}),
                ("write_file", {"path": "app/main.py", "content": drafts.MAIN_PY}),
            ]
        ),
        Scripted.tool_calls(
            [
                (
                    "handoff_to_database_specialist",
                    {
                        "goal": "Write app/models.py with SQLModel: a User table (id, unique "
                        "lower-case email, hashed_password), the engine, "
                        "create_db_and_tables() and a get_session() dependency, as "
                        "app/main.py imports them.",
                        "reason": "Schema and persistence design",
                    },
                ),
                (
                    "handoff_to_security_specialist",
                    {
                        "goal": "Write app/security.py: hash_password/verify_password and "
                        "create_access_token/decode_access_token (HS256 JWT) raising "
                        "InvalidToken, with no extra dependencies, as app/main.py imports "
                        "them.",
                        "reason": "Password hashing and tokens are security work",
                    },
                ),
            ]
        ),
        # integration turn, once both results are back
        Scripted.tool_calls(
            [("read_file", {"path": "app/models.py"}), ("read_file", {"path": "app/security.py"})]
        ),
        Scripted.tool_call(
            "write_file", {"path": "tests/test_api.py", "content": drafts.TEST_API_PY}
        ),
        Scripted.tool_call("run_command", {"command": PYTEST}),
        _after_pytest,
    ]
    database = [
        Scripted.tool_call("read_file", {"path": "app/main.py", "start_line": 1, "end_line": 20}),
        Scripted.tool_call("write_file", {"path": "app/models.py", "content": drafts.MODELS_PY}),
        Scripted.complete(
            "SQLModel User table with a unique, indexed email; an engine shared across "
            "threads for SQLite; create_db_and_tables() and the get_session() dependency.",
            references=["app/models.py"],
        ),
    ]
    security = [
        Scripted.tool_calls(
            [("read_file", {"path": "app/main.py"}), ("read_file", {"path": ".env"})]
        ),
        Scripted.tool_call(
            "write_file", {"path": "app/security.py", "content": drafts.SECURITY_PY}
        ),
        Scripted.complete(
            "PBKDF2-HMAC-SHA256 password hashing with constant-time checks and HS256 JWTs "
            "signed with USERS_SECRET_KEY (read from the environment, never from .env).",
            references=["app/security.py"],
        ),
    ]
    return {
        ENTRY: developer,
        "database-specialist": database,
        "security-specialist": security,
    }


@dataclass(frozen=True)
class ExampleRun:
    """What the example produced."""

    result: RunResult
    workspace: Path
    models: dict[str, Scripted]

    def assert_all_used(self) -> None:
        """Every role used its whole script."""
        for model in self.models.values():
            model.assert_all_used()


def run_example(workspace: Path, *, drafts: ModuleType | None = None) -> ExampleRun:
    """Prepare `workspace`, run the task through the coordinator, return the result.

    `drafts` replaces the code the roles write (the tests use it to break the code
    and check that the developer then does not complete).
    """
    workspace.mkdir(parents=True, exist_ok=True)
    if any(workspace.iterdir()):
        raise SystemExit(f"error: {workspace} is not empty; give a new or empty --workspace DIR")
    (workspace / "modegraph.yaml").write_text(CONFIG, encoding="utf-8")
    (workspace / ".env").write_text(ENV_FILE, encoding="utf-8")
    config = load_config(workspace)
    catalog = load_catalog(project_dir=workspace, user_dir=workspace / ".no-user-modes")
    models = {slug: Scripted(steps=steps) for slug, steps in scripts(drafts or _drafts()).items()}

    def model_for(mode: Mode) -> Scripted:
        # A role without a script gets an empty one: its first call fails loudly.
        return models.setdefault(mode.slug, Scripted(steps=[]))

    def make_agent(tools_for: ToolsFor) -> ChatAgent:
        return ChatAgent(model_for=model_for, tools_for=tools_for)

    agent = SandboxedAgent(make_agent=make_agent, workspace=Workspace(workspace), config=config)
    runner = Runner(catalog=catalog, agent=agent, journal_root=workspace / "project_journal")
    result = runner.start(GOAL, entry=ENTRY)
    return ExampleRun(result=result, workspace=workspace, models=models)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workspace",
        type=Path,
        help="a new or empty directory to build the API in (default: a new temporary one)",
    )
    args = parser.parse_args(argv)
    workspace = args.workspace or Path(tempfile.mkdtemp(prefix="modegraph-fastapi-users-"))
    run = run_example(workspace.resolve())
    run.assert_all_used()
    result = run.result
    print(f"workspace: {run.workspace}")
    print(f"status:    {result.status.value}  ({result.llm_calls} scripted LLM calls)")
    for sub in result.subtasks:
        print(f"  {sub.id}  {sub.role:<22} {sub.status:<10} {sub.summary}")
    print(f"journal:   {result.journal}")
    return 0 if result.status is RunStatus.COMPLETED else 1


if __name__ == "__main__":
    sys.exit(main())
