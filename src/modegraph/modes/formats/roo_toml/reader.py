"""Read Roo Commander TOML front matter mode files (`+++` ... `+++`, then Markdown).

```
+++
id = "fastapi-developer"              -> slug
name = "🚀 FastAPI Developer"          -> emoji + name
version = "1.1.0"                     -> extra["version"]
classification = "worker"             -> level (when there is no `level` key)
domain = "backend"                    -> extra["domain"]
sub_domain = "fastapi"                -> extra["sub_domain"]
summary = "Builds FastAPI services"   -> description
system_prompt = "You are ..."         -> role_definition
allowed_tool_groups = ["read", "edit", "command"]

[file_access]                         -> extra["file_access"] (kept as written)
read_allow = ["**/*"]
write_allow = ["**/*.py", "docs/**/*.md"]   -> the edit group's file_regex

[metadata]
tags = ["fastapi"]                    categories = ["Backend"]
delegate_to = []                      escalate_to = ["database-specialist"]
reports_to = "backend-lead"           (a string is one reference, or a comma list)
+++
Markdown body                          -> custom_instructions
```

- Without `allowed_tool_groups` a mode has Roo Commander's standard set
  (`DEFAULT_TOOL_GROUPS`: read, edit, browser, command, mcp), as its template
  documents; `extra["allowed_tool_groups"]` is then `"default"`.
- `write_allow` globs are turned into one anchored regex (see `_globs`) on the
  `edit` group; `**` or `**/*` means no restriction. Without an `edit` group the
  globs are only kept in `extra["file_access"]`.
- The model comes from `model`, `api_config.model` or `api_configuration.model`,
  at the top or in `[metadata]`; other API keys go to `extra["api_configuration"]`.
- Unknown top-level keys are kept in `extra`; unknown `[metadata]` keys in
  `extra["metadata"]`. Values are made JSON-safe (dates become ISO strings).
- A TOML syntax error is a `syntax-error` with the file line of the problem; a
  value of the wrong type (`id = 3` is fine, `id = {}` is not) is `wrong-type`.
- A file without `+++` fences is read as TOML from top to bottom (no body).
"""

from __future__ import annotations

import re
from functools import lru_cache, partial
from typing import Any

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.formats._coerce import as_str, as_str_list, jsonable, wrong_type
from modegraph.modes.formats._draft import REFERENCE_FIELDS, ModeDraft, empty_file, split_emoji
from modegraph.modes.formats._front_matter import FrontMatter, find_front_matter, unclosed
from modegraph.modes.formats._globs import globs_to_regex
from modegraph.modes.formats._markdown import trimmed_text
from modegraph.modes.formats._roo_front_matter import reference_list, tool_group_list
from modegraph.modes.formats.reading import ReadResult
from modegraph.modes.model import SourceFormat, ToolGroup
from modegraph.modes.text import normalise_text

__all__ = ["DEFAULT_TOOL_GROUPS", "looks_like_roo_toml", "read_roo_toml"]

DEFAULT_TOOL_GROUPS = ("read", "edit", "browser", "command", "mcp")
"""The groups a Roo Commander TOML mode has when `allowed_tool_groups` is left out."""

_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)|\s*\(at end of document\)")
_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_SNIFF_ID = re.compile(r"^\s*id\s*=", re.MULTILINE)
_SNIFF_MODE_KEY = re.compile(
    r"^\s*(?:name|system_prompt|classification|allowed_tool_groups|summary)\s*="
    r"|^\s*\[\s*metadata\s*\]",
    re.MULTILINE,
)
_TOP_KEYS = {
    "id",
    "name",
    "level",
    "classification",
    "summary",
    "description",
    "when_to_use",
    "system_prompt",
    "allowed_tool_groups",
    "file_access",
    "metadata",
    "model",
    "api_config",
    "api_configuration",
}
_META_LISTS = {"tags": "tags", "categories": "categories", "stack": "stack"}
_META_REFS = {
    "delegate_to": "delegates_to",
    "delegates_to": "delegates_to",
    "escalate_to": "escalates_to",
    "escalates_to": "escalates_to",
    "reports_to": "reports_to",
    "report_to": "reports_to",
}


def looks_like_roo_toml(text: str) -> bool:
    """True for a `+++` TOML block with `id` and `name`, `[metadata]` or a mode key."""
    text = normalise_text(text)
    block = find_front_matter(text.split("\n", 400)[:400], "+++")
    if block is None or block.close_index is None:
        return False
    return bool(_SNIFF_ID.search(block.text) and _SNIFF_MODE_KEY.search(block.text))


