"""Reaching a Temporal server: connect, wait for a fresh one, see which workers poll.

Every client and worker of modegraph connects with the pydantic data converter
(`temporalio.contrib.pydantic`): the messages (`messages`) are pydantic models.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest, DescribeTaskQueueRequest
from temporalio.client import Client, RPCError
from temporalio.contrib.pydantic import pydantic_data_converter

from modegraph.errors import EngineError

__all__ = ["connect", "wait_ready", "workers_polling"]


async def connect(address: str, *, timeout: float = 10.0) -> Client:
    """A client of the Temporal server at `address` (`HOST:PORT`).

    Raises:
        EngineError: nothing answers there, naming the address and how to fix it.
    """
    try:
        return await asyncio.wait_for(
            Client.connect(
                address,
                data_converter=pydantic_data_converter,
                connect_timeout=timedelta(seconds=timeout),
            ),
            timeout=timeout + 1,
        )
    except (RuntimeError, OSError, TimeoutError) as exc:
        why = _why(exc, timeout)
        raise EngineError(
            f"cannot reach Temporal at {address} ({why}); start a server there "
            "(`modegraph dev-server` on this machine) or pass --temporal HOST:PORT"
        ) from exc


async def wait_ready(address: str, *, timeout: float = 30.0) -> Client:
    """A client, once the server at `address` answers for its `default` namespace.

    A dev server that just started listens before its namespace is registered; a
    task started then would be refused.

    Raises:
        EngineError: it did not answer within `timeout` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            client = await connect(address, timeout=min(5.0, timeout))
            await client.workflow_service.describe_namespace(
                DescribeNamespaceRequest(namespace=client.namespace)
            )
            return client
        except (EngineError, RPCError) as exc:
            if time.monotonic() > deadline:
                raise EngineError(
                    f"Temporal at {address} did not answer within {timeout:g} s: {exc}"
                ) from exc
            await asyncio.sleep(0.1)


async def workers_polling(client: Client, task_queue: str) -> frozenset[str]:
    """The workers (`pid@host`) polling `task_queue` for both workflow tasks and role turns.

    Temporal lists a worker for a few minutes after its last poll, so one that just
    died may still be listed.
    """
    found: list[set[str]] = []
    for kind in (TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY):
        described = await client.workflow_service.describe_task_queue(
            DescribeTaskQueueRequest(
                namespace=client.namespace,
                task_queue=TaskQueue(name=task_queue),
                task_queue_type=kind,
            )
        )
        found.append({poller.identity for poller in described.pollers})
    return frozenset(found[0] & found[1])


def _why(exc: BaseException, timeout: float) -> str:
    """A short reason from the SDK's long transport error."""
    text = str(exc)
    lowered = text.lower()
    if isinstance(exc, TimeoutError) or "timed out" in lowered or "deadline" in lowered:
        return f"no answer within {timeout:g} s"
    if "connection refused" in lowered:
        return "connection refused"
    if "dns" in lowered or "resolve" in lowered or "lookup" in lowered:
        return "the host name does not resolve"
    first = text.splitlines()[0] if text else type(exc).__name__
    return first if len(first) <= 160 else first[:159] + "…"
