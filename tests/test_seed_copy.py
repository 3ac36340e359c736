"""The tests read a copy of the seed mode file; it must be the shared seed, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

COPY = Path(__file__).resolve().parent / "data" / "000_fcc372a2e7cd4ede.txt"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / COPY.name


def test_the_copy_is_the_shared_seed() -> None:
    if not SHARED.is_file():
        pytest.skip(f"no shared seed beside the checkout ({SHARED}) to compare the copy with")
    assert COPY.read_bytes() == SHARED.read_bytes()


def test_the_copy_keeps_its_mojibake() -> None:
    # The seed must load "exactly as it is": the copy is never repaired on disk.
    assert "ðŸš€".encode() in COPY.read_bytes()
