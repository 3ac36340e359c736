"""The read and edit tools doing their work (the refusals are in test_attacks)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from langchain_core.messages import ToolMessage

from modegraph.errors import ModeFileError
from modegraph.modes.model import Mode, ToolGroup
from modegraph.tools import describe_permissions, is_secret, write_rule_for
from modegraph.tools.files import MAX_LINE_CHARS, MAX_READ_CHARS

DEV = Mode(slug="dev", name="Dev", tool_groups=(ToolGroup(name="read"), ToolGroup(name="edit")))
WRITER = Mode(
    slug="writer",
    name="Writer",
    tool_groups=(ToolGroup(name="read"), ToolGroup(name="edit", file_regex=r"\.md$")),
)


def _error(tool, args: dict) -> ToolMessage:
    result = tool.invoke({"type": "tool_call", "id": "t", "name": tool.name, "args": args})
    assert isinstance(result, ToolMessage) and result.status == "error", result
    return result


def test_read_file_numbers_lines_and_reads_ranges(tools_for) -> None:
    read = tools_for(DEV)["read_file"]
    whole = read.invoke({"path": "docs/guide.md"})
    assert whole.splitlines() == [
        "docs/guide.md (lines 1-3 of 3)",
        "1 | # Guide",
        "2 | ",
        "3 | line three",
    ]
    part = read.invoke({"path": "docs/guide.md", "start_line": 3, "end_line": 9})
    assert part.splitlines() == ["docs/guide.md (lines 3-3 of 3)", "3 | line three"]


def test_read_file_errors_go_back_to_the_model(tools_for, root: Path) -> None:
    read = tools_for(DEV)["read_file"]
    assert "does not exist" in str(_error(read, {"path": "nope.py"}).content)
    assert "has 3 lines" in str(_error(read, {"path": "docs/guide.md", "start_line": 7}).content)
    assert "before start_line" in str(
        _error(read, {"path": "docs/guide.md", "start_line": 3, "end_line": 2}).content
    )
    (root / "blob.bin").write_bytes(b"\x00\x01\x02")
    assert "binary" in str(_error(read, {"path": "blob.bin"}).content)
    assert "is not a file" in str(_error(read, {"path": "app"}).content)
    assert "start_line" in str(_error(read, {"path": "docs/guide.md", "start_line": 0}).content)
    (root / "empty.txt").write_text("")
    assert read.invoke({"path": "empty.txt"}) == "empty.txt is empty"


def test_read_file_cuts_huge_files_and_says_where_to_go_on(tools_for, root: Path) -> None:
    (root / "big.txt").write_text("".join(f"{'z' * 99}\n" for _ in range(2_000)))
    out = tools_for(DEV)["read_file"].invoke({"path": "big.txt"})
    assert len(out) <= MAX_READ_CHARS + 200
    assert "read on with start_line=" in out.splitlines()[-1]


def test_list_files_flat_and_recursive(tools_for, root: Path) -> None:
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref")
    listing = tools_for(DEV)["list_files"]
    flat = listing.invoke({"path": "."}).splitlines()
    assert "app/" in flat and ".env" in flat and "app/main.py" not in flat
    deep = listing.invoke({"path": ".", "recursive": True}).splitlines()
    assert "app/main.py" in deep and "docs/guide.md" in deep
    assert not any(line.startswith(".git/") for line in deep)
    assert listing.invoke({"path": "docs"}) == "docs/guide.md"
    assert "is not a directory" in str(_error(listing, {"path": "docs/guide.md"}).content)


def test_search_files_with_glob_and_case(tools_for) -> None:
    search = tools_for(DEV)["search_files"]
    assert search.invoke({"pattern": "hello"}).splitlines() == [
        "app/main.py:1: print('hello')",
        "[3 file(s) that usually hold secrets were not searched]",
    ]
    assert search.invoke({"pattern": "GUIDE", "ignore_case": True, "glob": "*.md"}) == (
        "docs/guide.md:1: # Guide"
    )
    assert search.invoke({"pattern": "hello", "glob": "*.md"}).startswith("no match")
    assert search.invoke({"pattern": "x = 1", "path": "app/main.py"}).count("app/main.py:") == 2
    assert "invalid regular expression" in str(_error(search, {"pattern": "("}).content)


def test_write_file_creates_parents_and_journals(tools_for, journal, root: Path) -> None:
    write = tools_for(DEV)["write_file"]
    assert write.invoke({"path": "pkg/sub/mod.py", "content": "a = 1\nb = 2\n"}) == (
        "Created pkg/sub/mod.py (2 lines)."
    )
    assert (root / "pkg" / "sub" / "mod.py").read_text() == "a = 1\nb = 2\n"
    assert journal.lines == ["created `pkg/sub/mod.py` (2 lines)"]
    assert "is a directory" in str(_error(write, {"path": "app", "content": "x"}).content)


def test_overwrite_keeps_permissions_and_leaves_no_temp_files(tools_for, root: Path) -> None:
    script = root / "run.sh"
    script.write_text("echo old\n")
    script.chmod(0o755)
    assert tools_for(DEV)["write_file"].invoke({"path": "run.sh", "content": "echo new\n"}) == (
        "Overwrote run.sh (1 lines)."
    )
    assert script.read_text() == "echo new\n"
    assert stat.S_IMODE(script.stat().st_mode) == 0o755
    assert not [p for p in os.listdir(root) if p.endswith(".tmp")]


def test_writer_writes_markdown_however_it_names_it(tools_for, root: Path) -> None:
    write = tools_for(WRITER)["write_file"]
    write.invoke({"path": "docs/new.md", "content": "# New\n"})
    write.invoke({"path": "./docs/other.md", "content": "# Other\n"})
    write.invoke({"path": str(root / "docs" / "abs.md"), "content": "# Abs\n"})
    assert sorted(p.name for p in (root / "docs").iterdir()) == [
        "abs.md",
        "guide.md",
        "new.md",
        "other.md",
    ]


def test_edit_file_replaces_one_exact_occurrence(tools_for, journal, root: Path) -> None:
    edit = tools_for(DEV)["edit_file"]
    out = edit.invoke(
        {"path": "app/main.py", "old_text": "print('hello')", "new_text": "print('bye')"}
    )
    assert out == "Edited app/main.py at line 1."
    assert (root / "app" / "main.py").read_text().startswith("print('bye')\n")
    assert journal.lines == ["edited `app/main.py` at line 1"]
    assert "does not occur" in str(
        _error(edit, {"path": "app/main.py", "old_text": "nope", "new_text": "x"}).content
    )
    assert "old_text is empty" in str(
        _error(edit, {"path": "app/main.py", "old_text": "", "new_text": "x"}).content
    )


def test_edit_file_through_an_inside_symlink_edits_the_target(tools_for, root: Path) -> None:
    tools_for(DEV)["edit_file"].invoke(
        {"path": "readme.md", "old_text": "hello", "new_text": "linked"}
    )
    assert (root / "readme.md").is_symlink()
    assert "linked" in (root / "app" / "main.py").read_text()


def test_invalid_arguments_go_back_to_the_model(tools_for) -> None:
    assert "path" in str(_error(tools_for(DEV)["read_file"], {"start_line": 2}).content)


def test_write_rules_from_mode_groups() -> None:
    assert write_rule_for(DEV).enabled and write_rule_for(DEV).patterns == ()
    assert write_rule_for(WRITER).patterns == (r"\.md$",)
    reader = Mode(slug="r", name="R", tool_groups=(ToolGroup(name="read"),))
    assert not write_rule_for(reader).enabled
    broken = Mode(slug="b", name="B", tool_groups=(ToolGroup(name="edit", file_regex="(["),))
    with pytest.raises(ModeFileError, match=r"fileRegex '\(\[' is not a valid regular expression"):
        write_rule_for(broken)


def test_describe_permissions_for_a_system_prompt() -> None:
    assert describe_permissions(WRITER) == (
        r"read files; write files matching `\.md$`; no commands"
    )
    assert describe_permissions(DEV) == "read files; write any file; no commands"


def test_new_files_get_the_usual_permissions(tools_for, root: Path) -> None:
    tools_for(DEV)["write_file"].invoke({"path": "fresh.py", "content": "x = 1\n"})
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((root / "fresh.py").stat().st_mode) == 0o666 & ~umask


def test_a_huge_line_is_cut_and_never_blocks_reading(tools_for, root: Path) -> None:
    (root / "minified.js").write_text("x" * 100_000 + "\nsecond\n")
    out = tools_for(DEV)["read_file"].invoke({"path": "minified.js"})
    lines = out.splitlines()
    assert lines[1].endswith(f"[... {100_000 - MAX_LINE_CHARS} characters cut]")
    assert lines[2] == "2 | second"


def test_files_too_large_to_read(tools_for, root: Path, monkeypatch) -> None:
    import modegraph.tools.files as files

    monkeypatch.setattr(files, "MAX_FILE_BYTES", 10)
    (root / "big.log").write_text("0123456789abc")
    message = _error(tools_for(DEV)["read_file"], {"path": "big.log"})
    assert "more than 10 can be read" in str(message.content)


@pytest.mark.parametrize(
    ("path", "secret"),
    [
        (".env", True),
        (".env.production", True),
        ("deploy/.ENV", True),
        (".env.example", False),
        ("server.pem", True),
        ("SERVER.PEM", True),
        ("tls/private.key", True),
        ("id_rsa", True),
        ("id_ed25519", True),
        ("id_rsa.pub", False),
        ("id_generator.py", False),
        ("home/.ssh/config", True),
        ("home/.SSH/known_hosts", True),
        ("keys.py", False),
        ("app/main.py", False),
    ],
)
def test_secret_names(path: str, secret: bool) -> None:
    assert is_secret(path) is secret


def test_allowed_secrets_are_matched_on_path_or_name() -> None:
    assert not is_secret("config/test.pem", allowed=("config/test.pem",))
    assert not is_secret("config/test.pem", allowed=("test.pem",))
    assert is_secret("config/other.pem", allowed=("config/test.pem",))


def test_file_system_errors_go_back_to_the_model(tools_for, root: Path) -> None:
    message = _error(tools_for(DEV)["write_file"], {"path": "app/main.py/inner.py", "content": "x"})
    assert "cannot write app/main.py/inner.py" in str(message.content)
    assert not [p for p in (root / "app").iterdir() if p.name.endswith(".tmp")]
