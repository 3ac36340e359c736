"""A catalog: the modes of one project, looked up by slug, with references resolved."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from modegraph.errors import CatalogError
from modegraph.findings import Code, Finding, Severity
from modegraph.modes.catalog.resolution import Resolution, ResolutionRule, Resolver, stem_candidates
from modegraph.modes.model import EdgeKind, Mode, Reference

__all__ = ["Catalog", "SourceReport"]


@dataclass(frozen=True)
class SourceReport:
    """One place a catalog looked for modes, and what it found there."""

    layer: str
    """`bundled`, `user`, `project` or `explicit`."""
    path: str
    """The file or folder."""
    label: str
    """What it is: `Claude Code project agents`, `Roo Code global modes`, `--modes`, ..."""
    exists: bool
    """Whether the path exists."""
    modes: int
    """Modes taken from it (after files met in a lower layer were left out)."""
    errors: int = 0
    """Error findings met while reading it."""


_RULE_WORDS = {
    ResolutionRule.FILE_STEM: "as a Roo Commander file stem",
    ResolutionRule.LEVEL: "as the level id only that mode holds",
    ResolutionRule.ALIAS: "through the alias table",
}


class Catalog:
    """The modes of one project, keyed by slug.

    Later modes with the same slug override earlier ones (as Roo Code's project
    modes override global ones); `overrides` records each override. A reference
    resolves by exact slug, then Roo Commander file stem, then a level id held by
    one mode, then the alias table (`resolve_reference`); `reference_findings`
    reports every reference that needed a rule or that names nothing.
    `modegraph.modes.load_catalog` builds a catalog from its layers of files.
    """

    def __init__(
        self,
        modes: Iterable[Mode],
        *,
        findings: Iterable[Finding] = (),
        aliases: Mapping[str, str] | None = None,
        sources: Iterable[SourceReport] = (),
        bundled: bool | None = None,
        project_root: str | None = None,
    ) -> None:
        self._modes: dict[str, Mode] = {}
        self.overrides: list[tuple[Mode, Mode]] = []
        """Pairs (overridden, overriding) in load order."""
        for mode in modes:
            previous = self._modes.get(mode.slug)
            if previous is not None:
                self.overrides.append((previous, mode))
            self._modes[mode.slug] = mode
        self.findings: list[Finding] = list(findings)
        """Findings met while loading the catalog."""
        self.aliases: dict[str, str] = dict(aliases or {})
        """Alias table: old name -> slug."""
        self.sources: tuple[SourceReport, ...] = tuple(sources)
        """Every place the catalog looked for modes, lowest layer first (empty when the
        catalog was built from modes directly)."""
        self.bundled: bool | None = bundled
        """Whether the bundled library is a layer (None: not built by `load_catalog`)."""
        self.project_root: str | None = project_root
        """The project root the catalog was discovered from, when it was."""
        self._resolver_cache: tuple[tuple[tuple[str, str], ...], Resolver] | None = None

    def derived(self, modes: Iterable[Mode], *, findings: Iterable[Finding] = ()) -> Catalog:
        """A catalog of `modes` (the same slugs, changed) that keeps this one's history.

        The overrides, aliases, sources, bundled flag and project root carry over;
        `findings` are added to this catalog's. Used to add implied edges and the
        orchestrator role without losing what loading found.
        """
        made = Catalog(
            modes,
            findings=[*self.findings, *findings],
            aliases=self.aliases,
            sources=self.sources,
            bundled=self.bundled,
            project_root=self.project_root,
        )
        made.overrides = [*self.overrides, *made.overrides]
        return made

    def __iter__(self) -> Iterator[Mode]:
        return iter(self._modes.values())

    def __len__(self) -> int:
        return len(self._modes)

    def __contains__(self, slug: object) -> bool:
        return slug in self._modes

    @property
    def slugs(self) -> list[str]:
        """Every slug, in load order."""
        return list(self._modes)

    def get(self, slug: str) -> Mode | None:
        """The mode with this slug, or None."""
        return self._modes.get(slug)

    def __getitem__(self, slug: str) -> Mode:
        mode = self._modes.get(slug)
        if mode is None:
            raise CatalogError(
                f"no mode with slug {slug!r}; run `modegraph modes list` to see the slugs"
            )
        return mode

    def looked_in(self) -> str:
        """Where the catalog looked for modes, one `layer: place (what)` per line.

        For the error a catalog with no modes gives: each place with what it held
        (`3 modes`, `empty`, `not there`), so a person sees where to put mode files.
        """
        lines = []
        for source in self.sources:
            if not source.exists:
                found = "not there"
            elif source.modes:
                found = f"{source.modes} mode{'' if source.modes == 1 else 's'}"
            else:
                found = "no modes"
            if source.errors:
                found += f", {source.errors} error{'' if source.errors == 1 else 's'}"
            lines.append(f"  {source.layer}: {source.path} ({source.label}: {found})")
        return "\n".join(lines)

    def resolve(self, name: str) -> str | None:
        """The slug a reference names, or None when it resolves to nothing."""
        return self.resolve_reference(name).slug

    def resolve_reference(self, name: str) -> Resolution:
        """Resolve a reference: exact slug, file stem, unique level id, then alias."""
        return self._resolver().resolve(name)

    def level_holders(self, level: str) -> list[str]:
        """The slugs of the modes that hold a level id (`010-director` -> two directors)."""
        return self._resolver().level_holders(level)

    def suggestions(self, name: str, *, limit: int = 3) -> list[str]:
        """Slugs that look like `name`, best first (for "did you mean").

        Slugs holding `name` as a whole word part come first (`fastapi` ->
        `fastapi-developer`), then close spellings (difflib) of the name and of the
        slugs a file stem may stand for.
        """
        words = [name, *stem_candidates(name)[:-1]]  # a stem's last word alone is too loose
        needle = name.strip().lower()
        found: list[str] = []
        if len(needle) >= 3:
            found.extend(slug for slug in self.slugs if needle in slug.lower().split("-"))
            found.extend(
                slug for slug in self.slugs if needle in slug.lower() and slug not in found
            )
        for word in words:
            for slug in difflib.get_close_matches(word.lower(), self.slugs, n=limit, cutoff=0.7):
                if slug not in found:
                    found.append(slug)
        return found[:limit]

    def reference_findings(self) -> list[Finding]:
        """A finding for every reference that is not an exact slug.

        `resolved-by-rule` (info) when a rule found the target,
        `dangling-reference` (warning, with suggestions) when nothing did.
        """
        findings: list[Finding] = []
        for mode in self._modes.values():
            for kind in EdgeKind:
                for ref in mode.references(kind):
                    finding = self._reference_finding(mode, kind, ref)
                    if finding is not None:
                        findings.append(finding)
        return findings

    def _reference_finding(self, mode: Mode, kind: EdgeKind, ref: Reference) -> Finding | None:
        found = self.resolve_reference(ref.slug)
        if found.rule is ResolutionRule.EXACT:
            return None
        path = mode.source.path
        line = ref.line if ref.line is not None else mode.source.line
        field = f"{kind.value} reference"
        if found.slug is not None:
            how = _RULE_WORDS[found.rule]
            return Finding(
                path=path,
                line=line,
                code=Code.RESOLVED_BY_RULE,
                severity=Severity.INFO,
                message=f"{field} {ref.slug!r} resolves to {found.slug!r} {how}",
                hint=f"write the slug {found.slug!r} to make the reference exact",
                slug=mode.slug,
            )
        holders = self._resolver().level_holders(ref.slug)
        close = self.suggestions(ref.slug)
        if len(holders) > 1:
            hint = f"several modes hold this level ({', '.join(holders)}); name one of them"
        elif close:
            hint = f"did you mean {' or '.join(repr(slug) for slug in close)}?"
        else:
            hint = (
                "add a mode with this slug, fix the reference, or map it with "
                "`aliases:` in modegraph.yaml (or `--alias old=new`)"
            )
        return Finding(
            path=path,
            line=line,
            code=Code.DANGLING_REFERENCE,
            severity=Severity.WARNING,
            message=f"{field} {ref.slug!r} names no mode in the catalog",
            hint=hint,
            slug=mode.slug,
        )

    def _resolver(self) -> Resolver:
        key = tuple(sorted(self.aliases.items()))
        if self._resolver_cache is None or self._resolver_cache[0] != key:
            resolver = Resolver(
                slugs=self._modes.keys(),
                levels={slug: mode.level for slug, mode in self._modes.items()},
                aliases=dict(self.aliases),
            )
            self._resolver_cache = (key, resolver)
        return self._resolver_cache[1]
