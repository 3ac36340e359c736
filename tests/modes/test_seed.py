"""The seed mode file loads exactly as issue 2 says, through decode + the Markdown reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from modegraph.findings import Code
from modegraph.modes.formats.roo_markdown.reader import looks_like_roo_markdown, read_roo_markdown
from modegraph.modes.model import Mode, SourceFormat
from modegraph.modes.text import decode

SEED = Path(__file__).resolve().parents[1] / "data" / "000_fcc372a2e7cd4ede.txt"


@pytest.fixture(scope="module")
def seed() -> tuple[Mode, list[str], list[Code]]:
    text, decode_findings = decode(SEED.read_bytes(), path=str(SEED))
    result = read_roo_markdown(text, path=str(SEED))
    assert len(result.modes) == 1
    codes = [f.code for f in [*decode_findings, *result.findings]]
    messages = [f.format() for f in decode_findings]
    return result.modes[0], messages, codes


def test_seed_is_sniffed_as_roo_markdown() -> None:
    text, _ = decode(SEED.read_bytes())
    assert looks_like_roo_markdown(text)


def test_identity(seed: tuple[Mode, list[str], list[Code]]) -> None:
    mode, _, _ = seed
    assert mode.slug == "fastapi-developer"
    assert mode.name == "FastAPI Developer"
    assert mode.emoji == "🚀"
    assert mode.display_name == "🚀 FastAPI Developer"
    assert mode.level == "032-worker-backend"
    assert mode.model == "quasar-alpha"
    assert mode.source.format is SourceFormat.ROO_MARKDOWN
    assert mode.source.line == 1
    assert mode.source.path == str(SEED)


def test_mojibake_is_repaired_and_reported(seed: tuple[Mode, list[str], list[Code]]) -> None:
    _, messages, codes = seed
    assert codes == [Code.MOJIBAKE_REPAIRED, Code.JSON_ARTIFACTS_CLEANED]
    (message,) = messages
    assert ":1: mojibake-repaired info:" in message
    assert "ðŸš€ -> 🚀" in message
    assert "on 2 lines" in message


def test_lists(seed: tuple[Mode, list[str], list[Code]]) -> None:
    mode, _, _ = seed
    assert len(mode.capabilities) == 13
    assert mode.capabilities[0] == "Design and implement FastAPI REST and WebSocket endpoints"
    assert mode.capabilities[-1] == (
        "Follow best practices for FastAPI project structure and code clarity"
    )
    assert len(mode.workflow) == 7
    assert mode.workflow[0].startswith("Receive task details")
    assert mode.workflow[6] == "Report back completion status to user or coordinator"
    assert [g.name for g in mode.tool_groups] == ["read", "edit", "browser", "command", "mcp"]
    assert all(g.file_regex is None for g in mode.tool_groups)
    assert mode.tags[:3] == ("fastapi", "python", "api")
    assert len(mode.tags) == 10
    assert mode.categories == ("Backend", "API")
    assert mode.stack == ("Python", "FastAPI", "Pydantic", "SQLModel", "pytest")


def test_references(seed: tuple[Mode, list[str], list[Code]]) -> None:
    mode, _, _ = seed
    assert [r.slug for r in mode.escalates_to] == [
        "database-specialist",
        "security-specialist",
        "infrastructure-specialist",
        "cicd-specialist",
        "containerization-developer",
    ]
    assert [r.line for r in mode.escalates_to] == [205, 206, 207, 208, 209]
    assert mode.delegates_to == ()
    assert mode.reports_to == ()
    assert "placeholder_references" not in mode.extra


def test_texts_intact(seed: tuple[Mode, list[str], list[Code]]) -> None:
    mode, _, _ = seed
    assert mode.description.startswith("Expert in building high-performance APIs")
    assert mode.role_definition.startswith("You are Roo FastAPI Developer")
    assert mode.role_definition.endswith("comprehensive testing with `TestClient`.")
    ci = mode.custom_instructions
    assert ci.startswith("### 1. General Operational Principles")
    assert "### 6. Context / Knowledge Base" in ci
    assert "**Status:** ✅ Complete" in ci
    assert "âœ" not in ci
    # JSON-conversion artifacts are cleaned: no `\` continuations, no `\"` escapes
    assert '@app.middleware("http")' in ci
    assert '\\"' not in ci
    assert not any(line.endswith("\\") for line in ci.splitlines())
    # the indented `---` inside the example log stays; the section's closing rule goes
    assert "        ---" in ci
    assert not ci.rstrip().endswith("---")
    assert "## Metadata" not in ci
    assert ci.endswith("fastapi-developer-llms-context.md)")


def test_no_findings_from_the_reader() -> None:
    text, _ = decode(SEED.read_bytes())
    result = read_roo_markdown(text, path="seed.txt")
    # only the info finding saying the JSON-conversion damage was cleaned
    assert [f.code for f in result.findings] == [Code.JSON_ARTIFACTS_CLEANED]
    assert "21 trailing `\\` line continuation(s) removed" in result.findings[0].message
