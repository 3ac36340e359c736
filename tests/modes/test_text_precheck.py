"""Only lines ftfy could change reach it, and clean text never imports it."""

from __future__ import annotations

import subprocess
import sys

import ftfy
from ftfy import badness, chardata
from hypothesis import given, settings
from hypothesis import strategies as st

from modegraph.modes import text as text_module
from modegraph.modes.text import decode, repair_mojibake


def test_every_character_ftfy_judges_is_suspect() -> None:
    judged = set()
    for chars in (*badness.MOJIBAKE_CATEGORIES.values(), *chardata.UTF8_CLUES.values()):
        judged.update(chars)
    missed = sorted(c for c in judged if not c.isascii() and not text_module._SUSPECT.search(c))
    assert missed == []


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.characters(min_codepoint=0x20, max_codepoint=0x5FF),
            st.characters(min_codepoint=0x2000, max_codepoint=0x2BFF),
            st.sampled_from("🚀✅€™ðŸš€âœ…Ã©Ã"),
        ),
        max_size=30,
    )
)
def test_skipping_unsuspect_lines_changes_nothing(line: str) -> None:
    """Where the pre-check lets a line through untouched, ftfy leaves it alone too."""
    config = text_module.REPAIR_CONFIG
    if text_module._SUSPECT.search(line) is None:
        assert ftfy.fix_text(line, config) == line
    repaired, _ = repair_mojibake(line)
    assert repaired == ftfy.fix_text(line, config)


def test_mojibake_is_still_repaired() -> None:
    text, findings = decode("# Mode: ðŸš€ Deploy\ncafÃ©\nРїСЂРёРІРµС‚\n".encode())
    assert text == "# Mode: 🚀 Deploy\ncafé\nпривет\n"
    assert [f.message for f in findings] == [
        "repaired UTF-8 text that had been decoded as cp1252 (ðŸš€ -> 🚀) on 3 lines"
    ]


def test_clean_text_with_emoji_does_not_import_ftfy() -> None:
    code = (
        "import sys\n"
        "from modegraph.modes.text import decode\n"
        "text, found = decode('# Mode: 🚀 Déploy “now” ✅\\n'.encode())\n"
        "assert found == [] or 'mojibake' not in str(found)\n"
        "print('ftfy' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    # 'é' and the curly quotes are suspect characters: ftfy is asked, and keeps them
    assert out.strip() == "True"
    clean = code.replace("Déploy “now”", "Deploy now")
    out = subprocess.run(
        [sys.executable, "-c", clean], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
