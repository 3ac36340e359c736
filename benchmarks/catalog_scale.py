"""Catalog scale: load, graph build and lint for 100 / 1,000 / 10,000 mode files.

Generates synthetic Roo Commander Markdown mode files (the seed's format) in a
temporary directory, shaped like a real catalog: one executive, directors, a lead
per department, workers that escalate to their lead and to peers (with inline
`# notes`) and report to their lead, assistants. About five edges per mode. Then
measures, per size:

- load: `modegraph.modes.catalog.loader.load_paths` over the directory, then the Catalog;
- build: `EscalationGraph.from_catalog`;
- lint: `lint_graph` (every hierarchy and graph check);
- peak memory of the three together (tracemalloc, in a second pass so that the
  timings are not slowed by tracing);
- the growth factor of each stage per 10x modes (1.0 = constant, 10 = linear).

`--baseline SRC` also measures another source tree (an export of an older commit:
`git archive COMMIT src | tar -x -C /tmp/old`, then `--baseline /tmp/old/src`) on the
same catalogs: each size is loaded, built and linted in a fresh process per tree,
the trees alternating for `--repeat` rounds, and the medians of wall and CPU time per
stage are printed side by side (CPU time is the steadier figure on a shared machine).
Both trees must find the same modes, edges and findings.

The growth factors of one tree swing a lot between runs on a shared machine, so two
more views are there to show whether a stage is linear:

- `--runs N`: each size loaded, built and linted in N fresh processes, the sizes
  interleaved (one process per size per round, the order turned each round); the
  min and median CPU seconds per stage, and the growth per 10x modes from the mins
  (the run least disturbed by other jobs), with the wall seconds beside them. With
  `--baseline SRC` each round runs both trees, alternating, and both are printed.
- `--counts`: figures that do not depend on the machine's load, per mode and stage,
  from one process per size (after a warm-up pass over the same catalog): the
  Python function calls (`cProfile`), the memory blocks the stage leaves allocated
  (`sys.getallocatedblocks`), and the peak and kept bytes (`tracemalloc`). With
  `--baseline SRC` both trees are counted.

Run with:
    python benchmarks/catalog_scale.py                    # 100, 1,000 and 10,000 modes
    python benchmarks/catalog_scale.py --sizes 100,1000
    python benchmarks/catalog_scale.py --baseline /tmp/old/src [--repeat 3]
    python benchmarks/catalog_scale.py --runs 7             # fresh processes, min / median
    python benchmarks/catalog_scale.py --counts [--baseline /tmp/old/src]
    python benchmarks/catalog_scale.py --smoke            # 100 modes, for the test suite
    python benchmarks/catalog_scale.py --json
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import asdict, dataclass
from pathlib import Path

from modegraph.modes.catalog import Catalog
from modegraph.modes.catalog.loader import load_paths
from modegraph.roles.escalation import EscalationGraph
from modegraph.roles.lint import lint_graph

DEPARTMENTS = ("backend", "frontend", "database", "devops", "security", "design", "qa", "data")
WORKERS_PER_LEAD = 8
LEADS_PER_DIRECTOR = 6


@dataclass(frozen=True)
class Figure:
    modes: int
    edges: int
    findings: int
    load_s: float
    build_s: float
    lint_s: float
    peak_mb: float

    @property
    def total_s(self) -> float:
        return self.load_s + self.build_s + self.lint_s


@dataclass(frozen=True)
class Spec:
    slug: str
    name: str
    level: str
    delegates: tuple[tuple[str, str | None], ...] = ()
    escalates: tuple[tuple[str, str | None], ...] = ()
    reports: tuple[str, ...] = ()


def plan(size: int) -> list[Spec]:
    """`size` modes shaped like a real catalog (counts rounded to fit exactly)."""
    leads_n = max(1, size // (WORKERS_PER_LEAD + 2))
    directors_n = max(1, leads_n // LEADS_PER_DIRECTOR)
    assistants_n = max(0, size // 50)
    workers_n = size - 1 - directors_n - leads_n - assistants_n
    directors = [f"director-{i}" for i in range(directors_n)]
    leads = [f"{DEPARTMENTS[i % len(DEPARTMENTS)]}-lead-{i}" for i in range(leads_n)]
    workers: dict[str, list[str]] = {lead: [] for lead in leads}
    worker_slugs = []
    for i in range(workers_n):
        lead = leads[i % leads_n]
        slug = f"{lead.split('-')[0]}-worker-{i}"
        workers[lead].append(slug)
        worker_slugs.append((slug, lead))
    assistants = [f"assistant-{i}" for i in range(assistants_n)]
    specs = [
        Spec(
            "roo-commander",
            "Roo Commander",
            "000-executive",
            delegates=(
                *((d, "For technical direction") for d in directors),
                *((a, "For research and summaries") for a in assistants),
            ),
        )
    ]
    for i, director in enumerate(directors):
        mine = leads[i::directors_n]
        specs.append(
            Spec(
                director,
                f"Director {i}",
                "010-director",
                delegates=tuple((lead, None) for lead in mine),
                escalates=(("roo-commander", "When scope or budget changes"),),
                reports=("roo-commander",),
            )
        )
    for i, lead in enumerate(leads):
        department = lead.split("-")[0]
        specs.append(
            Spec(
                lead,
                f"{department.title()} Lead {i}",
                f"020-lead-{department}",
                delegates=tuple((w, None) for w in workers[lead]),
                escalates=((directors[i % directors_n], "For cross-team decisions"),),
                reports=(directors[i % directors_n],),
            )
        )
    for slug, lead in worker_slugs:
        team = workers[lead]
        peers = team[team.index(slug) + 1 : team.index(slug) + 3]  # later peers: no cycles
        department = lead.split("-")[0]
        specs.append(
            Spec(
                slug,
                slug.replace("-", " ").title(),
                f"03{DEPARTMENTS.index(department) % 10}-worker-{department}",
                escalates=(
                    (lead, "For design decisions beyond one task"),
                    *((peer, f"For {department} work outside this role's stack") for peer in peers),
                ),
                reports=(lead,),
            )
        )
    for i, assistant in enumerate(assistants):
        specs.append(
            Spec(
                assistant,
                f"Assistant {i}",
                "04x-assistant",
                escalates=(("roo-commander", None),),
                reports=("roo-commander",),
            )
        )
    return specs


def markdown(spec: Spec) -> str:
    """One mode file in the seed's Roo Commander Markdown format."""

    def refs(items: tuple[tuple[str, str | None], ...]) -> str:
        return "".join(f"- `{s}`" + (f" # {n}" if n else "") + "\n" for s, n in items)

    return (
        f"# Mode: 🛠️ {spec.name} (`{spec.slug}`)\n\n"
        "## Description\n"
        f"Synthetic {spec.level} mode for the catalog scale benchmark.\n\n"
        "## Capabilities\n* Plan the work\n* Do the work\n* Report back\n\n"
        "## Workflow\n1.  Receive the task\n2.  Do it\n3.  Report back\n\n"
        "---\n\n## Role Definition\n"
        f"You are {spec.name}, a synthetic role.\n\n"
        "---\n\n## Metadata\n\n"
        f"**Level:** {spec.level}\n\n"
        "**Tool Groups:**\n- read\n- edit\n- command\n\n"
        "**Tags:**\n- synthetic\n- benchmark\n\n"
        f"**Delegates To:**\n{refs(spec.delegates)}\n"
        f"**Escalates To:**\n{refs(spec.escalates)}\n"
        f"**Reports To:**\n{refs(tuple((r, None) for r in spec.reports))}\n"
    )


