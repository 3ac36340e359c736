"""`step_synced`: the journal is synced before every checkpoint write, the store after a step."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

from langgraph.checkpoint.base import empty_checkpoint
from langgraph.checkpoint.memory import InMemorySaver

from modegraph.coordinator.step_sync import StepSync, step_synced, wal_synced

CONFIG: Any = {"configurable": {"thread_id": "T", "checkpoint_ns": ""}}


def _saver(calls: list[str]) -> InMemorySaver:
    return step_synced(
        InMemorySaver(), before=lambda: calls.append("before"), after=lambda: calls.append("after")
    )


def test_a_step_checkpoint_goes_between_the_hooks_and_turn_writes_after_the_first() -> None:
    calls: list[str] = []
    saver = _saver(calls)
    assert isinstance(saver, StepSync) and isinstance(saver, InMemorySaver)
    saved = saver.put(CONFIG, empty_checkpoint(), {"step": 0}, {})
    assert calls == ["before", "after"]
    saver.put_writes(saved, [("channel", 1)], "task-1", "path")
    assert calls == ["before", "after", "before"]
    assert saver.get_tuple(saved) is not None


def test_the_async_twins_call_the_same_hooks() -> None:
    calls: list[str] = []
    saver = _saver(calls)

    async def go() -> None:
        saved = await saver.aput(CONFIG, empty_checkpoint(), {"step": 0}, {})
        await saver.aput_writes(saved, [("channel", 1)], "task-1")

    asyncio.run(go())
    assert calls == ["before", "after", "before"]


def test_a_shallow_copy_keeps_the_hooks_and_one_class_serves_every_saver() -> None:
    calls: list[str] = []
    saver = _saver(calls)
    clone = copy.copy(saver)  # what LangGraph's `with_allowlist` makes
    clone.put(CONFIG, empty_checkpoint(), {"step": 0}, {})
    assert calls == ["before", "after"]
    assert type(_saver([])) is type(saver)
    again = step_synced(saver, before=lambda: calls.append("new"))
    assert again is saver and type(again) is type(clone)
    saver.put(CONFIG, empty_checkpoint(), {"step": 1}, {})
    assert calls[-1] == "new"


def test_the_input_checkpoint_of_a_new_run_waits_for_the_next_steps_sync() -> None:
    calls: list[str] = []
    saver = _saver(calls)
    saved = saver.put(CONFIG, empty_checkpoint(), {"source": "input", "step": -1}, {})
    assert calls == ["before"]  # nothing after: the input step's checkpoint syncs both
    saver.put(saved, empty_checkpoint(), {"source": "loop", "step": 0}, {})
    assert calls == ["before", "before", "after"]
    # an input checkpoint later in a run (a resumed run's input) is synced at once
    saver.put(saved, empty_checkpoint(), {"source": "input", "step": 4}, {})
    assert calls[-2:] == ["before", "after"]

    async def go() -> list[str]:
        seen: list[str] = []
        other = _saver(seen)
        await other.aput(CONFIG, empty_checkpoint(), {"source": "input", "step": -1}, {})
        return seen

    assert asyncio.run(go()) == ["before"]


def test_wal_synced_says_whether_the_last_sync_covered_every_write() -> None:
    saver = _saver([])
    assert not wal_synced(InMemorySaver())  # no hooks: the caller syncs
    assert not wal_synced(saver)  # nothing written, nothing synced
    saved = saver.put(CONFIG, empty_checkpoint(), {"source": "input", "step": -1}, {})
    assert not wal_synced(saver)  # the input checkpoint waits for the next step's sync
    saved = saver.put(saved, empty_checkpoint(), {"source": "loop", "step": 0}, {})
    assert wal_synced(saver)
    saver.put_writes(saved, [("channel", 1)], "task-1")  # e.g. before an approval interrupt
    assert not wal_synced(saver)
    clone = copy.copy(saver)  # LangGraph writes through its copies: they count alike
    clone.put(saved, empty_checkpoint(), {"source": "loop", "step": 1}, {})
    assert wal_synced(saver)


def test_a_write_committed_while_a_sync_runs_is_not_counted_as_covered() -> None:
    saver: Any = None
    saved: list[Any] = []

    def after() -> None:  # another thread's turn commits its writes during the sync
        if saved:
            saver.put_writes(saved[0], [("channel", 1)], "task-2")

    saver = step_synced(InMemorySaver(), before=lambda: None, after=after)
    saved.append(saver.put(CONFIG, empty_checkpoint(), {"source": "loop", "step": 0}, {}))
    assert wal_synced(saver)
    saver.put(saved[0], empty_checkpoint(), {"source": "loop", "step": 1}, {})
    assert not wal_synced(saver)


def test_the_async_twins_count_their_writes_too() -> None:
    saver = _saver([])

    async def go() -> None:
        saved = await saver.aput(CONFIG, empty_checkpoint(), {"source": "loop", "step": 0}, {})
        assert wal_synced(saver)
        await saver.aput_writes(saved, [("channel", 1)], "task-1")

    asyncio.run(go())
    assert not wal_synced(saver)
