"""What every reader returns: the modes it read and the findings it met."""

from __future__ import annotations

from dataclasses import dataclass, field

from modegraph.findings import Finding
from modegraph.modes.model import Mode

__all__ = ["ReadResult"]


@dataclass
class ReadResult:
    """Modes read from one text or file, and the findings met on the way."""

    modes: list[Mode] = field(default_factory=list)
    """The modes read, in file order."""
    findings: list[Finding] = field(default_factory=list)
    """Problems met; errors mean a mode could not be read whole."""

    def extend(self, other: ReadResult) -> None:
        """Add another result's modes and findings to this one."""
        self.modes.extend(other.modes)
        self.findings.extend(other.findings)
