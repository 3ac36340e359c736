import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.catalog import loader
from modegraph.modes.catalog.discovery import discover, format_by_name
from modegraph.modes.catalog.loader import detect_format, load_file, load_paths, load_text
from modegraph.modes.formats.reading import ReadResult
from modegraph.modes.model import Mode, SourceFormat, SourceInfo

SEED = Path(__file__).resolve().parents[1] / "data" / "000_fcc372a2e7cd4ede.txt"
FIXTURES = Path(__file__).parent / "fixtures_h2"

ROO_MD = """\
# Mode: 🧪 Plain Tester (`plain-tester`)

## Description
Tests things.

## Metadata

**Level:** 034-worker-testing

**Tool Groups:**
- read

**Escalates To:**
- `backend-lead` # When a test shows a design flaw
"""
CLAUDE = "---\nname: reviewer\ndescription: Reviews code.\ntools: Read, Grep\n---\nYou review.\n"
ROO_TOML = '+++\nid = "toml-mode"\nname = "TOML Mode"\nclassification = "worker"\n+++\nBody.\n'
ROOMODES = '{"customModes": [{"slug": "rc", "name": "RC", "roleDefinition": "r", "groups": []}]}'
NATIVE = "slug: native\nname: Native\nescalates_to: [backend-lead]\n"


def codes(result: ReadResult) -> list[Code]:
    return [f.code for f in result.findings]


def test_the_seed_loads_exactly_as_it_is() -> None:
    result = load_file(SEED)
    (mode,) = result.modes
    assert mode.slug == "fastapi-developer"
    assert mode.name == "FastAPI Developer"
    assert mode.emoji == "🚀"
    assert mode.level == "032-worker-backend"
    assert len(mode.capabilities) == 13
    assert len(mode.workflow) == 7
    assert len(mode.tool_groups) == 5
    assert [r.slug for r in mode.escalates_to] == [
        "database-specialist",
        "security-specialist",
        "infrastructure-specialist",
        "cicd-specialist",
        "containerization-developer",
    ]
    assert mode.delegates_to == () and mode.reports_to == ()
    assert mode.model == "quasar-alpha"
    assert mode.source.path == str(SEED)
    assert mode.source.format is SourceFormat.ROO_MARKDOWN
    # mojibake and JSON-conversion damage repaired and said so; browser accepted with a
    # warning; nothing else
    assert sorted(codes(result)) == [
        Code.DEPRECATED_TOOL_GROUP,
        Code.JSON_ARTIFACTS_CLEANED,
        Code.MOJIBAKE_REPAIRED,
    ]
    assert not any(f.severity is Severity.ERROR for f in result.findings)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        (".roomodes", SourceFormat.ROOMODES),
        ("custom_modes.yaml", SourceFormat.ROOMODES),
        ("custom_modes.json", SourceFormat.ROOMODES),
        ("a.mode.yaml", SourceFormat.YAML),
        ("a.mode.yml", SourceFormat.YAML),
        ("a.mode.json", SourceFormat.ROOMODES),
        ("a.mode.toml", SourceFormat.TOML),
        ("010-dir-technical-architect.mode.md", SourceFormat.ROO_MARKDOWN),
        ("proj/.claude/agents/reviewer.md", SourceFormat.CLAUDE),
        ("notes.md", None),
        ("seed.txt", None),
    ],
)
def test_format_by_name(name: str, fmt: SourceFormat | None) -> None:
    assert format_by_name(name) is fmt


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        (ROO_MD, SourceFormat.ROO_MARKDOWN),
        (CLAUDE, SourceFormat.CLAUDE),
        (ROO_TOML, SourceFormat.ROO_TOML),
        (ROOMODES, SourceFormat.ROOMODES),
        ("customModes:\n  - slug: a\n", SourceFormat.ROOMODES),
        (NATIVE, SourceFormat.YAML),
        ("Just some notes.\n", None),
    ],
)
def test_detect_format_by_content(text: str, fmt: SourceFormat | None) -> None:
    assert detect_format(text, path="whatever.txt") is fmt


