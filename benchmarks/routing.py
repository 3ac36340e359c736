"""Routing quality of the offline rule agent on labelled goals.

Run with: python benchmarks/routing.py [--misses] [--json] [--smoke]
     or:  python benchmarks/routing.py --catalog NAME=PATH [...] GOALS.yaml [...]

Without goal files it scores the sets that ship with the tests:
`tests/catalogs/goals.yaml` and `goals_heldout.yaml` (the bundled library,
`roo_shaped`, `small`: hierarchical catalogs with declared edges) and
`tests/catalogs/flat_goals_dev.yaml` and `flat_goals_heldout.yaml` (68 overlapping
Claude Code agents, a Roo Code `.roomodes` with an orchestrator, a CrewAI crew).

A goal file holds `goals:`, each with `catalog` (a name given with `--catalog
NAME=PATH`, or one of the built-in names; or a top-level `catalog:` path for
every goal of the file), `entry` (the role that receives the
goal), `goal`, `expect` (the first-hop targets, order-free; `[]` = the entry keeps
all of it or nobody covers it) and optionally `uncovered` (true when some part of
the goal is no role's job).

Each goal is routed as `modegraph route GOAL --mode ENTRY --modes PATH --no-bundled`
does (`modegraph.roles.coordination.coordinate`): implied edges from the modes'
own text (a coordinator's `new_task` list), and `entry: orchestrator` is the
orchestrator role (built in unless the catalog has one), which may hand work to every
mode. Only the entry's first turn is scored: the roles it hands work to and whether it
reports an uncovered part.

Figures, per catalog and over each file:

- exact: the set of first-hop handoffs equals `expect`;
- precision: handoffs in `expect` / all handoffs;
- recall: handoffs in `expect` / all expected targets;
- uncovered: the report flags an uncovered part exactly when the goal says one
  exists (`uncovered: true`), over all goals (goals without the key count as false).

A catalog that loads no mode, or lacks a goal's entry, is skipped with the reason.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from modegraph.agents.protocol import AgentReport, AllowedTarget, RoleTurn
from modegraph.agents.rule.agent import RuleAgent
from modegraph.coordinator.routing import Routes
from modegraph.modes.catalog import Catalog
from modegraph.modes.catalog.layers import bundled_library_dir, load_catalog
from modegraph.roles.coordination import coordinate
from modegraph.roles.escalation import EscalationGraph

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests" / "catalogs"

BUILT_IN: dict[str, Path] = {
    "roo_shaped": TESTS / "roo_shaped",
    "small": TESTS / "small",
    "claude_agents": TESTS / "claude_agents",
    "roo_orchestrated": TESTS / "roo_orchestrated",
    "crew": TESTS / "crew",
}
"""Catalog names the goal files of tests/catalogs use (plus `bundled`)."""

DEFAULT_SETS = (
    TESTS / "goals.yaml",
    TESTS / "goals_heldout.yaml",
    TESTS / "flat_goals_dev.yaml",
    TESTS / "flat_goals_heldout.yaml",
)


@dataclass
class Loaded:
    """A catalog ready for routing, per entry."""

    catalog: Catalog
    """The catalog as loaded (with an added coordinator when an entry needed one)."""
    agent: RuleAgent
    """One agent over it."""
    routes: Routes
    """Its edges."""


@dataclass
class Outcome:
    """One goal routed."""

    catalog: str
    entry: str
    goal: str
    expect: frozenset[str]
    uncovered: bool
    got: frozenset[str] = frozenset()
    flagged: bool = False
    notes: tuple[str, ...] = ()


@dataclass
class Bench:
    """Catalog paths, loaded catalogs and skip reasons."""

    paths: dict[str, Path]
    loaded: dict[tuple[str, str], Loaded] = field(default_factory=dict)
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    routing: float = 0.0
    """Seconds spent in the rule agent's first turns (catalog loading left out)."""
    decisions: int = 0
    """How many first turns were routed."""

    def path_of(self, name: str) -> Path | None:
        if name == "bundled":
            return bundled_library_dir()
        return self.paths.get(name)

    def prepare(self, name: str, entry: str) -> Loaded | None:
        key = (name, entry)
        if key in self.loaded:
            return self.loaded[key]
        if name in self.skipped:
            return None
        path = self.path_of(name)
        if path is None:
            self.skipped[name] = f"no path for catalog {name!r} (give --catalog {name}=PATH)"
            return None
        if name not in self.catalogs:
            catalog = load_catalog(paths=[path], include_bundled=False, discover=False)
            if not len(catalog):
                codes = sorted({f.code.value for f in catalog.findings}) or ["no finding"]
                self.skipped[name] = f"0 modes loaded from {path} ({', '.join(codes)})"
                return None
            self.catalogs[name] = catalog
        coordination = coordinate(self.catalogs[name], entry=entry)
        catalog = coordination.catalog
        if entry not in catalog:
            self.skipped[f"{name}:{entry}"] = f"no role {entry!r} in {path}"
            return None
        routes = Routes(catalog=catalog, graph=EscalationGraph(catalog))
        loaded = Loaded(catalog=catalog, agent=RuleAgent(catalog=catalog), routes=routes)
        self.loaded[key] = loaded
        return loaded


def slug_in(catalog: Catalog, slug: str) -> str:
    """`slug` as the catalog spells it: a CrewAI key (`competitor_analyst`) is read as
    the slug `competitor-analyst`."""
    if slug in catalog or "_" not in slug:
        return slug
    return slug.replace("_", "-")


