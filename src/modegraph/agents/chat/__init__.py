"""The chat agent: any langchain-core chat model plays a role.

`agent` (the turn loop), `prompts` (system prompt from the mode), `turn_tools`
(one handoff tool per allowed target, `complete`), `providers` ("provider:model").
Importing this package does not import a provider SDK.
"""

from modegraph.agents.chat.agent import ChatAgent

__all__ = ["ChatAgent"]
