"""Every fixture this suite reads survives writing to Markdown and reading back.

The readers (roo_markdown, roo_toml, claude) and the Markdown writer must agree: a
mode read from any messy fixture, written as a Roo Commander Markdown file, and read
again by the Markdown reader is the same mode (apart from where it came from).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from modegraph.modes.formats.claude.reader import read_claude_agent
from modegraph.modes.formats.reading import ReadResult
from modegraph.modes.formats.roo_markdown.reader import read_roo_markdown
from modegraph.modes.formats.roo_toml.reader import read_roo_toml
from modegraph.modes.formats.writers import TargetFormat, write_mode
from modegraph.modes.model import Mode
from modegraph.modes.text import decode

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).resolve().parents[1] / "data" / "000_fcc372a2e7cd4ede.txt"
NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.is_file())


def reader_for(name: str) -> Callable[..., ReadResult]:
    if name.startswith("claude_"):
        return read_claude_agent
    if name.startswith("toml_"):
        return read_roo_toml
    return read_roo_markdown


def comparable(mode: Mode) -> dict[str, Any]:
    data = mode.model_dump(exclude={"source"})
    for key in ("delegates_to", "escalates_to", "reports_to"):
        data[key] = [(ref["slug"], ref["note"]) for ref in data[key]]
    # where a group was read is not part of it (like a reference's line)
    data["tool_groups"] = [
        {k: v for k, v in group.items() if k != "line"} for group in data["tool_groups"]
    ]
    return data


def round_trip(path: Path, reader: Callable[..., ReadResult]) -> list[tuple[Mode, Mode]]:
    text, _ = decode(path.read_bytes())
    pairs = []
    for mode in reader(text, path=path.name).modes:
        written = write_mode(mode, to=TargetFormat.MARKDOWN)
        again = read_roo_markdown(written.text, path=f"{mode.slug}.mode.md")
        assert [f.code for f in again.findings] == []
        (back,) = again.modes
        pairs.append((mode, back))
    return pairs


@pytest.mark.parametrize("name", NAMES)
def test_fixture_survives_markdown(name: str) -> None:
    for mode, back in round_trip(FIXTURES / name, reader_for(name)):
        assert comparable(back) == comparable(mode)


def test_seed_survives_markdown() -> None:
    ((mode, back),) = round_trip(SEED, read_roo_markdown)
    assert comparable(back) == comparable(mode)
    assert back.display_name == "🚀 FastAPI Developer"
