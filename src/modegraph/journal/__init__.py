"""The Markdown task journal: render, parse, store."""
