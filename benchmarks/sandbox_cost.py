"""What the sandbox costs: each guarded operation against its unguarded baseline.

Measured in the same run, on the same files; median of three rounds, wall time for
the command start (its work is in other processes), CPU time for the rest:

- command start: `execute(["true"])` (allow-rule judgment not included; the command
  runs under the subreaper supervisor on Linux, with the environment allowlist)
  against `subprocess.run(["true"])`;
- allow-rule judgment: `rules.judge` (argv, program, arguments, escapes, paths)
  against the old `re.search` on the raw string;
- file read: `fileio.read_bytes` (directory descriptors, O_NOFOLLOW, five folders
  deep) against `Path.read_bytes`;
- search: `search_files` over a tree of text files (the `regex` module with a time
  limit, descriptor walk) against `os.walk` + `re.search` over the same tree.

Run with:
    python benchmarks/sandbox_cost.py            # the figures for benchmarks/README.md
    python benchmarks/sandbox_cost.py --smoke    # tiny, for the test suite
    python benchmarks/sandbox_cost.py --json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from modegraph.modes.model import Mode, ToolGroup
from modegraph.tools import Workspace, tools_for_mode
from modegraph.tools.fileio import read_bytes
from modegraph.tools.process import SUPERVISED, execute
from modegraph.tools.rules import judge


def _per_call(fn: Callable[[], object], repeat: int, clock: Callable[[], float]) -> float:
    """Median over three rounds of the time per call (after one warm-up call)."""
    fn()
    rounds = []
    for _ in range(3):
        started = clock()
        for _ in range(repeat):
            fn()
        rounds.append((clock() - started) / repeat)
    return statistics.median(rounds)


def _tree(root: Path, files: int, lines: int) -> None:
    for index in range(files):
        folder = root / "src" / f"pkg{index % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        body = "".join(f"value_{n} = compute({n}, 'text {index}')\n" for n in range(lines))
        (folder / f"module_{index}.py").write_text(body, encoding="utf-8")


def measure(*, smoke: bool) -> dict[str, dict[str, float]]:
    """Each figure: guarded and baseline seconds per call, and their ratio."""
    commands = 2 if smoke else 30
    judgments = 20 if smoke else 3_000
    reads = 20 if smoke else 3_000
    searches = 1 if smoke else 3
    with tempfile.TemporaryDirectory() as temp:
        root = Path(os.path.realpath(temp))
        workspace = Workspace(root)
        deep = root / "a" / "b" / "c" / "d" / "e"
        deep.mkdir(parents=True)
        (deep / "file.txt").write_text("x" * 4_000, encoding="utf-8")
        _tree(root, files=20 if smoke else 200, lines=50 if smoke else 200)
        target = workspace.resolve("a/b/c/d/e/file.txt")
        argv = ["python", "-m", "pytest", "-q", "--junitxml=out/report.xml", "src/pkg1"]
        rule = r"^python -m pytest\b"
        reader = Mode(slug="reader", name="Reader", tool_groups=(ToolGroup(name="read"),))
        search = next(
            t for t in tools_for_mode(reader, workspace=workspace) if t.name == "search_files"
        )
        pattern = r"compute\(19\d, 'text 1\d'\)"
        compiled = re.compile(pattern)

        def baseline_search() -> int:
            hits = 0
            for folder, _, names in os.walk(root):
                for name in names:
                    text = Path(folder, name).read_text(encoding="utf-8", errors="replace")
                    hits += sum(1 for line in text.splitlines() if compiled.search(line))
            return hits

        pairs: dict[str, tuple[Callable[[], object], Callable[[], object], int]] = {
            "command start": (
                lambda: execute(["true"], cwd=root, timeout=30, max_output=1_000),
                lambda: subprocess.run(["true"], cwd=root, check=False),
                commands,
            ),
            "allow-rule judgment": (
                lambda: judge(argv, [rule], cwd=root, workspace=workspace),
                lambda: re.search(rule, " ".join(argv)),
                judgments,
            ),
            "file read (5 folders deep)": (
                lambda: read_bytes(workspace, target, limit=1_000_000),
                lambda: (deep / "file.txt").read_bytes(),
                reads,
            ),
            "search_files": (
                lambda: search.invoke({"pattern": pattern, "path": "src"}),
                baseline_search,
                searches,
            ),
        }
        figures: dict[str, dict[str, float]] = {}
        for name, (guarded, baseline, repeat) in pairs.items():
            # a command's time is spent in other processes: wall time; the rest: CPU time
            clock = time.perf_counter if name == "command start" else time.process_time
            base = _per_call(baseline, repeat, clock)
            cost = _per_call(guarded, repeat, clock)
            figures[name] = {"guarded_s": cost, "baseline_s": base, "ratio": cost / base}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for the test suite")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = measure(smoke=args.smoke)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"python {sys.version.split()[0]}, supervisor: {'on' if SUPERVISED else 'off'}")
    print(f"{'operation':<28} {'guarded':>12} {'baseline':>12} {'ratio':>7}")
    for name, row in figures.items():
        print(
            f"{name:<28} {row['guarded_s'] * 1e3:>9.3f} ms {row['baseline_s'] * 1e3:>9.3f} ms "
            f"x{row['ratio']:>5.1f}"
        )


if __name__ == "__main__":
    main()
