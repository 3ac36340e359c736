"""What a `commands.allow` rule allows (docs/sandbox.md, "What an allow rule means")."""

from __future__ import annotations

from pathlib import Path

import pytest

from modegraph.tools import CommandRequest, Workspace, allowlist_match
from modegraph.tools.escapes import escape_tokens, program_name
from modegraph.tools.rules import command_line, judge, parse_shell


@pytest.fixture
def ws(root: Path) -> Workspace:
    return Workspace(root)


@pytest.mark.parametrize(
    ("rule", "argv"),
    [
        (r"^pytest\b", ["pytest"]),
        (r"^pytest\b", ["pytest", "-q", "tests/"]),
        (r"^pytest ", ["pytest", "-q"]),
        (r"^uv run ", ["uv", "run", "pytest", "-q"]),
        (r"pytest", ["pytest", "-q"]),  # an unanchored rule is anchored at the program
        (r"^python -m pytest\b", ["python", "-m", "pytest", "-q", "--junitxml=out/r.xml"]),
        (r"^python -m pytest\b", ["python", "-m", "pytest", "-p", "no:cacheprovider"]),
        (r"^python -m pytest -c pytest\.ini\b", ["python", "-m", "pytest", "-c", "pytest.ini"]),
        (r"^python -c\b", ["python", "-c", "print(1)"]),
        (r"^find \. -name\b", ["find", ".", "-name", "*.py"]),
        (r"^find \. -name \S+ -delete$", ["find", ".", "-name", "x.pyc", "-delete"]),
        (r"^git status\b", ["git", "status", "--short"]),
        (r"^git log\b", ["git", "log", "-n", "3", "https://example.com/x"]),
        (r"^ruff check\b", ["ruff", "check", "src", "tests"]),
        (r"^\./scripts/check\.sh$", ["scripts/check.sh"]),
        (r"^\./scripts/check\.sh$", ["./app/../scripts/check.sh"]),
        (r"^timeout 60 pytest\b", ["timeout", "60", "pytest", "-q"]),
        (
            r"^python -m pytest --junitxml=/tmp/r\.xml$",
            ["python", "-m", "pytest", "--junitxml=/tmp/r.xml"],
        ),
    ],
)
def test_allowed(rule: str, argv: list[str], ws: Workspace) -> None:
    verdict = judge(argv, [rule], workspace=ws)
    assert verdict.pattern == rule, verdict.problem


@pytest.mark.parametrize(
    ("rule", "argv", "why"),
    [
        (r"^pytest\b", ["pytest-evil"], "part of the program name"),
        (r"^py", ["pytest"], "part of the program name"),
        (r"^python -m pytest\b", ["python", "-m", "pytest-evil"], "ends inside an argument"),
        (r"^pytest\b", ["pytest/../../../../../../../bin/sh", "-c", "id"], None),
        (r"^pytest\b", ["./pytest"], None),
        (r"^pytest -q$", ["pytest", "-q", "--lf"], None),
        (r"^python -m pytest\b", ["python", "-m", "pytest", "--junitxml=/tmp/r.xml"], "outside"),
        (r"^python -m pytest\b", ["python", "-m", "pytest", "--basetemp", "/tmp/x"], "outside"),
        (r"^cc\b", ["cc", "-o/tmp/x", "a.c"], "outside"),
        (r"^python -m pytest\b", ["python", "-m", "pytest", "../outside/x"], "outside"),
        (r"^python -m pytest\b", ["python", "-m", "pytest", "linkdir/x"], "outside"),
        (r"^python -m pytest\b", ["python", "-m", "pytest", "--cov=src,/etc"], "outside"),
        (r"^ls\b", ["ls", "linkdir"], "outside"),
        (r"^python -m pytest\b", ["python", "-m", "pytest", "-c", "evil.md"], "-c"),
        (r"^python -m pytest\b", ["python", "-m", "pytest", "--doctest-glob=*.md"], "doctest"),
        (r"^python -m pytest\b", ["python", "-m", "pytest", "-p", "evil"], "plugin"),
        (r"^pytest\b", ["pytest", "-o", "python_files=*.md"], "-o"),
        (r"^python\b", ["python", "-c", "print(1)"], "-c"),
        (r"^python\b", ["python", "-Ic", "print(1)"], "-Ic"),
        (r"^bash\b", ["bash", "-lc", "id"], "-lc"),
        (r"^node\b", ["node", "-e", "1"], "-e"),
        (r"^node\b", ["node", "--eval=1"], "--eval"),
        (r"^perl\b", ["perl", "-ne", "print"], "-ne"),
        (r"^find \. -name\b", ["find", ".", "-name", "x", "-exec", "id", ";"], "-exec"),
        (r"^find\b", ["find", ".", "-delete"], "-delete"),
        (r"^git\b", ["git", "-c", "core.pager=id", "log"], "-c"),
        (r"^git\b", ["git", "config", "core.fsmonitor", "id"], "git config"),
        (r"^git\b", ["git", "clone", "-u", "id", "x"], "-u"),
        (r"^git\b", ["git", "rebase", "-x", "id", "main"], "-x"),
        (r"^git\b", ["git", "fetch", "--upload-pack=id"], "--upload-pack"),
        (r"^tar\b", ["tar", "-cf", "a.tar", "--to-command=id", "src"], "--to-command"),
        (r"^tar\b", ["tar", "-xI", "id", "-f", "a.tar"], "-xI"),
        (r"^rsync\b", ["rsync", "-e", "id", "a", "b"], "-e"),
        (r"^ssh\b", ["ssh", "-o", "ProxyCommand=id", "host"], "-o"),
        (r"^env\b", ["env", "FOO=1", "sh", "-c", "id"], "`sh`"),
        (r"^xargs\b", ["xargs", "-n1", "rm"], "`rm`"),
        (r"^timeout 60\b", ["timeout", "60", "sh", "-c", "id"], "`sh`"),
    ],
)
def test_refused(rule: str, argv: list[str], why: str | None, ws: Workspace) -> None:
    verdict = judge(argv, [rule], workspace=ws)
    assert verdict.pattern is None
    if why is not None:
        assert verdict.problem is not None and why in verdict.problem


