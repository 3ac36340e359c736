"""`gc_paused`: the cycle collector is off inside, back to what it was after."""

from __future__ import annotations

import gc

import pytest

from modegraph._gc import gc_paused


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
