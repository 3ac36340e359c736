"""Escalation cost: modegraph against langgraph-supervisor, langgraph-swarm and bare LangGraph.

Run with: python benchmarks/escalation_cost.py [--repeat N] [--smoke]
(the peers come from the `bench` extra: pip install -e '.[bench]')
or, against an older tree (`git archive REV | tar -x -C /tmp/old`):
    python benchmarks/escalation_cost.py --baseline /tmp/old/src [--pairs 5] [--repeat 21]

The task: the FastAPI developer hands schema work to the database specialist,
auth to the security specialist and deployment to the infrastructure specialist;
their results come back to it. Every framework is driven by the same strict
scripted chat model (`modegraph.testing.ScriptedChatModel`), so LLM calls are
counted exactly and the model's own time is measured and excluded: the figures
are framework time per task. Each configuration runs with no checkpointer, an
in-memory one and SQLite. "bare LangGraph" is a hand-written StateGraph doing
the same hops (one model call per role turn, Send for the three handoffs) with
the same checkpointer; modegraph's overhead per hop is measured against it.

Frameworks take turns task by task (the same machine for all), and each row gives
the median wall time and the median CPU time of the process (every thread), both
without the model's own; CPU time is steadier on a shared machine.

It also counts, for modegraph and the hand-written graph, the LangGraph supersteps
of one task (the checkpoints an in-memory saver holds: the input's and one per
step) and the channel writes saved with them: what a durable saver stores per task.

With `--baseline SRC`, bare LangGraph and modegraph only run in child processes, the
other tree's (`PYTHONPATH=SRC`) and this one's taking turns, `--pairs` times each;
it prints, per saver, the median and the range of each tree's ratios to bare
LangGraph (each ratio from one run: bare LangGraph measured in the same process).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypedDict

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Send
from pydantic import PrivateAttr

from modegraph.agents.chat.agent import ChatAgent
from modegraph.coordinator.build import build_coordinator
from modegraph.coordinator.nodes import new_state
from modegraph.modes.catalog.layers import load_catalog
from modegraph.testing import ScriptedChatModel

ENTRY = "fastapi-developer"
SPECIALISTS = ("database-specialist", "security-specialist", "infrastructure-specialist")
GOAL = (
    "Build a users API with signup and login; design the users schema with a migration, "
    "hash passwords and issue JWTs, and deploy it with Docker"
)
HOPS = len(SPECIALISTS) * 2  # each handoff goes out and its result comes back


class TimedModel(ScriptedChatModel):
    """The scripted model, timing its own work so it can be subtracted."""

    _spent: float = PrivateAttr(default=0.0)
    _spent_cpu: float = PrivateAttr(default=0.0)

    def _generate(self, *args: Any, **kwargs: Any) -> Any:
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return super()._generate(*args, **kwargs)
        finally:
            self._spent += time.perf_counter() - start
            self._spent_cpu += time.process_time() - cpu

    @property
    def spent(self) -> float:
        """Seconds spent inside the model."""
        return self._spent

    @property
    def spent_cpu(self) -> float:
        """CPU seconds spent inside the model."""
        return self._spent_cpu


@dataclass
class Sample:
    """One task run: wall time, model time, LLM calls."""

    wall: float
    model: float
    calls: int
    cpu: float = 0.0
    """CPU seconds of the whole process (every thread) during the task."""
    model_cpu: float = 0.0
    """CPU seconds of those inside the model."""


Saver = Callable[[], contextlib.AbstractContextManager[Any]]


@contextlib.contextmanager
def no_saver() -> Iterator[None]:
    yield None


@contextlib.contextmanager
def memory_saver() -> Iterator[InMemorySaver]:
    yield InMemorySaver()


@contextlib.contextmanager
def sqlite_saver() -> Iterator[SqliteSaver]:
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "checkpoints.sqlite", check_same_thread=False)
        try:
            yield SqliteSaver(conn)
        finally:
            conn.close()


SAVERS: dict[str, Saver] = {"none": no_saver, "memory": memory_saver, "sqlite": sqlite_saver}


def _config(saver: Any) -> dict[str, Any]:
    return {"configurable": {"thread_id": uuid.uuid4().hex}, "recursion_limit": 100}


def _invoke(graph: Any, value: Any, saver: Any) -> Any:
    # durability="sync" needs a checkpointer (LangGraph 1.2 fails without one)
    if saver is None:
        return graph.invoke(value, _config(saver))
    return graph.invoke(value, _config(saver), durability="sync")


# -- modegraph -----------------------------------------------------------------------


def run_modegraph(saver: Any, catalog: Any) -> Sample:
    """The coordinator: one turn per role, routing by the escalation graph."""
    model = TimedModel.by_role(
        {
            ENTRY: [
                ScriptedChatModel.tool_calls(
                    [
                        ("handoff_to_" + s.replace("-", "_"), {"goal": f"{s} part", "reason": "x"})
                        for s in SPECIALISTS
                    ]
                ),
                ScriptedChatModel.complete(summary="API integrated with schema, auth, deploy"),
            ],
            **{s: [ScriptedChatModel.complete(summary=f"{s} done")] for s in SPECIALISTS},
        }
    )
    graph = build_coordinator(
        catalog=catalog, entry=ENTRY, agent=ChatAgent(model=model), checkpointer=saver
    )
    state = new_state(task_id=f"TASK-BENCH-{uuid.uuid4().hex[:8]}", goal=GOAL, entry=ENTRY)
    start, cpu = time.perf_counter(), time.process_time()
    final = _invoke(graph, state, saver)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    model.assert_all_used()
    assert final["finished"], final
    return Sample(
        wall=wall, model=model.spent, calls=len(model.calls), cpu=cpu, model_cpu=model.spent_cpu
    )


# -- bare LangGraph ---------------------------------------------------------------------


def _merge(left: list[str] | None, right: list[str] | None) -> list[str]:
    return [*(left or []), *(right or [])]


class State(TypedDict, total=False):
    """State of the hand-written graph."""

    goal: str
    results: Annotated[list[str], _merge]
    summary: str
    role: str


def run_bare(saver: Any, catalog: Any) -> Sample:
    """A hand-written StateGraph with the same hops and one model call per role turn."""
    scripts: dict[str, list[Any]] = {
        ENTRY: [AIMessage(content="hand off"), AIMessage(content="integrated")],
        **{s: [AIMessage(content=f"{s} done")] for s in SPECIALISTS},
    }
    models = {role: TimedModel(steps=steps) for role, steps in scripts.items()}

    def entry_node(state: State) -> dict[str, Any]:
        messages: list[BaseMessage] = [HumanMessage(content=state["goal"])]
        if state.get("results"):
            messages.append(HumanMessage(content="\n".join(state["results"])))
        answer = models[ENTRY].invoke(messages)
        if state.get("results"):
            return {"summary": str(answer.content)}
        return {}

    def route(state: State) -> Any:
        if state.get("summary"):
            return END
        return [Send(s, {"goal": f"{s} part", "role": s}) for s in SPECIALISTS]

    def specialist(state: State) -> dict[str, Any]:
        answer = models[state["role"]].invoke([HumanMessage(content=state["goal"])])
        return {"results": [str(answer.content)]}

    builder = StateGraph(State)
    builder.add_node(ENTRY, entry_node)
    for s in SPECIALISTS:
        builder.add_node(s, specialist)
        builder.add_edge(s, ENTRY)
    builder.add_edge(START, ENTRY)
    builder.add_conditional_edges(ENTRY, route, [*SPECIALISTS, END])
    graph = builder.compile(checkpointer=saver)
    start, cpu = time.perf_counter(), time.process_time()
    final = _invoke(graph, {"goal": GOAL}, saver)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    assert final.get("summary"), final
    for m in models.values():
        m.assert_all_used()
    return Sample(
        wall=wall,
        model=sum(m.spent for m in models.values()),
        calls=sum(len(m.calls) for m in models.values()),
        cpu=cpu,
        model_cpu=sum(m.spent_cpu for m in models.values()),
    )


# -- peers ------------------------------------------------------------------------------


def _name(slug: str) -> str:
    return slug.replace("-", "_")


def run_supervisor(saver: Any, catalog: Any) -> Sample:
    """langgraph-supervisor: the FastAPI developer as supervisor, specialists as agents."""
    from langgraph.prebuilt import create_react_agent
    from langgraph_supervisor import create_supervisor

    workers = {s: TimedModel(steps=[AIMessage(content=f"{s} done")]) for s in SPECIALISTS}
    boss = TimedModel(
        steps=[
            *(ScriptedChatModel.tool_call(f"transfer_to_{_name(s)}", {}) for s in SPECIALISTS),
            AIMessage(content="API integrated with schema, auth, deploy"),
        ]
    )
    agents = [
        create_react_agent(workers[s], tools=[], name=_name(s), prompt=f"You are {s}.")
        for s in SPECIALISTS
    ]
    graph = create_supervisor(
        agents, model=boss, prompt="You are the FastAPI developer.", supervisor_name=_name(ENTRY)
    ).compile(checkpointer=saver)
    start, cpu = time.perf_counter(), time.process_time()
    _invoke(graph, {"messages": [HumanMessage(content=GOAL)]}, saver)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    models = [boss, *workers.values()]
    for m in models:
        m.assert_all_used()
    return Sample(
        wall=wall,
        model=sum(m.spent for m in models),
        calls=sum(len(m.calls) for m in models),
        cpu=cpu,
        model_cpu=sum(m.spent_cpu for m in models),
    )


def run_swarm(saver: Any, catalog: Any) -> Sample:
    """langgraph-swarm: agents hand control to each other; specialists hand it back."""
    from langgraph.prebuilt import create_react_agent
    from langgraph_swarm import create_handoff_tool, create_swarm

    back = f"transfer_to_{_name(ENTRY)}"
    lead = TimedModel(
        steps=[
            *(ScriptedChatModel.tool_call(f"transfer_to_{_name(s)}", {}) for s in SPECIALISTS),
            AIMessage(content="API integrated with schema, auth, deploy"),
        ]
    )
    workers = {s: TimedModel(steps=[ScriptedChatModel.tool_call(back, {})]) for s in SPECIALISTS}
    agents = [
        create_react_agent(
            lead,
            tools=[create_handoff_tool(agent_name=_name(s)) for s in SPECIALISTS],
            name=_name(ENTRY),
            prompt="You are the FastAPI developer.",
        ),
        *(
            create_react_agent(
                workers[s],
                tools=[create_handoff_tool(agent_name=_name(ENTRY))],
                name=_name(s),
                prompt=f"You are {s}.",
            )
            for s in SPECIALISTS
        ),
    ]
    graph = create_swarm(agents, default_active_agent=_name(ENTRY)).compile(checkpointer=saver)
    start, cpu = time.perf_counter(), time.process_time()
    _invoke(graph, {"messages": [HumanMessage(content=GOAL)]}, saver)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    models = [lead, *workers.values()]
    for m in models:
        m.assert_all_used()
    return Sample(
        wall=wall,
        model=sum(m.spent for m in models),
        calls=sum(len(m.calls) for m in models),
        cpu=cpu,
        model_cpu=sum(m.spent_cpu for m in models),
    )


FRAMEWORKS: dict[str, Callable[[Any, Any], Sample]] = {
    "bare LangGraph": run_bare,
    "modegraph": run_modegraph,
    "langgraph-supervisor": run_supervisor,
    "langgraph-swarm": run_swarm,
}


@dataclass
class Figures:
    """One framework's medians with one saver."""

    wall: float
    """Framework wall seconds per task (the model's own time excluded)."""
    cpu: float
    """Framework CPU seconds per task, every thread (the model's own excluded)."""
    calls: int
    """LLM calls per task."""


