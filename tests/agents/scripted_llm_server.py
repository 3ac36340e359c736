"""A strict scripted LLM server on 127.0.0.1: OpenAI chat completions and Anthropic messages.

The tests point the real provider SDKs (through `langchain-openai` and
`langchain-anthropic`) at this server, so the whole wire path runs: tool schemas
sent, tool calls parsed off the wire, streamed and not, usage read from the
responses, retries on 429/500, timeouts.

The server answers from a script, one per role (the role comes from the system
prompt's header, ``# Role: Name (`slug`)``), and is strict in the way a real
provider is and more:

- an unknown path, a missing or wrong API key, another model than the one
  expected, a malformed tool schema, or a conversation a real provider would
  refuse (a tool result that answers no tool call, a tool call left unanswered)
  gets the provider's 4xx error *and* is recorded as a failure;
- a call for a role that has no script, or past its script, is a failure;
- a scripted tool call to a tool the request did not offer is a failure (unless
  the step says the model calls an unknown tool on purpose);
- `assert_done()` raises on any failure and on scripted steps never used.

Only the standard library is used, so the server also runs by hand:

    python tests/agents/scripted_llm_server.py --wire openai --port 8765 --script main-job
    modegraph run "Build a users API ..." --mode fastapi-developer \\
        --model openai:scripted-gpt --base-url http://127.0.0.1:8765/v1

(`--script always-handoff` answers every call with a handoff to the first
role offered: a misbehaving model.)
"""

from __future__ import annotations

import argparse
import json
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

Wire = Literal["openai", "anthropic"]

API_KEY = "sk-test-modegraph"
"""The dummy API key every test passes; any other key is refused (401)."""

_ROLE = re.compile(r"^# Role: .*\(`(?P<slug>[A-Za-z0-9-]+)`\)\s*$", re.MULTILINE)
_TOOL_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
ANY_ROLE = "*"
"""Script key that answers the calls of every role without a script of its own."""


# ----- the script ------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """One tool call in a scripted answer."""

    name: str
    """The tool's name."""
    args: Mapping[str, Any] | str = field(default_factory=dict)
    """The arguments; a string is sent as is (OpenAI only), so it may be malformed JSON."""


@dataclass(frozen=True)
class Reply:
    """One scripted answer (or a scripted failure)."""

    text: str = ""
    """Text content."""
    calls: tuple[Call, ...] = ()
    """Tool calls."""
    input_tokens: int = 100
    """Usage: prompt tokens reported."""
    output_tokens: int = 20
    """Usage: completion tokens reported."""
    status: int = 200
    """An HTTP error status to answer with instead (429, 500, ...)."""
    delay: float = 0.0
    """Seconds to wait before answering (a slow or hung provider)."""
    chunk_delay: float = 0.0
    """Seconds between the chunks of a streamed answer (to watch it stream)."""
    unknown_tools: bool = False
    """The model calls tools the request did not offer, on purpose."""
    tool_errors: bool = False
    """The request may carry tool results that are errors (else each one is a failure)."""
    check: Callable[[Seen], None] | None = None
    """Assertions on the request; an AssertionError is a recorded failure."""


Step = Reply | Callable[["Seen"], Reply]
"""A reply, or a function of the request that returns one."""


@dataclass(frozen=True)
class Forever:
    """A step used for every remaining call of its role (a model stuck in a habit)."""

    step: Step
    """What each call gets."""


Script = Mapping[str, Sequence[Step | Forever]]
"""Steps per role slug (`ANY_ROLE` for every other role)."""


def complete(summary: str, *, references: Sequence[str] = (), **reply: Any) -> Reply:
    """A reply that calls `complete`."""
    args: dict[str, Any] = {"summary": summary}
    if references:
        args["references"] = list(references)
    return Reply(calls=(Call("complete", args),), **reply)


def handoff(target: str, goal: str, reason: str = "", **reply: Any) -> Reply:
    """A reply that hands `goal` to `target`."""
    return handoffs({target: goal}, reason=reason, **reply)


def handoffs(goals: Mapping[str, str], *, reason: str = "", **reply: Any) -> Reply:
    """A reply with one handoff call per target."""
    calls = tuple(
        Call(f"handoff_to_{target.replace('-', '_')}", {"goal": goal, "reason": reason})
        for target, goal in goals.items()
    )
    return Reply(calls=calls, **reply)


