"""`gc_paused`: the cycle collector is off inside, back to what it was after."""

from __future__ import annotations

import gc

import pytest

from modegraph._gc import command_line_process, gc_paused


def test_the_collector_is_paused_inside_and_restored_after_even_when_nested() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block leaves the outer one's pause
    assert gc.isenabled()


def test_an_error_inside_restores_the_collector() -> None:
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_freeze_moves_what_is_alive_out_of_the_collectors_sight_only_when_asked() -> None:
    gc.unfreeze()  # whatever an earlier import froze, so the counts below are this test's
    try:
        with gc_paused():
            kept = [[] for _ in range(100)]
        assert gc.get_freeze_count() == 0  # not asked: nothing frozen
        with gc_paused(freeze=True):
            kept.append([])
            with gc_paused(freeze=True):
                pass
            assert gc.get_freeze_count() == 0  # the inner block leaves it to the outer one
        assert gc.get_freeze_count() >= len(kept)
        assert gc.isenabled()
    finally:
        gc.unfreeze()


def test_only_the_command_lines_own_process_counts_as_one() -> None:
    # The test run imports the command line and runs its commands again and again:
    # no command may freeze what it made here (a frozen cycle is never collected).
    assert not command_line_process()
