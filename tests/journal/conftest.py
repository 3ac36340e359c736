"""Fixtures for the journal tests: a journal in a temporary directory with a fake clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from modegraph.journal import Journal

START = datetime(2026, 11, 27, 9, 15, 0, tzinfo=UTC)


def ticking_clock(
    start: datetime = START, step: timedelta = timedelta(seconds=1)
) -> Callable[[], datetime]:
    """A clock that moves on by ``step`` at every call."""
    now = [start]

    def clock() -> datetime:
        current = now[0]
        now[0] = current + step
        return current

    return clock


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return Journal(tmp_path / "project_journal", clock=ticking_clock(), durable=False)
