"""Control characters in a goal are shown escaped on the terminal, and kept in the data.

Issue 18 item 10: a goal holding ANSI escapes was echoed raw by the run progress and
`journal list`. Every view now prints them as `\\x1b`-style escapes; the journal and
the checkpoint keep the goal exactly; `--json` escapes them as JSON does and decodes
to the same goal.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from modegraph._terminal import json_shown, shown
from modegraph.cli.app import app
from modegraph.journal.store import Journal

SEED = Path(__file__).parents[1] / "coordinator" / "data" / "seed.mode.yaml"
BASE = ["--modes", str(SEED), "--no-bundled", "--mode", "fastapi-developer"]
GOAL = (
    "Build a \x1b[31mred\x1b[0m users API\x1b]0;pwned\x07 with a\x08\x08 Postgres schema, "
    "del\x7f csi\x9b2J and a bidi \u202eoverride\u202c"
)
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What must never reach the terminal raw (newlines aside)."""


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def started(*extra: str) -> tuple[str, str, str]:
    code, out, err = invoke("run", GOAL, *BASE, *extra)
    assert code == 0, err
    return out, err, next(p.stem for p in Path("project_journal/tasks").glob("*.md"))


def test_run_progress_and_route_show_control_characters_escaped() -> None:
    out, err, _ = started()
    assert not RAW.search(out), out
    assert not RAW.search(err), err
    assert "\\x1b[31mred\\x1b[0m" in err
    assert "\\x1b]0;pwned\\x07" in out
    assert "\\u202eoverride" in out


def test_the_journal_keeps_the_goal_exactly_and_its_views_escape_it() -> None:
    started()
    journal = Journal("project_journal")
    root = next(i for i in journal.ids() if "." not in i)
    assert journal.read(root).goal == GOAL

    code, listed, _ = invoke("journal", "list")
    assert code == 0
    assert not RAW.search(listed), listed
    assert "\\x1b[31mred" in listed

    code, shown_task, _ = invoke("journal", "show", root)
    assert code == 0
    assert not RAW.search(shown_task), shown_task
    assert "\\x1b]0;pwned\\x07" in shown_task

    code, raw, _ = invoke("journal", "show", root, "--raw")  # not a terminal: as it is
    assert code == 0
    assert "\x1b[31mred" in raw


def test_json_decodes_to_the_goal_and_holds_no_raw_control_character() -> None:
    out, _, _ = started("--json")
    assert not RAW.search(out)
    data = json.loads(out)
    assert data["subtasks"][0]["goal"] == GOAL


def test_a_goal_that_is_not_utf8_is_refused_before_anything_is_written(in_tmp: Path) -> None:
    code, _, err = invoke("run", "Build \udc9b an API", *BASE)
    assert code == 2
    assert "the goal is not valid UTF-8 text (character 7 stands for the byte b'\\x9b')" in (
        " ".join(err.split())
    )
    assert not (in_tmp / "project_journal" / ".ids").exists()


@given(st.text())
def test_shown_text_has_no_control_character_left(text: str) -> None:
    assert not RAW.search(shown(text))
    assert "\n" not in shown(text)
    assert shown(text, keep="\n").count("\n") == text.count("\n")


@given(st.recursive(st.text() | st.integers(), lambda inner: st.lists(inner, max_size=3)))
def test_json_shown_decodes_to_the_same_data(data: object) -> None:
    document = json_shown(json.dumps(data, indent=2, ensure_ascii=False))
    assert json.loads(document) == data
    assert not RAW.search(document.replace("\n", ""))
