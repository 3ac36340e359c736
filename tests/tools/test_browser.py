"""fetch_url against a local http.server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from langchain_core.messages import ToolMessage

from modegraph.errors import ToolRefused
from modegraph.modes.config import BrowserConfig, ProjectConfig
from modegraph.tools import ToolContext, Workspace
from modegraph.tools.browser import MAX_FETCH_CHARS, browser_tools, html_to_text

PAGE = (
    b"<html><head><title>t</title><script>var secret = 1;</script></head>"
    b"<body><h1>FastAPI</h1><p>Fast &amp; typed.</p><style>p{}</style></body></html>"
)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/page":
            self._send(200, "text/html; charset=utf-8", PAGE)
        elif self.path == "/big":
            self._send(200, "text/plain", b"a" * (MAX_FETCH_CHARS * 2))
        elif self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", self.path.split("to=", 1)[1])
            self.end_headers()
        else:
            self._send(404, "text/plain", b"no")

    def _send(self, code: int, kind: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _fetch(root: Path, journal, **browser):
    config = ProjectConfig(browser=BrowserConfig(**browser))
    return browser_tools(
        ToolContext(workspace=Workspace(root), config=config, journal_hook=journal)
    )[0]


LOCAL = (r"^http://127\.0\.0\.1:\d+/",)


def test_fetch_returns_the_visible_text(root: Path, journal, server: str) -> None:
    out = _fetch(root, journal, allow=True, urls=LOCAL).invoke({"url": f"{server}/page"})
    assert out.splitlines() == [
        f"{server}/page (HTTP 200, text/html; charset=utf-8)",
        "FastAPI",
        "Fast & typed.",
    ]
    assert journal.lines == [f"fetched {server}/page (HTTP 200)"]


def test_long_pages_are_cut(root: Path, journal, server: str) -> None:
    out = _fetch(root, journal, allow=True, urls=LOCAL).invoke({"url": f"{server}/big"})
    assert out.endswith(f"[cut at {MAX_FETCH_CHARS} characters]")


def test_http_errors_go_back_to_the_model(root: Path, journal, server: str) -> None:
    fetch = _fetch(root, journal, allow=True, urls=LOCAL)
    message = fetch.invoke(
        {"type": "tool_call", "id": "f", "name": "fetch_url", "args": {"url": f"{server}/gone"}}
    )
    assert isinstance(message, ToolMessage) and message.status == "error"
    assert "HTTP 404" in str(message.content)


def test_urls_outside_the_allowlist_are_refused(root: Path, journal, server: str) -> None:
    fetch = _fetch(root, journal, allow=True, urls=(r"^http://127\.0\.0\.1:\d+/page$",))
    assert "FastAPI" in fetch.invoke({"url": f"{server}/page"})
    with pytest.raises(ToolRefused, match=r"matches none of browser\.urls"):
        fetch.invoke({"url": f"{server}/big"})
    assert journal.refusals


def test_redirects_are_checked_like_urls(root: Path, journal, server: str) -> None:
    fetch = _fetch(root, journal, allow=True, urls=(r"/redirect", r"/page$"))
    assert "FastAPI" in fetch.invoke({"url": f"{server}/redirect?to={server}/page"})
    with pytest.raises(ToolRefused, match=r"matches none of browser\.urls"):
        fetch.invoke({"url": f"{server}/redirect?to={server}/big"})
    to_file = fetch.invoke(
        {
            "type": "tool_call",
            "id": "f",
            "name": "fetch_url",
            "args": {"url": f"{server}/redirect?to=file:///etc/passwd"},
        }
    )
    assert to_file.status == "error" and "root:" not in str(to_file.content)


def test_html_to_text_drops_scripts_and_styles() -> None:
    assert html_to_text(PAGE.decode()) == "FastAPI\nFast & typed."


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "http://localhost:9/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://[::1]:9/",
        "http://0.0.0.0:9/",
    ],
)
def test_internal_addresses_need_an_explicit_url_pattern(root: Path, journal, url: str) -> None:
    with pytest.raises(ToolRefused, match="internal address"):
        _fetch(root, journal, allow=True).invoke({"url": url})
    assert journal.refusals
