"""Random sequences of writes and hand edits: parsing only the changed tail of a file
gives the same blocks as a full parse, a journal that keeps parsed copies between writes
agrees with a fresh one, and no entry is lost."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modegraph.journal import (
    Entry,
    EntryKind,
    Journal,
    RouteStep,
    SubtaskResult,
    TaskRecord,
    TaskStatus,
)
from modegraph.journal.parse import parse_document

AT = datetime(2026, 11, 27, 9, 15, tzinfo=UTC)
EDITS = [
    "A note written by hand.",
    "    an indented code line",
    "```\nfenced\n```",
    "## A section of my own",
    "**Priority:** high",
    "- a plain list item",
]

ops = st.lists(
    st.one_of(
        st.tuples(st.just("append"), st.integers(0, 30), st.sampled_from(EntryKind)),
        st.tuples(st.just("close"), st.sampled_from(TaskStatus), st.text(max_size=10)),
        st.tuples(st.just("results"), st.integers(0, 2), st.booleans()),
        st.tuples(st.just("edit"), st.integers(0, 50), st.sampled_from(EDITS)),
    ),
    max_size=30,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops)
def test_cached_and_fresh_reads_agree(tmp_path: Path, steps: list[tuple[object, ...]]) -> None:
    root = tmp_path / f"j{len(list(tmp_path.iterdir()))}"
    journal = Journal(root, durable=False)  # keeps a parsed copy between writes
    journal.create(TaskRecord(id="T-1", title="t", goal="g", assigned_to="a"))
    path = journal.path("T-1")
    appended: list[str] = []
    previous = parse_document(path.read_text(encoding="utf-8"), path=path)
    for step in steps:
        match step:
            case ("append", int(n), EntryKind() as kind):
                if journal.append("T-1", Entry(id=f"e{n}", kind=kind, text=f"text {n}", at=AT)):
                    appended.append(f"e{n}")
            case ("close", TaskStatus() as status, str(summary)):
                journal.close("T-1", status=status, summary=summary)
            case ("results", int(n), bool(refused)):
                journal.set_results(
                    "T-1",
                    results=[SubtaskResult(id=f"T-1.{k + 1}", role="r") for k in range(n)],
                    route=[RouteStep(source="a", target="r", refused=refused)] * n,
                )
            case ("edit", int(at), str(text)):
                lines = path.read_text(encoding="utf-8").split("\n")
                body = lines.index("+++", 1) + 1  # never inside the front matter
                cut = min(body + at, len(lines))
                while cut < len(lines) and lines[cut].startswith(" "):
                    cut += 1  # nor inside an entry's indented lines
                path.write_text(
                    "\n".join([*lines[:cut], "", text, "", *lines[cut:]]), encoding="utf-8"
                )
        text = path.read_text(encoding="utf-8")
        fresh = Journal(root).read("T-1")
        assert fresh == journal.read("T-1")
        full = parse_document(text, path=path)
        incremental = parse_document(text, path=path, previous=previous)
        assert [tuple(b) for b in incremental.blocks] == [tuple(b) for b in full.blocks]
        previous = full
    record = Journal(root).read("T-1")
    ids = [e.id for e in record.entries]
    assert sorted(ids) == sorted(appended)
