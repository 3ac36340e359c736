"""Every command output shown in README.md and docs/*.md is what the command prints.

The convention (docs/development.md, "Examples that are checked", tells authors):

- A fenced block whose info string starts with `console` is a terminal session. Each
  line that starts with `$ modegraph ` is a command (a trailing ` \\` continues it on
  the next line); the lines after it, up to the next command, are what it prints
  (standard output and standard error together, as a terminal shows them).
- A command that ends in ` 2>/dev/null` shows its standard output alone (for `--json`).
- When a command exits with a code other than 0, its output ends with `[exit N]`.
- `...` alone on a line stands for any number of lines; `...` inside a line for any
  text on that line.
- Volatile parts are replaced on both sides before comparing: task ids' date and time
  (`TASK-FASTAPI-20261127-105348` is `TASK-FASTAPI-<stamp>`), dates and times, the
  temporary project directory and the installed package's directory. A task id in a
  command stands for the task id a command printed: the n-th distinct id with a given
  prefix that the page shows is the n-th distinct one the commands printed, so give
  each task a page runs an id of its own.
- Code blocks with a `title="relative/path"` attribute are files: they are written into
  the project directory before the next console block runs.
- The console blocks of one page run in order, in one fresh, empty project directory
  (its own `HOME` and XDG config, so only the bundled library and the page's files are
  there), with an 88-column terminal and no colours, offline.

Every ```python block runs too: the blocks of a page in order, in one namespace, in a
fresh project directory (with the page's files written first, as above). A block
that must not run (it needs a real model or a network) has the line
`<!-- docs-examples: skip -->` just before its fence; so does a console block.

Other blocks (`bash`, `text`, `json`, ...) are not run: use `console` for every example
whose output is shown.

Run as a script, it prints what the commands of pages print now, or, with `--refresh`,
rewrites the outputs that no longer match in place (`refresh_page`): lines that still
match stay as written (task-id stamps and dates included), every `...` line stays and
takes in what is new around it, a stale line is replaced by its new version, and
nothing else on the page changes:

    python tests/test_docs_examples.py [--refresh] docs/running.md [PAGE...]
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import os
import re
import shlex
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

import modegraph
from modegraph.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
COLUMNS = 88
"""The terminal width the examples are shown at."""
SKIP = "<!-- docs-examples: skip -->"
"""Put on the line before a block that must not run (it needs a real model, say)."""

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_TITLE = re.compile(r"""\btitle=(?:"([^"]*)"|'([^']*)')""")
_TASK_ID = re.compile(r"\bTASK-((?:[A-Z0-9]+-)+?)\d{8}-\d{6}(?:-\d+)?")
_TIME = re.compile(
    r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}| UTC)?)?\b"
)
PACKAGE_DIR = str(Path(modegraph.__file__).resolve().parent)


@dataclass
class Command:
    """One `$ modegraph ...` line of a console block and the output shown under it."""

    line: int
    argv: list[str]
    stdout_only: bool = False
    expected: list[str] = field(default_factory=list)
    indent: int = 0
    """How far the block is indented on the page (its output lines are too)."""


@dataclass
class Block:
    """A fenced block of a page: a console session or a file."""

    path: Path
    line: int
    info: str
    body: list[str]
    skipped: bool = False
    indent: int = 0
    """How far the fence is indented (a block inside a list item); its lines too."""

    @property
    def language(self) -> str:
        return (self.info.split(maxsplit=1) or [""])[0]

    @property
    def is_console(self) -> bool:
        return self.language == "console" and not self.skipped

    @property
    def is_python(self) -> bool:
        return self.language == "python" and self.title is None and not self.skipped

    @property
    def title(self) -> str | None:
        found = _TITLE.search(self.info)
        return None if found is None else (found.group(1) or found.group(2))


