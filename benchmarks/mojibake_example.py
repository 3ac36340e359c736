"""Mojibake repair on long lines: `decode` time per line length, against a whole-line diff.

A mode file with `ðŸš€` on a line of N characters: `decode` repairs the line (ftfy)
and describes the first repaired stretch for the `mojibake-repaired` finding. The
baseline, measured in the same run, is the old description: `difflib` over the
whole line, quadratic in N (it is timed alone, on shorter lines, because it gets
slow fast). "x per char" compares the time per character with the shortest line:
near 1 means linear.

Run with:
    python benchmarks/mojibake_example.py            # lines of 5,000 to 200,000 characters
    python benchmarks/mojibake_example.py --smoke    # tiny, for the test suite
"""

from __future__ import annotations

import argparse
import difflib
import statistics
import time

from modegraph.modes.text import decode


def line_of(length: int) -> str:
    """A line of `length` characters starting with the seed's mojibake rocket."""
    head = "# Mode: ðŸš€ Deploy "
    return head + ("plain words " * (length // 12 + 1))[: length - len(head)]


def seconds(action: object, repeat: int) -> float:
    """Median wall time of `action()` over `repeat` runs."""
    assert callable(action)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def whole_line_diff(before: str, after: str) -> str:
    """The baseline: the first changed stretch from a diff of the whole line."""
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            return f"{before[i1:i2]} -> {after[j1:j2]}"
    return ""


def row(size: int, took: float, first: float) -> str:
    """One row: characters, milliseconds, time per character against the first row."""
    return f"{size:>8} {took * 1000:>10.1f} {took / size / first:>11.2f}"


def main() -> None:
    """Print one row per line length, then the baseline's rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one repeat")
    args = parser.parse_args()
    sizes = [500, 2_000] if args.smoke else [5_000, 20_000, 50_000, 200_000]
    baseline_sizes = [500, 1_000] if args.smoke else [1_000, 2_000, 5_000]
    repeat = 1 if args.smoke else 5
    decode(line_of(100).encode())  # import ftfy before timing

    header = f"{'chars':>8} {'ms':>10} {'x per char':>11}"
    print(f"{'decode':<16} {header}")
    first = None
    for size in sizes:
        data = line_of(size).encode()
        took = seconds(lambda data=data: decode(data), repeat)
        first = first or took / size
        print(f"{'decode':<16} {row(size, took, first)}")

    print(f"{'whole-line diff':<16} {header}")
    first = None
    for size in baseline_sizes:
        before = line_of(size)
        after = before.replace("ðŸš€", "🚀")
        took = seconds(lambda b=before, a=after: whole_line_diff(b, a), 1)
        first = first or took / size
        print(f"{'whole-line diff':<16} {row(size, took, first)}")


if __name__ == "__main__":
    main()
