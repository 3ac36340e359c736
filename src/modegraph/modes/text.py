r"""Bytes of a mode file -> clean text, with findings for what had to be repaired.

`decode` never raises. What it does, in order:

1. A UTF-16 file (it starts with a UTF-16 byte-order mark, or its first 64 bytes
   are ASCII characters each followed or preceded by a NUL byte) is decoded as
   UTF-16 and reported as `not-utf8` (warning).
2. A UTF-8 byte-order mark is stripped.
3. Line ends are normalised: CRLF and lone CR become ``\n``. Line numbers in every
   later finding count these normalised lines.
4. The bytes are decoded as UTF-8. A byte that is not UTF-8 gives one `not-utf8`
   warning (with the line of the first bad byte and how many bad sequences there
   are); each bad byte is read as cp1252 (or Latin-1 where cp1252 has no character),
   so a file saved in a Windows code page still reads as intended.
5. cp1252 mojibake (UTF-8 that was once decoded as cp1252 and saved again:
   ``ðŸš€`` for 🚀, ``âœ…`` for ✅) is repaired with ftfy, and reported once as an
   info `mojibake-repaired` finding naming the first line affected, an example
   (``ðŸš€ -> 🚀``) and the number of lines repaired.

ftfy runs with a deliberately narrow configuration (`REPAIR_CONFIG`): only its
encoding repair is switched on. Curly quotes, ligatures, full-width characters,
HTML entities, control characters, line breaks and Unicode normalisation are left
exactly as written, so clean text (emoji, accents, curly quotes) never changes.
Only lines that hold a character ftfy's mojibake heuristics look at (Latin-1 and
Latin Extended letters, Greek, Cyrillic, cp1252 punctuation, box drawing, ...: see
`_SUSPECT`) are given to ftfy; any other line cannot be changed by its encoding repair.
ftfy itself (and its wcwidth tables) is imported only when such a line turns up, so
reading clean files, emoji included, never loads it. Each line is repaired on its own,
so the number of lines never changes.
"""

from __future__ import annotations

import difflib
import functools
import re
from typing import TYPE_CHECKING, Any

from modegraph.findings import Code, Finding, Severity

if TYPE_CHECKING:
    import ftfy

    REPAIR_CONFIG: ftfy.TextFixerConfig
    """The ftfy configuration `decode` uses: encoding repair only, nothing cosmetic."""

__all__ = ["REPAIR_CONFIG", "decode", "normalise_text", "repair_mojibake"]

_SUSPECT = re.compile("[\u0080-\u04ff\u2000-\u25ff\uf8ff\ufb00-\ufb4f\ufffd]")
"""A character ftfy's mojibake detection can react to; a line without one is left alone.

A superset of the characters of ftfy's `badness.MOJIBAKE_CATEGORIES` and
`chardata.UTF8_CLUES` (a test checks this against the installed ftfy): its encoding
repair changes nothing unless `badness.is_bad` finds a sequence of those.
"""


@functools.cache
def _repair_config() -> ftfy.TextFixerConfig:
    import ftfy  # heavy (wcwidth tables): only needed for suspect lines

    return ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=False,
        decode_inconsistent_utf8=True,
        fix_c1_controls=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=False,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )


def _fix_line(line: str) -> str:
    import ftfy  # see _repair_config

    return ftfy.fix_text(line, _repair_config())


def __getattr__(name: str) -> Any:
    """`REPAIR_CONFIG`, built (and ftfy imported) on first use."""
    if name == "REPAIR_CONFIG":
        return _repair_config()
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_EXAMPLE_WIDTH = 24
_EXAMPLE_WINDOW = 4 * _EXAMPLE_WIDTH
_SNIFF_BYTES = 64


def decode(data: bytes, *, path: str | None = None) -> tuple[str, list[Finding]]:
    r"""Decode the bytes of a mode file into clean text.

    Args:
        data: The raw bytes of the file.
        path: The file name, used in findings.

    Returns:
        The text (``\n`` line ends, no BOM, mojibake repaired) and the findings met:
        `not-utf8` (warning) and `mojibake-repaired` (info).
    """
    findings: list[Finding] = []
    utf16 = _utf16_codec(data)
    if utf16 is not None:
        text = data.decode(utf16, errors="replace")
        findings.append(
            Finding(
                path=path,
                line=1,
                code=Code.NOT_UTF8,
                severity=Severity.WARNING,
                message="the file is UTF-16, not UTF-8; it was read as UTF-16",
                hint="save the file as UTF-8 without a byte-order mark",
            )
        )
        text = _normalise_line_ends(text.removeprefix("\ufeff"))
    else:
        if data.startswith(_UTF8_BOM):
            data = data[len(_UTF8_BOM) :]
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        text, bad = _decode_utf8_leniently(data, path=path)
        findings.extend(bad)
    text, repaired = repair_mojibake(text, path=path)
    findings.extend(repaired)
    return text, findings


