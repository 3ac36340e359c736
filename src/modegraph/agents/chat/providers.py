"""Chat models from `provider:model` specs, through LangChain's `init_chat_model`.

A spec names a provider and a model: `openai:gpt-4.1`, `anthropic:claude-sonnet-4-5`,
`ollama:llama3:8b` (everything after the first colon is the model). The text before
the first colon must be a known provider; otherwise the spec is refused with the list.

Which model a role uses (`resolve_model_spec`), first match wins:

1. `--model provider:model`: every role uses it.
2. The mode's own model (its `API Configuration`): a `provider:model` is used as is.
   A bare model name (`quasar-alpha`) takes the default provider: the one of a
   provider-only `--model provider:` or else the `MODEGRAPH_PROVIDER` environment
   variable (e.g. `MODEGRAPH_PROVIDER=openrouter`). With neither, it is a
   `ProviderError` that says so.
3. Otherwise a `ProviderError`: the role has no model.

Building a model needs the `llm` extra (`langchain`) and the provider's package
(`langchain-openai`, ...); when one is missing the `ProviderError` names the exact
`pip install` command.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, ConfigDict

from modegraph.errors import ProviderError
from modegraph.modes.model import Mode

__all__ = [
    "PROVIDER_ENV",
    "PROVIDER_PACKAGES",
    "ModelChooser",
    "ModelSpec",
    "chat_model_from_spec",
    "parse_model_spec",
    "require_provider",
    "resolve_model_spec",
]

PROVIDER_ENV = "MODEGRAPH_PROVIDER"
"""Environment variable with the default provider for bare model names."""

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
            f"'openrouter:{spec}'), pass a default provider with --model provider:, or "
            f"set {PROVIDER_ENV}=<provider>"
        )
        raise ProviderError(msg)
    return ModelSpec(provider=_provider(default_provider, spec), model=spec)


def resolve_model_spec(
    *,
    mode: Mode,
    cli_model: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> ModelSpec:
    """The model a role uses; see the module docstring for the order.

    Args:
        mode: The role.
        cli_model: The `--model` value: `provider:model`, or `provider:` for a
            default provider only.
        environ: Where to read `MODEGRAPH_PROVIDER` (no environment when None).

    Returns:
        The spec.

    Raises:
        ProviderError: When the role ends up with no usable spec; the message names
            the role and its file.
    """
    spec, default_provider = _from_cli(cli_model, environ)
    if spec is not None:
        return spec
    where = _where(mode)
    if mode.model is None or not mode.model.strip():
        msg = (
            f"role {mode.slug!r}{where} has no model; {_NO_MODEL_FIX} to the mode's "
            "API Configuration"
        )
        raise ProviderError(msg)
    try:
        return parse_model_spec(mode.model, default_provider=default_provider)
    except ProviderError as exc:
        raise ProviderError(f"role {mode.slug!r}{where}: {exc}") from exc


_NO_MODEL_FIX = (
    "pass --model provider:model (e.g. --model openai:gpt-4.1) or add 'model: provider:model'"
)


def _from_cli(
    cli_model: str | None, environ: Mapping[str, str] | None
) -> tuple[ModelSpec | None, str | None]:
    """The spec `--model` gives every role (or None), and the default provider."""
    default_provider = (environ or {}).get(PROVIDER_ENV) or None
    if cli_model is None or not cli_model.strip():
        return None, default_provider
    text = cli_model.strip()
    if text.endswith(":"):
        return None, _provider(text[:-1], text)
    return parse_model_spec(text, default_provider=default_provider), default_provider


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
    install = f"pip install 'modegraph[llm]' {spec.package}"
    try:
        chat_models = importlib.import_module("langchain.chat_models")
    except ImportError as exc:
        msg = f"model {spec} needs the 'llm' extra and {spec.package}: {install}"
        raise ProviderError(msg) from exc
    if not _installed(PROVIDER_PACKAGES[spec.provider]):
        msg = f"model {spec} needs the package {spec.package}: {install}"
        raise ProviderError(msg)
    return chat_models


def chat_model_from_spec(spec: ModelSpec | str, **kwargs: Any) -> BaseChatModel:
    """Build a chat model with LangChain's `init_chat_model`.

    Args:
        spec: A spec, or its `provider:model` text.
        **kwargs: Passed to `init_chat_model` (temperature, ...).

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
        msg = f"model {spec} could not be loaded ({exc}): pip install {spec.package}"
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


class ModelChooser:
    """Picks and builds each role's chat model; pass it as `ChatAgent(model_for=...)`.

    Models are built once per spec and shared by the roles that use it.
    """

    def __init__(
        self,
        *,
        cli_model: str | None = None,
        environ: Mapping[str, str] | None = None,
        factory: Callable[[ModelSpec], BaseChatModel] = chat_model_from_spec,
    ) -> None:
        """Create the chooser.

        Args:
            cli_model: The `--model` value (`provider:model` or `provider:`), if any.
            environ: Where to read `MODEGRAPH_PROVIDER` (e.g. `os.environ`).
            factory: Builds a model from a spec (tests pass a scripted model here).
        """
        self._cli_model = cli_model
        self._environ = dict(environ or {})
        self._factory = factory
        self._models: dict[ModelSpec, BaseChatModel] = {}
        self._lock = threading.Lock()

    def spec_for(self, mode: Mode) -> ModelSpec:
        """The spec of one role (see `resolve_model_spec`).

        Args:
            mode: The role.

        Returns:
            Its spec.
        """
        return resolve_model_spec(mode=mode, cli_model=self._cli_model, environ=self._environ)

    def check(self, modes: Iterable[Mode]) -> dict[str, ModelSpec]:
        """Resolve every role's spec before a run, so a bad one fails early.

        With the default factory it also checks that the `llm` extra and each
        provider's package are installed; nothing is built and nothing connects.

        Args:
            modes: The roles a run may reach.

        Returns:
            The spec per role slug.

        Raises:
            ProviderError: One line per problem: a bad `--model` once, the roles with
                no model together, each role with a bad model, each missing package.
        """
        cli_spec, _ = _from_cli(self._cli_model, self._environ)
        specs: dict[str, ModelSpec] = {}
        without: list[str] = []
        problems: list[str] = []
        for mode in modes:
            if cli_spec is None and (mode.model is None or not mode.model.strip()):
                without.append(f"{mode.slug}{_where(mode)}")
                continue
            try:
                specs[mode.slug] = self.spec_for(mode)
            except ProviderError as exc:
                problems.append(str(exc))
        if without:
            problems.insert(
                0,
                f"{len(without)} role(s) have no model: {', '.join(without)}; "
                f"{_NO_MODEL_FIX} to each mode's API Configuration",
            )
        if not problems and self._factory is chat_model_from_spec:
            for spec in dict.fromkeys(specs.values()):
                try:
                    require_provider(spec)
                except ProviderError as exc:
                    problems.append(str(exc))
        if problems:
            raise ProviderError("\n".join(problems))
        return specs

    def __call__(self, mode: Mode) -> BaseChatModel:
        """The chat model of one role, built on first use.

        Args:
            mode: The role.

        Returns:
            Its chat model.
        """
        spec = self.spec_for(mode)
        with self._lock:
            if spec not in self._models:
                self._models[spec] = self._factory(spec)
            return self._models[spec]


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _where(mode: Mode) -> str:
    if mode.source.path is None:
        return ""
    line = f":{mode.source.line}" if mode.source.line else ""
    return f" ({mode.source.path}{line})"
