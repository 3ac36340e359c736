"""A strict scripted chat model for tests: no network, no surprises.

`ScriptedChatModel` is a langchain-core chat model that answers from a script. Each
call consumes the next step; a call past the script raises `ScriptExhausted`; steps
left unused raise `UnusedSteps` from `assert_all_used()` (or when the model is used as
a context manager). It never starts over. Every call is recorded in `.calls`.

Example:
    ```python
    from modegraph.testing import ScriptedChatModel

    with ScriptedChatModel(
        steps=[
            ScriptedChatModel.handoff("database-specialist", goal="Design the schema"),
            ScriptedChatModel.complete(summary="API and schema are done"),
        ]
    ) as model:
        agent = ChatAgent(model=model)
        ...
    assert len(model.calls) == 2
    ```

Steps are AIMessages, plain strings (a text answer), or callables that take the
messages of the call and return either. Parallel branches stay deterministic with
`ScriptedChatModel.by_role({...})`, which picks the script from the role header of the
system prompt (see `modegraph.agents.chat.prompts`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import Field, PrivateAttr, model_validator

from modegraph.agents import _scripted_steps as _steps
from modegraph.agents.chat.prompts import role_of_prompt
from modegraph.errors import ModegraphError

__all__ = [
    "ScriptError",
    "ScriptExhausted",
    "ScriptStep",
    "ScriptedCall",
    "ScriptedChatModel",
    "UnusedSteps",
]

ScriptStep = AIMessage | str | Callable[[list[BaseMessage]], AIMessage | str]
"""One scripted answer: a message, a text answer, or a function of the call's messages."""

_DEFAULT_SCRIPT = ""
"""Key of the single script when the model is not per-role."""


class ScriptError(ModegraphError, AssertionError):
    """The script and the code under test disagree (a test bug or a code bug).

    An `AssertionError`, so pytest reports it as a failed check, and a `ModegraphError`,
    so the chat agent lets it through (it must fail the test, not one turn) while an
    `AssertionError` from inside a provider SDK still only fails the turn.
    """


class ScriptExhausted(ScriptError):
    """The model was called after its script ran out (or for a role it has no script for)."""


class UnusedSteps(ScriptError):
    """The test ended with scripted steps that were never used."""


@dataclass(frozen=True)
class ScriptedCall:
    """One recorded call of a `ScriptedChatModel`."""

    index: int
    """0-based order of the call across all scripts."""
    role: str | None
    """Role slug whose script answered (None for a single-script model)."""
    step: int
    """0-based index of the step used in that script."""
    messages: tuple[BaseMessage, ...]
    """The messages the model was called with."""
    tools: tuple[str, ...]
    """Names of the tools bound for this call."""
    response: AIMessage
    """What the model answered."""

    @property
    def system_prompt(self) -> str:
        """The text of the first system message, or an empty string."""
        for message in self.messages:
            if isinstance(message, SystemMessage):
                return message.text
        return ""