def test_name_and_content_together() -> None:
    # a *.mode.yaml that holds Roo Code custom modes, a *.mode.json with native fields,
    # a *.mode.md with TOML front matter or a Claude agent, a *.mode.toml in Roo's +++ form
    assert detect_format(ROOMODES, path="x.mode.yaml") is SourceFormat.ROOMODES
    assert detect_format('{"slug": "a", "escalates_to": []}', path="x.mode.json") is (
        SourceFormat.YAML
    )
    assert detect_format(ROO_TOML, path="x.mode.md") is SourceFormat.ROO_TOML
    assert detect_format(CLAUDE, path="x.mode.md") is SourceFormat.CLAUDE
    assert detect_format(ROO_TOML, path="x.mode.toml") is SourceFormat.ROO_TOML


def test_every_format_loads_through_load_text() -> None:
    for text, slug in [
        (ROO_MD, "plain-tester"),
        (CLAUDE, "reviewer"),
        (ROO_TOML, "toml-mode"),
        (ROOMODES, "rc"),
        (NATIVE, "native"),
    ]:
        result = load_text(text, path="x")
        assert [m.slug for m in result.modes] == [slug], (text, result.findings)


def test_unknown_format_and_empty_text() -> None:
    unknown = load_text("Just some notes.\n", path="notes.txt")
    assert codes(unknown) == [Code.UNKNOWN_FORMAT]
    assert unknown.findings[0].severity is Severity.ERROR
    assert unknown.findings[0].hint and "modegraph modes new" in unknown.findings[0].hint
    assert codes(load_text(" \n\t", path="e")) == [Code.EMPTY_FILE]


def test_checks_run_on_every_format() -> None:
    roomodes = (
        '{"customModes": [{"slug": "Bad Slug", "name": "B", "roleDefinition": "r", '
        '"groups": ["read", "read"]}]}'
    )
    assert codes(load_text(roomodes, path=".roomodes")) == [
        Code.INVALID_SLUG,
        Code.DUPLICATE_GROUP,
    ]
    native = "slug: a\nname: A\ntool_groups: [browser, {name: edit, file_regex: '('}]\n"
    assert codes(load_text(native, path="a.mode.yaml")) == [
        Code.DEPRECATED_TOOL_GROUP,
        Code.INVALID_REGEX,
    ]
    two = "modes:\n  - {slug: a, name: A}\n  - {slug: a, name: Again}\n"
    result = load_text(two, path="two.mode.yaml")
    assert codes(result) == [Code.DUPLICATE_SLUG]
    assert result.findings[0].line == 3


def test_a_reader_finding_is_not_repeated_by_the_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    def reader(text: str, *, path: str | None) -> ReadResult:
        mode = Mode(slug="bad slug", name="B", source=SourceInfo(path=path, line=1))
        own = Finding(
            path=path,
            line=1,
            code=Code.INVALID_SLUG,
            severity=Severity.ERROR,
            message="reader says so",
            slug="bad slug",
        )
        return ReadResult(modes=[mode], findings=[own])

    monkeypatch.setitem(loader._READERS, SourceFormat.YAML, reader)
    result = load_text("slug: x\n", path="a.mode.yaml")
    assert [f.message for f in result.findings] == ["reader says so"]


def test_a_reader_crash_becomes_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    def reader(text: str, *, path: str | None) -> ReadResult:
        raise KeyError("boom")

    monkeypatch.setitem(loader._READERS, SourceFormat.YAML, reader)
    result = load_text("slug: x\n", path="a.mode.yaml")
    assert codes(result) == [Code.INTERNAL_ERROR]
    assert "this is a modegraph bug, please report it with the file" in result.findings[0].message


