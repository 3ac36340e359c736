"""Model specs and providers: clear errors, no real provider, no network."""

from __future__ import annotations

import importlib.machinery
import socket
import sys
import types
from collections.abc import Iterator

import pytest
from pydantic import model_validator

from modegraph.agents.chat import building
from modegraph.agents.chat.providers import (
    PROVIDER_ENV,
    PROVIDER_PACKAGES,
    ModelChooser,
    ModelSettings,
    ModelSpec,
    chat_model_from_spec,
    choose_model,
    credential_problem,
    model_kwargs,
    parse_model_spec,
    resolve_model_spec,
)
from modegraph.errors import ProviderError
from modegraph.modes.config import PriceConfig
from modegraph.modes.model import Mode, SourceInfo
from modegraph.testing import ScriptedChatModel

SEED_LIKE = Mode(
    slug="fastapi-developer",
    name="FastAPI Developer",
    model="quasar-alpha",
    source=SourceInfo(path="modes/fastapi-developer.md", line=1),
)
NO_MODEL = Mode(slug="database-specialist", name="Database Specialist")
FULL = Mode(slug="security-specialist", name="Security Specialist", model="anthropic:claude-x")


class FakeChatOpenAI(ScriptedChatModel):
    """Stands in for langchain_openai.ChatOpenAI."""

    model: str
    temperature: float | None = None

    @model_validator(mode="after")
    def _needs_a_key(self) -> FakeChatOpenAI:
        if self.model == "needs-key":
            raise ValueError("OPENAI_API_KEY is not set")
        return self


@pytest.fixture
def fake_openai(monkeypatch: pytest.MonkeyPatch) -> Iterator[types.ModuleType]:
    module = types.ModuleType("langchain_openai")
    module.__spec__ = importlib.machinery.ModuleSpec("langchain_openai", None)
    module.ChatOpenAI = FakeChatOpenAI  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "langchain_openai", module)
    # init_chat_model keeps each provider's class once loaded (an lru_cache); the real
    # one is loaded when the wire tests ran first, so forget it before and after
    creator = importlib.import_module("langchain.chat_models.base")._get_chat_model_creator
    creator.cache_clear()
    yield module
    creator.cache_clear()


# ----- specs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "provider", "model"),
    [
        ("openai:gpt-4.1", "openai", "gpt-4.1"),
        (" anthropic:claude-sonnet-4-5 ", "anthropic", "claude-sonnet-4-5"),
        ("ollama:llama3:8b", "ollama", "llama3:8b"),
        ("google-genai:gemini-2.5-pro", "google_genai", "gemini-2.5-pro"),
        ("OpenRouter:quasar-alpha", "openrouter", "quasar-alpha"),
    ],
)
def test_parse_model_spec(text: str, provider: str, model: str) -> None:
    spec = parse_model_spec(text)
    assert spec == ModelSpec(provider=provider, model=model)
    assert str(spec) == f"{provider}:{model}"


def test_bare_model_takes_the_default_provider() -> None:
    spec = parse_model_spec("quasar-alpha", default_provider="openrouter")
    assert str(spec) == "openrouter:quasar-alpha"
    assert spec.package == "langchain-openrouter"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"empty model spec; write 'provider:model'"),
        ("openai:", r"model spec 'openai:' names no model; write 'openai:<model>'"),
        ("llama3:8b", r"unknown provider 'llama3' in model spec 'llama3:8b'; known providers: "),
        ("quasar-alpha", r"model 'quasar-alpha' names no provider; write 'provider:quasar-alpha'"),
    ],
)
def test_bad_specs_are_clear_errors(text: str, message: str) -> None:
    with pytest.raises(ProviderError, match=message):
        parse_model_spec(text)


# ----- which model a role uses --------------------------------------------------------


def test_cli_model_wins_for_every_role() -> None:
    for mode in (SEED_LIKE, NO_MODEL, FULL):
        assert str(resolve_model_spec(mode=mode, cli_model="openai:gpt-4.1")) == "openai:gpt-4.1"


def test_mode_model_is_used_without_cli_model() -> None:
    assert str(resolve_model_spec(mode=FULL)) == "anthropic:claude-x"


def test_bare_mode_model_uses_the_environment_provider() -> None:
    spec = resolve_model_spec(mode=SEED_LIKE, environ={PROVIDER_ENV: "openrouter"})
    assert str(spec) == "openrouter:quasar-alpha"


