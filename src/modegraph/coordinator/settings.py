"""`RunSettings`: how a run was started, stored with its checkpoint so `resume` can rebuild it.

`stored_settings` reads them back for a task id, wherever the process that ran it
stopped: from the state's channels, from the run's input when only the input
checkpoint was saved, or from the saved writes of a step whose checkpoint was
never written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from langgraph.constants import START
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from modegraph.coordinator.persistence import checkpointer
from modegraph.coordinator.policy import Policy
from modegraph.errors import JournalError
from modegraph.journal.store import DEFAULT_JOURNAL_ROOT, Journal
from modegraph.roles.coordination import EdgeMode, Entry

__all__ = ["RunSettings", "settings_in", "stored_settings"]


class RunSettings(BaseModel):
    """How a run was started; stored in its checkpoint so `resume` can rebuild it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    entry: str
    """Slug of the entry role."""
    policy: Policy = Field(default_factory=Policy)
    """The guards."""
    modes: tuple[str, ...] = ()
    """The `--modes` sources the catalog was loaded with."""
    bundled: bool = True
    """Whether the bundled library was the catalog's lowest layer."""
    aliases: dict[str, str] = Field(default_factory=dict)
    """`--alias` values the catalog was loaded with."""
    model: str | None = None
    """`--model provider:model`, or None for the rule agent."""
    workspace: str | None = None
    """`--workspace DIR` as an absolute path: the sandbox of the roles' tools (None:
    the run had no tools)."""
    yes: bool = False
    """`--yes`: every command may run (AllowAll); otherwise commands not in
    `commands.allow` wait for a person's approval."""
    edges: EdgeMode = EdgeMode.ALL
    """`--edges`: `all` follows the edges modes' texts imply too, `declared` only
    those the files declare."""
    entry_choice: Entry | None = None
    """How the entry role was chosen (the rule and why), for the journal and `--json`."""
    base_url: str | None = None
    """`--base-url`: where the `--model` provider's API is (a local server)."""
    timeout: float | None = None
    """`--timeout`: seconds one model request may take (None: the SDK's default)."""


def settings_in(found: Any, task_id: str, journal: Journal) -> RunSettings:
    """The settings stored in `found`, the checkpoint tuple of run `task_id`.

    Raises:
        JournalError: there is no checkpoint (saying so when the run was killed
            before its first one), or it holds no settings this version can read.
    """
    if found is None and journal.reserved(task_id) and not journal.exists(task_id):
        raise JournalError(
            f"the run {task_id} was stopped before its first checkpoint was saved: none of "
            "its steps ran and the journal holds nothing of it; start it again with "
            '`modegraph run "GOAL"`'
        )
    if found is None:
        raise JournalError(
            f"no run with task id {task_id!r} has a checkpoint here; check the id with "
            "`modegraph journal list`, and pass the same --journal and --checkpoint as the run"
        )
    try:
        for values in _saved_values(found):
            if values.get("settings"):
                return RunSettings.model_validate(values["settings"])
            if values.get("entry"):  # a checkpoint written before settings were stored
                return RunSettings(entry=values["entry"])
    except ValidationError as exc:
        raise JournalError(
            f"the settings stored with {task_id!r} cannot be read ({exc.error_count()} "
            "problem(s)); it was started by another modegraph version: start it again with "
            "`modegraph run`"
        ) from exc
    raise JournalError(
        f"the checkpoint of {task_id!r} holds no run settings, so it was not written by "
        "`modegraph run`; check the id with `modegraph journal list`"
    )


def _saved_values(found: Any) -> Iterator[Mapping[str, Any]]:
    """Where a checkpoint keeps the run's values, most settled first.

    The state's channels; the run's input, when the process was killed before the
    first step's checkpoint (only the input checkpoint was saved); the saved writes
    of tasks whose step's checkpoint was never written.
    """
    channels = found.checkpoint.get("channel_values") or {}
    yield channels
    start = channels.get(START)
    if isinstance(start, Mapping):
        yield start
    yield {channel: value for _, channel, value in found.pending_writes or ()}


def stored_settings(
    task_id: str, *, journal_root: Path | str = DEFAULT_JOURNAL_ROOT, checkpoint: str | None = None
) -> RunSettings:
    """The settings a run was started with (to rebuild its catalog and agent for resume).

    Raises:
        JournalError: no run with this task id has a checkpoint.
    """
    with checkpointer(checkpoint, root=Path(journal_root), must_exist=True) as saver:
        found = saver.get_tuple({"configurable": {"thread_id": task_id}})
        return settings_in(found, task_id, Journal(journal_root))
