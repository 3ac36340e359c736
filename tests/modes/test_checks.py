import pytest

from modegraph.findings import Code, Severity
from modegraph.modes.checks import CHECK_CODES, check_mode, check_modes, suggest_slug
from modegraph.modes.model import Mode, SourceInfo, ToolGroup


def mode(slug: str = "ok", *groups: ToolGroup, line: int = 3) -> Mode:
    return Mode(slug=slug, name="M", tool_groups=groups, source=SourceInfo(path="m.md", line=line))


def test_a_clean_mode_has_no_findings() -> None:
    assert check_mode(mode("ok", ToolGroup(name="read"), ToolGroup(name="edit"))) == []


@pytest.mark.parametrize(
    ("slug", "suggestion", "severity"),
    [
        ("Bad Slug!", "bad-slug", Severity.ERROR),
        ("a_b", "a-b", Severity.WARNING),
        ("é", "my-mode", Severity.ERROR),
        ("x--y  z", "x-y-z", Severity.ERROR),
        ("A.b", "a-b", Severity.ERROR),
    ],
)
def test_invalid_slug(slug: str, suggestion: str, severity: Severity) -> None:
    (finding,) = check_mode(mode(slug))
    assert finding.code is Code.INVALID_SLUG
    assert finding.severity is severity
    assert (finding.path, finding.line, finding.slug) == ("m.md", 3, slug)
    assert repr(suggestion) in (finding.hint or "")
    assert suggest_slug(slug) == suggestion


def test_unknown_tool_group_suggests_a_close_name() -> None:
    (finding,) = check_mode(mode("ok", ToolGroup(name="comand")))
    assert finding.code is Code.UNKNOWN_TOOL_GROUP
    assert finding.severity is Severity.ERROR
    assert finding.hint == "did you mean 'command'?"
    (other,) = check_mode(mode("ok", ToolGroup(name="teleport")))
    assert other.hint == "use one of: command, edit, mcp, modes, read"


def test_browser_is_deprecated_but_accepted() -> None:
    (finding,) = check_mode(mode("ok", ToolGroup(name="browser")))
    assert finding.code is Code.DEPRECATED_TOOL_GROUP
    assert finding.severity is Severity.WARNING
    assert "accepted" in finding.message


def test_invalid_file_regex() -> None:
    (finding,) = check_mode(mode("ok", ToolGroup(name="edit", file_regex="src/(unclosed")))
    assert finding.code is Code.INVALID_REGEX
    assert "does not compile" in finding.message
    assert check_mode(mode("ok", ToolGroup(name="edit", file_regex=r"\.(md|mdx)$"))) == []


def test_duplicate_group() -> None:
    findings = check_mode(mode("ok", ToolGroup(name="read"), ToolGroup(name="read")))
    assert [f.code for f in findings] == [Code.DUPLICATE_GROUP]


def test_duplicate_slug_within_one_source() -> None:
    findings = check_modes([mode("a", line=1), mode("b", line=5), mode("a", line=9)])
    (finding,) = findings
    assert finding.code is Code.DUPLICATE_SLUG
    assert finding.line == 9
    assert "m.md:1" in finding.message


def test_every_check_code_is_declared() -> None:
    produced = {
        f.code
        for f in check_modes(
            [
                mode("Bad!", ToolGroup(name="x"), ToolGroup(name="x"), ToolGroup(name="browser")),
                mode("Bad!", ToolGroup(name="edit", file_regex="(")),
            ]
        )
    }
    assert produced == CHECK_CODES


def test_invalid_regex_hint_for_a_javascript_named_group() -> None:
    (finding,) = check_mode(mode("ok", ToolGroup(name="edit", file_regex=r"(?<ext>md)$")))
    assert finding.code is Code.INVALID_REGEX
    assert finding.hint == (
        "modegraph reads Python regex syntax: write a named group as `(?P<name>...)`"
    )
    (plain,) = check_mode(mode("ok", ToolGroup(name="edit", file_regex="[a-")))
    assert plain.hint and "close every bracket" in plain.hint


def test_a_slug_with_a_dot_is_a_portability_warning_and_a_space_stays_an_error() -> None:
    # Real Claude Code collections hold agents such as dotnet-framework-4.8-expert.
    (finding,) = check_mode(mode("dotnet-framework-4.8-expert"))
    assert finding.severity is Severity.WARNING
    assert "Roo Code" in finding.message
    assert "dotnet-framework-4-8-expert" in (finding.hint or "")
    (error,) = check_mode(mode("Bad Slug"))
    assert error.severity is Severity.ERROR


@pytest.mark.parametrize(
    ("name", "severity", "hint"),
    [
        ("ask", Severity.INFO, "nothing is lost"),
        ("completion", Severity.INFO, "nothing is lost"),
        ("search", Severity.WARNING, "write 'read' instead of 'search'"),
        ("new_task", Severity.WARNING, "write 'modes' instead"),
        ("file_management", Severity.ERROR, "use one of"),
    ],
)
def test_group_names_real_roo_commander_modes_write(
    name: str, severity: Severity, hint: str
) -> None:
    # Roo Commander v7 modes list "ask", "completion" and "search" among their groups.
    (finding,) = check_mode(mode("ok", ToolGroup(name=name)))
    assert finding.code is Code.UNKNOWN_TOOL_GROUP
    assert finding.severity is severity
    assert hint in (finding.hint or "")
