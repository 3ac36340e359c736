"""Worker processes: the task workflow and role turns, the journal writes, or both.

```python
client = await connect("127.0.0.1:7233")
async with WorkerGroup(client, catalog=catalog, serve="all", journal_root="project_journal"):
    await stop.wait()
```

What a worker serves (`Serve`):

- `tasks`: the task queue: task workflows and role turns. Run as many as you like,
  on as many machines: role turns spread over all of them.
- `journal`: the journal queue (`<task queue>.journal`): journal writes into this
  worker's `--journal` directory. Run one per journal directory; two journal
  workers only make sense over one shared directory (the journal's file locks keep
  concurrent writers safe).
- `all` (the default): both; on one machine, every worker writes the same journal.

Settings that matter after a crash: eager activity execution is off (a task's role
turns spread over workers instead of staying on the worker that runs its
workflow), and a workflow held by a worker that died moves to another worker after
`sticky_timeout` seconds instead of Temporal's default ten.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Literal

from temporalio.client import Client
from temporalio.worker import Worker

from modegraph.agents.rule.agent import RuleAgent
from modegraph.coordinator.runner import RunSettings
from modegraph.engines.digest import catalog_digest
from modegraph.engines.temporal.activities import AgentFor, WorkerActivities, worker_identity
from modegraph.engines.temporal.names import DEFAULT_TASK_QUEUE, journal_queue
from modegraph.engines.temporal.workflow import TaskWorkflow, serve_catalog, stop_serving
from modegraph.errors import ConfigError
from modegraph.journal.store import DEFAULT_JOURNAL_ROOT, Journal
from modegraph.modes.catalog.catalog import Catalog
from modegraph.roles.coordination import EdgeMode, coordinate

__all__ = ["SERVES", "Serve", "WorkerGroup", "rule_agent_for", "rule_agents"]

Serve = Literal["all", "tasks", "journal"]
"""What a worker serves: both queues, the task queue, or the journal queue."""
SERVES: tuple[Serve, ...] = ("all", "tasks", "journal")
"""Every `Serve` value, the default first."""


def rule_agent_for(catalog: Catalog) -> AgentFor:
    """The agent builder of a worker without `--model` support: the rule agent.

    Raises (from the builder):
        ConfigError: a task asks for a chat model (`--model`).
    """
    rule = rule_agents(catalog)

    def agent_for(settings: RunSettings) -> RuleAgent:
        if settings.model is not None:
            raise ConfigError(
                f"this worker runs the rule agent only, but the task asks for --model "
                f"{settings.model}; start workers with `modegraph worker` (it builds chat "
                "agents) or run the task without --model"
            )
        return rule(settings)

    return agent_for


def rule_agents(catalog: Catalog) -> Callable[[RunSettings], RuleAgent]:
    """The rule agent of a task's settings, over the catalog as its run sees it.

    As a local run's: the implied edges and the built-in orchestrator role of
    `coordinate(catalog, entry, edges)`, one agent per (entry, edges).
    """
    agents: dict[tuple[str, EdgeMode], RuleAgent] = {}

    def agent_for(settings: RunSettings) -> RuleAgent:
        key = (settings.entry, settings.edges)
        if key not in agents:
            seen = coordinate(catalog, entry=settings.entry, edges=settings.edges).catalog
            agents[key] = RuleAgent(catalog=seen)
        return agents[key]

    return agent_for


class WorkerGroup:
    """The Temporal workers of one worker process; an async context manager.

    Entering it serves the catalog on the task queue in this process and starts the
    workers; leaving it stops them (a role turn in flight is given up: Temporal runs
    it again elsewhere) and stops serving.

    Args:
        client: From `connect`.
        catalog: The worker's catalog; it serves tasks started with the same one.
        serve: `all`, `tasks` or `journal` (see the module doc).
        task_queue: The task queue; the journal queue is `<task_queue>.journal`.
        journal_root: The journal directory this worker writes (serving the journal).
        agent_for: Builds the agent for a task's settings (the rule agent by default).
        identity: The worker's name in Temporal and in `TurnRecord`s (`pid@host`).
        sticky_timeout: Seconds before a workflow held by a silent worker moves on.
        max_turns: Role turns run at once at most (the SDK's default when None).
        max_workflow_tasks: Task workflows advanced at once at most. Each advance is
            Python holding the GIL (LangGraph routing a pass); more at once only
            share the same core, and a single advance then takes so long in wall time
            that Temporal's deadlock detector (2 s) fails it.
    """

    def __init__(
        self,
        client: Client,
        *,
        catalog: Catalog,
        serve: Serve = "all",
        task_queue: str = DEFAULT_TASK_QUEUE,
        journal_root: Path | str = DEFAULT_JOURNAL_ROOT,
        agent_for: AgentFor | None = None,
        identity: str | None = None,
        sticky_timeout: float = 2.0,
        max_turns: int | None = None,
        max_workflow_tasks: int = 4,
    ) -> None:
        self.identity = identity or worker_identity()
        self.digest = catalog_digest(catalog)
        self.catalog = catalog
        self.serve = serve
        self.task_queue = task_queue
        self.journal = Journal(journal_root) if serve in ("all", "journal") else None
        activities = WorkerActivities(
            catalog=catalog,
            digest=self.digest,
            agent_for=agent_for or rule_agent_for(catalog),
            journal=self.journal,
            identity=self.identity,
        )
        self.workers: list[Worker] = []
        self._executor = ThreadPoolExecutor(max_workflow_tasks, thread_name_prefix="workflow")
        if serve in ("all", "tasks"):
            self.workers.append(
                Worker(
                    client,
                    task_queue=task_queue,
                    workflows=[TaskWorkflow],
                    activities=[activities.role_turn],
                    identity=self.identity,
                    disable_eager_activity_execution=True,
                    sticky_queue_schedule_to_start_timeout=timedelta(seconds=sticky_timeout),
                    max_concurrent_activities=max_turns,
                    max_concurrent_workflow_tasks=max_workflow_tasks,
                    workflow_task_executor=self._executor,
                    graceful_shutdown_timeout=timedelta(seconds=1),
                )
            )
        if self.journal is not None:
            self.workers.append(
                Worker(
                    client,
                    task_queue=journal_queue(task_queue),
                    activities=[activities.journal_write],
                    identity=self.identity,
                    max_concurrent_activities=4,
                    graceful_shutdown_timeout=timedelta(seconds=5),
                )
            )
        self._stack: contextlib.AsyncExitStack | None = None

    @property
    def queues(self) -> list[str]:
        """The task queues served."""
        return [w.task_queue for w in self.workers]

    async def __aenter__(self) -> WorkerGroup:
        stack = contextlib.AsyncExitStack()
        if self.serve != "journal":
            serve_catalog(self.task_queue, self.digest, self.catalog)
            stack.callback(stop_serving, self.task_queue)
        try:
            for worker in self.workers:
                await stack.enter_async_context(worker)
        except BaseException:
            await stack.aclose()
            raise
        self._stack = stack
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._stack is not None:
            stack, self._stack = self._stack, None
            await stack.aclose()
        self._executor.shutdown(wait=False)