def test_provider_only_cli_model_is_the_default_provider() -> None:
    spec = resolve_model_spec(
        mode=SEED_LIKE, cli_model="openrouter:", environ={PROVIDER_ENV: "openai"}
    )
    assert str(spec) == "openrouter:quasar-alpha"
    assert str(resolve_model_spec(mode=FULL, cli_model="openrouter:")) == "anthropic:claude-x"


def test_bare_mode_model_without_provider_names_the_role_and_file() -> None:
    with pytest.raises(
        ProviderError,
        match=(
            r"role 'fastapi-developer' \(modes/fastapi-developer.md:1\): model "
            r"'quasar-alpha' names no provider.*MODEGRAPH_PROVIDER=<provider>"
        ),
    ):
        resolve_model_spec(mode=SEED_LIKE)


def test_role_without_model_is_a_clear_error() -> None:
    with pytest.raises(
        ProviderError, match=r"role 'database-specialist' has no model; pass --model"
    ):
        resolve_model_spec(mode=NO_MODEL, cli_model="openai:")


# ----- building models ----------------------------------------------------------------


def test_missing_llm_extra_names_the_pip_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "langchain.chat_models", None)
    with pytest.raises(
        ProviderError,
        match=r"needs the 'llm' extra: pip install 'modegraph\[llm\]'$",
    ):
        chat_model_from_spec("openai:gpt-4.1")
    with pytest.raises(
        ProviderError,
        match=r"needs the 'llm' extra: pip install 'modegraph\[llm\]' langchain-groq$",
    ):
        chat_model_from_spec("groq:llama-3")


def test_missing_provider_package_names_the_pip_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "langchain_anthropic", None)
    with pytest.raises(
        ProviderError,
        match=r"model anthropic:claude-x needs the package langchain-anthropic: "
        r"pip install 'modegraph\[llm\]'$",
    ):
        chat_model_from_spec(ModelSpec(provider="anthropic", model="claude-x"))


def test_builds_through_init_chat_model(fake_openai: types.ModuleType) -> None:
    model = chat_model_from_spec("openai:gpt-4.1", temperature=0.0)
    assert isinstance(model, FakeChatOpenAI)
    assert (model.model, model.temperature) == ("gpt-4.1", 0.0)


def test_provider_construction_errors_become_provider_errors(
    fake_openai: types.ModuleType,
) -> None:
    with pytest.raises(
        ProviderError,
        match=r"model openai:needs-key could not be created: ValidationError: .*"
        r"OPENAI_API_KEY is not set.*Check the provider's settings",
    ):
        chat_model_from_spec("openai:needs-key")


def test_chooser_builds_one_model_per_spec_and_checks_early() -> None:
    built: list[str] = []

    def factory(spec: ModelSpec) -> ScriptedChatModel:
        built.append(str(spec))
        return ScriptedChatModel(steps=[])

    chooser = ModelChooser(environ={PROVIDER_ENV: "openrouter"}, factory=factory)
    first = chooser(SEED_LIKE)
    assert chooser(SEED_LIKE) is first
    chooser(FULL)
    assert built == ["openrouter:quasar-alpha", "anthropic:claude-x"]
    assert chooser.check([SEED_LIKE, FULL]) == {
        "fastapi-developer": ModelSpec(provider="openrouter", model="quasar-alpha"),
        "security-specialist": ModelSpec(provider="anthropic", model="claude-x"),
    }
    with pytest.raises(ProviderError, match=r"^1 role\(s\) have no model: database-specialist; "):
        chooser.check([SEED_LIKE, NO_MODEL])


def test_check_reports_each_problem_once() -> None:
    other = NO_MODEL.model_copy(update={"slug": "devops-lead"})
    bad = FULL.model_copy(update={"slug": "odd-one", "model": "nope:x"})
    chooser = ModelChooser(cli_model="openrouter:", factory=lambda spec: ScriptedChatModel())
    with pytest.raises(ProviderError) as info:
        chooser.check([SEED_LIKE, NO_MODEL, other, bad])
    assert str(info.value).splitlines() == [
        "2 role(s) have no model: database-specialist, devops-lead; pass --model "
        "provider:model (e.g. --model openai:gpt-4.1) or add 'model: provider:model' to "
        "each mode's API Configuration",
        "role 'odd-one': unknown provider 'nope' in model spec 'nope:x'; known providers: "
        + ", ".join(sorted(PROVIDER_PACKAGES))
        + ". Write 'provider:model', e.g. 'openai:gpt-4.1' (a model name with a colon "
        "needs its provider first: 'ollama:llama3:8b')",
    ]


