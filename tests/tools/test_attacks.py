"""The attack list: every way out of the sandbox or around a permission is refused.

Each row names a role, a tool and its arguments; the call must raise ToolRefused
with a message that says why, and the refusal must reach the journal hook.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import ToolMessage

from modegraph.errors import ToolRefused
from modegraph.modes.config import BrowserConfig, CommandsConfig, FilesConfig, ProjectConfig
from modegraph.modes.model import Mode, ToolGroup
from modegraph.tools import CallableApprover, ToolContext, Workspace, WriteRule
from modegraph.tools.browser import browser_tools
from modegraph.tools.files import edit_tools

pytestmark = pytest.mark.attack


def make_mode(slug: str, *groups: str | tuple[str, str]) -> Mode:
    tool_groups = tuple(
        ToolGroup(name=g[0], file_regex=g[1]) if isinstance(g, tuple) else ToolGroup(name=g)
        for g in groups
    )
    return Mode(slug=slug, name=slug, tool_groups=tool_groups)


DEVELOPER = make_mode("developer", "read", "edit", "command")
WRITER = make_mode("technical-writer", "read", ("edit", r"\.md$"))
READER = make_mode("reader", "read", "browser")
NOT_APP = make_mode("not-app", "read", ("edit", r"^(?!app/)"))
PYTEST_ONLY = ProjectConfig(commands=CommandsConfig(allow=(r"^pytest\b", r"^echo\b")))


@dataclass(frozen=True)
class Attack:
    id: str
    mode: Mode
    tool: str
    args: dict[str, Any] | Callable[[Path], dict[str, Any]]
    match: str
    config: ProjectConfig | None = None
    approver: Any = None
    case_insensitive: bool = False
    untouched: tuple[str, ...] = field(default=())


def _outside(name: str) -> Callable[[Path], dict[str, Any]]:
    return lambda root: {"path": str(root.parent / "outside" / name)}


ATTACKS = [
    # escaping the workspace
    Attack(
        "dotdot-read",
        DEVELOPER,
        "read_file",
        {"path": "../outside/secret.txt"},
        "outside the workspace",
    ),
    Attack(
        "dotdot-nested",
        DEVELOPER,
        "read_file",
        {"path": "app/../../outside/secret.txt"},
        "outside the workspace",
    ),
    Attack(
        "absolute-elsewhere",
        DEVELOPER,
        "read_file",
        _outside("secret.txt"),
        "outside the workspace",
    ),
    Attack(
        "absolute-etc", DEVELOPER, "read_file", {"path": "/etc/hostname"}, "outside the workspace"
    ),
    Attack(
        "dotdot-write",
        DEVELOPER,
        "write_file",
        {"path": "../outside/new.py", "content": "x"},
        "outside the workspace",
        untouched=("../outside/new.py",),
    ),
    Attack(
        "symlink-file-read", DEVELOPER, "read_file", {"path": "link.txt"}, "symlink that leads out"
    ),
    Attack(
        "symlink-dir-read",
        DEVELOPER,
        "read_file",
        {"path": "linkdir/secret.txt"},
        "symlink that leads out",
    ),
    Attack(
        "symlink-file-write",
        DEVELOPER,
        "write_file",
        {"path": "link.txt", "content": "pwned"},
        "symlink that leads out",
    ),
    Attack(
        "symlink-dir-write",
        DEVELOPER,
        "write_file",
        {"path": "linkdir/new.py", "content": "x"},
        "symlink that leads out",
        untouched=("../outside/new.py",),
    ),
    Attack(
        "symlink-dir-list", DEVELOPER, "list_files", {"path": "linkdir"}, "symlink that leads out"
    ),
    Attack(
        "symlink-dir-search",
        DEVELOPER,
        "search_files",
        {"pattern": "SECRET", "path": "linkdir"},
        "symlink that leads out",
    ),
    Attack("dotdot-list", READER, "list_files", {"path": ".."}, "outside the workspace"),
    Attack(
        "command-cwd-outside",
        DEVELOPER,
        "run_command",
        {"command": ["echo", "hi"], "cwd": ".."},
        "outside the workspace",
        config=PYTEST_ONLY,
    ),
    Attack(
        "command-cwd-symlink",
        DEVELOPER,
        "run_command",
        {"command": ["echo", "hi"], "cwd": "linkdir"},
        "symlink that leads out",
        config=PYTEST_ONLY,
    ),
    Attack("empty-path", DEVELOPER, "read_file", {"path": "  "}, "empty path"),
    # fileRegex bypasses (the technical writer may write `\.md$` only)
    Attack(
        "regex-plain",
        WRITER,
        "write_file",
        {"path": "app/evil.py", "content": "x"},
        r"may only write files whose path matches `\\.md\$`",
        untouched=("app/evil.py",),
    ),
    Attack(
        "regex-case",
        WRITER,
        "write_file",
        {"path": "NOTES.MD.py", "content": "x"},
        "may only write",
        untouched=("NOTES.MD.py",),
    ),
    Attack(
        "regex-case-ext",
        WRITER,
        "write_file",
        {"path": "notes.MD", "content": "x"},
        "case-sensitive",
        untouched=("notes.MD",),
    ),
    Attack(
        "regex-dot-slash",
        WRITER,
        "write_file",
        {"path": "./app/main.py", "content": "x"},
        "'app/main.py' does not",
    ),
    Attack(
        "regex-double-extension",
        WRITER,
        "write_file",
        {"path": "notes.md.py", "content": "x"},
        "'notes.md.py' does not",
        untouched=("notes.md.py",),
    ),
    Attack(
        "regex-dotdot-game",
        WRITER,
        "write_file",
        {"path": "docs/x.md/../../app/main.py", "content": "x"},
        "'app/main.py' does not",
    ),
    Attack(
        "regex-trailing-slash",
        WRITER,
        "write_file",
        {"path": "notes.md/", "content": "x"},
        "ends with '/'",
    ),
    Attack(
        "regex-nul-byte",
        WRITER,
        "write_file",
        {"path": "notes.md\x00.py", "content": "x"},
        "NUL byte",
    ),
    Attack(
        "regex-newline",
        WRITER,
        "write_file",
        {"path": "evil.py\n.md", "content": "x"},
        "control character",
    ),
    Attack(
        "regex-trailing-dot",
        WRITER,
        "write_file",
        {"path": "evil.md.", "content": "x"},
        "ending in '.'",
    ),
    Attack(
        "regex-symlink-inside",
        WRITER,
        "write_file",
        {"path": "readme.md", "content": "x"},
        "'app/main.py' does not",
    ),
    Attack(
        "regex-edit-symlink-inside",
        WRITER,
        "edit_file",
        {"path": "readme.md", "old_text": "hello", "new_text": "bye"},
        "'app/main.py' does not",
    ),
    Attack(
        "regex-backslash",
        WRITER,
        "write_file",
        {"path": "app\\evil.py", "content": "x"},
        "'app/evil.py' does not",
    ),
    Attack(
        "regex-case-insensitive-fs",
        NOT_APP,
        "write_file",
        {"path": "APP/main.py", "content": "x"},
        "'app/main.py' does not",
        case_insensitive=True,
    ),
    # secrets
    Attack("secret-env", READER, "read_file", {"path": ".env"}, "usually holds secrets"),
    Attack(
        "secret-id-rsa", READER, "read_file", {"path": "config/id_rsa"}, "usually holds secrets"
    ),
    Attack("secret-pem", READER, "read_file", {"path": "server.pem"}, "usually holds secrets"),
    Attack(
        "secret-via-symlink",
        READER,
        "read_file",
        {"path": "env-alias.txt"},
        "'.env' usually holds secrets",
    ),
    Attack(
        "secret-via-dot-slash",
        READER,
        "read_file",
        {"path": "./config/../.env"},
        "usually holds secrets",
    ),
    Attack(
        "secret-edit",
        DEVELOPER,
        "edit_file",
        {"path": ".env", "old_text": "API", "new_text": "X"},
        "usually holds secrets",
    ),
    Attack(
        "secret-write",
        DEVELOPER,
        "write_file",
        {"path": "deploy/.env", "content": "K=V"},
        "usually holds secrets",
        untouched=("deploy/.env",),
    ),
    # files no role may write
    Attack(
        "git-hook",
        DEVELOPER,
        "write_file",
        {"path": ".git/hooks/pre-commit", "content": "rm -rf ~"},
        "git hooks and config would run code",
        untouched=(".git/hooks/pre-commit",),
    ),
    Attack(
        "git-config-case",
        DEVELOPER,
        "write_file",
        {"path": "sub/.GIT/config", "content": "x"},
        r"under \.git/",
        untouched=("sub",),
    ),
    Attack(
        "own-config",
        DEVELOPER,
        "write_file",
        {"path": "modegraph.yaml", "content": "commands: {allow: ['.*']}"},
        "allowlist its own commands",
        untouched=("modegraph.yaml",),
    ),
    Attack(
        "own-mode-file",
        DEVELOPER,
        "write_file",
        {"path": ".modegraph/modes/dev.mode.md", "content": "x"},
        "rewrite its own permissions",
        untouched=(".modegraph",),
    ),
    Attack(
        "roomodes",
        WRITER,
        "write_file",
        {"path": ".roomodes", "content": "{}"},
        "rewrite its own permissions",
        untouched=(".roomodes",),
    ),
    Attack(
        "journal-forgery",
        WRITER,
        "write_file",
        {"path": "project_journal/tasks/T-1.md", "content": "# forged"},
        "only the coordinator writes",
        untouched=("project_journal",),
    ),
    Attack(
        "secret-git-credentials",
        READER,
        "read_file",
        {"path": ".git-credentials"},
        "usually holds secrets",
    ),
    Attack(
        "git-head-anywhere",
        DEVELOPER,
        "write_file",
        {"path": "docs/HEAD", "content": "ref: refs/heads/main\n"},
        "git HEAD file",
        untouched=("docs/HEAD",),
    ),
    Attack(
        "nested-mode-dir",
        DEVELOPER,
        "write_file",
        {"path": "app/.modegraph/modes/dev.mode.yaml", "content": "modes: []"},
        "rewrite its own permissions",
        untouched=("app/.modegraph",),
    ),
    Attack(
        "nested-journal",
        WRITER,
        "write_file",
        {"path": "app/project_journal/tasks/T-1.md", "content": "# forged"},
        "only the coordinator writes",
        untouched=("app/project_journal",),
    ),
    # commands
    Attack(
        "command-argument-outside",
        DEVELOPER,
        "run_command",
        {"command": ["ls", "../outside"]},
        "outside the workspace",
        config=ProjectConfig(commands=CommandsConfig(allow=(r"^ls\b",))),
    ),
    Attack(
        "command-argument-symlink-out",
        DEVELOPER,
        "run_command",
        {"command": ["ls", "linkdir/"]},
        "outside the workspace",
        config=ProjectConfig(commands=CommandsConfig(allow=(r"^ls\b",))),
    ),
    Attack(
        "command-argument-names-the-journal",
        DEVELOPER,
        "run_command",
        {"command": ["touch", "project_journal/tasks/T-1.md"]},
        "no command may name it",
        config=ProjectConfig(commands=CommandsConfig(allow=(r"^touch\b",))),
        untouched=("project_journal",),
    ),
    Attack(
        "command-program-prefix",
        DEVELOPER,
        "run_command",
        {"command": ["pytest-evil", "-q"]},
        "part of the program name",
        config=PYTEST_ONLY,
    ),
    Attack(
        "command-shell-comment",
        DEVELOPER,
        "run_command",
        {"command": "echo ok # && touch pwned"},
        "not allowlisted",
        config=PYTEST_ONLY,
        untouched=("pwned",),
    ),
    # commands
    Attack(
        "command-not-allowlisted",
        DEVELOPER,
        "run_command",
        {"command": ["rm", "-rf", "app"]},
        "not allowlisted",
        config=PYTEST_ONLY,
        untouched=(),
    ),
    Attack(
        "command-shell-chain",
        DEVELOPER,
        "run_command",
        {"command": "echo ok; touch pwned"},
        "not allowlisted",
        config=PYTEST_ONLY,
        untouched=("pwned",),
    ),
    Attack(
        "command-shell-subst",
        DEVELOPER,
        "run_command",
        {"command": "echo $(touch pwned)"},
        "not allowlisted",
        config=PYTEST_ONLY,
        untouched=("pwned",),
    ),
    Attack(
        "command-no-config",
        DEVELOPER,
        "run_command",
        {"command": ["touch", "pwned"]},
        "not allowlisted",
        untouched=("pwned",),
    ),
    Attack(
        "command-approver-says-no",
        DEVELOPER,
        "run_command",
        {"command": ["touch", "pwned"]},
        "was not approved",
        approver=CallableApprover(lambda request: False),
        untouched=("pwned",),
    ),
]


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.id for a in ATTACKS])
def test_attack_is_refused_and_journaled(attack: Attack, tools_for, journal, root: Path) -> None:
    tools = tools_for(
        attack.mode,
        config=attack.config,
        approver=attack.approver,
        case_insensitive=attack.case_insensitive,
    )
    args = attack.args(root) if callable(attack.args) else attack.args
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink()}
    with pytest.raises(ToolRefused, match=attack.match):
        tools[attack.tool].invoke(args)
    assert len(journal.refusals) == 1
    assert journal.refusals[0].startswith("refused: ")
    assert re.search(attack.match, journal.refusals[0])
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink()}
    assert before == after, "a refused call changed the workspace"
    assert (root.parent / "outside" / "secret.txt").read_text() == "TOP SECRET outside\n"
    for name in attack.untouched:
        assert not (root / name).exists(), name


def test_refusal_reaches_the_model_as_a_tool_error_only_through_the_agent(tools_for) -> None:
    """ToolRefused is not swallowed by the tool: the chat agent decides what the model sees."""
    tools = tools_for(READER)
    call = {"type": "tool_call", "id": "c1", "name": "read_file", "args": {"path": ".env"}}
    with pytest.raises(ToolRefused):
        tools["read_file"].invoke(call)


@pytest.mark.parametrize(
    ("mode", "absent"),
    [
        (READER, {"write_file", "edit_file", "run_command"}),
        (WRITER, {"run_command", "fetch_url"}),
        (make_mode("editor", "edit"), {"read_file", "list_files", "search_files", "run_command"}),
        (make_mode("nothing"), {"read_file", "write_file", "run_command", "fetch_url"}),
        (DEVELOPER, {"fetch_url"}),
    ],
    ids=[
        "write-and-command-without-groups",
        "command-without-group",
        "read-without-group",
        "no-groups",
        "browser-without-group",
    ],
)
def test_a_role_gets_only_its_groups_tools(mode: Mode, absent: set[str], tools_for) -> None:
    names = set(tools_for(mode))
    assert not names & absent


def test_write_without_edit_group_is_refused_at_the_permission_layer_too(
    root: Path, journal
) -> None:
    ctx = ToolContext(
        workspace=Workspace(root), write_rule=WriteRule(enabled=False), journal_hook=journal
    )
    write = {t.name: t for t in edit_tools(ctx)}["write_file"]
    with pytest.raises(ToolRefused, match="no edit tool group"):
        write.invoke({"path": "docs/new.md", "content": "x"})
    assert journal.refusals and not (root / "docs" / "new.md").exists()


def test_browser_off_is_not_offered_and_refused_when_called(root: Path, tools_for, journal) -> None:
    assert "fetch_url" not in tools_for(READER)
    assert "fetch_url" in tools_for(READER, config=ProjectConfig(browser=BrowserConfig(allow=True)))
    ctx = ToolContext(workspace=Workspace(root), journal_hook=journal)
    fetch = browser_tools(ctx)[0]
    with pytest.raises(ToolRefused, match=r"browser\.allow: true"):
        fetch.invoke({"url": "http://127.0.0.1:9/"})
    assert journal.refusals


def test_browser_refuses_other_schemes(root: Path, journal) -> None:
    config = ProjectConfig(browser=BrowserConfig(allow=True))
    fetch = browser_tools(
        ToolContext(workspace=Workspace(root), config=config, journal_hook=journal)
    )[0]
    with pytest.raises(ToolRefused, match="only http and https"):
        fetch.invoke({"url": f"file://{root / '.env'}"})
    assert journal.refusals


def test_allowed_secrets_become_readable(tools_for) -> None:
    config = ProjectConfig(files=FilesConfig(allow_secrets=(".env",)))
    out = tools_for(READER, config=config)["read_file"].invoke({"path": ".env"})
    assert "API_KEY" in out


def test_search_never_shows_secret_contents(tools_for) -> None:
    out = tools_for(READER)["search_files"].invoke({"pattern": "API_KEY|PRIVATE KEY"})
    assert "sk-live" not in out and "BEGIN" not in out
    assert "no match" in out and "usually hold secrets were not searched" in out


def test_search_skips_symlinks_leading_out(tools_for) -> None:
    out = tools_for(READER)["search_files"].invoke({"pattern": "TOP SECRET"})
    assert out.startswith("no match for 'TOP SECRET'")
    assert "link.txt" not in out and "linkdir" not in out


def test_edit_that_is_not_unique_is_not_made(tools_for, root: Path) -> None:
    edit = tools_for(DEVELOPER)["edit_file"]
    call = {
        "type": "tool_call",
        "id": "e1",
        "name": "edit_file",
        "args": {"path": "app/main.py", "old_text": "x = 1", "new_text": "x = 2"},
    }
    result = edit.invoke(call)
    assert isinstance(result, ToolMessage) and result.status == "error"
    assert "occurs 2 times" in str(result.content)
    assert (root / "app" / "main.py").read_text().count("x = 1") == 2


# Commands that try to exhaust the host: bounded, never refused outright, always journaled.
def _limits(timeout: float) -> ProjectConfig:
    return ProjectConfig(
        commands=CommandsConfig(
            allow=(r"^python -c\b", r"^sh -c\b"), timeout=timeout, max_output=2_000
        )
    )


FAST = _limits(1.0)
# the output cap must trip, not the timeout, even when Python starts slowly on a busy host
PATIENT = _limits(120.0)
BOUNDED = [
    pytest.param(
        ["python", "-c", "import sys\nfor _ in range(2000): sys.stdout.write('y' * 1000)"],
        PATIENT,
        "bytes of output cut",
        id="huge-output-capped",
    ),
    pytest.param(
        ["python", "-c", "import time; time.sleep(60)"],
        FAST,
        "timed out after 1 s",
        id="hang-killed",
    ),
    pytest.param(
        ["sh", "-c", "sleep 60 & sleep 60"],
        FAST,
        "timed out after 1 s",
        id="hang-with-child-killed",
    ),
]


@pytest.mark.parametrize(("command", "config", "expected"), BOUNDED)
def test_runaway_command_is_bounded_and_journaled(
    command, config, expected, tools_for, journal
) -> None:
    import time

    run = tools_for(DEVELOPER, config=config)["run_command"]
    call = {"type": "tool_call", "id": "r1", "name": "run_command", "args": {"command": command}}
    started = time.monotonic()
    result = run.invoke(call)
    elapsed = time.monotonic() - started
    # well under the 60 s the hanging commands (and their child) would take unkilled,
    # with room for a loaded machine
    assert elapsed < 30, f"took {elapsed:.1f} s"
    assert expected in str(result.content)
    assert len(str(result.content)) < 3_000
    assert journal.lines and "`" in journal.lines[-1]


@pytest.mark.parametrize("tool", ["write_file", "edit_file"])
def test_a_hard_link_to_an_outside_file_is_never_written_through(
    tool: str, tools_for, root: Path
) -> None:
    """A hard link (made by someone else) shares the outside file's inode; writes replace it."""
    outside_file = root.parent / "outside" / "secret.txt"
    os.link(outside_file, root / "docs" / "linked.md")
    tools = tools_for(DEVELOPER)
    if tool == "write_file":
        tools[tool].invoke({"path": "docs/linked.md", "content": "overwritten"})
    else:
        tools[tool].invoke({"path": "docs/linked.md", "old_text": "TOP", "new_text": "NOT"})
    assert outside_file.read_text() == "TOP SECRET outside\n"
    assert (root / "docs" / "linked.md").read_text() in ("overwritten", "NOT SECRET outside\n")


def test_a_fifo_is_not_opened_for_reading(tools_for, root: Path) -> None:
    os.mkfifo(root / "docs" / "pipe.md")
    message = tools_for(READER)["read_file"].invoke(
        {"type": "tool_call", "id": "f", "name": "read_file", "args": {"path": "docs/pipe.md"}}
    )
    assert message.status == "error" and "is not a file" in str(message.content)
