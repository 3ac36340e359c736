"""`modegraph.yaml`: the project configuration, read from the project directory.

```yaml
aliases:                      # old reference -> slug
  sql-specialist: database-specialist
approve: escalations          # none | handoffs | escalations | tier:<tier>
commands:
  allow: ['^pytest ', '^uv run ']
browser:
  allow: false
mcp:
  servers:
    docs: {transport: stdio, command: docs-server, args: []}
guards:
  max_depth: 6
  max_subtasks: 40
models:                       # model names in mode files -> provider:model
  quasar-alpha: openai:gpt-4o-mini
  sonnet: anthropic:claude-sonnet-4-5
prices:                       # US dollars per million tokens
  openai:gpt-4o-mini: {input: 0.15, output: 0.60}
```

Every section is optional; a missing file is the default configuration. A file
that is not valid raises `ConfigError` naming the file and the line.
"""

from __future__ import annotations

import difflib
import re
import typing
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from modegraph.errors import ConfigError
from modegraph.modes.formats._positions import Lines, ParseError, parse_yaml
from modegraph.modes.model import SLUG_PATTERN

__all__ = [
    "CONFIG_FILE_NAME",
    "TIERS",
    "BrowserConfig",
    "CommandsConfig",
    "FilesConfig",
    "GuardsConfig",
    "McpConfig",
    "PriceConfig",
    "ProjectConfig",
    "load_config",
    "parse_config",
]

CONFIG_FILE_NAME = "modegraph.yaml"
"""The name of the configuration file in the project directory."""

TIERS: tuple[str, ...] = ("executive", "director", "lead", "worker", "assistant")
"""The role tiers, highest first, as `approve: tier:<tier>` names them."""

_APPROVE = re.compile(r"^(none|handoffs|escalations|tier:(" + "|".join(TIERS) + r"))$")


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from exc
    return pattern


class CommandsConfig(_Section):
    """Which shell commands a role with the `command` tool group may run."""

    allow: tuple[Annotated[str, AfterValidator(_regex)], ...] = ()
    """Regular expressions; a command runs without approval only when one of them allows
    it: matched from the program on the parsed argv, ending at a whole argument, with no
    argument outside the workspace and no `-exec`/`-c`-style escape unless the rule
    spells it out (docs/sandbox.md, "What an allow rule means")."""
    timeout: float = Field(default=120.0, gt=0)
    """Seconds a command may run before its process group is killed (the most a tool
    call may ask for)."""
    max_output: int = Field(default=20_000, ge=1_000)
    """Characters of a command's output returned to the model (head and tail kept)."""
    pass_env: tuple[str, ...] = ()
    """Glob patterns of more environment variables passed to commands; only an
    allowlist (`PATH`, `HOME`, `LANG`, `LC_*`, `TERM`, `TMPDIR`, ...) is passed otherwise."""


class BrowserConfig(_Section):
    """Whether the deprecated `browser` tool group may be used at all."""

    allow: bool = False
    """True lets roles with the `browser` group drive a headless browser."""
    urls: tuple[Annotated[str, AfterValidator(_regex)], ...] = ()
    """When `allow` is true: regexes (`re.search`) a URL must match to be fetched;
    empty allows any http(s) URL."""


class FilesConfig(_Section):
    """File access beyond the defaults."""

    allow_secrets: tuple[str, ...] = ()
    """Glob patterns (on the workspace-relative path or the file name) of files that
    usually hold secrets (`.env`, `*.pem`, `id_rsa`, ...) which roles may read anyway."""


class McpConfig(_Section):
    """MCP servers the `mcp` tool group may call."""

    servers: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Server name -> connection settings, as `langchain-mcp-adapters` takes them
    (for example `{transport: stdio, command: ..., args: [...]}`)."""


class GuardsConfig(_Section):
    """Limits that stop a run before it runs away; None keeps the coordinator's default."""

    max_depth: int | None = Field(default=None, ge=1)
    """Deepest allowed subtask nesting (the root task is depth 0)."""
    max_subtasks: int | None = Field(default=None, ge=1)
    """Most subtasks one run may create in total."""


# ----- models and prices (read by the chat agent's model chooser) ------------------

_MODEL_SPEC = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*:\S")


def _model_spec(value: str) -> str:
    text = value.strip()
    if not _MODEL_SPEC.match(text):
        raise ValueError(
            f"{value!r} is not provider:model; write e.g. openai:gpt-4o-mini or "
            "anthropic:claude-sonnet-4-5"
        )
    return text


ModelSpecText = Annotated[str, AfterValidator(_model_spec)]
"""A `provider:model` string (the provider is checked when a run starts)."""


