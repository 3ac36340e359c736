"""An uncovered part lists its closest roles best score first, whatever the router preferred."""

from __future__ import annotations

from modegraph.agents.rule._routes import ClauseRoute, Disposition
from modegraph.agents.rule._text_match import Match
from modegraph.agents.rule._wording import uncovered_part


def test_closest_roles_are_listed_by_score_and_the_tied_pair_best_first() -> None:
    preferred, rival, third = (
        Match(slug="healthcare-admin", score=0.56, matched=("letter",)),
        Match(slug="laravel-specialist", score=0.68, matched=("application",)),
        Match(slug="rails-expert", score=0.64, matched=("application",)),
    )
    route = ClauseRoute(
        clause="Write a cover letter for a job application",
        target=None,
        best=preferred,
        own=Match(slug="orchestrator", score=0.0, matched=()),
        disposition=Disposition.UNCOVERED,
        closest=(preferred, rival, third),
        tie=True,
    )
    part = uncovered_part(route, min_score=0.3, foreign_share=0.5, role="orchestrator")
    assert [(c.slug, c.score) for c in part.closest] == [
        ("laravel-specialist", 0.68),
        ("rails-expert", 0.64),
        ("healthcare-admin", 0.56),
    ]
    assert "nearly tie (laravel-specialist 0.68 and healthcare-admin 0.56)" in part.reason
