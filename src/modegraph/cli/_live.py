"""Live progress of model turns in a terminal: who is thinking, which tool, tokens as they come.

`LiveTurns` is a LangChain callback handler the chat agent gets for every turn (see
`modegraph.agents.chat.tracing`: each turn's runs are tagged with its role). While
models answer, one status line per role sits at the bottom of the terminal:

    ⠋ fastapi-developer · gpt-4o-mini · 142 chunks · …the users table needs an index

It counts streamed chunks (about a token each, tool-call arguments included) and
shows the tail of the text as it streams (the run
streams answers when this view is on); a provider that does not stream shows the
seconds waited instead. Each tool call is printed as a line of its own:

      ⚙ fastapi-developer calls write_file(path='app/main.py', content='from fastapi…')

The view is used only when standard error is a terminal and `--json` is not given.
When standard error is a file or a pipe (a CI log), `TurnLines` prints one line as each
model call starts instead (answers are not streamed), so the log shows who works while
they work, not only when their turn ends:

    … fastapi-developer asks gpt-4o-mini

With `--json` nothing is shown.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from rich.console import Console, Group
from rich.live import Live
from rich.spinner import Spinner
from rich.text import Text

from modegraph.agents.chat.tracing import ROLE_TAG

__all__ = ["LiveTurns", "TurnLines"]


@dataclass
class _Call:
    """One model call in flight."""

    role: str
    model: str
    started: float = field(default_factory=time.monotonic)
    chunks: int = 0
    tail: str = ""
    spinner: Spinner = field(default_factory=lambda: Spinner("dots"))


def _role(tags: list[str] | None) -> str | None:
    return next((t[len(ROLE_TAG) :] for t in tags or () if t.startswith(ROLE_TAG)), None)


def _short(value: Any, width: int) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


class _RoleView(BaseCallbackHandler):
    """What every view shows: a line per tool call a role makes; model calls to subclasses."""

    run_inline = True

    def __init__(self, console: Console) -> None:
        """Create the view.

        Args:
            console: Where to show it (standard error).
        """
        self.console = console
        self._lock = threading.RLock()

    def on_chat_model_start(
        self,
        serialized: dict[str, Any] | None,
        messages: list[list[Any]],
        *,
        run_id: UUID,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """A model call of a role's turn starts (`_model_call`); other calls are not shown."""
        role = _role(tags)
        if role is not None:
            self._model_call(run_id, role, str((metadata or {}).get("modegraph_model") or "model"))

    def _model_call(self, run_id: UUID, role: str, model: str) -> None:
        """What a view does when `role`'s call to `model` starts (nothing here)."""

    def on_tool_start(
        self,
        serialized: dict[str, Any] | None,
        input_str: str,
        *,
        tags: list[str] | None = None,
        inputs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """A tool call starts: print a line naming the role, the tool and its arguments."""
        role = _role(tags)
        if role is None:
            return
        name = (serialized or {}).get("name") or kwargs.get("name") or "a tool"
        args = (
            ", ".join(f"{k}={_short(repr(v), 40)}" for k, v in inputs.items())
            if isinstance(inputs, dict)
            else _short(input_str, 80)
        )
        self._say(Text("    ⚙ ", style="cyan"), role, f" calls {name}({args})")

    def _say(self, mark: Text, role: str, text: str) -> None:
        """Print one line: `mark`, the role in bold, then `text`."""
        mark.append(role, style="bold")
        mark.append(text)
        with self._lock:
            self.console.print(mark, highlight=False, soft_wrap=True)


class TurnLines(_RoleView):
    """One line as each model call starts, and one per tool call (a log, not a terminal)."""

    def _model_call(self, run_id: UUID, role: str, model: str) -> None:
        """A model call starts: say which role asks which model."""
        self._say(Text("  … ", style="dim"), role, f" asks {model}")


class LiveTurns(_RoleView):
    """Shows each role's model calls and tool calls as they happen (see the module)."""

    def __init__(self, console: Console) -> None:
        """Create the view.

        Args:
            console: Where to show it (standard error).
        """
        super().__init__(console)
        self._calls: dict[UUID, _Call] = {}
        self._live: Live | None = None

    # -- model calls ----------------------------------------------------------

    def _model_call(self, run_id: UUID, role: str, model: str) -> None:
        """A model call starts: add its status line."""
        with self._lock:
            self._calls[run_id] = _Call(role=role, model=model)
            self._refresh()

    def on_llm_new_token(
        self, token: str | list[str | dict[str, Any]], *, run_id: UUID, **kwargs: Any
    ) -> None:
        """A streamed chunk came: count it and show the text's tail."""
        with self._lock:
            call = self._calls.get(run_id)
            if call is None:
                return
            call.chunks += 1
            if isinstance(token, str) and token:
                call.tail = (call.tail + token)[-60:]

    def on_llm_end(self, response: Any, *, run_id: UUID, **kwargs: Any) -> None:
        """A model call ended: drop its status line."""
        self._finish(run_id)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        """A model call failed: drop its status line."""
        self._finish(run_id)

    # -- the status lines -----------------------------------------------------

    def status(self) -> list[str]:
        """The status lines as plain text (what the view shows), one per call."""
        with self._lock:
            return [self._line(call).plain for call in self._calls.values()]

    def _line(self, call: _Call) -> Text:
        line = Text()
        line.append(call.role, style="bold")
        line.append(f" · {call.model} · ", style="dim")
        if call.chunks:
            line.append(f"{call.chunks} chunks")
            if call.tail:
                line.append(f" · …{_short(call.tail, 60)}", style="dim")
        else:
            line.append(f"waiting {time.monotonic() - call.started:.0f}s")
        return line

    def _render(self) -> Group:
        with self._lock:
            for call in self._calls.values():
                call.spinner.update(text=self._line(call))
            return Group(*(call.spinner for call in self._calls.values()))

    def _refresh(self) -> None:
        if not self._calls:
            if self._live is not None:
                self._live.stop()
                self._live = None
            return
        if self._live is None:
            self._live = Live(
                console=self.console,
                transient=True,
                refresh_per_second=8,
                get_renderable=self._render,
            )
            self._live.start()

    def _finish(self, run_id: UUID) -> None:
        with self._lock:
            if self._calls.pop(run_id, None) is not None:
                self._refresh()

    def close(self) -> None:
        """Stop the view (before the result is printed)."""
        with self._lock:
            self._calls.clear()
            self._refresh()