def _shown(path: Path) -> str:
    """The path as a failure names it: relative to the repository when inside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def blocks(path: Path) -> list[Block]:
    """The fenced blocks of a Markdown page, with their first line number."""
    found: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        fence, indent = opening.group("fence"), len(opening.group("indent"))
        body: list[str] = []
        end = index + 1
        while end < len(lines):
            closing = lines[end].strip()
            if closing.startswith(fence[0] * len(fence)) and not closing.strip(fence[0]):
                break
            body.append(lines[end][indent:] if lines[end][:indent].isspace() else lines[end])
            end += 1
        before = next((ln.strip() for ln in reversed(lines[:index]) if ln.strip()), "")
        info = opening.group("info").strip()
        found.append(Block(path, index + 1, info, body, skipped=before == SKIP, indent=indent))
        index = end + 1
    return found


def commands(block: Block) -> list[Command]:
    """The commands of a console block with the output shown under each."""
    parsed: list[Command] = []
    pending = ""
    for offset, text in enumerate(block.body, start=block.line + 1):
        if pending or text.startswith("$ "):
            command = pending + (text[2:] if not pending else text.strip())
            if command.endswith("\\"):
                pending = command[:-1].rstrip() + " "
                continue
            pending = ""
            argv = shlex.split(command)
            if argv[:1] != ["modegraph"]:
                pytest.fail(
                    f"{_shown(block.path)}:{offset}: only `$ modegraph ...` commands run in a "
                    "console block; show other commands in a ```bash block"
                )
            quiet = argv[-1:] == ["2>/dev/null"]
            parsed.append(
                Command(
                    line=offset,
                    argv=argv[1:-1] if quiet else argv[1:],
                    stdout_only=quiet,
                    indent=block.indent,
                )
            )
        elif parsed:
            parsed[-1].expected.append(text)
        elif text.strip():
            pytest.fail(f"{_shown(block.path)}:{offset}: a console block starts with `$ modegraph`")
    return parsed


def _masked_paths(text: str, project: Path) -> str:
    """The text with the project and package directories as a page writes them."""
    for directory in sorted({str(project.resolve()), str(project)}, key=len, reverse=True):
        text = text.replace(directory, "/path/to/project")
    return text.replace(PACKAGE_DIR, "/path/to/site-packages/modegraph")


def normalise(text: str, project: Path) -> str:
    """The text with its volatile parts replaced and trailing spaces removed."""
    text = _masked_paths(text, project)
    text = _TASK_ID.sub(r"TASK-\1<stamp>", text)
    text = _TIME.sub("<time>", text)
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def matches(expected: str, actual: str) -> bool:
    """Whether the actual output is what the page shows, `...` standing for anything."""
    pattern = []
    for line in expected.splitlines():
        if line.strip() == "...":
            pattern.append(r"(?:[^\n]*\n)*?")
        else:
            pattern.append(".*?".join(re.escape(part) for part in line.split("...")) + r"\n")
    return re.fullmatch("".join(pattern), actual + "\n" if actual else "") is not None


class TaskIds:
    """Maps the task ids a page shows to the ones the commands really printed.

    The n-th distinct id with a given prefix that the page shows (in commands and
    outputs, in reading order) stands for the n-th distinct id with that prefix that
    the commands printed.
    """

    def __init__(self) -> None:
        self.shown: dict[str, list[str]] = {}
        self.printed: dict[str, list[str]] = {}

    @staticmethod
    def _note(text: str, into: dict[str, list[str]]) -> None:
        for found in _TASK_ID.finditer(text):
            ids = into.setdefault(found.group(1), [])
            if found.group(0) not in ids:
                ids.append(found.group(0))

    def shown_in(self, text: str) -> None:
        """Note the ids a page shows in a command or an output."""
        self._note(text, self.shown)

    def printed_in(self, text: str) -> None:
        """Note the ids a command printed."""
        self._note(text, self.printed)

    def real(self, arg: str) -> str:
        """The argument with each shown id replaced by the printed one it stands for."""

        def swap(found: re.Match[str]) -> str:
            shown = self.shown.get(found.group(1), [])
            printed = self.printed.get(found.group(1), [])
            index = shown.index(found.group(0))
            return printed[index] if index < len(printed) else found.group(0)

        return _TASK_ID.sub(swap, arg)

    def shown_for(self, text: str) -> str:
        """The text with each printed id replaced by the shown id that stands for it."""

        def swap(found: re.Match[str]) -> str:
            shown = self.shown.get(found.group(1), [])
            printed = self.printed.get(found.group(1), [])
            index = printed.index(found.group(0)) if found.group(0) in printed else len(shown)
            return shown[index] if index < len(shown) else found.group(0)

        return _TASK_ID.sub(swap, text)


def _write_file(block: Block, project: Path) -> None:
    name = block.title
    assert name is not None
    target = (project / name).resolve()
    if Path(name).is_absolute() or not target.is_relative_to(project.resolve()):
        pytest.fail(f"{_shown(block.path)}:{block.line}: title={name!r} must be a relative path")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(block.body) + "\n", encoding="utf-8")


@dataclass
class Ran:
    """A command of a page, run: its real argv and what it printed."""

    command: Command
    argv: list[str]
    output: str
    """What the page is compared with: standard output and standard error together (or
    standard output alone), then `[exit N]` when N is not 0."""
    ids: TaskIds
    """The task ids shown and printed so far on the page, this command's included."""


