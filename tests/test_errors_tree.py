"""The exception tree drawn in `modegraph.errors`' docstring is the real class tree."""

from __future__ import annotations

import re

import modegraph
from modegraph import errors


def _drawn_tree() -> dict[str, str | None]:
    """Each class the docstring draws and the parent it is drawn under."""
    drawing = (errors.__doc__ or "").split("```\n", 2)[1]
    parents: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []
    for line in drawing.splitlines():
        found = re.match(r"^([\s│├└─]*?)(\w+)\s", line + " ")
        if found is None:
            continue
        depth = len(found.group(1))
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents[found.group(2)] = stack[-1][1] if stack else None
        stack.append((depth, found.group(2)))
    return parents


def test_the_docstring_draws_every_exception_under_its_real_parent() -> None:
    drawn = _drawn_tree()
    assert set(drawn) == set(errors.__all__)
    for name, parent in drawn.items():
        cls = getattr(errors, name)
        expected = None if parent is None else getattr(errors, parent)
        assert cls.__bases__ == ((Exception,) if expected is None else (expected,)), name


def test_every_exception_is_a_modegraph_error_and_setup_and_run_errors_stay_apart() -> None:
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, errors.ModegraphError), name
        assert not (issubclass(cls, errors.SetupError) and issubclass(cls, errors.RunError))


def test_the_top_level_errors_group_comes_from_the_tree() -> None:
    module, names = modegraph._GROUPS["errors"]
    assert module == "modegraph.errors"
    assert set(names) <= set(errors.__all__)
