"""Start-up time of the command line against a bare interpreter.

Run with: python benchmarks/startup.py [--repeat N] [--smoke]

Prints the median wall time of `python -c pass`, `modegraph --help` and
`modegraph modes list` (each in a fresh process), their ratio to the bare
interpreter, and which heavy packages each command imports.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

HEAVY = (
    "langgraph",
    "langchain_core",
    "pydantic",
    "networkx",
    "yaml",
    "rich",
    "typer",
    "ftfy",
    "filelock",
    "sqlite3",
)

COMMANDS: dict[str, list[str]] = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "modegraph --help": [sys.executable, "-m", "modegraph", "--help"],
    "modegraph modes list": [sys.executable, "-m", "modegraph", "modes", "list"],
}

PROBE = """
import sys, json, io, contextlib
sys.argv = ["modegraph", *{argv!r}]
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        from modegraph.cli import main
        main()
    except SystemExit:
        pass
heavy = {heavy!r}
print(json.dumps(sorted(h for h in heavy if h in sys.modules)))
"""


def time_command(argv: list[str], repeat: int) -> float:
    """Median wall time of `argv` in seconds over `repeat` runs."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=False, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def heavy_imports(args: list[str]) -> list[str]:
    """The heavy packages a command imports."""
    code = PROBE.format(argv=args, heavy=HEAVY)
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    )
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--smoke", action="store_true", help="one run each, for the tests")
    opts = parser.parse_args()
    repeat = 1 if opts.smoke else opts.repeat
    base = time_command(COMMANDS["python -c pass"], repeat)
    print(f"{'command':<24} {'median s':>9} {'x python':>9}  heavy imports")
    for name, argv in COMMANDS.items():
        median = time_command(argv, repeat)
        heavy = heavy_imports(argv[3:]) if name != "python -c pass" else []
        print(f"{name:<24} {median:>9.3f} {median / base:>9.1f}  {', '.join(heavy) or '-'}")


if __name__ == "__main__":
    main()
