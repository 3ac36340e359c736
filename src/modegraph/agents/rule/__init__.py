"""The offline rule agent: splits a goal into clauses and routes each by the modes' words."""

from modegraph.agents.rule.agent import ClauseRoute, RuleAgent

__all__ = ["ClauseRoute", "RuleAgent"]
