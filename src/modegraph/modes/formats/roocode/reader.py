r"""Roo Code custom modes: `.roomodes`, `custom_modes.yaml|json`, bare mode objects.

```json
{"customModes": [
  {"slug": "docs-writer", "name": "📝 Docs Writer",
   "roleDefinition": "You write documentation.",
   "whenToUse": "For README and guides.",
   "groups": ["read", ["edit", {"fileRegex": "\\.md$", "description": "Markdown"}]]}
]}
```

The file may be JSON or YAML, hold `{"customModes": [...]}`, a bare list of
modes, or one bare mode object. Upstream's rules apply: `slug`, `name`,
`roleDefinition` and `groups` are required; a group is a name or a
`[name, {fileRegex, description}]` pair. Keys Roo Code does not define are kept
in `Mode.extra`; `tags` fills `Mode.tags` and `apiConfiguration.model` (or
`modelId`, `apiModelId`) fills `Mode.model`. The per-mode checks (slug, groups,
regexes, duplicate slugs) run in the loader, on every format alike.

A text field escaped twice (Roo Commander v6.3 writes `customInstructions` whose
decoded value holds `\n` and `\"` sequences and no line break) is unescaped once,
with a `json-artifacts-cleaned` info finding: the two characters `\n` become a line
break, `\"` a quote, `\t` a tab and `\\` one backslash. A value that holds a real
line break is left exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from modegraph.findings import Code, Severity
from modegraph.modes.formats._fields import describe_type, finding, jsonable, split_emoji
from modegraph.modes.formats._positions import Lines, ParseError, parse_json, parse_yaml
from modegraph.modes.formats.reading import ReadResult
from modegraph.modes.model import Mode, SourceFormat, SourceInfo, ToolGroup

__all__ = ["ROOMODES_KEYS", "looks_like_roomodes", "read_roomodes"]

ROOMODES_KEYS = (
    "slug",
    "name",
    "roleDefinition",
    "whenToUse",
    "description",
    "customInstructions",
    "groups",
    "source",
)
"""The keys Roo Code defines for one mode."""

_MODEL_KEYS = ("model", "modelId", "apiModelId")
_TEXT_KEYS = ("roleDefinition", "whenToUse", "description", "customInstructions")
_DOUBLE_ESCAPE = re.compile(r"\\([ntr\"\\/])")
_UNESCAPED = {"n": "\n", "t": "\t", "r": "", '"': '"', "\\": "\\", "/": "/"}
_CUSTOM_MODES = re.compile(r"""(^|[{,])\s*["']?customModes["']?\s*:""", re.MULTILINE)
_ROLE_DEFINITION = re.compile(r"""["']?roleDefinition["']?\s*:""")
_SLUG = re.compile(r"""["']?slug["']?\s*:""")


def looks_like_roomodes(text: str) -> bool:
    """True when the text looks like Roo Code custom modes (JSON or YAML)."""
    head = text[:200_000]
    if _CUSTOM_MODES.search(head):
        return True
    return bool(_ROLE_DEFINITION.search(head) and _SLUG.search(head))


def read_roomodes(text: str, *, path: str | None = None) -> ReadResult:
    """Read Roo Code custom modes from JSON or YAML text. Never raises."""
    result = ReadResult()
    if not text.strip():
        result.findings.append(
            finding(
                Code.EMPTY_FILE,
                Severity.WARNING,
                "the file is empty",
                path=path,
                line=1,
                hint='write `{"customModes": []}` with at least one mode, or delete the file',
            )
        )
        return result
    try:
        data, lines = _parse(text)
    except ParseError as exc:
        result.findings.append(
            finding(
                Code.SYNTAX_ERROR,
                Severity.ERROR,
                exc.message,
                path=path,
                line=exc.line,
                hint="fix the syntax at this line; the file was not read",
            )
        )
        return result
    items = _mode_items(data, lines, path=path, result=result)
    for prefix, item in items:
        mode = _read_mode(item, lines.under(prefix), path=path, result=result)
        if mode is not None:
            result.modes.append(mode)
    return result


def _parse(text: str) -> tuple[Any, Lines]:
    if text.lstrip()[:1] in ("{", "["):
        return parse_json(text)
    return parse_yaml(text)


def _mode_items(
    data: Any, lines: Lines, *, path: str | None, result: ReadResult
) -> list[tuple[tuple[str | int, ...], Any]]:
    """The mode objects of the document, each with its path in the document."""
    if isinstance(data, Mapping) and "customModes" in data:
        modes = data["customModes"]
        if modes is None:
            return []
        if isinstance(modes, list):
            return [(("customModes", index), item) for index, item in enumerate(modes)]
        result.findings.append(
            finding(
                Code.WRONG_TYPE,
                Severity.ERROR,
                f"`customModes` should be a list of modes, not {describe_type(modes)}",
                path=path,
                line=lines.at(("customModes",)),
                hint="write `customModes:` followed by a list (`- slug: ...`)",
            )
        )
        return []
    if isinstance(data, Mapping) and "slug" in data:
        return [((), data)]
    if isinstance(data, list):
        return [((index,), item) for index, item in enumerate(data)]
    result.findings.append(
        finding(
            Code.MISSING_FIELD,
            Severity.ERROR,
            "no `customModes` list and no mode object with a `slug` in the file",
            path=path,
            line=1,
            hint='write `{"customModes": [{"slug": ..., "name": ..., "roleDefinition": ..., '
            '"groups": [...]}]}`',
        )
    )
    return []


class _ModeReader:
    """Reads one mode object, collecting findings into a shared result."""

    def __init__(self, item: Mapping[Any, Any], lines: Lines, *, path: str | None) -> None:
        self.item = item
        self.lines = lines
        self.path = path
        self.result = ReadResult()
        self.slug: str | None = None

    def error(self, code: Code, key: str | None, message: str, hint: str) -> None:
        line = self.lines.at((key,) if key else ())
        self.result.findings.append(
            finding(
                code, Severity.ERROR, message, path=self.path, line=line, hint=hint, slug=self.slug
            )
        )

    def text(self, key: str, *, required: bool) -> str | None:
        value = self.item.get(key)
        if isinstance(value, str) and value.strip():
            return self._unescaped(key, value) if key in _TEXT_KEYS else value
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(
                    Code.MISSING_FIELD,
                    key if key in self.item else None,
                    f"`{key}` is required and must not be empty",
                    f"add `{key}` with a non-empty string",
                )
            return None
        self.error(
            Code.WRONG_TYPE,
            key,
            f"`{key}` should be a string, not {describe_type(value)}; it was ignored",
            f"write `{key}` as a string",
        )
        return None

    def _unescaped(self, key: str, value: str) -> str:
        """`value` unescaped once when it was escaped twice (no line break, but `n` escapes)."""
        if "\n" in value or "\\n" not in value:
            return value
        count = value.count("\\n")
        self.result.findings.append(
            finding(
                Code.JSON_ARTIFACTS_CLEANED,
                Severity.INFO,
                f"`{key}` was escaped twice (the text holds {count} `\\n` sequences and no "
                "line break); it was unescaped once",
                path=self.path,
                line=self.lines.at((key,)),
                hint="nothing to do; `modegraph modes convert` writes the clean text",
                slug=self.slug,
            )
        )
        return _DOUBLE_ESCAPE.sub(lambda match: _UNESCAPED[match.group(1)], value)

    def groups(self) -> list[ToolGroup]:
        value = self.item.get("groups")
        if value is None:
            self.error(
                Code.MISSING_FIELD,
                "groups" if "groups" in self.item else None,
                "`groups` is required (Roo Code refuses a mode without it)",
                'add `groups`, for example `["read", "edit"]`, or `[]` for none',
            )
            return []
        if not isinstance(value, list):
            self.error(
                Code.WRONG_TYPE,
                "groups",
                f"`groups` should be a list, not {describe_type(value)}",
                'write `groups` as a list: `["read", ["edit", {"fileRegex": "\\\\.md$"}]]`',
            )
            return []
        groups: list[ToolGroup] = []
        for index, entry in enumerate(value):
            group = self._group(entry)
            if group is None:
                line = self.lines.at(("groups", index))
                self.result.findings.append(
                    finding(
                        Code.WRONG_TYPE,
                        Severity.ERROR,
                        f"group entry {index + 1} should be a group name or "
                        f"[name, {{fileRegex, description}}], not {describe_type(entry)}; "
                        "it was ignored",
                        path=self.path,
                        line=line,
                        hint='write `"edit"` or `["edit", {"fileRegex": "\\\\.py$"}]`',
                        slug=self.slug,
                    )
                )
            else:
                groups.append(group.model_copy(update={"line": self.lines.at(("groups", index))}))
        return groups

    @staticmethod
    def _group(entry: Any) -> ToolGroup | None:
        if isinstance(entry, str) and entry.strip():
            return ToolGroup(name=entry.strip())
        if not isinstance(entry, list) or not 1 <= len(entry) <= 2:
            return None
        name = entry[0]
        if not isinstance(name, str) or not name.strip():
            return None
        options = entry[1] if len(entry) == 2 else {}
        if options is None:
            options = {}
        if not isinstance(options, Mapping):
            return None
        regex, description = options.get("fileRegex"), options.get("description")
        if regex is not None and not isinstance(regex, str):
            return None
        if description is not None and not isinstance(description, str):
            return None
        return ToolGroup(name=name.strip(), file_regex=regex, description=description)

    def tags(self) -> tuple[str, ...]:
        value = self.item.get("tags")
        if value is None:
            return ()
        if isinstance(value, list) and all(isinstance(tag, str) for tag in value):
            return tuple(tag.strip() for tag in value if tag.strip())
        self.error(
            Code.WRONG_TYPE,
            "tags",
            f"`tags` should be a list of strings, not {describe_type(value)}; it was ignored",
            'write `tags: ["python", "api"]`',
        )
        return ()

    def model(self) -> str | None:
        config = self.item.get("apiConfiguration")
        if isinstance(config, str) and config.strip():
            return config.strip()
        if isinstance(config, Mapping):
            for key in _MODEL_KEYS:
                value = config.get(key)
                if isinstance(value, str) and value.strip():
                    return value.strip()
        return None


def _extra(item: Mapping[Any, Any]) -> dict[str, Any]:
    """The keys Roo Code does not define, for `Mode.extra`.

    An `apiConfiguration` holding only the model is not kept: `Mode.model` holds it.
    """
    extra = {
        str(key): jsonable(value)
        for key, value in item.items()
        if (str(key) not in ROOMODES_KEYS or key == "source") and key != "tags"
    }
    config = extra.get("apiConfiguration")
    if isinstance(config, dict) and set(config) == {"model"}:
        del extra["apiConfiguration"]
    return extra


def _read_mode(item: Any, lines: Lines, *, path: str | None, result: ReadResult) -> Mode | None:
    start = lines.at(())
    if not isinstance(item, Mapping):
        result.findings.append(
            finding(
                Code.WRONG_TYPE,
                Severity.ERROR,
                f"a mode should be a mapping of keys, not {describe_type(item)}; it was skipped",
                path=path,
                line=start,
                hint="write each mode as an object with slug, name, roleDefinition and groups",
            )
        )
        return None
    reader = _ModeReader(item, lines, path=path)
    slug_value = item.get("slug")
    if isinstance(slug_value, int | float) and not isinstance(slug_value, bool):
        slug_value = str(slug_value)
    if not isinstance(slug_value, str) or not slug_value.strip():
        code = Code.MISSING_FIELD if slug_value in (None, "") else Code.WRONG_TYPE
        reader.error(
            code,
            "slug" if "slug" in item else None,
            "the mode has no usable `slug` "
            f"({describe_type(slug_value) if slug_value is not None else 'missing'}); "
            "it was skipped",
            "add `slug` with letters, digits and hyphens, e.g. `docs-writer`",
        )
        result.extend(reader.result)
        return None
    slug = slug_value.strip()
    reader.slug = slug
    name = reader.text("name", required=True)
    emoji, plain_name = split_emoji(name) if name else (None, slug)
    mode = Mode(
        slug=slug,
        name=plain_name or slug,
        emoji=emoji,
        role_definition=reader.text("roleDefinition", required=True) or "",
        when_to_use=reader.text("whenToUse", required=False) or "",
        description=reader.text("description", required=False) or "",
        custom_instructions=reader.text("customInstructions", required=False) or "",
        tool_groups=tuple(reader.groups()),
        tags=reader.tags(),
        model=reader.model(),
        source=SourceInfo(path=path, line=start, format=SourceFormat.ROOMODES),
        extra=_extra(item),
    )
    result.extend(reader.result)
    return mode
