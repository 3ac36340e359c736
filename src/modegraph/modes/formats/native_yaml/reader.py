r"""modegraph's own mode files: `*.mode.yaml|yml` (and the same fields as JSON or TOML).

```yaml
# yaml-language-server: $schema=mode.schema.json
slug: docs-writer
name: Docs Writer
level: 034-worker-docs
tool_groups: [read, {name: edit, file_regex: '\.md$'}]
escalates_to:
  - technical-writer
  - {slug: technical-architect, note: For documentation structure decisions}
```

One mode per file, or several under `modes:`. Each is validated by
`modegraph.modes.schema.ModeInput`: a missing required field is
`missing-field`, a key the schema does not know is `unknown-key` (with a
did-you-mean), a value of the wrong type is `wrong-type`. The bad keys are
dropped and the rest of the mode is still read when it can be.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.formats._fields import describe_type, finding
from modegraph.modes.formats._positions import (
    Lines,
    ParseError,
    parse_json,
    parse_yaml,
    toml_error_line,
)
from modegraph.modes.formats.reading import ReadResult
from modegraph.modes.model import Mode, Reference, SourceFormat, SourceInfo, ToolGroup
from modegraph.modes.schema import ModeInput, ReferenceInput, ToolGroupInput

__all__ = ["looks_like_native_mode", "read_native_toml", "read_native_yaml"]

_FIELDS = tuple(ModeInput.model_fields)
_REFERENCE_FIELDS = ("delegates_to", "escalates_to", "reports_to")
_TOP_KEY = re.compile(r"^[ \t-]*[\"']?([a-z_]+)[\"']?\s*[:=]", re.MULTILINE)
_UNION_TAGS = frozenset({"ReferenceInput", "ToolGroupInput", "str"})
_NATIVE_ONLY = frozenset(_FIELDS) - {"slug", "name", "description", "tags", "model", "extra"}


def looks_like_native_mode(text: str) -> bool:
    """True when the text looks like a modegraph mode file (YAML, JSON or TOML)."""
    keys = {match.group(1) for match in _TOP_KEY.finditer(text[:100_000])}
    keys |= set(re.findall(r"\"([a-z_]+)\"\s*:", text[:100_000]))
    keys |= {"modes"} if re.search(r"^\[\[modes\]\]", text, re.MULTILINE) else set()
    return ("slug" in keys or "modes" in keys) and bool(keys & _NATIVE_ONLY)


def read_native_yaml(text: str, *, path: str | None = None) -> ReadResult:
    """Read modegraph YAML (or JSON with the same fields). Never raises."""
    try:
        data, lines = parse_json(text) if text.lstrip()[:1] in ("{", "[") else parse_yaml(text)
    except ParseError as exc:
        return _syntax_error(exc.message, exc.line, path)
    return _read_document(data, lines, path=path, fmt=SourceFormat.YAML)


def read_native_toml(text: str, *, path: str | None = None) -> ReadResult:
    """Read a `*.mode.toml` file with modegraph's fields. Never raises."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return _syntax_error(f"TOML syntax error: {exc}", toml_error_line(str(exc)), path)
    return _read_document(data, _toml_lines(text), path=path, fmt=SourceFormat.TOML)


def _syntax_error(message: str, line: int | None, path: str | None) -> ReadResult:
    return ReadResult(
        findings=[
            finding(
                Code.SYNTAX_ERROR,
                Severity.ERROR,
                message,
                path=path,
                line=line,
                hint="fix the syntax at this line; the file was not read",
            )
        ]
    )


def _read_document(data: Any, lines: Lines, *, path: str | None, fmt: SourceFormat) -> ReadResult:
    result = ReadResult()
    if isinstance(data, Mapping):
        data = {key: value for key, value in data.items() if key != "$schema"}
    if data is None:
        result.findings.append(
            finding(
                Code.EMPTY_FILE,
                Severity.WARNING,
                "the file holds no mode",
                path=path,
                line=1,
                hint="write one mode (slug, name, ...) or a list under `modes:`",
            )
        )
        return result
    if isinstance(data, Mapping) and "modes" in data and "slug" not in data:
        items = _mode_list(data, lines, path=path, result=result)
    elif isinstance(data, Mapping):
        items = [((), data)]
    else:
        result.findings.append(
            finding(
                Code.WRONG_TYPE,
                Severity.ERROR,
                f"a mode file should hold a mapping, not {describe_type(data)}",
                path=path,
                line=1,
                hint="write one mode (`slug: ...`) or a list of modes under `modes:`",
            )
        )
        return result
    for prefix, item in items:
        mode = _read_mode(item, lines.under(prefix), path=path, fmt=fmt, result=result)
        if mode is not None:
            result.modes.append(mode)
    return result


