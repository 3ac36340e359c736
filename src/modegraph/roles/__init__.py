"""Role hierarchy and escalation graph. Never imports LangGraph."""

from modegraph.roles.escalation import Edge, EscalationGraph

__all__ = ["Edge", "EscalationGraph"]
