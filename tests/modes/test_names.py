"""Display names made from slugs keep their acronyms, and survive a round trip."""

from __future__ import annotations

import re

import pytest

from modegraph.modes.catalog.loader import load_text
from modegraph.modes.formats.writers import TargetFormat, write_mode
from modegraph.modes.model import Mode, SourceFormat
from modegraph.modes.names import WORD_SPELLINGS, is_placeholder_slug, name_from_slug


@pytest.mark.parametrize(
    ("slug", "name"),
    [
        ("php-pro", "PHP Pro"),
        ("qa-expert", "QA Expert"),
        ("sre-engineer", "SRE Engineer"),
        ("api-designer", "API Designer"),
        ("cicd-specialist", "CI/CD Specialist"),
        ("ios-developer", "iOS Developer"),
        ("aws-architect", "AWS Architect"),
        ("gcp-engineer", "GCP Engineer"),
        ("sql-pro", "SQL Pro"),
        ("ui-ux-designer", "UI UX Designer"),
        ("ml-engineer", "ML Engineer"),
        ("ai-engineer", "AI Engineer"),
        ("llm-architect", "LLM Architect"),
        ("seo-content-writer", "SEO Content Writer"),
        ("fastapi-developer", "FastAPI Developer"),
        ("cpp-pro", "C++ Pro"),
        ("code_reviewer", "Code Reviewer"),
        ("data-product-strategist", "Data Product Strategist"),
    ],
)
def test_names_keep_acronyms(slug: str, name: str) -> None:
    assert name_from_slug(slug) == name


def test_every_spelling_is_keyed_by_its_letters_and_digits() -> None:
    manual = {"cpp", "csharp", "fsharp", "dotnet"}
    for key, spelling in WORD_SPELLINGS.items():
        assert key == key.lower() and re.fullmatch(r"[a-z0-9]+", key), key
        if key not in manual:
            assert re.sub(r"[^a-z0-9]", "", spelling.lower()) == key, spelling


@pytest.mark.parametrize("target", [TargetFormat.CLAUDE, TargetFormat.ROOMODES])
def test_ci_cd_specialist_survives_a_round_trip(target: TargetFormat) -> None:
    mode = Mode(slug="cicd-specialist", name="CI/CD Specialist", role_definition="You ship.")
    text = write_mode(mode, to=target).text
    fmt = SourceFormat.CLAUDE if target is TargetFormat.CLAUDE else SourceFormat.ROOMODES
    (again,) = load_text(text, path="out", format=fmt).modes
    assert again.name == "CI/CD Specialist"


@pytest.mark.parametrize(
    ("slug", "placeholder"),
    [
        ("[mode_slug]", True),
        ("[squad-member-mode-slug]", True),
        ("your-mode-slug", True),
        ("<slug>", True),
        ("{agent}", True),
        ("mode-slug", True),
        ("fastapi-developer", False),
        ("sluggish", False),
        ("your", False),
    ],
)
def test_placeholder_slugs(slug: str, placeholder: bool) -> None:
    assert is_placeholder_slug(slug) is placeholder
