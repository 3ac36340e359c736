"""Issue 17: the attacks that got out of the sandbox or hung it, one regression test each.

Each test attacks through the public tool layer the way a hostile or confused model
would: a strict scripted model drives `ChatAgent` (wrapped in `SandboxedAgent`, as
`modegraph run --model` wraps it), or the tools of `tools_for_mode` are called
directly. A test passes when the attack is refused or bounded and nothing outside
the workspace (or inside a protected file) changed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from modegraph.cli.app import app
from modegraph.modes.config import CommandsConfig, ProjectConfig
from modegraph.modes.model import Mode, ToolGroup
from modegraph.testing import ScriptedChatModel as Scripted

pytestmark = pytest.mark.attack


def make_mode(slug: str, *groups: str | tuple[str, str]) -> Mode:
    tool_groups = tuple(
        ToolGroup(name=g[0], file_regex=g[1]) if isinstance(g, tuple) else ToolGroup(name=g)
        for g in groups
    )
    return Mode(slug=slug, name=slug, tool_groups=tool_groups)


DEVELOPER = make_mode("developer", "read", "edit", "command")
MD_RUNNER = make_mode("md-runner", "read", ("edit", r"\.md$"), "command")
READER = make_mode("reader", "read")


def allow(*patterns: str, timeout: float = 60.0, **options: object) -> ProjectConfig:
    return ProjectConfig(
        commands=CommandsConfig(allow=patterns, timeout=timeout, **options)  # type: ignore[arg-type]
    )


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def _wait_dead(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.02)
    return not _alive(pid)


def _kill_quietly(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


TEAM = """\
modes:
- slug: dev
  name: Developer
  description: Writes and tests the code.
  tool_groups: [read, edit, command]
