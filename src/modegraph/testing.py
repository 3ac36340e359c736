"""Test helpers: the strict scripted chat model (it lives in `modegraph.agents.scripted`).

```python
from modegraph.testing import ScriptedChatModel
```
"""

from modegraph.agents.scripted import (
    ScriptedCall,
    ScriptedChatModel,
    ScriptError,
    ScriptExhausted,
    ScriptStep,
    UnusedSteps,
)

__all__ = [
    "ScriptError",
    "ScriptExhausted",
    "ScriptStep",
    "ScriptedCall",
    "ScriptedChatModel",
    "UnusedSteps",
]