def read_roo_toml(text: str, *, path: str | None = None) -> ReadResult:
    """Read one Roo Commander TOML front matter mode.

    Args:
        text: The decoded file text.
        path: The file name, used in findings and in `Mode.source`.

    Returns:
        At most one mode and the findings met. Never raises for bad input.
    """
    text = normalise_text(text)
    result = ReadResult()
    if not text.strip():
        result.findings.append(empty_file(path))
        return result
    lines = text.split("\n")
    block = find_front_matter(lines, "+++")
    if block is None:  # no fences: the whole file is the TOML, with no body
        block = FrontMatter(open_index=-1, close_index=len(lines) - 1, text=text)
    elif block.close_index is None:
        result.findings.append(unclosed(block, fence="+++", path=path))
        return result
    data = _parse(block, path=path, findings=result.findings)
    if data is None:
        return result
    reader = _TomlMode(block, path=path, findings=result.findings)
    draft = reader.read(data)
    draft.custom_instructions = trimmed_text(lines[block.body_index :])
    mode = draft.finish(path=path, fmt=SourceFormat.ROO_TOML, findings=result.findings)
    if mode is not None:
        result.modes.append(mode)
    return result


def _parse(
    block: FrontMatter, *, path: str | None, findings: list[Finding]
) -> dict[str, Any] | None:
    import tomllib  # here, not at import: a listing of files without `+++` never needs it

    try:
        return tomllib.loads(block.text)
    except tomllib.TOMLDecodeError as error:
        match = _TOML_WHERE.search(str(error))
        line: int | None = None
        problem = _TOML_WHERE.sub("", str(error)).strip()
        if match and match.group(1):
            line = block.first_content_line - 1 + int(match.group(1))
            problem = f"{problem} (column {match.group(2)})"
        elif match:
            line = block.close_index + 1 if block.close_index is not None else None
            problem = f"{problem} (at the end of the front matter)"
        findings.append(
            Finding(
                path=path,
                line=line or max(block.open_index + 1, 1),
                code=Code.SYNTAX_ERROR,
                severity=Severity.ERROR,
                message=f"TOML front matter syntax error: {problem}",
                hint='fix the TOML between the `+++` lines (strings need quotes: `id = "slug"`)',
            )
        )
        return None
    except RecursionError:
        findings.append(
            Finding(
                path=path,
                line=block.first_content_line,
                code=Code.SYNTAX_ERROR,
                severity=Severity.ERROR,
                message="TOML front matter syntax error: values are nested too deeply to read",
                hint="flatten the nested arrays or tables in the `+++` block",
            )
        )
        return None


@lru_cache(maxsize=256)
def _key_pattern(key: str) -> re.Pattern[str]:
    """`key = ...` at the start of a line, the key bare or quoted.

    Kept for the keys asked again and again (every mode asks for the same twenty); a
    `[metadata]` table's own keys come from the files, hence the bound.
    """
    return re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")