def test_check_reports_a_bad_cli_model_once() -> None:
    chooser = ModelChooser(cli_model="quasar-alpha")
    with pytest.raises(ProviderError) as info:
        chooser.check([SEED_LIKE, NO_MODEL, FULL])
    assert str(info.value).count("names no provider") == 1


def test_check_finds_missing_packages_before_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "langchain_anthropic", None)
    chooser = ModelChooser(cli_model="anthropic:claude-x")
    with pytest.raises(ProviderError) as info:
        chooser.check([SEED_LIKE, NO_MODEL, FULL])
    assert str(info.value) == (
        "model anthropic:claude-x needs the package langchain-anthropic: "
        "pip install 'modegraph[llm]'"
    )


def test_check_passes_when_the_package_is_there(fake_openai: types.ModuleType) -> None:
    chooser = ModelChooser(cli_model="openai:gpt-4.1", environ={"OPENAI_API_KEY": "sk-x"})
    assert set(chooser.check([SEED_LIKE, NO_MODEL]).values()) == {
        ModelSpec(provider="openai", model="gpt-4.1")
    }
    assert isinstance(chooser(NO_MODEL), FakeChatOpenAI)


# ----- the test guard itself (tests/conftest.py) ----------------------------------------


def test_the_guard_refuses_remote_hosts_and_allows_loopback() -> None:
    with socket.socket() as client, pytest.raises(RuntimeError, match="only loopback"):
        client.connect(("192.0.2.1", 443))
    with pytest.raises(RuntimeError, match="only loopback"):
        socket.getaddrinfo("api.openai.com", 443)
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5):
            pass


def test_the_guard_removes_provider_keys() -> None:
    import os

    assert "OPENAI_API_KEY" not in os.environ
    assert PROVIDER_ENV not in os.environ


# ----- the models: table, inherit, keys, settings -----------------------------------------

SONNET = Mode(slug="reviewer", name="Reviewer", model="sonnet")
INHERITS = Mode(slug="helper", name="Helper", model="inherit")
TABLE = {"Sonnet": "anthropic:claude-sonnet-4-5", "quasar-alpha": "openai:gpt-4o-mini"}


def test_a_mapped_mode_model_wins_over_cli_model() -> None:
    choice = choose_model(mode=SONNET, cli_model="openai:gpt-4.1", models=TABLE)
    assert str(choice.spec) == "anthropic:claude-sonnet-4-5"
    assert choice.why == "its model 'sonnet', mapped in modegraph.yaml models:"
    seed = choose_model(mode=SEED_LIKE, models=TABLE)
    assert str(seed.spec) == "openai:gpt-4o-mini"


def test_an_unmapped_mode_model_takes_cli_model_and_says_so() -> None:
    choice = choose_model(mode=SEED_LIKE, cli_model="openai:gpt-4.1", models={})
    assert str(choice.spec) == "openai:gpt-4.1"
    assert choice.why == "--model; its own model 'quasar-alpha' is not in modegraph.yaml models:"
    assert choose_model(mode=NO_MODEL, cli_model="openai:gpt-4.1").why == "--model"


def test_inherit_is_the_runs_model() -> None:
    assert choose_model(mode=INHERITS, cli_model="openai:gpt-4.1").why == (
        "--model; its model is 'inherit'"
    )
    mapped = choose_model(mode=INHERITS, models={"inherit": "anthropic:claude-haiku-4-5"})
    assert str(mapped.spec) == "anthropic:claude-haiku-4-5"
    with pytest.raises(ProviderError, match=r"its model is 'inherit' \(the run's model\); pass"):
        choose_model(mode=INHERITS, cli_model="openai:")


def test_a_bad_table_entry_names_the_table() -> None:
    with pytest.raises(ProviderError, match=r"^modegraph.yaml models: sonnet: unknown provider"):
        choose_model(mode=SONNET, models={"sonnet": "antropic:claude"})


def test_check_names_the_missing_api_key_before_the_run() -> None:
    chooser = ModelChooser(cli_model="openai:gpt-4.1", models=TABLE, environ={})
    with pytest.raises(ProviderError) as info:
        chooser.check([NO_MODEL, SONNET])
    assert str(info.value).splitlines() == [
        "model openai:gpt-4.1 needs an API key: set OPENAI_API_KEY (or point --base-url at "
        "a local OpenAI-compatible server, which needs none)",
        "model anthropic:claude-sonnet-4-5 needs an API key: set ANTHROPIC_API_KEY",
    ]


