"""`modegraph.roles` exports exactly its curated public API."""

from __future__ import annotations

import modegraph.roles as roles
import modegraph.roles.render as render


def test_all_lists_every_public_name() -> None:
    for module in (roles, render):
        for name in module.__all__:  # `modegraph.roles` imports its names on first use
            getattr(module, name)
        public = {
            name
            for name, value in vars(module).items()
            if not name.startswith("_")
            and not isinstance(value, type(roles))
            and name != "annotations"
            and (
                getattr(value, "__module__", None) is None
                or value.__module__.startswith(module.__name__)
            )
        }
        assert public == set(module.__all__), module.__name__
        assert all(hasattr(module, name) for name in module.__all__)


def test_roles_never_import_langgraph() -> None:
    import subprocess
    import sys

    code = (
        "import sys, modegraph.roles, modegraph.roles.render, modegraph.roles.lint\n"
        "heavy = ('langgraph', 'langchain_core', 'langchain')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