def tool(name: str, text: str = "", **args: Any) -> Reply:
    """A reply that calls one mode tool."""
    return Reply(text=text, calls=(Call(name, args),))


# ----- what the server saw ---------------------------------------------------------


@dataclass(frozen=True)
class ToolResult:
    """A tool result the client sent back (the answer to an earlier tool call)."""

    call_id: str
    """The tool call it answers."""
    content: str
    """Its text."""
    is_error: bool
    """Whether the client marked it as an error (Anthropic only; OpenAI has no flag)."""


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    wire: Wire
    """Which API."""
    path: str
    """The URL path."""
    headers: Mapping[str, str]
    """Request headers, lower-case names."""
    body: Mapping[str, Any]
    """The JSON body."""
    role: str | None
    """The role slug from the system prompt's header."""

    @property
    def stream(self) -> bool:
        """Whether the client asked for a stream."""
        return bool(self.body.get("stream"))

    @property
    def tools(self) -> tuple[str, ...]:
        """Names of the tools offered."""
        names = []
        for spec in self.body.get("tools") or ():
            function = spec.get("function") if self.wire == "openai" else spec
            names.append(str((function or {}).get("name", "")))
        return tuple(names)

    @property
    def system(self) -> str:
        """The system prompt text."""
        if self.wire == "anthropic":
            system = self.body.get("system") or ""
            if isinstance(system, list):
                return "\n".join(str(block.get("text", "")) for block in system)
            return str(system)
        for message in self.body.get("messages", ()):
            if message.get("role") in ("system", "developer"):
                return _text(message.get("content"))
        return ""

    @property
    def first_user_text(self) -> str:
        """The text of the first user message (the turn request)."""
        for message in self.body.get("messages", ()):
            if message.get("role") == "user":
                return _text(message.get("content"))
        return ""

    def tool_results(self) -> list[ToolResult]:
        """The tool results of the last exchange (after the last assistant message)."""
        messages = list(self.body.get("messages", ()))
        last = max((n for n, m in enumerate(messages) if m.get("role") == "assistant"), default=-1)
        found: list[ToolResult] = []
        for message in messages[last + 1 :]:
            if self.wire == "openai" and message.get("role") == "tool":
                found.append(
                    ToolResult(
                        str(message.get("tool_call_id")), _text(message.get("content")), False
                    )
                )
            if self.wire == "anthropic" and isinstance(message.get("content"), list):
                for block in message["content"]:
                    if block.get("type") == "tool_result":
                        found.append(
                            ToolResult(
                                str(block.get("tool_use_id")),
                                _text(block.get("content")),
                                bool(block.get("is_error")),
                            )
                        )
        return found


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(_text(block.get("text", block.get("content", ""))) for block in content)
    return "" if content is None else str(content)


# ----- the server ------------------------------------------------------------------


class ScriptFailure(AssertionError):
    """The client and the script disagree (raised by `assert_done`)."""


