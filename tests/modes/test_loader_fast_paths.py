"""The loader's shortcuts change nothing: format sniffing and how a file is opened."""

from __future__ import annotations

from pathlib import Path

import pytest

from modegraph.findings import Code
from modegraph.modes.catalog.loader import detect_format, load_file
from modegraph.modes.model import SourceFormat

TOML = '+++\nid = "docs"\nname = "Docs"\n[metadata]\nlevel = "030-worker"\n+++\nBody.\n'
AGENT = "---\nname: docs\ndescription: Writes docs.\ntools: Read\n---\nYou write docs.\n"
MARKDOWN = "# Mode: Docs (`docs`)\n\n## Metadata\n\n**Level:** 030-worker\n"


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        (TOML, SourceFormat.ROO_TOML),
        ("\ufeff" + TOML, SourceFormat.ROO_TOML),
        ("\n \n\t\n" + TOML, SourceFormat.ROO_TOML),
        (TOML.replace("\n", "\r\n"), SourceFormat.ROO_TOML),
        (AGENT, SourceFormat.CLAUDE),
        ("\n\n" + AGENT, SourceFormat.CLAUDE),
        ("".join(f"    {line}\n" for line in AGENT.splitlines()), SourceFormat.CLAUDE),
        ("\ufeff\r\n" + AGENT.replace("\n", "\r\n"), SourceFormat.CLAUDE),
        (MARKDOWN, SourceFormat.ROO_MARKDOWN),
        ("---\n" + MARKDOWN, SourceFormat.ROO_MARKDOWN),
        ("Some text\n" + AGENT, SourceFormat.ROO_MARKDOWN),
        ("x" + TOML, SourceFormat.ROO_MARKDOWN),
    ],
)
def test_a_mode_md_is_sniffed_for_front_matter_formats_only_when_it_can_have_one(
    text: str, fmt: SourceFormat
) -> None:
    assert detect_format(text, path="catalog/docs.mode.md") is fmt


def test_an_empty_path_still_names_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = load_file("")
    assert [f.code for f in result.findings] == [Code.UNREADABLE_FILE]
    assert "a directory" in result.findings[0].message


def test_a_file_is_read_by_str_and_by_path_alike(tmp_path: Path) -> None:
    path = tmp_path / "docs.mode.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    by_str, by_path = load_file(str(path)), load_file(path)
    assert by_str.modes == by_path.modes
    assert by_str.findings == by_path.findings
    assert [m.slug for m in by_path.modes] == ["docs"]
