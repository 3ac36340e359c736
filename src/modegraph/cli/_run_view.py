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
    from modegraph.coordinator.result import RunResult
    from modegraph.coordinator.state import EventRecord

__all__ = ["Progress", "ask_in_terminal", "show_result"]

_STATUS_STYLE = {
    "completed": "green",
    "blocked": "yellow",
    "failed": "red",
    "waiting_approval": "magenta",
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
            line.append("✓ ", style="green")
            line.append(role, style="bold")
            line.append(f" finished {subtask}: {text}")
        else:
            return
        self.console.print(line, highlight=False, soft_wrap=True)


def _short(text: str, width: int = 160) -> str:
    """One line of at most `width` characters, control characters escaped."""
    line = shown(" ".join(text.split()))
    return line if len(line) <= width else line[: width - 1] + "…"


def show_result(result: RunResult, console: Console) -> None:
    """The route as a tree, the summary, the journal path, and what to do next."""
    console.print()
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
    console.print(Text(f"Summary: {shown(result.summary)}"), highlight=False, soft_wrap=True)
    if result.llm_calls or result.tokens:
        console.print(f"LLM calls: {result.llm_calls}, tokens: {result.tokens}")
        for role, (calls, tokens) in result.by_role().items():
            if calls or tokens:
                spent = f"{_count(calls, 'LLM call')}, {_count(tokens, 'token')}"
                console.print(Text(f"  {shown(role)}: {spent}"), highlight=False)
    if result.journal:
        console.print(Text(f"Journal: {shown(result.journal)}"), highlight=False, soft_wrap=True)
    for request in result.approvals:
        console.print(
            Text(f"Waiting for approval: {shown(request.describe())}", style="magenta"),
            highlight=False,
            soft_wrap=True,
        )
    if result.approvals:
        console.print(
            f'Continue with: modegraph resume {result.task_id} --approve (or --reject "REASON")',
            highlight=False,
            soft_wrap=True,
        )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _label(result: RunResult, subtask_id: str) -> Text:
    sub = next(s for s in result.subtasks if s.id == subtask_id)
    label = Text()
    label.append(shown(sub.role), style="bold")
    label.append(f" [{sub.status}]", style=_STATUS_STYLE.get(sub.status, "dim"))
    label.append(f" {shown(sub.id)}\n{_short(sub.goal, 90)}")
    if sub.reason:
        label.append(f"\nwhy: {_short(sub.reason, 90)}", style="dim")
    if sub.llm_calls or sub.tokens:
        label.append(f"\n{_count(sub.llm_calls, 'LLM call')}, {_count(sub.tokens, 'token')}")
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
