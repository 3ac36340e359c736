"""Write modes to the formats people use: Roo Code, Claude Code, Roo Commander, modegraph.

```python
result = write_modes(catalog, to=TargetFormat.ROOMODES)
print(result.text)            # {"customModes": [...]}
for finding in result.findings:
    print(finding.format())   # field-dropped: what the format could not hold
```

Reading a file, writing it and reading it again keeps every field the target format
can hold. What a format cannot hold is never dropped silently: each mode that lost
something gets one `field-dropped` finding naming the fields (a warning when the
level, references or tool groups were lost, an info otherwise).

Per target:

- `roomodes`, one `.roomodes` file: slug, name with emoji, description, when_to_use,
  role_definition, custom_instructions, tool_groups, model (`apiConfiguration`); tags
  and extra keys as extras.
- `claude`, one `<slug>.md` per mode: slug, description, tools (from tool groups),
  Claude model aliases, and the prompt.
- `markdown`, one `<slug>.mode.md` per mode: everything (extra keys in front matter).
- `yaml`, one `*.mode.yaml` file: everything.
- `crewai`, `agents.yaml` (and `tasks.yaml` for modes read from a crew with tasks):
  slug as the key, name with emoji as `role`, description as `goal`, role definition
  and custom instructions as `backstory`, model as `llm`, delegation as
  `allow_delegation`.
"""

from __future__ import annotations

from collections.abc import Iterable

from modegraph.findings import Finding
from modegraph.modes.formats.claude.writer import claude_file
from modegraph.modes.formats.crewai.writer import crewai_files
from modegraph.modes.formats.native_yaml.writer import yaml_file
from modegraph.modes.formats.roo_markdown.writer import markdown_file
from modegraph.modes.formats.roocode.writer import roomodes_file
from modegraph.modes.formats.writing import TargetFormat, WriteResult, WrittenFile
from modegraph.modes.model import Mode

__all__ = ["TargetFormat", "WriteResult", "WrittenFile", "write_mode", "write_modes"]


def write_mode(mode: Mode, *, to: TargetFormat) -> WriteResult:
    """Write one mode in the target format.

    Args:
        mode: The mode to write.
        to: The target format.

    Returns:
        The text of the one file and the `field-dropped` findings.
    """
    return write_modes([mode], to=to)


def write_modes(modes: Iterable[Mode], *, to: TargetFormat) -> WriteResult:
    """Write several modes in the target format.

    `roomodes` and `yaml` put every mode in one file; `markdown` and `claude` write one
    file per mode (see `WriteResult.files`); `crewai` writes `agents.yaml` and, when
    modes have tasks, `tasks.yaml`. With several files, `text` is the files one after
    the other, separated by a blank line.

    Args:
        modes: The modes to write, in order.
        to: The target format.

    Returns:
        The output files, their joined text and the `field-dropped` findings.

    Raises:
        ValueError: When `modes` is empty.
    """
    mode_list = list(modes)
    if not mode_list:
        raise ValueError("no modes to write; give at least one mode")
    files: list[WrittenFile] = []
    findings: list[Finding] = []
    if to is TargetFormat.ROOMODES:
        written, found = roomodes_file(mode_list)
        files.append(written)
        findings.extend(found)
    elif to is TargetFormat.YAML:
        written, found = yaml_file(mode_list)
        files.append(written)
        findings.extend(found)
    elif to is TargetFormat.CREWAI:
        crew, found = crewai_files(mode_list)
        files.extend(crew)
        findings.extend(found)
    else:
        one_file = markdown_file if to is TargetFormat.MARKDOWN else claude_file
        for mode in mode_list:
            written, found = one_file(mode)
            files.append(written)
            findings.extend(found)
    text = "\n".join(written.text for written in files)
    return WriteResult(text=text, findings=tuple(findings), files=tuple(files))
