"""The LangGraph coordinator: state, nodes, agents, tools."""
