"""Discovery the way the tools do it: the project root, the layers, their precedence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modegraph.modes.catalog.layers import load_catalog, project_root
from modegraph.modes.catalog.sources import (
    ROO_CUSTOM_MODES_ENV,
    Layer,
    claude_config_dir,
    crews,
    find_project_root,
    project_sources,
    roo_code_custom_modes,
    user_sources,
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def agent(name: str) -> str:
    return f"---\nname: {name}\ndescription: Use for {name}.\n---\nYou do {name}.\n"


def roomodes(*slugs: str) -> str:
    modes = [{"slug": s, "name": s, "roleDefinition": "r", "groups": ["read"]} for s in slugs]
    return json.dumps({"customModes": modes})


@pytest.fixture
def home() -> Path:
    """The test's home folder (conftest points HOME at a fresh one)."""
    return Path.home()


@pytest.mark.parametrize("marker", [".git", ".roomodes", ".roo", ".claude"])
def test_the_project_root_is_the_first_folder_up_with_a_marker(tmp_path: Path, marker: str) -> None:
    project = tmp_path / "project"
    deep = project / "src" / "api"
    deep.mkdir(parents=True)
    (project / marker).mkdir() if marker != ".roomodes" else write(project / marker, "")
    assert find_project_root(deep, home=tmp_path / "elsewhere") == project


def test_a_claude_settings_folder_gives_way_to_a_marker_above(tmp_path: Path) -> None:
    """Claude Code leaves `.claude/settings.local.json` where it starts: not a root then."""
    repo = tmp_path / "repo"
    api = repo / "src" / "api"
    write(api / ".claude" / "settings.local.json", "{}\n")
    write(repo / ".roomodes", "")
    assert find_project_root(api, home=tmp_path / "h") == repo
    (repo / ".roomodes").unlink()  # nothing above: the settings folder is the root
    assert find_project_root(api, home=tmp_path / "h") == api
    (api / ".claude" / "agents").mkdir()  # its own agents: it is the root
    write(repo / ".roomodes", "")
    assert find_project_root(api, home=tmp_path / "h") == api


def test_a_git_worktree_file_marks_the_root_and_no_marker_means_none(tmp_path: Path) -> None:
    write(tmp_path / "wt" / ".git", "gitdir: /somewhere/else\n")
    (tmp_path / "wt" / "pkg").mkdir()
    assert find_project_root(tmp_path / "wt" / "pkg", home=tmp_path / "h") == tmp_path / "wt"
    (tmp_path / "plain" / "sub").mkdir(parents=True)
    assert find_project_root(tmp_path / "plain" / "sub", home=tmp_path / "plain") is None


def test_the_home_folder_is_never_a_project_root(home: Path) -> None:
    (home / ".claude" / "agents").mkdir(parents=True)
    inside = home / "notes" / "today"
    inside.mkdir(parents=True)
    assert find_project_root(inside) is None
    assert find_project_root(home) is None
    assert project_root(inside) == inside


def test_project_sources_in_their_order(tmp_path: Path) -> None:
    write(tmp_path / "src" / "crew" / "config" / "agents.yaml", "x: {}\n")
    sources = project_sources(tmp_path)
    assert [str(s.path.relative_to(tmp_path)) for s in sources] == [
        ".roomodes",
        ".roo/commander/modes",
        ".roo/modes",
        ".ruru/modes",
        ".modes",
        ".claude/agents",
        "src/crew/config/agents.yaml",
        ".modegraph/modes",
    ]
    assert all(s.layer is Layer.PROJECT for s in sources)
    assert [s.replaces_bundled for s in sources][-1] is False


CREW = "researcher:\n  role: Researcher\n  goal: Find facts\n  backstory: Curious.\n"