def test_load_file_problems(tmp_path: Path) -> None:
    missing = load_file(tmp_path / "nope.mode.md")
    assert codes(missing) == [Code.UNREADABLE_FILE]
    assert missing.findings[0].path == str(tmp_path / "nope.mode.md")
    assert codes(load_file(tmp_path)) == [Code.UNREADABLE_FILE]  # a directory
    (tmp_path / "empty.mode.md").write_bytes(b"")
    assert codes(load_file(tmp_path / "empty.mode.md")) == [Code.EMPTY_FILE]
    (tmp_path / "blank.mode.md").write_bytes(b"\n\n  \n")
    assert codes(load_file(tmp_path / "blank.mode.md")) == [Code.EMPTY_FILE]


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.mode.md"
    path.write_text(ROO_MD, encoding="utf-8")
    path.chmod(0)
    if os.geteuid() == 0:  # root reads every file: make the read fail as it would for a user
        real = Path.read_bytes

        def refuse(self: Path) -> bytes:
            if self.name == path.name:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", refuse)
    result = load_file(path)
    assert codes(result) == [Code.UNREADABLE_FILE]
    assert "Permission denied" in result.findings[0].message


def test_not_utf8_bytes_are_a_finding_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "latin.mode.md"
    path.write_bytes(
        ROO_MD.replace("Tests things.", "Tests caf\xe9s.").encode("latin-1", "replace")
    )
    result = load_file(path)
    assert Code.NOT_UTF8 in codes(result)
    assert [m.slug for m in result.modes] == ["plain-tester"]


def make_tree(root: Path) -> None:
    files = {
        "modes/010-dir-architect.mode.md": ROO_MD.replace("plain-tester", "architect"),
        "modes/backend/plain.md": ROO_MD,  # found by content
        "modes/backend/kb/01-notes.md": ROO_MD.replace("plain-tester", "kb-page"),
        "modes/backend/custom-instructions/01-rules.md": ROO_MD.replace("plain-tester", "ci"),
        "modes/README.md": ROO_MD.replace("plain-tester", "readme"),
        "modes/notes.md": "# Notes\n\nNothing to see.\n",
        "modes/context/x.md": ROO_MD.replace("plain-tester", "ctx"),
        "team/.roomodes": ROOMODES,
        "team/custom_modes.yaml": ROOMODES.replace('"rc"', '"rc2"'),
        "own/native.mode.yaml": NATIVE,
        "own/writer.mode.toml": 'slug = "tw"\nname = "TW"\n',
        ".claude/agents/reviewer.md": CLAUDE,
        ".claude/commands/review.md": "Review the diff.\n",
        "node_modules/pkg/x.mode.md": ROO_MD.replace("plain-tester", "vendored"),
        ".git/x.mode.md": ROO_MD.replace("plain-tester", "git"),
        "other.txt": ROO_MD.replace("plain-tester", "txt"),
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_discovery_takes_modes_and_nothing_else(tmp_path: Path) -> None:
    make_tree(tmp_path)
    found = sorted(path.relative_to(tmp_path).as_posix() for path in discover(tmp_path))
    assert found == [
        ".claude/agents/reviewer.md",
        "modes/010-dir-architect.mode.md",
        "modes/backend/plain.md",
        "own/native.mode.yaml",
        "own/writer.mode.toml",
        "team/.roomodes",
        "team/custom_modes.yaml",
    ]
    result = load_paths([tmp_path])
    assert sorted(m.slug for m in result.modes) == [
        "architect",
        "native",
        "plain-tester",
        "rc",
        "rc2",
        "reviewer",
        "tw",
    ]


def test_an_explicit_file_is_read_whatever_its_name(tmp_path: Path) -> None:
    make_tree(tmp_path)
    result = load_paths([tmp_path / "other.txt", tmp_path / "modes" / "README.md"])
    assert [m.slug for m in result.modes] == ["txt", "readme"]


def test_duplicate_slug_across_files_of_one_source(tmp_path: Path) -> None:
    (tmp_path / "a.mode.yaml").write_text("slug: same\nname: A\n", encoding="utf-8")
    (tmp_path / "b.mode.yaml").write_text("\nslug: same\nname: B\n", encoding="utf-8")
    result = load_paths([tmp_path])
    assert [m.name for m in result.modes] == ["A", "B"]
    (finding,) = result.findings
    assert finding.code is Code.DUPLICATE_SLUG
    assert finding.path == str(tmp_path / "b.mode.yaml")
    assert finding.line == 2
    assert str(tmp_path / "a.mode.yaml") in finding.message


def test_a_missing_path_is_a_finding(tmp_path: Path) -> None:
    result = load_paths([tmp_path / "missing"])
    assert codes(result) == [Code.UNREADABLE_FILE]
    assert (
        result.findings[0].hint and "relative to the current directory" in result.findings[0].hint
    )


def test_fixture_directory_loads_with_the_expected_findings() -> None:
    result = load_paths([FIXTURES / "roomodes"])
    assert sorted(m.slug for m in result.modes) == [
        "Bad Slug!",
        "api-tester",
        "docs-writer",
        "sql-reviewer",
    ]
    assert sorted(f.code.value for f in result.findings) == [
        "deprecated-tool-group",  # api-tester's browser
        "duplicate-group",
        "invalid-regex",
        "invalid-slug",
        "unknown-tool-group",
    ]


MUTATION_SOURCES = [
    ROO_MD,
    CLAUDE,
    ROO_TOML,
    ROOMODES,
    NATIVE,
    (FIXTURES / "roomodes" / "custom_modes.yaml").read_text(encoding="utf-8"),
    (FIXTURES / "native" / "docs-writer.mode.yaml").read_text(encoding="utf-8"),
    (FIXTURES / "native" / "writer.mode.toml").read_text(encoding="utf-8"),
]


@settings(max_examples=200, deadline=None)
@given(
    source=st.sampled_from(MUTATION_SOURCES),
    cuts=st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 40)), max_size=4),
    insert=st.text(alphabet=st.sampled_from(list("\n :-[]{}\"'#`*+,\\\t\x00é🚀")), max_size=12),
    name=st.sampled_from(["x.mode.md", "x.mode.yaml", ".roomodes", "x.mode.toml", "x.txt"]),
)
def test_mutated_files_give_findings_never_exceptions(
    source: str, cuts: list[tuple[int, int]], insert: str, name: str
) -> None:
    text = source
    for start, length in cuts:
        start %= len(text) + 1
        text = text[:start] + insert + text[start + length :]
    result = load_text(text, path=name)
    for item in result.findings:
        assert item.path == name
        assert item.message
        assert "modegraph bug" not in (item.hint or ""), item.message  # no reader crashed


