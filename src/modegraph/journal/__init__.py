"""The Markdown task journal: one Roo Commander style task log per task, written safely.

```python
from modegraph.journal import Entry, EntryKind, Journal, TaskRecord, TaskStatus

journal = Journal(root=Path("project_journal"))        # files under root/tasks/<ID>.md
task_id = journal.new_task_id(prefix="FASTAPI")         # TASK-FASTAPI-20261127-091500
journal.create(TaskRecord(id=task_id, title="Users API", assigned_to="fastapi-developer"))
journal.append(task_id, Entry(id="start", kind=EntryKind.STARTED, text="Started."))
journal.close(task_id, status=TaskStatus.COMPLETE, outcome="Success", summary="...")
record = journal.read(task_id)
```

No LangGraph here: the coordinator (`modegraph.coordinator`) writes through this package.
"""

from modegraph.journal.ids import (
    child_task_id,
    is_valid_task_id,
    new_task_id,
    parent_task_id,
    prefix_for_mode,
    root_task_id,
)
from modegraph.journal.model import (
    Closing,
    Entry,
    EntryKind,
    RouteStep,
    SubtaskResult,
    TaskRecord,
    TaskStatus,
    TaskType,
)
from modegraph.journal.reader import parse_record
from modegraph.journal.route import render_route
from modegraph.journal.store import DEFAULT_JOURNAL_ROOT, Journal

__all__ = [
    # the store
    "DEFAULT_JOURNAL_ROOT",
    # the model
    "Closing",
    "Entry",
    "EntryKind",
    "Journal",
    "RouteStep",
    "SubtaskResult",
    "TaskRecord",
    "TaskStatus",
    "TaskType",
    # ids
    "child_task_id",
    "is_valid_task_id",
    "new_task_id",
    "parent_task_id",
    # reading and rendering
    "parse_record",
    "prefix_for_mode",
    "render_route",
    "root_task_id",
]
