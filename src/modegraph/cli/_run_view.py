r"""What `modegraph run` and `resume` show a person: live progress, the route, approvals.

Live progress and questions go to standard error; the final route and summary to
the console the command passes (standard output), which `--json` keeps for its
one JSON object instead. Every text that comes from a goal, a role or an agent is
printed through `shown`: control characters (ANSI escapes, backspaces, bidi
overrides) appear as escapes such as `\x1b`, never acted on by the terminal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from modegraph._terminal import shown

if TYPE_CHECKING:
    from modegraph.coordinator.approvals import ApprovalRequest, Decision
    from modegraph.coordinator.result import RunResult, UncoveredView
    from modegraph.coordinator.state import EventRecord

__all__ = ["Progress", "ask_in_terminal", "describe_part", "show_result"]

_STATUS_STYLE = {
    "completed": "green",
    "blocked": "yellow",
    "failed": "red",
    "waiting_approval": "magenta",
    "incomplete": "dark_orange",
    "unassigned": "dark_orange",
}


class Progress:
    """Prints each event of a run as it happens (which role works, each handoff and why)."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def __call__(self, event: EventRecord) -> None:
        """Print one event."""
        kind, role, target = event["kind"], shown(event["role"]), shown(event["target"])
        text, subtask = _short(event["text"]), shown(event["subtask"])
        line = Text()
        if kind == "turn":
            line.append("▶ ", style="cyan")
            line.append(role, style="bold")
            line.append(f" works on {subtask}: {text}")
        elif kind == "handoff":
            line.append("→ ", style="blue")
            line.append(f"{role} → {target}", style="bold")
            line.append(f": {text}")
        elif kind == "refused":
            line.append("✗ ", style="red")
            line.append(f"{role} → {target} refused", style="bold red")
            line.append(f": {text}")
        elif kind == "approved":
            line.append("✓ ", style="magenta")
            line.append(role, style="bold")
            line.append(f" approved: {text}")
        elif kind == "rejected":
            line.append("✗ ", style="magenta")
            line.append(role, style="bold")
            line.append(f" rejected: {text}")
        elif kind == "done":
            mark, style = _ENDED.get(event.get("status", "completed"), ("✗ ", "red"))
            line.append(mark, style=style)
            line.append(role, style="bold")
            line.append(f" finished {subtask}: {text}")
        elif kind == "uncovered":
            line.append("? ", style="dark_orange")
            line.append(role, style="bold")
            line.append(f" not covered: {text}")
        else:
            return
        self.console.print(line, highlight=False, soft_wrap=True)


_ENDED = {"completed": ("✓ ", "green"), "incomplete": ("◐ ", "dark_orange")}
"""The mark of a subtask that ended with this status; any other (failed, blocked,
unassigned...) is a red ✗."""


def _short(text: str, width: int = 160) -> str:
    """One line of at most `width` characters, control characters escaped."""
    line = shown(" ".join(text.split()))
    return line if len(line) <= width else line[: width - 1] + "…"


def show_result(result: RunResult, console: Console, *, again: str = "") -> None:
    """The route as a tree, what was not done, the summary, the journal path, what next.

    When no `--mode` chose the entry role, a first line says which rule did and why.
    """
    console.print()
    _show_entry(result, console)
    root = Text(shown(result.task_id))
    tree = Tree(_label(result, result.subtasks[0].id) if result.subtasks else root)
    nodes = {result.subtasks[0].id: tree} if result.subtasks else {}
    for sub in result.subtasks[1:]:
        parent = nodes.get(sub.parent or "", tree)
        nodes[sub.id] = parent.add(_label(result, sub.id))
    by_role = {s.role: nodes[s.id] for s in result.subtasks}
    for refusal in result.refused:
        branch = by_role.get(refusal.source, tree)
        target = shown(refusal.target)
        branch.add(Text(f"✗ {target} refused: {_short(refusal.reason, 120)}", style="red"))
    console.print(Text("Route", style="bold"))
    console.print(tree)
    status = result.status.value
    console.print(Text.assemble(("Status: ", "bold"), (status, _STATUS_STYLE.get(status, ""))))
    if result.reason:
        console.print(Text(f"Reason: {shown(result.reason)}"), highlight=False, soft_wrap=True)
    _show_uncovered(result, console)
    console.print(Text(f"Summary: {shown(result.summary)}"), highlight=False, soft_wrap=True)
    if result.llm_calls or result.tokens:
        cost = f", cost: {_money(result.cost)}" if result.cost else ""
        console.print(f"LLM calls: {result.llm_calls}, tokens: {result.tokens}{cost}")
        costs = result.cost_by_role()
        for role, (calls, tokens) in result.by_role().items():
            if calls or tokens:
                spent = f", {_money(costs[role])}" if costs.get(role) else ""
                used = f"{_count(calls, 'LLM call')}, {_count(tokens, 'token')}{spent}"
                console.print(Text(f"  {shown(role)}: {used}"), highlight=False)
    if result.journal:
        console.print(Text(f"Journal: {shown(result.journal)}"), highlight=False, soft_wrap=True)
    for request in result.approvals:
        console.print(
            Text(
                f"Waiting for approval: {shown(request.describe())} [{request.id}]",
                style="magenta",
            ),
            highlight=False,
            soft_wrap=True,
        )
    if result.approvals:
        console.print(
            Text(
                f"Continue with: modegraph resume {result.task_id}{shown(again)} --approve "
                '(or --reject "REASON"; '
                'one request: --approve ID, --reject ID "REASON", the ids in brackets)'
            ),
            highlight=False,
            soft_wrap=True,
        )


