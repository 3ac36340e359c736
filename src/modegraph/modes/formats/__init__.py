"""The mode file formats: one room per format, its reader and its writer side by side.

| room | format | reader | writer |
|---|---|---|---|
| `roo_markdown` | Roo Commander Markdown (`# Mode:`, `## Metadata`) | yes | yes |
| `roo_toml` | Roo Commander TOML front matter (`+++`) | yes | as Markdown |
| `roocode` | Roo Code `.roomodes`, `custom_modes.yaml`, mode objects | yes | yes |
| `claude` | Claude Code subagents (`.claude/agents/*.md`) | yes | yes |
| `native_yaml` | modegraph YAML / TOML (`*.mode.yaml`) | yes | yes |

Each room holds `reader.py` and, where there is one, `writer.py`.

Shared by the readers: `reading` (the `ReadResult` every reader returns),
`_positions` (YAML/JSON/TOML with line numbers), `_front_matter`, `_markdown`,
`_references` (references and tool groups as written), `_draft` (a mode being read),
`_coerce`, `_fields`, `_globs`. Shared by the writers: `writing` (targets, results,
dropped-field findings) and `writers` (one writer per target). Finding files and
stacking them into a catalog is `modegraph.modes.catalog`'s job.
"""
