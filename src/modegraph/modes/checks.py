"""Checks the loader runs on every mode, whatever format it was read from.

Each check returns findings, never raises: an invalid slug, an unknown or
duplicate tool group, the deprecated `browser` group (accepted with a warning),
a file regex that does not compile, and a slug used twice in one source.
A `browser` group the user never wrote as such is not warned about: a default
(a Roo Commander TOML mode without `allowed_tool_groups` gets `browser`), or a
group made from another tool's names (Claude Code's WebFetch and WebSearch, a
CrewAI web tool), which upstream has not deprecated.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.model import KNOWN_TOOL_GROUPS, SLUG_PATTERN, Mode, SourceFormat

__all__ = [
    "ALWAYS_AVAILABLE_TOOLS",
    "CHECK_CODES",
    "MEANT_GROUP",
    "check_mode",
    "check_modes",
    "suggest_slug",
]

CHECK_CODES = frozenset(
    {
        Code.INVALID_SLUG,
        Code.UNKNOWN_TOOL_GROUP,
        Code.DEPRECATED_TOOL_GROUP,
        Code.INVALID_REGEX,
        Code.DUPLICATE_GROUP,
        Code.DUPLICATE_SLUG,
    }
)
"""The finding codes these checks produce."""

DEPRECATED_TOOL_GROUPS = frozenset({"browser"})
"""Groups Roo Code still accepts but has deprecated."""


ALWAYS_AVAILABLE_TOOLS = frozenset(
    {"ask", "completion", "complete", "attempt_completion", "ask_followup_question"}
)
"""Names real Roo Commander modes list as groups for tools every Roo Code mode has: an info."""

MEANT_GROUP = {
    "search": "read",
    "write": "edit",
    "execute": "command",
    "execution": "command",
    "terminal": "command",
    "delegate": "modes",
    "new_task": "modes",
    "switch": "modes",
    "switch_mode": "modes",
}
"""Names real catalogs write for a Roo Code group (`search_files` is in `read`): a warning.

The group written is not granted: a mode gets only the groups it names exactly.
"""


def suggest_slug(text: str) -> str:
    """A valid slug close to `text`: lower case, other characters become hyphens."""
    slug = re.sub(r"[^a-zA-Z0-9-]+", "-", text.strip()).strip("-").lower()
    return re.sub(r"-{2,}", "-", slug) or "my-mode"


_PORTABLE_ENOUGH = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
"""A slug that is lower case and adds only '.' or '_' (``dotnet-framework-4.8-expert``).

