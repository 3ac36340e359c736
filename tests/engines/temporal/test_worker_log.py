"""What a worker prints about the tasks it serves: short lines, no SDK tracebacks."""

from __future__ import annotations

import io
import logging
import sys

from modegraph.cli._worker_log import WorkerLog
from modegraph.engines.temporal.workflow import mismatch_message
from modegraph.errors import CatalogMismatch, JournalError

TASK = "TASK-LEAD-20260102-030405"


def _failed(
    error: BaseException, *, name: str = "temporalio.worker._workflow_instance"
) -> logging.LogRecord:
    try:
        raise error
    except BaseException:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        name,
        logging.WARNING,
        __file__,
        1,
        f"Failed activation on workflow with ID {TASK}",
        (),
        exc_info,
    )
    record.temporal_workflow = {"workflow_id": TASK, "workflow_type": "modegraph.task"}
    return record


def test_a_refusal_is_one_line_naming_the_task_and_both_digests_once() -> None:
    out = io.StringIO()
    log = WorkerLog(out)
    refusal = mismatch_message(worker="sha256:aaaa", task="sha256:bbbb")
    for _ in range(3):  # Temporal retries the refused workflow task
        log.handle(_failed(CatalogMismatch(refusal)))
    printed = out.getvalue().splitlines()
    assert printed == [f"worker: task {TASK} refused: {refusal}"]
    assert "sha256:aaaa" in printed[0] and "sha256:bbbb" in printed[0]


def test_the_cores_repeat_of_a_failure_is_dropped_and_other_errors_are_short() -> None:
    out = io.StringIO()
    log = WorkerLog(out)
    core = logging.LogRecord(
        "temporalio.core-sdk_core::worker",
        logging.WARNING,
        "",
        0,
        "[sdk_core::worker] Failing workflow task",
        (),
        None,
    )
    log.handle(core)
    log.handle(_failed(JournalError("tasks/X.md cannot be written")))
    assert out.getvalue() == f"worker: task {TASK} failed: tasks/X.md cannot be written\n"


def test_a_bug_keeps_its_traceback() -> None:
    out = io.StringIO()
    WorkerLog(out).handle(_failed(ZeroDivisionError("division by zero")))
    text = out.getvalue()
    assert text.startswith("worker: warning: Failed activation on workflow")
    assert "Traceback" in text and "ZeroDivisionError: division by zero" in text