class ScriptedChatModel(BaseChatModel):
    """A strict scripted chat model. See the module docstring."""

    steps: list[Any] = Field(default_factory=list)
    """The script of a single-script model (`ScriptStep` items)."""
    role_steps: dict[str, list[Any]] | None = None
    """Per-role scripts, keyed by role slug; use `by_role` to build."""
    check_tools: bool = True
    """Raise when a scripted tool call names a tool that was not bound for the call."""
    input_tokens: int = 10
    """Input tokens reported per step when the step's message has no usage_metadata."""
    output_tokens: int = 5
    """Output tokens reported per step when the step's message has no usage_metadata."""
    cache: Any = False
    """Never cache: every call must consume a step."""

    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _cursors: dict[str, int] = PrivateAttr(default_factory=dict)
    _calls: list[ScriptedCall] = PrivateAttr(default_factory=list)
    _count: int = PrivateAttr(default=0)

    @model_validator(mode="after")
    def _check_script(self) -> ScriptedChatModel:
        if self.steps and self.role_steps is not None:
            msg = "give either steps=[...] or by_role({...}), not both"
            raise ValueError(msg)
        for role, steps in self._scripts().items():
            for number, step in enumerate(steps):
                if not isinstance(step, AIMessage | str) and not callable(step):
                    where = f"role {role!r} " if role else ""
                    msg = (
                        f"{where}step {number} is a {type(step).__name__}; a step must be "
                        "an AIMessage, a str, or a callable returning one"
                    )
                    raise ValueError(msg)
        return self

    # ----- building scripts -------------------------------------------------------

    @classmethod
    def by_role(
        cls, scripts: Mapping[str, Sequence[ScriptStep]], **kwargs: Any
    ) -> ScriptedChatModel:
        """A model with one script per role, chosen by the system prompt's role header.

        Args:
            scripts: Steps per role slug.
            **kwargs: Other fields (check_tools, input_tokens, output_tokens).

        Returns:
            The model.
        """
        return cls(role_steps={role: list(steps) for role, steps in scripts.items()}, **kwargs)

    # the step builders; each returns the AIMessage a step answers with
    tool_call = staticmethod(_steps.tool_call)
    tool_calls = staticmethod(_steps.tool_calls)
    handoff = staticmethod(_steps.handoff)
    handoffs = staticmethod(_steps.handoffs)
    complete = staticmethod(_steps.complete)
    text = staticmethod(_steps.text)

    # ----- checking ---------------------------------------------------------------

    @property
    def calls(self) -> list[ScriptedCall]:
        """Every answered call so far, in the order the calls started.

        A step that raised (a callable simulating a provider error) is not listed.
        """
        with self._lock:
            return sorted(self._calls, key=lambda call: call.index)

    def remaining(self) -> dict[str | None, int]:
        """Steps not yet used, per role (None for a single-script model)."""
        with self._lock:
            return {
                (role or None): len(steps) - self._cursors.get(role, 0)
                for role, steps in self._scripts().items()
            }

    def assert_all_used(self) -> None:
        """Raise `UnusedSteps` when any scripted step was never used.

        Raises:
            UnusedSteps: Naming each script with steps left and the first unused step.
        """
        left = []
        with self._lock:
            for role, steps in self._scripts().items():
                used = self._cursors.get(role, 0)
                if used < len(steps):
                    where = f"role {role!r}" if role else "the script"
                    left.append(
                        f"{where}: {len(steps) - used} of {len(steps)} steps unused "
                        f"(next: {_describe(steps[used])})"
                    )
        if left:
            raise UnusedSteps("scripted steps were never used: " + "; ".join(left))

    def __enter__(self) -> ScriptedChatModel:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.assert_all_used()

    def __repr_args__(self) -> Any:
        """The script as step counts, and the settings that differ from their defaults.

        langchain-core serializes a model (through its repr) once per model for the
        callbacks of `invoke`; its generic repr compares every field with its default
        (inspecting default factories) and prints every scripted message, which costs
        more than a scripted call.
        """
        if self.role_steps is not None:
            yield "role_steps", {role: _count(steps) for role, steps in self.role_steps.items()}
        else:
            yield "steps", _count(self.steps)
        for name in ("check_tools", "input_tokens", "output_tokens"):
            value = getattr(self, name)
            if value != type(self).model_fields[name].default:
                yield name, value

    # ----- the chat model ---------------------------------------------------------

    @property
    def _llm_type(self) -> str:
        return "modegraph-scripted"

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Bind tools as real chat models do, in OpenAI's tool format, names only.

        The scripted model checks calls against the tools' names and needs nothing
        else, so it does not convert whole schemas (which costs more than a turn).

        Args:
            tools: Tools, pydantic models, functions or OpenAI tool dicts.
            tool_choice: Recorded and otherwise ignored.
            **kwargs: Passed on to `bind`.

        Returns:
            The model with the tools bound.
        """
        schemas = [{"type": "function", "function": {"name": _tool_name(tool)}} for tool in tools]
        if tool_choice is not None:
            kwargs["tool_choice"] = tool_choice
        return self.bind(tools=schemas, **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        tools = tuple(_tool_names(kwargs.get("tools") or ()))
        role = self._role_of(messages)
        with self._lock:
            steps = self._scripts().get(role)
            if steps is None:
                msg = f"no script for role {role!r}; scripted roles: {sorted(self._scripts())}"
                raise ScriptExhausted(msg)
            number = self._cursors.get(role, 0)
            if number >= len(steps):
                where = f"role {role!r}" if role else "the script"
                msg = (
                    f"call {number + 1} to {where}, which has only {len(steps)} steps; "
                    f"last message: {_last_text(messages)!r}"
                )
                raise ScriptExhausted(msg)
            self._cursors[role] = number + 1
            index = self._count
            self._count += 1
        response = self._answer(steps[number], messages, role, number, tools)
        call = ScriptedCall(
            index=index,
            role=role or None,
            step=number,
            messages=tuple(messages),
            tools=tools,
            response=response,
        )
        with self._lock:
            self._calls.append(call)
        return ChatResult(generations=[ChatGeneration(message=response.model_copy(deep=True))])

    # ----- internals --------------------------------------------------------------

    def _scripts(self) -> dict[str, list[Any]]:
        if self.role_steps is not None:
            return self.role_steps
        return {_DEFAULT_SCRIPT: self.steps}

    def _role_of(self, messages: list[BaseMessage]) -> str:
        if self.role_steps is None:
            return _DEFAULT_SCRIPT
        for message in messages:
            if isinstance(message, SystemMessage):
                role = role_of_prompt(message.text)
                if role is not None:
                    return role
        msg = (
            "a per-role scripted model needs a system prompt with a role header "
            "('# Role: Name (`slug`)'); none found"
        )
        raise ScriptError(msg)

    def _answer(
        self,
        step: Any,
        messages: list[BaseMessage],
        role: str,
        number: int,
        tools: tuple[str, ...],
    ) -> AIMessage:
        value = step(list(messages)) if callable(step) else step
        if isinstance(value, str):
            value = AIMessage(content=value)
        if not isinstance(value, AIMessage):
            msg = f"step {number} returned a {type(value).__name__}, not an AIMessage or str"
            raise ScriptError(msg)
        response = value.model_copy(deep=True)
        prefix = f"call_{role.replace('-', '_') or 'step'}_{number}"
        response.tool_calls = [
            {**call, "id": call.get("id") or f"{prefix}_{n}"}
            for n, call in enumerate(response.tool_calls)
        ]
        if self.check_tools:
            for call in response.tool_calls:
                if call["name"] not in tools:
                    where = f"role {role!r} " if role else ""
                    msg = (
                        f"{where}step {number} calls tool {call['name']!r}, which the code "
                        f"under test did not bind; bound tools: {list(tools)}"
                    )
                    raise ScriptError(msg)
        if response.usage_metadata is None:
            response.usage_metadata = _steps.usage(self.input_tokens, self.output_tokens)
        return response


class _Shown(str):
    """A string that reprs as itself (a summary in a repr)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def _count(steps: Sequence[Any]) -> _Shown:
    return _Shown(f"<{len(steps)} step{'' if len(steps) == 1 else 's'}>")


def _tool_name(tool: dict[str, Any] | type | Callable[..., Any] | BaseTool) -> str:
    """The name a provider would see for `tool`, converting only when it must."""
    if isinstance(tool, BaseTool):
        return tool.name
    if isinstance(tool, dict):
        function = tool.get("function")
        name = function.get("name") if isinstance(function, dict) else tool.get("name")
        if isinstance(name, str):
            return name
    converted: Any = convert_to_openai_tool(tool)
    return str(converted["function"]["name"])


def _tool_names(schemas: Iterable[Any]) -> Iterable[str]:
    for schema in schemas:
        if isinstance(schema, dict):
            function = schema.get("function")
            name = function.get("name") if isinstance(function, dict) else schema.get("name")
            if isinstance(name, str):
                yield name


def _describe(step: Any) -> str:
    if isinstance(step, AIMessage):
        if step.tool_calls:
            return "tool calls " + ", ".join(call["name"] for call in step.tool_calls)
        return f"text {step.text[:60]!r}"
    if isinstance(step, str):
        return f"text {step[:60]!r}"
    return f"callable {getattr(step, '__name__', type(step).__name__)}"


def _last_text(messages: Sequence[BaseMessage]) -> str:
    return messages[-1].text[:120] if messages else ""
