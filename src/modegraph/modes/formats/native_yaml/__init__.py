"""modegraph's own mode files (`*.mode.yaml`, `*.mode.toml`), with a JSON Schema."""
