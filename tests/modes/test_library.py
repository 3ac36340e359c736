"""The bundled mode library: every mode reads clean, levels are as documented, lint is clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from modegraph.findings import Severity
from modegraph.modes.catalog import Catalog
from modegraph.modes.catalog.loader import load_paths
from modegraph.modes.formats.roo_markdown.reader import read_roo_markdown
from modegraph.modes.model import Mode
from modegraph.modes.text import decode
from modegraph.roles.lint import lint_catalog

LIBRARY = Path(__file__).resolve().parents[2] / "src" / "modegraph" / "library"

EXPECTED_LEVELS = {
    "roo-commander": "000-executive",
    "technical-architect": "010-director",
    "project-manager": "010-director",
    "backend-lead": "020-lead-backend",
    "database-lead": "020-lead-database",
    "security-lead": "020-lead-security",
    "devops-lead": "020-lead-devops",
    "fastapi-developer": "032-worker-backend",
    "database-specialist": "033-worker-database",
    "integration-tester": "034-worker-testing",
    "infrastructure-specialist": "035-worker-devops",
    "cicd-specialist": "035-worker-devops",
    "security-specialist": "036-worker-security",
    "technical-writer": "037-worker-docs",
}

MODE_FILES = sorted(LIBRARY.glob("*.mode.md"))


def _read(path: Path) -> tuple[Mode, list[str]]:
    text, decode_findings = decode(path.read_bytes(), path=str(path))
    result = read_roo_markdown(text, path=str(path))
    assert len(result.modes) == 1, path
    return result.modes[0], [f.format() for f in [*decode_findings, *result.findings]]


@pytest.fixture(scope="module")
def library() -> dict[str, Mode]:
    return {mode.slug: mode for mode in (_read(path)[0] for path in MODE_FILES)}


@pytest.mark.parametrize("path", MODE_FILES, ids=lambda p: p.name)
def test_every_bundled_mode_reads_without_any_finding(path: Path) -> None:
    mode, findings = _read(path)
    assert findings == []
    assert path.name == f"{mode.slug}.mode.md"
    assert mode.emoji and mode.description and mode.role_definition and mode.custom_instructions
    assert len(mode.capabilities) >= 5
    assert len(mode.workflow) >= 5
    assert mode.tags and mode.categories and mode.stack
    assert "project_journal/tasks/<TASK-ID>.md" in mode.custom_instructions


@pytest.mark.parametrize("path", MODE_FILES, ids=lambda p: p.name)
def test_files_are_clean_utf8_without_mojibake(path: Path) -> None:
    data = path.read_bytes()
    text = data.decode("utf-8")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert "\r" not in text
    for marker in ("ðŸ", "â€", "âœ", "Ã"):
        assert marker not in text


def test_slugs_and_levels_are_the_documented_ones(library: dict[str, Mode]) -> None:
    assert {slug: mode.level for slug, mode in library.items()} == EXPECTED_LEVELS


def test_fastapi_developer_escalates_like_the_seed_and_reports_to_backend_lead(
    library: dict[str, Mode],
) -> None:
    mode = library["fastapi-developer"]
    assert [ref.slug for ref in mode.escalates_to] == [
        "database-specialist",
        "security-specialist",
        "infrastructure-specialist",
        "cicd-specialist",
    ]
    assert mode.escalates_to[0].note == "For complex database design, migrations and query tuning"
    assert [ref.slug for ref in mode.reports_to] == ["backend-lead"]
    assert mode.delegates_to == ()


def test_every_reference_has_a_note_and_resolves(library: dict[str, Mode]) -> None:
    for mode in library.values():
        for ref in (*mode.delegates_to, *mode.escalates_to, *mode.reports_to):
            assert ref.slug in library, (mode.slug, ref.slug)
            assert ref.note and len(ref.note.split()) >= 3, (mode.slug, ref.slug)


def test_roo_commander_delegates_to_directors_leads_and_every_worker(
    library: dict[str, Mode],
) -> None:
    targets = {ref.slug for ref in library["roo-commander"].delegates_to}
    assert targets == set(library) - {"roo-commander"}


def test_technical_writer_may_edit_markdown_only(library: dict[str, Mode]) -> None:
    groups = {group.name: group for group in library["technical-writer"].tool_groups}
    assert set(groups) == {"read", "edit"}
    assert groups["edit"].file_regex == r"\.md$"


def test_the_library_is_lint_clean() -> None:
    result = load_paths([LIBRARY])
    assert [f.format() for f in result.findings if f.severity is not Severity.INFO] == []
    assert sorted(mode.slug for mode in result.modes) == sorted(EXPECTED_LEVELS)
    findings = lint_catalog(Catalog(result.modes))
    assert [f.format() for f in findings] == []


def test_the_loader_skips_the_library_readme() -> None:
    assert (LIBRARY / "README.md").is_file()
    sources = {Path(mode.source.path or "").name for mode in load_paths([LIBRARY]).modes}
    assert "README.md" not in sources


# Words a keyword router must be able to tell apart: each set belongs to one worker's
# tags or stack and to no other worker's.
DISTINCT_WORDS = {
    "database-specialist": {"sql", "postgresql", "migrations", "indexes", "schema"},
    "security-specialist": {
        "authentication",
        "authorization",
        "oauth2",
        "jwt",
        "passwords",
        "penetration-testing",
        "vulnerability-scanning",
    },
    "infrastructure-specialist": {"docker", "kubernetes", "terraform", "cloud", "servers"},
    "cicd-specialist": {"pipelines", "github-actions", "continuous-integration"},
    "integration-tester": {"testing", "integration-tests", "end-to-end", "playwright"},
    "technical-writer": {"documentation", "docs", "readme", "user-guide", "tutorials"},
    "fastapi-developer": {"fastapi", "endpoints", "pydantic", "rest"},
}


def _words(mode: Mode) -> set[str]:
    return {word.lower() for word in (*mode.tags, *mode.stack)}


@pytest.mark.parametrize("slug", sorted(DISTINCT_WORDS))
def test_worker_keywords_are_distinct(library: dict[str, Mode], slug: str) -> None:
    words = DISTINCT_WORDS[slug]
    assert words <= _words(library[slug])
    for other in DISTINCT_WORDS:
        if other != slug:
            assert not words & _words(library[other]), (slug, other, words & _words(library[other]))


def _profile_text(mode: Mode) -> str:
    """What a router reads of a mode's own work, lower-cased."""
    parts = [mode.description, *mode.capabilities, *mode.tags, *mode.stack]
    return " ".join(parts).lower().replace("-", " ")


