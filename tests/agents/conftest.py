"""Fixtures for the agent tests: the strict scripted LLM server on 127.0.0.1.

`scripted_llm_server.py` (next to this file) is importable by the tests in this folder
as `scripted_llm_server`; it is plain standard library, so it also runs by hand.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from scripted_llm_server import API_KEY, ScriptedLLMServer

StartServer = Callable[..., ScriptedLLMServer]


@pytest.fixture
def llm_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[StartServer]:
    """Starts scripted servers; at the end of the test each must have had its script used.

    The provider's API key variable is set to the dummy key the server expects (the
    root conftest clears every base URL variable, so only the base URL a test passes
    counts).
    """
    started: list[ScriptedLLMServer] = []

    def start(*, wire: str, script: Any, model: str | None = None) -> ScriptedLLMServer:
        key = "OPENAI_API_KEY" if wire == "openai" else "ANTHROPIC_API_KEY"
        monkeypatch.setenv(key, API_KEY)
        server = ScriptedLLMServer(wire=wire, script=script, model=model).start()  # type: ignore[arg-type]
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
    for server in started:
        server.assert_done()
