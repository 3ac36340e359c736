"""`run --model`: the chat agent a run uses, and what the command says about its models.

Before the run: every role the run can reach gets its model (`ModelChooser.check`:
an unknown provider, a missing package or API key stops here, naming the fix), and
standard error says which model each role uses and why (`model: openai:gpt-4o-mini
for fastapi-developer, ... (--model)`). During the run, in a terminal, model turns
show live progress (`LiveTurns`). After it: `--json` gets `models` (role -> model and
why), and the text output says when a model has no price, so the cost shown leaves
it out.

The run's LLM call budget, when `--max-llm-calls` is not given, is scaled to the
task: `default_max_llm_calls` of the roles the entry role may hand work to.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from modegraph.errors import ConfigError

if TYPE_CHECKING:
    from modegraph.agents.chat.providers import ModelChooser
    from modegraph.agents.protocol import Agent
    from modegraph.cli._live import LiveTurns
    from modegraph.coordinator.policy import Policy
    from modegraph.coordinator.result import RunResult
    from modegraph.coordinator.runner import RunSettings
    from modegraph.modes.catalog.catalog import Catalog
    from modegraph.modes.config import ProjectConfig
    from modegraph.tools.protection import Protected

__all__ = ["ModelView", "chat_agent", "check_model_options", "default_budget", "price_line"]


def check_model_options(
    model: str | None, *, base_url: str | None, max_cost: float | None, timeout: float | None
) -> None:
    """Refuse options that only mean something with `--model` when it is not given.

    Raises:
        ConfigError: naming the option.
    """
    given = [
        name
        for name, value in (
            ("--base-url", base_url),
            ("--max-cost", max_cost),
            ("--timeout", timeout),
        )
        if value is not None
    ]
    if model is None and given:
        raise ConfigError(
            f"{', '.join(given)} only apply to chat models; add --model provider:model "
            "(e.g. --model openai:gpt-4o-mini), or drop them for the offline rule agent"
        )


def default_budget(policy: Policy, catalog: Catalog, entry: str) -> Policy:
    """The policy with the LLM call budget scaled to the task (no `--max-llm-calls`)."""
    from modegraph.coordinator.policy import default_max_llm_calls
    from modegraph.roles.escalation import EscalationGraph

    targets = {e.target for e in EscalationGraph.from_catalog(catalog).targets(entry)}
    present = [t for t in targets if t in catalog]
    calls = default_max_llm_calls(len(present))
    return policy.model_copy(update={"max_llm_calls": calls, "default_llm_calls": True})


class ModelView:
    """What the run command shows about its models (nothing for the rule agent)."""

    def __init__(self, chooser: ModelChooser | None = None, live: LiveTurns | None = None):
        self.chooser = chooser
        """The chooser of the run's models (None: the rule agent)."""
        self.live = live
        """The live progress view (None: not a terminal, or `--json`)."""

    def drive(self, go: Callable[[], RunResult]) -> RunResult:
        """Run `go` and close the live view afterwards, whatever happens."""
        try:
            return go()
        finally:
            if self.live is not None:
                self.live.close()

    def to_json(self) -> dict[str, Any]:
        """`models` for `--json`: role -> its model and why."""
        if self.chooser is None:
            return {}
        return {
            slug: {"model": str(choice.spec), "why": choice.why}
            for slug, choice in self.chooser.choices.items()
        }

    def show_choices(self, console: Console) -> None:
        """Say which model each role uses (before the run)."""
        if self.chooser is None:
            return
        for line in self.chooser.describe():
            console.print(Text(f"model: {line}", style="dim"), soft_wrap=True)

    def show_cost_note(self, result: RunResult, console: Console) -> None:
        """Say which models the cost leaves out (they have no price)."""
        if self.chooser is None or not result.llm_calls:
            return
        unpriced = [str(spec) for spec in self.chooser.unpriced()]
        if unpriced:
            console.print(
                Text(
                    f"Cost: not counted for {', '.join(unpriced)} (no price in "
                    f"modegraph.yaml prices:; add {price_line(unpriced[0])})",
                    style="dim",
                ),
                soft_wrap=True,
            )


def chat_agent(
    catalog: Catalog,
    settings: RunSettings,
    config: ProjectConfig,
    *,
    live: bool,
    console: Console,
    protected: Protected | None = None,
    lines: bool = False,
) -> tuple[Agent, ModelView]:
    """The chat agent for `--model` with sandboxed tools, checked up front.

    Args:
        catalog: The modes.
        settings: The run's settings (`model` is set).
        config: The workspace's `modegraph.yaml`.
        live: Show live progress and stream answers (a terminal, no `--json`).
        lines: Without `live`, print a line as each model call starts (a log).
        console: Standard error, for the choices and live progress.
        protected: What no role may write (this run's journal and checkpoint, every
            mode source of the catalog), whatever its name.

    Returns:
        The agent, and the view of its models.

    Raises:
        ConfigError: the workspace is gone, or `--max-cost` without prices.
        ProviderError: a role has no usable model, or a provider is not installed or
            has no API key.
    """
    from modegraph.agents import SandboxedAgent, ToolsFor
    from modegraph.agents.chat import providers
    from modegraph.agents.chat.agent import ChatAgent
    from modegraph.cli._coordination import coordinated
    from modegraph.cli._live import LiveTurns, TurnLines
    from modegraph.coordinator.command_gate import ApprovalGate
    from modegraph.roles.escalation import EscalationGraph
    from modegraph.tools import AllowAll, Approver, Workspace

    chooser = providers.ModelChooser(
        cli_model=settings.model,
        environ=os.environ,
        models=config.models,
        prices=config.prices,
        settings=providers.ModelSettings(
            base_url=settings.base_url, timeout=settings.timeout, streaming=live
        ),
    )
    seen = coordinated(catalog, entry=settings.entry, edges=settings.edges).catalog
    reachable = EscalationGraph.from_catalog(seen).reachable(settings.entry)
    chooser.check(seen[s] for s in reachable if s in seen)
    unpriced = chooser.unpriced()
    if settings.policy.max_cost is not None and unpriced:
        raise ConfigError(
            f"--max-cost needs a price for every model the run may use; modegraph.yaml's "
            f"prices: has none for {', '.join(str(s) for s in unpriced)} "
            f"(add {price_line(unpriced[0])})"
        )
    root = Path(settings.workspace or Path.cwd())
    if not root.is_dir():
        raise ConfigError(
            f"the workspace {root} is not a directory; pass an existing --workspace DIR "
            "(resume uses the workspace the run started with)"
        )
    approver: Approver = AllowAll() if settings.yes else ApprovalGate()
    view = ModelView(chooser, LiveTurns(console) if live else None)
    callbacks: list[Any] = [view.live] if view.live is not None else []
    if not live and lines:
        callbacks.append(TurnLines(console))

    def make_agent(tools_for: ToolsFor) -> Agent:
        return ChatAgent(
            model_for=chooser,
            tools_for=tools_for,
            price_for=chooser.price_for,
            callbacks=callbacks,
        )

    agent = SandboxedAgent(
        make_agent=make_agent,
        workspace=Workspace(root),
        config=config,
        approver=approver,
        protected=protected,
    )
    return agent, view


def price_line(spec: object) -> str:
    """The `prices:` line to add for a model, with placeholders, never another model's price.

    Prices change and differ by a hundred times between models; a made-up figure pasted
    from a hint would make `--max-cost` count wrong.
    """
    return (
        f"'{spec}: {{input: IN, output: OUT}}' under prices:, where IN and OUT are the "
        "provider's dollars per million input and output tokens"
    )
