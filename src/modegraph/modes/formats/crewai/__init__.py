"""CrewAI crews: `config/agents.yaml` (role, goal, backstory), with `tasks.yaml` beside it."""
