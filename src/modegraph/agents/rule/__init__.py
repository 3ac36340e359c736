"""The offline rule agent: splits a goal into clauses and routes each by the modes' words."""

from modegraph.agents.rule.agent import MAX_GOAL_CHARS, ClauseRoute, Disposition, RuleAgent

__all__ = ["MAX_GOAL_CHARS", "ClauseRoute", "Disposition", "RuleAgent"]