def write_catalog(folder: Path, size: int) -> None:
    for spec in plan(size):
        (folder / f"{spec.slug}.mode.md").write_text(markdown(spec), encoding="utf-8")


def run_pipeline(
    folder: Path, cpu: list[float] | None = None
) -> tuple[Catalog, EscalationGraph, int, list[float]]:
    """Load, build and lint `folder`: wall seconds per stage (CPU seconds into `cpu`)."""
    times: list[float] = []
    cpu = [] if cpu is None else cpu
    start, start_cpu = time.perf_counter(), time.process_time()
    result = load_paths([folder])
    catalog = Catalog(result.modes, findings=result.findings)
    times.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)
    start, start_cpu = time.perf_counter(), time.process_time()
    graph = EscalationGraph.from_catalog(catalog)
    times.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)
    start, start_cpu = time.perf_counter(), time.process_time()
    findings = lint_graph(graph)
    times.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)
    return catalog, graph, len(findings), times


def measure(size: int, *, memory: bool = True) -> Figure:
    with tempfile.TemporaryDirectory(prefix="modegraph-scale-") as tmp:
        folder = Path(tmp)
        write_catalog(folder, size)
        gc.collect()
        catalog, graph, findings, (load_s, build_s, lint_s) = run_pipeline(folder)
        if len(catalog) != size:
            raise SystemExit(
                f"expected {size} modes, loaded {len(catalog)}: {catalog.findings[:3]}"
            )
        edges = graph.graph.number_of_edges()
        del catalog, graph
        peak_mb = 0.0
        if memory:
            gc.collect()
            tracemalloc.start()
            run_pipeline(folder)
            peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
    return Figure(size, edges, findings, load_s, build_s, lint_s, peak_mb)


