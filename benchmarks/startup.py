"""Start-up time of the command line against a bare interpreter, and the goal.

Run with: python benchmarks/startup.py [--repeat N] [--baseline SRC] [--cwd DIR] [--smoke] [--json]

Each command runs in a fresh process, `--repeat` rounds, the commands interleaved
round by round so that a change in the machine's load hits them all alike. The
figures are medians: wall time and the child's CPU time (user + system, steadier on
a shared machine). The goal of issue 15 is at most 2 x `python -c pass` + 150 ms;
the script prints that limit, computed from `python -c pass` measured in the same
run, and whether each command is within it.

`--baseline SRC` measures the same commands with another source tree first on the
path (e.g. an export of an older commit: `git archive COMMIT | tar -x -C /tmp/old`,
then `--baseline /tmp/old/src`), so before and after come from one run.

The script also lists which heavy packages each command imports.

`modegraph modes list` keeps its listing in a cache (docs/cli.md, The listing cache):
the script points `XDG_CACHE_HOME` at a fresh temporary folder, lists once to fill
it, and then measures `modes list` (a cached listing: no mode file changed) and
`modes list --no-cache` (every file read and parsed, as on the first listing or after
an edit); `modes list, cache miss` runs with an empty cache folder each time, which
costs what the first listing after an edit costs (the cache key worked out before and
after reading, the listing kept). A baseline older than the cache has no `--no-cache`:
its `modes list` reads every file each time; a baseline with the cache gets the
`--no-cache` and cache-miss rows too.
`PYTHONDONTWRITEBYTECODE` is dropped from the commands' environment: an installed
modegraph has its byte code, and without it every module is compiled again at each
start. `--cwd DIR` runs every command in DIR, a project with a catalog of its
own (say a real one from /work/catalogs), instead of the current folder.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = (
    "langgraph",
    "langchain_core",
    "pydantic",
    "networkx",
    "yaml",
    "rich",
    "rich.markdown",
    "markdown_it",
    "typer",
    "ftfy",
    "filelock",
    "sqlite3",
    "modegraph.modes.schema",
    "modegraph.modes.config",
)

COMMANDS: dict[str, list[str]] = {
    "python -c pass": ["-c", "pass"],
    "modegraph --help": ["-m", "modegraph", "--help"],
    "modegraph modes list": ["-m", "modegraph", "modes", "list"],
    "modegraph modes list --no-cache": ["-m", "modegraph", "modes", "list", "--no-cache"],
    "modegraph modes list, cache miss": ["-m", "modegraph", "modes", "list"],
}

MISS = "modegraph modes list, cache miss"
"""Runs with an empty cache folder each time: the listing after an edit (a miss: the key
worked out, every file read and parsed, the key worked out again, the listing kept)."""

NO_BASELINE = {"python -c pass", "modegraph modes list --no-cache", MISS}
"""Rows measured without the baseline (a baseline without a listing cache has no `--no-cache`)."""

_BASELINE_NO_CACHE = {"python -c pass"}
"""The same for a baseline that has the listing cache: its `--no-cache` row is measured too."""

LIMIT_SECONDS = 0.150
"""The goal: at most 2 x `python -c pass` + this many seconds."""

PROBE = """
import sys, json, io, contextlib
sys.argv = ["modegraph", *{argv!r}]
out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # like the pipe of a measured run
with contextlib.redirect_stdout(out):
    try:
        from modegraph.cli import main
        main()
    except SystemExit:
        pass
