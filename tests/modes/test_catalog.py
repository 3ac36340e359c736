from pathlib import Path

import pytest

from modegraph.errors import CatalogError, ConfigError
from modegraph.findings import Code, Severity
from modegraph.modes.catalog import Catalog
from modegraph.modes.catalog.layers import (
    Layer,
    bundled_library_dir,
    default_user_dir,
    load_catalog,
)
from modegraph.modes.catalog.resolution import Resolution, ResolutionRule, stem_candidates
from modegraph.modes.model import Mode, Reference, SourceInfo


def mode(slug: str, level: str | None = None, *, escalates: tuple[str, ...] = ()) -> Mode:
    return Mode(
        slug=slug,
        name=slug.title(),
        level=level,
        escalates_to=tuple(Reference(slug=s, line=10 + i) for i, s in enumerate(escalates)),
        source=SourceInfo(path=f"{slug}.mode.md", line=1),
    )


@pytest.fixture
def catalog() -> Catalog:
    return Catalog(
        [
            mode("technical-architect", "010-director"),
            mode("project-manager", "010-director"),
            mode("design-lead", "020-lead-design"),
            mode("fastapi-developer", "032-worker-backend"),
            mode("database-specialist", "033-worker-database"),
        ],
        aliases={"sql-expert": "database-specialist", "arch": "010-dir-technical-architect"},
    )


def test_stem_candidates() -> None:
    assert stem_candidates("032-worker-backend-fastapi-developer.mode.md") == [
        "worker-backend-fastapi-developer",
        "backend-fastapi-developer",
        "fastapi-developer",
        "developer",
    ]
    assert stem_candidates("fastapi-developer") == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("fastapi-developer", Resolution("fastapi-developer", ResolutionRule.EXACT)),
        (
            "010-dir-technical-architect",
            Resolution("technical-architect", ResolutionRule.FILE_STEM),
        ),
        (
            "032-worker-backend-fastapi-developer",
            Resolution("fastapi-developer", ResolutionRule.FILE_STEM),
        ),
        ("020-lead-design", Resolution("design-lead", ResolutionRule.LEVEL)),
        ("033-worker-database", Resolution("database-specialist", ResolutionRule.LEVEL)),
        ("010-director", Resolution(None, ResolutionRule.UNRESOLVED)),  # two modes hold it
        ("sql-expert", Resolution("database-specialist", ResolutionRule.ALIAS)),
        ("arch", Resolution("technical-architect", ResolutionRule.ALIAS)),  # alias to a stem
        ("nobody", Resolution(None, ResolutionRule.UNRESOLVED)),
    ],
)
def test_resolution_rules_in_order(catalog: Catalog, name: str, expected: Resolution) -> None:
    assert catalog.resolve_reference(name) == expected
    assert catalog.resolve(name) == expected.slug


def test_aliases_can_change_after_construction(catalog: Catalog) -> None:
    assert catalog.resolve("dba") is None
    catalog.aliases["dba"] = "database-specialist"
    assert catalog.resolve("dba") == "database-specialist"


def test_reference_findings() -> None:
    catalog = Catalog(
        [
            mode("design-lead", "020-lead-design"),
            mode(
                "worker",
                "031-worker-x",
                escalates=("design-lead", "020-lead-design", "desing-lead", "zzz"),
            ),
        ]
    )
    findings = catalog.reference_findings()
    assert [(f.code, f.severity, f.line) for f in findings] == [
        (Code.RESOLVED_BY_RULE, Severity.INFO, 11),
        (Code.DANGLING_REFERENCE, Severity.WARNING, 12),
        (Code.DANGLING_REFERENCE, Severity.WARNING, 13),
    ]
    resolved, typo, unknown = findings
    assert "resolves to 'design-lead' as the level id only that mode holds" in resolved.message
    assert resolved.path == "worker.mode.md"
    assert resolved.slug == "worker"
    assert typo.hint == "did you mean 'design-lead'?"
    assert unknown.hint and "aliases:" in unknown.hint


def test_catalog_lookups(catalog: Catalog) -> None:
    assert len(catalog) == 5
    assert "design-lead" in catalog
    assert catalog["design-lead"].level == "020-lead-design"
    with pytest.raises(CatalogError, match="no mode with slug 'nope'; run `modegraph modes list`"):
        catalog["nope"]
    assert catalog.suggestions("fastapi-dev") == ["fastapi-developer"]


# ----------------------------------------------------------------------------- layers


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def native(slug: str, name: str, extra: str = "") -> str:
    return f"slug: {slug}\nname: {name}\n{extra}"


@pytest.fixture
def layered(tmp_path: Path) -> dict[str, Path]:
    user = tmp_path / "user"
    project = tmp_path / "project"
    write(user / "shared.mode.yaml", native("shared", "From user"))
    write(user / "mine.mode.yaml", native("mine", "User only"))
    write(project / ".modegraph" / "modes" / "shared.mode.yaml", native("shared", "From project"))
    write(
        project / ".roomodes",
        '{"customModes": [{"slug": "roo", "name": "Roo", "roleDefinition": "r", "groups": []}]}',
    )
    explicit = write(tmp_path / "explicit" / "x.mode.yaml", native("shared", "From explicit"))
    second = write(tmp_path / "second.mode.yaml", native("mine", "From second"))
    return {"user": user, "project": project, "explicit": explicit, "second": second}


