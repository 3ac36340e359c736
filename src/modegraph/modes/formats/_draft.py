"""A mutable draft of a mode that readers fill in, then freeze into a `Mode`."""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from modegraph.findings import Code, Finding, Severity
from modegraph.modes.model import EdgeKind, Mode, Reference, SourceFormat, SourceInfo, ToolGroup
from modegraph.modes.names import name_from_slug, stem_slug

__all__ = [
    "REFERENCE_FIELDS",
    "ModeDraft",
    "empty_file",
    "name_from_slug",
    "slug_from_path",
    "split_emoji",
]

REFERENCE_FIELDS: dict[str, EdgeKind] = {
    "delegates_to": EdgeKind.DELEGATE,
    "escalates_to": EdgeKind.ESCALATE,
    "reports_to": EdgeKind.REPORT,
}
"""The `Mode` reference fields and the edge kind each one holds."""

_NUMERIC_PREFIX = re.compile(r"^\d+[-_.]+")
_SUFFIXES = (".md", ".markdown", ".txt", ".toml", ".yaml", ".yml", ".json")


@dataclass
class ModeDraft:
    """Everything a reader found about one mode, before it is frozen."""

    slug: str | None = None
    name: str | None = None
    emoji: str | None = None
    level: str | None = None
    description: str = ""
    when_to_use: str = ""
    capabilities: list[str] = field(default_factory=list)
    workflow: list[str] = field(default_factory=list)
    role_definition: str = ""
    custom_instructions: str = ""
    tool_groups: list[ToolGroup] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    stack: list[str] = field(default_factory=list)
    delegates_to: list[Reference] = field(default_factory=list)
    escalates_to: list[Reference] = field(default_factory=list)
    reports_to: list[Reference] = field(default_factory=list)
    model: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    line: int = 1
    """1-based line where the mode starts in its file."""

    def add_placeholder(self, kind: EdgeKind, text: str, line: int | None) -> None:
        """Keep a placeholder reference (`None`, `Relevant Lead`) in `extra`.

        Stored JSON-safe under `extra["placeholder_references"]` as
        `{"kind": "delegate" | "escalate" | "report", "text": ..., "line": ...}`.
        """
        self.extra.setdefault("placeholder_references", []).append(
            {"kind": kind.value, "text": text, "line": line}
        )

    def finish(
        self, *, path: str | None, fmt: SourceFormat, findings: list[Finding]
    ) -> Mode | None:
        """Freeze into a `Mode`; a missing slug or name is a `missing-field` error.

        Without a slug no mode can be built (None is returned). Without a name the
        mode is still built, named after its slug, so the rest of it can be used.
        Findings met while reading it get the mode's slug when they have none.
        """
        slug = (self.slug or "").strip()
        if not slug:
            findings.append(
                Finding(
                    path=path,
                    line=self.line,
                    code=Code.MISSING_FIELD,
                    severity=Severity.ERROR,
                    message="the mode has no slug, so it cannot be loaded",
                    hint=_SLUG_HINT.get(fmt, "add a slug to the mode"),
                )
            )
            return None
        name = (self.name or "").strip()
        if not name:
            findings.append(
                Finding(
                    path=path,
                    line=self.line,
                    code=Code.MISSING_FIELD,
                    severity=Severity.ERROR,
                    message=f"the mode has no name; it was named after its slug `{slug}`",
                    hint=_NAME_HINT.get(fmt, "add a name to the mode"),
                    slug=slug,
                )
            )
            name = name_from_slug(slug)
        findings[:] = [f if f.slug else f.model_copy(update={"slug": slug}) for f in findings]
        return Mode(
            slug=slug,
            name=name,
            emoji=_shared_or_none(self.emoji or None),
            level=_shared_or_none((self.level or "").strip() or None),
            description=self.description,
            when_to_use=self.when_to_use,
            capabilities=tuple(self.capabilities),
            workflow=tuple(self.workflow),
            role_definition=self.role_definition,
            custom_instructions=self.custom_instructions,
            tool_groups=tuple(self.tool_groups),
            tags=tuple(map(_shared, self.tags)),
            categories=tuple(map(_shared, self.categories)),
            stack=tuple(map(_shared, self.stack)),
            delegates_to=tuple(self.delegates_to),
            escalates_to=tuple(self.escalates_to),
            reports_to=tuple(self.reports_to),
            model=(self.model or "").strip() or None,
            source=SourceInfo(path=path, line=self.line, format=fmt),
            extra=self.extra,
        )