def repair_mojibake(text: str, *, path: str | None = None) -> tuple[str, list[Finding]]:
    r"""Repair cp1252 mojibake line by line.

    Args:
        text: Text with ``\n`` line ends.
        path: The file name, used in the finding.

    Returns:
        The repaired text and at most one info `mojibake-repaired` finding.
    """
    if text.isascii() or _SUSPECT.search(text) is None:
        return text, []  # no line holds a suspect character: nothing to repair
    lines = text.split("\n")
    first: int | None = None
    example = ""
    count = 0
    for index, line in enumerate(lines):
        if line.isascii() or _SUSPECT.search(line) is None:
            continue
        fixed = _fix_line(line)
        if fixed == line:
            continue
        lines[index] = fixed
        count += 1
        if first is None:
            first = index + 1
            example = _example(line, fixed)
    if first is None:
        return text, []
    plural = "line" if count == 1 else "lines"
    finding = Finding(
        path=path,
        line=first,
        code=Code.MOJIBAKE_REPAIRED,
        severity=Severity.INFO,
        message=(
            f"repaired UTF-8 text that had been decoded as cp1252 ({example}) on {count} {plural}"
        ),
        hint="save the repaired text back to the file as UTF-8",
    )
    return "\n".join(lines), [finding]


def _utf16_codec(data: bytes) -> str | None:
    """The UTF-16 codec a file needs, or None for anything else.

    `utf-16` for a file with a UTF-16 BOM; `utf-16-le` / `utf-16-be` for one that is
    plainly UTF-16 without a BOM: in its first bytes nearly every other byte is NUL
    (mostly ASCII text) and the bytes between are not.
    """
    if data.startswith(_UTF16_BOMS):
        return "utf-16"
    head = data[:_SNIFF_BYTES]
    if len(head) < 4 or len(head) % 2:
        head = head[: len(head) - len(head) % 2]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if _mostly_nul(odd) and even.count(0) == 0:
        return "utf-16-le"
    if _mostly_nul(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _mostly_nul(chunk: bytes) -> bool:
    return chunk.count(0) >= 0.75 * len(chunk)


def normalise_text(text: str) -> str:
    """Text with a leading BOM removed and CRLF / CR line ends turned into LF.

    The readers call it on what they are given, so text that did not come through
    `decode` (a string built in a test, a pasted file) reads the same.
    """
    return _normalise_line_ends(text.removeprefix("\ufeff"))


def _normalise_line_ends(text: str) -> str:
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_utf8_leniently(data: bytes, *, path: str | None) -> tuple[str, list[Finding]]:
    """Decode UTF-8; read each bad byte as cp1252 (Latin-1 where cp1252 has none)."""
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        first_bad = error.start
    parts: list[str] = []
    position = 0
    bad_sequences = 0
    while position < len(data):
        try:
            parts.append(data[position:].decode("utf-8"))
            break
        except UnicodeDecodeError as error:
            start = position + error.start
            end = position + error.end
            parts.append(data[position:start].decode("utf-8"))
            parts.append(_decode_single_bytes(data[start:end]))
            bad_sequences += 1
            position = end
    line = data.count(b"\n", 0, first_bad) + 1
    byte = data[first_bad]
    finding = Finding(
        path=path,
        line=line,
        code=Code.NOT_UTF8,
        severity=Severity.WARNING,
        message=(
            f"the file is not valid UTF-8 (first bad byte 0x{byte:02x}, "
            f"{bad_sequences} bad sequence{'s' if bad_sequences != 1 else ''}); "
            "bad bytes were read as cp1252"
        ),
        hint="re-save the file as UTF-8 (check the characters on this line)",
    )
    return "".join(parts), [finding]


def _decode_single_bytes(chunk: bytes) -> str:
    out: list[str] = []
    for value in chunk:
        single = bytes([value])
        try:
            out.append(single.decode("cp1252"))
        except UnicodeDecodeError:
            out.append(single.decode("latin-1"))
    return "".join(out)


def _example(before: str, after: str) -> str:
    """The first changed stretch of a repaired line, as ``old -> new``.

    Linear in the line's length: one scan for the first difference, then the
    stretch is found by diffing a short window from there (a repaired character is
    at most a few characters of mojibake), so a 20,000-character line costs no more
    than a short one.
    """
    start = _first_difference(before, after)
    window = _EXAMPLE_WINDOW
    matcher = difflib.SequenceMatcher(
        a=before[start : start + window], b=after[start : start + window], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            old = before[start + i1 : start + i2].strip()[:_EXAMPLE_WIDTH]
            new = after[start + j1 : start + j2].strip()[:_EXAMPLE_WIDTH]
            return f"{old} -> {new}"
    return ""  # pragma: no cover - only called when the line changed


def _first_difference(a: str, b: str) -> int:
    """Index of the first character where `a` and `b` differ (linear; halving slices)."""
    low, high = 0, min(len(a), len(b))
    while low < high:  # invariant: a[:low] == b[:low]; they differ before `high` or end
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low