"""


@pytest.fixture
def run_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scripted_chooser: type):
    """`modegraph run --model x:y --yes --json` with a scripted model making `calls`.

    Returns the exit code, the JSON result and the journal's lines noting a refusal.
    """
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "user-config"))
    (tmp_path / "team.mode.yaml").write_text(TEAM, encoding="utf-8")

    def run(calls, *args: str, modes_file: str | None = "team.mode.yaml"):
        steps = [Scripted.tool_call(name, arguments) for name, arguments in calls]
        options = ["--modes", modes_file] if modes_file else []
        argv = ["run", "Work", *options, "--no-bundled", "--mode", "dev", "--model", "x:y"]
        with Scripted(steps=[*steps, Scripted.complete("done")]) as model:
            scripted_chooser.model = model
            try:
                result = CliRunner().invoke(
                    app, [*argv, "--yes", "--json", *args], catch_exceptions=False
                )
            finally:
                scripted_chooser.model = None
        data = json.loads(result.stdout)
        journal = Path(data["journal"]).read_text(encoding="utf-8")
        return result.exit_code, data, [n for n in journal.splitlines() if "ToolRefused" in n]

    return run


# 1. an allowlisted program name followed by /../ -----------------------------------


def test_allowlisted_name_followed_by_dotdot_runs_nothing(agent_turn, outside: Path) -> None:
    climb = "../" * 40
    turn = agent_turn(
        MD_RUNNER,
        [
            ("write_file", {"path": "pytest/notes.md", "content": "a folder named pytest\n"}),
            ("write_file", {"path": "ls/notes.md", "content": "a folder named ls\n"}),
            (
                "run_command",
                {"command": [f"pytest/{climb}bin/sh", "-c", f"touch {outside}/pwned-argv"]},
            ),
            ("run_command", {"command": f"ls/{climb}usr/bin/touch {outside}/pwned-shell"}),
        ],
        config=allow(r"^pytest\b", r"^ls\b"),
    )
    assert not (outside / "pwned-argv").exists()
    assert not (outside / "pwned-shell").exists()
    assert len(turn.refused) == 2
    assert all("not allowlisted" in note for note in turn.refused)


# 2. an embedded bare git repository --------------------------------------------------


def _git_payload(outside: Path, name: str) -> str:
    return (
        "[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = ..\n"
        f'\tfsmonitor = "touch {outside}/{name}; false"\n'
    )


def test_a_role_cannot_plant_a_git_repository_that_git_status_runs(
    agent_turn, root: Path, outside: Path
) -> None:
    turn = agent_turn(
        DEVELOPER,
        [
            ("write_file", {"path": "x/config", "content": _git_payload(outside, "pwned-git")}),
            ("write_file", {"path": "x/HEAD", "content": "ref: refs/heads/main\n"}),
            ("write_file", {"path": "x/objects/info/keep", "content": ""}),
            ("write_file", {"path": "x/refs/heads/keep", "content": ""}),
            ("run_command", {"command": ["git", "status"], "cwd": "x"}),
        ],
        config=allow(r"^git status$"),
    )
    assert not (outside / "pwned-git").exists()
    assert not (root / "x" / "HEAD").exists()
    assert any("git" in note and "HEAD" in note for note in turn.refused)


def test_files_inside_an_existing_git_directory_are_not_written(
    agent_turn, root: Path, outside: Path
) -> None:
    subprocess.run(
        ["git", "init", "-q", "--bare", str(root / "fixtures" / "repo")],
        check=True,
        env={"PATH": os.environ["PATH"], "HOME": str(root.parent)},
    )
    config_file = root / "fixtures" / "repo" / "config"
    before = config_file.read_text()
    turn = agent_turn(
        DEVELOPER,
        [
            ("write_file", {"path": "fixtures/repo/config", "content": _git_payload(outside, "p")}),
            ("write_file", {"path": "fixtures/repo/hooks/post-index-change", "content": "id"}),
        ],
    )
    assert config_file.read_text() == before
    assert not (root / "fixtures" / "repo" / "hooks" / "post-index-change").exists()
    assert len(turn.refused) == 2


def test_git_config_on_the_command_line_is_refused(agent_turn, root: Path, outside: Path) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    turn = agent_turn(
        DEVELOPER,
        [
            (
                "run_command",
                {
                    "command": [
                        "git",
                        "-c",
                        f"core.fsmonitor=touch {outside}/pwned-c; false",
                        "status",
                    ]
                },
            )
        ],
        config=allow(r"^git\b"),
    )
    assert not (outside / "pwned-c").exists()
    assert len(turn.refused) == 1 and "-c" in turn.refused[0]


# 3. and 4. a journal, a checkpoint and project modes that are not in their usual place


def test_a_journal_and_checkpoint_given_on_the_command_line_are_protected(
    run_cli, tmp_path: Path
) -> None:
    import sqlite3

    steps = [
        ("write_file", {"path": "records/tasks/FORGED-1.md", "content": "# Task Log: forged\n"}),
        ("write_file", {"path": "state/cp.sqlite", "content": "pwned"}),
        ("write_file", {"path": "state/cp.sqlite-wal", "content": "pwned"}),
    ]
    (tmp_path / "state").mkdir()  # a checkpoint's folder must exist (sqlite:/// is relative)
    code, out, refused = run_cli(
        steps,
        "--journal",
        "records",
        "--checkpoint",
        "sqlite:///state/cp.sqlite",
        "--workspace",
        ".",
    )
    assert code == 0, out
    assert not (tmp_path / "records" / "tasks" / "FORGED-1.md").exists()
    wal = tmp_path / "state" / "cp.sqlite-wal"
    assert not wal.exists() or not wal.read_bytes().startswith(b"pwned")
    with sqlite3.connect(tmp_path / "state" / "cp.sqlite") as conn:
        assert conn.execute("select count(*) from checkpoints").fetchone()[0] > 0
    assert len(refused) == 3, refused


def test_project_modes_of_the_working_directory_are_protected(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = tmp_path / "app"
    modes = app / ".modegraph" / "modes"
    modes.mkdir(parents=True)
    (modes / "team.mode.yaml").write_text(
        (tmp_path / "team.mode.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    monkeypatch.chdir(app)
    forged = (
        "# Mode: ✍️ Technical Writer (`dev`)\n\n## Description\nForged.\n\n"
        "## Metadata\n\n**Level:** 031-worker\n\n**Tool Groups:**\n- read\n- edit\n- command\n"
    )
    code, out, refused = run_cli(
        [
            ("write_file", {"path": "app/.modegraph/modes/dev.mode.md", "content": forged}),
            ("write_file", {"path": "app/.modegraph/modes/team.mode.yaml", "content": "x"}),
        ],
        "--workspace",
        "..",
        modes_file=None,
    )
    assert code == 0, out
    assert not (modes / "dev.mode.md").exists()
    assert (modes / "team.mode.yaml").read_text(encoding="utf-8").startswith("modes:")
    assert len(refused) == 2, refused


def test_a_modes_directory_given_with_modes_is_protected(run_cli, tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    (tmp_path / "team.mode.yaml").rename(team / "team.mode.yaml")
    forged = "# Mode: 🛠️ Dev (`dev`)\n\n## Metadata\n\n**Level:** 031-worker-dev\n"
    code, out, refused = run_cli(
        [
            ("write_file", {"path": "team/team.mode.yaml", "content": "modes: []\n"}),
            ("write_file", {"path": "team/override.mode.md", "content": "x"}),
            ("write_file", {"path": "team/sneaky.md", "content": forged}),
            ("write_file", {"path": "team/notes.md", "content": "plain notes\n"}),
        ],
        "--workspace",
        ".",
        modes_file="team",
    )
    assert code == 0, out
    assert (team / "team.mode.yaml").read_text(encoding="utf-8").startswith("modes:\n- slug")
    assert not (team / "override.mode.md").exists()
    assert not (team / "sneaky.md").exists()
    assert (team / "notes.md").read_text(encoding="utf-8") == "plain notes\n"
    assert len(refused) == 3, refused


# 5. prefix allowlists ------------------------------------------------------------------


def test_pytest_rule_does_not_let_a_report_be_written_outside(agent_turn, outside: Path) -> None:
    turn = agent_turn(
        DEVELOPER,
        [
            (
                "run_command",
                {
                    "command": [
                        "python",
                        "-m",
                        "pytest",
                        "-q",
                        "-p",
                        "no:cacheprovider",
                        f"--junitxml={outside}/report.xml",
                        "docs",
                    ]
                },
            )
        ],
        config=allow(r"^python -m pytest\b"),
    )
    assert not (outside / "report.xml").exists()
    assert len(turn.refused) == 1 and "outside the workspace" in turn.refused[0]


def test_a_markdown_writer_cannot_have_pytest_run_its_markdown(agent_turn, root: Path) -> None:
    doctest = "# Notes\n\n>>> open('pwned-doctest', 'w').close()\n"
    turn = agent_turn(
        MD_RUNNER,
        [
            ("write_file", {"path": "docs/notes.md", "content": doctest}),
            (
                "run_command",
                {"command": ["python", "-m", "pytest", "-q", "--doctest-glob=*.md", "docs"]},
            ),
        ],
        config=allow(r"^python -m pytest\b"),
    )
    assert not (root / "pwned-doctest").exists()
    assert len(turn.refused) == 1 and "--doctest-glob" in turn.refused[0]


@pytest.mark.parametrize(
    ("tail", "made"),
    [
        (["-exec", "touch", "{outside}/pwned-find", ";"], "{outside}/pwned-find"),
        (["-exec", "touch", "pwned-find", ";"], "{root}/pwned-find"),
        (["-execdir", "touch", "pwned-find", ";"], "{root}/app/pwned-find"),
        (["-fprint", "pwned-find"], "{root}/pwned-find"),
    ],
    ids=["exec-outside", "exec-inside", "execdir", "fprint"],
)
def test_find_rule_does_not_allow_exec(
    agent_turn, root: Path, outside: Path, tail: list[str], made: str
) -> None:
    names = {"outside": outside, "root": root}
    command = ["find", ".", "-name", "main.py", *(part.format(**names) for part in tail)]
    turn = agent_turn(
        DEVELOPER, [("run_command", {"command": command})], config=allow(r"^find \. -name\b")
    )
    assert not Path(made.format(**names)).exists()
    assert len(turn.refused) == 1


def test_find_delete_is_refused_unless_named(agent_turn, root: Path) -> None:
    command = ["find", ".", "-name", "guide.md", "-delete"]
    turn = agent_turn(
        DEVELOPER, [("run_command", {"command": command})], config=allow(r"^find \. -name\b")
    )
    assert (root / "docs" / "guide.md").exists()
    assert len(turn.refused) == 1


def test_shell_c_is_refused_unless_the_rule_names_it(agent_turn, outside: Path) -> None:
    turn = agent_turn(
        DEVELOPER,
        [("run_command", {"command": ["python", "-c", f"open('{outside}/pwned-py', 'w')"]})],
        config=allow(r"^python\b"),
    )
    assert not (outside / "pwned-py").exists()
    assert len(turn.refused) == 1 and "-c" in turn.refused[0]


# 6. the check-then-open race ---------------------------------------------------------

FLIPPER = """
import ctypes, os, sys, time
race, spare, target, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
libc = ctypes.CDLL(None, use_errno=True)
os.symlink(target, spare)
open(sys.argv[5], "w").close()
end = time.monotonic() + seconds
while time.monotonic() < end:
    # swap the folder and the symlink atomically (renameat2 RENAME_EXCHANGE)
    if libc.renameat2(-100, race.encode(), -100, spare.encode(), 2) != 0:
        sys.stderr.write(f"renameat2: {os.strerror(ctypes.get_errno())}\\n")
