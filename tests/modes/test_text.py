"""decode(): BOM, line ends, bytes that are not UTF-8, cp1252 mojibake repair."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modegraph.findings import Code, Severity
from modegraph.modes.text import decode, repair_mojibake

CLEAN_TEXTS = [
    "# Mode: 🚀 FastAPI Developer (`fastapi-developer`)",
    "Café, naïve, résumé, Straße, Ærø, São Paulo, Łódź, İstanbul",
    "“Curly quotes” and ‘single ones’ — with dashes – and an ellipsis…",
    "Emoji: ✅ ❌ ⚙️ 🧑‍💻 🏗️ 🔒 📦 👍🏽 🇫🇷",
    "ﬁ ligature, ｆｕｌｌ width, ½ ¼ ± × ÷ µ ° © ® ™ € £ ¥",
    "東京, Ελληνικά, Привет, עברית, العربية, हिन्दी",
    "HTML entity &amp; stays, \t tab stays, NBSP\u00a0stays",
    "decomposed e\u0301 stays decomposed",
]


@pytest.mark.parametrize("text", CLEAN_TEXTS)
def test_clean_text_is_never_changed(text: str) -> None:
    decoded, findings = decode(text.encode("utf-8"))
    assert decoded == text
    assert findings == []


def test_mojibake_emoji_and_check_mark_are_repaired() -> None:
    data = "# Mode: ðŸš€ Dev\nplain\n**Status:** âœ… Complete\n".encode()
    text, findings = decode(data, path="m.md")
    assert text == "# Mode: 🚀 Dev\nplain\n**Status:** ✅ Complete\n"
    (finding,) = findings
    assert finding.code is Code.MOJIBAKE_REPAIRED
    assert finding.severity is Severity.INFO
    assert finding.line == 1
    assert finding.path == "m.md"
    assert "ðŸš€ -> 🚀" in finding.message
    assert "2 lines" in finding.message
    assert finding.hint


def test_first_affected_line_is_reported() -> None:
    text, findings = decode("a\nb\nstatus âœ… done\n".encode())
    assert text == "a\nb\nstatus ✅ done\n"
    assert findings[0].line == 3
    assert "âœ… -> ✅" in findings[0].message


def test_mojibake_quotes_are_repaired() -> None:
    text, findings = decode("He said â€œhiâ€\x9d".encode())
    assert text == "He said “hi”"
    assert [f.code for f in findings] == [Code.MOJIBAKE_REPAIRED]


def test_utf8_bom_is_stripped() -> None:
    text, findings = decode(b"\xef\xbb\xbf# Mode: X (`x`)\n")
    assert text == "# Mode: X (`x`)\n"
    assert findings == []


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_crlf_and_cr_become_lf(newline: bytes) -> None:
    text, findings = decode(newline.join([b"one", b"two", b"three"]) + newline)
    assert text == "one\ntwo\nthree\n"
    assert findings == []


def test_bytes_that_are_not_utf8_give_a_finding_and_a_best_effort_text() -> None:
    data = b"line one\r\nline two\r\ncaf\xe9 \x93quoted\x94\nend \x81\n"
    text, findings = decode(data, path="bad.md")
    assert text == "line one\nline two\ncafé “quoted”\nend \x81\n"
    (finding,) = findings
    assert finding.code is Code.NOT_UTF8
    assert finding.severity is Severity.WARNING
    assert finding.line == 3
    assert "0xe9" in finding.message
    assert "4 bad sequences" in finding.message
    assert finding.path == "bad.md"


def test_truncated_utf8_at_the_end() -> None:
    text, findings = decode("ok 🚀".encode()[:-1])
    assert text.startswith("ok ")
    assert [f.code for f in findings] == [Code.NOT_UTF8]


def test_utf16_with_bom_is_read() -> None:
    data = "# Mode: Ünïcode (`u`)\r\nbody\r\n".encode("utf-16")
    text, findings = decode(data, path="u16.md")
    assert text == "# Mode: Ünïcode (`u`)\nbody\n"
    assert [f.code for f in findings] == [Code.NOT_UTF8]
    assert "UTF-16" in findings[0].message


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised(codec: str) -> None:
    data = "# Mode: Ünïcode (`u`)\r\nbody 🚀\r\n".encode(codec)
    text, findings = decode(data)
    assert text == "# Mode: Ünïcode (`u`)\nbody 🚀\n"
    assert [f.code for f in findings] == [Code.NOT_UTF8]


def test_nul_bytes_alone_are_not_utf16() -> None:
    assert decode(b"\x00\x00\x00\x00") == ("\x00\x00\x00\x00", [])


def test_empty_bytes() -> None:
    assert decode(b"") == ("", [])


def test_repair_keeps_the_number_of_lines() -> None:
    text = "a\nðŸš€\n\nâœ…\n"
    repaired, _ = repair_mojibake(text)
    assert repaired.count("\n") == text.count("\n")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_decode_never_raises_on_any_bytes(data: bytes) -> None:
    text, findings = decode(data)
    assert isinstance(text, str)
    assert "\r" not in text
    assert all(f.code in (Code.NOT_UTF8, Code.MOJIBAKE_REPAIRED) for f in findings)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_utf8_text_decodes_to_itself_or_a_reported_repair(text: str) -> None:
    decoded, findings = decode(text.encode("utf-8"))
    expected = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not findings:
        assert decoded == expected
    else:
        assert {f.code for f in findings} <= {Code.MOJIBAKE_REPAIRED, Code.NOT_UTF8}
