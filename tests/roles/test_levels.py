from __future__ import annotations

import pytest

from modegraph.findings import Code, Severity
from modegraph.modes.model import Mode
from modegraph.roles.levels import Level, Tier, level_finding, parse_level


@pytest.mark.parametrize(
    ("raw", "tier", "code", "department"),
    [
        ("000-executive", Tier.EXECUTIVE, 0, None),
        ("010-director", Tier.DIRECTOR, 10, None),
        ("020-lead-backend", Tier.LEAD, 20, "backend"),
        ("032-worker-backend", Tier.WORKER, 32, "backend"),
        ("031-worker-frontend-styling", Tier.WORKER, 31, "frontend-styling"),
        ("04x-assistant", Tier.ASSISTANT, None, None),
        ("040-Assistant", Tier.ASSISTANT, 40, None),
        ("05x-footgun", Tier.OTHER, None, None),
        ("020-backend", Tier.LEAD, 20, "backend"),
        ("  030-Worker_Python  ", Tier.WORKER, 30, "python"),
        ("executive", Tier.EXECUTIVE, None, None),
        ("director", Tier.DIRECTOR, None, None),
        ("Lead", Tier.LEAD, None, None),
        ("worker", Tier.WORKER, None, None),
        ("assistant", Tier.ASSISTANT, None, None),
        ("lead-design", Tier.LEAD, None, "design"),
        ("core", Tier.EXECUTIVE, None, None),
        ("orchestrator", Tier.EXECUTIVE, None, None),
        ("executive_orchestrator", Tier.EXECUTIVE, None, "orchestrator"),
        ("manager", Tier.DIRECTOR, None, None),
        ("squad", Tier.WORKER, None, None),
        ("utility", Tier.WORKER, None, None),
        ("Developer", Tier.WORKER, None, None),
        ("Specialist Mode", Tier.WORKER, None, "mode"),
        ("agent", Tier.ASSISTANT, None, None),
    ],
)
def test_known_levels(raw: str, tier: Tier, code: int | None, department: str | None) -> None:
    level = parse_level(raw)
    assert level == Level(tier=tier, code=code, department=department, raw=raw.strip())
    assert level.known


@pytest.mark.parametrize("raw", ["wizard", "Sorcerer", "volunteer", "07z", "9", "??", "100-boss"])
def test_off_list_levels_are_other_and_unknown(raw: str) -> None:
    level = parse_level(raw)
    assert level.tier is Tier.OTHER
    assert not level.known


def test_no_level_is_other_without_a_warning() -> None:
    assert parse_level(None) == Level(tier=Tier.OTHER)
    assert parse_level("  ").known


def test_code_and_word_that_disagree_trust_the_word_and_warn() -> None:
    level = parse_level("020-worker-backend")
    assert level.tier is Tier.WORKER
    assert not level.known
    finding = level_finding(Mode(slug="x", name="X"), level)
    assert finding is not None
    assert "different tiers" in finding.message


def test_tiers_are_ordered() -> None:
    assert Tier.EXECUTIVE > Tier.DIRECTOR > Tier.LEAD > Tier.WORKER > Tier.ASSISTANT > Tier.OTHER
    assert sorted([Tier.WORKER, Tier.EXECUTIVE, Tier.LEAD]) == [
        Tier.WORKER,
        Tier.LEAD,
        Tier.EXECUTIVE,
    ]
    assert Tier.LEAD >= Tier.LEAD
    assert not Tier.OTHER.ranked and Tier.ASSISTANT.ranked
    assert Tier.LEAD.label == "Lead"


def test_unknown_level_finding_has_place_hint_and_slug() -> None:
    mode = Mode(slug="helper", name="Helper", level="wizard")
    finding = level_finding(mode, parse_level(mode.level))
    assert finding is not None
    assert finding.code is Code.UNKNOWN_LEVEL
    assert finding.severity is Severity.WARNING
    assert finding.slug == "helper"
    assert finding.hint and "032-worker-backend" in finding.hint
    assert level_finding(mode, parse_level("lead")) is None
