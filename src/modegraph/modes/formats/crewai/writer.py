"""Write modes as a CrewAI crew: `agents.yaml`, and `tasks.yaml` when modes have tasks.

```yaml
docs_writer:                    <- slug (`-` becomes `_`)
  role: 📝 Docs Writer          <- emoji and name
  goal: Write the project docs  <- description (when_to_use when there is none)
  backstory: You write ...      <- role_definition, then custom_instructions
  llm: openai/gpt-4o            <- model
  allow_delegation: true        <- when the mode delegates to anyone
```

CrewAI agents have a role, a goal and a backstory; a crew's agent either may delegate
to every other agent (`allow_delegation: true`) or to none. So:

- `delegates_to` becomes `allow_delegation: true` when it names anyone; when it does
  not name exactly the other agents written, the difference is reported dropped.
- The custom instructions are written after the role definition in the backstory
  (the one prompt text CrewAI has), with an info finding, as for Claude Code.
- Tools are CrewAI tool objects: a mode read from CrewAI keeps its tool names
  (`extra["crewai_tools"]`); Roo tool groups cannot be written and are reported.
- Tasks kept from a `tasks.yaml` (`extra["crewai_tasks"]`) are written to `tasks.yaml`
  with `agent:` set, so a crew reads back whole; other extra keys of a mode read from
  CrewAI (`verbose`, `max_iter`, ...) are written back on the agent.
- CrewAI requires a goal and a backstory: a mode without a description (or when to
  use it) gets the first sentence of its role definition as its goal, and one without
  a role definition `You are the <name>.` as its backstory, each with a warning.
- The level, capabilities, workflow, tags, categories, stack, escalations and
  reports have no place in the format and are reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.formats._coerce import jsonable
from modegraph.modes.formats.writing import TargetFormat, WrittenFile, dropped_findings, unwritten
from modegraph.modes.model import Mode, SourceFormat

__all__ = ["agent_key", "crewai_files"]

_WRITES = frozenset(
    {
        "slug",
        "name",
        "emoji",
        "description",
        "role_definition",
        "custom_instructions",
        "model",
        "delegates_to",
        "extra",
    }
)
_INTERNAL = frozenset({"crewai_tools", "crewai_tasks", "allow_delegation"})
_HINT = "write to `markdown` or `yaml` to keep the hierarchy, the references and the metadata"


class _BlockDumper(yaml.SafeDumper):
    """Multi-line strings as `|` blocks, as CrewAI's own examples write them."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _represent_str)


def agent_key(slug: str) -> str:
    """The agents.yaml key of a slug: `docs-writer` -> `docs_writer`."""
    return slug.replace("-", "_")


def crewai_files(modes: Sequence[Mode]) -> tuple[list[WrittenFile], list[Finding]]:
    """`agents.yaml` (and `tasks.yaml` when a mode has tasks) and what they could not hold."""
    crew = [mode.slug for mode in modes]
    agents: dict[str, Any] = {}
    tasks: dict[str, Any] = {}
    findings: list[Finding] = []
    for mode in modes:
        entry, dropped, merged = _agent(mode, crew)
        findings.extend(_filled(mode, entry))
        agents[agent_key(mode.slug)] = entry
        for task in _tasks_of(mode):
            name = str(task.get("name") or f"{agent_key(mode.slug)}_task_{len(tasks) + 1}")
            tasks[name] = {
                "description": str(task.get("description") or ""),
                "expected_output": str(task.get("expected_output") or ""),
                "agent": agent_key(mode.slug),
            }
        findings.extend(
            dropped_findings(mode, target=TargetFormat.CREWAI, dropped=dropped, hint=_HINT)
        )
        if merged:
            findings.append(_merged(mode))
    files = [WrittenFile(name="agents.yaml", text=_dump(agents))]
    if tasks:
        files.append(WrittenFile(name="tasks.yaml", text=_dump(tasks)))
    return files, findings


def _agent(mode: Mode, crew: list[str]) -> tuple[dict[str, Any], list[str], bool]:
    dropped = unwritten(mode, _WRITES)
    entry: dict[str, Any] = {"role": mode.display_name}
    goal = mode.description or mode.when_to_use
    entry["goal"] = goal
    if mode.description and mode.when_to_use and not _tasks_of(mode):
        dropped.append("when_to_use")
    parts = [part.strip("\n") for part in (mode.role_definition, mode.custom_instructions)]
    entry["backstory"] = "\n\n".join(part for part in parts if part.strip())
    merged = bool(mode.role_definition.strip() and mode.custom_instructions.strip())
    if mode.model:
        entry["llm"] = mode.model
    tools = mode.extra.get("crewai_tools")
    if isinstance(tools, list):
        entry["tools"] = [str(tool) for tool in tools]
    elif mode.tool_groups:
        dropped.append("tool_groups")
    others = sorted(slug for slug in crew if slug != mode.slug)
    named = sorted({ref.slug for ref in mode.delegates_to})
    if mode.delegates_to:
        entry["allow_delegation"] = True
        if named != others:
            dropped.append("delegates_to.targets")
    elif "allow_delegation" in mode.extra:
        entry["allow_delegation"] = mode.extra["allow_delegation"]
    from_crewai = mode.source.format is SourceFormat.CREWAI
    lost = [key for key in mode.extra if key not in _INTERNAL]
    if from_crewai:
        entry.update({key: jsonable(mode.extra[key]) for key in lost if key not in entry})
    elif lost:
        dropped.append("extra." + "/".join(lost))
    return entry, dropped, merged


def _filled(mode: Mode, entry: dict[str, Any]) -> list[Finding]:
    """Fill an empty goal or backstory (CrewAI refuses an agent without them)."""
    made: list[str] = []
    if not entry["goal"]:
        entry["goal"] = _first_sentence(mode.role_definition) or f"Do the work of the {mode.name}."
        made.append(f"goal {entry['goal']!r}")
    if not entry["backstory"]:
        entry["backstory"] = f"You are the {mode.name}."
        made.append(f"backstory {entry['backstory']!r}")
    if not made:
        return []
    return [
        Finding(
            path=mode.source.path,
            line=mode.source.line,
            code=Code.MISSING_FIELD,
            severity=Severity.WARNING,
            message=f"mode `{mode.slug}`: CrewAI requires a goal and a backstory; it was given "
            + " and ".join(made),
            hint="give the mode a description and a role definition",
            slug=mode.slug,
        )
    ]


def _first_sentence(text: str) -> str:
    words = " ".join(text.split())
    end = words.find(". ")
    return (words if end < 0 else words[: end + 1])[:300]


def _tasks_of(mode: Mode) -> list[dict[str, Any]]:
    tasks = mode.extra.get("crewai_tasks")
    if not isinstance(tasks, list):
        return []
    return [task for task in tasks if isinstance(task, dict)]


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=100)


def _merged(mode: Mode) -> Finding:
    return Finding(
        path=mode.source.path,
        line=mode.source.line,
        code=Code.FIELD_DROPPED,
        severity=Severity.INFO,
        message=f"mode `{mode.slug}`: role_definition and custom_instructions were merged "
        "into the one backstory a CrewAI agent has",
        hint="reading the file back gives one backstory; keep the Markdown as the source",
        slug=mode.slug,
    )