def test_claude_agents_found_from_inside_the_claude_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_tree(tmp_path)
    monkeypatch.chdir(tmp_path / ".claude")
    assert [p.as_posix() for p in discover(Path("agents"))] == ["agents/reviewer.md"]
    assert [m.slug for m in load_paths([Path("agents")]).modes] == ["reviewer"]


def test_a_folder_of_agents_reports_a_broken_or_huge_agent_instead_of_passing_it_over(
    tmp_path: Path,
) -> None:
    agents = tmp_path / "agents"  # a folder of agents kept in a repository, not .claude/
    agents.mkdir()
    (agents / "tidy.md").write_text(
        "---\nname: tidy\ndescription: Keeps the repository tidy.\n---\nYou tidy.\n",
        encoding="utf-8",
    )
    (agents / "open.md").write_text(
        "---\nname: open\ndescription: Its front matter never closes\n\nYou wait.\n",
        encoding="utf-8",
    )
    body = "The same line of the agent's prompt, again and again.\n" * 220_000  # ~11.6 MiB
    (agents / "huge.md").write_text(
        f"---\nname: huge\ndescription: Far too long.\n---\n{body}", encoding="utf-8"
    )
    result = load_paths([agents])
    assert [mode.slug for mode in result.modes] == ["tidy"]
    found = {(Path(f.path or "").name, f.code, f.line) for f in result.findings}
    assert ("open.md", Code.SYNTAX_ERROR, 1) in found
    assert ("huge.md", Code.FILE_TOO_LARGE, 1) in found


def test_an_unclosed_agent_is_detected_as_one_so_its_fence_is_reported() -> None:
    text = "---\nname: open\ndescription: never closed\n\nYou wait.\n"
    assert detect_format(text, path="notes/open.md") is SourceFormat.CLAUDE
    assert detect_format("---\ntitle: A page\n\nText.\n", path="notes/page.md") is None
