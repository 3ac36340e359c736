"""Lint the role hierarchy and the escalation graph of a catalog.

Longer than 400 lines: the checks share one edge list, one mode list and every
node's tier, read from the graph once per run; apart they would read them again.

Every check returns `Finding` objects with a stable `Code`, the mode's file and
line (the reference's line for an edge), the slug, a message and a fix hint.

| code | severity | what it means |
|---|---|---|
| ``unknown-level`` | warning | the level names no tier; tier checks skip the mode |
| ``self-edge`` | warning | a mode delegates, escalates or reports to itself |
| ``escalation-cycle`` | warning | modes escalate to each other in a loop that has a way out |
| ``escalation-trap`` | error | a loop of escalations with no way out of it |
| ``escalates-down`` | warning | an escalation to a lower tier |
| ``delegates-up`` | warning | a delegation to a higher tier |
| ``no-escalation-path`` | warning | a worker cannot escalate, directly or not, to a lead or above |
| ``unreachable`` | warning | no executive or director can hand work to the mode |
| ``orphan`` | warning | a mode with no edge at all |
| ``report-without-delegation`` | warning | A reports to B but B does not delegate to A |

Noise rules, so that a catalog that is not a hierarchy does not drown in findings:
``unreachable`` is checked only when the catalog has at least one executive or
director (a coordinator), ``orphan`` only when the catalog has at least one edge,
and an orphan is not also reported as unreachable. Missing nodes (references that
resolve to no mode) are left to the catalog's ``dangling-reference`` check.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from modegraph._gc import gc_paused
from modegraph.findings import Code, Finding, Severity
from modegraph.modes.catalog.catalog import Catalog
from modegraph.modes.model import EdgeKind, SourceFormat
from modegraph.roles.escalation import ROUTING_KINDS, EdgeRow, EscalationGraph
from modegraph.roles.levels import Tier, level_finding

__all__ = ["lint_catalog", "lint_graph"]

_COORDINATORS = (Tier.EXECUTIVE, Tier.DIRECTOR)
_LEAD_OR_ABOVE = frozenset({Tier.EXECUTIVE, Tier.DIRECTOR, Tier.LEAD})
_FIELDS: dict[SourceFormat, dict[EdgeKind, str]] = {
    SourceFormat.ROO_MARKDOWN: {
        EdgeKind.DELEGATE: "**Delegates To:**",
        EdgeKind.ESCALATE: "**Escalates To:**",
        EdgeKind.REPORT: "**Reports To:**",
    },
    SourceFormat.ROO_TOML: {
        EdgeKind.DELEGATE: "`[metadata]` `delegate_to`",
        EdgeKind.ESCALATE: "`[metadata]` `escalate_to`",
        EdgeKind.REPORT: "`[metadata]` `reports_to`",
    },
}
"""How each format names the reference lists, where it differs from the field names."""
_NO_REFERENCES = {
    SourceFormat.ROOMODES: "Roo Code",
    SourceFormat.CLAUDE: "Claude Code agent",
}
"""Formats that cannot declare references at all."""


def _hint(graph: EscalationGraph, slug: str, template: str) -> str:
    """A fix hint in the words of `slug`'s file format.

    `template` names the lists as `{delegate}`, `{escalate}` and `{report}`; for a
    format that cannot hold references, the hint says so and how to convert.
    """
    mode = graph.catalog.get(slug)
    fmt = mode.source.format if mode is not None else SourceFormat.ROO_MARKDOWN
    if fmt in _NO_REFERENCES:
        path = mode.source.path if mode is not None and mode.source.path else "FILE"
        return (
            f"{_NO_REFERENCES[fmt]} files cannot declare references (`{slug}` is in one); "
            f"convert it to Markdown or YAML with `modegraph modes convert {path} "
            "--to markdown -o DIR` and edit the copy, then load that instead"
        )
    if fmt in (SourceFormat.YAML, SourceFormat.TOML):
        names = {kind: f"`{field}`" for kind, field in zip(EdgeKind, _FIELD_NAMES, strict=True)}
    else:  # Roo Commander formats; modes built in Python read as Markdown ones
        names = _FIELDS.get(fmt, _FIELDS[SourceFormat.ROO_MARKDOWN])
    return template.format(
        delegate=names[EdgeKind.DELEGATE],
        escalate=names[EdgeKind.ESCALATE],
        report=names[EdgeKind.REPORT],
    )


_FIELD_NAMES = ("delegates_to", "escalates_to", "reports_to")
_PLACEHOLDER = {
    EdgeKind.DELEGATE: "{delegate}",
    EdgeKind.ESCALATE: "{escalate}",
    EdgeKind.REPORT: "{report}",
}


def lint_catalog(catalog: Catalog) -> list[Finding]:
    """Every hierarchy and escalation-graph finding of a catalog, sorted by file and line.

    Loading findings (`Catalog.findings`) are not repeated here.
    """
    return lint_graph(EscalationGraph.from_catalog(catalog))


def lint_graph(graph: EscalationGraph) -> list[Finding]:
    """Every hierarchy and escalation-graph finding of a built graph, sorted."""
    with gc_paused():
        return _lint_graph(graph)


def _lint_graph(graph: EscalationGraph) -> list[Finding]:
    edges = graph.edge_rows()  # read once: every check filters this list
    # one pass over the nodes: every node's tier, the modes in graph order, and those
    # whose level names no tier (the level parsed at the build; the Mode read only then)
    tiers: dict[str, Tier] = {}
    modes: list[str] = []
    unknown: list[str] = []
    for slug, data in graph.graph.nodes(data=True):
        tiers[slug] = data["tier"]
        if not data["missing"]:
            modes.append(slug)
            if not data["level"].known:
                unknown.append(slug)
    findings: list[Finding] = []
    findings.extend(_unknown_levels(graph, unknown))
    findings.extend(_self_edges(graph, edges))
    findings.extend(_cycles(graph, edges, modes))
    findings.extend(_tier_direction(graph, edges, tiers))
    findings.extend(_no_escalation_path(graph, edges, modes, tiers))
    orphans = _orphans(graph, modes)
    findings.extend(orphans)
    findings.extend(_unreachable(graph, edges, modes, tiers, skip={f.slug for f in orphans}))
    findings.extend(_reports_without_delegation(graph, edges))
    return sorted(findings, key=_sort_key)


def _of_kind(edges: list[EdgeRow], *kinds: EdgeKind) -> Iterable[EdgeRow]:
    return (edge for edge in edges if edge.kind in kinds)


def _sort_key(finding: Finding) -> tuple[str, int, str, str]:
    return (finding.path or "", finding.line or 0, finding.code.value, finding.slug or "")


def _finding(
    graph: EscalationGraph,
    slug: str,
    code: Code,
    severity: Severity,
    message: str,
    hint: str,
    line: int | None = None,
) -> Finding:
    """A finding about `slug`, placed at `line` or else at the mode's own line."""
    node = graph.graph.nodes[slug]
    return Finding(
        path=node["path"],
        line=line or node["line"],
        code=code,
        severity=severity,
        message=message,
        hint=hint,
        slug=slug,
    )


