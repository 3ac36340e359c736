"""The scripted chat model is strict: it never guesses, never starts over, records all."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.tools import tool
from pydantic import ValidationError

from modegraph.testing import (
    ScriptedChatModel,
    ScriptError,
    ScriptExhausted,
    UnusedSteps,
)


@tool
def read_file(path: str) -> str:
    """Read a file."""
    return path


def _prompt(slug: str) -> list[BaseMessage]:
    return [SystemMessage(f"# Role: Some Role (`{slug}`)\n\nYou are it."), HumanMessage("go")]


def test_each_call_consumes_the_next_step() -> None:
    model = ScriptedChatModel(steps=["first", AIMessage(content="second")])
    assert model.invoke("a").text == "first"
    assert model.invoke("b").text == "second"
    model.assert_all_used()


def test_a_call_past_the_script_raises_and_never_starts_over() -> None:
    model = ScriptedChatModel(steps=["only"])
    model.invoke("a")
    with pytest.raises(ScriptExhausted, match=r"call 2 to the script, which has only 1 steps"):
        model.invoke("again")
    with pytest.raises(ScriptExhausted):
        model.invoke("and again")
    assert isinstance(ScriptExhausted("x"), AssertionError)
    assert len(model.calls) == 1


def test_unused_steps_raise_naming_the_next_step() -> None:
    model = ScriptedChatModel(steps=["used", ScriptedChatModel.complete("never")])
    model.invoke("a")
    assert model.remaining() == {None: 1}
    with pytest.raises(UnusedSteps, match=r"1 of 2 steps unused \(next: tool calls complete\)"):
        model.assert_all_used()


def test_context_manager_checks_unused_steps() -> None:
    with pytest.raises(UnusedSteps), ScriptedChatModel(steps=["a", "b"]) as model:
        model.invoke("x")


def test_context_manager_does_not_hide_the_real_error() -> None:
    with pytest.raises(KeyError), ScriptedChatModel(steps=["a", "b"]):
        raise KeyError("the real failure")


def test_records_messages_tools_and_response() -> None:
    model = ScriptedChatModel(steps=[ScriptedChatModel.tool_call("read_file", {"path": "a.py"})])
    bound = model.bind_tools([read_file])
    bound.invoke([SystemMessage("sys"), HumanMessage("read a.py")])
    (call,) = model.calls
    assert call.index == 0 and call.step == 0 and call.role is None
    assert [m.text for m in call.messages] == ["sys", "read a.py"]
    assert call.system_prompt == "sys"
    assert call.tools == ("read_file",)
    assert call.response.tool_calls[0]["args"] == {"path": "a.py"}
    assert call.response.tool_calls[0]["id"] == "call_step_0_0"


def test_a_scripted_call_to_an_unbound_tool_raises() -> None:
    model = ScriptedChatModel(steps=[ScriptedChatModel.tool_call("write_file", {"path": "x"})])
    with pytest.raises(ScriptError, match=r"calls tool 'write_file'.*bound tools: \['read_file'\]"):
        model.bind_tools([read_file]).invoke("go")


def test_without_any_bound_tool_a_tool_call_raises() -> None:
    model = ScriptedChatModel(steps=[ScriptedChatModel.complete("done")])
    with pytest.raises(ScriptError, match="did not bind"):
        model.invoke("go")


def test_the_tool_check_can_be_switched_off() -> None:
    model = ScriptedChatModel(
        steps=[ScriptedChatModel.tool_call("anything", {})], check_tools=False
    )
    assert model.invoke("go").tool_calls[0]["name"] == "anything"


def test_usage_metadata_defaults_and_overrides() -> None:
    model = ScriptedChatModel(
        steps=[
            "default",
            ScriptedChatModel.text("custom", input_tokens=100, output_tokens=7),
            AIMessage(
                content="own",
                usage_metadata={"input_tokens": 1, "output_tokens": 2, "total_tokens": 3},
            ),
        ],
        input_tokens=11,
        output_tokens=4,
    )
    usages = [model.invoke("x").usage_metadata for _ in range(3)]
    assert [(u["input_tokens"], u["output_tokens"]) for u in usages if u] == [
        (11, 4),
        (100, 7),
        (1, 2),
    ]


def test_a_callable_step_sees_the_messages() -> None:
    seen: list[str] = []

    def answer(messages: list[BaseMessage]) -> str:
        seen.append(messages[-1].text)
        return f"echo {messages[-1].text}"

    model = ScriptedChatModel(steps=[answer])
    assert model.invoke("hello").text == "echo hello"
    assert seen == ["hello"]


def test_a_callable_returning_something_else_is_a_script_error() -> None:
    model = ScriptedChatModel(steps=[lambda messages: 42])
    with pytest.raises(ScriptError, match="returned a int"):
        model.invoke("x")


def test_bad_steps_are_refused_at_construction() -> None:
    with pytest.raises(ValidationError, match="step 1 is a int"):
        ScriptedChatModel(steps=["ok", 3])
    with pytest.raises(ValidationError, match="not both"):
        ScriptedChatModel(steps=["a"], role_steps={"x": ["b"]})


def test_reused_message_objects_are_not_mutated() -> None:
    step = ScriptedChatModel.tool_call("read_file", {"path": "a"})
    model = ScriptedChatModel(steps=[step, step]).bind_tools([read_file])
    first = model.invoke("x")
    second = model.invoke("y")
    assert step.tool_calls[0]["id"] is None
    assert step.id is None
    assert first.tool_calls[0]["id"] != second.tool_calls[0]["id"]


def test_async_calls_consume_the_same_script() -> None:
    model = ScriptedChatModel(steps=["one", "two"])

    async def both() -> list[str]:
        return [(await model.ainvoke("a")).text, (await model.ainvoke("b")).text]

    assert asyncio.run(both()) == ["one", "two"]
    with pytest.raises(ScriptExhausted):
        asyncio.run(model.ainvoke("c"))


class _SlowCursors(dict[str, int]):
    """Widens the window between reading and advancing a cursor, so a race shows."""

    def get(self, key: str, default: Any = None) -> Any:
        value = super().get(key, default)
        time.sleep(0.0005)
        return value


def test_parallel_threads_use_every_step_exactly_once() -> None:
    count = 200
    model = ScriptedChatModel(steps=[f"step {n}" for n in range(count)])
    model._cursors = _SlowCursors()
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda n: model.invoke(f"q{n}").text, range(count)))
    assert sorted(answers) == sorted(f"step {n}" for n in range(count))
    assert sorted(call.index for call in model.calls) == list(range(count))
    model.assert_all_used()
    with pytest.raises(ScriptExhausted):
        model.invoke("one too many")


def _meet(barrier: threading.Barrier, text: str) -> Callable[[list[BaseMessage]], str]:
    def step(messages: list[BaseMessage]) -> str:
        barrier.wait(timeout=60)  # only a serialized model waits this long
        return text

    return step


def test_callable_steps_run_outside_the_lock() -> None:
    # Two roles wait for each other inside their steps: this only finishes when the
    # model lets two calls run at the same time (parallel branches need that).
    barrier = threading.Barrier(2)
    model = ScriptedChatModel.by_role(
        {"a-role": [_meet(barrier, "from a")], "b-role": [_meet(barrier, "from b")]}
    )
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(model.invoke, _prompt(slug)) for slug in ("a-role", "b-role")]
        assert sorted(f.result(timeout=120).text for f in futures) == ["from a", "from b"]
    model.assert_all_used()


def test_by_role_picks_the_script_from_the_system_prompt() -> None:
    model = ScriptedChatModel.by_role(
        {"fastapi-developer": ["dev 1", "dev 2"], "database-specialist": ["db 1"]}
    )
    assert model.invoke(_prompt("database-specialist")).text == "db 1"
    assert model.invoke(_prompt("fastapi-developer")).text == "dev 1"
    assert model.invoke(_prompt("fastapi-developer")).text == "dev 2"
    assert [call.role for call in model.calls] == [
        "database-specialist",
        "fastapi-developer",
        "fastapi-developer",
    ]
    with pytest.raises(ScriptExhausted, match="role 'database-specialist'"):
        model.invoke(_prompt("database-specialist"))
    model.assert_all_used()


def test_by_role_reports_unused_steps_per_role() -> None:
    model = ScriptedChatModel.by_role({"a": ["x"], "b": ["y", "z"]})
    model.invoke(_prompt("b"))
    with pytest.raises(UnusedSteps, match=r"role 'a': 1 of 1.*role 'b': 1 of 2"):
        model.assert_all_used()


def test_by_role_refuses_unknown_roles_and_prompts_without_a_role() -> None:
    model = ScriptedChatModel.by_role({"a": ["x"]})
    with pytest.raises(
        ScriptExhausted, match=r"no script for role 'zeta'; scripted roles: \['a'\]"
    ):
        model.invoke(_prompt("zeta"))
    with pytest.raises(ScriptError, match="role header"):
        model.invoke([SystemMessage("no header"), HumanMessage("go")])


def test_handoff_helper_names_the_handoff_tool() -> None:
    message = ScriptedChatModel.handoff("database-specialist", "Design the schema", "tables")
    assert message.tool_calls[0]["name"] == "handoff_to_database_specialist"
    assert message.tool_calls[0]["args"] == {"goal": "Design the schema", "reason": "tables"}


def test_complete_helper_carries_the_report() -> None:
    message = ScriptedChatModel.complete(
        "done", outcome="Partial", references=["a.py"], status="blocked"
    )
    assert message.tool_calls[0]["args"] == {
        "summary": "done",
        "outcome": "Partial",
        "references": ["a.py"],
        "status": "blocked",
    }


def test_testing_module_exports_exactly_its_public_names() -> None:
    import modegraph.agents.scripted as scripted
    import modegraph.testing as testing

    defined = {
        name
        for name, value in vars(scripted).items()
        if not name.startswith("_") and getattr(value, "__module__", None) == scripted.__name__
    }
    assert defined == set(testing.__all__) - {"ScriptStep"}
    assert set(testing.__all__) == set(scripted.__all__)
    assert all(getattr(testing, name) is getattr(scripted, name) for name in testing.__all__)


def test_handoffs_helper_makes_parallel_handoff_calls() -> None:
    message = ScriptedChatModel.handoffs(
        {"database-specialist": "Schema", "security-specialist": "Auth"},
        reason="split",
        input_tokens=3,
    )
    assert [(c["name"], c["args"]) for c in message.tool_calls] == [
        ("handoff_to_database_specialist", {"goal": "Schema", "reason": "split"}),
        ("handoff_to_security_specialist", {"goal": "Auth", "reason": "split"}),
    ]
    assert message.usage_metadata == {"input_tokens": 3, "output_tokens": 0, "total_tokens": 3}


def test_tools_of_every_kind_are_bound_by_name() -> None:
    from pydantic import BaseModel

    class LookUp(BaseModel):
        """Look something up."""

        key: str

    def shout(text: str) -> str:
        """Shout the text."""
        return text.upper()

    openai_dict = {"type": "function", "function": {"name": "from_dict", "parameters": {}}}
    bare_dict = {"name": "bare_dict", "description": "x", "parameters": {}}
    model = ScriptedChatModel(steps=["ok"])
    model.bind_tools([read_file, LookUp, shout, openai_dict, bare_dict]).invoke("go")
    assert model.calls[0].tools == ("read_file", "LookUp", "shout", "from_dict", "bare_dict")


def test_the_repr_counts_steps_instead_of_printing_them() -> None:
    single = ScriptedChatModel(steps=["a", ScriptedChatModel.complete("long " * 100)])
    per_role = ScriptedChatModel.by_role({"dev": ["x"], "db": []})
    assert repr(single) == "ScriptedChatModel(steps=<2 steps>)"
    assert repr(per_role) == "ScriptedChatModel(role_steps={'dev': <1 step>, 'db': <0 steps>})"
    tuned = ScriptedChatModel(steps=[], check_tools=False, output_tokens=9)
    assert repr(tuned) == "ScriptedChatModel(steps=<0 steps>, check_tools=False, output_tokens=9)"
