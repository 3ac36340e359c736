"""Messages for `run` options whose values the coordinator refuses."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError

__all__ = ["out_of_range"]


def out_of_range(exc: ValidationError, *, flags: Mapping[str, int | None]) -> str:
    """Say which guard value is out of range, where it was set, and what is allowed.

    Args:
        exc: The `Policy` validation error.
        flags: The guard flags as given (None: not given, so a value for that guard
            came from `modegraph.yaml`'s `guards`).
    """
    from modegraph.coordinator.policy import LIMITS

    problems = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "?"
        from_yaml = name in flags and flags[name] is None
        where = f"guards.{name} in modegraph.yaml" if from_yaml else f"--{name.replace('_', '-')}"
        top = LIMITS.get(name)
        allowed = f"use a whole number from 1 to {top:,}" if top else error["msg"]
        problems.append(f"{where} {error.get('input')!r} is out of range; {allowed}")
    return "; ".join(problems)
