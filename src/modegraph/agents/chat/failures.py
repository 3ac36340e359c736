"""A failed model call, in words a person can act on.

The provider SDKs (OpenAI's, Anthropic's, and the many OpenAI-compatible ones)
retry rate limits, server errors, timeouts and dropped connections themselves,
with exponential backoff that honours `retry-after` (`ModelSettings.max_retries`
times). When the retries run out, the SDK raises, and the chat agent ends the turn
`failed` with `describe_model_error`'s text: the error's class and message, and,
for the failures everyone meets, what to do about it. The SDKs are not imported:
their errors are recognised by their `status_code` and their class names.
"""

from __future__ import annotations

__all__ = ["describe_model_error"]

_HINTS = {
    400: "the provider refused the request (400); the model may not support tool calling",
    401: "the provider refused the API key (401); check the key's environment variable",
    403: "the provider refused access (403); check the key's permissions and the model name",
    404: "the provider does not know this model or URL (404); check the model name and "
    "--base-url (an OpenAI-compatible server's URL usually ends in /v1)",
    429: "the provider rate-limited the calls (429) and the retries ran out; wait and "
    "resume, or lower the load",
}


def describe_model_error(exc: BaseException) -> str:
    """What went wrong with a model call, and what to do about it.

    Args:
        exc: The error the model call raised.

    Returns:
        `Class: message`, followed by a hint for rate limits, server errors,
        timeouts, refused keys, unknown models and unreachable servers.
    """
    text = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
    hint = _hint(exc)
    return f"{text} ({hint})" if hint else text


def _hint(exc: BaseException) -> str:
    names = {cls.__name__ for cls in type(exc).__mro__}
    status = getattr(exc, "status_code", None)
    if isinstance(status, int):
        if status in _HINTS:
            return _HINTS[status]
        if status >= 500:
            return (
                f"the provider failed ({status}) and the retries ran out; try again later "
                "with `modegraph resume`"
            )
    if names & {"APITimeoutError", "TimeoutException", "TimeoutError", "ReadTimeout"}:
        return (
            "the call timed out, and so did its retries; a slow local model may need a "
            "longer --timeout"
        )
    if names & {"APIConnectionError", "ConnectError", "ConnectionError"}:
        return "the provider could not be reached; check --base-url and that the server is running"
    return ""
