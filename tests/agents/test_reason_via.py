"""A handoff's reason names the role whose profile matched, also when it is one hop on."""

from __future__ import annotations

from modegraph.agents.protocol import AllowedTarget
from modegraph.agents.rule._routes import ClauseRoute, Disposition
from modegraph.agents.rule._text_match import Match
from modegraph.agents.rule._wording import reason
from modegraph.modes.model import EdgeKind, Mode

MANAGER = Mode(slug="manager", name="Manager", tags=("manager", "planning"))


def _route(best: Match) -> ClauseRoute:
    return ClauseRoute(
        clause="Write the PoC documentation",
        target="manager",
        best=best,
        own=Match(slug="lead", score=0.1, matched=()),
        disposition=Disposition.HANDOFF,
    )


def test_a_match_through_a_role_the_target_hands_work_to_names_that_role() -> None:
    best = Match(
        slug="manager", score=1.1, matched=("writing",), fields=("tags",), via="documenter"
    )
    why = reason([_route(best)], AllowedTarget(mode=MANAGER, kind=EdgeKind.DELEGATE))
    assert why == (
        "'writing' matched documenter's tags, a role manager hands work on to "
        "(score 1.1 vs own 0.1)"
    )


def test_a_match_of_the_targets_own_profile_names_the_target() -> None:
    best = Match(slug="manager", score=1.1, matched=("planning",), fields=("tags",))
    why = reason([_route(best)], AllowedTarget(mode=MANAGER, kind=EdgeKind.DELEGATE))
    assert why == "'planning' matched manager's tags (score 1.1 vs own 0.1)"
