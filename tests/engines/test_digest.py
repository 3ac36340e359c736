"""`catalog_digest` names exactly what a run sees of a catalog, nothing else."""

from __future__ import annotations

from modegraph.engines import catalog_digest
from modegraph.modes.catalog import Catalog
from modegraph.modes.model import Mode, Reference, SourceInfo


def _mode(slug: str, *, description: str = "does things", path: str | None = None) -> Mode:
    return Mode(
        slug=slug,
        name=slug.title(),
        description=description,
        delegates_to=(Reference(slug="b"),) if slug == "a" else (),
        source=SourceInfo(path=path, line=1),
    )


def test_the_digest_is_short_and_stable() -> None:
    digest = catalog_digest(Catalog([_mode("a"), _mode("b")]))
    assert digest.startswith("sha256:")
    assert len(digest) == len("sha256:") + 16
    assert digest == catalog_digest(Catalog([_mode("a"), _mode("b")]))


def test_where_the_files_live_does_not_change_it() -> None:
    here = Catalog([_mode("a", path="/home/me/modes/a.md"), _mode("b", path="b.md")])
    there = Catalog([_mode("a", path="/srv/worker/a.md"), _mode("b", path=None)])
    assert catalog_digest(here) == catalog_digest(there)


def test_content_order_and_aliases_change_it() -> None:
    base = catalog_digest(Catalog([_mode("a"), _mode("b")]))
    assert catalog_digest(Catalog([_mode("a", description="other"), _mode("b")])) != base
    assert catalog_digest(Catalog([_mode("b"), _mode("a")])) != base
    assert catalog_digest(Catalog([_mode("a"), _mode("b")], aliases={"x": "b"})) != base