class ScriptedLLMServer:
    """An OpenAI- or Anthropic-compatible server answering from a strict script.

    Args:
        wire: `openai` (`/v1/chat/completions`) or `anthropic` (`/v1/messages`).
        script: Steps per role slug.
        model: The model name every request must name (None: any).
        api_key: The key every request must carry.
        port: The port (0: any free one).
    """

    def __init__(
        self,
        *,
        wire: Wire,
        script: Script,
        model: str | None = None,
        api_key: str = API_KEY,
        port: int = 0,
    ) -> None:
        self.wire = wire
        self.model = model
        self.api_key = api_key
        self._script = {role: list(steps) for role, steps in script.items()}
        self._cursor: dict[str, int] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.requests: list[Seen] = []
        """Every request, in the order it arrived."""
        self.failures: list[str] = []
        """What went wrong, in order; `assert_done` raises when there is any."""
        self._http = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._http.daemon_threads = True
        self._http.block_on_close = False
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)

    # -- lifecycle ----------------------------------------------------------------

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self._http.server_address[1])

    @property
    def base_url(self) -> str:
        """What to give the SDK as its base URL."""
        root = f"http://127.0.0.1:{self.port}"
        return f"{root}/v1" if self.wire == "openai" else root

    def start(self) -> ScriptedLLMServer:
        """Start serving in a thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; delayed answers stop waiting."""
        self._stop.set()
        self._http.shutdown()
        self._http.server_close()

    def __enter__(self) -> ScriptedLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- checking -----------------------------------------------------------------

    def unused(self) -> dict[str, int]:
        """Scripted steps never used, per role (`Forever` steps do not count)."""
        with self._lock:
            return {
                role: left
                for role, steps in self._script.items()
                if (
                    left := sum(
                        1 for s in steps[self._cursor.get(role, 0) :] if not isinstance(s, Forever)
                    )
                )
            }

    def assert_done(self) -> None:
        """Raise `ScriptFailure` on any failure and on scripted steps never used."""
        problems = list(self.failures)
        problems += [f"role {r!r}: {n} step(s) never used" for r, n in self.unused().items()]
        if problems:
            raise ScriptFailure("; ".join(problems))

    def calls_for(self, role: str) -> list[Seen]:
        """The requests of one role."""
        return [seen for seen in self.requests if seen.role == role]

    # -- answering ----------------------------------------------------------------

    def fail(self, message: str) -> None:
        """Record a failure."""
        with self._lock:
            self.failures.append(message)

    def next_reply(self, seen: Seen) -> Reply | None:
        """The scripted reply for a request, or None (a failure is recorded)."""
        with self._lock:
            self.requests.append(seen)
            role = seen.role or ""
            key = role if role in self._script else ANY_ROLE
            steps = self._script.get(key)
            if steps is None:
                scripted = sorted(self._script)
                self.failures.append(f"no script for role {role!r} (scripted: {scripted})")
                return None
            number = self._cursor.get(key, 0)
            if number >= len(steps):
                self.failures.append(
                    f"call {number + 1} for role {role!r}, whose script has {len(steps)} steps"
                )
                return None
            step = steps[number]
            if isinstance(step, Forever):
                step = step.step
            else:
                self._cursor[key] = number + 1
        reply = step(seen) if callable(step) else step
        if reply.check is not None:
            try:
                reply.check(seen)
            except AssertionError as exc:
                self.fail(f"role {role!r} call {number + 1}: {exc}")
        if not reply.tool_errors:
            for result in seen.tool_results():
                if result.is_error or result.content.startswith("Error"):
                    self.fail(
                        f"role {role!r} call {number + 1}: an unexpected tool error came "
                        f"back: {result.content[:200]}"
                    )
        if not reply.unknown_tools:
            offered = set(seen.tools)
            for call in reply.calls:
                if call.name not in offered:
                    self.fail(
                        f"role {role!r} call {number + 1}: the script calls {call.name!r}, "
                        f"which the request did not offer ({sorted(offered)})"
                    )
        return reply

    def wait(self, seconds: float) -> None:
        """Sleep, unless the server stops first."""
        self._stop.wait(seconds)