def _edge_finding(
    graph: EscalationGraph, edge: EdgeRow, code: Code, severity: Severity, message: str, hint: str
) -> Finding:
    return _finding(graph, edge.source, code, severity, message, hint, edge.line)


def _unknown_levels(graph: EscalationGraph, unknown: list[str]) -> Iterable[Finding]:
    for slug in unknown:
        mode = graph.catalog.get(slug)
        if mode is None:
            continue
        finding = level_finding(mode, graph.graph.nodes[slug]["level"])
        if finding is not None:
            yield finding


def _self_edges(graph: EscalationGraph, edges: list[EdgeRow]) -> Iterable[Finding]:
    for edge in edges:
        if edge.source == edge.target:
            yield _edge_finding(
                graph,
                edge,
                Code.SELF_EDGE,
                Severity.WARNING,
                f"mode {edge.source!r} {edge.kind.value}s to itself",
                _hint(
                    graph,
                    edge.source,
                    f"remove `{edge.source}` from its own {_PLACEHOLDER[edge.kind]} list",
                ),
            )


def _loops(modes: list[str], edges: list[EdgeRow]) -> Iterator[set[str]]:
    """The strongly connected sets of two modes or more along escalate edges.

    Tarjan's algorithm on plain lists (iterative: a chain of 10,000 escalations is
    fine), the sets `networkx.strongly_connected_components` finds, without building a
    networkx graph of the escalations (about 10% of lint at 10,000 modes).
    """
    escalates = _escalations(edges)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: dict[str, int] = {}  # slug -> its place in `stack`
    for root in modes:
        if root in index or root not in escalates:
            continue  # seen, or escalates to no one: a loop of one
        index[root] = low[root] = len(index)
        on_stack[root] = len(stack)
        stack.append(root)
        work = [(root, iter(escalates[root]))]
        while work:
            slug, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    on_stack[target] = len(stack)
                    stack.append(target)
                    work.append((target, iter(escalates.get(target, ()))))
                    break
                if target in on_stack and index[target] < low[slug]:
                    low[slug] = index[target]
            else:
                work.pop()
                if work and low[slug] < low[work[-1][0]]:
                    low[work[-1][0]] = low[slug]
                if low[slug] == index[slug]:
                    members = _pop_down_to(slug, stack, on_stack)
                    if len(members) > 1:
                        yield set(members)