def test_layers_override_in_order(layered: dict[str, Path]) -> None:
    catalog = load_catalog(
        include_bundled=False,
        user_dir=layered["user"],
        project_dir=layered["project"],
        paths=[layered["explicit"], layered["second"]],
    )
    assert sorted(catalog.slugs) == ["mine", "roo", "shared"]
    assert catalog["shared"].name == "From explicit"
    assert catalog["shared"].source.layer == Layer.EXPLICIT
    assert catalog["roo"].source.layer == Layer.PROJECT
    assert catalog["mine"].name == "From second"
    overridden = [f for f in catalog.findings if f.code is Code.OVERRIDDEN]
    assert [(f.slug, f.severity) for f in overridden] == [
        ("shared", Severity.INFO),  # project over user
        ("shared", Severity.INFO),  # explicit over project
        ("mine", Severity.INFO),  # second explicit over user
    ]
    assert "(project) overrides the one from" in overridden[0].message
    assert [(old.name, new.name) for old, new in catalog.overrides] == [
        ("From user", "From project"),
        ("From project", "From explicit"),
        ("User only", "From second"),
    ]


def test_the_same_file_twice_is_not_an_override(layered: dict[str, Path]) -> None:
    catalog = load_catalog(
        include_bundled=False,
        user_dir=layered["user"],
        project_dir=layered["project"],
        paths=[layered["project"] / ".roomodes"],
    )
    assert not [f for f in catalog.findings if f.code is Code.OVERRIDDEN and f.slug == "roo"]


def test_bundled_library_is_the_lowest_layer(tmp_path: Path) -> None:
    library = bundled_library_dir()
    assert library is not None and (library / "fastapi-developer.mode.md").is_file()
    base = load_catalog(user_dir=tmp_path / "none", project_dir=tmp_path)
    assert "fastapi-developer" in base
    assert base["fastapi-developer"].source.layer == Layer.BUNDLED
    assert not [f for f in base.findings if f.severity is Severity.ERROR]
    write(tmp_path / ".modegraph" / "modes" / "f.mode.yaml", native("fastapi-developer", "Mine"))
    mine = load_catalog(user_dir=tmp_path / "none", project_dir=tmp_path)
    assert mine["fastapi-developer"].name == "Mine"
    assert [f.code for f in mine.findings if f.slug == "fastapi-developer"] == [Code.OVERRIDDEN]


def test_project_config_aliases_and_cli_aliases(tmp_path: Path) -> None:
    write(tmp_path / "modegraph.yaml", "aliases:\n  dba: db\n  old: db\n")
    write(tmp_path / ".modegraph" / "modes" / "db.mode.yaml", native("db", "DB"))
    write(tmp_path / ".modegraph" / "modes" / "other.mode.yaml", native("other", "Other"))
    catalog = load_catalog(
        include_bundled=False,
        user_dir=tmp_path / "none",
        project_dir=tmp_path,
        aliases={"old": "other"},
    )
    assert catalog.aliases == {"dba": "db", "old": "other"}
    assert catalog.resolve_reference("dba") == Resolution("db", ResolutionRule.ALIAS)
    assert catalog.resolve("old") == "other"


def test_bad_project_config_raises(tmp_path: Path) -> None:
    write(tmp_path / "modegraph.yaml", "aliases: [1]\n")
    with pytest.raises(ConfigError, match=r"modegraph.yaml:1: aliases"):
        load_catalog(include_bundled=False, user_dir=tmp_path, project_dir=tmp_path)


def test_default_user_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert default_user_dir() == tmp_path / "modegraph" / "modes"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_user_dir() == tmp_path / "home" / ".config" / "modegraph" / "modes"


def test_reading_findings_reach_the_catalog(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.mode.yaml", "slug: [x\n")
    catalog = load_catalog(
        include_bundled=False, user_dir=tmp_path / "u", project_dir=tmp_path, paths=[bad]
    )
    assert [f.code for f in catalog.findings] == [Code.SYNTAX_ERROR]
    assert len(catalog) == 0


def test_suggestions_are_close_or_absent(catalog: Catalog) -> None:
    assert catalog.suggestions("database-expert") == ["database-specialist"]
    assert catalog.suggestions("containerization-developer") == []
    assert catalog.suggestions("034-worker-fastapi-develper") == ["fastapi-developer"]


def test_an_ambiguous_level_names_its_holders(catalog: Catalog) -> None:
    catalog = Catalog([*catalog, mode("lead", "020-lead-x", escalates=("010-director",))])
    (finding,) = catalog.reference_findings()
    assert finding.code is Code.DANGLING_REFERENCE
    assert finding.hint == (
        "several modes hold this level (technical-architect, project-manager); name one of them"
    )
