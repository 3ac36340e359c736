"""Claude Code subagents: `.claude/agents/*.md` with YAML front matter."""