def _escalations(edges: list[EdgeRow]) -> dict[str, list[str]]:
    """Each mode's escalation targets (no self-edge, no missing target), in order."""
    escalates: dict[str, list[str]] = {}
    for e in _of_kind(edges, EdgeKind.ESCALATE):
        if e.source != e.target and not e.missing:
            escalates.setdefault(e.source, []).append(e.target)
    return escalates


def _pop_down_to(slug: str, stack: list[str], on_stack: dict[str, int]) -> list[str]:
    """Take `slug` and everything above it off Tarjan's stack."""
    members = stack[on_stack[slug] :]
    del stack[on_stack[slug] :]
    for member in members:
        del on_stack[member]
    return members


def _cycles(graph: EscalationGraph, edges: list[EdgeRow], modes: list[str]) -> Iterable[Finding]:
    order = {slug: index for index, slug in enumerate(graph.slugs)}
    for component in _loops(modes, edges):
        members = sorted(component, key=order.__getitem__)
        exits = [
            e
            for slug in members
            for e in graph.targets(slug, (EdgeKind.ESCALATE,))
            if e.target not in component and not e.missing
        ]
        at_top = any(graph.tier(slug) is Tier.EXECUTIVE for slug in members)
        loop = " -> ".join([*members, members[0]]) if len(members) == 2 else ", ".join(members)
        if exits or at_top:
            way_out = f"{exits[0].source} -> {exits[0].target}" if exits else "the executive"
            yield _finding(
                graph,
                members[0],
                Code.ESCALATION_CYCLE,
                Severity.WARNING,
                f"modes escalate to each other in a loop ({loop}); the way out is {way_out}",
                "make escalation go one way: to a higher tier or a specialist, not back",
            )
        else:
            yield _finding(
                graph,
                members[0],
                Code.ESCALATION_TRAP,
                Severity.ERROR,
                f"escalation trap: modes escalate to each other in a loop ({loop}) "
                "and none of them can escalate out of it",
                "give one of them an escalation to a lead, director or executive "
                "outside the loop, or break the loop",
            )


def _tier_direction(
    graph: EscalationGraph, edges: list[EdgeRow], tiers: dict[str, Tier]
) -> Iterable[Finding]:
    for edge in edges:
        if edge.kind is EdgeKind.REPORT or edge.missing or edge.source == edge.target:
            continue
        source, target = tiers[edge.source], tiers[edge.target]
        if source is Tier.OTHER or target is Tier.OTHER or source is target:
            continue  # only ranked tiers are compared, and a tier is not below itself
        if edge.kind is EdgeKind.ESCALATE and target < source:
            yield _edge_finding(
                graph,
                edge,
                Code.ESCALATES_DOWN,
                Severity.WARNING,
                f"{edge.source!r} ({source.value}) escalates down to "
                f"{edge.target!r} ({target.value})",
                _hint(
                    graph,
                    edge.source,
                    f"move `{edge.target}` from {{escalate}} to {{delegate}}, "
                    "or escalate to a role at the same tier or above",
                ),
            )
        elif edge.kind is EdgeKind.DELEGATE and target > source:
            yield _edge_finding(
                graph,
                edge,
                Code.DELEGATES_UP,
                Severity.WARNING,
                f"{edge.source!r} ({source.value}) delegates up to "
                f"{edge.target!r} ({target.value})",
                _hint(
                    graph,
                    edge.source,
                    f"move `{edge.target}` from {{delegate}} to {{escalate}} or {{report}}",
                ),
            )


