"""`gc_paused`: the cycle collector is off inside, back to what it was after."""

from __future__ import annotations

import gc
import weakref

import pytest

from modegraph._gc import PROMOTE_FROM, command_line_process, gc_paused


@pytest.fixture(autouse=True)
def _nothing_frozen() -> None:
    """Importing `modegraph.cli` freezes what its imports made (in this test process
    too): each test starts with nothing frozen, as a library user's process does."""
    gc.unfreeze()


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


def test_what_the_block_made_and_kept_goes_to_the_oldest_generation() -> None:
    gc.collect()
    with gc_paused():
        kept = [[index] for index in range(PROMOTE_FROM)]
    assert gc.get_count()[0] < 100  # no young collection waits to walk the block's lists
    oldest = {id(item) for item in gc.get_objects(generation=2)}
    assert all(id(item) in oldest for item in kept)


def test_a_cycle_dropped_inside_is_still_freed_by_a_collection() -> None:
    class Node:
        other: object = None

    with gc_paused():
        kept = [[index] for index in range(PROMOTE_FROM)]  # a block big enough to promote
        first, second = Node(), Node()
        first.other, second.other = second, first
        watch = weakref.ref(first)
        del first, second
    assert watch() is not None  # a cycle: reference counting cannot free it
    assert id(kept[0]) in {id(item) for item in gc.get_objects(generation=2)}
    gc.collect()
    assert watch() is None


def test_objects_frozen_by_the_process_stay_frozen() -> None:
    gc.collect()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            _made = [[index] for index in range(PROMOTE_FROM)]
        assert gc.get_freeze_count() == frozen  # not thawed into the oldest generation
    finally:
        gc.unfreeze()


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


def test_an_error_inside_leaves_the_objects_young() -> None:
    gc.collect()
    made: list[list[int]] = []
    with pytest.raises(ValueError), gc_paused():
        made.extend([index] for index in range(PROMOTE_FROM))
        raise ValueError("boom")
    oldest = {id(item) for item in gc.get_objects(generation=2)}
    assert not any(id(item) in oldest for item in made)  # young, or one collection older


def test_a_small_block_leaves_its_objects_young() -> None:
    gc.collect()
    with gc_paused():
        made = [[index] for index in range(100)]
    oldest = {id(item) for item in gc.get_objects(generation=2)}
    assert not any(id(item) in oldest for item in made)


def test_only_the_command_lines_own_process_counts_as_one() -> None:
    # The test run imports the command line and runs its commands again and again:
    # no command may freeze what it made here (a frozen cycle is never collected).
    assert not command_line_process()
