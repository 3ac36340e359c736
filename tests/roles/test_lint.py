from __future__ import annotations

from collections.abc import Callable

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.catalog import Catalog
from modegraph.roles.lint import lint_catalog

Build = Callable[..., Catalog]


def codes(findings: list[Finding]) -> list[Code]:
    return [f.code for f in findings]


def only(findings: list[Finding], code: Code) -> list[Finding]:
    return [f for f in findings if f.code is code]


def test_healthy_team_has_no_findings(team: Catalog) -> None:
    assert lint_catalog(team) == []


def test_every_finding_has_place_slug_message_and_hint(catalog_of: Build) -> None:
    findings = lint_catalog(
        catalog_of(
            ("boss", "000-executive", ["boss"], [], []),
            ("odd", "wizard", [], [], []),
            ("w", "030-worker", [], [], []),
        )
    )
    assert findings
    for finding in findings:
        assert finding.path and finding.path.endswith(".mode.md")
        assert finding.line is not None
        assert finding.slug
        assert finding.message and finding.hint


def test_unknown_level(catalog_of: Build) -> None:
    findings = lint_catalog(
        catalog_of(("odd", "wizard", [], [], []), ("x", "lead", ["odd"], [], []))
    )
    [finding] = only(findings, Code.UNKNOWN_LEVEL)
    assert finding.slug == "odd"
    assert finding.severity is Severity.WARNING


def test_self_edge_points_at_the_reference_line(catalog_of: Build) -> None:
    findings = lint_catalog(catalog_of(("lead-a", "020-lead", [], ["lead-a"], [])))
    [finding] = only(findings, Code.SELF_EDGE)
    assert finding.line == 10
    assert "escalates to itself" in finding.message
    assert not only(findings, Code.ESCALATION_CYCLE)


def test_escalation_cycle_with_a_way_out_is_a_warning(catalog_of: Build) -> None:
    findings = lint_catalog(
        catalog_of(
            ("lead", "020-lead", ["a", "b"], [], []),
            ("a", "030-worker", [], ["b"], []),
            ("b", "030-worker", [], ["a", "lead"], []),
        )
    )
    [finding] = only(findings, Code.ESCALATION_CYCLE)
    assert finding.severity is Severity.WARNING
    assert finding.slug == "a"
    assert "b -> lead" in finding.message
    assert not only(findings, Code.ESCALATION_TRAP)


def test_escalation_trap_is_an_error(catalog_of: Build) -> None:
    findings = lint_catalog(
        catalog_of(
            ("lead", "020-lead", ["a"], [], []),
            ("a", "030-worker", [], ["b"], []),
            ("b", "030-worker", [], ["c"], []),
            ("c", "030-worker", [], ["a", "ghost"], []),
        )
    )
    [finding] = only(findings, Code.ESCALATION_TRAP)
    assert finding.severity is Severity.ERROR
    assert "a, b, c" in finding.message
    assert not only(findings, Code.ESCALATION_CYCLE)


def test_loop_at_the_top_is_not_a_trap(catalog_of: Build) -> None:
    findings = lint_catalog(
        catalog_of(
            ("ceo", "000-executive", [], ["cto"], []),
            ("cto", "000-executive", [], ["ceo"], []),
        )
    )
    assert codes(findings) == [Code.ESCALATION_CYCLE]


def test_escalates_down(catalog_of: Build) -> None:
    findings = lint_catalog(
        catalog_of(
            ("director", "010-director", ["lead"], ["lead"], []),
            ("lead", "020-lead", [], ["director"], []),
        )
    )
    [finding] = only(findings, Code.ESCALATES_DOWN)
    assert finding.slug == "director"
    assert finding.line == 11
    assert "(director) escalates down to 'lead' (lead)" in finding.message


