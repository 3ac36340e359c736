"""`modegraph graph show | path | lint` through Typer's CliRunner."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from modegraph.cli.app import app
from modegraph.cli.graph import Format
from modegraph.roles import GraphFormat

SEED = Path(__file__).resolve().parents[1] / "data" / "000_fcc372a2e7cd4ede.txt"
SEED_TARGETS = [
    "database-specialist",
    "security-specialist",
    "infrastructure-specialist",
    "cicd-specialist",
    "containerization-developer",
]
runner = CliRunner()


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user layer and no project layer from the developer's machine."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)


def write_catalog(tmp_path: Path) -> Path:
    folder = tmp_path / "modes"
    folder.mkdir()
    (folder / "team.mode.yaml").write_text(
        """\
modes:
- slug: boss
  name: Boss
  level: 000-executive
  role_definition: You run the team.
  delegates_to: [lead]
- slug: lead
  name: Lead
  level: 020-lead
  role_definition: You lead.
  delegates_to: [worker]
  escalates_to: [boss]
- slug: worker
  name: Worker
  level: 030-worker
  role_definition: You work.
  escalates_to: [{slug: lead, note: when stuck}]
- slug: island
  name: Island
  level: 030-worker
  role_definition: You are alone.
  escalates_to: [boss]
""",
        encoding="utf-8",
    )
    return folder


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["graph", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_format_choices_match_the_library() -> None:
    assert [f.value for f in Format] == [f.value for f in GraphFormat]


@pytest.mark.parametrize("fmt", [f.value for f in Format])
def test_seed_alone_draws_its_five_targets_as_missing(fmt: str) -> None:
    if fmt == "svg" and shutil.which("dot") is None:
        pytest.skip("Graphviz `dot` is not installed")
    code, out, err = invoke(
        "show", "--modes", str(SEED), "--no-bundled", "--entry", "fastapi-developer", "-f", fmt
    )
    assert code == 0, err
    if fmt == "mermaid":
        [line] = [ln for ln in out.splitlines() if ln.startswith("  class ")]
        assert (
            line
            == "  class " + ",".join("n_" + t.replace("-", "_") for t in SEED_TARGETS) + " missing"
        )
    elif fmt == "dot":
        for target in SEED_TARGETS:
            assert re.search(rf'"{target}" \[.*style="rounded,dashed"', out)
    elif fmt == "json":
        graph = nx.node_link_graph(json.loads(out), edges="edges")
        assert sorted(n for n, d in graph.nodes(data=True) if d["missing"]) == sorted(SEED_TARGETS)
        assert graph.nodes["fastapi-developer"]["emoji"] == "🚀"
    elif fmt == "svg":
        assert out.count('class="node"') == 6
        assert all(t.replace("-", "&#45;") in out for t in SEED_TARGETS)
    else:
        data = re.search(r'id="modegraph-data">(.*?)</script>', out, re.DOTALL)
        assert data is not None
        nodes = json.loads(data.group(1))["nodes"]
        assert sorted(n["id"] for n in nodes if n["missing"]) == sorted(SEED_TARGETS)


def test_show_writes_a_file(tmp_path: Path) -> None:
    folder = write_catalog(tmp_path)
    target = tmp_path / "graph.html"
    code, out, err = invoke(
        "show", "--modes", str(folder), "--no-bundled", "-f", "html", "-o", str(target)
    )
    assert code == 0
    assert out == ""
    assert f"wrote {target} (html, 4 roles, 5 edges)" in err
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_show_entry_and_depth(tmp_path: Path) -> None:
    folder = write_catalog(tmp_path)
    code, out, _ = invoke(
        "show",
        "--modes",
        str(folder),
        "--no-bundled",
        "--entry",
        "boss",
        "--depth",
        "1",
        "-f",
        "json",
    )
    assert code == 0
    assert sorted(n["id"] for n in json.loads(out)["nodes"]) == ["boss", "lead"]


def test_show_unknown_entry_fails_with_a_suggestion(tmp_path: Path) -> None:
    folder = write_catalog(tmp_path)
    code, _, err = invoke("show", "--modes", str(folder), "--no-bundled", "--entry", "leed")
    assert code == 1
    assert "--entry 'leed' is not a mode of this catalog; did you mean lead?" in err.replace(
        "\n", " "
    )


def test_depth_without_entry_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = invoke(
        "show", "--modes", str(write_catalog(tmp_path)), "--no-bundled", "--depth", "2"
    )
    assert code == 2
    assert "--depth needs --entry" in err


def test_svg_without_graphviz_exits_1_naming_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_catalog(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, _, err = invoke("show", "--modes", str(folder), "--no-bundled", "-f", "svg")
    assert code == 1
    flat = " ".join(err.split())
    assert "apt-get install graphviz" in flat and "--format html" in flat


def test_path_found(tmp_path: Path) -> None:
    code, out, _ = invoke(
        "path", "worker", "boss", "--modes", str(write_catalog(tmp_path)), "--no-bundled"
    )
    assert code == 0
    assert out.splitlines() == [
        "worker",
        "  --escalate--> lead  (when stuck)",
        "  --escalate--> boss",
        "2 handoffs",
    ]


def test_path_json(tmp_path: Path) -> None:
    code, out, _ = invoke(
        "path", "boss", "worker", "--json", "--modes", str(write_catalog(tmp_path)), "--no-bundled"
    )
    assert code == 0
    data = json.loads(out)
    assert data["found"] is True and data["hops"] == 2
    assert [(e["source"], e["kind"], e["target"]) for e in data["path"]] == [
        ("boss", "delegate", "lead"),
        ("lead", "delegate", "worker"),
    ]


def test_no_path_exits_1_and_names_the_closest_role(tmp_path: Path) -> None:
    folder = write_catalog(tmp_path)
    code, _, err = invoke("path", "boss", "island", "--modes", str(folder), "--no-bundled")
    assert code == 1
    flat = " ".join(err.split())
    assert "no path from boss to island along delegate or escalate edges" in flat
    assert "the closest role boss can reach is" in flat
    code, out, _ = invoke(
        "path", "boss", "island", "--json", "--modes", str(folder), "--no-bundled"
    )
    assert code == 1
    data = json.loads(out)
    assert data["found"] is False and data["path"] is None and data["closest"] in {"lead", "worker"}


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_path_to_a_missing_node_is_refused(json_flag: list[str]) -> None:
    code, out, err = invoke(
        "path",
        "fastapi-developer",
        "containerization-developer",
        *json_flag,
        "--modes",
        str(SEED),
        "--no-bundled",
    )
    assert code == 1
    # under --json the error is also the one JSON document on standard output
    assert (json.loads(out)["exit_code"] == 1) if json_flag else out == ""
    flat = " ".join(err.split())
    assert (
        "containerization-developer is referenced by fastapi-developer "
        "but no mode declares it" in flat
    )


def _validate(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["modes", "validate", *args])
    return result.exit_code, result.stdout


def test_lint_shows_exactly_what_validate_shows(tmp_path: Path) -> None:
    folder = write_catalog(tmp_path)
    (folder / "more.mode.yaml").write_text(
        """\
