"""The orchestrator role: coordination for catalogs that declare no edges.

Roo Code's built-in Orchestrator may `new_task` any mode, and Claude Code's main
thread may call any subagent, picking it by its `description`. modegraph does the
same with a role of slug `orchestrator`: it may hand work to every mode of the
catalog, and every mode reports back to it. The role is built in, with text
written here that describes coordination only, so its own profile covers no
specialty: it keeps nothing a role could take. A catalog mode with the slug
`orchestrator` takes its place (as a Roo Code project mode overrides a built-in
one): its own text is used, and it gets the same edges.

When the orchestrator is used (the entry rule, in `modegraph.roles.coordination`)
it is added to the catalog itself, so `modes`, `graph`, `route` and `run` all see
the same role. Its edges carry `Reference.implied_by` = `BUILT_IN_WHY`; it comes
from layer `built-in`, with no file.
"""

from __future__ import annotations

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.catalog.catalog import Catalog
from modegraph.modes.model import Mode, Reference, SourceFormat, SourceInfo

__all__ = [
    "BUILT_IN_LAYER",
    "BUILT_IN_WHY",
    "ORCHESTRATOR_SLUG",
    "builtin_orchestrator",
    "is_builtin_orchestrator",
    "with_orchestrator",
]

ORCHESTRATOR_SLUG = "orchestrator"
"""The orchestrator role's slug (Roo Code's built-in Orchestrator has the same one)."""

BUILT_IN_LAYER = "built-in"
"""`SourceInfo.layer` of the built-in orchestrator: no file, below every catalog layer."""

BUILT_IN_WHY = "the orchestrator role"
"""`Reference.implied_by` of the orchestrator's edges (to every mode, and back)."""

_ROLE = "You are the Orchestrator. You coordinate; you do no specialist work yourself."

_INSTRUCTIONS = """\
You are modegraph's built-in orchestrator. The catalog you coordinate declares no
delegate or escalate edges, so you may hand work to every role, and every role
reports back to you (as Roo Code's Orchestrator does with `new_task`, and Claude
Code's main thread with its subagents).

1. Split the goal into its parts.
2. Hand each part to the role whose description (when to use it) fits that part
   best, by its slug. Give the role what it needs to know.
3. Do no part yourself: you have no specialty. When no role fits a part, do not
   do it and do not pretend it was done: report it as not covered, naming the
   part.
4. When the results come back, integrate them: say what each role did, and what
   was not covered.
"""


def builtin_orchestrator(slugs: list[str]) -> Mode:
    """The built-in orchestrator, delegating to each of `slugs`.

    Its profile (name, role definition) names no specialty; what it should do is in
    its custom instructions, which routing does not score.
    """
    return Mode(
        slug=ORCHESTRATOR_SLUG,
        name="Orchestrator",
        emoji="🧭",
        level="executive",
        role_definition=_ROLE,
        custom_instructions=_INSTRUCTIONS,
        delegates_to=tuple(
            Reference(slug=slug, implied_by=BUILT_IN_WHY)
            for slug in slugs
            if slug != ORCHESTRATOR_SLUG
        ),
        source=SourceInfo(format=SourceFormat.PYTHON, layer=BUILT_IN_LAYER),
    )


def is_builtin_orchestrator(mode: Mode) -> bool:
    """True for the built-in orchestrator (a coordination-only role: it covers nothing).

    An agent may use this to report every clause the role keeps as uncovered.
    """
    return mode.slug == ORCHESTRATOR_SLUG and mode.source.layer == BUILT_IN_LAYER


def with_orchestrator(catalog: Catalog, *, why: str) -> Catalog:
    """`catalog` with the orchestrator role: it may hand work to every mode, all report to it.

    The catalog's own `orchestrator` mode plays the role when there is one (it keeps
    its text and its declared edges, and gets a delegate edge to every other mode);
    otherwise the built-in one is added first. Either way every other mode gets a
    report edge back to it, and one `built-in-orchestrator` info finding says why.
    Calling it on a catalog that has the role already changes nothing.

    Args:
        catalog: The catalog (with implied edges, when they are wanted).
        why: Why the orchestrator is used, in a few words, for the finding.
    """
    own = catalog.get(ORCHESTRATOR_SLUG)
    if own is not None and any(r.implied_by == BUILT_IN_WHY for r in own.delegates_to):
        return catalog
    others = [slug for slug in catalog.slugs if slug != ORCHESTRATOR_SLUG]
    if own is None:
        role = builtin_orchestrator(others)
        where = "built in"
    else:
        declared = {catalog.resolve(r.slug) or r.slug for r in own.delegates_to}
        more = tuple(
            Reference(slug=slug, implied_by=BUILT_IN_WHY) for slug in others if slug not in declared
        )
        role = own.model_copy(update={"delegates_to": (*own.delegates_to, *more)})
        where = f"the catalog's own mode {_where(own)}, in place of the built-in one"
    back = Reference(slug=ORCHESTRATOR_SLUG, implied_by=BUILT_IN_WHY)
    modes = [role] if own is None else []
    for mode in catalog:
        if mode.slug == ORCHESTRATOR_SLUG:
            modes.append(role)
        elif any(r.slug == ORCHESTRATOR_SLUG for r in mode.reports_to):
            modes.append(mode)
        else:
            modes.append(mode.model_copy(update={"reports_to": (*mode.reports_to, back)}))
    finding = Finding(
        path=None if own is None else own.source.path,
        line=None if own is None else own.source.line,
        code=Code.BUILT_IN_ORCHESTRATOR,
        severity=Severity.INFO,
        message=f"the orchestrator role ({where}) coordinates: it may hand work to all "
        f"{len(others)} other roles, and each reports back to it ({why})",
        hint="declare delegate/escalate edges (or name the roles in a coordinator's "
        "instructions) to route along your own hierarchy; `--mode SLUG` enters another role",
        slug=ORCHESTRATOR_SLUG,
    )
    return catalog.derived(modes, findings=[finding])


def _where(mode: Mode) -> str:
    path = mode.source.path or "<python>"
    return f"{path}:{mode.source.line}" if mode.source.line is not None else path