def measure(
    frameworks: dict[str, Callable[[Any, Any], Sample]], saver: Saver, catalog: Any, repeat: int
) -> dict[str, Figures]:
    """Each framework's medians, the frameworks taking turns task by task.

    Taking turns, every framework sees the same machine: on a shared one the load
    changes within seconds, and the ratios against bare LangGraph are what to read.
    """
    samples: dict[str, list[Sample]] = {name: [] for name in frameworks}
    with contextlib.ExitStack() as stack:
        stores = {name: stack.enter_context(saver()) for name in frameworks}
        for name, run in frameworks.items():
            run(stores[name], catalog)  # warm-up: imports, compiled regexes
        for _ in range(repeat):
            for name, run in frameworks.items():
                samples[name].append(run(stores[name], catalog))
    figures = {}
    for name, runs in samples.items():
        calls = {s.calls for s in runs}
        assert len(calls) == 1, f"LLM calls differ between runs of {name}: {calls}"
        figures[name] = Figures(
            wall=statistics.median(s.wall - s.model for s in runs),
            cpu=statistics.median(s.cpu - s.model_cpu for s in runs),
            calls=calls.pop(),
        )
    return figures


def steps_and_writes(run: Callable[[Any, Any], Sample], catalog: Any) -> tuple[int, int]:
    """Supersteps (checkpoints saved) and channel writes of one task, in memory."""
    saver = InMemorySaver()
    run(saver, catalog)
    steps = sum(len(cps) for spaces in saver.storage.values() for cps in spaces.values())
    writes = sum(len(w) for w in saver.writes.values())
    return steps, writes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--smoke", action="store_true", help="one run each, for the tests")
    parser.add_argument("--baseline", metavar="SRC", help="another source tree to compare")
    parser.add_argument("--pairs", type=int, default=5, help="runs of each tree (--baseline)")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    opts = parser.parse_args()
    repeat = 1 if opts.smoke else opts.repeat
    if opts.baseline:
        compare(opts.baseline, pairs=1 if opts.smoke else opts.pairs, repeat=repeat)
        return
    empty = tempfile.mkdtemp()  # no user or project layers: the bundled library alone
    catalog = load_catalog(project_dir=empty, user_dir=empty)
    warnings.simplefilter("ignore")  # the peers use langgraph.prebuilt's deprecated agent
    frameworks = dict(FRAMEWORKS)
    try:
        if opts.json:
            raise ImportError  # a run for --baseline: bare LangGraph and modegraph only
        import langgraph_supervisor  # noqa: F401
        import langgraph_swarm  # noqa: F401
    except ImportError:
        if not opts.json:
            print(
                "(langgraph-supervisor / langgraph-swarm not installed: pip install -e '.[bench]')"
            )
        frameworks.pop("langgraph-supervisor")
        frameworks.pop("langgraph-swarm")
    bare_steps, bare_writes = steps_and_writes(run_bare, catalog)
    mg_steps, mg_writes = steps_and_writes(run_modegraph, catalog)
    if opts.json:
        out: dict[str, Any] = {"steps": mg_steps, "writes": mg_writes}
        for saver_name, saver in SAVERS.items():
            figures = measure(frameworks, saver, catalog, repeat)
            out[saver_name] = {name: vars(fig) for name, fig in figures.items()}
        print(json.dumps(out))
        return
    print(f"task: {ENTRY} -> {', '.join(SPECIALISTS)} -> back ({HOPS} hops); median of {repeat}")
    print(
        f"supersteps per task: modegraph {mg_steps} ({mg_writes} channel writes), "
        f"bare LangGraph {bare_steps} ({bare_writes}); x{mg_steps / bare_steps:.2f} steps"
    )
    print(
        f"{'framework':<22} {'saver':<7} {'LLM calls':>9} {'ms/task':>9} {'x bare':>7} "
        f"{'cpu ms':>8} {'cpu x bare':>10}"
    )
    for saver_name, saver in SAVERS.items():
        figures = measure(frameworks, saver, catalog, repeat)
        bare = figures["bare LangGraph"]
        for name, fig in figures.items():
            print(
                f"{name:<22} {saver_name:<7} {fig.calls:>9} {fig.wall * 1000:>9.2f} "
                f"{fig.wall / bare.wall:>7.2f} {fig.cpu * 1000:>8.2f} {fig.cpu / bare.cpu:>10.2f}"
            )
        mg = figures["modegraph"]
        print(
            f"  modegraph overhead vs bare LangGraph ({saver_name}): "
            f"{(mg.wall - bare.wall) * 1000 / HOPS:+.2f} ms per hop, x{mg.wall / bare.wall:.2f} "
            f"(CPU x{mg.cpu / bare.cpu:.2f})"
        )


