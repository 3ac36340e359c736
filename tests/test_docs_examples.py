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
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Iterator
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


@dataclass
class Block:
    """A fenced block of a page: a console session or a file."""

    path: Path
    line: int
    info: str
    body: list[str]
    skipped: bool = False

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
        found.append(Block(path, index + 1, info, body, skipped=before == SKIP))
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
                Command(line=offset, argv=argv[1:-1] if quiet else argv[1:], stdout_only=quiet)
            )
        elif parsed:
            parsed[-1].expected.append(text)
        elif text.strip():
            pytest.fail(f"{_shown(block.path)}:{offset}: a console block starts with `$ modegraph`")
    return parsed


def normalise(text: str, project: Path) -> str:
    """The text with its volatile parts replaced and trailing spaces removed."""
    for directory in {str(project.resolve()), str(project)}:
        text = text.replace(directory, "/path/to/project")
    text = text.replace(PACKAGE_DIR, "/path/to/site-packages/modegraph")
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


def _write_file(block: Block, project: Path) -> None:
    name = block.title
    assert name is not None
    target = (project / name).resolve()
    if Path(name).is_absolute() or not target.is_relative_to(project.resolve()):
        pytest.fail(f"{_shown(block.path)}:{block.line}: title={name!r} must be a relative path")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(block.body) + "\n", encoding="utf-8")


def session(path: Path, project: Path) -> Iterator[tuple[Command, list[str], str]]:
    """Run a page's console blocks in order: each command, its real argv and its output.

    The output is what the page is compared with: standard output and standard error
    together (or standard output alone), then `[exit N]` when N is not 0.
    """
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
            yield command, argv, output


def run_page(path: Path, project: Path) -> Iterator[str]:
    """Run a page's console blocks in order; yield a report for each mismatch."""
    for command, argv, output in session(path, project):
        actual = normalise(output, project)
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


def main(pages: list[str]) -> None:
    """Print what each command of the pages prints now, to paste into the pages.

    Run with: python tests/test_docs_examples.py docs/running.md [PAGE...]
    """
    import os
    import tempfile

    for page in pages:
        with tempfile.TemporaryDirectory() as scratch:
            project = Path(scratch) / "project"
            project.mkdir()
            os.environ["HOME"] = str(Path(scratch) / "home")
            os.environ["XDG_CONFIG_HOME"] = str(Path(scratch) / "home" / ".config")
            os.chdir(project)
            for command, _argv, output in session(Path(page).resolve(), project):
                text = output.replace(str(project.resolve()), "/path/to/project")
                print(f"{page}:{command.line}")
                print("$ modegraph " + shlex.join(command.argv))
                print("\n".join(line.rstrip() for line in text.rstrip("\n").splitlines()))
                print()


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