def _handler(server: ScriptedLLMServer) -> type[BaseHTTPRequestHandler]:
    return type("Handler", (_Handler,), {"scripted": server})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    scripted: ScriptedLLMServer

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def do_GET(self) -> None:
        self.scripted.fail(f"unexpected GET {self.path}")
        self._error(404, "not_found", f"no GET {self.path} here")

    def do_POST(self) -> None:
        seen = self._read()
        if seen is None:
            return
        server = self.scripted
        reply = server.next_reply(seen)
        if reply is None:
            self._error(400, "invalid_request_error", server.failures[-1])
            return
        if reply.delay:
            server.wait(reply.delay)
        if reply.status != 200:
            kind = "rate_limit_error" if reply.status == 429 else "api_error"
            self._error(reply.status, kind, f"scripted {reply.status}", retry_ms=5)
            return
        model = str(seen.body.get("model", ""))
        if seen.stream:
            events = _stream_events(server.wire, reply, model, seen.body)
            self._send_stream(events, reply.chunk_delay)
        else:
            self._send_json(200, _message(server.wire, reply, model, _counter()))

    def _read(self) -> Seen | None:
        """The request, or None when it was refused (a failure is recorded)."""
        server = self.scripted
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        expected = "/v1/chat/completions" if server.wire == "openai" else "/v1/messages"
        if self.path.split("?", 1)[0] != expected:
            server.fail(f"unexpected POST {self.path} (expected {expected})")
            self._error(404, "not_found", f"no POST {self.path} here")
            return None
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        headers = {k.lower(): v for k, v in self.headers.items()}
        problem = _auth_problem(server, headers) or _body_problem(server, body)
        if problem:
            status, text = problem
            server.fail(text)
            self._error(status, "invalid_request_error", text)
            return None
        return Seen(server.wire, self.path, headers, body, _role(server.wire, body))

    # -- writing -------------------------------------------------------------

    def _send_json(self, status: int, data: Any, headers: Mapping[str, str] | None = None) -> None:
        payload = json.dumps(data).encode()
        try:
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout)

    def _send_stream(self, events: Iterator[tuple[str | None, Any]], pause: float = 0.0) -> None:
        try:
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("cache-control", "no-cache")
            self.send_header("connection", "close")
            self.end_headers()
            for name, data in events:
                text = data if isinstance(data, str) else json.dumps(data)
                chunk = (f"event: {name}\n" if name else "") + f"data: {text}\n\n"
                self.wfile.write(chunk.encode())
                self.wfile.flush()
                if pause:
                    self.scripted.wait(pause)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def _error(self, status: int, kind: str, message: str, retry_ms: int | None = None) -> None:
        if self.scripted.wire == "openai":
            data: Any = {"error": {"message": message, "type": kind, "code": None}}
        else:
            data = {"type": "error", "error": {"type": kind, "message": message}}
        headers = {"retry-after-ms": str(retry_ms)} if retry_ms is not None else {}
        self._send_json(status, data, headers)


def _role(wire: Wire, body: Mapping[str, Any]) -> str | None:
    match = _ROLE.search(Seen(wire, "", {}, body, None).system)
    return match.group("slug") if match else None


def _auth_problem(server: ScriptedLLMServer, headers: Mapping[str, str]) -> tuple[int, str] | None:
    if server.wire == "openai":
        given = headers.get("authorization", "")
        if given != f"Bearer {server.api_key}":
            return 401, f"wrong or missing API key (authorization: {given[:20]!r})"
        return None
    # Anthropic's API takes the key as x-api-key; newer SDKs send it as a bearer token
    given = headers.get("x-api-key") or headers.get("authorization", "").removeprefix("Bearer ")
    if given != server.api_key:
        return 401, f"wrong or missing API key ({given[:20]!r})"
    if "anthropic-version" not in headers:
        return 400, "no anthropic-version header"
    return None


def _body_problem(server: ScriptedLLMServer, body: Any) -> tuple[int, str] | None:
    if not isinstance(body, dict):
        return 400, "the body is not a JSON object"
    if server.model is not None and body.get("model") != server.model:
        return 404, f"model {body.get('model')!r} does not exist (expected {server.model!r})"
    if server.wire == "anthropic" and not isinstance(body.get("max_tokens"), int):
        return 400, "max_tokens: field required"
    problem = _tools_problem(server.wire, body.get("tools"))
    if problem:
        return 400, problem
    if server.wire == "openai":
        problem = _openai_conversation_problem(body.get("messages"))
    else:
        problem = _anthropic_conversation_problem(body.get("messages"))
    return (400, problem) if problem else None


def _tools_problem(wire: Wire, tools: Any) -> str | None:
    if tools is None:
        return None
    if not isinstance(tools, list):
        return "tools must be a list"
    names: list[str] = []
    for spec in tools:
        if wire == "openai":
            if not isinstance(spec, dict) or spec.get("type") != "function":
                return f"tool {spec!r} is not a function tool"
            function = spec.get("function") or {}
            schema = function.get("parameters")
        else:
            function = spec if isinstance(spec, dict) else {}
            schema = function.get("input_schema")
        name = str(function.get("name", ""))
        if not _TOOL_NAME.match(name):
            return f"tool name {name!r} is not valid (letters, digits, _ and -, 1 to 64)"
        if not isinstance(schema, dict) or schema.get("type") != "object":
            return f"tool {name!r}: the parameters must be a JSON object schema"
        names.append(name)
    if len(names) != len(set(names)):
        return f"tool names must be unique: {names}"
    return None


