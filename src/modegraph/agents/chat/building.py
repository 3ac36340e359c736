"""Building chat models: packages, API keys, and what a run sets for every model.

Before a run starts it is checked that the models can be built:

- the `llm` extra and the provider's package are installed (`langchain-openai` and
  `langchain-anthropic` come with the extra; other providers name their package);
- the provider's API key is in the environment (`OPENAI_API_KEY`,
  `ANTHROPIC_API_KEY`, ...), unless a base URL points the provider elsewhere (a
  local OpenAI-compatible server such as Ollama, vLLM or LM Studio needs no key:
  a placeholder is sent).

`ModelSettings` carries what a run sets for every model: a base URL for the
`--model` provider (`--base-url`), a request timeout, how many times the SDK retries
a 429, a 5xx or a timeout (with its own backoff), and whether answers stream.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Mapping
from typing import Any

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, ConfigDict, Field

from modegraph.agents.chat.specs import PROVIDER_PACKAGES, ModelSpec, parse_model_spec
from modegraph.errors import ProviderError

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "LLM_EXTRA",
    "LOCAL_API_KEY",
    "ModelSettings",
    "chat_model_from_spec",
    "credential_problem",
    "model_kwargs",
    "require_provider",
]

LLM_EXTRA: frozenset[str] = frozenset({"openai", "anthropic", "azure_openai"})
"""Providers whose LangChain package the `llm` extra installs."""

API_KEY_ENV: Mapping[str, str] = {
    "anthropic": "ANTHROPIC_API_KEY",
    "azure_openai": "AZURE_OPENAI_API_KEY",
    "cohere": "COHERE_API_KEY",
    "deepseek": "DEEPSEEK_API_KEY",
    "fireworks": "FIREWORKS_API_KEY",
    "google_genai": "GOOGLE_API_KEY",
    "groq": "GROQ_API_KEY",
    "mistralai": "MISTRAL_API_KEY",
    "openai": "OPENAI_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
    "together": "TOGETHER_API_KEY",
    "xai": "XAI_API_KEY",
}
"""The environment variable holding each provider's API key (providers not listed,
such as `ollama` or `bedrock`, are not checked)."""

BASE_URL_ENV: Mapping[str, tuple[str, ...]] = {
    "openai": ("OPENAI_BASE_URL", "OPENAI_API_BASE"),
    "anthropic": ("ANTHROPIC_BASE_URL", "ANTHROPIC_API_URL"),
}
"""Environment variables the SDKs read for their base URL."""

LOCAL_API_KEY = "modegraph-local"
"""The key sent to a server at a custom base URL when no API key is set (local
OpenAI-compatible servers accept any key)."""

_SDK_SETTINGS: frozenset[str] = frozenset({"openai", "anthropic", "azure_openai"})
"""Providers whose chat models take `timeout`, `max_retries` and `streaming`."""


class ModelSettings(BaseModel):
    """What a run sets for every chat model it builds."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_url: str | None = None
    """`--base-url`: where the `--model` provider's API is (a local server's
    `http://127.0.0.1:11434/v1`); None: the SDK's default or its environment variable."""
    timeout: float | None = Field(default=None, gt=0)
    """Seconds one request may take before the SDK gives up on it (None: the SDK's
    default, 10 minutes for OpenAI and Anthropic)."""
    max_retries: int = Field(default=2, ge=0)
    """How many times the SDK retries a 429, a 5xx, a timeout or a dropped connection,
    with exponential backoff (honouring `retry-after`), before the turn fails."""
    streaming: bool = False
    """Stream answers, so live progress can show tokens as they come."""


def require_provider(spec: ModelSpec) -> Any:
    """Check that the `llm` extra and the spec's provider package are installed.

    Nothing is built and nothing connects.

    Args:
        spec: The spec.

    Returns:
        The `langchain.chat_models` module.

    Raises:
        ProviderError: Naming the exact `pip install` command.
    """
    install = _install(spec)
    try:
        chat_models = importlib.import_module("langchain.chat_models")
    except ImportError as exc:
        msg = f"model {spec} needs the 'llm' extra: {install}"
        raise ProviderError(msg) from exc
    if not _installed(PROVIDER_PACKAGES[spec.provider]):
        msg = f"model {spec} needs the package {spec.package}: {install}"
        raise ProviderError(msg)
    return chat_models


