"""Model specs (`provider:model`) and which one a role uses.

A spec names a provider and a model: `openai:gpt-4.1`, `anthropic:claude-sonnet-4-5`,
`ollama:llama3:8b` (everything after the first colon is the model). The text before
the first colon must be a known provider; otherwise the spec is refused with the list.

Which model a role uses (`choose_model`), first match wins:

1. The mode's own model (its `API Configuration`, a Claude agent's `model:`), when
   `modegraph.yaml`'s `models:` table maps it (`sonnet: anthropic:claude-sonnet-4-5`,
   `quasar-alpha: openai:gpt-4o-mini`, `inherit: ...`); names match ignoring case.
2. `--model provider:model`: every other role uses it.
3. The mode's own model as written: a `provider:model` is used as is; a bare model
   name (`quasar-alpha`) takes the default provider, the one of a provider-only
   `--model provider:` or else the `MODEGRAPH_PROVIDER` environment variable.
   `inherit` (Claude Code's "the conversation's model") means the run's `--model`,
   so without one it is an error.
4. Otherwise a `ProviderError`: the role has no model.

Every choice says why (`ModelChoice.why`), so a run can tell which model each role
used and where it came from.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from modegraph.errors import ProviderError
from modegraph.modes.model import Mode

__all__ = [
    "INHERIT",
    "PROVIDER_ENV",
    "PROVIDER_PACKAGES",
    "ModelChoice",
    "ModelSpec",
    "choose_model",
    "parse_model_spec",
    "resolve_model_spec",
]

PROVIDER_ENV = "MODEGRAPH_PROVIDER"
"""Environment variable with the default provider for bare model names."""

INHERIT = "inherit"
"""A mode's model that means "the run's model" (Claude Code's `model: inherit`)."""

PROVIDER_PACKAGES: Mapping[str, str] = {
    "anthropic": "langchain_anthropic",
    "azure_openai": "langchain_openai",
    "bedrock": "langchain_aws",
    "bedrock_converse": "langchain_aws",
    "cohere": "langchain_cohere",
    "deepseek": "langchain_deepseek",
    "fireworks": "langchain_fireworks",
    "google_genai": "langchain_google_genai",
    "google_vertexai": "langchain_google_vertexai",
    "groq": "langchain_groq",
    "huggingface": "langchain_huggingface",
    "ibm": "langchain_ibm",
    "litellm": "langchain_litellm",
    "mistralai": "langchain_mistralai",
    "nvidia": "langchain_nvidia_ai_endpoints",
    "ollama": "langchain_ollama",
    "openai": "langchain_openai",
    "openrouter": "langchain_openrouter",
    "perplexity": "langchain_perplexity",
    "together": "langchain_together",
    "upstage": "langchain_upstage",
    "xai": "langchain_xai",
}
"""Provider name (as `init_chat_model` knows it) -> the module its package installs."""

_TABLE = "modegraph.yaml models:"
NO_MODEL_FIX = (
    "pass --model provider:model (e.g. --model openai:gpt-4.1) or add 'model: provider:model'"
)
"""How to give a role a model (the end of a message)."""


class ModelSpec(BaseModel):
    """A provider and a model name."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    provider: str
    """Provider key, as `init_chat_model` knows it (`openai`, `google_genai`)."""
    model: str
    """Model name as the provider knows it."""

    def __str__(self) -> str:
        return f"{self.provider}:{self.model}"

    @property
    def package(self) -> str:
        """The pip package that provides this provider's chat model."""
        return PROVIDER_PACKAGES[self.provider].replace("_", "-")