def as_labelled(catalog: Catalog, got: frozenset[str], expect: frozenset[str]) -> frozenset[str]:
    """`got` in the label's words: a catalog that ships one agent file name several times
    (wshobson's plugins: `cicd-automation/agents/terraform-specialist.md` and two more)
    gets the copies as `<folder>-<name>` slugs; a label that names the file
    (`terraform-specialist`, no role of that slug) matches any of its copies."""
    named = {e for e in expect if e not in catalog}
    if not named:
        return got
    labelled: set[str] = set()
    for slug in got:
        stem = Path(str(catalog[slug].source.path)).stem if slug in catalog else ""
        labelled.add(stem if stem in named and slug.endswith(f"-{stem}") else slug)
    return frozenset(labelled)


def route(loaded: Loaded, entry: str, goal: str) -> AgentReport:
    """The entry's first turn on `goal`."""
    catalog = loaded.catalog
    allowed = tuple(
        AllowedTarget(mode=catalog[e.target], kind=e.kind, note=e.note)
        for e in loaded.routes.allowed(entry)
    )
    turn = RoleTurn(
        task_id="BENCH",
        subtask_id="BENCH",
        mode=catalog[entry],
        goal=goal,
        allowed=allowed,
        chain=(entry,),
    )
    return loaded.agent.run(turn)


def score(bench: Bench, path: Path, *, limit: int | None = None) -> list[Outcome]:
    """Route every goal of the file at `path` (skipped catalogs leave their goals out)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    default = data.get("catalog")
    if default is not None:
        bench.paths.setdefault(str(default), Path(default))
    outcomes: list[Outcome] = []
    for item in data["goals"][:limit]:
        item.setdefault("catalog", default)
        loaded = bench.prepare(item["catalog"], item["entry"])
        if loaded is None:
            continue
        started = time.perf_counter()
        report = route(loaded, item["entry"], item["goal"])
        bench.routing += time.perf_counter() - started
        bench.decisions += 1
        expect = frozenset(slug_in(loaded.catalog, s) for s in item["expect"])
        got = frozenset(h.target for h in report.handoffs)
        outcomes.append(
            Outcome(
                catalog=item["catalog"],
                entry=item["entry"],
                goal=item["goal"],
                expect=expect,
                uncovered=bool(item.get("uncovered", False)),
                got=as_labelled(loaded.catalog, got, expect),
                flagged=bool(getattr(report, "uncovered", ())),
                notes=report.notes,
            )
        )
    return outcomes


def figures(items: list[Outcome]) -> dict[str, float]:
    """Exact match, precision, recall and uncovered-detection accuracy of `items`."""
    handed = sum(len(o.got) for o in items)
    expected = sum(len(o.expect) for o in items)
    right = sum(len(o.got & o.expect) for o in items)
    return {
        "goals": len(items),
        "exact": sum(o.got == o.expect for o in items) / len(items),
        "precision": right / handed if handed else 1.0,
        "recall": right / expected if expected else 1.0,
        "uncovered": sum(o.flagged == o.uncovered for o in items) / len(items),
    }


def line(name: str, f: dict[str, float]) -> str:
    return (
        f"  {name:<18} goals {int(f['goals']):>3}  exact {f['exact']:6.1%}  "
        f"precision {f['precision']:6.1%}  recall {f['recall']:6.1%}  "
        f"uncovered {f['uncovered']:6.1%}"
    )


def report(
    path: Path, outcomes: list[Outcome], *, misses: bool, why: bool = False
) -> dict[str, Any]:
    by_catalog: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_catalog[o.catalog].append(o)
    print(f"{path.name}")
    result: dict[str, Any] = {}
    for name in sorted(by_catalog):
        result[name] = figures(by_catalog[name])
        print(line(name, result[name]))
    if outcomes:
        result["all"] = figures(outcomes)
        print(line("all", result["all"]))
    if misses and "heldout" not in path.name:
        for o in outcomes:
            if o.got != o.expect or o.flagged != o.uncovered:
                print(
                    f"    miss [{o.catalog}] {o.goal[:90]!r}\n"
                    f"      expected {sorted(o.expect)}{' +uncovered' if o.uncovered else ''}, "
                    f"got {sorted(o.got)}{' +uncovered' if o.flagged else ''}"
                )
                if why:
                    print("".join(f"        {note}\n" for note in o.notes), end="")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("goals", nargs="*", type=Path, help="goal files (default: the test sets)")
    parser.add_argument(
        "--catalog",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="where the catalog a goal file names lives (repeatable)",
    )
    parser.add_argument(
        "--misses",
        action="store_true",
        help="print every goal routed wrong (never for a held-out file: those are not for tuning)",
    )
    parser.add_argument(
        "--why", action="store_true", help="with --misses: each missed goal's routing notes"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--smoke", action="store_true", help="five goals per file, for CI")
    args = parser.parse_args(argv)
    paths = dict(BUILT_IN)
    for spec in args.catalog:
        name, sep, where = spec.partition("=")
        if not sep or not name or not where:
            parser.error(f"--catalog takes NAME=PATH, got {spec!r}")
        paths[name] = Path(where)
    bench = Bench(paths=paths)
    started = time.perf_counter()
    results: dict[str, Any] = {}
    for path in args.goals or DEFAULT_SETS:
        outcomes = score(bench, path, limit=5 if args.smoke else None)
        results[path.name] = report(path, outcomes, misses=args.misses, why=args.why)
    for name, why in sorted(bench.skipped.items()):
        print(f"skipped {name}: {why}")
    print(f"routed in {time.perf_counter() - started:.1f} s")
    if bench.decisions:
        per = 1000 * bench.routing / bench.decisions
        print(
            f"{bench.decisions} decisions, {per:.1f} ms per decision "
            "(the agent's first turn; a catalog's first one builds its profiles)"
        )
    if args.json:
        print(json.dumps({"sets": results, "skipped": bench.skipped}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
