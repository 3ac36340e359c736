"""A coordinator's router over hand-written profiles, for the rule agent's tests.

Importable by the tests in this folder as `rule_router` (`conftest.py` puts the folder
on `sys.path`).
"""

from __future__ import annotations

from collections.abc import Sequence

from modegraph.agents.rule._profiles import Profile
from modegraph.agents.rule._routes import Router
from modegraph.agents.rule._text_match import Vocabulary

__all__ = ["coordinator_router"]


def coordinator_router(
    targets: Sequence[Profile], others: Sequence[Profile], own: Profile
) -> Router:
    """The router of the coordinator `own` over `targets` and the filler roles `others`."""
    return Router(
        own=own,
        targets=[*targets, *others],
        vocabulary=Vocabulary([*targets, *others, own]),
        coordinator=True,
        min_score=0.3,
        margin=1.25,
    )
