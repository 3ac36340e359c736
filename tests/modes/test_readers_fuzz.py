"""Property tests: random and mutated files never make a reader raise.

Every reader returns a ReadResult whatever it is given, and every line number it
hands out (findings, references, sources) points inside the file.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modegraph.findings import Finding
from modegraph.modes.formats.claude.reader import looks_like_claude_agent, read_claude_agent
from modegraph.modes.formats.native_yaml.reader import (
    looks_like_native_mode,
    read_native_toml,
    read_native_yaml,
)
from modegraph.modes.formats.reading import ReadResult
from modegraph.modes.formats.roo_markdown.reader import looks_like_roo_markdown, read_roo_markdown
from modegraph.modes.formats.roo_toml.reader import looks_like_roo_toml, read_roo_toml
from modegraph.modes.formats.roocode.reader import looks_like_roomodes, read_roomodes
from modegraph.modes.model import Mode
from modegraph.modes.text import decode, normalise_text

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).resolve().parents[1] / "data" / "000_fcc372a2e7cd4ede.txt"

SOURCES: list[bytes] = [p.read_bytes() for p in sorted(FIXTURES.iterdir()) if p.is_file()]
SOURCES += [p.read_bytes() for p in sorted(FIXTURES.parent.glob("fixtures_h2/*/*")) if p.is_file()]
if SEED.is_file():
    SOURCES.append(SEED.read_bytes())
STRUCTURED_SOURCES = [
    "customModes:\n  - slug: docs\n    name: Docs\n    roleDefinition: Writes docs.\n"
    "    groups:\n      - read\n      - [edit, {fileRegex: '\\.md$', description: Markdown}]\n"
    "    tags: [docs]\n  - slug: ops\n    name: Ops\n    roleDefinition: Runs.\n"
    "    groups: [command, &g mcp, *g]\n",
    '{"customModes": [{"slug": "a", "name": "A", "roleDefinition": "r",\n'
    '  "groups": ["read", ["edit", {"fileRegex": "\\\\.py$"}]], "whenToUse": "w"}]}\n',
    "slug: docs-writer\nname: Docs Writer\nlevel: 034-worker-docs\n"
    "tool_groups: [read, {name: edit, file_regex: '\\.md$'}]\n"
    "escalates_to:\n  - technical-writer\n  - {slug: lead, note: For structure}\n"
    "tags: &t [docs, writing]\ncategories: *t\n",
    "modes:\n  - slug: a\n    name: A\n  - slug: b\n    name: B\n    delegates_to: [a]\n",
    '[[modes]]\nslug = "a"\nname = "A"\ntool_groups = ["read"]\n'
    '[[modes]]\nslug = "b"\nname = "B"\nescalates_to = [{slug = "a", note = "n"}]\n',
]
SOURCES.extend(text.encode("utf-8") for text in STRUCTURED_SOURCES)

READERS: list[Callable[..., ReadResult]] = [
    read_roo_markdown,
    read_roo_toml,
    read_claude_agent,
    read_roomodes,
    read_native_yaml,
    read_native_toml,
]
SNIFFERS: list[Callable[[str], bool]] = [
    looks_like_roo_markdown,
    looks_like_roo_toml,
    looks_like_claude_agent,
    looks_like_roomodes,
    looks_like_native_mode,
]

TRICKY_LINES = [
    "---",
    "+++",
    "...",
    "```",
    "~~~",
    "```markdown\\",
    "# Mode:",
    "# Mode: 🚀 (``)",
    "# Mode: X (`a b`)",
    "## Metadata",
    "## Custom Instructions",
    "## Capabilities",
    "**Level:**",
    "**Level:** `",
    "**level:** 0",
    "**Tool Groups:**",
    "**Tool Groups:** [",
    '- ["edit", {"fileRegex": 3}]',
    "- [edit, {fileRegex: [}]",
    "- edit (fileRegex: ",
    "- edit (",
    "- {}",
    "- []",
    "**Escalates To:**",
    "- `",
    "- `a` / `",
    "- # ",
    "  # Directors (01x)",
    "- (e.g., a, b",
    "- N/A",
    "**API Configuration:**",
    "- model:",
    "- :",
    "\\",
    '\\"',
    "id = ",
    'id = "x"',
    "[metadata]",
    "[file_access]",
    'write_allow = ["[", "{a,", "**"]',
    "escalate_to = 3",
    "reports_to = { a = 1 }",
    "name: {a: b}",
    "name: [",
    "tools: {}",
    "tools: [Read, 3, {a: b}]",
    "slug: 2026-13-45",
    "level: [1, 2]",
    "escalates_to: [{slug: 1}, [x]]",
    "- &a [*a]",
    "customModes: &c [*c]",
    "  - &m {slug: x, name: X, roleDefinition: r, groups: *m}",
    "    groups: &g [*g]",
    "tags: &t [*t]",
    "extra: &e {a: *e}",
    "a: &a [x, x, x, x, x, x, x, x, x]",
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
    "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
    "  - slug: x",
    "    name: X",
    "    roleDefinition: r",
    "    groups: [read, [edit, {fileRegex: '(['}], 7]",
    "modes:",
    "[[modes]]",
    'slug = "x"',
    '{"customModes": [',
    "*" * 40,
    "\t- \t`x`\t#\t",
    "\ufeff",
    "\x00",
]


def check(result: ReadResult, text: str) -> None:
    assert isinstance(result, ReadResult)
    last = normalise_text(text).count("\n") + 1
    for finding in result.findings:
        assert isinstance(finding, Finding)
        assert finding.line is None or 1 <= finding.line <= last, finding
        assert finding.format()
    for mode in result.modes:
        assert isinstance(mode, Mode)
        assert mode.slug.strip() and mode.name.strip()
        assert mode.source.line is not None and 1 <= mode.source.line <= last
        for ref in (*mode.delegates_to, *mode.escalates_to, *mode.reports_to):
            assert ref.slug.strip()
            assert ref.line is None or 1 <= ref.line <= last, ref
        mode.model_dump_json()  # extra stays JSON-safe


def run_everything(data: bytes) -> None:
    text, findings = decode(data, path="fuzz.md")
    assert all(isinstance(f, Finding) for f in findings)
    for sniff in SNIFFERS:
        assert isinstance(sniff(text), bool)
    for reader in READERS:
        check(reader(text, path="fuzz.md"), text)
        check(reader(text), text)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    lines = draw(st.sampled_from(SOURCES)).split(b"\n")
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        if not lines:
            lines = [b""]
        where = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        action = draw(
            st.sampled_from(
                ["delete", "duplicate", "swap", "junk", "tricky", "truncate", "shuffle"]
            )
        )
        if action == "delete":
            del lines[where]
        elif action == "duplicate":
            lines.insert(where, lines[where])
        elif action == "swap":
            other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[where], lines[other] = lines[other], lines[where]
        elif action == "junk":
            junk = draw(st.binary(min_size=1, max_size=6))
            line = lines[where]
            cut = draw(st.integers(min_value=0, max_value=len(line)))
            lines[where] = line[:cut] + junk + line[cut:]
        elif action == "tricky":
            lines.insert(where, draw(st.sampled_from(TRICKY_LINES)).encode("utf-8"))
        elif action == "truncate":
            lines = lines[: where + 1]
        else:
            lines = draw(st.permutations(lines))
    return b"\n".join(lines)


FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(mutated())
def test_mutated_files_never_raise(data: bytes) -> None:
    run_everything(data)


@FUZZ
@given(st.lists(st.sampled_from(TRICKY_LINES) | st.text(max_size=30), max_size=25))
def test_files_of_tricky_lines_never_raise(lines: list[str]) -> None:
    run_everything("\n".join(lines).encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(st.binary(max_size=600))
def test_random_bytes_never_raise(data: bytes) -> None:
    run_everything(data)


@FUZZ
@given(st.text(alphabet=st.sampled_from('ab-`#*:\r\n \t[]{}="+\ufeff'), max_size=300))
def test_text_of_markup_characters_never_raises(text: str) -> None:
    for reader in READERS:
        check(reader(text), text)


@FUZZ
@given(st.text(max_size=600))
def test_random_text_never_raises(text: str) -> None:
    for reader in READERS:
        check(reader(text), text)
    for sniff in SNIFFERS:
        assert isinstance(sniff(text), bool)


def test_the_sources_are_there() -> None:
    assert len(SOURCES) >= 20


BILLION_LAUGHS = "\n".join(
    [
        "---",
        "slug: laughs",
        "name: Laughs",
        "a: &a [x, x, x, x, x, x, x, x, x]",
        *(
            f"{key}: &{key} [{', '.join([f'*{prev}'] * 9)}]"
            for prev, key in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "tags: *i",
        "escalates_to: *i",
        "tool_groups: *i",
        "api_configuration: {x: *i}",
        "---",
    ]
)


def test_yaml_alias_bomb_is_read_quickly_and_cut() -> None:
    # CPU time, not wall time: other processes on a busy machine do not count, and an
    # expanded bomb (9**9 nodes) would take far longer than 5 s of CPU on any machine
    started = time.process_time()
    for reader in (read_roo_markdown, read_claude_agent):
        result = reader(
            BILLION_LAUGHS.replace("slug:", "description:", reader is read_claude_agent)
        )
        check(result, BILLION_LAUGHS)
    assert time.process_time() - started < 5


def test_deeply_nested_values_are_findings_not_recursion_errors() -> None:
    deep = "[" * 1100 + "]" * 1100
    toml = read_roo_toml(f'+++\nid = "d"\nname = "D"\nx = {deep}\n+++\n')
    assert [f.code.value for f in toml.findings] == ["syntax-error"]
    yaml_text = f"---\nslug: d\nname: D\nx: {deep}\n---\n# Mode: D (`d`)\n"
    result = read_roo_markdown(yaml_text)
    assert [f.code.value for f in result.findings] == ["syntax-error"]
    shallow = "[" * 200 + "]" * 200
    kept = read_roo_toml(f'+++\nid = "d"\nname = "D"\nx = {shallow}\n+++\n').modes[0]
    assert "cut" in kept.model_dump_json()