def test_crews_in_the_three_layouts_crewai_makes(tmp_path: Path) -> None:
    write(tmp_path / "src" / "crew" / "config" / "agents.yaml", CREW)
    write(tmp_path / "src" / "flow" / "crews" / "outline" / "config" / "agents.yaml", CREW)
    write(tmp_path / "src" / "flow" / "crews" / "write" / "config" / "agents.yaml", CREW)
    write(tmp_path / "config" / "agents.yaml", CREW)
    write(tmp_path / "src" / "flow" / "crews" / "write" / "config" / "tasks.yaml", "x: {}\n")
    assert [str(p.relative_to(tmp_path)) for p in crews(tmp_path)] == [
        "config/agents.yaml",
        "src/crew/config/agents.yaml",
        "src/flow/crews/outline/config/agents.yaml",
        "src/flow/crews/write/config/agents.yaml",
    ]


def test_a_root_config_agents_yaml_that_is_no_crew_is_left_alone(tmp_path: Path) -> None:
    write(tmp_path / "config" / "agents.yaml", "replicas: 3\nimage: agent:latest\n")
    assert crews(tmp_path) == []
    assert not any("agents.yaml" in str(s.path) for s in project_sources(tmp_path))


def test_claude_config_dir_follows_claude_code(tmp_path: Path) -> None:
    assert claude_config_dir(environ={}, home=tmp_path) == tmp_path / ".claude"
    moved = {"CLAUDE_CONFIG_DIR": str(tmp_path / "other")}
    assert claude_config_dir(environ=moved, home=tmp_path) == tmp_path / "other"


@pytest.mark.parametrize(
    ("platform", "base"),
    [
        ("linux", ".config"),
        ("darwin", "Library/Application Support"),
        ("win32", "AppData/Roaming"),
    ],
)
def test_roo_code_global_modes_live_in_vs_code_storage(
    tmp_path: Path, platform: str, base: str
) -> None:
    settings = "User/globalStorage/rooveterinaryinc.roo-cline/settings/custom_modes.yaml"
    expected = tmp_path / base / "Code" / settings
    found = roo_code_custom_modes(environ={}, home=tmp_path, platform=platform)
    assert found == expected  # where it would be, even before it exists
    cursor = write(tmp_path / base / "Cursor" / settings, "customModes: []\n")
    assert roo_code_custom_modes(environ={}, home=tmp_path, platform=platform) == cursor


def test_roo_code_global_modes_follow_appdata_and_the_override(tmp_path: Path) -> None:
    appdata = {"APPDATA": str(tmp_path / "roaming")}
    found = roo_code_custom_modes(environ=appdata, home=tmp_path, platform="win32")
    assert found is not None and found.is_relative_to(tmp_path / "roaming" / "Code")
    chosen = {ROO_CUSTOM_MODES_ENV: str(tmp_path / "mine.yaml")}
    assert roo_code_custom_modes(environ=chosen, home=tmp_path) == tmp_path / "mine.yaml"
    assert roo_code_custom_modes(environ={ROO_CUSTOM_MODES_ENV: ""}, home=tmp_path) is None


def test_user_sources_lowest_first(tmp_path: Path) -> None:
    env = {ROO_CUSTOM_MODES_ENV: str(tmp_path / "roo.yaml"), "XDG_CONFIG_HOME": str(tmp_path)}
    labels = [s.label for s in user_sources(environ=env, home=tmp_path)]
    assert labels == ["Roo Code global modes", "Claude Code user agents", "modegraph user modes"]


