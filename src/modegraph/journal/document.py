"""A task file as a list of blocks, edited in place so hand-written text survives.

The journal never re-renders a whole file from the model. It splits the file into
blocks (heading, goal, context, each entry, the closing block, the results and route
sections, and `OTHER` for anything it does not know), changes only the blocks an
operation is about, and writes every other block back byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from modegraph.journal.frontmatter import patch_front_matter, render_front_matter

__all__ = ["Block", "BlockKind", "Document"]


class BlockKind(StrEnum):
    """What a block of a task file holds."""

    HEADING = "heading"
    GOAL = "goal"
    CONTEXT = "context"
    ENTRY = "entry"
    CLOSING = "closing"
    RESULTS = "results"
    ROUTE = "route"
    OTHER = "other"


_HEADER = (BlockKind.HEADING, BlockKind.GOAL, BlockKind.CONTEXT)
_TAIL = (BlockKind.CLOSING, BlockKind.RESULTS, BlockKind.ROUTE)


class Block(NamedTuple):
    """One block of a task file: its kind, its exact text and where it starts."""

    kind: BlockKind
    """What it holds."""
    text: str
    """Its text, without the blank lines around it."""
    line: int = 0
    """1-based line of the file it starts on (0 for a new block)."""
    entry_id: str | None = None
    """The entry id, for an entry block."""
    offset: int = -1
    """Where it starts in the body it was parsed from (-1 for a new block)."""


@dataclass
class Document:
    """A task file: its front matter (a TOML table) and its body blocks."""

    front: dict[str, Any] = field(default_factory=dict)
    """The front matter, unknown keys included; empty when the file had none."""
    blocks: list[Block] = field(default_factory=list)
    """The body, in file order."""
    body: str = ""
    """The body text the blocks were parsed from ("" for a new document)."""
    body_line: int = 1
    """The file line the body starts on."""
    front_text: str | None = None
    """The front matter's TOML as the file had it; None for a new table."""
    front_changes: dict[str, Any] = field(default_factory=dict)
    """The keys `set_front` changed since parsing."""
    merged: bool = False
    """True when entries of the task's append log were folded into this parse (a
    reader's view: the file itself does not hold them yet)."""
    front_canonical: bool = False
    """True when `front_text` is exactly how `render_front_matter` writes the table it
    parsed to (a file modegraph wrote and nobody reformatted): the table is then
    rendered whole, which gives the same text as patching its changed lines."""

    def set_front(self, key: str, value: Any) -> None:
        """Set a front matter key; rendering patches just that line when it can."""
        self.front[key] = value
        self.front_changes[key] = value

    def entry_ids(self) -> set[str]:
        """The ids of the entries the file holds."""
        return {b.entry_id for b in self.blocks if b.entry_id is not None}

    def first(self, kind: BlockKind) -> int | None:
        """Index of the first block of ``kind``, or None."""
        return next((i for i, b in enumerate(self.blocks) if b.kind is kind), None)

    def insert_entry(self, block: Block) -> None:
        """Insert an entry after the last entry, else after the header, else before the tail.

        The entry also goes after any indented block that follows that place, which
        would otherwise read back as part of the entry.
        """
        index = self._after_last(BlockKind.ENTRY)
        if index is None:
            index = self._after_last(*_HEADER)
        if index is None:
            index = self._before_first(*_TAIL)
        # an indented block right after an entry would read as part of that entry
        while index < len(self.blocks) and self.blocks[index].text[:1] in (" ", "\t"):
            index += 1
        self.blocks.insert(index, block)

    def replace_or_insert(self, block: Block) -> bool:
        """Replace the block of the same kind, or insert it in its place; False if unchanged.

        The closing block goes before the results and route sections; the results
        section before the route section; the route section at the end.
        """
        index = self.first(block.kind)
        if index is not None:
            if self.blocks[index].text == block.text:
                return False
            self.blocks[index] = block
            return True
        later = _TAIL[_TAIL.index(block.kind) + 1 :] if block.kind in _TAIL else ()
        self.blocks.insert(self._before_first(*later), block)
        return True

    def render(self) -> str:
        """The whole file: front matter, then the blocks separated by blank lines.

        Consecutive entries are separated by a single line break, so they form one list.
        """
        texts = [block.text for block in self.blocks]
        breaks = [k for k, block in enumerate(self.blocks) if block.kind is not BlockKind.ENTRY]
        chunks: list[str] = []
        start = 0
        for k in [*breaks, len(texts)]:
            if k > start:  # a run of entries: one list, one item a line
                chunks.append("\n".join(texts[start:k]))
            if k < len(texts):
                chunks.append(texts[k])
            start = k + 1
        parts = [self._render_front()] if self.front else []
        if chunks:
            parts.append("\n\n".join(chunks))
        return "\n\n".join(parts) + "\n"

    def _render_front(self) -> str:
        if self.front_text is not None and not self.front_canonical:
            patched = patch_front_matter(self.front_text, self.front_changes, self.front)
            if patched is not None:
                return patched
        return render_front_matter(self.front)

    def _after_last(self, *kinds: BlockKind) -> int | None:
        found = [i for i, b in enumerate(self.blocks) if b.kind in kinds]
        return found[-1] + 1 if found else None

    def _before_first(self, *kinds: BlockKind) -> int:
        found = [i for i, b in enumerate(self.blocks) if b.kind in kinds]
        return found[0] if found else len(self.blocks)
