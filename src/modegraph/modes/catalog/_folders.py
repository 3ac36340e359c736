"""Which folders discovery searches: the rules alone, without the readers.

`modegraph.modes.catalog.discovery` searches folders by these rules; the cached
listing of `modegraph modes list` (`modegraph.cli._list_cache`) reads the same
folders to tell whether anything changed, without importing a reader.
"""

from __future__ import annotations

__all__ = ["HIDDEN_ALLOWED", "NON_MODE_DIRS", "SKIPPED_DIRS", "TEMPLATE_DIRS", "searched"]

NON_MODE_DIRS = frozenset(
    {
        "custom-instructions",
        "custom_instructions",
        "kb",
        "knowledge-base",
        "knowledge_base",
        "context",
    }
)
"""Folders of Markdown that is never a mode: only Markdown named as a mode (`*.mode.md`)
counts there (YAML and JSON are still taken by content: `custom_modes.d/context/x.yaml`)."""

SKIPPED_DIRS = frozenset(
    {"node_modules", "__pycache__", "venv", "site-packages", "project_journal"}
)
"""Folders never searched (and hidden folders other than those of `HIDDEN_ALLOWED`)."""

TEMPLATE_DIRS = frozenset({"templates", ".templates"})
"""Folders of mode templates: skipped, with one `template-skipped` finding."""

HIDDEN_ALLOWED = frozenset({".claude", ".modegraph", ".roo", ".ruru", ".modes"})
"""The hidden folders that are searched."""


def searched(name: str) -> bool:
    """True when discovery searches a subfolder of this name (templates are only sniffed)."""
    lowered = name.lower()
    if lowered in SKIPPED_DIRS or lowered in TEMPLATE_DIRS:
        return False
    return not name.startswith(".") or name in HIDDEN_ALLOWED
