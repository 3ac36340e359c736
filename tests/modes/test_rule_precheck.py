"""A line is tried as a `---` rule only when it starts and ends with one mark.

`_not_an_item` and `_item_text` skip `is_rule` for a line whose first and last
characters differ (no rule has that); they must answer as the full rule would.
"""

from __future__ import annotations

import random

from modegraph.modes.formats._markdown import _HTML_COMMENT, _not_an_item, is_rule
from modegraph.modes.formats.roo_markdown.metadata import _item_text

PIECES = ["-", "*", "_", " ", "\t", "#", "a", "`x`", "<!--", "-->", "1.", "+", "\u00a0", "="]
WRITTEN = ["---", "- - -", " *** ", "___\t", "--- x", "-", "--", "- read", "* item *", "<!-- c -->"]


def _lines() -> list[str]:
    rng = random.Random(15)
    return WRITTEN + ["".join(rng.choices(PIECES, k=rng.randint(1, 7))) for _ in range(5000)]


def test_not_an_item_is_the_full_rule() -> None:
    for raw in _lines():
        stripped = raw.strip()
        full = (
            not stripped
            or is_rule(raw)
            or (stripped.startswith("<!--") and bool(_HTML_COMMENT.match(raw)))
        )
        assert _not_an_item(raw) == full, repr(raw)


def test_a_rule_is_no_item_text() -> None:
    for raw in _lines():
        if raw.strip() and is_rule(raw):
            assert _item_text(raw) == "", repr(raw)