def _mode_list(
    data: Mapping[Any, Any], lines: Lines, *, path: str | None, result: ReadResult
) -> list[tuple[tuple[str | int, ...], Any]]:
    for key in data:
        if key != "modes":
            result.findings.append(_unknown_key(str(key), ("modes",), lines.at((key,)), path, None))
    modes = data["modes"]
    if isinstance(modes, list):
        return [(("modes", index), item) for index, item in enumerate(modes)]
    result.findings.append(
        finding(
            Code.WRONG_TYPE,
            Severity.ERROR,
            f"`modes` should be a list of modes, not {describe_type(modes)}",
            path=path,
            line=lines.at(("modes",)),
            hint="write `modes:` followed by a list (`- slug: ...`)",
        )
    )
    return []


def _read_mode(
    item: Any, lines: Lines, *, path: str | None, fmt: SourceFormat, result: ReadResult
) -> Mode | None:
    start = lines.at(())
    if not isinstance(item, Mapping):
        result.findings.append(
            finding(
                Code.WRONG_TYPE,
                Severity.ERROR,
                f"a mode should be a mapping, not {describe_type(item)}; it was skipped",
                path=path,
                line=start,
                hint="write the mode as `slug: ...`, `name: ...` on their own lines",
            )
        )
        return None
    data = {str(key): value for key, value in item.items()}
    slug = data.get("slug") if isinstance(data.get("slug"), str) else None
    try:
        parsed = ModeInput.model_validate(data)
    except ValidationError as exc:
        bad: list[tuple[Any, ...]] = []
        for error in _union_merged(exc):
            result.findings.append(_error_finding(error, lines, path, slug))
            if error["type"] != "missing" and error["loc"]:
                bad.append(tuple(error["loc"]))
        try:
            parsed = ModeInput.model_validate(_without(data, bad))
        except ValidationError:
            return None
    return _to_mode(parsed, lines, path=path, line=start, fmt=fmt)


def _without(data: dict[str, Any], bad: list[tuple[Any, ...]]) -> dict[str, Any]:
    """`data` without the bad places: a bad list item drops only that item, not its key."""
    bad_keys = {str(loc[0]) for loc in bad if len(loc) == 1 or not isinstance(loc[1], int)}
    bad_items: dict[str, set[int]] = {}
    for loc in bad:
        if len(loc) >= 2 and isinstance(loc[1], int) and str(loc[0]) not in bad_keys:
            bad_items.setdefault(str(loc[0]), set()).add(loc[1])
    kept: dict[str, Any] = {}
    for key, value in data.items():
        if key in bad_keys:
            continue
        if key in bad_items and isinstance(value, list):
            value = [item for index, item in enumerate(value) if index not in bad_items[key]]
        kept[key] = value
    return kept


def _union_merged(exc: ValidationError) -> list[dict[str, Any]]:
    """One error per place: the branches of `ReferenceInput | str` are merged into one."""
    errors: list[dict[str, Any]] = []
    for error in exc.errors():
        loc = tuple(part for part in error["loc"] if part not in _UNION_TAGS)
        entry: dict[str, Any] = {**error, "loc": loc, "str_branch": "str" in error["loc"]}
        if len(loc) != len(error["loc"]) and error["type"] in {"model_type", "string_type"}:
            entry["msg"] = "Should be a name or a mapping"
        errors.append(entry)
    kept: dict[tuple[Any, ...], dict[str, Any]] = {}
    for entry in errors:
        loc = tuple(entry["loc"])
        if entry["str_branch"] and any(
            not other["str_branch"] and other["loc"][: len(loc)] == loc for other in errors
        ):
            continue
        kept.setdefault(loc, entry)
    return list(kept.values())