def test_a_base_url_in_the_environment_needs_no_key() -> None:
    spec = ModelSpec(provider="openai", model="llama3")
    assert credential_problem(spec, {"OPENAI_BASE_URL": "http://127.0.0.1:11434/v1"}) is None
    assert credential_problem(spec, {}, base_url="http://127.0.0.1:1234/v1") is None
    assert credential_problem(ModelSpec(provider="ollama", model="llama3"), {}) is None


def test_model_kwargs_carry_the_runs_settings() -> None:
    settings = ModelSettings(base_url=None, timeout=30, max_retries=4, streaming=True)
    openai = ModelSpec(provider="openai", model="gpt-4.1")
    assert model_kwargs(openai, settings, {"OPENAI_API_KEY": "k"}) == {
        "max_retries": 4,
        "timeout": 30,
        "streaming": True,
        "stream_usage": True,
    }
    local = model_kwargs(openai, ModelSettings(), {}, base_url="http://127.0.0.1:8000/v1")
    assert local == {
        "max_retries": 2,
        "stream_usage": True,
        "base_url": "http://127.0.0.1:8000/v1",
        "api_key": "modegraph-local",
    }
    ollama = ModelSpec(provider="ollama", model="llama3")
    assert model_kwargs(ollama, settings, {}) == {}


def test_base_url_is_for_the_cli_models_provider_only(monkeypatch: pytest.MonkeyPatch) -> None:
    built: dict[str, dict[str, object]] = {}

    def fake_init(model: str, *, model_provider: str, **kwargs: object) -> ScriptedChatModel:
        built[f"{model_provider}:{model}"] = kwargs
        return ScriptedChatModel()

    chooser = ModelChooser(
        cli_model="openai:gpt-4.1",
        environ={"OPENAI_API_KEY": "k", "ANTHROPIC_API_KEY": "k"},
        models=TABLE,
        settings=ModelSettings(base_url="http://127.0.0.1:9/v1"),
    )
    chat_models = types.SimpleNamespace(init_chat_model=fake_init)
    monkeypatch.setattr(building, "require_provider", lambda spec: chat_models)
    chooser(NO_MODEL)
    chooser(SONNET)
    assert built["openai:gpt-4.1"]["base_url"] == "http://127.0.0.1:9/v1"
    assert "base_url" not in built["anthropic:claude-sonnet-4-5"]


def test_describe_groups_roles_by_model_and_reason() -> None:
    chooser = ModelChooser(
        cli_model="openai:gpt-4.1", models=TABLE, factory=lambda spec: ScriptedChatModel()
    )
    other = NO_MODEL.model_copy(update={"slug": "devops-lead"})
    chooser.check([NO_MODEL, SONNET, FULL, other])
    assert chooser.describe() == [
        "openai:gpt-4.1 for database-specialist, devops-lead (--model)",
        "anthropic:claude-sonnet-4-5 for reviewer (its model 'sonnet', mapped in "
        "modegraph.yaml models:)",
        "openai:gpt-4.1 for security-specialist (--model; its own model 'anthropic:claude-x' "
        "is not in modegraph.yaml models:)",
    ]


def test_prices_are_looked_up_by_the_chosen_model() -> None:
    chooser = ModelChooser(
        cli_model="openai:gpt-4.1",
        models=TABLE,
        prices={"OpenAI:gpt-4.1": PriceConfig(input=2.0, output=8.0)},
        factory=lambda spec: ScriptedChatModel(),
    )
    chooser.check([NO_MODEL, SONNET])
    assert chooser.price_for(NO_MODEL) == PriceConfig(input=2.0, output=8.0)
    assert chooser.price_for(SONNET) is None
    assert [str(s) for s in chooser.unpriced()] == ["anthropic:claude-sonnet-4-5"]


def test_describe_names_five_roles_then_counts_the_rest() -> None:
    chooser = ModelChooser(cli_model="openai:gpt-4.1", factory=lambda spec: ScriptedChatModel())
    chooser.check(NO_MODEL.model_copy(update={"slug": f"role-{n}"}) for n in range(8))
    assert chooser.describe() == [
        "openai:gpt-4.1 for role-0, role-1, role-2, role-3, role-4 and 3 more (--model)"
    ]
