r"""Text that is safe to print on a terminal: control characters shown, never obeyed.

A goal, a summary or a mode file may hold ANSI escapes (``\x1b[31m``, a title change
``\x1b]0;...\x07``), backspaces, carriage returns or bidirectional overrides that,
printed as they are, recolour, rewrite or reorder what a person sees. The command
line shows every such character as a Python-style escape instead (``\x1b``,
``\u202e``); the data itself (journal, checkpoints) keeps them unchanged, and
``--json`` writes them as JSON escapes (``\u001b``), which decode to the same text.

```python
from modegraph._terminal import shown

shown("red \x1b[31m text")  # 'red \\x1b[31m text'
```
"""

from __future__ import annotations

import re

__all__ = ["json_shown", "shown"]

_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f"  # C0 controls, DEL, C1 controls (0x9b is a one-byte CSI)
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks and overrides
    "\u2028\u2029]"  # line and paragraph separators
)


_RAW_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
"""`_UNSAFE` less the C0 controls, which `json.dumps` escapes itself."""


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str, *, keep: str = "") -> str:
    r"""`text` with every control character written as an escape (``\x1b``, ``\u202e``).

    Args:
        text: Any text.
        keep: Control characters to leave as they are (``"\n\t"`` for text shown
            over several lines).
    """
    if text.isprintable() and text.isascii():
        return text
    if not keep:
        return _UNSAFE.sub(_escape, text)
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)


def json_shown(document: str) -> str:
    r"""A JSON document with the control characters `json.dumps` leaves raw escaped.

    `json.dumps(..., ensure_ascii=False)` escapes C0 controls but writes DEL, C1
    controls and bidi overrides as they are; outside strings JSON holds none of them,
    so writing them as ``\uXXXX`` escapes gives a document that decodes to the same
    data and is safe on a terminal.
    """
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