def _note(library: dict[str, Mode], source: str, target: str) -> str:
    refs = [*library[source].delegates_to, *library[source].escalates_to]
    notes = [ref.note or "" for ref in refs if ref.slug == target]
    assert len(notes) == 1, (source, target)
    return notes[0]


# Each role's profile names the work it really does, in the words a goal uses for it.
OWN_WORK = {
    "security-specialist": (
        "penetration test",
        "pen test",
        "vulnerability scanning",
        "container",
        "owasp top 10",
        "injection",
        "xss",
        "secrets",
    ),
    "security-lead": ("threat model", "owasp top 10", "sql injection", "xss", "penetration test"),
    "technical-writer": ("release notes", "changelog", "user guides", "api reference"),
    "fastapi-developer": ("build", "api", "endpoints", "services", "fastapi"),
    "database-lead": ("data model", "where each kind of data is stored"),
    "database-specialist": ("stored", "schemas", "migrations", "sql"),
}


@pytest.mark.parametrize("slug", sorted(OWN_WORK))
def test_profiles_name_the_work_each_role_does(library: dict[str, Mode], slug: str) -> None:
    text = _profile_text(library[slug])
    assert [phrase for phrase in OWN_WORK[slug] if phrase not in text] == []


def test_release_notes_are_written_by_the_writer_not_the_pipeline(
    library: dict[str, Mode],
) -> None:
    assert "release-notes" in library["technical-writer"].tags
    assert "release notes" in _note(library, "roo-commander", "technical-writer")
    pipeline = library["cicd-specialist"]
    assert "release notes" not in _profile_text(pipeline)
    assert "publishing releases" in _profile_text(pipeline)


def test_coordinator_notes_say_what_each_worker_does(library: dict[str, Mode]) -> None:
    developer = _note(library, "roo-commander", "fastapi-developer").lower()
    assert "python/fastapi api endpoints" in developer
    assert "services" in developer
    security = _note(library, "roo-commander", "security-specialist").lower()
    assert "pen tests" in security
    assert "security audits" in security