class ModelChoice(BaseModel):
    """The model a role uses, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    spec: ModelSpec
    """The model."""
    why: str
    """Where it came from: `--model`, `its model 'sonnet' (modegraph.yaml models:)`, ..."""


def _provider(name: str, text: str) -> str:
    key = name.strip().lower().replace("-", "_")
    if key not in PROVIDER_PACKAGES:
        msg = (
            f"unknown provider {name!r} in model spec {text!r}; known providers: "
            f"{', '.join(sorted(PROVIDER_PACKAGES))}. Write 'provider:model', e.g. "
            "'openai:gpt-4.1' (a model name with a colon needs its provider first: "
            "'ollama:llama3:8b')"
        )
        raise ProviderError(msg)
    return key


def parse_model_spec(text: str, *, default_provider: str | None = None) -> ModelSpec:
    """Read a `provider:model` spec, or a bare model name with a default provider.

    Args:
        text: `provider:model`, or a bare model name.
        default_provider: Provider for a bare model name.

    Returns:
        The spec.

    Raises:
        ProviderError: For an empty spec, an unknown provider, an empty model, or a
            bare model name without a default provider.
    """
    spec = text.strip()
    if not spec:
        msg = "empty model spec; write 'provider:model', e.g. 'openai:gpt-4.1'"
        raise ProviderError(msg)
    if ":" in spec:
        provider, model = spec.split(":", 1)
        provider = _provider(provider, spec)
        if not model.strip():
            msg = f"model spec {spec!r} names no model; write '{provider}:<model>'"
            raise ProviderError(msg)
        return ModelSpec(provider=provider, model=model.strip())
    if default_provider is None:
        msg = (
            f"model {spec!r} names no provider; write 'provider:{spec}' (e.g. "
            f"'openrouter:{spec}'), pass a default provider with --model provider:, "
            f"set {PROVIDER_ENV}=<provider>, or map it in {_TABLE}"
        )
        raise ProviderError(msg)
    return ModelSpec(provider=_provider(default_provider, spec), model=spec)


def cli_spec(
    cli_model: str | None, environ: Mapping[str, str] | None
) -> tuple[ModelSpec | None, str | None]:
    """The spec `--model` gives every role (or None), and the default provider.

    Raises:
        ProviderError: `--model` is not a usable spec.
    """
    default_provider = (environ or {}).get(PROVIDER_ENV) or None
    if cli_model is None or not cli_model.strip():
        return None, default_provider
    text = cli_model.strip()
    if text.endswith(":"):
        return None, _provider(text[:-1], text)
    return parse_model_spec(text, default_provider=default_provider), default_provider


def mapped(models: Mapping[str, str], name: str | None) -> tuple[str, str] | None:
    """The `models:` entry for a mode's model name (matched ignoring case), or None."""
    if name is None or not name.strip():
        return None
    wanted = name.strip().casefold()
    return next(((k, v) for k, v in models.items() if k.strip().casefold() == wanted), None)


def choose_model(
    *,
    mode: Mode,
    cli_model: str | None = None,
    environ: Mapping[str, str] | None = None,
    models: Mapping[str, str] | None = None,
) -> ModelChoice:
    """The model a role uses and why; see the module docstring for the order.

    Args:
        mode: The role.
        cli_model: The `--model` value: `provider:model`, or `provider:` for a
            default provider only.
        environ: Where to read `MODEGRAPH_PROVIDER` (no environment when None).
        models: `modegraph.yaml`'s `models:` table (name -> `provider:model`).

    Returns:
        The choice.

    Raises:
        ProviderError: When the role ends up with no usable spec; the message names
            the role and its file.
    """
    where = where_defined(mode)
    own = mode.model.strip() if mode.model else ""
    entry = mapped(models or {}, own)
    if entry is not None:
        try:
            spec = parse_model_spec(entry[1])
        except ProviderError as exc:
            raise ProviderError(f"{_TABLE} {entry[0]}: {exc}") from exc
        return ModelChoice(spec=spec, why=f"its model {own!r}, mapped in {_TABLE}")
    given, default_provider = cli_spec(cli_model, environ)
    if given is not None:
        unmapped = f"; its own model {own!r} is not in {_TABLE}" if own else ""
        if own.casefold() == INHERIT:
            unmapped = f"; its model is {INHERIT!r}"
        return ModelChoice(spec=given, why=f"--model{unmapped}")
    if not own:
        msg = (
            f"role {mode.slug!r}{where} has no model; {NO_MODEL_FIX} to the mode's "
            "API Configuration"
        )
        raise ProviderError(msg)
    if own.casefold() == INHERIT:
        msg = (
            f"role {mode.slug!r}{where}: its model is {INHERIT!r} (the run's model); pass "
            f"--model provider:model or map '{INHERIT}' in {_TABLE}"
        )
        raise ProviderError(msg)
    try:
        spec = parse_model_spec(own, default_provider=default_provider)
    except ProviderError as exc:
        raise ProviderError(f"role {mode.slug!r}{where}: {exc}") from exc
    how = "its own model" if ":" in own else f"its model {own!r} with the default provider"
    return ModelChoice(spec=spec, why=how)


def resolve_model_spec(
    *,
    mode: Mode,
    cli_model: str | None = None,
    environ: Mapping[str, str] | None = None,
    models: Mapping[str, str] | None = None,
) -> ModelSpec:
    """The model a role uses (`choose_model(...).spec`).

    Args:
        mode: The role.
        cli_model: The `--model` value.
        environ: Where to read `MODEGRAPH_PROVIDER`.
        models: `modegraph.yaml`'s `models:` table.

    Returns:
        The spec.
    """
    return choose_model(mode=mode, cli_model=cli_model, environ=environ, models=models).spec


def where_defined(mode: Mode) -> str:
    """` (path:line)` of the mode's file, or an empty string."""
    if mode.source.path is None:
        return ""
    line = f":{mode.source.line}" if mode.source.line else ""
    return f" ({mode.source.path}{line})"