def _openai_conversation_problem(messages: Any) -> str | None:
    if not isinstance(messages, list) or not messages:
        return "messages must be a non-empty list"
    waiting: list[str] = []
    for n, message in enumerate(messages):
        role = message.get("role")
        if role == "tool":
            call_id = message.get("tool_call_id")
            if call_id not in waiting:
                return f"messages[{n}]: a tool message answers no pending tool call ({call_id!r})"
            waiting.remove(call_id)
            continue
        if waiting:
            return f"messages[{n}]: tool calls {waiting} were not answered by tool messages"
        if role == "assistant":
            for call in message.get("tool_calls") or ():
                if not call.get("id") or not call.get("function", {}).get("name"):
                    return f"messages[{n}]: a tool call without an id or a name"
                waiting.append(call["id"])
        elif role not in ("system", "developer", "user"):
            return f"messages[{n}]: unknown role {role!r}"
    if waiting:
        return f"tool calls {waiting} were not answered by tool messages"
    return None


def _anthropic_conversation_problem(messages: Any) -> str | None:
    if not isinstance(messages, list) or not messages:
        return "messages: at least one message is required"
    waiting: set[str] = set()
    for n, message in enumerate(messages):
        role = message.get("role")
        if role not in ("user", "assistant"):
            return f"messages.{n}.role: unexpected role {role!r}"
        if n and messages[n - 1].get("role") == role:
            return f"messages.{n}: roles must alternate between user and assistant"
        blocks = message.get("content")
        blocks = blocks if isinstance(blocks, list) else []
        answered = {b.get("tool_use_id") for b in blocks if b.get("type") == "tool_result"}
        if role == "user":
            if answered - waiting:
                return f"messages.{n}: tool_result for unknown tool_use ids {answered - waiting}"
            if waiting - answered:
                return f"messages.{n}: tool_use ids {waiting - answered} have no tool_result"
            waiting = set()
        else:
            if waiting:
                return f"messages.{n}: tool_use ids {waiting} have no tool_result"
            waiting = {b.get("id") for b in blocks if b.get("type") == "tool_use"}
    if messages[-1].get("role") != "user":
        return "the last message must be a user message"
    return None


# ----- the wire formats ------------------------------------------------------------

_COUNTER = iter(range(1, 1 << 30))
_COUNTER_LOCK = threading.Lock()


def _counter() -> int:
    with _COUNTER_LOCK:
        return next(_COUNTER)


def _arguments(call: Call) -> str:
    return call.args if isinstance(call.args, str) else json.dumps(dict(call.args))


def _message(wire: Wire, reply: Reply, model: str, n: int) -> dict[str, Any]:
    if wire == "openai":
        message: dict[str, Any] = {"role": "assistant", "content": reply.text or None}
        if reply.calls:
            message["tool_calls"] = [
                {
                    "id": f"call_{n}_{k}",
                    "type": "function",
                    "function": {"name": call.name, "arguments": _arguments(call)},
                }
                for k, call in enumerate(reply.calls)
            ]
        return {
            "id": f"chatcmpl-{n}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": "tool_calls" if reply.calls else "stop",
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": reply.input_tokens,
                "completion_tokens": reply.output_tokens,
                "total_tokens": reply.input_tokens + reply.output_tokens,
            },
        }
    content: list[dict[str, Any]] = []
    if reply.text:
        content.append({"type": "text", "text": reply.text})
    for k, call in enumerate(reply.calls):
        if isinstance(call.args, str):
            raise ValueError("Anthropic tool inputs are JSON objects; script a mapping")
        block = {"type": "tool_use", "id": f"toolu_{n}_{k}", "name": call.name}
        content.append({**block, "input": dict(call.args)})
    return {
        "id": f"msg_{n}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": "tool_use" if reply.calls else "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": reply.input_tokens, "output_tokens": reply.output_tokens},
    }


def _pieces(text: str, size: int = 7) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _stream_events(
    wire: Wire, reply: Reply, model: str, body: Mapping[str, Any]
) -> Iterator[tuple[str | None, Any]]:
    n = _counter()
    if wire == "openai":
        yield from _openai_stream(reply, model, n, body)
    else:
        yield from _anthropic_stream(reply, model, n)