def session(path: Path, project: Path) -> Iterator[Ran]:
    """Run a page's console blocks in order: each command, its real argv and its output."""
    runner = CliRunner()
    ids = TaskIds()
    for block in blocks(path):
        if block.title is not None and not block.is_console:
            _write_file(block, project)
            continue
        if not block.is_console:
            continue
        for command in commands(block):
            ids.shown_in(shlex.join(command.argv))
            argv = [ids.real(arg) for arg in command.argv]
            ids.shown_in("\n".join(command.expected))
            result = runner.invoke(
                app, argv, env={"COLUMNS": str(COLUMNS), "NO_COLOR": "1"}, catch_exceptions=False
            )
            output = result.stdout if command.stdout_only else result.output
            ids.printed_in(result.output)
            if result.exit_code != 0:
                shown = output.rstrip("\n") + "\n" if output.strip() else ""
                output = f"{shown}[exit {result.exit_code}]"
            yield Ran(command, argv, output, ids)


def run_page(path: Path, project: Path) -> Iterator[str]:
    """Run a page's console blocks in order; yield a report for each mismatch."""
    for ran in session(path, project):
        command, argv = ran.command, ran.argv
        actual = normalise(ran.output, project)
        expected = normalise("\n".join(command.expected), project)
        if not matches(expected, actual):
            diff = "\n".join(
                difflib.unified_diff(
                    expected.splitlines(), actual.splitlines(), "shown", "printed", lineterm=""
                )
            )
            yield (
                f"{_shown(path)}:{command.line}: `modegraph {shlex.join(argv)}` "
                f"prints something else than the page shows:\n{diff}"
            )


def run_python(path: Path, project: Path) -> None:
    """Run a page's Python blocks in order, in one namespace."""
    namespace: dict[str, object] = {"__name__": "__docs_example__"}
    for block in blocks(path):
        if block.title is not None and not block.is_console:
            _write_file(block, project)
        elif block.is_python:
            code = "\n" * block.line + "\n".join(block.body) + "\n"
            exec(compile(code, _shown(path), "exec"), namespace)


