"""A catalog: the modes of one project, looked up by slug, with references resolved."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from modegraph.errors import CatalogError
from modegraph.findings import Finding
from modegraph.modes.model import Mode

__all__ = ["Catalog"]


class Catalog:
    """The modes of one project, keyed by slug.

    Later modes with the same slug override earlier ones (as Roo Code's project
    modes override global ones); `overrides` records each override.
    """

    def __init__(
        self,
        modes: Iterable[Mode],
        *,
        findings: Iterable[Finding] = (),
        aliases: Mapping[str, str] | None = None,
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

    def resolve(self, name: str) -> str | None:
        """The slug a reference names, or None when it resolves to nothing."""
        if name in self._modes:
            return name
        alias = self.aliases.get(name)
        if alias is not None and alias in self._modes:
            return alias
        return None