def _openai_stream(
    reply: Reply, model: str, n: int, body: Mapping[str, Any]
) -> Iterator[tuple[str | None, Any]]:
    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-{n}",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
        }

    yield None, chunk({"role": "assistant", "content": ""})
    if reply.text:
        for piece in _pieces(reply.text):
            yield None, chunk({"content": piece})
    for k, call in enumerate(reply.calls):
        yield (
            None,
            chunk(
                {
                    "tool_calls": [
                        {
                            "index": k,
                            "id": f"call_{n}_{k}",
                            "type": "function",
                            "function": {"name": call.name, "arguments": ""},
                        }
                    ]
                }
            ),
        )
        for piece in _pieces(_arguments(call), 11):
            yield None, chunk({"tool_calls": [{"index": k, "function": {"arguments": piece}}]})
    yield None, chunk({}, "tool_calls" if reply.calls else "stop")
    if (body.get("stream_options") or {}).get("include_usage"):
        usage = {
            "prompt_tokens": reply.input_tokens,
            "completion_tokens": reply.output_tokens,
            "total_tokens": reply.input_tokens + reply.output_tokens,
        }
        yield None, {**chunk({}), "choices": [], "usage": usage}
    yield None, "[DONE]"


def _anthropic_stream(reply: Reply, model: str, n: int) -> Iterator[tuple[str | None, Any]]:
    yield (
        "message_start",
        {
            "type": "message_start",
            "message": {
                "id": f"msg_{n}",
                "type": "message",
                "role": "assistant",
                "model": model,
                "content": [],
                "stop_reason": None,
                "stop_sequence": None,
                "usage": {"input_tokens": reply.input_tokens, "output_tokens": 1},
            },
        },
    )
    index = 0
    if reply.text:
        yield (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": index,
                "content_block": {"type": "text", "text": ""},
            },
        )
        for piece in _pieces(reply.text):
            yield (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": index,
                    "delta": {"type": "text_delta", "text": piece},
                },
            )
        yield "content_block_stop", {"type": "content_block_stop", "index": index}
        index += 1
    for k, call in enumerate(reply.calls):
        yield (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": index,
                "content_block": {
                    "type": "tool_use",
                    "id": f"toolu_{n}_{k}",
                    "name": call.name,
                    "input": {},
                },
            },
        )
        for piece in _pieces(_arguments(call), 11):
            yield (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": index,
                    "delta": {"type": "input_json_delta", "partial_json": piece},
                },
            )
        yield "content_block_stop", {"type": "content_block_stop", "index": index}
        index += 1
    yield (
        "message_delta",
        {
            "type": "message_delta",
            "delta": {
                "stop_reason": "tool_use" if reply.calls else "end_turn",
                "stop_sequence": None,
            },
            # like the API: the final, cumulative usage (input tokens included)
            "usage": {
                "input_tokens": reply.input_tokens,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 0,
                "output_tokens": reply.output_tokens,
            },
        },
    )
    yield "message_stop", {"type": "message_stop"}


# ----- ready-made scripts ----------------------------------------------------------

MAIN_JOB = (
    "Build a users API with signup and login, a Postgres schema with migrations, "
    "and deploy it with Docker"
)

MAIN_PY = (
    "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
    "@app.post('/signup')\ndef signup() -> dict[str, str]:\n    return {'status': 'created'}\n"
)


def _results_came_back(seen: Seen) -> None:
    assert "## Results of your handoffs" in seen.system, "the integration turn has no results"
    for role in ("database-specialist", "security-specialist", "infrastructure-specialist"):
        assert role in seen.system, f"the results of {role} are missing"


def _file_was_written(seen: Seen) -> None:
    results = seen.tool_results()
    assert results, "the tool result did not come back"
    assert results[0].content.startswith("Created "), results[0].content


def _file_was_read_and_edited(seen: Seen) -> None:
    results = [r.content for r in seen.tool_results()]
    assert len(results) == 2, results
    assert "app = FastAPI()" in results[0], results[0]
    assert results[1].startswith("Edited app/main.py"), results[1]