def _shared(value: str) -> str:
    """One string object for each level, emoji and tag however many modes repeat it.

    A catalog repeats a few dozen of them in every mode (`030-worker-backend`, `python`);
    interned, each mode keeps a pointer instead of its own copy. Only exact `str`
    values are interned (`sys.intern` refuses a subclass); others are kept as they are.
    """
    return sys.intern(value) if type(value) is str else value


def _shared_or_none(value: str | None) -> str | None:
    return None if value is None else _shared(value)


_SLUG_HINT = {
    SourceFormat.ROO_MARKDOWN: (
        "start the file with a heading `# Mode: <emoji> <Name> (`slug`)` "
        "or add `slug: ...` to the YAML front matter"
    ),
    SourceFormat.ROO_TOML: 'add `id = "your-slug"` to the `+++` front matter',
    SourceFormat.CLAUDE: "add `name: your-agent` to the YAML front matter",
}
_NAME_HINT = {
    SourceFormat.ROO_MARKDOWN: (
        "give the heading a name: `# Mode: <emoji> <Name> (`slug`)`, "
        "or add `name: ...` to the front matter"
    ),
    SourceFormat.ROO_TOML: 'add `name = "<emoji> <Name>"` to the `+++` front matter',
    SourceFormat.CLAUDE: "add `name: your-agent` to the YAML front matter",
}


def empty_file(path: str | None) -> Finding:
    """The `empty-file` warning for a file with nothing but whitespace."""
    return Finding(
        path=path,
        line=1,
        code=Code.EMPTY_FILE,
        severity=Severity.WARNING,
        message="the file is empty; no mode was read",
        hint="delete the file or write a mode in it",
    )


def slug_from_path(path: str | None) -> str | None:
    """A slug from a file name: `032-fastapi-developer.mode.md` -> `fastapi-developer`.

    A Roo Commander stem loses its level the way references do (`resolution.stem_slug`):
    `032-worker-backend-api-tester.mode.md` -> `api-tester`.
    """
    if not path:
        return None
    name = PurePath(path).name
    lowered = name.lower()
    for suffix in _SUFFIXES:
        if lowered.endswith(suffix):
            name = name[: -len(suffix)]
            lowered = lowered[: -len(suffix)]
            break
    if lowered.endswith(".mode"):
        name = name[: -len(".mode")]
    name = (stem_slug(name) or _NUMERIC_PREFIX.sub("", name)).strip()
    return name or None


def split_emoji(text: str) -> tuple[str | None, str]:
    """Split a leading emoji off a display name: `🚀 FastAPI Developer` -> (🚀, name)."""
    stripped = text.strip()
    head, _, rest = stripped.partition(" ")
    if head and rest.strip() and _is_emoji_token(head):
        return head, rest.strip()
    return None, stripped


_EMOJI_PARTS = frozenset({"So", "Sk", "Mn", "Me", "Cf"})


def _is_emoji_token(token: str) -> bool:
    """A token of pictographs (`🚀`, `🧑‍💻`, `⚙️`, `🇫🇷`): symbols with their joiners.

    Every character is an "other symbol" or a joiner, variation selector, skin tone
    or keycap mark, and at least one is a symbol; dashes, bullets and letters are not
    emoji, so `— Name` keeps its dash.
    """
    if "\u20e3" in token:  # a keycap: 1️⃣, #️⃣
        return len(token) <= 3
    categories = [unicodedata.category(ch) for ch in token]
    return "So" in categories and all(cat in _EMOJI_PARTS for cat in categories)