def compare(baseline: str, *, pairs: int, repeat: int) -> None:
    """This tree against `baseline`, in child processes taking turns (see the module docs)."""
    here = str(Path(__file__).resolve().parents[1] / "src")
    trees = {"baseline": str(Path(baseline).resolve()), "this tree": here}
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
    for _ in range(pairs):
        for name, src in trees.items():
            env = {**os.environ, "PYTHONPATH": src}
            done = subprocess.run(
                [sys.executable, __file__, "--json", "--repeat", str(repeat)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            runs[name].append(json.loads(done.stdout.splitlines()[-1]))
    print(f"{pairs} runs of each tree in turn, each a median of {repeat} tasks per framework")
    for name, results in runs.items():
        first = results[0]
        calls = first["none"]["modegraph"]["calls"]
        print(
            f"{name}: {first['steps']} supersteps, {first['writes']} channel writes, "
            f"{calls} LLM calls a task"
        )
    print(f"{'saver':<7} {'tree':<10} {'cpu x bare: median (range)':>28} {'wall x bare':>12}")
    for saver_name in SAVERS:
        for name, results in runs.items():
            cpu = [
                r[saver_name]["modegraph"]["cpu"] / r[saver_name]["bare LangGraph"]["cpu"]
                for r in results
            ]
            wall = [
                r[saver_name]["modegraph"]["wall"] / r[saver_name]["bare LangGraph"]["wall"]
                for r in results
            ]
            spread = f"{statistics.median(cpu):.2f} ({min(cpu):.2f} to {max(cpu):.2f})"
            print(f"{saver_name:<7} {name:<10} {spread:>28} {statistics.median(wall):>12.2f}")


if __name__ == "__main__":
    main()
