"""`catalog_digest`: one short name for exactly the catalog a task runs with.

A task started on Temporal carries the digest of the client's catalog; every worker
computes the digest of its own and refuses the task's work when the two differ
(`CatalogMismatch`, naming both), so a role turn never runs against other mode
files than the ones the task was routed with.

The digest covers what a run can see: every mode's content in catalog order
(order picks the default entry role and breaks ties) and the alias table
(it changes what references resolve to). It leaves out where each mode was read
from (`Mode.source`): two machines holding the same files in different folders run
the same catalog.
"""

from __future__ import annotations

import hashlib
import json

from modegraph.modes.catalog.catalog import Catalog

__all__ = ["catalog_digest"]

_LENGTH = 16
"""Hex digits kept: 64 bits, enough to tell catalogs apart, short enough to read."""


def catalog_digest(catalog: Catalog) -> str:
    """`sha256:<16 hex digits>` of the catalog's modes (in order) and aliases.

    Example:
        ```python
        catalog_digest(load_catalog())  # 'sha256:3f1c0b9a7d2e4f60'
        ```
    """
    body = {
        "modes": [mode.model_dump(mode="json", exclude={"source"}) for mode in catalog],
        "aliases": sorted(catalog.aliases.items()),
    }
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:_LENGTH]
