"""Findings: every problem modegraph finds in a file or a catalog.

A finding is data, never an exception: readers and lint return them, and the
command line prints them as ``path:line: CODE severity: message``.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

__all__ = ["Code", "Finding", "Severity"]


class Severity(StrEnum):
    """How bad a finding is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Code(StrEnum):
    """Stable finding codes. Scripts may rely on them; never rename one."""

    # reading files (modes/)
    UNREADABLE_FILE = "unreadable-file"
    EMPTY_FILE = "empty-file"
    NOT_UTF8 = "not-utf8"
    MOJIBAKE_REPAIRED = "mojibake-repaired"
    JSON_ARTIFACTS_CLEANED = "json-artifacts-cleaned"
    NO_MODE_FILES = "no-mode-files"
    UNKNOWN_TOOL = "unknown-tool"
    SYNTAX_ERROR = "syntax-error"
    WRONG_TYPE = "wrong-type"
    MISSING_FIELD = "missing-field"
    INVALID_SLUG = "invalid-slug"
    DUPLICATE_SLUG = "duplicate-slug"
    DUPLICATE_GROUP = "duplicate-group"
    INVALID_REGEX = "invalid-regex"
    UNKNOWN_TOOL_GROUP = "unknown-tool-group"
    DEPRECATED_TOOL_GROUP = "deprecated-tool-group"
    LEVEL_CONFLICT = "level-conflict"
    UNKNOWN_FORMAT = "unknown-format"
    UNKNOWN_KEY = "unknown-key"
    OVERRIDDEN = "overridden"
    CREW_QUALIFIED = "crew-qualified"
    """An agent whose key another CrewAI crew also uses is named `<crew>-<key>`."""
    INTERNAL_ERROR = "internal-error"
    """A reader raised: a modegraph bug, not a problem in the user's file."""
    LENIENT_FRONT_MATTER = "lenient-front-matter"
    """Front matter that is not valid YAML (or is indented) was read line by line."""
    TEMPLATE_SKIPPED = "template-skipped"
    """A mode template (a `templates/` folder, a placeholder slug) was not loaded."""
    NOT_A_MODE = "not-a-mode"
    """A file beside modes, shaped like one, that is not a mode (no front matter)."""
    FILE_TOO_LARGE = "file-too-large"
    """A file over the size limit for mode files was not read."""
    # writing files (modes/formats/writers.py)
    FIELD_DROPPED = "field-dropped"
    # references
    DANGLING_REFERENCE = "dangling-reference"
    AMBIGUOUS_REFERENCE = "ambiguous-reference"
    RESOLVED_BY_RULE = "resolved-by-rule"
    IMPLIED_EDGE = "implied-edge"
    """A mode's own text hands work to a slug (`new_task` lists, "delegate to `x`")."""
    IMPLIED_TARGET_MISSING = "implied-target-missing"
    """A mode's text hands work to a slug that names no mode."""
    BUILT_IN_ORCHESTRATOR = "built-in-orchestrator"
    """The catalog is coordinated by the orchestrator role (built in, or its own mode)."""
    # the role hierarchy and the escalation graph (roles/)
    UNKNOWN_LEVEL = "unknown-level"
    SELF_EDGE = "self-edge"
    ESCALATION_CYCLE = "escalation-cycle"
    ESCALATION_TRAP = "escalation-trap"
    ESCALATES_DOWN = "escalates-down"
    DELEGATES_UP = "delegates-up"
    NO_ESCALATION_PATH = "no-escalation-path"
    UNREACHABLE = "unreachable"
    ORPHAN = "orphan"
    REPORT_WITHOUT_DELEGATION = "report-without-delegation"


class Finding(BaseModel):
    """One problem found in a file or a catalog."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    path: str | None = None
    """The file the problem is in, as the user named it; None for catalog-wide findings."""
    line: int | None = None
    """1-based line in `path`, when known."""
    code: Code
    """Stable code of the problem."""
    severity: Severity
    """error, warning or info."""
    message: str
    """What is wrong, in one sentence."""
    hint: str | None = None
    """How to fix it."""
    slug: str | None = None
    """The mode the finding is about, when there is one."""

    def format(self) -> str:
        """Render as ``path:line: CODE severity: message (hint)``."""
        where = self.path or "<catalog>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        text = f"{where}: {self.code.value} {self.severity.value}: {self.message}"
        if self.hint:
            text += f" Fix: {self.hint}"
        return text
