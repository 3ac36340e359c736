"""Roo Commander TOML front matter modes (`+++` ... `+++`, then Markdown)."""
