"""Every step durable: the journal synced before each checkpoint write, the store after.

A run writes its journal without an fsync per write (`Journal.deferred_sync`) and
its SQLite checkpoints without an fsync per commit (`persistence.SYNCHRONOUS`).
`step_synced` gives the run's checkpoint saver two hooks so that each step is
durable as a whole, with one fsync per file the step wrote:

- `before`, called before every checkpoint write (`put`, `put_writes` and their
  async twins): the coordinator passes `Journal.flush`, so the journal entries of a
  step are on disk before any record that says the step (or one of its turns) ran.
  A resumed run never skips a turn whose entries a power loss took.
- `after`, called when a step's checkpoint (`put`) is committed: the coordinator
  passes `persistence.sync_wal` for SQLite, so the checkpoint is on disk before the
  next step starts. Turn writes (`put_writes`) need no `after`: the next `put`'s
  sync covers them, and a lost one only makes `resume` run that turn again, whose
  journal entries are already there (each entry has a stable id).

One checkpoint needs no `after` of its own: the input checkpoint of a new run
(LangGraph's step -1, `source` "input"). The step after it is LangGraph's input step,
which only decides where the run starts (no journal write, no turn), and the sync
after that step's checkpoint covers both (the write-ahead log is one file, synced
whole). A power loss in between loses both, as if the run had not started: its task
file does not exist yet.

So a power loss or an operating system crash at any moment loses at most the step
that was running, which `modegraph resume` runs again; a killed process loses
nothing (the system has every write).

The saver counts its committed writes and the writes each `after` covered (the count
read before the sync starts: a write committed later may or may not be in it).
`wal_synced` tells the checkpointer, as the run's connection closes, whether every
write of the run is covered; then its closing sync of the write-ahead log is skipped,
an fsync of a file with nothing new in it, that still waited for the disk (2 ms a
task, median, on the benchmark's shared disk). A run that ends with writes after
its last synced checkpoint (a turn's writes before an approval interrupt) is synced
as it closes, as before.

The saver keeps its own class's behaviour: `step_synced` makes the instance an
instance of a subclass that adds the hooks, so LangGraph's shallow copies of the
saver (`with_allowlist`) keep them and their own serializer.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any, TypeVar

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
)

__all__ = ["StepSync", "step_synced", "wal_synced"]

SaverT = TypeVar("SaverT", bound=BaseCheckpointSaver[Any])


def _nothing() -> None:
    """No hook."""


_HOOKED: ContextVar[bool] = ContextVar("modegraph_step_hooked", default=False)
"""True inside a hooked write: a saver whose `aput` calls its own `put` (the in-memory
one) runs the hooks once."""


class _Counts:
    """Committed writes and the writes a completed `after` covered, shared by copies."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.written = 0
        """Writes (`put`, `put_writes`) committed so far."""
        self.covered = 0
        """Of those, how many were committed before a completed `after` started."""

    def wrote(self) -> None:
        with self.lock:
            self.written += 1

    def synced(self, after: Callable[[], None]) -> None:
        """Run `after`, then count the writes committed before it started as covered."""
        with self.lock:
            upto = self.written
        after()
        with self.lock:
            self.covered = max(self.covered, upto)


class StepSync(BaseCheckpointSaver[Any]):
    """The hooks `step_synced` adds to a saver (a mixin before the saver's own class)."""

    step_before: Callable[[], None]
    """Called before every checkpoint write."""
    step_after: Callable[[], None]
    """Called once a step's checkpoint is committed."""
    step_counts: _Counts
    """The writes committed and those a completed `after` covered (`wal_synced`)."""

    def put(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        """Save a step's checkpoint, between the two hooks."""
        with _hooked() as outer:
            if not outer:
                self.step_before()
            saved = super().put(config, checkpoint, metadata, new_versions)
        if not outer:
            self.step_counts.wrote()
            if not _new_run_input(metadata):
                self.step_counts.synced(self.step_after)
        return saved

    def put_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Save a turn's writes, once the journal is synced."""
        with _hooked() as outer:
            if not outer:
                self.step_before()
            super().put_writes(config, writes, task_id, task_path)
        if not outer:
            self.step_counts.wrote()

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        """`put`, asynchronously (the hooks run in a worker thread)."""
        await asyncio.to_thread(self.step_before)
        with _hooked():
            saved = await super().aput(config, checkpoint, metadata, new_versions)
        self.step_counts.wrote()
        if not _new_run_input(metadata):
            await asyncio.to_thread(self.step_counts.synced, self.step_after)
        return saved

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """`put_writes`, asynchronously."""
        await asyncio.to_thread(self.step_before)
        with _hooked():
            await super().aput_writes(config, writes, task_id, task_path)
        self.step_counts.wrote()


def _new_run_input(metadata: CheckpointMetadata) -> bool:
    """Whether this is the input checkpoint of a new run (see the module docs)."""
    return metadata.get("source") == "input" and metadata.get("step") == -1


@contextlib.contextmanager
def _hooked() -> Iterator[bool]:
    """Mark the code inside as a hooked write; yields True inside an outer one."""
    outer = _HOOKED.get()
    token = _HOOKED.set(True)
    try:
        yield outer
    finally:
        _HOOKED.reset(token)


_CLASSES: dict[type[Any], type[Any]] = {}


def step_synced(
    saver: SaverT, *, before: Callable[[], None], after: Callable[[], None] | None = None
) -> SaverT:
    """Give `saver` the hooks `before` and `after` (see the module docs); returns it.

    Args:
        saver: The run's checkpoint saver (made for this run: it is changed in place).
        before: Called before every checkpoint write (the journal's `flush`).
        after: Called once each step's checkpoint is committed (the store's sync);
            None for a store whose commits are durable when they return (Postgres).
    """
    base = type(saver)
    if not issubclass(base, StepSync):
        synced = _CLASSES.get(base)
        if synced is None:
            synced = _CLASSES[base] = type(f"StepSynced{base.__name__}", (StepSync, base), {})
        saver.__class__ = synced
    hooks: Any = saver
    hooks.step_before, hooks.step_after = before, after or _nothing
    if not isinstance(getattr(saver, "step_counts", None), _Counts):
        hooks.step_counts = _Counts()  # one object: LangGraph's copies of the saver share it
    return saver


def wal_synced(saver: object) -> bool:
    """Whether every write through `saver`'s hooks is covered by a completed `after`.

    False for a saver without hooks, or one with no write or none synced yet: the
    caller syncs then. Writes made before the hooks were added (the tables' set-up)
    came before every `after`, so the first one covered them.
    """
    counts = getattr(saver, "step_counts", None)
    if not isinstance(counts, _Counts):
        return False
    with counts.lock:
        return counts.written > 0 and counts.covered == counts.written
