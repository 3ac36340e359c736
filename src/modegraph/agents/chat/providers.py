"""Each role's chat model: chosen (`specs`), checked and built (`building`), shared.

Which model a role uses is decided in `modegraph.agents.chat.specs` (the mode's own
model when `modegraph.yaml`'s `models:` maps it, else `--model`, else the mode's own
model as written); `modegraph.agents.chat.building` checks, before a run starts, that
the models can be built (packages, API keys) and builds them with the run's settings.
`ModelChooser` ties both together for `ChatAgent(model_for=...)`, and knows each
model's price from `modegraph.yaml`'s `prices:`. The names of both modules are
importable from here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping

from langchain_core.language_models import BaseChatModel

from modegraph.agents.chat.building import (
    API_KEY_ENV,
    BASE_URL_ENV,
    LLM_EXTRA,
    LOCAL_API_KEY,
    ModelSettings,
    chat_model_from_spec,
    credential_problem,
    model_kwargs,
    require_provider,
)
from modegraph.agents.chat.specs import (
    NO_MODEL_FIX,
    PROVIDER_ENV,
    PROVIDER_PACKAGES,
    ModelChoice,
    ModelSpec,
    choose_model,
    cli_spec,
    parse_model_spec,
    resolve_model_spec,
    where_defined,
)
from modegraph.errors import ProviderError
from modegraph.modes.config import PriceConfig
from modegraph.modes.model import Mode

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "LLM_EXTRA",
    "LOCAL_API_KEY",
    "PROVIDER_ENV",
    "PROVIDER_PACKAGES",
    "ModelChoice",
    "ModelChooser",
    "ModelSettings",
    "ModelSpec",
    "chat_model_from_spec",
    "choose_model",
    "credential_problem",
    "model_kwargs",
    "parse_model_spec",
    "require_provider",
    "resolve_model_spec",
]


class ModelChooser:
    """Picks and builds each role's chat model; pass it as `ChatAgent(model_for=...)`.

    Models are built once per spec and shared by the roles that use it.
    """

    def __init__(
        self,
        *,
        cli_model: str | None = None,
        environ: Mapping[str, str] | None = None,
        factory: Callable[[ModelSpec], BaseChatModel] | None = None,
        models: Mapping[str, str] | None = None,
        prices: Mapping[str, PriceConfig] | None = None,
        settings: ModelSettings | None = None,
    ) -> None:
        """Create the chooser.

        Args:
            cli_model: The `--model` value (`provider:model` or `provider:`), if any.
            environ: Where to read `MODEGRAPH_PROVIDER` and the API keys (e.g.
                `os.environ`).
            factory: Builds a model from a spec (tests pass a scripted model here);
                by default `init_chat_model` with the settings.
            models: `modegraph.yaml`'s `models:` table.
            prices: `modegraph.yaml`'s `prices:` table (`provider:model` -> price).
            settings: Base URL, timeout, retries and streaming.
        """
        self._cli_model = cli_model
        self._environ = dict(environ or {})
        self._factory = factory
        self._table = dict(models or {})
        self._price_table = dict(prices or {})
        self.settings = settings or ModelSettings()
        """What the run sets for every model."""
        self._models: dict[ModelSpec, BaseChatModel] = {}
        self._lock = threading.Lock()
        self.choices: dict[str, ModelChoice] = {}
        """The choice of every role `check` saw, by slug."""

    def choice_for(self, mode: Mode) -> ModelChoice:
        """The model of one role and why (see `choose_model`).

        Args:
            mode: The role.

        Returns:
            Its choice.
        """
        return choose_model(
            mode=mode, cli_model=self._cli_model, environ=self._environ, models=self._table
        )

    def spec_for(self, mode: Mode) -> ModelSpec:
        """The spec of one role.

        Args:
            mode: The role.

        Returns:
            Its spec.
        """
        return self.choice_for(mode).spec

    def price_for(self, mode: Mode) -> PriceConfig | None:
        """The price of the role's model from `prices:`, or None when it has none.

        Args:
            mode: The role.

        Returns:
            Its price, or None.
        """
        return self._prices().get(self.spec_for(mode))

    def unpriced(self) -> list[ModelSpec]:
        """The models `check` found that have no price in `prices:`, in order."""
        prices = self._prices()
        return [s for s in dict.fromkeys(c.spec for c in self.choices.values()) if s not in prices]

    def _prices(self) -> dict[ModelSpec, PriceConfig]:
        return {parse_model_spec(key): price for key, price in self._price_table.items()}

    def _base_url_for(self, spec: ModelSpec) -> str | None:
        """`--base-url` for the models of the `--model` provider."""
        if self.settings.base_url is None or not self._cli_model:
            return None
        text = self._cli_model.strip()
        provider = text[:-1] if text.endswith(":") else parse_model_spec(text).provider
        same = provider.strip().lower().replace("-", "_") == spec.provider
        return self.settings.base_url if same else None

    def check(self, modes: Iterable[Mode]) -> dict[str, ModelSpec]:
        """Resolve every role's model before a run, so a bad one fails early.

        With the default factory it also checks that the `llm` extra and each
        provider's package are installed and that each provider has its API key;
        nothing is built and nothing connects. The choices are kept in `choices`.

        Args:
            modes: The roles a run may reach.

        Returns:
            The spec per role slug.

        Raises:
            ProviderError: One line per problem: a bad `--model` once, the roles with
                no model together, each role with a bad model, each bad entry of the
                `models:` or `prices:` table, each missing package or API key.
        """
        cli, _ = cli_spec(self._cli_model, self._environ)
        without: list[str] = []
        problems: list[str] = []
        for key in self._price_table:
            try:
                parse_model_spec(key)
            except ProviderError as exc:
                problems.append(f"modegraph.yaml prices: {exc}")
        for mode in modes:
            own = mode.model.strip() if mode.model else ""
            if cli is None and not own:
                without.append(f"{mode.slug}{where_defined(mode)}")
                continue
            try:
                self.choices[mode.slug] = self.choice_for(mode)
            except ProviderError as exc:
                if str(exc) not in problems:
                    problems.append(str(exc))
        if without:
            problems.insert(
                0,
                f"{len(without)} role(s) have no model: {', '.join(without)}; "
                f"{NO_MODEL_FIX} to each mode's API Configuration",
            )
        if not problems and self._factory is None:
            problems.extend(self._setup_problems())
        if problems:
            raise ProviderError("\n".join(problems))
        return {slug: choice.spec for slug, choice in self.choices.items()}

    def _setup_problems(self) -> list[str]:
        problems: list[str] = []
        for spec in dict.fromkeys(c.spec for c in self.choices.values()):
            try:
                require_provider(spec)
            except ProviderError as exc:
                problems.append(str(exc))
                continue
            missing = credential_problem(spec, self._environ, base_url=self._base_url_for(spec))
            if missing:
                problems.append(missing)
        return problems

    def describe(self) -> list[str]:
        """One line per model `check` chose, naming its roles and why.

        Returns:
            Lines such as `openai:gpt-4o-mini for fastapi-developer, ... (--model)`;
            past five roles a line ends `and N more`.
        """
        groups: dict[tuple[str, str], list[str]] = {}
        for slug, choice in self.choices.items():
            groups.setdefault((str(choice.spec), choice.why), []).append(slug)
        return [f"{spec} for {_some(slugs)} ({why})" for (spec, why), slugs in groups.items()]

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
                self._models[spec] = self._build(spec)
            return self._models[spec]

    def _build(self, spec: ModelSpec) -> BaseChatModel:
        if self._factory is not None:
            return self._factory(spec)
        kwargs = model_kwargs(spec, self.settings, self._environ, base_url=self._base_url_for(spec))
        return chat_model_from_spec(spec, **kwargs)


def _some(slugs: list[str], shown: int = 5) -> str:
    if len(slugs) <= shown + 1:
        return ", ".join(slugs)
    return f"{', '.join(slugs[:shown])} and {len(slugs) - shown} more"