modes:
- slug: helper
  name: Helper
  level: 030-worker
  role_definition: You help.
  escalates_to: [ghost-lead, {slug: Lead, note: by name}]
""",
        encoding="utf-8",
    )
    for extra in ([], ["--strict"], ["--no-bundled"]):
        lint_code, lint_out, _ = invoke("lint", "--json", *extra, "--modes", str(folder))
        validate_code, validate_out = _validate("--json", *extra, "--modes", str(folder))
        assert (lint_code, json.loads(lint_out)) == (validate_code, json.loads(validate_out))
    data = json.loads(lint_out)
    assert set(data) == {"modes", "findings", "errors", "warnings"}
    codes = {f["code"] for f in data["findings"]}
    assert {"dangling-reference", "unreachable"} <= codes
    # the human output carries the same findings and verdict
    _, lint_text, _ = invoke("lint", "--modes", str(folder))
    _, validate_text = _validate("--modes", str(folder))
    assert lint_text == validate_text
    assert "dangling-reference (2 warnings)" in lint_text


def test_lint_groups_findings_and_exits_by_severity(tmp_path: Path) -> None:
    folder = write_catalog(tmp_path)
    code, out, _ = invoke("lint", "--modes", str(folder), "--no-bundled")
    assert code == 0  # warnings only
    assert "unreachable (1 warning)" in out
    code, _, _ = invoke("lint", "--strict", "--modes", str(folder), "--no-bundled")
    assert code == 1
    code, out, _ = invoke("lint", "--json", "--modes", str(folder), "--no-bundled")
    assert code == 0
    [finding] = json.loads(out)["findings"]
    assert finding["code"] == "unreachable" and finding["slug"] == "island"
    assert finding["path"].endswith("team.mode.yaml") and finding["line"] == 18


def test_bundled_library_lints_without_errors() -> None:
    code, out, _ = invoke("lint")
    assert code == 0, out


def _edge_labels(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.startswith("  n_") and '|"' in ln]


def test_notes_default_to_off_on_a_large_picture(tmp_path: Path) -> None:
    from modegraph.roles.render import AUTO_NOTES_MAX_EDGES

    # the bundled library: 65 edges, a label on each is unreadable
    code, out, _ = invoke("show", "-f", "mermaid")
    assert code == 0
    assert _edge_labels(out) == []
    code, out, _ = invoke("show", "-f", "mermaid", "--notes")
    assert code == 0 and len(_edge_labels(out)) > AUTO_NOTES_MAX_EDGES
    code, out, _ = invoke("show", "-f", "dot")
    assert "label=" not in "".join(ln for ln in out.splitlines() if " -> " in ln)
    # a small picture keeps them, unless --no-notes
    folder = write_catalog(tmp_path)
    code, out, _ = invoke("show", "-f", "mermaid", "--modes", str(folder), "--no-bundled")
    assert _edge_labels(out) == ['  n_lead <--->|"when stuck"| n_worker']
    code, out, _ = invoke(
        "show", "-f", "mermaid", "--no-notes", "--modes", str(folder), "--no-bundled"
    )
    assert _edge_labels(out) == []
    # the help names the threshold the library uses
    help_text = " ".join(runner.invoke(app, ["graph", "show", "--help"]).stdout.split())
    assert f"at most {AUTO_NOTES_MAX_EDGES} edges" in help_text


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
@pytest.mark.parametrize("notes", ["--no-notes", "--notes"])
def test_bundled_svg_fits_a_screen_with_tiers_in_rows(notes: str) -> None:
    import subprocess

    from modegraph.roles.levels import Tier

    code, out, _ = invoke("show", "-f", "svg", notes)
    assert code == 0
    width = float(re.search(r'<svg width="([0-9.]+)pt"', out).group(1))  # type: ignore[union-attr]
    assert width < 1400  # it was 6857pt with notes as labels, 1594pt without
    code, dot_text, _ = invoke("show", "-f", "dot", notes)
    laid = json.loads(
        subprocess.run(["dot", "-Tjson"], input=dot_text.encode(), capture_output=True).stdout
    )
    code, json_text, _ = invoke("show", "-f", "json")
    tiers = {n["id"]: Tier(n["tier"]) for n in json.loads(json_text)["nodes"]}
    heights: dict[Tier, set[float]] = {}
    for node in laid["objects"]:
        if node["name"] in tiers:
            y = float(node["pos"].split(",")[1])
            heights.setdefault(tiers[node["name"]], set()).add(y)
    # every tier on its own rows, each tier wholly below the one above it (y grows up)
    ordered = sorted(heights, key=lambda t: t.rank)
    for upper, lower in itertools.pairwise(ordered):
        assert min(heights[upper]) > max(heights[lower])
    assert max(len(h) for h in heights.values()) <= 2  # a wide tier wraps onto two rows


def test_entry_without_depth_says_how_much_it_reached(tmp_path: Path) -> None:
    # the bundled fastapi-developer escalates to roo-commander, who delegates to all
    code, out, err = invoke("show", "--entry", "fastapi-developer", "-f", "json")
    assert code == 0
    reached = len(json.loads(out)["nodes"])
    flat = " ".join(err.split())
    _, one, _ = invoke("show", "--entry", "fastapi-developer", "--depth", "1", "-f", "json")
    _, two, _ = invoke("show", "--entry", "fastapi-developer", "--depth", "2", "-f", "json")
    depth1, depth2 = (len(json.loads(text)["nodes"]) for text in (one, two))
    assert depth1 < depth2 < reached
    assert f"note: fastapi-developer reaches {reached} of {reached} roles" in flat
    assert f"--depth 1 draws {depth1}, --depth 2 draws {depth2}" in flat
    # the picture itself is unchanged: the note is on stderr only
    assert "note:" not in out
    # with --depth, or when a depth limit would draw the same, no note
    _, _, err = invoke("show", "--entry", "fastapi-developer", "--depth", "2")
    assert err == ""
    folder = write_catalog(tmp_path)
    code, _, err = invoke("show", "--entry", "lead", "--modes", str(folder), "--no-bundled")
    assert code == 0 and err == ""


def test_the_written_line_counts_missing_references_apart_from_roles(tmp_path: Path) -> None:
    # The seed alone names five specialists no file defines: one role, five references.
    target = tmp_path / "seed.html"
    code, _, err = invoke(
        "show", "--modes", str(SEED), "--no-bundled", "-f", "html", "-o", str(target)
    )
    assert code == 0
    missing = len(SEED_TARGETS)
    assert f"(html, 1 role + {missing} missing references, " in err


def test_path_names_which_end_is_not_a_mode(tmp_path: Path) -> None:
    folder = write_catalog(tmp_path)
    code, _, err = invoke("path", "lead", "nope", "--modes", str(folder), "--no-bundled")
    assert code == 1
    assert "the target 'nope' is not a mode of this catalog" in " ".join(err.split())