def _show_entry(result: RunResult, console: Console) -> None:
    choice = result.entry_choice or {}
    if choice and choice.get("rule") != "given":
        name = f"{result.entry} (built in)" if choice.get("built_in") else result.entry
        console.print(
            Text.assemble(("Entry: ", "bold"), f"{name} — {choice.get('reason', '')}"),
            highlight=False,
            soft_wrap=True,
        )


def _show_uncovered(result: RunResult, console: Console) -> None:
    if not result.uncovered:
        return
    console.print(Text("Not covered (nothing was done for these):", style="bold dark_orange"))
    for part in result.uncovered:
        console.print(Text(f"  - {describe_part(part)}"), highlight=False, soft_wrap=True)


def describe_part(part: UncoveredView) -> str:
    """`'the part' (role, subtask) — closest: a 0.41, b 0.12 — why`."""
    text = f"{part.text!r} ({part.role}, {part.subtask})"
    if part.closest:
        text += " — closest: " + ", ".join(f"{c.slug} {c.score:.2f}" for c in part.closest)
    return f"{text} — {part.reason}" if part.reason else text


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _money(value: float) -> str:
    """Dollars, with enough digits for the cents of a cheap model's call."""
    return f"${value:.4f}" if value >= 0.01 else f"${value:.6f}"


def _label(result: RunResult, subtask_id: str) -> Text:
    sub = next(s for s in result.subtasks if s.id == subtask_id)
    label = Text()
    label.append(shown(sub.role), style="bold")
    label.append(f" [{sub.status}]", style=_STATUS_STYLE.get(sub.status, "dim"))
    label.append(f" {shown(sub.id)}\n{_short(sub.goal, 90)}")
    if sub.reason and sub.parent is not None:  # the root's is the entry rule's (`Entry:`)
        label.append(f"\nwhy: {_short(sub.reason, 90)}", style="dim")
    if sub.llm_calls or sub.tokens:
        label.append(f"\n{_count(sub.llm_calls, 'LLM call')}, {_count(sub.tokens, 'token')}")
        if sub.cost:
            label.append(f", {_money(sub.cost)}")
    return label


def ask_in_terminal(
    requests: Sequence[ApprovalRequest],
) -> Mapping[str, Decision]:
    """Ask y/n for each handoff or command waiting for approval (a rejection asks why).

    A person who stops answering (Ctrl-D, Ctrl-C) keeps the decisions already given:
    they are returned (and carried out and journaled); the rest stays waiting for
    `modegraph resume`.
    """
    from modegraph.coordinator.approvals import Decision

    decisions: dict[str, Decision] = {}
    for request in requests:
        question = f"Approve: {shown(request.describe())}?"
        try:
            if typer.confirm(question, default=True, err=True):
                decisions[request.id] = Decision(approved=True)
            else:
                reason = typer.prompt("Why not?", default="rejected", err=True)
                decisions[request.id] = Decision(approved=False, reason=reason)
        except (typer.Abort, EOFError, KeyboardInterrupt):
            left = len(requests) - len(decisions)
            typer.echo(
                f"\nStopped asking: {_count(len(decisions), 'decision')} kept, "
                f"{left} still waiting for approval.",
                err=True,
            )
            break
    return decisions
