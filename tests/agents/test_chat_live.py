"""Live progress of model turns (`modegraph.cli._live.LiveTurns`), driven by a real turn."""

from __future__ import annotations

import io
from typing import Any
from uuid import uuid4

from langchain_core.tools import tool
from rich.console import Console

from modegraph.agents.chat.agent import ChatAgent
from modegraph.agents.protocol import RoleTurn
from modegraph.cli._live import LiveTurns
from modegraph.modes.model import Mode
from modegraph.testing import ScriptedChatModel as S

DEV = Mode(slug="fastapi-developer", name="FastAPI Developer")


@tool
def write_file(path: str, content: str) -> str:
    """Write a file."""
    return f"Created {path}"


def _console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=False, width=200), out


def _write_and_complete(handler: Any) -> None:
    """A turn that writes a file, then completes, with `handler` listening."""
    model = S(
        steps=[
            S.tool_call("write_file", {"path": "app/main.py", "content": "app = FastAPI()"}),
            S.complete("done"),
        ]
    )
    turn = RoleTurn(task_id="T-1", subtask_id="T-1", mode=DEV, goal="Build it")
    with model:
        ChatAgent(model=model, tools_for=lambda mode: [write_file], callbacks=[handler]).run(turn)


def test_a_turn_prints_its_tool_calls_and_clears_its_status() -> None:
    console, out = _console()
    live = LiveTurns(console)
    _write_and_complete(live)
    live.close()
    assert (
        "⚙ fastapi-developer calls write_file(path='app/main.py', content='app = FastAPI()')"
        in out.getvalue()
    )
    assert live.status() == []  # nothing in flight once the turn is over


def test_the_status_line_counts_streamed_tokens_and_shows_the_tail() -> None:
    console, _ = _console()
    live = LiveTurns(console)
    run_id = uuid4()
    tags = ["modegraph", "role:database-specialist", "task:T-1"]
    live.on_chat_model_start(
        None, [[]], run_id=run_id, tags=tags, metadata={"modegraph_model": "gpt-test"}
    )
    assert live.status() == ["database-specialist · gpt-test · waiting 0s"]
    for token in ("The users ", "table needs ", "an index"):
        live.on_llm_new_token(token, run_id=run_id)
    assert live.status() == [
        "database-specialist · gpt-test · 3 chunks · …The users table needs an index"
    ]
    other: Any = uuid4()
    live.on_llm_new_token("ignored", run_id=other)  # not a modegraph turn's call
    live.on_llm_end(None, run_id=run_id)
    assert live.status() == []


def test_calls_outside_a_role_turn_are_ignored() -> None:
    console, out = _console()
    live = LiveTurns(console)
    live.on_chat_model_start(None, [[]], run_id=uuid4(), tags=["other"])
    live.on_tool_start({"name": "x"}, "{}", tags=[])
    assert live.status() == []
    assert out.getvalue() == ""


def test_in_a_log_each_model_call_is_a_line_as_it_starts() -> None:
    from modegraph.cli._live import TurnLines

    console, out = _console()
    _write_and_complete(TurnLines(console))
    printed = [line.strip() for line in out.getvalue().splitlines()]
    # asked, the tool call, asked again: in the order they happened, while the turn ran
    assert [line.split(" ")[0] for line in printed] == ["…", "⚙", "…"]
    assert printed[0].startswith("… fastapi-developer asks")