@pytest.fixture
def project(tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with .roomodes and .claude/agents, the user's ~/.claude/agents, and
    the current folder two levels down in the project."""
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    write(root / ".roomodes", roomodes("architect", "shared"))
    write(root / ".claude" / "agents" / "reviewer.md", agent("reviewer"))
    write(root / ".claude" / "agents" / "nested" / "tester.md", agent("tester"))
    write(home / ".claude" / "agents" / "personal.md", agent("personal"))
    write(home / ".claude" / "agents" / "shared.md", agent("shared"))
    (root / "src" / "api").mkdir(parents=True)
    monkeypatch.chdir(root / "src" / "api")
    return root


def test_from_a_subfolder_the_project_and_the_user_agents_are_found(project: Path) -> None:
    catalog = load_catalog()
    layers = {mode.slug: mode.source.layer for mode in catalog}
    assert layers == {
        "personal": "user",
        "shared": "project",  # the project's .roomodes overrides the user's agent
        "architect": "project",
        "reviewer": "project",
        "tester": "project",
    }
    assert catalog.bundled is False  # the project has its own modes
    assert catalog.project_root == str(project)
    (old, new) = catalog.overrides[0]
    assert (old.source.layer, new.source.layer) == ("user", "project")
    assert any(f.code.value == "overridden" and f.slug == "shared" for f in catalog.findings)


def test_no_discover_reads_only_the_given_paths(project: Path, tmp_path: Path) -> None:
    extra = write(tmp_path / "one.mode.yaml", "slug: one\nname: One\n")
    catalog = load_catalog(paths=[extra], discover=False)
    assert catalog.slugs == ["one"]
    assert [s.label for s in catalog.sources] == ["--modes"]


def test_the_bundled_library_is_a_starter_catalog(tmp_path: Path) -> None:
    empty = load_catalog(project_dir=tmp_path)
    assert empty.bundled is True and "fastapi-developer" in empty
    own = write(tmp_path / ".modegraph" / "modes" / "x.mode.yaml", "slug: x\nname: X\n")
    extended = load_catalog(project_dir=tmp_path)  # modegraph's own folder extends it
    assert extended.bundled is True and {"x", "fastapi-developer"} <= set(extended.slugs)
    named = load_catalog(project_dir=tmp_path, paths=[own])
    assert named.bundled is False
    assert load_catalog(project_dir=tmp_path, paths=[own], include_bundled=True).bundled
    assert not load_catalog(project_dir=tmp_path, include_bundled=False).bundled
    checked = load_catalog(project_dir=tmp_path, checked=[own])
    assert checked.bundled is True  # `modes validate PATH` checks inside the catalog


def test_a_claude_project_gets_its_agents_not_the_bundled_modes(tmp_path: Path) -> None:
    write(tmp_path / ".claude" / "agents" / "a.md", agent("a"))
    catalog = load_catalog(project_dir=tmp_path)
    assert catalog.slugs == ["a"]


def test_a_broken_project_catalog_is_not_replaced_by_the_bundled_modes(tmp_path: Path) -> None:
    # A .roomodes that is not JSON: the command must stop on it, not run the 14 bundled modes.
    write(tmp_path / ".roomodes", '{"customModes": [ {"slug": "x", \n')
    catalog = load_catalog(project_dir=tmp_path)
    assert catalog.bundled is False and len(catalog) == 0
    assert any(f.code.value == "syntax-error" for f in catalog.findings)
    # A .roo/ folder that holds only rules is not a catalog: the starter library stays.
    other = tmp_path / "other"
    write(other / ".roo" / "rules" / "style.md", "Keep functions short.\n")
    assert load_catalog(project_dir=other).bundled is True


def test_roo_code_global_modes_are_a_user_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    global_modes = write(tmp_path / "custom_modes.yaml", roomodes("everywhere"))
    monkeypatch.setenv(ROO_CUSTOM_MODES_ENV, str(global_modes))
    catalog = load_catalog(project_dir=tmp_path / "nowhere")
    assert catalog["everywhere"].source.layer == "user"
    assert catalog.bundled is True  # user sources extend the bundled library


def test_an_empty_catalog_says_where_it_looked(tmp_path: Path, home: Path) -> None:
    broken = write(tmp_path / "broken.mode.yaml", "slug: [unclosed\n")
    catalog = load_catalog(project_dir=tmp_path, paths=[broken])
    assert len(catalog) == 0
    text = catalog.looked_in()
    assert f"explicit: {broken} (--modes: no modes, 1 error)" in text
    assert f"project: {tmp_path / '.claude' / 'agents'} (Claude Code project agents: " in text
    assert "not there" in text
    assert str(home / ".claude" / "agents") in text


def test_a_file_named_by_two_layers_is_read_once_in_the_lower(project: Path) -> None:
    catalog = load_catalog(paths=[project / ".roomodes"])
    assert catalog["architect"].source.layer == "project"
    assert [s.modes for s in catalog.sources if s.label == "--modes"] == [0]
