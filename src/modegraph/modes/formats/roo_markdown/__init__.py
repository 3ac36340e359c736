"""Roo Commander Markdown modes: the seed's format (`# Mode: ...`, `## Metadata`)."""
