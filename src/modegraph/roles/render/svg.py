"""SVG through Graphviz ``dot``, with a clear error when Graphviz is not installed."""

from __future__ import annotations

import shutil
import subprocess

from modegraph.errors import SetupError
from modegraph.roles.escalation import EscalationGraph
from modegraph.roles.render.dot import render_dot

__all__ = ["render_svg"]

_TIMEOUT_SECONDS = 120


def render_svg(graph: EscalationGraph, *, notes: bool = True) -> str:
    """The graph as SVG, laid out by Graphviz ``dot`` (``notes=False``: no edge labels).

    Raises:
        SetupError: when ``dot`` is not on PATH or fails; the message names
            ``apt-get install graphviz`` and ``--format html``.
    """
    dot = shutil.which("dot")
    if dot is None:
        raise SetupError(
            "SVG needs Graphviz, and its `dot` program is not on PATH. Install it "
            "(`apt-get install graphviz`, `brew install graphviz`) or use "
            "`--format html` for a self-contained interactive page that needs nothing."
        )
    try:
        done = subprocess.run(
            [dot, "-Tsvg"],
            input=render_dot(graph, notes=notes).encode("utf-8"),
            capture_output=True,
            check=False,
            timeout=_TIMEOUT_SECONDS,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SetupError(
            f"Graphviz `dot` could not run ({exc}); check the installation "
            "(`apt-get install graphviz`) or use `--format html`."
        ) from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()
        raise SetupError(
            f"Graphviz `dot` failed (exit {done.returncode}): {detail}. Check the installation "
            "(`apt-get install graphviz`) or use `--format html`."
        )
    return done.stdout.decode("utf-8")
