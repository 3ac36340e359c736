"""The public API of modegraph.modes is exactly what its `__all__` lists."""

import modegraph.modes as modes


def test_all_lists_every_public_name_and_nothing_else() -> None:
    # the names load on first use (PEP 562), so look at what dir() and getattr() give
    public = {
        name
        for name in dir(modes)
        if not name.startswith("_") and not isinstance(getattr(modes, name), type(modes))
    }
    assert public == set(modes.__all__)
    assert len(modes.__all__) == len(set(modes.__all__))


def test_modes_package_does_not_import_langgraph() -> None:
    import subprocess
    import sys

    code = "import sys, modegraph.modes; print(any(m.startswith('lang') for m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
