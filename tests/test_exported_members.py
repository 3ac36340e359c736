"""The public API is exactly what `__all__` lists."""

import modegraph


def test_all_lists_every_public_name() -> None:
    public = {
        name
        for name, value in vars(modegraph).items()
        if not name.startswith("_")
        and not getattr(value, "__module__", "").endswith("__init__")
        and not isinstance(value, type(modegraph))
    }
    assert public <= set(modegraph.__all__)
    for name in modegraph.__all__:
        assert hasattr(modegraph, name), name


def test_all_is_sorted_within_reason() -> None:
    assert len(modegraph.__all__) == len(set(modegraph.__all__))
