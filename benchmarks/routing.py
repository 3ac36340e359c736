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

The entry's allowed targets:

- its declared delegate and escalate edges, when it has any;
- else, when the entry is a mode of the catalog, it is taken as the catalog's own
  coordinator: the slugs its text assigns work to (`new_task` followed by slugs in
  backticks; the rest of each slug's line is the edge's note, unless `--no-notes`),
  or every other mode when it names none;
- else (`entry: orchestrator` on a catalog without one) a coordinator is built,
  as `modegraph run` does for a catalog without edges: a mode that delegates to
  every mode of the catalog, whose own words are about coordination only.

Figures, per catalog and over each file:

- exact: the set of first-hop handoffs equals `expect`;
- precision: handoffs in `expect` / all handoffs;
- recall: handoffs in `expect` / all expected targets;
- uncovered: the report flags an uncovered part exactly when the goal says one
  exists (`uncovered: true`), over all goals (goals without the key count as false).

A catalog that loads no mode (a format modegraph cannot read yet, such as
CrewAI's `agents.yaml`) is skipped with the reason.
"""

from __future__ import annotations

import argparse
import json
import re
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
from modegraph.modes.catalog.layers import bundled_library_dir
from modegraph.modes.catalog.loader import load_paths
from modegraph.modes.model import Mode, Reference
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

ORCHESTRATOR = "orchestrator"

_ASSIGN = re.compile(r"new_task|delegat|assign", re.IGNORECASE)
_BACKTICKED = re.compile(r"`([A-Za-z0-9][A-Za-z0-9-]*)`")


def coordinator_mode(catalog: Catalog) -> Mode:
    """A coordinator that may hand work to every mode of `catalog` (no edges declared)."""
    return Mode(
        slug=ORCHESTRATOR,
        name="Orchestrator",
        description=(
            "Coordinates a request: splits it into parts, hands each part to the role "
            "best suited to it and integrates the results."
        ),
        role_definition=(
            "You are the orchestrator. You plan the work, assign each part to a role "
            "and report the combined result. You do not do the work yourself."
        ),
        delegates_to=tuple(Reference(slug=mode.slug) for mode in catalog),
    )


def assigned_slugs(mode: Mode, catalog: Catalog, *, notes: bool) -> list[Reference]:
    """Modes `mode`'s text assigns work to: backticked slugs after `new_task`/delegate words.

    With `notes`, the rest of a slug's line (`for schemas, migrations and slow
    queries`) becomes the note of the edge to it.
    """
    text = "\n".join((mode.custom_instructions, mode.role_definition))
    found = _ASSIGN.search(text)
    if found is None:
        return []
    refs: dict[str, Reference] = {}
    for line in text[found.start() :].splitlines():
        for slug in _BACKTICKED.findall(line):
            if slug in catalog and slug != mode.slug and slug not in refs:
                rest = line.split(f"`{slug}`", 1)[1].strip(" -:") if notes else ""
                refs[slug] = Reference(slug=slug, note=rest or None)
    return list(refs.values())


def agent_files(root: Path) -> list[Path]:
    """Every Markdown, YAML and JSON file under `root` but READMEs, named one by one.

    For folders whose layout discovery does not know (Claude agents outside
    `.claude/agents`, `custom_modes.d/`): a file named explicitly is read whatever
    its name.
    """
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix in {".md", ".yaml", ".yml", ".json"}
        and p.stem.lower() != "readme"
        and not any(part.startswith(".") for part in p.relative_to(root).parts[:-1])
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
    notes: bool = True
    loaded: dict[tuple[str, str], Loaded] = field(default_factory=dict)
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

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
            result = load_paths([path])
            if not result.modes and path.is_dir():
                result = load_paths(agent_files(path))
            if not result.modes:
                codes = sorted({f.code.value for f in result.findings}) or ["no finding"]
                self.skipped[name] = (
                    f"0 modes loaded from {path} ({', '.join(codes)}): modegraph cannot read "
                    "this catalog's format yet"
                )
                return None
            self.catalogs[name] = Catalog(result.modes)
        catalog = self.catalogs[name]
        graph = EscalationGraph(catalog)
        if entry not in catalog:
            catalog = Catalog([*catalog, coordinator_mode(catalog)])
        elif not [e for e in graph.targets(entry) if not e.missing]:
            mode = catalog[entry]
            refs = tuple(
                assigned_slugs(mode, catalog, notes=self.notes)
                or [Reference(slug=m.slug) for m in catalog if m.slug != entry]
            )
            catalog = Catalog(
                [
                    m.model_copy(update={"delegates_to": refs}) if m.slug == entry else m
                    for m in catalog
                ]
            )
        routes = Routes(catalog=catalog, graph=EscalationGraph(catalog))
        loaded = Loaded(catalog=catalog, agent=RuleAgent(catalog=catalog), routes=routes)
        self.loaded[key] = loaded
        return loaded


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
        report = route(loaded, item["entry"], item["goal"])
        outcomes.append(
            Outcome(
                catalog=item["catalog"],
                entry=item["entry"],
                goal=item["goal"],
                expect=frozenset(item["expect"]),
                uncovered=bool(item.get("uncovered", False)),
                got=frozenset(h.target for h in report.handoffs),
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


def report(path: Path, outcomes: list[Outcome], *, misses: bool) -> dict[str, Any]:
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
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument(
        "--no-notes",
        action="store_true",
        help="implied edges of a catalog's own coordinator carry no note",
    )
    parser.add_argument("--smoke", action="store_true", help="five goals per file, for CI")
    args = parser.parse_args(argv)
    paths = dict(BUILT_IN)
    for spec in args.catalog:
        name, sep, where = spec.partition("=")
        if not sep or not name or not where:
            parser.error(f"--catalog takes NAME=PATH, got {spec!r}")
        paths[name] = Path(where)
    bench = Bench(paths=paths, notes=not args.no_notes)
    started = time.perf_counter()
    results: dict[str, Any] = {}
    for path in args.goals or DEFAULT_SETS:
        outcomes = score(bench, path, limit=5 if args.smoke else None)
        results[path.name] = report(path, outcomes, misses=args.misses)
    for name, why in sorted(bench.skipped.items()):
        print(f"skipped {name}: {why}")
    print(f"routed in {time.perf_counter() - started:.1f} s")
    if args.json:
        print(json.dumps({"sets": results, "skipped": bench.skipped}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