def growth(figures: list[Figure], attr: str) -> list[str]:
    """Per row: how much the stage grew against the row 10x smaller ("-" when none)."""
    by_size = {f.modes: f for f in figures}
    out = []
    for figure in figures:
        smaller = by_size.get(figure.modes // 10)
        if smaller is None or figure.modes % 10:
            out.append("-")
            continue
        before, after = getattr(smaller, attr), getattr(figure, attr)
        out.append(f"{after / before:.1f}x" if before > 0 else "-")
    return out


def table(figures: list[Figure]) -> str:
    head = (
        f"{'modes':>7} {'edges':>7} {'finds':>5} {'load s':>8} {'build s':>8} {'lint s':>8} "
        f"{'total s':>8} {'peak MB':>8} {'load/10x':>9} {'build/10x':>9} {'lint/10x':>9}"
    )
    lines = [head, "-" * len(head)]
    grow = [growth(figures, a) for a in ("load_s", "build_s", "lint_s")]
    for i, f in enumerate(figures):
        lines.append(
            f"{f.modes:>7} {f.edges:>7} {f.findings:>5} {f.load_s:>8.3f} {f.build_s:>8.3f} "
            f"{f.lint_s:>8.3f} {f.total_s:>8.3f} {f.peak_mb:>8.1f} "
            f"{grow[0][i]:>9} {grow[1][i]:>9} {grow[2][i]:>9}"
        )
    lines.append("growth per 10x modes: 10x = linear; the edges grow with the modes (~5 each)")
    return "\n".join(lines)


STAGES = ("load", "build", "lint")


def child(folder: Path) -> dict[str, object]:
    """One run of the pipeline over `folder`, as `--baseline` runs it in a fresh process."""
    gc.collect()
    cpu: list[float] = []
    catalog, graph, findings, wall = run_pipeline(folder, cpu)
    return {
        "modes": len(catalog),
        "edges": graph.graph.number_of_edges(),
        "findings": findings,
        "wall": wall,
        "cpu": cpu,
    }


def _load(folder: Path) -> Catalog:
    result = load_paths([folder])
    return Catalog(result.modes, findings=result.findings)


STEPS = (_load, EscalationGraph.from_catalog, lint_graph)
"""The three stages, each taking what the one before made."""


def counted(folder: Path) -> dict[str, object]:
    """Load-independent figures per stage over `folder` (see `--counts`), in this process.

    A first, uncounted pass warms the process (imports, pydantic's deferred schemas,
    the readers' caches) as earlier runs of a long-lived process would; each pass
    starts from a collected heap. Per stage: Python calls (`cProfile`), memory blocks
    left allocated (`sys.getallocatedblocks`, a pass with no tracing), and the peak and
    kept bytes the stage itself allocated (`tracemalloc`, restarted for each stage).
    """
    figures: dict[str, list[int]] = {"calls": [], "blocks": [], "peak": [], "kept": []}
    modes = 0
    for what in ("warm-up", "calls", "blocks", "memory"):
        gc.collect()
        value: object = folder
        made: list[object] = []  # every stage's result lives to the end of the pass, so
        # that a stage's figures never include freeing what the stage before made
        for step in STEPS:
            if what == "calls":
                profile = cProfile.Profile()
                value = profile.runcall(step, value)
                figures["calls"].append(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]
            elif what == "blocks":
                before = sys.getallocatedblocks()
                value = step(value)  # type: ignore[arg-type]
                figures["blocks"].append(sys.getallocatedblocks() - before)
            elif what == "memory":
                tracemalloc.start()
                value = step(value)  # type: ignore[arg-type]
                kept, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                figures["peak"].append(peak)
                figures["kept"].append(kept)
            else:
                value = step(value)  # type: ignore[arg-type]
                modes = modes or len(value)  # type: ignore[arg-type]
            made.append(value)
        del value, made
    return {"modes": modes, **figures}


def _run_child(folder: Path, src: str | None, *, counts: bool = False) -> dict[str, object]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    done = subprocess.run(
        [sys.executable, __file__, "--counts-child" if counts else "--child", str(folder)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the run with {src or 'this tree'} failed:\n{done.stderr[-2000:]}")
    figures: dict[str, object] = json.loads(done.stdout)
    return figures


def _median(runs: list[dict[str, object]], key: str, stage: int) -> float:
    return statistics.median(run[key][stage] for run in runs)  # type: ignore[index]


def compare(sizes: list[int], baseline: str, repeat: int) -> str:
    """Before (`baseline`) and after (this tree) per size and stage: medians of `repeat`."""
    head = (
        f"{'modes':>7} {'stage':>6} {'before s':>9} {'after s':>9} "
        f"{'before cpu':>10} {'after cpu':>10} {'after/before cpu':>16}"
    )
    lines = [head, "-" * len(head)]
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="modegraph-scale-") as tmp:
            folder = Path(tmp)
            write_catalog(folder, size)
            runs: dict[str, list[dict[str, object]]] = {"before": [], "after": []}
            for _ in range(repeat):
                runs["before"].append(_run_child(folder, baseline))
                runs["after"].append(_run_child(folder, None))
        counts = {(r["modes"], r["edges"], r["findings"]) for side in runs.values() for r in side}
        if len(counts) != 1:
            raise SystemExit(f"{size} modes: the trees disagree (modes, edges, findings): {counts}")
        for index, stage in enumerate([*STAGES, "total"]):
            picks = range(3) if stage == "total" else [index]
            wall = {s: sum(_median(runs[s], "wall", i) for i in picks) for s in runs}
            cpu = {s: sum(_median(runs[s], "cpu", i) for i in picks) for s in runs}
            ratio = cpu["after"] / cpu["before"] if cpu["before"] > 0 else float("nan")
            lines.append(
                f"{size:>7} {stage:>6} {wall['before']:>9.3f} {wall['after']:>9.3f} "
                f"{cpu['before']:>10.3f} {cpu['after']:>10.3f} {ratio:>15.2f}x"
            )
    lines.append(f"medians of {repeat} runs per tree, each in a fresh process, trees alternating")
    return "\n".join(lines)


def _ratio(rows: dict[int, float], size: int) -> str:
    """The figure at `size` against the one at `size / 10` ("-" when there is none)."""
    smaller = rows.get(size // 10) if size % 10 == 0 else None
    return f"{rows[size] / smaller:.2f}x" if smaller else "-"


def runs_table(sizes: list[int], runs: int, baseline: str | None = None) -> str:
    """CPU and wall seconds per stage over `runs` fresh processes per size, interleaved.

    With `baseline`, each round also runs every size through that tree, the trees
    alternating, and a table is printed for each.
    """
    trees: list[str | None] = [baseline, None] if baseline else [None]
    results: dict[tuple[str | None, int], list[dict[str, object]]] = {
        (tree, size): [] for tree in trees for size in sizes
    }
    with tempfile.TemporaryDirectory(prefix="modegraph-scale-") as tmp:
        folders = {size: Path(tmp, str(size)) for size in sizes}
        for size, folder in folders.items():
            folder.mkdir()
            write_catalog(folder, size)
        for round_ in range(runs):
            turn = round_ % len(sizes)
            for size in sizes[turn:] + sizes[:turn]:
                for tree in trees if round_ % 2 == 0 else trees[::-1]:
                    results[tree, size].append(_run_child(folders[size], tree))
    for size in sizes:
        counts = {(r["modes"], r["edges"], r["findings"]) for t in trees for r in results[t, size]}
        if len(counts) != 1:
            raise SystemExit(f"{size} modes: the trees disagree (modes, edges, findings): {counts}")
    tables = [
        _runs_rows(sizes, {size: results[tree, size] for size in sizes}, tree or "this tree")
        for tree in trees
    ]
    note = (
        f"{runs} fresh processes per size{' and tree' if baseline else ''}, sizes interleaved; "
        "growth per 10x modes from the CPU mins and medians (10x = linear)"
    )
    return "\n\n".join(tables) + "\n" + note


def _runs_rows(sizes: list[int], results: dict[int, list[dict[str, object]]], tree: str) -> str:
    head = (
        f"{'modes':>7} {'stage':>6} {'cpu min':>8} {'cpu med':>8} {'wall min':>8} "
        f"{'wall med':>8} {'min/10x':>8} {'med/10x':>8}"
    )
    lines = [f"{tree}:", head, "-" * len(head)]
    for index, stage in enumerate([*STAGES, "total"]):
        picks = range(len(STAGES)) if stage == "total" else [index]
        figures: dict[str, dict[int, float]] = {}
        for key in ("cpu", "wall"):
            for size in sizes:
                per_run = [sum(run[key][i] for i in picks) for run in results[size]]  # type: ignore[index]
                figures.setdefault(f"{key} min", {})[size] = min(per_run)
                figures.setdefault(f"{key} med", {})[size] = statistics.median(per_run)
        for size in sizes:
            lines.append(
                f"{size:>7} {stage:>6} {figures['cpu min'][size]:>8.3f} "
                f"{figures['cpu med'][size]:>8.3f} {figures['wall min'][size]:>8.3f} "
                f"{figures['wall med'][size]:>8.3f} {_ratio(figures['cpu min'], size):>8} "
                f"{_ratio(figures['cpu med'], size):>8}"
            )
    return "\n".join(lines)


def counts_table(sizes: list[int], src: str | None = None) -> str:
    """Calls, blocks and bytes per mode and stage (see `counted`), one process per size."""
    rows: dict[int, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="modegraph-scale-") as tmp:
        for size in sizes:
            folder = Path(tmp, str(size))
            folder.mkdir()
            write_catalog(folder, size)
            rows[size] = _run_child(folder, src, counts=True)
    head = (
        f"{'modes':>7} {'stage':>6} {'calls/mode':>10} {'blocks/mode':>11} {'peak B/mode':>11} "
        f"{'kept B/mode':>11} {'calls/10x':>9} {'blocks/10x':>10} {'peak/10x':>8}"
    )
    lines = [head, "-" * len(head)]
    for index, stage in enumerate(STAGES):
        per: dict[str, dict[int, float]] = {}
        for key in ("calls", "blocks", "peak", "kept"):
            per[key] = {size: rows[size][key][index] for size in sizes}  # type: ignore[index]
        for size in sizes:
            lines.append(
                f"{size:>7} {stage:>6} {per['calls'][size] / size:>10.1f} "
                f"{per['blocks'][size] / size:>11.1f} {per['peak'][size] / size:>11.0f} "
                f"{per['kept'][size] / size:>11.0f} {_ratio(per['calls'], size):>9} "
                f"{_ratio(per['blocks'], size):>10} {_ratio(per['peak'], size):>8}"
            )
    lines.append(
        f"{src or 'this tree'}: one process per size after a warm-up pass; calls (cProfile), "
        "memory blocks left allocated, tracemalloc peak and kept bytes, per mode"
    )
    return "\n".join(lines)


def _report(args: argparse.Namespace, sizes: list[int]) -> str:
    """The tables of `--counts` or `--runs` (each with `--baseline` if given), or `--baseline`."""
    if args.counts:
        before = counts_table(sizes, args.baseline) + "\n\n" if args.baseline else ""
        return before + counts_table(sizes)
    if args.runs is not None:
        return runs_table(sizes, args.runs, args.baseline)
    return compare(sizes, args.baseline, 1 if args.smoke else args.repeat)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated mode counts")
    parser.add_argument("--smoke", action="store_true", help="100 modes only, no memory pass")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--baseline", metavar="SRC", help="another source tree to compare")
    parser.add_argument("--repeat", type=int, default=3, help="runs per tree with --baseline")
    parser.add_argument(
        "--runs", type=int, metavar="N", help="N fresh processes per size, min and median"
    )
    parser.add_argument(
        "--counts", action="store_true", help="calls, blocks and bytes per mode and stage"
    )
    parser.add_argument("--child", metavar="FOLDER", help=argparse.SUPPRESS)
    parser.add_argument("--counts-child", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        json.dump(child(Path(args.child)), sys.stdout)
        return 0
    if args.counts_child:
        json.dump(counted(Path(args.counts_child)), sys.stdout)
        return 0
    if args.baseline and not Path(args.baseline, "modegraph").is_dir():
        parser.error(f"--baseline {args.baseline}: no modegraph package in it")
    if args.repeat < 1:
        parser.error("--repeat: at least 1")
    if args.runs is not None and args.runs < 1:
        parser.error("--runs: at least 1")
    try:
        sizes = [100] if args.smoke else [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes {args.sizes!r}: write mode counts like 100,1000")
    if any(size < 10 for size in sizes):
        parser.error("--sizes: each size must be at least 10")
    if args.counts or args.baseline or args.runs is not None:
        print(_report(args, sorted(sizes)))
        return 0
    figures = [measure(size, memory=not args.smoke) for size in sorted(sizes)]
    if args.json:
        rows = [{**asdict(f), "total_s": f.total_s} for f in figures]
        json.dump({"figures": rows}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