"""


def test_swapping_a_folder_for_a_symlink_never_reaches_outside(
    tools_for, root: Path, outside: Path, tmp_path: Path
) -> None:
    race = root / "race"
    race.mkdir()
    (race / "secret.txt").write_text("inside\n", encoding="utf-8")
    (outside / "only-outside.txt").write_text("TOP SECRET too\n", encoding="utf-8")
    started = tmp_path / "flipper-started"
    tools = tools_for(DEVELOPER)
    calls = [
        ("read_file", {"path": "race/secret.txt"}),
        ("write_file", {"path": "race/new.txt", "content": "x"}),
        ("edit_file", {"path": "race/secret.txt", "old_text": "inside", "new_text": "inside"}),
        ("list_files", {"path": "race", "recursive": True}),
        ("search_files", {"pattern": "SECRET", "path": "race"}),
    ]
    flipper = subprocess.Popen(
        [sys.executable, "-c", FLIPPER, race, root / "race.spare", outside, "1.5", started]
    )
    leaks: list[str] = []
    attempts = 0
    try:
        while not started.exists():
            time.sleep(0.005)
        deadline = time.monotonic() + 1.2
        while time.monotonic() < deadline:
            name, args = calls[attempts % len(calls)]
            attempts += 1
            try:
                text = tools[name].invoke(args)
            except Exception:  # refusals and missing files are the point
                continue
            if "TOP SECRET" in text or "only-outside" in text:
                leaks.append(f"{name}: {text}")
    finally:
        assert flipper.wait(timeout=30) == 0, "the flipper failed"
    assert attempts > 20
    assert leaks == []
    assert sorted(p.name for p in outside.iterdir()) == ["only-outside.txt", "secret.txt"]
    assert (outside / "secret.txt").read_text() == "TOP SECRET outside\n"


# 7. a child started with setsid -----------------------------------------------------

ESCAPER = """
import os, sys, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        with open(sys.argv[1] + ".tmp", "w") as f:
            f.write(str(os.getpid()))
        os.rename(sys.argv[1] + ".tmp", sys.argv[1])
        time.sleep(30)
        open(sys.argv[2], "w").close()
    os._exit(0)