def _no_escalation_path(
    graph: EscalationGraph, edges: list[EdgeRow], modes: list[str], tiers: dict[str, Tier]
) -> Iterable[Finding]:
    # One backward search from all the leads-or-above at once along escalate edges
    # finds every mode that can escalate (directly or not) to one: linear in the graph.
    escalating: dict[str, list[str]] = {}  # target -> the modes that escalate to it
    for e in _of_kind(edges, EdgeKind.ESCALATE):
        if not e.missing:
            escalating.setdefault(e.target, []).append(e.source)
    can_escalate = {s for s in modes if tiers[s] in _LEAD_OR_ABOVE}
    waiting = list(can_escalate)
    while waiting:
        for source in escalating.get(waiting.pop(), ()):
            if source not in can_escalate:
                can_escalate.add(source)
                waiting.append(source)
    for slug in modes:
        if tiers[slug] is not Tier.WORKER or slug in can_escalate:
            continue
        direct = [e.target for e in graph.targets(slug, (EdgeKind.ESCALATE,))]
        why = (
            f"its escalations ({', '.join(direct)}) never reach a lead or above"
            if direct
            else "it escalates to no one"
        )
        yield _finding(
            graph,
            slug,
            Code.NO_ESCALATION_PATH,
            Severity.WARNING,
            f"worker {slug!r} has no escalation path to a lead or above: {why}",
            _hint(graph, slug, "add its lead (or a director) to its {escalate} list"),
        )


def _orphans(graph: EscalationGraph, modes: list[str]) -> list[Finding]:
    if graph.graph.number_of_edges() == 0:
        return []  # a flat catalog (Roo Code, Claude Code): no hierarchy to be outside of
    found = []
    successors, predecessors = graph.graph.succ, graph.graph.pred
    for slug in modes:
        if any(other != slug for other in successors[slug]) or any(
            other != slug for other in predecessors[slug]
        ):
            continue  # an edge to or from another node
        found.append(
            _finding(
                graph,
                slug,
                Code.ORPHAN,
                Severity.WARNING,
                f"mode {slug!r} has no edges: nobody delegates or escalates to it, "
                "and it names no one",
                _hint(
                    graph,
                    slug,
                    "add it to a lead's {delegate} list and give it {escalate} "
                    "and {report} entries",
                ),
            )
        )
    return found


def _unreachable(
    graph: EscalationGraph,
    edges: list[EdgeRow],
    modes: list[str],
    tiers: dict[str, Tier],
    *,
    skip: set[str | None],
) -> Iterable[Finding]:
    roots = [slug for slug in modes if tiers[slug] in _COORDINATORS]
    if not roots:
        return  # no coordinator in the catalog: nothing to be reachable from
    handoffs: dict[str, list[str]] = {}  # one search from every root: what graph.reachable finds
    for edge in _of_kind(edges, *ROUTING_KINDS):
        handoffs.setdefault(edge.source, []).append(edge.target)
    reached, waiting = set(roots), list(roots)
    while waiting:
        for target in handoffs.get(waiting.pop(), ()):
            if target not in reached:
                reached.add(target)
                waiting.append(target)
    root_names = ", ".join(roots[:3]) + (", ..." if len(roots) > 3 else "")
    for slug in modes:
        if slug in reached or slug in skip:
            continue
        yield _finding(
            graph,
            slug,
            Code.UNREACHABLE,
            Severity.WARNING,
            f"no executive or director ({root_names}) can hand work to {slug!r} "
            "along delegate or escalate edges",
            f"add `{slug}` to the delegates list of its lead or director "
            "(**Delegates To:** in Markdown, `delegates_to` in YAML)",
        )


def _reports_without_delegation(graph: EscalationGraph, edges: list[EdgeRow]) -> Iterable[Finding]:
    for edge in _of_kind(edges, EdgeKind.REPORT):
        if edge.missing or edge.source == edge.target:
            continue
        if graph.graph.has_edge(edge.target, edge.source, key=EdgeKind.DELEGATE.value):
            continue
        yield _edge_finding(
            graph,
            edge,
            Code.REPORT_WITHOUT_DELEGATION,
            Severity.WARNING,
            f"{edge.source!r} reports to {edge.target!r}, but {edge.target!r} "
            f"does not delegate to {edge.source!r}",
            _hint(
                graph,
                edge.target,
                f"add `{edge.source}` to the {{delegate}} list of `{edge.target}`, "
                "or drop the report",
            ),
        )