heavy = {heavy!r}
print(json.dumps(sorted(h for h in heavy if h in sys.modules)))
"""


_CACHE = tempfile.mkdtemp(prefix="modegraph-startup-cache-")
"""`XDG_CACHE_HOME` of every command: a cache of this run alone."""
atexit.register(shutil.rmtree, _CACHE, True)


def _env(src: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = _CACHE
    env.pop("MODEGRAPH_NO_CACHE", None)
    # An installed modegraph has its byte code compiled; a run that may not write it
    # compiles every module again at each start (about 100 ms more on this machine).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if src is not None:
        paths = [os.path.abspath(src), env.get("PYTHONPATH", "")]
        env["PYTHONPATH"] = os.pathsep.join(paths).rstrip(os.pathsep)
    return env


_CWD: str | None = None
"""Where the commands run (`--cwd`); None: the current folder."""


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh `python argv` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, *argv], check=False, capture_output=True, env=env, cwd=_CWD)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def heavy_imports(args: list[str], env: dict[str, str]) -> list[str]:
    """The heavy packages a command imports."""
    code = PROBE.format(argv=args, heavy=HEAVY)
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env, cwd=_CWD
    )
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def _plain(row: str) -> str:
    return row.removesuffix(" (baseline)")


def _row_env(row: str, baseline: str | None) -> dict[str, str]:
    """The environment of a row's command: the baseline's tree, a fresh cache on a miss."""
    env = _env(baseline if row.endswith(" (baseline)") else None)
    if _plain(row) == MISS:
        env["XDG_CACHE_HOME"] = tempfile.mkdtemp(dir=_CACHE)
    return env


def measure(repeat: int, baseline: str | None) -> dict[str, dict[str, float]]:
    """Median wall and CPU seconds per command (and per baseline command), interleaved."""
    trees = {"": None} if baseline is None else {"": None, " (baseline)": baseline}
    skip = NO_BASELINE
    if baseline is not None and Path(baseline, "modegraph", "cli", "_list_cache.py").is_file():
        skip = _BASELINE_NO_CACHE
    runs: dict[str, list[tuple[float, float]]] = {}
    for src in trees.values():  # fills the listing cache, writes the byte code
        run_once(COMMANDS["modegraph modes list"], _env(src))
    for _ in range(repeat):
        for name, argv in COMMANDS.items():
            for suffix in trees:
                if name in skip and suffix:
                    continue
                env = _row_env(name + suffix, baseline)
                runs.setdefault(name + suffix, []).append(run_once(argv, env))
    return {
        name: {
            "wall": statistics.median(w for w, _ in samples),
            "cpu": statistics.median(c for _, c in samples),
        }
        for name, samples in runs.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--baseline", metavar="SRC", help="another source tree to compare")
    parser.add_argument("--cwd", metavar="DIR", help="run the commands in DIR (a project)")
    parser.add_argument("--smoke", action="store_true", help="one run each, for the tests")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    opts = parser.parse_args()
    repeat = 1 if opts.smoke else opts.repeat
    if opts.baseline and not Path(opts.baseline, "modegraph").is_dir():
        parser.error(f"--baseline {opts.baseline}: no modegraph package in it")
    if opts.cwd is not None:
        if not Path(opts.cwd).is_dir():
            parser.error(f"--cwd {opts.cwd}: no such folder")
        global _CWD
        _CWD = opts.cwd
    figures = measure(repeat, opts.baseline)
    base = figures["python -c pass"]
    limit = {k: 2 * base[k] + LIMIT_SECONDS for k in ("wall", "cpu")}
    heavy = {
        name: heavy_imports(COMMANDS[_plain(name)][2:], _row_env(name, opts.baseline))
        for name in figures
        if name != "python -c pass"
    }
    if opts.json:
        print(json.dumps({"figures": figures, "limit": limit, "heavy": heavy}, indent=2))
        return
    where = f" in {opts.cwd}" if opts.cwd else ""
    print(
        f"{repeat} rounds{where}, medians; goal: 2 x python -c pass + {LIMIT_SECONDS * 1000:.0f} ms"
    )
    print(
        f"{'command':<44} {'wall s':>7} {'x pass':>7} {'cpu s':>7} {'x pass':>7}  "
        f"{'within goal (cpu)':<18} heavy imports"
    )
    for name, fig in figures.items():
        ok = "-" if name == "python -c pass" else ("yes" if fig["cpu"] <= limit["cpu"] else "no")
        print(
            f"{name:<44} {fig['wall']:>7.3f} {fig['wall'] / base['wall']:>7.1f} "
            f"{fig['cpu']:>7.3f} {fig['cpu'] / base['cpu']:>7.1f}  {ok:<18} "
            f"{', '.join(heavy.get(name, [])) or '-'}"
        )
    print(f"limit (2 x pass + 150 ms): wall {limit['wall']:.3f} s, cpu {limit['cpu']:.3f} s")
    for name in figures:
        if name.endswith(" (baseline)"):
            plain = name.removesuffix(" (baseline)")
            rows = [plain] if plain.endswith("--no-cache") else [plain, f"{plain} --no-cache"]
            if f"{plain} --no-cache (baseline)" in figures:
                rows = [plain]  # the baseline has its own --no-cache row
            for row in rows:
                if row in figures:
                    print(
                        f"{row}: cpu x{figures[name]['cpu'] / figures[row]['cpu']:.2f} "
                        "faster than the baseline"
                    )


if __name__ == "__main__":
    main()