def test_a_program_given_as_a_path_is_written_resolved(ws: Workspace) -> None:
    root = ws.root
    assert command_line(["pytest"], cwd=root, workspace=ws).program == "pytest"
    assert command_line(["app/../x.sh"], cwd=root, workspace=ws).program == "./x.sh"
    assert command_line(["../x.sh"], cwd=root / "app", workspace=ws).program == "./x.sh"
    climbing = command_line(["pytest/" + "../" * 40 + "bin/sh"], cwd=root, workspace=ws)
    assert climbing.program == "/bin/sh"
    assert climbing.line == "/bin/sh"


def test_protected_paths_in_arguments_are_refused(ws: Workspace) -> None:
    def protected(real: Path) -> str | None:
        return "the task journal" if "project_journal" in real.parts else None

    argv = ["python", "-m", "pytest", "--junitxml=project_journal/tasks/T-1.md"]
    verdict = judge(argv, [r"^python -m pytest\b"], workspace=ws, protected=protected)
    assert verdict.pattern is None and "the task journal" in (verdict.problem or "")


def test_shell_strings_are_parsed_or_refused() -> None:
    assert parse_shell("pytest -q 'tests/a b.py'") == ("pytest", "-q", "tests/a b.py")
    for text in ("pytest; id", "pytest $(id)", "pytest > x", "A=1 pytest", "pytest # x", ""):
        assert isinstance(parse_shell(text), str), text


def test_allowlist_match_keeps_its_signature(ws: Workspace, root: Path) -> None:
    plain = CommandRequest(command="pytest -q")
    assert allowlist_match(plain, [r"^pytest\b"]) == r"^pytest\b"
    outside = CommandRequest(command="pytest --basetemp=/tmp/x")
    assert allowlist_match(outside, [r"^pytest\b"]) == r"^pytest\b"  # no workspace: no paths
    assert allowlist_match(outside, [r"^pytest\b"], workspace=ws, cwd=root) is None


def test_program_names() -> None:
    assert program_name("/usr/bin/python3.11") == "python"
    assert program_name("PYTHON.EXE") == "python"
    assert program_name("./node_modules/.bin/jest") == "jest"


def test_what_follows_a_script_belongs_to_it() -> None:
    assert escape_tokens(["python", "-m", "http.server", "-c", "x.ini"]) == []
    assert escape_tokens(["python", "script.py", "-c", "x"]) == []
    assert escape_tokens(["bash", "build.sh", "-c"]) == []
    assert [e.index for e in escape_tokens(["python", "-W", "error", "-c", "1"])] == [3]
