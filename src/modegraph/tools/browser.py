"""The browser group: `fetch_url`, off unless `browser.allow` is true in `modegraph.yaml`.

Roo Code deprecated the browser group; modegraph accepts it as a plain page fetch
(no JavaScript). Only http and https URLs are fetched, each must match
`browser.urls` when that list is given, every redirect is checked the same way, the
body is read up to `MAX_FETCH_BYTES`, and HTML comes back as its visible text.
Without `browser.urls`, a URL whose host resolves to a loopback, private,
link-local or reserved address (local services, cloud metadata at 169.254.169.254)
is refused; name such a URL in `browser.urls` to fetch it.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.client import HTTPMessage
from typing import IO

from langchain_core.tools import BaseTool, ToolException
from pydantic import BaseModel, ConfigDict, Field

from modegraph.errors import ToolRefused
from modegraph.tools.context import ToolContext, make_tool
from modegraph.tools.permissions import refuse
from modegraph.tools.regex_limits import RegexTooSlow, compile_regex, search

__all__ = ["MAX_FETCH_BYTES", "MAX_FETCH_CHARS", "FetchUrlArgs", "browser_tools", "html_to_text"]

MAX_FETCH_BYTES = 2_000_000
"""The most bytes of a response body that are read."""
MAX_FETCH_CHARS = 20_000
"""The most characters `fetch_url` returns."""
FETCH_TIMEOUT = 20.0
"""Seconds before a fetch gives up."""


class FetchUrlArgs(BaseModel):
    """Arguments of `fetch_url`."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(description="An http or https URL.")
    """An http or https URL."""


class _TextExtractor(HTMLParser):
    _HIDDEN = frozenset({"script", "style", "noscript", "template", "head"})
    _BREAKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self.hidden += 1
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML page, one block per line."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = (
        re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parser.parts).split("\n")
    )
    return "\n".join(line for line in lines if line)


def browser_tools(ctx: ToolContext) -> list[BaseTool]:
    """The browser group's tool for one role.

    Args:
        ctx: The role's sandbox and permissions.

    Returns:
        `fetch_url`.
    """
    opener = urllib.request.build_opener(_CheckedRedirects(ctx))

    def fetch_url(url: str) -> str:
        return _fetch(ctx, opener, url)

    return [
        make_tool(
            fetch_url,
            name="fetch_url",
            description=(
                "Fetch an http(s) URL and return its text (HTML reduced to visible text). "
                "Only URLs that modegraph.yaml allows can be fetched."
            ),
            args_schema=FetchUrlArgs,
        )
    ]


def _url_matches(pattern: str, url: str) -> bool:
    """`browser.urls` rule against a URL the model chose, with a time limit (no match then)."""
    try:
        return search(compile_regex(pattern), url) is not None
    except RegexTooSlow:
        return False


def _check_url(ctx: ToolContext, url: str) -> None:
    """Refuse (and journal) a URL the configuration does not allow."""
    if not ctx.config.browser.allow:
        refuse(
            "the browser group is off in this project; set browser.allow: true in "
            "modegraph.yaml to let roles fetch web pages",
            ctx.journal_hook,
        )
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in {"http", "https"}:
        refuse(f"only http and https URLs can be fetched, not {url!r}", ctx.journal_hook)
    patterns = ctx.config.browser.urls
    if patterns:
        if not any(_url_matches(pattern, url) for pattern in patterns):
            refuse(
                f"URL {url!r} matches none of browser.urls in modegraph.yaml; add a regex "
                "for it there",
                ctx.journal_hook,
            )
        return
    internal = _internal_address(urllib.parse.urlsplit(url).hostname or "")
    if internal is not None:
        refuse(
            f"URL {url!r} points at the internal address {internal} (loopback, private "
            "network or cloud metadata); list it in browser.urls in modegraph.yaml to allow it",
            ctx.journal_hook,
        )


def _internal_address(host: str) -> str | None:
    """The first loopback, private, link-local or reserved address `host` resolves to."""
    if not host:
        return None
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            return None  # the fetch itself will report that the host cannot be reached
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    for address in addresses:
        if (
            address.is_loopback
            or address.is_private
            or address.is_link_local
            or address.is_reserved
            or address.is_unspecified
            or address.is_multicast
        ):
            return str(address)
    return None


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to a URL the configuration allows."""

    def __init__(self, ctx: ToolContext) -> None:
        super().__init__()
        self.ctx = ctx

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        try:
            _check_url(self.ctx, newurl)
        except ToolRefused:
            fp.close()
            raise
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _fetch(ctx: ToolContext, opener: urllib.request.OpenerDirector, url: str) -> str:
    _check_url(ctx, url)
    request = urllib.request.Request(url, headers={"User-Agent": "modegraph fetch_url"})
    try:
        with opener.open(request, timeout=FETCH_TIMEOUT) as response:
            body = response.read(MAX_FETCH_BYTES)
            status = response.status
            content_type = response.headers.get("Content-Type", "")
            charset = response.headers.get_content_charset() or "utf-8"
            final = response.geturl()
    except ToolRefused:
        raise
    except urllib.error.HTTPError as exc:
        exc.close()
        raise ToolException(f"{url}: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise ToolException(f"cannot fetch {url}: {exc}") from exc
    text = body.decode(charset, errors="replace")
    if "html" in content_type.lower():
        text = html_to_text(text)
    if len(text) > MAX_FETCH_CHARS:
        text = text[:MAX_FETCH_CHARS] + f"\n[cut at {MAX_FETCH_CHARS} characters]"
    ctx.note(f"fetched {final} (HTTP {status})")
    return f"{final} (HTTP {status}, {content_type or 'no content type'})\n{text}"
