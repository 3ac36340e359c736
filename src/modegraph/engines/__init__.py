"""Where a run executes: here, or spread over machines on Temporal.

- `local`: the coordinator's `Runner` in this process, checkpointed to SQLite or
  Postgres (`modegraph run`, the default).
- `temporal`: one Temporal workflow per task, role turns as activities served by any
  number of `modegraph worker` processes, the journal written by an activity on its
  own queue (`modegraph run --engine temporal`; `modegraph.engines.temporal`, behind
  the `temporal` extra). See docs/scaling-out.md.

Both run the same compiled coordinator (`build_coordinator`) over the same catalog,
so guards, refusals, budgets and the journal are the same. A task started on one
engine stays on it: its state lives in that engine's store.

This package imports LangGraph (`drive`), never Temporal: `modegraph.engines.temporal`
does, and needs the `temporal` extra.
"""

from modegraph.engines.digest import catalog_digest
from modegraph.engines.driving import DriveHost, DriveOutcome, drive

__all__ = [
    "DriveHost",
    "DriveOutcome",
    "catalog_digest",
    "drive",
]
