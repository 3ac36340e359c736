"""What coordination adds on top of loading a catalog: implied edges and the entry rule.

Run with:
    python benchmarks/coordination_cost.py [--modes N] [--repeat R] [--smoke]

It writes a synthetic Roo Code `.roomodes` of N modes (each with a few hundred
words of instructions; one coordinator lists every slug after "Use `new_task` to
assign:", a tenth of the others name a slug in a "delegate ... to `x`" sentence),
then times, median of R runs, loading the file and `coordinate()` on it with
`--edges all` and `--edges declared`, and prints each against loading.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from modegraph.modes.catalog import Catalog
from modegraph.modes.catalog.implied import EdgeMode
from modegraph.modes.catalog.layers import load_catalog
from modegraph.roles.coordination import coordinate

_PROSE = (
    "Keep changes small and reviewable. Read the code before you edit it: names, tests, "
    "the build. Note: never hard-code secrets; take them from the environment. "
    "When you finish, summarise what changed and why, with the files you touched.\n"
)


def _catalog(count: int) -> dict[str, object]:
    slugs = [f"role-{n:04d}" for n in range(count)]
    modes: list[dict[str, object]] = []
    for n, slug in enumerate(slugs[1:], start=1):
        extra = f"Delegate the docs to `{slugs[(n + 1) % count]}`.\n" if n % 10 == 0 else ""
        modes.append(
            {
                "slug": slug,
                "name": f"Role {n}",
                "roleDefinition": f"You are role {n}; you work on area {n % 17}.",
                "customInstructions": _PROSE * 8 + extra,
                "groups": ["read", "edit"],
            }
        )
    listing = "\n".join(f"- {slug}" for slug in slugs[1:])
    coordinator = {
        "slug": slugs[0],
        "name": "Coordinator",
        "roleDefinition": "You split the work and hand it on.",
        "customInstructions": f"{_PROSE}Use `new_task` to assign:\n{listing}\n",
        "groups": [],
    }
    return {"customModes": [coordinator, *modes]}


def _median(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Print load and coordination times and their ratios."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--modes", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="A tiny run (50 modes, once).")
    args = parser.parse_args()
    count, repeat = (50, 1) if args.smoke else (args.modes, args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ".roomodes"
        text = json.dumps(_catalog(count), indent=2)
        path.write_text(text, encoding="utf-8")
        empty = Path(tmp) / "none"

        def load() -> Catalog:
            return load_catalog(
                paths=[path], include_bundled=False, user_dir=empty, project_dir=empty
            )

        catalog = load()
        loading = _median(repeat, load)
        implied = _median(repeat, lambda: coordinate(catalog))
        declared = _median(repeat, lambda: coordinate(catalog, edges=EdgeMode.DECLARED))
        done = coordinate(catalog)
    edges = sum(len(m.delegates_to) for m in done.catalog)
    entry = done.entry.slug if done.entry else "-"
    print(f"{count} modes, {len(text.encode()):,} bytes; entry {entry}")
    print(f"implied edges found: {edges}")
    rows = [
        ("load", loading),
        ("coordinate --edges all", implied),
        ("coordinate --edges declared", declared),
    ]
    for name, seconds in rows:
        print(f"{name:28} {seconds * 1000:9.1f} ms  x load {seconds / loading:5.2f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