def _pages_with(kind: str) -> list[Path]:
    return [page for page in PAGES if any(getattr(b, kind) for b in blocks(page))]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty project directory as the current one, with its own home."""
    directory = tmp_path / "project"
    directory.mkdir()
    monkeypatch.chdir(directory)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    return directory


@pytest.mark.parametrize("page", _pages_with("is_console"), ids=lambda p: p.name)
def test_every_shown_output_is_what_the_command_prints(page: Path, project: Path) -> None:
    problems = list(run_page(page, project))
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("page", _pages_with("is_python"), ids=lambda p: p.name)
def test_every_python_example_runs(page: Path, project: Path) -> None:
    run_python(page, project)


# ----- refreshing shown outputs in place (python tests/test_docs_examples.py --refresh) --

_KEEP, _ABSORB, _CLOSE, _REPLACE, _DROP, _INSERT = range(6)
_UNKEPT = 1000
"""The cost of a shown line that no longer matches: keeping what matches comes first."""
_COSTS = {_KEEP: 0, _ABSORB: 0, _CLOSE: 0, _REPLACE: _UNKEPT + 2, _DROP: _UNKEPT + 40, _INSERT: 2}
"""A new line costs 2 and a `...` line absorbs any number for free. A stale shown line
is replaced by a similar printed line (its new version) even when that means showing a
few more new lines, rather than dropped."""
_SIMILAR = 0.5
"""How alike (difflib's ratio) a stale line and a printed line must be to replace it."""


def refit(
    shown: list[str],
    printed: list[str],
    same: Callable[[int, int], bool],
    similar: Callable[[int, int], bool],
) -> list[str]:
    """The shown output made true again, keeping what still matches and every `...` line.

    An alignment of the shown lines with the printed ones: first keep as many shown
    lines as still match (`same(i, j)`: shown line i matches printed line j), then show
    as few new printed lines as possible, a `...` line standing for any run of them. A
    stale shown line is replaced by its new version (`similar(i, j)`), or dropped when
    the output has nothing like it.
    """
    rows, cols = len(shown), len(printed)
    cost = [[0] * (cols + 1) for _ in range(rows + 1)]
    move = [[_KEEP] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows, -1, -1):
        for j in range(cols, -1, -1):
            if i == rows and j == cols:
                continue
            options: list[tuple[int, int]] = []  # (move, the cell it leads to's cost)
            if i < rows and shown[i].strip() == "...":
                options += [(_ABSORB, cost[i][j + 1])] if j < cols else []
                options.append((_CLOSE, cost[i + 1][j]))
            elif i < rows:
                if j < cols and same(i, j):
                    options.append((_KEEP, cost[i + 1][j + 1]))
                elif j < cols and similar(i, j):
                    options.append((_REPLACE, cost[i + 1][j + 1]))
                options.append((_DROP, cost[i + 1][j]))
            if j < cols:
                options.append((_INSERT, cost[i][j + 1]))
            best = min(options, key=lambda option: _COSTS[option[0]] + option[1])
            move[i][j], cost[i][j] = best[0], _COSTS[best[0]] + best[1]
    return _walk(shown, printed, move)


def _walk(shown: list[str], printed: list[str], move: list[list[int]]) -> list[str]:
    out: list[str] = []
    i = j = 0
    while i < len(shown) or j < len(printed):
        step = move[i][j]
        if step in (_KEEP, _CLOSE):
            out.append(shown[i])
        elif step in (_REPLACE, _INSERT):
            out.append(printed[j])
        i += step in (_KEEP, _CLOSE, _REPLACE, _DROP)
        j += step in (_KEEP, _ABSORB, _REPLACE, _INSERT)
    return out


def _as_shown(ran: Ran, project: Path) -> list[str]:
    """What a command printed, written as a page shows it (its task ids, its paths)."""
    text = ran.ids.shown_for(_masked_paths(ran.output, project))
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _line_pattern(line: str) -> re.Pattern[str]:
    return re.compile(".*?".join(re.escape(part) for part in line.split("...")))


def refreshed(ran: Ran, project: Path) -> list[str] | None:
    """The output a page should show for a command, or None when it shows it already."""
    expected = normalise("\n".join(ran.command.expected), project)
    if matches(expected, normalise(ran.output, project)):
        return None
    shown = ran.command.expected[: len(expected.splitlines()) if expected else 0]
    printed = _as_shown(ran, project)
    patterns = [_line_pattern(normalise(line, project)) for line in shown]
    normal = [normalise(line, project) for line in printed]
    bare = [normalise(line.replace("...", ""), project) for line in shown]

    def same(i: int, j: int) -> bool:
        return patterns[i].fullmatch(normal[j]) is not None

    def similar(i: int, j: int) -> bool:
        likeness = difflib.SequenceMatcher(None, bare[i], normal[j], autojunk=False)
        return likeness.real_quick_ratio() >= _SIMILAR and likeness.ratio() >= _SIMILAR

    new = refit(shown, printed, same, similar)
    if not matches(normalise("\n".join(new), project), normalise(ran.output, project)):
        return printed  # cannot happen (a refit always matches); show everything then
    return new


def refresh_page(path: Path, project: Path) -> list[int]:
    """Rewrite the page's shown outputs that no longer match, in place; their lines.

    Only the output lines under a command change: prose, commands, files and the
    outputs that still match stay as they are, and so does every `...` line.
    """
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    changes: list[tuple[Command, list[str]]] = []
    for ran in session(path, project):
        new = refreshed(ran, project)
        if new is not None:
            changes.append((ran.command, new))
    for command, new in reversed(changes):
        old = normalise("\n".join(command.expected), project)
        count = len(old.splitlines()) if old else 0
        pad = " " * command.indent
        lines[command.line : command.line + count] = [pad + line if line else "" for line in new]
    if changes:
        ending = "\n" if text.endswith("\n") else ""
        path.write_text("\n".join(lines) + ending, encoding="utf-8")
    return [command.line for command, _ in changes]


def refresh(pages: list[Path]) -> list[str]:
    """Refresh each page in place, then run it again; the problems still left."""
    problems: list[str] = []
    for page in pages:
        with _scratch_project() as project:
            changed = refresh_page(page, project)
        for line in changed:
            print(f"{_shown(page)}:{line}: output refreshed")
        with _scratch_project() as project:
            problems += run_page(page, project)
    for problem in problems:
        print(problem, file=sys.stderr)
    return problems


# ----- the harness itself ------------------------------------------------------------


def test_ellipsis_lines_and_inline_ellipses_match_anything() -> None:
    assert matches("a\n...\nd", "a\nb\nc\nd")
    assert matches("a\n...\nd", "a\nd")
    assert matches("status: ...ed", "status: completed")
    assert not matches("a\nd", "a\nb\nd")
    assert not matches("status: ...ed", "status: blocked\nmore")
    assert not matches("a", "")


def test_volatile_parts_are_normalised(tmp_path: Path) -> None:
    text = (
        f"TASK-TECHNICAL-ARCHITECT-20261127-105348-2.1 at 2026-11-27 10:53:48 UTC "
        f"in {tmp_path}/x and {PACKAGE_DIR}/library   \n\n"
    )
    assert normalise(text, tmp_path) == (
        "TASK-TECHNICAL-ARCHITECT-<stamp>.1 at <time> in /path/to/project/x and "
        "/path/to/site-packages/modegraph/library"
    )


def test_a_page_whose_output_differs_is_reported_with_a_diff(tmp_path: Path, project: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        '```yaml title="modes/dev.mode.yaml"\nslug: dev\nname: Dev\n```\n\n'
        "```console\n$ modegraph modes validate --no-bundled --modes modes\n"
        "0 errors, 0 warnings, 0 infos\n1 mode checked: OK\n"
        "$ modegraph graph path dev nobody --no-bundled --modes modes\n"
        "...\n[exit 1]\n"
        "$ modegraph modes show nobody --no-bundled --modes modes\nno such mode\n```\n",
        encoding="utf-8",
    )
    problems = list(run_page(page, project))
    assert len(problems) == 1, problems
    assert problems[0].startswith("page.md:")
    assert "modes show nobody" in problems[0]
    assert "-no such mode" in problems[0]
    assert (project / "modes" / "dev.mode.yaml").is_file()


def _refit(shown: str, printed: str) -> str:
    old, new = shown.splitlines(), printed.splitlines()
    patterns = [_line_pattern(line) for line in old]

    def similar(i: int, j: int) -> bool:
        return difflib.SequenceMatcher(None, old[i], new[j]).ratio() >= _SIMILAR

    return "\n".join(refit(old, new, lambda i, j: bool(patterns[i].fullmatch(new[j])), similar))


def test_refit_keeps_matching_lines_and_elisions_and_replaces_stale_lines() -> None:
    printed = "a\nb\nc\nStatus: completed\nSummary: Dev did the work\nz"
    # a stale line is replaced by its new version, the lines before it stay elided
    assert _refit("a\n...\nStatus: done\nz", printed) == (
        "a\n...\nStatus: completed\nSummary: Dev did the work\nz"
    )
    # a line that is gone is dropped; the `...` takes in what is new around it
    assert _refit("a\n...\nWarning: gone\nz", printed) == "a\n...\nz"
    assert _refit("a\nWarning: gone\n...", printed) == "a\n..."
    # without an elision the whole new output is shown; inline `...` lines that match stay
    assert _refit("a\nc", "a\nb\nc") == "a\nb\nc"
    assert _refit("Status: ...ed\n...", printed) == "a\nb\nc\nStatus: ...ed\n..."
    assert _refit("", "x\ny") == "x\ny"
    assert _refit("x\ny", "") == ""


def test_refresh_rewrites_stale_outputs_in_place_and_keeps_the_rest(
    tmp_path: Path, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.md"
    prose = "Prose that stays, even `$ modegraph journal list` in it.\n"
    matching = (
        "```console\n$ modegraph modes validate --modes modes\n"
        "0 errors, 0 warnings, 0 infos\n1 mode checked: OK\n```\n"
    )
    page.write_text(
        f"# A page\n\n{prose}\n"
        '```yaml title="modes/dev.mode.yaml"\nslug: dev\nname: Dev\n'
        "description: Writes the code.\n```\n\n"
        f"{matching}\n"
        '```console\n$ modegraph run "Write the code" --modes modes\n'
        "▶ dev works on TASK-DEV-20261127-105348: Write the code\n...\nStatus: done\n"
        "Journal: project_journal/tasks/TASK-DEV-20261127-105348.md\n```\n\n"
        "- In a list item:\n\n  ```console\n  $ modegraph journal list\n  2 tasks\n"
        "  TASK-DEV-20261127-105348  complete  dev\n  ```\n\nThe end.\n",
        encoding="utf-8",
    )
    before = page.read_text(encoding="utf-8")
    assert len(list(run_page(page, project))) == 2

    first = project.parent / "refresh"
    first.mkdir()
    monkeypatch.chdir(first)
    assert refresh_page(page, first) == [18, 28]
    after = page.read_text(encoding="utf-8")
    kept = after.split("Status: completed\n")
    assert kept[0] == before.split("Status: done\n")[0]  # prose, files, the `...`, the stamp
    assert kept[1].startswith("Summary: Dev would do 'Write the code' itself. ")
    assert "without a model no work was carried out.\nJournal: " in kept[1]
    assert "\n  1 task\n  TASK-DEV-20261127-105348  complete  dev\n    " in after  # indented
    assert after.endswith("  ```\n\nThe end.\n")

    for name in ("again", "once-more"):
        again = project.parent / name
        again.mkdir()
        monkeypatch.chdir(again)
        if name == "again":
            assert not list(run_page(page, again))
        else:
            assert refresh_page(page, again) == []  # a page that matches is not touched
    assert page.read_text(encoding="utf-8") == after


def test_the_script_refreshes_pages_and_refuses_a_malformed_one(
    tmp_path: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        '```yaml title="dev.mode.yaml"\nslug: dev\nname: Dev\n```\n\n'
        "```console\n$ modegraph modes validate --modes dev.mode.yaml\n3 modes checked: OK\n```\n",
        encoding="utf-8",
    )
    assert main(["--refresh", str(page)]) == 0
    assert capsys.readouterr().out == "page.md:7: output refreshed\n"
    assert page.read_text(encoding="utf-8").endswith(
        "dev.mode.yaml\n0 errors, 0 warnings, 0 infos\n1 mode checked: OK\n```\n"
    )
    assert Path.cwd() == project  # the script's scratch directory is gone again

    page.write_text("```console\nmodegraph modes list\n```\n", encoding="utf-8")
    assert main(["--refresh", str(page)]) == 1
    assert "page.md:2: a console block starts with `$ modegraph`" in capsys.readouterr().err


def test_the_readme_has_checked_examples() -> None:
    assert any(block.is_console for block in blocks(ROOT / "README.md"))


def test_skipped_blocks_and_python_blocks(tmp_path: Path, project: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- docs-examples: skip -->\n```console\n$ modegraph nothing\nnever run\n```\n"
        '```text title="notes.txt"\nhello\n```\n'
        "```python\nfrom pathlib import Path\ntext = Path('notes.txt').read_text()\n```\n"
        "```python\nassert text == 'hello\\n'\nraise ValueError('from the page')\n```\n",
        encoding="utf-8",
    )
    assert [b.language for b in blocks(page)] == ["console", "text", "python", "python"]
    assert not blocks(page)[0].is_console
    assert not list(run_page(page, project))
    with pytest.raises(ValueError, match="from the page") as raised:
        run_python(page, project)
    assert raised.traceback[-1].lineno + 1 == 15  # the page's own line number


@contextlib.contextmanager
def _scratch_project() -> Iterator[Path]:
    """A fresh, empty project directory as the current one, with its own home (scripts)."""
    saved = {name: os.environ.get(name) for name in ("HOME", "XDG_CONFIG_HOME")}
    here = Path.cwd()
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "project"
        project.mkdir()
        os.environ["HOME"] = str(Path(scratch) / "home")
        os.environ["XDG_CONFIG_HOME"] = str(Path(scratch) / "home" / ".config")
        os.chdir(project)
        try:
            yield project
        finally:
            os.chdir(here)
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def show(pages: list[Path]) -> None:
    """Print what each command of the pages prints now."""
    for page in pages:
        with _scratch_project() as project:
            for ran in session(page, project):
                print(f"{_shown(page)}:{ran.command.line}")
                print("$ modegraph " + shlex.join(ran.command.argv))
                print("\n".join(_as_shown(ran, project)))
                print()


def main(argv: list[str]) -> int:
    """Print what the commands of pages print now, or refresh the pages' outputs in place.

    Run with: python tests/test_docs_examples.py [--refresh] docs/running.md [PAGE...]
    """
    parser = argparse.ArgumentParser(
        prog="python tests/test_docs_examples.py",
        description="Print what each command of the pages prints now; with --refresh, "
        "rewrite the outputs that no longer match in place, keeping the `...` elisions.",
    )
    parser.add_argument("--refresh", action="store_true", help="rewrite stale outputs")
    parser.add_argument("pages", nargs="+", type=Path, metavar="PAGE")
    options = parser.parse_args(argv)
    pages = [page.resolve() for page in options.pages]
    try:
        if not options.refresh:
            show(pages)
            return 0
        return 1 if refresh(pages) else 0
    except pytest.fail.Exception as failed:
        print(f"error: {failed}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
