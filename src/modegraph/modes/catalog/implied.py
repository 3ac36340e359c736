"""Implied edges: a mode whose own text says it hands work to named slugs.

Roo Code and Claude Code files cannot declare references, so their coordinators
say it in prose. Three shapes are read, and nothing else:

1. **A list after a handoff phrase.** A line that names a handoff (`new_task`,
   `switch_mode`, delegate, assign, hand off/over, dispatch, route, "available
   modes") and ends with a colon, followed by list items (`-`, `*`, `+`, `•`,
   `1.`). Each item gives its leading slug: a backticked `slug`, or an item that
   is one bare slug (`- spec-pseudocode`), or a bare leading word that is a slug
   of the catalog (`- code – implement features`). Slugs written inline after the
   colon count too (``Use `new_task` to assign: `code`, `tdd` ``).
2. **A handoff sentence.** A handoff verb, then `to`, then backticked slugs in
   the same sentence: ``delegate immediately to `project-onboarding` ``,
   ``delegate analysis to `complex-problem-solver` ``, ``delegating the update to a
   relevant specialist (e.g., `technical-writer`)``. `escalate ... to` gives an
   escalate edge; every other verb a delegate edge.
3. **A tool call example.** ``<new_task><mode>slug</mode>`` or
   ``<switch_mode><mode_slug>slug</mode_slug>``.

A list of slugs with no handoff phrase before it (a guide for people, such as
Roo Code's `ask` mode) implies nothing. Each implied edge becomes a reference with
`Reference.implied_by` set, and an `implied-edge` info finding that names the file
and line it came from; a slug that names no mode of the catalog is an
`implied-target-missing` warning instead (never a crash). `--edges declared`
leaves all of this out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.catalog._edge_mode import EdgeMode
from modegraph.modes.catalog.catalog import Catalog
from modegraph.modes.model import EdgeKind, Mode, Reference

__all__ = ["EdgeMode", "ImpliedEdge", "implied_edges", "with_implied_edges"]

_FIELDS: tuple[tuple[str, str], ...] = (
    ("role_definition", "role definition"),
    ("custom_instructions", "custom instructions"),
    ("description", "description"),
    ("when_to_use", "when to use"),
)
"""The fields of a mode read for handoff text, with their names in findings."""


@dataclass(frozen=True)
class ImpliedEdge:
    """One handoff a mode's own text implies."""

    source: str
    """The mode whose text says it."""
    target: str
    """The slug as written (resolved later; it may name no mode)."""
    kind: EdgeKind
    """delegate, or escalate for `escalate ... to`."""
    evidence: str
    """The handoff phrase, shortened (`Use `new_task` to assign:`)."""
    field: str
    """The field it is in, as findings name it (`custom instructions`)."""
    path: str | None = None
    """The mode's file."""
    line: int | None = None
    """The 1-based line of the slug in `path` (the mode's first line when not found)."""


def implied_edges(
    mode: Mode, *, known: frozenset[str] = frozenset(), files: _Files | None = None
) -> list[ImpliedEdge]:
    """The handoffs `mode`'s text implies, first mention first, no repeats, no self edge.

    Args:
        mode: The mode whose role definition, custom instructions, description and
            when-to-use text are read.
        known: The catalog's slugs: a bare leading word of a list item counts as a
            slug only when it is one of them.
        files: Mode files already read (a catalog reads each file once).

    Returns:
        One edge per target slug, with the line it came from when the file can be read.
    """
    from modegraph.modes.catalog._implied_text import Locator, mentions

    found: dict[str, ImpliedEdge] = {}
    for attr, field in _FIELDS:
        text = getattr(mode, attr)
        if not text:
            continue
        for target, kind, evidence in mentions(text, known):
            if target != mode.slug and target not in found:
                found[target] = ImpliedEdge(
                    source=mode.slug, target=target, kind=kind, evidence=evidence, field=field
                )
    if not found:
        return []
    lines = Locator(mode, files or _Files())
    return [
        ImpliedEdge(**{**edge.__dict__, "path": mode.source.path, "line": lines.find(edge)})
        for edge in found.values()
    ]


def with_implied_edges(catalog: Catalog) -> Catalog:
    """A catalog whose modes carry the references their texts imply, with a finding each.

    A target that is already declared (or already implied) is not added twice; a
    target that names no mode is left out of the references and reported as an
    `implied-target-missing` warning. The catalog's overrides and aliases are kept.
    """
    known = frozenset(catalog.slugs)
    files = _Files()
    modes: list[Mode] = []
    findings: list[Finding] = []
    for mode in catalog:
        if mode.delegates_to or mode.escalates_to:
            modes.append(mode)  # its file says where work goes; its prose is commentary
            continue
        declared: set[str] = set()
        added: dict[EdgeKind, list[Reference]] = {EdgeKind.DELEGATE: [], EdgeKind.ESCALATE: []}
        for edge in implied_edges(mode, known=known, files=files):
            resolved = catalog.resolve(edge.target)
            if resolved is None:
                from modegraph.modes.catalog._implied_text import LOOKS_LIKE_SLUG

                if LOOKS_LIKE_SLUG.match(edge.target):
                    findings.append(_missing(edge, catalog))
                continue
            if resolved in declared or resolved == mode.slug:
                continue
            declared.add(resolved)
            added[edge.kind].append(Reference(slug=resolved, line=edge.line, implied_by=_why(edge)))
            findings.append(_implied(edge, resolved))
        if added[EdgeKind.DELEGATE] or added[EdgeKind.ESCALATE]:
            mode = mode.model_copy(
                update={
                    "delegates_to": (*mode.delegates_to, *added[EdgeKind.DELEGATE]),
                    "escalates_to": (*mode.escalates_to, *added[EdgeKind.ESCALATE]),
                }
            )
        modes.append(mode)
    return catalog.derived(modes, findings=findings)


def _why(edge: ImpliedEdge) -> str:
    return f"its {edge.field}: {edge.evidence}"


def _implied(edge: ImpliedEdge, target: str) -> Finding:
    verb = "escalates to" if edge.kind is EdgeKind.ESCALATE else "delegates to"
    return Finding(
        path=edge.path,
        line=edge.line,
        code=Code.IMPLIED_EDGE,
        severity=Severity.INFO,
        message=f"{edge.source} {verb} {target}: implied by {_why(edge)}",
        hint="`--edges declared` leaves implied edges out; declare the edge (Markdown or "
        "YAML mode files can) to make it explicit",
        slug=edge.source,
    )


def _missing(edge: ImpliedEdge, catalog: Catalog) -> Finding:
    close = catalog.suggestions(edge.target)
    hint = (
        f"did you mean {' or '.join(repr(s) for s in close)}? " if close else ""
    ) + "add a mode with this slug, or remove it from the text"
    return Finding(
        path=edge.path,
        line=edge.line,
        code=Code.IMPLIED_TARGET_MISSING,
        severity=Severity.WARNING,
        message=f"{edge.source} hands work to {edge.target!r} in its {edge.field} "
        f"({edge.evidence}), but no mode of the catalog has that slug",
        hint=hint,
        slug=edge.source,
    )


# -- reading the files ---------------------------------------------------------


class _Files:
    """The lines of each mode file, read once per catalog."""

    def __init__(self) -> None:
        self._lines: dict[str, list[str]] = {}

    def lines(self, path: str | None) -> list[str]:
        if not path:
            return []
        found = self._lines.get(path)
        if found is None:
            try:
                text = Path(path).read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            found = self._lines[path] = text.splitlines()
        return found
