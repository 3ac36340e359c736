"""What every tool of one role shares: the workspace, the rules, the journal hook."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, ValidationError
from pydantic.v1 import ValidationError as ValidationErrorV1

from modegraph.errors import ToolRefused
from modegraph.modes.config import ProjectConfig
from modegraph.tools.permissions import (
    JournalHook,
    WriteRule,
    is_secret,
    protected_reason,
    refuse,
)
from modegraph.tools.protection import Protected, git_directory_reason
from modegraph.tools.workspace import PathKind, ResolvedPath, Workspace

__all__ = ["ToolContext", "make_tool"]


@dataclass(frozen=True)
class ToolContext:
    """The sandbox and permissions one role's tools work within."""

    workspace: Workspace
    """The root every path is resolved inside."""
    config: ProjectConfig = field(default_factory=ProjectConfig)
    """The project's `modegraph.yaml`."""
    role: str | None = None
    """Slug of the role the tools belong to."""
    write_rule: WriteRule = field(default_factory=lambda: WriteRule(enabled=False))
    """Which files the role may write."""
    journal_hook: JournalHook | None = None
    """Called with a line of text for each refusal, write and command."""
    protected: Protected = field(default_factory=Protected)
    """This run's own protected paths (journal, checkpoint, mode sources)."""

    def resolve(self, path: str, *, kind: PathKind = PathKind.FILE) -> ResolvedPath:
        """Resolve `path` in the workspace; a refusal is journaled and raised.

        Raises:
            ToolRefused: The path leaves the workspace or is malformed.
        """
        try:
            return self.workspace.resolve(path, kind=kind)
        except ToolRefused as exc:
            refuse(str(exc), self.journal_hook)

    def check_readable(self, target: ResolvedPath) -> None:
        """Refuse (and journal) reading a file that usually holds secrets.

        Raises:
            ToolRefused: The file matches a secret pattern and is not allowed.
        """
        if is_secret(target.relative, allowed=self.config.files.allow_secrets):
            refuse(
                f"{target.relative!r} usually holds secrets and is not readable; "
                "list it under files.allow_secrets in modegraph.yaml to allow it",
                self.journal_hook,
            )

    def check_writable(self, target: ResolvedPath, *, content: str | None = None) -> None:
        """Refuse (and journal) writing a file the role may not write.

        Args:
            target: The resolved file.
            content: What would be written: judged too when the file is in a mode
                source directory (it must not load as a mode).

        Raises:
            ToolRefused: The file is protected, or the role's edit groups do not allow it.
        """
        protected = self.write_protection(target.absolute, target.relative, content=content)
        if protected is not None:
            refuse(
                f"cannot write {target.relative!r}: it is {protected}; no role may write it",
                self.journal_hook,
            )
        problem = self.write_rule.check(target.relative)
        if problem is not None:
            refuse(f"cannot write {target.relative!r}: {problem}", self.journal_hook)
        if is_secret(target.relative, allowed=self.config.files.allow_secrets):
            refuse(
                f"cannot write {target.relative!r}: it usually holds secrets; list it "
                "under files.allow_secrets in modegraph.yaml to allow it",
                self.journal_hook,
            )

    def write_protection(
        self, absolute: Path, relative: str, *, content: str | None = None
    ) -> str | None:
        """Why no role may write this workspace file (by name, by run, by git), or None."""
        return (
            protected_reason(relative)
            or self.protected.reason(
                absolute, content=content, case_insensitive=self.workspace.case_insensitive
            )
            or git_directory_reason(self.workspace, absolute)
        )

    def command_protection(self, real: Path) -> str | None:
        """Why no command may name the real path `real` (inside the workspace), or None."""
        try:
            relative = real.relative_to(self.workspace.root).as_posix()
        except ValueError:
            return None
        if relative == ".":
            return None
        return self.write_protection(real, relative)

    def refused(self, exc: ToolRefused) -> NoReturn:
        """Journal a refusal raised below the context (a path that changed) and raise it.

        Raises:
            ToolRefused: Always.
        """
        refuse(str(exc), self.journal_hook)

    def note(self, text: str) -> None:
        """Send one event line to the journal hook, if any."""
        if self.journal_hook is not None:
            self.journal_hook(text)


def make_tool(
    func: Callable[..., str],
    *,
    name: str,
    description: str,
    args_schema: type[BaseModel],
    coroutine: Callable[..., Any] | None = None,
) -> BaseTool:
    """A StructuredTool whose input and `ToolException` errors go back to the model.

    A `ToolRefused` is not caught here: the chat agent turns it into a tool error
    and records it.
    """
    return StructuredTool.from_function(
        func=func,
        coroutine=coroutine,
        name=name,
        description=description,
        args_schema=args_schema,
        handle_tool_error=True,
        handle_validation_error=_describe_invalid_input,
    )


def _describe_invalid_input(error: ValidationError | ValidationErrorV1) -> str:
    """The model's argument mistakes, one per field, so it can call again correctly."""
    if not isinstance(error, ValidationError):  # pragma: no cover - pydantic v1 schemas
        return f"invalid arguments: {error}"
    problems = "; ".join(
        f"{'.'.join(str(part) for part in item['loc']) or 'arguments'}: {item['msg']}"
        for item in error.errors()
    )
    return f"invalid arguments: {problems}; call the tool again with corrected arguments"