class _TomlMode:
    """Fills a draft from parsed TOML, with file lines for findings and references."""

    def __init__(self, block: FrontMatter, *, path: str | None, findings: list[Finding]) -> None:
        self.block_lines = block.text.split("\n")
        self.offset = block.first_content_line - 1
        self.path = path
        self.findings = findings
        self.draft = ModeDraft(line=max(block.open_index + 1, 1))
        self._by_table: dict[str | None, list[tuple[int, str]]] | None = None

    def line_of(self, key: str, table: str | None = None) -> int | None:
        """1-based file line of `key` in `[table]` (top level when None)."""
        pattern = _key_pattern(key)
        for index, line in self._table_lines().get(table, ()):
            if pattern.match(line):
                return self.offset + index + 1
        return None

    def _table_lines(self) -> dict[str | None, list[tuple[int, str]]]:
        """The block's lines that are no `[table]` header, by the table they sit in.

        Worked out once per block: a mode asks for the line of twenty keys or more,
        and scanning every line for each key made reading a TOML catalog slow.
        """
        if self._by_table is None:
            self._by_table = {}
            current: str | None = None
            for index, line in enumerate(self.block_lines):
                header = _TABLE.match(line)
                if header:
                    current = header.group(1)
                else:
                    self._by_table.setdefault(current, []).append((index, line))
        return self._by_table

    def item_lines(self, key: str, items: object, table: str) -> list[int] | None:
        """The file line of each string item of an array, found by its quoted text."""
        start = self.line_of(key, table)
        if start is None or not isinstance(items, list):
            return None
        found: list[int] = []
        cursor = start - self.offset - 1
        for item in items:
            line = start
            if isinstance(item, str):
                quoted = (f'"{item}"', f"'{item}'")
                for index in range(cursor, len(self.block_lines)):
                    if any(q in self.block_lines[index] for q in quoted):
                        line, cursor = self.offset + index + 1, index
                        break
            found.append(line)
        return found

    def text(self, data: dict[str, Any], key: str, table: str | None = None) -> str | None:
        """A string value, or None (a `wrong-type` finding when it is not a string)."""
        return as_str(
            data.get(key),
            key=key if table is None else f"{table}.{key}",
            path=self.path,
            line=self.line_of(key, table),
            findings=self.findings,
        )

    def read(self, data: dict[str, Any]) -> ModeDraft:
        """The draft for the whole parsed front matter."""
        draft = self.draft
        draft.slug = (self.text(data, "id") or "").strip() or None
        name = self.text(data, "name")
        if name:
            draft.emoji, draft.name = split_emoji(name)
        draft.level = self.text(data, "level") or self.text(data, "classification")
        if "level" in data and "classification" in data:
            draft.extra["classification"] = jsonable(data["classification"])
        draft.description = self.text(data, "summary") or self.text(data, "description") or ""
        if "summary" in data and "description" in data:
            draft.extra["description"] = jsonable(data["description"])
        draft.when_to_use = self.text(data, "when_to_use") or ""
        draft.role_definition = (self.text(data, "system_prompt") or "").strip()
        groups = tool_group_list(
            data.get("allowed_tool_groups"),
            key="allowed_tool_groups",
            line=self.line_of("allowed_tool_groups"),
            path=self.path,
            findings=self.findings,
            string_is_wrong=True,
        )
        if "allowed_tool_groups" not in data:
            groups = [ToolGroup(name=name) for name in DEFAULT_TOOL_GROUPS]
            draft.extra["allowed_tool_groups"] = "default"
        draft.tool_groups = groups or []
        self._file_access(data.get("file_access"))
        self._api(data, table=None)
        self._metadata(data.get("metadata"))
        for key, value in data.items():
            if key not in _TOP_KEYS:
                draft.extra[key] = jsonable(value)
        return draft

    def _table(self, value: object, key: str) -> dict[str, Any] | None:
        if value is None:
            return None
        if isinstance(value, dict):
            return value
        self.findings.append(
            wrong_type(
                path=self.path,
                line=self.line_of(key),
                key=key,
                expected=f"a table (`[{key}]`)",
                value=value,
            )
        )
        return None

    def _file_access(self, value: object) -> None:
        table = self._table(value, "file_access")
        if table is None:
            return
        self.draft.extra["file_access"] = jsonable(table)
        write = as_str_list(
            table.get("write_allow"),
            key="file_access.write_allow",
            path=self.path,
            line=self.line_of("write_allow", "file_access"),
            findings=self.findings,
        )
        as_str_list(
            table.get("read_allow"),
            key="file_access.read_allow",
            path=self.path,
            line=self.line_of("read_allow", "file_access"),
            findings=self.findings,
        )
        if not write:
            return
        regex = globs_to_regex(write)
        groups = self.draft.tool_groups
        for index, group in enumerate(groups):
            if group.name == "edit" and group.file_regex is None and regex is not None:
                groups[index] = ToolGroup(
                    name="edit",
                    file_regex=regex,
                    description=group.description or "write_allow: " + ", ".join(write),
                )

    def _metadata(self, value: object) -> None:
        table = self._table(value, "metadata")
        if table is None:
            return
        draft = self.draft
        for key, item in table.items():
            line = self.line_of(key, "metadata")
            if key in _META_LISTS:
                items = as_str_list(
                    item, key=f"metadata.{key}", path=self.path, line=line, findings=self.findings
                )
                setattr(draft, _META_LISTS[key], items or [])
            elif key in _META_REFS:
                kind = REFERENCE_FIELDS[_META_REFS[key]]
                refs = reference_list(
                    item,
                    key=f"metadata.{key}",
                    lines=self.item_lines(key, item, "metadata"),
                    line=line,
                    path=self.path,
                    findings=self.findings,
                    on_placeholder=partial(draft.add_placeholder, kind),
                )
                setattr(draft, _META_REFS[key], refs or [])
            elif key not in ("model", "api_config", "api_configuration"):
                draft.extra.setdefault("metadata", {})[key] = jsonable(item)
        self._api(table, table="metadata")

    def _api(self, data: dict[str, Any], *, table: str | None) -> None:
        model = self.text(data, "model", table)
        if model and model.strip():
            self.draft.model = self.draft.model or model.strip()
        for key in ("api_config", "api_configuration"):
            value = data.get(key)
            if value is None:
                continue
            if isinstance(value, str):
                self.draft.model = self.draft.model or value.strip() or None
            elif isinstance(value, dict):
                inner = value.get("model")
                if isinstance(inner, str) and inner.strip():
                    self.draft.model = self.draft.model or inner.strip()
                others = {k: jsonable(v) for k, v in value.items() if k != "model"}
                if others:
                    self.draft.extra.setdefault("api_configuration", {}).update(others)
            else:
                self.findings.append(
                    wrong_type(
                        path=self.path,
                        line=self.line_of(key, table),
                        key=key,
                        expected="a table or a model name",
                        value=value,
                    )
                )
