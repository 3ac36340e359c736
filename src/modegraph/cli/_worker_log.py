"""What `modegraph worker` prints about the tasks it serves: one line per event.

Left alone, Temporal's SDK prints a full Python traceback each time a workflow task
fails (a worker with another catalog refusing a task: once per retry, about every
10 s), and its native core adds a WARN line for the same failure. `install` routes
both into one handler that prints what a person needs:

- a refused task (`CatalogMismatch`), or another modegraph error, as one line naming
  the task, once per task and message;
- the core's own "Failing workflow task" line dropped (the line above says it);
- anything else as `worker: LEVEL: message`, with its traceback when it carries one
  (that is a bug to report).
"""

from __future__ import annotations

import logging
import sys
import traceback
from typing import Any, TextIO

from modegraph.errors import CatalogMismatch, ModegraphError

__all__ = ["WorkerLog", "install"]

_CORE_LOGGER = "temporalio.core"
_CORE_REPEATS = ("Failing workflow task", "Failing activity task")


class WorkerLog(logging.Handler):
    """Prints the Temporal SDK's log records as short `worker: ...` lines.

    Args:
        stream: Where to print (standard error by default).
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__(logging.WARNING)
        self.stream = stream
        self._seen: set[tuple[str, str]] = set()

    def emit(self, record: logging.LogRecord) -> None:
        """Print the record's line, if it has one."""
        try:
            line = self.line(record)
            if line is not None:
                stream = self.stream or sys.stderr
                stream.write(line + "\n")
                stream.flush()
        except Exception:  # pragma: no cover - logging must never raise
            self.handleError(record)

    def line(self, record: logging.LogRecord) -> str | None:
        """The line for a record, or None when it says nothing new."""
        message = record.getMessage()
        if record.name.startswith(_CORE_LOGGER) and any(r in message for r in _CORE_REPEATS):
            return None
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, ModegraphError):
            task = _task_of(record)
            key = (task, str(error))
            if key in self._seen:
                return None
            self._seen.add(key)
            what = "refused" if isinstance(error, CatalogMismatch) else "failed"
            return f"worker: task {task} {what}: {error}"
        text = f"worker: {record.levelname.lower()}: {message}"
        if record.exc_info and record.exc_info[0] is not None:
            text += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return text


def _task_of(record: logging.LogRecord) -> str:
    """The task (workflow id) a record is about, from the SDK's `extra` details."""
    for attr in ("temporal_workflow", "temporal_activity"):
        details: Any = getattr(record, attr, None)
        if isinstance(details, dict) and details.get("workflow_id"):
            return str(details["workflow_id"])
    return "?"


def install(stream: TextIO | None = None) -> WorkerLog:
    """Route the SDK's and its core's warnings and errors into one `WorkerLog`.

    Call it before the first Temporal client of the process is made (it sets the
    default `Runtime`, whose core logs are forwarded to Python).
    """
    from temporalio.runtime import (
        LogForwardingConfig,
        LoggingConfig,
        Runtime,
        TelemetryConfig,
        TelemetryFilter,
    )

    handler = WorkerLog(stream)
    sdk = logging.getLogger("temporalio")
    sdk.addHandler(handler)
    sdk.setLevel(logging.WARNING)
    sdk.propagate = False
    forwarding = LogForwardingConfig(
        logger=logging.getLogger(_CORE_LOGGER), append_log_fields_to_message=False
    )
    logs = LoggingConfig(
        filter=TelemetryFilter(core_level="WARN", other_level="ERROR"), forwarding=forwarding
    )
    Runtime.set_default(
        Runtime(telemetry=TelemetryConfig(logging=logs)), error_if_already_set=False
    )
    return handler