class PriceConfig(_Section):
    """What one model costs, in US dollars per million tokens (as providers publish)."""

    input: float = Field(ge=0)
    """Dollars per million input (prompt) tokens."""
    output: float = Field(ge=0)
    """Dollars per million output (completion) tokens."""


# ----- the whole file --------------------------------------------------------------


class ProjectConfig(_Section):
    """The contents of `modegraph.yaml`; every section is optional."""

    aliases: dict[str, str] = Field(default_factory=dict)
    """Reference aliases, old name -> slug, tried after every other resolution rule."""
    approve: str = "none"
    """When a run stops for a person's approval: `none`, `handoffs` (every handoff),
    `escalations` (every escalation), or `tier:<tier>` (every handoff to that tier or
    above)."""
    commands: CommandsConfig = Field(default_factory=CommandsConfig)
    """Shell commands roles may run."""
    browser: BrowserConfig = Field(default_factory=BrowserConfig)
    """Browser use."""
    files: FilesConfig = Field(default_factory=FilesConfig)
    """File access (secret files)."""
    mcp: McpConfig = Field(default_factory=McpConfig)
    """MCP servers."""
    guards: GuardsConfig = Field(default_factory=GuardsConfig)
    """Run guards."""
    models: dict[str, ModelSpecText] = Field(default_factory=dict)
    """Model names as mode files write them (`quasar-alpha`, `sonnet`, `haiku`, `opus`,
    `inherit`, full ids) -> the `provider:model` a run uses for them."""
    prices: dict[ModelSpecText, PriceConfig] = Field(default_factory=dict)
    """`provider:model` -> its price; runs show what they cost and `--max-cost` needs
    a price for every model a run may use."""

    @field_validator("approve")
    @classmethod
    def _approve(cls, value: str) -> str:
        if not _APPROVE.match(value):
            raise ValueError(
                f"approve must be none, handoffs, escalations or tier:<{'|'.join(TIERS)}>, "
                f"not {value!r}"
            )
        return value

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, value: dict[str, str]) -> dict[str, str]:
        for old, new in value.items():
            if not SLUG_PATTERN.match(new):
                raise ValueError(f"alias {old!r} -> {new!r}: the target is not a valid slug")
        return value

    @property
    def approve_tier(self) -> str | None:
        """The tier of `approve: tier:<tier>`, else None."""
        return self.approve.split(":", 1)[1] if self.approve.startswith("tier:") else None


def load_config(project_dir: Path | str | None = None) -> ProjectConfig:
    """Read `modegraph.yaml` from `project_dir` (default: the current directory).

    Returns the default configuration when there is no such file.

    Raises:
        ConfigError: the file cannot be read or is not valid; the message names
            the file, the line and the fix.
    """
    directory = Path.cwd() if project_dir is None else Path(project_dir)
    path = directory / CONFIG_FILE_NAME
    if not path.is_file():
        return ProjectConfig()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc}") from exc
    return parse_config(text, path=str(path))


def parse_config(text: str, *, path: str = CONFIG_FILE_NAME) -> ProjectConfig:
    """Validate the text of a `modegraph.yaml`.

    Raises:
        ConfigError: bad YAML or a bad value, with `path:line:` and a fix hint.
    """
    try:
        data, lines = parse_yaml(text)
    except ParseError as exc:
        raise ConfigError(f"{path}:{exc.line or 1}: {exc.message}; fix the YAML syntax") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: the configuration must be a mapping of sections")
    try:
        return ProjectConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, lines, path)) from exc


def _describe(exc: ValidationError, lines: Lines, path: str) -> str:
    messages = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        line = lines.at(loc) or 1
        where = ".".join(str(part) for part in loc) or "(top)"
        if error["type"] == "extra_forbidden":
            known = _known_keys(loc[:-1])
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            fix = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}"
            messages.append(f"{path}:{line}: unknown key {where!r}; {fix}")
        else:
            message = str(error["msg"]).removeprefix("Value error, ")
            messages.append(f"{path}:{line}: {where}: {message}")
    return "; ".join(messages)


def _known_keys(parent: tuple[Any, ...]) -> list[str]:
    model: type[BaseModel] = ProjectConfig
    parts = list(parent)
    while parts:
        annotation = model.model_fields.get(str(parts.pop(0)))
        target = annotation.annotation if annotation else None
        if typing.get_origin(target) is dict and parts:  # `prices: {spec: {...}}`
            target, _ = typing.get_args(target)[1], parts.pop(0)
        if not (isinstance(target, type) and issubclass(target, BaseModel)):
            return []
        model = target
    return list(model.model_fields)
