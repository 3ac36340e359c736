"""Large mode files and real catalogs: load time and memory, against baselines of the same run.

Synthetic files, written to a temporary folder:

- one Roo Code YAML file of N modes and no alias (`customModes:` with slug, name,
  roleDefinition, groups), N = 10,000 and 40,000 (1.9 MB was once refused with "the
  aliases expand to more than 100,000 values"): load time, peak memory (tracemalloc),
  the growth per 4x modes (4.0 = linear) and the ratio against parsing the same text
  with PyYAML alone (the floor any YAML reader pays);
- one Roo Commander Markdown mode file just under the size limit (9.5 MiB of custom
  instructions): load time and peak memory against reading and decoding its bytes;
- a file over the limit (a sparse 50 MiB file) and an alias bomb: how fast they are
  refused.

Real catalogs (`--catalogs DIR`, a folder holding the public catalogs of
`/work/catalogs`, never committed): `load_paths` on each, median of 3.

Run with:
    python benchmarks/catalog_files.py                            # synthetic only
    python benchmarks/catalog_files.py --catalogs /work/catalogs
    python benchmarks/catalog_files.py --smoke                    # tiny, for the test suite
    python benchmarks/catalog_files.py --json
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from modegraph.modes.catalog.loader import MAX_FILE_BYTES, load_file, load_paths
from modegraph.modes.text import decode

REAL = {
    "jtgsystems custom_modes.yaml (186 modes, 1.4 MB)": "jtgsystems-custom-modes-yaml",
    "jtgsystems custom_modes.d (212 files, nested)": "jtgsystems-custom-modes-d",
    "wshobson plugins (202 agents, nested)": "wshobson-agents-plugins",
    "VoltAgent categories (158 agents, nested)": "voltagent-subagents",
    "Roo Commander v6.3 (57 bare JSON)": "roo-commander-v6.3",
    "Roo Commander v7.3.0 (.roomodes + 102 TOML)": "roo-commander-v7.3.0",
    "CrewAI examples (20 crews)": "crewai-examples",
}


def measure(action: Callable[[], Any], *, repeat: int = 1) -> tuple[float, float, Any]:
    """(median seconds, peak MiB of one traced run, the action's result)."""
    times = []
    result = None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / (1024 * 1024), result


def yaml_catalog(count: int) -> str:
    rows = "".join(
        f"  - slug: mode-{i}\n    name: Mode {i}\n    roleDefinition: You do task {i}.\n"
        "    groups: [read, edit]\n"
        for i in range(count)
    )
    return "customModes:\n" + rows


def markdown_mode(size: int) -> str:
    head = "# Mode: Big (`big`)\n\n## Role Definition\nYou are big.\n\n## Custom Instructions\n"
    line = "- Keep every step small, and write down what was done and why.\n"
    body = line * max(1, (size - len(head)) // len(line))
    return head + body + "\n## Metadata\n**Level:** 030-worker\n"


def synthetic(folder: Path, sizes: list[int], markdown_bytes: int) -> dict[str, Any]:
    figures: dict[str, Any] = {"yaml": []}
    for count in sizes:
        path = folder / f"custom_modes_{count}.yaml"
        path.write_text(yaml_catalog(count), encoding="utf-8")
        text = path.read_text(encoding="utf-8")
        seconds, peak, result = measure(lambda path=path: load_file(path))
        floor, floor_peak, _ = measure(lambda text=text: yaml.load(text, Loader=yaml.CSafeLoader))
        assert len(result.modes) == count, [f.format() for f in result.findings][:3]
        figures["yaml"].append(
            {
                "modes": count,
                "bytes": path.stat().st_size,
                "load_s": seconds,
                "peak_mib": peak,
                "pyyaml_s": floor,
                "pyyaml_peak_mib": floor_peak,
            }
        )
    big = folder / "big.mode.md"
    big.write_text(markdown_mode(markdown_bytes), encoding="utf-8")
    seconds, peak, result = measure(lambda: load_file(big))
    assert [m.slug for m in result.modes] == ["big"]
    floor, floor_peak, _ = measure(lambda: decode(big.read_bytes()))
    figures["markdown"] = {
        "bytes": big.stat().st_size,
        "load_s": seconds,
        "peak_mib": peak,
        "decode_s": floor,
        "decode_peak_mib": floor_peak,
    }
    huge = folder / "huge.mode.md"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    seconds, _, result = measure(lambda: load_file(huge))
    figures["over_limit"] = {"bytes": huge.stat().st_size, "refused_s": seconds,
                             "finding": result.findings[0].message}  # fmt: skip
    bomb = "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9) if p else ', '.join(['x'] * 9)}]\n"
        for p, n in zip(["", "a", "b", "c", "d", "e", "f", "g"], "abcdefgh", strict=True)
    )
    seconds, _, result = measure(lambda: load_file(_write(folder / "bomb.mode.yaml", bomb)))
    figures["alias_bomb"] = {"refused_s": seconds, "finding": result.findings[0].message}
    return figures


def _write(path: Path, text: str) -> Path:
    path.write_text("slug: x\nname: X\n" + text, encoding="utf-8")
    return path


def real(catalogs: Path, repeat: int) -> list[dict[str, Any]]:
    rows = []
    for label, folder in REAL.items():
        path = catalogs / folder
        if not path.exists():
            continue
        seconds, peak, result = measure(lambda path=path: load_paths([path]), repeat=repeat)
        rows.append(
            {"catalog": label, "modes": len(result.modes), "load_s": seconds, "peak_mib": peak}
        )
    return rows


def report(figures: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    print(f"size limit: {MAX_FILE_BYTES / (1024 * 1024):.0f} MiB per mode file\n")
    print("one YAML file, no alias        modes      MB   load s  peak MiB  x PyYAML alone")
    previous: dict[str, Any] | None = None
    for row in figures["yaml"]:
        growth = ""
        if previous:
            times = row["load_s"] / previous["load_s"]
            growth = f"  (x{times:.1f} time per x{row['modes'] / previous['modes']:.0f} modes)"
        print(
            f"  {'':28s}{row['modes']:>7,} {row['bytes'] / 1e6:7.1f} {row['load_s']:8.2f} "
            f"{row['peak_mib']:9.0f}  {row['load_s'] / row['pyyaml_s']:6.1f}{growth}"
        )
        previous = row
    md = figures["markdown"]
    print(
        f"\nMarkdown mode file {md['bytes'] / 1e6:.1f} MB: {md['load_s']:.2f} s, "
        f"{md['peak_mib']:.0f} MiB peak (reading and decoding alone: {md['decode_s']:.2f} s, "
        f"{md['decode_peak_mib']:.0f} MiB; x{md['load_s'] / md['decode_s']:.1f} time)"
    )
    over = figures["over_limit"]
    print(f"50 MiB file refused in {over['refused_s'] * 1000:.2f} ms: {over['finding']}")
    bomb = figures["alias_bomb"]
    print(f"alias bomb refused in {bomb['refused_s'] * 1000:.1f} ms: {bomb['finding']}")
    if rows:
        print("\nreal catalogs (load_paths, median)            modes   load s  peak MiB")
        for row in rows:
            print(
                f"  {row['catalog']:45s}{row['modes']:>5} {row['load_s']:8.2f} "
                f"{row['peak_mib']:9.1f}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--catalogs", type=Path, help="folder holding the public catalogs")
    parser.add_argument("--repeat", type=int, default=3, help="runs per real catalog")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for the test suite")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    sizes = [200, 800] if args.smoke else [10_000, 40_000]
    markdown_bytes = 200_000 if args.smoke else int(9.5 * 1024 * 1024)
    with tempfile.TemporaryDirectory() as tmp:
        figures = synthetic(Path(tmp), sizes, markdown_bytes)
    rows = real(args.catalogs, args.repeat) if args.catalogs else []
    if args.json:
        json.dump({"synthetic": figures, "real": rows}, sys.stdout, indent=2)
        print()
    else:
        report(figures, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
