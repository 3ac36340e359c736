"""RuleAgent matching rules: word families, phrases, evidence, ties and modifier items.

Each test builds a tiny catalog in a domain of its own (a garage, a library, a
newsroom), so the rules are checked apart from the evaluation catalogs.
"""

from __future__ import annotations

import pytest

from modegraph.agents import AllowedTarget, RoleTurn, RuleAgent
from modegraph.agents.rule._clauses import fragments, items
from modegraph.agents.rule._profiles import Profile
from modegraph.agents.rule._text_match import (
    Vocabulary,
    _close,
    action_of,
    clause_terms,
    content_terms,
    stem,
)
from modegraph.modes.catalog import Catalog
from modegraph.modes.model import EdgeKind, Mode, Reference


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("migrations", "migrating"),
        ("migration", "migrate"),
        ("deployment", "deploy"),
        ("security", "secure"),
        ("queries", "query"),
        ("caching", "cache"),
        ("tests", "testing"),
    ],
)
def test_one_family_one_stem(a: str, b: str) -> None:
    assert stem(a) == stem(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("product", "production"),
        ("public", "publish"),
        ("name", "naming"),
        ("document", "docu"),
        ("general", "generate"),
    ],
)
def test_other_families_stay_apart(a: str, b: str) -> None:
    assert stem(a) != stem(b)
    assert not _close(stem(a), stem(b))


def test_agent_nouns_keep_their_own_stem() -> None:
    assert stem("server") != stem("serve")
    assert stem("writer") != stem("write")


def test_family_tails_and_long_stems_are_close() -> None:
    assert _close(stem("tester"), stem("test"))
    assert _close(stem("auditor"), stem("audit"))
    assert _close(stem("documentation"), stem("document"))
    assert _close(stem("postgres"), stem("postgresql"))
    assert not _close(stem("product"), stem("productions"))


def test_generic_words_and_phrases() -> None:
    assert content_terms("find what you need instead") == []
    assert content_terms("fix it") == ["fix"]  # in a catalog with a bug fixer, it says much
    assert content_terms("set up continuous integration") == ["setup", "ci"]  # a phrasal verb
    assert "integrat" in content_terms("write integration tests")
    assert "ci" not in content_terms("write integration tests")
    assert action_of("Encrypt the column") == "encrypt"
    assert action_of("Add a column") is None


def test_a_leading_routing_verb_is_not_the_work() -> None:
    assert clause_terms("Report the p99 latency") == (["p99", stem("latency")], None)
    assert clause_terms("Send a status report")[0] == ["send", "status", "report"]
    assert clause_terms("Polish the bodywork")[1] == "polish"


def test_a_verb_reaches_its_noun_but_a_noun_does_not() -> None:
    profile = Profile(slug="x", weights={"encryption": 3.0, "production": 3.0}, origin={}, words={})
    vocabulary = Vocabulary([profile])
    assert vocabulary.match(["encrypt"], profile, action="encrypt").score > 0
    assert vocabulary.match(["product"], profile).score == 0


def test_list_items_and_thousands() -> None:
    assert items("migrations and OAuth2 login") == ["migrations", "OAuth2 login"]
    assert items("bread, cakes or tarts") == ["bread", "cakes", "tarts"]
    texts = [f.text for f in fragments("Serve 2,000 covers a night, and order wine")]
    assert texts == ["Serve 2,000 covers a night", "order wine"]


def garage() -> Catalog:
    """A garage: a foreman, a mechanic, a painter, a parts buyer and an electrician."""
    return Catalog(
        [
            Mode(
                slug="foreman",
                name="Foreman",
                description="Runs the workshop: plans the jobs and schedules the bays.",
                capabilities=("Plan the week's jobs", "Schedule the bays"),
                tags=("planning", "schedule"),
                delegates_to=(
                    Reference(slug="mechanic", note="For engines, brakes and gearboxes"),
                    Reference(slug="painter", note="For bodywork, paint and polishing"),
                    Reference(slug="electrician", note="For wiring, batteries and lights"),
                    Reference(slug="parts-buyer", note="For ordering parts and tyres"),
                ),
            ),
            Mode(
                slug="mechanic",
                name="Mechanic",
                description="Repairs engines, brakes and gearboxes; plans a repair.",
                capabilities=("Overhaul engines", "Replace brake pads and discs"),
                tags=("engine", "brakes", "gearbox"),
            ),
            Mode(
                slug="painter",
                name="Painter",
                description="Repaints bodywork and polishes paint.",
                capabilities=("Spray paint panels", "Polish and wax"),
                tags=("paint", "bodywork"),
            ),
            Mode(
                slug="electrician",
                name="Auto Electrician",
                description="Fixes wiring, batteries, lights and starter motors.",
                capabilities=("Trace wiring faults", "Replace batteries and alternators"),
                tags=("wiring", "battery", "lights"),
            ),
            Mode(
                slug="parts-buyer",
                name="Parts Buyer",
                description="Orders parts and tyres from suppliers.",
                capabilities=("Order parts", "Compare supplier prices", "Replace tyres stock"),
                tags=("parts", "tyres", "suppliers"),
            ),
        ]
    )


def route(catalog: Catalog, entry: str, goal: str) -> dict[str, str]:
    mode = catalog[entry]
    allowed = tuple(
        AllowedTarget(mode=catalog[r.slug], kind=EdgeKind.DELEGATE, note=r.note)
        for r in mode.delegates_to
    )
    turn = RoleTurn(
        task_id="T", subtask_id="T", mode=mode, goal=goal, allowed=allowed, chain=(entry,)
    )
    report = RuleAgent(catalog=catalog).run(turn)
    return {h.target: h.goal for h in report.handoffs}


def test_modifier_items_part_at_and() -> None:
    got = route(garage(), "foreman", "Book a bay with brake discs and wiring faults")
    assert set(got) == {"mechanic", "electrician"}
    assert got["electrician"].startswith("Wiring faults") and "iring" not in got["mechanic"]
    assert "(for: Book a bay)" in got["mechanic"]


def test_a_small_item_stays_with_a_head_that_outweighs_it() -> None:
    got = route(garage(), "foreman", "Overhaul the engine with new wiring")
    assert got == {"mechanic": "Overhaul the engine with new wiring"}


def test_the_role_keeps_words_it_uses_itself() -> None:
    # `plan` is the mechanic's word too, but the foreman's own: no handoff.
    assert route(garage(), "foreman", "Plan the jobs for next week") == {}


def test_a_near_tie_between_targets_is_kept() -> None:
    # `replace` alone fits the mechanic, the electrician and the parts buyer alike.
    assert route(garage(), "foreman", "Replace what is worn") == {}


def test_one_capability_word_is_not_enough() -> None:
    # `compare` is one word of one capability line: too little evidence.
    assert route(garage(), "foreman", "Compare the quotes") == {}
    assert set(route(garage(), "foreman", "Compare supplier prices for tyres")) == {"parts-buyer"}
