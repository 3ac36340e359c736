"""The Roo Commander TOML front matter reader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from modegraph.findings import Code, Severity
from modegraph.modes.formats._globs import globs_to_regex
from modegraph.modes.formats.reading import ReadResult
from modegraph.modes.formats.roo_toml.reader import looks_like_roo_toml, read_roo_toml
from modegraph.modes.model import Mode, Reference, SourceFormat, ToolGroup

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str) -> ReadResult:
    return read_roo_toml((FIXTURES / name).read_text(encoding="utf-8"), path=name)


def only_mode(result: ReadResult) -> Mode:
    assert len(result.modes) == 1, result.findings
    return result.modes[0]


def line_of(name: str, needle: str) -> int:
    lines = (FIXTURES / name).read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


def test_full_file() -> None:
    name = "toml_full.mode.md"
    result = read(name)
    assert result.findings == []
    mode = only_mode(result)
    assert (mode.slug, mode.emoji, mode.name) == ("fastapi-developer", "🚀", "FastAPI Developer")
    assert mode.level == "worker"  # classification, as there is no level key
    assert mode.description == "Builds high-performance APIs with FastAPI."
    assert mode.role_definition == "You are Roo FastAPI Developer, an expert in FastAPI."
    assert mode.custom_instructions.startswith("# FastAPI Developer - Mode Documentation")
    assert mode.custom_instructions.endswith("Long-form documentation lives in the body.")
    assert [g.name for g in mode.tool_groups] == ["read", "edit", "browser", "command", "mcp"]
    assert mode.tags == ("fastapi", "python", "api")
    assert mode.categories == ("Backend", "API")
    assert mode.delegates_to == ()
    assert mode.escalates_to == (
        Reference(slug="database-specialist", line=line_of(name, '"database-specialist"')),
        Reference(slug="security-specialist", line=line_of(name, '"security-specialist"')),
    )
    assert mode.reports_to == (Reference(slug="backend-lead", line=line_of(name, "reports_to")),)
    assert mode.model == "quasar-alpha"
    assert mode.source.format is SourceFormat.ROO_TOML
    assert mode.source.line == 1
    assert mode.extra["version"] == "1.1.0"
    assert mode.extra["domain"] == "backend"
    assert mode.extra["sub_domain"] == "fastapi"
    assert mode.extra["updated"] == "2025-04-24"  # a TOML date, made JSON-safe
    assert mode.extra["api_configuration"] == {"temperature": 0.1}
    assert mode.extra["metadata"] == {"documentation_urls": ["https://fastapi.tiangolo.com/"]}
    assert mode.extra["file_access"]["write_allow"] == ["**/*.py", "docs/**/*.md"]


def test_write_allow_becomes_the_edit_groups_file_regex() -> None:
    mode = only_mode(read("toml_full.mode.md"))
    edit = next(g for g in mode.tool_groups if g.name == "edit")
    assert edit.file_regex is not None
    regex = re.compile(edit.file_regex)
    for path in ("main.py", "app/api/routes.py", "docs/guide.md", "docs/a/b/c.md"):
        assert regex.search(path), path
    for path in ("README.md", "main.pyc", "src/docs/x.md", "docs/x.txt"):
        assert not regex.search(path), path
    assert edit.description == "write_allow: **/*.py, docs/**/*.md"
    assert all(g.file_regex is None for g in mode.tool_groups if g.name != "edit")


def test_variants_level_key_string_lists_and_notes() -> None:
    mode = only_mode(read("toml_metadata_variants.mode.md"))
    assert mode.level == "020-lead-devops"
    assert mode.extra["classification"] == "lead"
    assert mode.emoji is None and mode.name == "Plain Name"
    assert mode.tags == ("devops", "ci")
    assert mode.escalates_to == (
        Reference(slug="infrastructure-specialist", note="for cloud issues", line=14),
    )
    assert [r.slug for r in mode.reports_to] == ["technical-architect", "project-manager"]
    assert mode.model == "gpt-4.1"
    assert mode.extra["metadata"] == {"owner": "platform-team"}
    edit = next(g for g in mode.tool_groups if g.name == "edit")
    assert edit.file_regex is None  # `**` matches every path


def test_syntax_error_has_the_file_line() -> None:
    name = "toml_syntax_error.mode.md"
    result = read(name)
    assert result.modes == []
    (error,) = result.findings
    assert error.code is Code.SYNTAX_ERROR
    assert error.severity is Severity.ERROR
    assert error.line == line_of(name, "summary =")
    assert "TOML" in error.message
    assert "column" in error.message


def test_syntax_error_at_the_end_points_at_the_closing_fence() -> None:
    result = read_roo_toml('+++\nid = "a"\nid = "b"\n+++\n', path="dup.md")
    (error,) = result.findings
    assert error.code is Code.SYNTAX_ERROR
    assert error.line in (3, 4)


def test_wrong_types() -> None:
    name = "toml_wrong_types.mode.md"
    result = read(name)
    wrong = sorted((f.line, f.code) for f in result.findings if f.code is Code.WRONG_TYPE)
    assert wrong == [
        (line_of(name, "name ="), Code.WRONG_TYPE),
        (line_of(name, "allowed_tool_groups ="), Code.WRONG_TYPE),  # a string, read anyway
        (line_of(name, "metadata ="), Code.WRONG_TYPE),
        (line_of(name, "file_access ="), Code.WRONG_TYPE),
    ]
    assert Code.MISSING_FIELD in [f.code for f in result.findings]  # no usable name
    mode = only_mode(result)
    assert mode.name == "Toml Wrong Types"
    assert mode.level == "lead"
    assert mode.tool_groups == (ToolGroup(name="read"), ToolGroup(name="command"))


def test_missing_id_gives_no_mode() -> None:
    result = read_roo_toml('+++\nname = "No Id"\n+++\n', path="x.md")
    assert result.modes == []
    assert [f.code for f in result.findings] == [Code.MISSING_FIELD]
    assert "id" in (result.findings[0].hint or "")


def test_unclosed_block() -> None:
    result = read_roo_toml('+++\nid = "a"\n', path="x.md")
    assert [f.code for f in result.findings] == [Code.SYNTAX_ERROR]
    assert result.modes == []


def test_bare_toml_without_fences() -> None:
    mode = only_mode(read_roo_toml('id = "bare"\nname = "Bare"\nsummary = "s"\n'))
    assert (mode.slug, mode.name, mode.description) == ("bare", "Bare", "s")
    assert mode.custom_instructions == ""


def test_empty() -> None:
    assert [f.code for f in read_roo_toml("\n").findings] == [Code.EMPTY_FILE]


def test_groups_with_a_regex_item_and_api_in_metadata() -> None:
    text = (
        '+++\nid = "g"\nname = "G"\n'
        'allowed_tool_groups = ["read", ["edit", {fileRegex = "\\\\.md$"}], 7]\n'
        '[metadata]\napi_config = { model = "m1", top_p = 1 }\n+++\n'
    )
    result = read_roo_toml(text)
    mode = only_mode(result)
    assert mode.tool_groups == (ToolGroup(name="read"), ToolGroup(name="edit", file_regex="\\.md$"))
    assert [f.code for f in result.findings] == [Code.WRONG_TYPE]
    assert mode.model == "m1"
    assert mode.extra["api_configuration"] == {"top_p": 1}


@pytest.mark.parametrize(
    ("globs", "matches", "misses"),
    [
        (["*.py"], ["a.py"], ["d/a.py", "a.pyc"]),
        (["src/**"], ["src/a", "src/a/b.c"], ["a/src/b"]),
        (["*.{ts,tsx}"], ["a.ts", "a.tsx"], ["a.js"]),
        (["docs/[a-c]?.md"], ["docs/ax.md"], ["docs/dx.md", "docs/a.md"]),
        (["a+b(c).txt"], ["a+b(c).txt"], ["aab(c).txt"]),
        (["x/[z-a].md"], ["x/[z-a].md"], ["x/q.md"]),
    ],
)
def test_globs_to_regex(globs: list[str], matches: list[str], misses: list[str]) -> None:
    regex = globs_to_regex(globs)
    assert regex is not None
    compiled = re.compile(regex)
    assert all(compiled.search(p) for p in matches)
    assert not any(compiled.search(p) for p in misses)


def test_match_all_globs_give_no_regex() -> None:
    assert globs_to_regex(["**"]) is None
    assert globs_to_regex(["*.md", "**/*"]) is None
    assert globs_to_regex([" "]) is None


def test_sniffing() -> None:
    assert looks_like_roo_toml((FIXTURES / "toml_full.mode.md").read_text(encoding="utf-8"))
    assert looks_like_roo_toml('\n+++\nid = "x"\nclassification = "worker"\n+++\n')
    assert not looks_like_roo_toml('+++\ntitle = "A Hugo page"\ndate = 2024-01-01\n+++\n')
    assert not looks_like_roo_toml('+++\nid = "x"\nsummary = "never closed"\n')
    assert not looks_like_roo_toml("# Mode: X (`x`)\n")
    assert not looks_like_roo_toml("")


def test_template_with_comments_everywhere() -> None:
    name = "toml_commented_template.mode.md"
    result = read(name)
    assert result.findings == []
    mode = only_mode(result)
    assert (mode.slug, mode.emoji, mode.name, mode.level) == (
        "lead-platform",
        "🧰",
        "Platform Lead",
        "lead",
    )
    # a `#` inside a multi-line string is text, not a comment
    assert mode.role_definition == (
        "You are the Platform Lead. # this hash is part of the prompt\nKeep deployments boring."
    )
    assert mode.tags == ("platform", "devops", "terraform")
    assert [(r.slug, r.line) for r in mode.delegates_to] == [
        ("infra-specialist", line_of(name, '"infra-specialist"')),
        ("infra-cicd", line_of(name, '"infra-cicd"')),
        ("infra-compose", line_of(name, '"infra-compose"')),
    ]
    assert mode.escalates_to == (
        Reference(slug="core-architect", line=line_of(name, "escalate_to")),
    )
    # `user` is who the mode reports to, not a mode: kept as a placeholder
    assert mode.reports_to == ()
    assert mode.extra["placeholder_references"] == [
        {"kind": "report", "text": "user", "line": line_of(name, "reports_to")}
    ]
    assert mode.extra["metadata"] == {"custom_instructions_dir": "kb"}
    assert mode.extra["config"] == {"retries": 3}
    assert "execution_model" not in mode.extra  # commented out
    edit = next(g for g in mode.tool_groups if g.name == "edit")
    assert edit.file_regex is not None
    assert re.search(edit.file_regex, ".tasks/TASK-1.md")
    assert re.search(edit.file_regex, "infra/prod/main.tf")
    assert not re.search(edit.file_regex, "src/app.py")


def test_left_out_tool_groups_are_the_documented_default_set() -> None:
    text = '+++\nid = "d"\nname = "D"\n[file_access]\nwrite_allow = ["docs/**"]\n+++\n'
    mode = only_mode(read_roo_toml(text))
    assert [g.name for g in mode.tool_groups] == ["read", "edit", "browser", "command", "mcp"]
    assert mode.extra["allowed_tool_groups"] == "default"
    edit = next(g for g in mode.tool_groups if g.name == "edit")
    assert edit.file_regex == "^docs/.*$"
    explicit = only_mode(
        read_roo_toml('+++\nid = "e"\nname = "E"\nallowed_tool_groups = []\n+++\n')
    )
    assert explicit.tool_groups == ()
    assert "allowed_tool_groups" not in explicit.extra