def main_job_script() -> dict[str, list[Step | Forever]]:
    """The README's main job done by a well-behaved model, with files and handoffs.

    Usage per role (input, output tokens per call): the developer 4 calls
    (1200/80, 1400/60, 2000/150, 2300/90), the database specialist 2 calls
    (900/200, 1100/40), the security specialist 1 call (800/70), the infrastructure
    specialist 2 calls (850/120, 1000/35).
    """
    return {
        "fastapi-developer": [
            Reply(
                text="I will write the API skeleton first.",
                calls=(Call("write_file", {"path": "app/main.py", "content": MAIN_PY}),),
                input_tokens=1200,
                output_tokens=80,
            ),
            handoffs(
                {
                    "database-specialist": "Design the Postgres users schema with migrations",
                    "security-specialist": "Hash passwords and issue login tokens",
                    "infrastructure-specialist": "Containerize the API and Postgres with Docker",
                },
                reason="outside the API layer",
                input_tokens=1400,
                output_tokens=60,
                check=_file_was_written,
            ),
            Reply(
                calls=(
                    Call("read_file", {"path": "app/main.py"}),
                    Call(
                        "edit_file",
                        {
                            "path": "app/main.py",
                            "old_text": "app = FastAPI()",
                            "new_text": "app = FastAPI(title='users')",
                        },
                    ),
                ),
                input_tokens=2000,
                output_tokens=150,
                check=_results_came_back,
            ),
            complete(
                "Users API with signup and login, Postgres schema and Docker deployment",
                references=["app/main.py", "migrations/001_users.sql", "Dockerfile"],
                input_tokens=2300,
                output_tokens=90,
                check=_file_was_read_and_edited,
            ),
        ],
        "database-specialist": [
            tool(
                "write_file",
                path="migrations/001_users.sql",
                content="CREATE TABLE users (id serial PRIMARY KEY, email text UNIQUE);\n",
            ),
            complete(
                "users table and its first migration",
                references=["migrations/001_users.sql"],
                input_tokens=1100,
                output_tokens=40,
                check=_file_was_written,
            ),
        ],
        "security-specialist": [
            complete(
                "bcrypt password hashing and JWT login tokens", input_tokens=800, output_tokens=70
            ),
        ],
        "infrastructure-specialist": [
            tool("write_file", path="Dockerfile", content="FROM python:3.12-slim\n"),
            complete(
                "Dockerfile for the API",
                references=["Dockerfile"],
                input_tokens=1000,
                output_tokens=35,
                check=_file_was_written,
            ),
        ],
    }


def _hand_to_first_role(seen: Seen) -> Reply:
    targets = [name for name in seen.tools if name.startswith("handoff_to_")]
    if not targets:
        return complete("nothing left to hand on")
    return Reply(calls=(Call(targets[0], {"goal": "the same work again", "reason": "habit"}),))


def always_handoff_script() -> dict[str, list[Step | Forever]]:
    """A misbehaving model: every call of every role hands the work to the first role offered."""
    return {ANY_ROLE: [Forever(_hand_to_first_role)]}


SCRIPTS: dict[str, Callable[[], dict[str, list[Step | Forever]]]] = {
    "main-job": main_job_script,
    "always-handoff": always_handoff_script,
}


def main(argv: Sequence[str] | None = None) -> None:
    """Serve a ready-made script until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--wire", choices=("openai", "anthropic"), default="openai")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--script", choices=sorted(SCRIPTS), default="main-job")
    parser.add_argument("--api-key", default=API_KEY)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument(
        "--chunk-delay", type=float, default=0.0, help="seconds between streamed chunks"
    )
    args = parser.parse_args(argv)
    script = SCRIPTS[args.script]()
    if args.delay or args.chunk_delay:
        slow = {"delay": args.delay, "chunk_delay": args.chunk_delay}
        script = {role: [_slowed(s, slow) for s in steps] for role, steps in script.items()}
    server = ScriptedLLMServer(wire=args.wire, script=script, api_key=args.api_key, port=args.port)
    server.start()
    key_env = "OPENAI_API_KEY" if args.wire == "openai" else "ANTHROPIC_API_KEY"
    print(f"serving {args.script!r} ({args.wire}) at {server.base_url}; {key_env}={args.api_key}")
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        server.stop()
        for failure in server.failures:
            print("failure:", failure)
        print("unused:", server.unused() or "none")


def _slowed(step: Step | Forever, slow: Mapping[str, float]) -> Step | Forever:
    if isinstance(step, Forever):
        return Forever(_slowed(step.step, slow))  # type: ignore[arg-type]

    def slowed(seen: Seen) -> Reply:
        reply = step(seen) if callable(step) else step
        return Reply(**{**reply.__dict__, **slow})

    return slowed


if __name__ == "__main__":
    main()