def _error_finding(
    error: Mapping[str, Any], lines: Lines, path: str | None, slug: str | None
) -> Finding:
    loc = tuple(error["loc"])
    where = ".".join(str(part) for part in loc)
    line = lines.at(loc)
    if error["type"] == "extra_forbidden":
        return _unknown_key(str(loc[-1]), _known_keys(loc), line, path, slug, where=where)
    if error["type"] == "missing":
        return finding(
            Code.MISSING_FIELD,
            Severity.ERROR,
            f"`{where}` is required",
            path=path,
            line=line,
            hint=f"add `{loc[-1]}`",
            slug=slug,
        )
    message = str(error["msg"])
    return finding(
        Code.WRONG_TYPE,
        Severity.ERROR,
        f"`{where}`: {message[:1].lower()}{message[1:]} "
        f"(got {describe_type(error.get('input'))}); it was ignored",
        path=path,
        line=line,
        hint="see `modegraph modes schema` for the type of each field",
        slug=slug,
    )


def _known_keys(loc: tuple[Any, ...]) -> tuple[str, ...]:
    if len(loc) >= 3 and loc[0] in _REFERENCE_FIELDS:
        return tuple(ReferenceInput.model_fields)
    if len(loc) >= 3 and loc[0] == "tool_groups":
        return tuple(ToolGroupInput.model_fields)
    return _FIELDS


def _unknown_key(
    key: str,
    known: tuple[str, ...],
    line: int | None,
    path: str | None,
    slug: str | None,
    *,
    where: str | None = None,
) -> Finding:
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower()
    close = [snake] if snake in known and snake != key else []
    close = close or difflib.get_close_matches(key, known, n=1)
    return finding(
        Code.UNKNOWN_KEY,
        Severity.ERROR,
        f"unknown key `{where or key}`; it was ignored",
        path=path,
        line=line,
        hint=f"did you mean `{close[0]}`?" if close else "see `modegraph modes schema`",
        slug=slug,
    )


def _to_mode(
    parsed: ModeInput, lines: Lines, *, path: str | None, line: int | None, fmt: SourceFormat
) -> Mode:
    refs: dict[str, tuple[Reference, ...]] = {}
    for field in _REFERENCE_FIELDS:
        values: list[ReferenceInput | str] = getattr(parsed, field)
        refs[field] = tuple(
            Reference(
                slug=value.slug if isinstance(value, ReferenceInput) else value,
                note=value.note if isinstance(value, ReferenceInput) else None,
                line=lines.at((field, index)),
            )
            for index, value in enumerate(values)
        )
    return Mode(
        slug=parsed.slug,
        name=parsed.name,
        emoji=parsed.emoji,
        level=parsed.level,
        description=parsed.description,
        when_to_use=parsed.when_to_use,
        capabilities=tuple(parsed.capabilities),
        workflow=tuple(parsed.workflow),
        role_definition=parsed.role_definition,
        custom_instructions=parsed.custom_instructions,
        tool_groups=tuple(
            _group(group).model_copy(update={"line": lines.at(("tool_groups", index))})
            for index, group in enumerate(parsed.tool_groups)
        ),
        tags=tuple(parsed.tags),
        categories=tuple(parsed.categories),
        stack=tuple(parsed.stack),
        delegates_to=refs["delegates_to"],
        escalates_to=refs["escalates_to"],
        reports_to=refs["reports_to"],
        model=parsed.model,
        source=SourceInfo(path=path, line=line, format=fmt),
        extra=dict(parsed.extra),
    )


def _group(group: ToolGroupInput | str) -> ToolGroup:
    if isinstance(group, str):
        return ToolGroup(name=group)
    return ToolGroup(name=group.name, file_regex=group.file_regex, description=group.description)


_TOML_TABLE = re.compile(r"^\s*\[\[\s*modes\s*\]\]\s*$")
_TOML_KEY = re.compile(r"^\s*[\"']?([A-Za-z0-9_$-]+)[\"']?\s*=")


def _toml_lines(text: str) -> Lines:
    """Approximate key lines for TOML (tomllib keeps no positions)."""
    lines = Lines()
    prefix: tuple[str | int, ...] = ()
    count = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if _TOML_TABLE.match(raw):
            prefix = ("modes", count)
            lines.table[prefix] = number
            count += 1
            continue
        if raw.lstrip().startswith("["):
            continue
        match = _TOML_KEY.match(raw)
        if match:
            lines.table.setdefault((*prefix, match.group(1)), number)
    lines.table.setdefault((), 1)
    return lines
