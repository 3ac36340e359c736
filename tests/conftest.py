"""A guard for every test: no real LLM, no network beyond this machine.

Sockets may connect to loopback addresses and Unix sockets only (local test servers,
browsers driven over a local port and subprocesses keep working); anything else raises
`NetworkBlocked`. Provider API keys, base URLs, LangSmith tracing settings and
modegraph's provider default are removed from the environment, so no test picks up a
real key, a real endpoint or a developer's settings.

Every test also runs in a world of its own, so that the suite gives the same answer on
a developer's machine, on a fresh CI clone and on a busy machine:

- `HOME` and the XDG directories point to a fresh temporary directory, and the current
  directory is a fresh empty one: no test reads the real `~/.config/modegraph`, a
  `.modegraph/`, `.roomodes` or `modegraph.yaml` in the repository, or writes a
  `project_journal/` there. (Subprocesses inherit this environment.)
- No proxy variables: a CI runner's `http_proxy` would send requests to the local
  test servers through a proxy the network guard refuses.
- The terminal is a plain 80-column one without forced colours, whatever the CI
  runner or the developer's terminal says (Rich and Typer read these at import).
- Hypothesis has no deadline and does not fail on its `too_slow` health check: a
  timing on a shared, loaded machine says nothing about the code. Under `CI`, it is
  derandomized (each test's examples are derived from the test itself) and keeps no
  example database, so a CI failure is reproducible with `CI=true` on any machine and
  a change is never blocked by an unrelated example a random run happened to find;
  locally it keeps exploring new random examples. `HYPOTHESIS_PROFILE` picks a profile
  explicitly.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

_PROVIDER_ENV = (
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "OPENROUTER_API_KEY",
    "GOOGLE_API_KEY",
    "GROQ_API_KEY",
    "MISTRAL_API_KEY",
    "DEEPSEEK_API_KEY",
    "XAI_API_KEY",
    "TOGETHER_API_KEY",
    "FIREWORKS_API_KEY",
    "COHERE_API_KEY",
    "LANGSMITH_API_KEY",
    "LANGCHAIN_API_KEY",
    "MODEGRAPH_PROVIDER",
    # where the SDKs would send requests, and tracing that would upload runs
    "OPENAI_BASE_URL",
    "OPENAI_API_BASE",
    "ANTHROPIC_BASE_URL",
    "ANTHROPIC_API_URL",
    "LANGSMITH_TRACING",
    "LANGSMITH_TRACING_V2",
    "LANGCHAIN_TRACING_V2",
    "LANGSMITH_ENDPOINT",
    "LANGCHAIN_ENDPOINT",
    "LANGSMITH_GATEWAY",
)
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})

_TERMINAL_ENV_REMOVED = (
    "FORCE_COLOR",
    "PY_COLORS",
    "CLICOLOR_FORCE",
    "NO_COLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "GITHUB_ACTIONS",  # Typer forces a colour terminal on GitHub Actions
)
_TERMINAL_ENV_SET = {"TERM": "xterm", "COLUMNS": "80", "LINES": "25"}
for _name in _TERMINAL_ENV_REMOVED:
    os.environ.pop(_name, None)
os.environ.update(_TERMINAL_ENV_SET)

_PROXY_ENV = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")

_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
settings.register_profile(
    "modegraph",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "modegraph-ci", parent=settings.get_profile("modegraph"), derandomize=True, database=None
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("modegraph-ci" if _CI else "modegraph")
)


class NetworkBlocked(RuntimeError):
    """A test tried to reach a host other than this machine."""


def _is_local(host: object) -> bool:
    if host is None or host == "" or host == b"":
        return True
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name.lower() in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(name.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    connect = socket.socket.connect
    connect_ex = socket.socket.connect_ex
    getaddrinfo = socket.getaddrinfo

    def _check(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
            raise NetworkBlocked(f"tests may not connect to {address!r}: only loopback")

    def guarded_connect(sock: socket.socket, address: Any) -> None:
        _check(sock, address)
        connect(sock, address)

    def guarded_connect_ex(sock: socket.socket, address: Any) -> int:
        _check(sock, address)
        return connect_ex(sock, address)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_local(host):
            raise NetworkBlocked(f"tests may not resolve {host!r}: only loopback")
        return getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    for name in _PROVIDER_ENV:
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A fresh `HOME`, XDG directories and empty current directory for every test."""
    home = tmp_path_factory.mktemp("home", numbered=True)
    monkeypatch.setenv("HOME", str(home))
    for name, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        monkeypatch.setenv(name, str(home / sub))
    for name in _PROXY_ENV:  # local test servers are reached directly, never via a proxy
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    work = home / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return home


class ScriptedChooser:
    """Stands in for `ModelChooser` in CLI runs: every role gets the test's scripted model.

    Set `ScriptedChooser.model` before invoking the CLI and reset it after.
    """

    model: Any = None
    choices: dict[str, object] = {}  # noqa: RUF012 - never written

    def __init__(self, *, cli_model: str, environ: object, **settings: object) -> None:
        self.cli_model = cli_model

    def check(self, modes: object) -> dict[str, object]:
        return {}

    def describe(self) -> list[str]:
        return []

    def unpriced(self) -> list[object]:
        return []

    def price_for(self, mode: object) -> None:
        return None

    def __call__(self, mode: object) -> Any:
        assert ScriptedChooser.model is not None
        return ScriptedChooser.model


@pytest.fixture
def scripted_chooser(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[ScriptedChooser]]:
    """`--model` runs get a scripted model: `providers.ModelChooser` is `ScriptedChooser`."""
    from modegraph.agents.chat import providers

    monkeypatch.setattr(providers, "ModelChooser", ScriptedChooser)
    yield ScriptedChooser
    ScriptedChooser.model = None
