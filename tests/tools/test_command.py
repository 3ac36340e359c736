"""run_command: allowlists, approvers, process groups, PATH, output and time bounds."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from langchain_core.messages import ToolMessage

from modegraph.modes.config import CommandsConfig, ProjectConfig
from modegraph.modes.model import Mode, ToolGroup
from modegraph.tools import (
    AllowAll,
    AllowList,
    CallableApprover,
    CommandRequest,
    allowlist_match,
    execute,
)

DEV = Mode(slug="dev", name="Dev", tool_groups=(ToolGroup(name="command"),))
# generous: these tests are about what runs and where, not about timeouts (a busy host
# can take seconds to start Python)
ALLOW = ProjectConfig(commands=CommandsConfig(allow=(r"^python -c\b", r"^pytest\b"), timeout=60))


def _call(tool, **args):
    return tool.invoke({"type": "tool_call", "id": "c", "name": tool.name, "args": args})


def test_allowlisted_argv_runs_in_the_workspace_and_is_journaled(tools_for, journal, root: Path):
    run = tools_for(DEV, config=ALLOW)["run_command"]
    out = run.invoke({"command": ["python", "-c", "import os; print(os.getcwd())"]})
    lines = out.splitlines()
    assert lines[0] == "$ python -c 'import os; print(os.getcwd())'"
    assert lines[1].startswith("exit code 0 after ")
    assert lines[2] == os.path.realpath(root)
    assert journal.lines == ["ran `python -c 'import os; print(os.getcwd())'` in `.`: exit code 0"]


def test_cwd_inside_the_workspace(tools_for, root: Path) -> None:
    run = tools_for(DEV, config=ALLOW)["run_command"]
    out = run.invoke({"command": ["python", "-c", "import os; print(os.getcwd())"], "cwd": "app"})
    assert out.splitlines()[2] == os.path.realpath(root / "app")
    message = _call(run, command=["python", "-c", "1"], cwd="app/main.py")
    assert isinstance(message, ToolMessage) and message.status == "error"
    assert "not a directory" in str(message.content)


def test_failing_command_reports_its_exit_code(tools_for) -> None:
    run = tools_for(DEV, config=ALLOW)["run_command"]
    out = run.invoke({"command": ["python", "-c", "import sys; print('boom'); sys.exit(3)"]})
    assert "exit code 3" in out and "boom" in out


def test_python_on_path_is_the_running_interpreter(tools_for) -> None:
    run = tools_for(DEV, config=ALLOW)["run_command"]
    out = run.invoke({"command": ["python", "-c", "import sys; print(sys.prefix)"]})
    assert out.splitlines()[2] == sys.prefix
    shell = tools_for(DEV, approver=AllowAll())["run_command"]
    assert shell.invoke({"command": "python -c 'import sys; print(sys.prefix)'"}).splitlines()[
        2
    ] == (sys.prefix)


def test_yes_runs_anything_and_approvers_see_the_request(tools_for, root: Path) -> None:
    run = tools_for(DEV, approver=AllowAll())["run_command"]
    assert "exit code 0" in run.invoke({"command": "touch made && ls made"})
    assert (root / "made").exists()
    seen: list[CommandRequest] = []

    def approve(request: CommandRequest) -> bool:
        seen.append(request)
        return True

    run = tools_for(DEV, approver=CallableApprover(approve))["run_command"]
    run.invoke({"command": ["ls"], "cwd": "./app/"})
    assert seen == [CommandRequest(command="ls", argv=("ls",), cwd="app", role="dev")]
    assert not seen[0].uses_shell


def test_allowlist_as_an_approver(tools_for) -> None:
    run = tools_for(DEV, approver=AllowList(ALLOW))["run_command"]
    assert "exit code 0" in run.invoke({"command": ["python", "-c", "pass"]})
    assert AllowList([r"^ls$"]).patterns == (r"^ls$",)


@pytest.mark.parametrize(
    ("command", "argv", "expected"),
    [
        ("pytest -q", None, r"^pytest\b"),
        ("pytest  -q   tests/", None, r"^pytest\b"),
        ("pytest -q; rm -rf ~", None, None),
        ("pytest -q && curl x", None, None),
        ("pytest | sh", None, None),
        ("pytest > /etc/passwd", None, None),
        ("pytest `id`", None, None),
        ("pytest $(id)", None, None),
        ("pytest 'unclosed", None, None),
        ("pytest\nrm -rf ~", None, None),
        ("pytest -q", ("pytest", "-q"), r"^pytest\b"),
        ("rm -rf app", ("rm", "-rf", "app"), None),
        ("pytestevil", None, None),
        ("PYTHONPATH=/tmp/evil pytest", None, None),
    ],
)
def test_allowlist_match(command: str, argv, expected) -> None:
    request = CommandRequest(command=command, argv=argv)
    assert allowlist_match(request, [r"^pytest\b", r"^never$"]) == expected


def test_timeout_asked_for_is_capped_by_the_configuration(tools_for) -> None:
    config = ProjectConfig(commands=CommandsConfig(allow=(r"^python -c\b",), timeout=0.5))
    run = tools_for(DEV, config=config)["run_command"]
    started = time.monotonic()
    message = _call(
        run, command=["python", "-c", "import time; time.sleep(30)"], timeout_seconds=99
    )
    assert time.monotonic() - started < 20  # far under the 30 s sleep and the 99 s asked for
    assert message.status == "error" and "timed out after 0.5 s" in str(message.content)


def test_background_children_do_not_outlive_the_command(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    result = execute(
        f"sleep 30 & echo $! > {pid_file}; echo started",
        cwd=tmp_path,
        timeout=60,
        max_output=1000,
    )
    assert result.exit_code == 0 and "started" in result.output
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 20  # the child sleeps 30 s unless it is killed
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    assert not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_output_keeps_head_and_tail(tmp_path: Path) -> None:
    script = "for i in range(5000): print(f'line {i}')"
    result = execute([sys.executable, "-c", script], cwd=tmp_path, timeout=60, max_output=1000)
    assert result.output.startswith("line 0\n")
    assert result.output.rstrip().endswith("line 4999")
    assert result.omitted > 0 and "bytes of output cut" in result.output


def test_missing_program_and_empty_commands_are_tool_errors(tools_for) -> None:
    run = tools_for(DEV, approver=AllowAll())["run_command"]
    assert "cannot start" in str(_call(run, command=["no-such-program-xyz"]).content)
    assert "empty" in str(_call(run, command=[]).content)
    assert "empty" in str(_call(run, command="  ").content)


def test_only_allowlisted_environment_reaches_commands(tools_for, monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-should-not-leak")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp-should-not-leak")
    monkeypatch.setenv("MY_PLAIN_SETTING", "not on the allowlist either")
    monkeypatch.setenv("LANG", "C.UTF-8")
    names = "{'OPENAI_API_KEY', 'GITHUB_TOKEN', 'MY_PLAIN_SETTING', 'LANG'}"
    script = f"import os; print(sorted(k for k in os.environ if k in {names}))"
    run = tools_for(DEV, config=ALLOW)["run_command"]
    assert run.invoke({"command": ["python", "-c", script]}).splitlines()[2] == "['LANG']"
    config = ProjectConfig(
        commands=CommandsConfig(allow=(r"^python -c\b",), pass_env=("GITHUB_*", "MY_*"))
    )
    run = tools_for(DEV, config=config)["run_command"]
    assert run.invoke({"command": ["python", "-c", script]}).splitlines()[2] == (
        "['GITHUB_TOKEN', 'LANG', 'MY_PLAIN_SETTING']"
    )


def test_a_leading_assignment_never_matches_even_an_unanchored_pattern() -> None:
    assert allowlist_match(CommandRequest(command="pytest -q"), [r"pytest"]) == "pytest"
    sneaky = CommandRequest(command="PYTHONPATH=/tmp/evil pytest -q")
    assert allowlist_match(sneaky, [r"pytest"]) is None


GRACEFUL = """
import os, signal, sys, time
if os.fork() == 0:
    os.setsid()
    def cleanup(*_):
        open("cleaned", "w").close()
        os._exit(0)
    signal.signal(signal.SIGTERM, cleanup)
    open("ready", "w").close()
    time.sleep(30)
    os._exit(0)
while not os.path.exists("ready"):
    time.sleep(0.01)
"""


def test_leftover_processes_get_sigterm_before_sigkill(tools_for, root: Path) -> None:
    """A `docker run` client left behind passes SIGTERM on to its container."""
    run = tools_for(DEV, config=ALLOW)["run_command"]
    started = time.monotonic()
    assert "exit code 0" in run.invoke({"command": ["python", "-c", GRACEFUL]})
    assert time.monotonic() - started < 20
    assert (root / "cleaned").exists()