Real Claude Code collections name agents this way and Claude Code runs them; task ids
and file names made from such a slug are still safe, so it is a portability warning.
"""


def check_mode(mode: Mode) -> list[Finding]:
    """Every per-mode finding for one mode."""
    findings: list[Finding] = []
    path, line = mode.source.path, mode.source.line

    def add(code: Code, severity: Severity, message: str, hint: str, at: int | None = None) -> None:
        findings.append(
            Finding(
                path=path,
                line=at or line,
                code=code,
                severity=severity,
                message=message,
                hint=hint,
                slug=mode.slug,
            )
        )

    if not SLUG_PATTERN.match(mode.slug):
        if _PORTABLE_ENOUGH.match(mode.slug):
            add(
                Code.INVALID_SLUG,
                Severity.WARNING,
                f"slug {mode.slug!r} holds '.' or '_': modegraph and Claude Code run it, "
                "but Roo Code only takes letters, digits and hyphens",
                f"to use it in Roo Code, rename it, for example to {suggest_slug(mode.slug)!r}",
            )
        else:
            add(
                Code.INVALID_SLUG,
                Severity.ERROR,
                f"slug {mode.slug!r} may only hold letters, digits and hyphens",
                f"rename it, for example to {suggest_slug(mode.slug)!r}",
            )
    seen: set[str] = set()
    for group in mode.tool_groups:
        if group.name in seen:
            add(
                Code.DUPLICATE_GROUP,
                Severity.ERROR,
                f"tool group {group.name!r} is listed twice",
                "keep one entry per group; put a file regex on the single `edit` entry",
                group.line,
            )
        seen.add(group.name)
        if group.name in ALWAYS_AVAILABLE_TOOLS:
            add(
                Code.UNKNOWN_TOOL_GROUP,
                Severity.INFO,
                f"{group.name!r} is not a tool group: Roo Code gives every mode "
                "ask_followup_question and attempt_completion",
                f"remove {group.name!r} from the groups; nothing is lost",
                group.line,
            )
        elif group.name in MEANT_GROUP:
            meant = MEANT_GROUP[group.name]
            add(
                Code.UNKNOWN_TOOL_GROUP,
                Severity.WARNING,
                f"{group.name!r} is not a tool group, so the mode does not get it; "
                f"Roo Code's {meant!r} group is probably meant",
                f"write {meant!r} instead of {group.name!r}",
                group.line,
            )
        elif group.name not in KNOWN_TOOL_GROUPS:
            close = difflib.get_close_matches(group.name, sorted(KNOWN_TOOL_GROUPS), n=1)
            known = ", ".join(sorted(KNOWN_TOOL_GROUPS - DEPRECATED_TOOL_GROUPS))
            add(
                Code.UNKNOWN_TOOL_GROUP,
                Severity.ERROR,
                f"unknown tool group {group.name!r}",
                f"did you mean {close[0]!r}?" if close else f"use one of: {known}",
                group.line,
            )
        elif group.name in DEPRECATED_TOOL_GROUPS and not _defaulted(mode, group.line):
            add(
                Code.DEPRECATED_TOOL_GROUP,
                Severity.WARNING,
                f"tool group {group.name!r} is deprecated upstream (accepted)",
                "remove it, or allow it with `browser: {allow: true}` in modegraph.yaml",
                group.line,
            )
        if group.file_regex is not None:
            try:
                re.compile(group.file_regex)
            except re.error as exc:
                add(
                    Code.INVALID_REGEX,
                    Severity.ERROR,
                    f"file regex {group.file_regex!r} of group {group.name!r} "
                    f"does not compile: {exc}",
                    _regex_hint(group.file_regex),
                    group.line,
                )
    return findings


_JS_NAMED_GROUP = re.compile(r"\(\?<(?![=!])")


_GROUPS_FROM_TOOLS = frozenset({SourceFormat.CLAUDE, SourceFormat.CREWAI})
"""Formats whose groups are made from the tools they name, never written as group names."""


def _defaulted(mode: Mode, group_line: int | None) -> bool:
    """A group the reader supplied (a default, or made from tool names), not written."""
    if mode.source.format in _GROUPS_FROM_TOOLS:
        return True
    return group_line is None and mode.extra.get("allowed_tool_groups") == "default"


def _regex_hint(pattern: str) -> str:
    if _JS_NAMED_GROUP.search(pattern):
        return "modegraph reads Python regex syntax: write a named group as `(?P<name>...)`"
    return "fix the regular expression (escape dots as `\\.`, close every bracket)"


def check_modes(modes: Iterable[Mode]) -> list[Finding]:
    """Per-mode findings for several modes of one source, plus duplicate slugs among them."""
    findings: list[Finding] = []
    first: dict[str, Mode] = {}
    for mode in modes:
        findings.extend(check_mode(mode))
        earlier = first.get(mode.slug)
        if earlier is None:
            first[mode.slug] = mode
            continue
        where = earlier.source.path or "<python>"
        if earlier.source.line is not None:
            where += f":{earlier.source.line}"
        findings.append(
            Finding(
                path=mode.source.path,
                line=mode.source.line,
                code=Code.DUPLICATE_SLUG,
                severity=Severity.ERROR,
                message=f"slug {mode.slug!r} is already used at {where}; the later mode wins",
                hint="give one of the two modes another slug, or delete one",
                slug=mode.slug,
            )
        )
    return findings
