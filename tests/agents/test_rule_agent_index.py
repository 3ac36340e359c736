"""Rule agents over one catalog share its profiles; term look-ups match a plain scan."""

from __future__ import annotations

import gc

from hypothesis import given, settings
from hypothesis import strategies as st

from modegraph.agents.rule import agent as rule_agent
from modegraph.agents.rule._profiles import Profile
from modegraph.agents.rule._text_match import Vocabulary, _close
from modegraph.agents.rule.agent import RuleAgent
from modegraph.modes.catalog import Catalog
from modegraph.modes.model import Mode


def _catalog() -> Catalog:
    return Catalog(
        [
            Mode(slug="head-chef", name="Head Chef", description="Cooks the main courses."),
            Mode(slug="pastry-chef", name="Pastry Chef", description="Bakes bread and cakes."),
        ]
    )


def test_agents_over_one_catalog_share_its_index() -> None:
    catalog = _catalog()
    first, second = RuleAgent(catalog=catalog), RuleAgent(catalog=catalog)
    assert first._vocabulary is second._vocabulary
    assert first._profiles is second._profiles
    other = RuleAgent(catalog=_catalog())
    assert other._vocabulary is not first._vocabulary


def test_a_changed_catalog_gets_a_new_index() -> None:
    catalog = _catalog()
    before = RuleAgent(catalog=catalog)._vocabulary
    catalog._modes["sommelier"] = Mode(slug="sommelier", name="Sommelier")
    after = RuleAgent(catalog=catalog)._vocabulary
    assert after is not before
    assert after is not None and after.knows("sommeli")


def test_a_dropped_catalog_takes_its_index_with_it() -> None:
    gc.collect()  # catalogs of earlier tests may sit in reference cycles until a collection
    catalog = _catalog()
    RuleAgent(catalog=catalog)
    count = len(rule_agent._INDEXES)
    del catalog
    gc.collect()
    assert len(rule_agent._INDEXES) == count - 1


def _scan(vocabulary: Vocabulary, term: str) -> str | None:
    if len(term) < 4:
        return None
    return next((known for known in sorted(vocabulary._df) if _close(term, known)), None)


@settings(max_examples=200, deadline=None)
@given(
    st.sets(st.text(alphabet="aeginrst", min_size=1, max_size=9), max_size=60),
    st.lists(st.text(alphabet="aeginrst", min_size=1, max_size=10), max_size=30),
)
def test_prefix_look_up_matches_a_scan_of_the_vocabulary(known: set[str], terms: list[str]) -> None:
    vocabulary = Vocabulary([Profile(slug="x", weights=dict.fromkeys(known, 1.0), origin={})])
    for term in [*terms, *known]:
        assert vocabulary._prefix_of(term) == _scan(vocabulary, term)