def _install(spec: ModelSpec) -> str:
    if spec.provider in LLM_EXTRA:
        return "pip install 'modegraph[llm]'"
    return f"pip install 'modegraph[llm]' {spec.package}"


def _base_url_env(spec: ModelSpec, environ: Mapping[str, str]) -> str | None:
    return next((environ[n] for n in BASE_URL_ENV.get(spec.provider, ()) if environ.get(n)), None)


def credential_problem(
    spec: ModelSpec, environ: Mapping[str, str], *, base_url: str | None = None
) -> str | None:
    """Why the provider of `spec` has no API key, or None when it has one (or needs none).

    Args:
        spec: The model.
        environ: The environment.
        base_url: The base URL the run sets for this model, if any.

    Returns:
        A message naming the variable to set, or None.
    """
    name = API_KEY_ENV.get(spec.provider)
    if name is None or environ.get(name):
        return None
    if base_url or _base_url_env(spec, environ):
        return None  # a custom endpoint: the placeholder key is sent
    local = (
        " (or point --base-url at a local OpenAI-compatible server, which needs none)"
        if spec.provider == "openai"
        else ""
    )
    return f"model {spec} needs an API key: set {name}{local}"


def model_kwargs(
    spec: ModelSpec,
    settings: ModelSettings,
    environ: Mapping[str, str],
    *,
    base_url: str | None = None,
) -> dict[str, Any]:
    """The `init_chat_model` keyword arguments for one model under a run's settings.

    Args:
        spec: The model.
        settings: The run's settings.
        environ: The environment (for the API key and base URL variables).
        base_url: The base URL for this model (`--base-url` applies to the `--model`
            provider only).

    Returns:
        Keyword arguments.
    """
    kwargs: dict[str, Any] = {}
    if spec.provider in _SDK_SETTINGS:
        kwargs["max_retries"] = settings.max_retries
        if settings.timeout is not None:
            kwargs["timeout"] = settings.timeout
        if settings.streaming:
            kwargs["streaming"] = True
    if spec.provider == "openai":
        kwargs["stream_usage"] = True  # usage in streamed answers, whatever the base URL
    if base_url:
        kwargs["base_url"] = base_url
    name = API_KEY_ENV.get(spec.provider)
    custom = base_url or _base_url_env(spec, environ)
    if name is not None and not environ.get(name) and custom and spec.provider in _SDK_SETTINGS:
        kwargs["api_key"] = LOCAL_API_KEY
    return kwargs


def chat_model_from_spec(spec: ModelSpec | str, **kwargs: Any) -> BaseChatModel:
    """Build a chat model with LangChain's `init_chat_model`.

    Args:
        spec: A spec, or its `provider:model` text.
        **kwargs: Passed to `init_chat_model` (temperature, base_url, ...).

    Returns:
        The chat model.

    Raises:
        ProviderError: When the `llm` extra or the provider's package is not
            installed (naming the pip command), or the provider refuses the settings.
    """
    if isinstance(spec, str):
        spec = parse_model_spec(spec)
    chat_models = require_provider(spec)
    try:
        model = chat_models.init_chat_model(spec.model, model_provider=spec.provider, **kwargs)
    except ImportError as exc:
        msg = f"model {spec} could not be loaded ({exc}): {_install(spec)}"
        raise ProviderError(msg) from exc
    except Exception as exc:
        msg = (
            f"model {spec} could not be created: {type(exc).__name__}: "
            f"{' '.join(str(exc).split())}. Check the "
            "provider's settings (its API key environment variable, the model name)"
        )
        raise ProviderError(msg) from exc
    if not isinstance(model, BaseChatModel):
        msg = f"model {spec} is a {type(model).__name__}, not a chat model"
        raise ProviderError(msg)
    return model


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False