while not os.path.exists(sys.argv[1]):
    time.sleep(0.01)
time.sleep(float(sys.argv[3]))
"""


@pytest.mark.parametrize(("hang", "timeout"), [(0, 60.0), (30, 1.0)], ids=["ends", "timeout"])
def test_a_setsid_child_does_not_outlive_the_command(
    agent_turn, root: Path, hang: float, timeout: float
) -> None:
    pid_file = root / "escaper.pid"
    command = ["python", "-c", ESCAPER, "escaper.pid", "late", str(hang)]
    started = time.monotonic()
    agent_turn(
        DEVELOPER,
        [("run_command", {"command": command})],
        config=allow(r"^python -c\b", timeout=timeout),
    )
    assert time.monotonic() - started < 20
    pid = int(pid_file.read_text())
    try:
        assert _wait_dead(pid, 2.0), "the setsid grandchild is still running"
    finally:
        _kill_quietly(pid)


DRIVER = """
import importlib.util, sys
from pathlib import Path

# modegraph.tools.process alone (not the whole package), so the driver starts fast
spec = importlib.util.spec_from_file_location("process", sys.argv[3])
process = sys.modules["process"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(process)
escaper, where = sys.argv[1], Path(sys.argv[2])
argv = ["python", "-c", escaper, "escaper.pid", "late", "30"]
process.execute(argv, cwd=where, timeout=60, max_output=1000)
"""


def test_the_tree_dies_with_modegraph(root: Path) -> None:
    """modegraph killed with SIGKILL mid-command: the supervisor still kills the tree."""
    import modegraph.tools.process as process

    source = str(process.__file__)
    driver = subprocess.Popen([sys.executable, "-c", DRIVER, ESCAPER, str(root), source])
    pid_file = root / "escaper.pid"
    try:
        deadline = time.monotonic() + 30
        while not pid_file.exists() and time.monotonic() < deadline:
            assert driver.poll() is None, "the driver failed"
            time.sleep(0.01)
        pid = int(pid_file.read_text())
    finally:
        driver.kill()
        driver.wait()
    try:
        assert _wait_dead(pid, 3.0), "the setsid grandchild outlived modegraph"
    finally:
        _kill_quietly(pid)


# 8. the environment -------------------------------------------------------------------


def test_only_allowlisted_environment_reaches_commands(
    agent_turn, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("GITHUB_PAT", "DOCKER_PASS", "STRIPE_SK", "MY_CREDS", "AWS_PROFILE"):
        monkeypatch.setenv(name, f"leaked-{name}")
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    script = "import os; print(sorted(os.environ))"
    turn = agent_turn(
        DEVELOPER,
        [("run_command", {"command": ["python", "-c", script]})],
        config=allow(r"^python -c\b", pass_env=("MY_*",)),
    )
    seen = eval(turn.result(0).splitlines()[2])  # the printed list
    assert "MY_CREDS" in seen
    assert {"GITHUB_PAT", "DOCKER_PASS", "STRIPE_SK", "AWS_PROFILE"}.isdisjoint(seen)
    assert {"PATH", "LANG", "LC_ALL"} <= set(seen)


# 9. MCP calls: time limit, output cap, no server left running -----------------------

RAW_MCP_SERVER = r"""
import json, os, signal, sys, time

TOOLS = [
    {"name": "hang", "description": "Never answers.", "inputSchema": {"type": "object"}},
    {"name": "flood", "description": "Answers megabytes.", "inputSchema": {"type": "object"}},
]


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def mark(name):
    path = os.path.join(sys.argv[1], name)
    with open(path + ".tmp", "w") as handle:
        handle.write(str(os.getpid()))
    os.rename(path + ".tmp", path)


for line in sys.stdin:
    message = json.loads(line)
    ident, method = message.get("id"), message.get("method")
    if ident is None:
        continue
    if method == "initialize":
        version = message["params"]["protocolVersion"]
        send({"jsonrpc": "2.0", "id": ident, "result": {
            "protocolVersion": version, "capabilities": {"tools": {}},
            "serverInfo": {"name": "raw", "version": "1"}}})
    elif method == "tools/list":
        send({"jsonrpc": "2.0", "id": ident, "result": {"tools": TOOLS}})
    elif method == "tools/call" and message["params"]["name"] == "hang":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if os.fork() == 0:
            os.setsid()
            mark("helper")
            time.sleep(60)
            os._exit(0)
        mark("server")
        time.sleep(60)
    elif method == "tools/call":
        text = "x" * 5_000_000
        send({"jsonrpc": "2.0", "id": ident, "result": {
            "content": [{"type": "text", "text": text}], "isError": False}})
    else:
        send({"jsonrpc": "2.0", "id": ident, "error": {"code": -32601, "message": method}})
"""


@pytest.fixture
def raw_mcp(tmp_path: Path):
    pytest.importorskip("langchain_mcp_adapters", reason="the mcp extra is not installed")
    from modegraph.modes.config import McpConfig

    script = tmp_path / "raw_server.py"
    script.write_text(RAW_MCP_SERVER, encoding="utf-8")
    marks = tmp_path / "marks"
    marks.mkdir()
    servers = {"raw": {"command": sys.executable, "args": [str(script), str(marks)]}}

    def config(timeout: float) -> ProjectConfig:
        return ProjectConfig(
            commands=CommandsConfig(timeout=timeout, max_output=5_000),
            mcp=McpConfig(servers=servers),
        )

    return config, marks


MCP_ROLE = make_mode("mcp-user", "mcp")


def _invoke_with_guard(tool, args: dict, seconds: float):
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = tool.invoke(
                {"type": "tool_call", "id": "m", "name": tool.name, "args": args}
            )
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"the MCP call was still running after {seconds} s"
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]


def test_a_hanging_mcp_tool_is_cut_off_and_its_server_killed(raw_mcp, root: Path) -> None:
    from modegraph.tools import Workspace, tools_for_mode

    config, marks = raw_mcp
    tools = {
        t.name: t for t in tools_for_mode(MCP_ROLE, workspace=Workspace(root), config=config(1.0))
    }
    started = time.monotonic()
    message = _invoke_with_guard(tools["raw_hang"], {}, 15.0)
    assert time.monotonic() - started < 10
    assert message.status == "error" and "1 s" in str(message.content)
    pids = [int((marks / name).read_text()) for name in ("server", "helper")]
    try:
        for pid in pids:
            assert _wait_dead(pid, 3.0), f"MCP process {pid} is still running"
    finally:
        for pid in pids:
            _kill_quietly(pid)


def test_an_mcp_result_is_capped(raw_mcp, root: Path) -> None:
    from modegraph.tools import Workspace, tools_for_mode

    config, _ = raw_mcp
    tools = {
        t.name: t for t in tools_for_mode(MCP_ROLE, workspace=Workspace(root), config=config(60.0))
    }
    message = _invoke_with_guard(tools["raw_flood"], {}, 15.0)
    assert len(str(message.content)) < 6_000
    assert "characters of output cut" in str(message.content)


# 10. regular expressions that backtrack forever -------------------------------------


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(a|aa)+$", r"^(a|a?)+$"])
def test_search_with_a_catastrophic_regex_ends(tools_for, root: Path, pattern: str) -> None:
    (root / "docs" / "bomb.txt").write_text("a" * 40 + "!\n", encoding="utf-8")
    search = tools_for(READER)["search_files"]
    started = time.monotonic()
    args = {"pattern": pattern, "path": "docs/bomb.txt"}
    message = search.invoke({"type": "tool_call", "id": "s", "name": "search_files", "args": args})
    assert time.monotonic() - started < 5
    assert "no match" in str(message.content) or "took longer than" in str(message.content)


def test_a_catastrophic_file_regex_ends(tools_for, root: Path) -> None:
    from modegraph.errors import ToolRefused

    mode = make_mode("writer", "read", ("edit", r"^(a|aa)+$"))
    write = tools_for(mode)["write_file"]
    started = time.monotonic()
    with pytest.raises(ToolRefused, match="took longer than"):
        write.invoke({"path": "a" * 40 + "!", "content": "x"})
    assert time.monotonic() - started < 5
    assert not (root / ("a" * 40 + "!")).exists()
