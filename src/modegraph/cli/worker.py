"""`modegraph worker`: serve tasks started with `modegraph run --engine temporal`.

```
modegraph worker --temporal 127.0.0.1:7233 [--task-queue modegraph] [--modes PATH]...
                 [--serve all|tasks|journal] [--journal DIR] [--agent MODULE:FACTORY]
```

A worker loads its catalog as `modegraph run` does (bundled library, user and
project layers, `--modes`, `--alias`) and serves tasks started with the same catalog
(same digest); it refuses the work of a task started with another one, naming both
digests, and Temporal hands that work to another worker. It runs until Ctrl-C or
SIGTERM; a role turn it was running then runs again on another worker.

Exit codes: 0 stopped, 1 the catalog or `--agent` is wrong, 2 Temporal is not
reachable (or not installed) or an option is wrong.
"""

from __future__ import annotations

import asyncio
import importlib
import signal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from modegraph.cli._common import (
    EXIT_INPUT,
    EXIT_USAGE,
    FLAG,
    AliasOption,
    BundledOption,
    ModesOption,
    fail,
    load_catalog_for_cli,
)
from modegraph.cli._temporal import (
    AddressOption,
    ServeChoice,
    TaskQueueOption,
    require_temporal,
)
from modegraph.errors import ConfigError, EngineError, ModegraphError

if TYPE_CHECKING:
    from modegraph.agents.protocol import Agent
    from modegraph.coordinator.runner import RunSettings
    from modegraph.modes.catalog.catalog import Catalog

__all__ = ["register", "worker"]


def register(app: typer.Typer) -> None:
    """Add `worker` to the root app."""
    app.command("worker")(worker)


def worker(
    temporal: AddressOption = None,
    task_queue: TaskQueueOption = None,
    modes: ModesOption = None,
    alias: AliasOption = None,
    bundled: BundledOption = None,
    serve: Annotated[
        ServeChoice,
        typer.Option(
            "--serve",
            help="all: task workflows, role turns and journal writes; tasks: workflows and "
            "role turns; journal: journal writes only (one per journal directory).",
        ),
    ] = ServeChoice.ALL,
    journal: Annotated[
        Path | None,
        typer.Option(
            "--journal",
            help="The journal directory this worker writes (default: ./project_journal).",
        ),
    ] = None,
    agent: Annotated[
        str | None,
        typer.Option(
            "--agent",
            metavar="MODULE:FACTORY",
            help="Your own agent: FACTORY(catalog) returns an object with run/arun "
            "(default: the rule agent, or the chat agent a task's --model names).",
        ),
    ] = None,
    max_turns: Annotated[
        int | None,
        typer.Option("--max-turns", min=1, help="Role turns this worker runs at once."),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", metavar=FLAG, help="Print nothing but errors.")
    ] = False,
) -> None:
    """Serve tasks on Temporal: run their workflows, role turns and journal writes."""
    require_temporal()
    from modegraph.engines.digest import catalog_digest
    from modegraph.engines.temporal.names import DEFAULT_ADDRESS, DEFAULT_TASK_QUEUE

    address = temporal or DEFAULT_ADDRESS
    queue = task_queue or DEFAULT_TASK_QUEUE
    catalog = load_catalog_for_cli(modes, alias, bundled=bundled)
    if not len(catalog):
        fail("the catalog has no modes; add mode files with --modes PATH", EXIT_INPUT)
    custom = _custom_agent(agent, catalog) if agent else None
    root = journal or Path("project_journal")
    console = Console(stderr=True, highlight=False)
    if not quiet:
        served = {
            ServeChoice.ALL: f"task queue {queue!r} and journal writes into {root}",
            ServeChoice.TASKS: f"task queue {queue!r}",
            ServeChoice.JOURNAL: f"journal writes into {root}",
        }[serve]
        console.print(
            Text(
                f"worker: {len(catalog)} modes, catalog {catalog_digest(catalog)}; "
                f"serving {served} on Temporal at {address} (Ctrl-C stops)"
            ),
            soft_wrap=True,
        )
    from modegraph.cli._worker_log import install

    install()  # short lines instead of the SDK's tracebacks (before the first client)
    try:
        asyncio.run(
            _serve(
                address=address,
                catalog=catalog,
                serve=serve,
                task_queue=queue,
                journal_root=root,
                custom=custom,
                max_turns=max_turns,
            )
        )
    except (EngineError, ConfigError) as exc:
        fail(str(exc), EXIT_USAGE)
    except ModegraphError as exc:
        fail(str(exc), EXIT_INPUT)
    if not quiet:
        console.print("worker: stopped")


async def _serve(
    *,
    address: str,
    catalog: Catalog,
    serve: ServeChoice,
    task_queue: str,
    journal_root: Path,
    custom: Agent | None,
    max_turns: int | None,
) -> None:
    from modegraph.engines.temporal.connection import connect
    from modegraph.engines.temporal.worker import WorkerGroup

    client = await connect(address)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    group = WorkerGroup(
        client,
        catalog=catalog,
        serve=serve.value,
        task_queue=task_queue,
        journal_root=journal_root,
        agent_for=_agent_for(catalog, custom, journal_root),
        max_turns=max_turns,
    )
    async with group:
        await stop.wait()


def _agent_for(catalog: Catalog, custom: Agent | None, journal_root: Path) -> Any:
    """Build the agent a task's settings ask for: `--agent`, `--model`, or the rule agent.

    A `--model` agent is the one a local run builds (`chat_agent`): sandboxed tools in
    the task's workspace, which no role may use to write this worker's journal or the
    catalog's mode files.
    """
    from modegraph.cli._models import chat_agent
    from modegraph.engines.temporal.worker import rule_agents
    from modegraph.modes.config import CONFIG_FILE_NAME, load_config
    from modegraph.tools.protection import Protected

    rule = rule_agents(catalog)

    def agent_for(settings: RunSettings) -> Agent:
        if custom is not None:
            return custom
        if settings.model is None:
            return rule(settings)
        root = Path(settings.workspace or Path.cwd())
        protected = Protected.for_run(
            journal=journal_root,
            catalog=catalog,
            project_dir=Path.cwd(),
            mode_paths=settings.modes,
            config_files=[root / CONFIG_FILE_NAME],
        )
        console = Console(stderr=True, highlight=False)
        agent, _ = chat_agent(
            catalog, settings, load_config(root), live=False, console=console, protected=protected
        )
        return agent

    return agent_for


def _custom_agent(spec: str, catalog: Catalog) -> Agent:
    """The agent `--agent MODULE:FACTORY` builds over the worker's catalog."""
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        fail(f"--agent {spec!r}: write it as MODULE:FACTORY (e.g. mypkg.agents:make)", EXIT_USAGE)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        fail(f"--agent {spec!r}: cannot import {module_name}: {exc}", EXIT_INPUT)
    factory = getattr(module, attr, None)
    if not callable(factory):
        fail(f"--agent {spec!r}: {module_name} has no callable {attr}", EXIT_INPUT)
    from modegraph.agents.protocol import Agent

    built = factory(catalog)
    if not isinstance(built, Agent):
        fail(f"--agent {spec!r}: {attr}(catalog) must return an object with run and arun")
    return built