def test_delegates_up(catalog_of: Build) -> None:
    findings = lint_catalog(
        catalog_of(
            ("director", "010-director", ["lead"], [], []),
            ("lead", "020-lead", ["director"], ["director"], []),
        )
    )
    [finding] = only(findings, Code.DELEGATES_UP)
    assert finding.slug == "lead"
    assert "delegates up" in finding.message


def test_other_tier_is_never_compared(catalog_of: Build) -> None:
    findings = lint_catalog(
        catalog_of(
            ("lead", "020-lead", ["footgun"], [], []),
            ("footgun", "05x-footgun", [], ["lead"], []),
        )
    )
    assert not only(findings, Code.ESCALATES_DOWN) and not only(findings, Code.DELEGATES_UP)


def test_no_escalation_path(catalog_of: Build) -> None:
    findings = lint_catalog(
        catalog_of(
            ("lead", "020-lead", ["w1", "w2", "w3"], [], []),
            ("w1", "030-worker", [], ["w2"], []),
            ("w2", "030-worker", [], [], []),
            ("w3", "030-worker", [], ["w1", "lead"], []),
        )
    )
    found = only(findings, Code.NO_ESCALATION_PATH)
    assert [f.slug for f in found] == ["w1", "w2"]
    assert "never reach a lead" in found[0].message
    assert "escalates to no one" in found[1].message


def test_unreachable_from_every_coordinator(catalog_of: Build) -> None:
    findings = lint_catalog(
        catalog_of(
            ("boss", "000-executive", ["lead"], [], []),
            ("lead", "020-lead", [], ["boss"], []),
            ("lost", "020-lead", [], ["boss"], []),
        )
    )
    [finding] = only(findings, Code.UNREACHABLE)
    assert finding.slug == "lost"
    assert "boss" in finding.message


def test_no_coordinator_means_no_unreachable_noise(catalog_of: Build) -> None:
    findings = lint_catalog(
        catalog_of(
            ("lead", "020-lead", ["w"], [], []),
            ("w", "030-worker", [], ["lead"], []),
            ("stray", "030-worker", [], ["lead"], []),
        )
    )
    assert not only(findings, Code.UNREACHABLE)


def test_orphan_is_not_also_unreachable(catalog_of: Build) -> None:
    findings = lint_catalog(
        catalog_of(
            ("boss", "000-executive", ["lead"], [], []),
            ("lead", "020-lead", [], ["boss"], []),
            ("alone", "020-lead", [], [], []),
        )
    )
    assert [(f.code, f.slug) for f in findings] == [(Code.ORPHAN, "alone")]


def test_flat_catalog_has_no_orphan_noise(catalog_of: Build) -> None:
    findings = lint_catalog(catalog_of(("a", None, [], [], []), ("b", None, [], [], [])))
    assert findings == []


def test_report_without_delegation(catalog_of: Build) -> None:
    findings = lint_catalog(
        catalog_of(
            ("lead", "020-lead", ["w1"], [], []),
            ("w1", "030-worker", [], ["lead"], ["lead"]),
            ("w2", "030-worker", [], ["lead"], ["lead"]),
        )
    )
    [finding] = only(findings, Code.REPORT_WITHOUT_DELEGATION)
    assert finding.slug == "w2"
    assert finding.line == 11
    assert "add `w2` to the **Delegates To:** list of `lead`" in (finding.hint or "")


def test_missing_targets_are_left_to_dangling_reference(catalog_of: Build) -> None:
    findings = lint_catalog(
        catalog_of(
            ("fastapi-developer", "032-worker-backend", [], ["database-specialist"], ["ghost"])
        )
    )
    assert codes(findings) == [Code.NO_ESCALATION_PATH]


def test_findings_are_sorted_by_file_and_line(catalog_of: Build) -> None:
    findings = lint_catalog(
        catalog_of(
            ("b", "wizard", [], [], []),
            ("a", "020-lead", ["a"], [], []),
        )
    )
    keys = [(f.path, f.line) for f in findings]
    assert keys == sorted(keys)  # type: ignore[type-var]
