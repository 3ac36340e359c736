"""How names are made from names: file stems to slugs, slugs to display names.

`stem_slug` is the one rule that turns a file stem (`032-worker-backend-fastapi-developer`)
into the slug it names; reference resolution (`modegraph.modes.catalog.resolution`)
and the readers (a mode file with no heading) both use it.

`name_from_slug` makes the display name of a mode whose file has none (a Claude Code
agent has only its `name:` identifier, a CrewAI agent key, `modes new SLUG`). Each
slug word is looked up in `WORD_SPELLINGS` first, so acronyms and product names keep
their spelling (`php-pro` -> `PHP Pro`, `cicd-specialist` -> `CI/CD Specialist`,
`ios-developer` -> `iOS Developer`); any other word is capitalised (`reviewer` ->
`Reviewer`). A name written that way reads back as the same slug words, so a mode
named `CI/CD Specialist` survives a round trip through a format that keeps only the
slug.
"""

from __future__ import annotations

import re

__all__ = [
    "FILE_SUFFIX",
    "WORD_SPELLINGS",
    "is_placeholder_slug",
    "name_from_slug",
    "stem_candidates",
    "stem_slug",
]

_NUMBER_PREFIX = re.compile(r"^\d+-")
FILE_SUFFIX = re.compile(r"(\.mode)?\.(md|ya?ml|json|toml)$", re.IGNORECASE)
_TIERS = frozenset(
    {"executive", "exec", "director", "dir", "lead", "manager", "mgr", "assistant", "util", "agent"}
)
"""Roo Commander level words that open a file stem after its number."""
_TIERS_WITH_DOMAIN = frozenset({"worker", "spec", "specialist"})
"""Level words always followed by a domain word (`032-worker-backend-...`)."""


def _spellings(*groups: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for group in groups:
        for word in group.split():
            key = re.sub(r"[^a-z0-9]", "", word.lower())
            table[key] = word
    return table


WORD_SPELLINGS: dict[str, str] = _spellings(
    # acronyms and initialisms
    "AI API APIs AR AWS BI CD CI CLI CMS CRM CSS CSV DB DBA DNS DX ERP ETL GCP GDPR GPU "
    "HIPAA HR HTML HTTP IaC IAM IDE IoT IT JS JSON JWT K8s LLM LLMs ML MLOps NFT NLP "
    "OCR OS PDF PHP PM PR QA RAG REST RPA SaaS SDK SEO SLO SMS SOC SQL SRE SSO SVG TDD "
    "TS UI UX VR XML",
    # words whose spelling is not a capitalised slug word
    "CI/CD DevOps DevSecOps FinOps GitOps SecOps FastAPI GraphQL gRPC JavaScript TypeScript "
    "NestJS Next.js Node.js PostgreSQL MySQL MongoDB NoSQL SQLite DynamoDB GitHub GitLab "
    "iOS macOS WebAssembly WebSocket WordPress OAuth PyTorch TensorFlow LangChain "
    "LangGraph OpenAI",
) | {"cpp": "C++", "csharp": "C#", "fsharp": "F#", "dotnet": ".NET"}
"""Slug word (lower case, letters and digits only) -> how a display name spells it.

`cicd` -> `CI/CD`, `php` -> `PHP`, `ios` -> `iOS`, `fastapi` -> `FastAPI`, `cpp` ->
`C++`. Extend it here; `tests/modes/test_names.py` checks the table.
"""


def name_from_slug(slug: str) -> str:
    """A display name made from a slug: `php-pro` -> `PHP Pro`, `qa-expert` -> `QA Expert`.

    Words are split on hyphens, underscores and spaces; a word in `WORD_SPELLINGS` takes
    its spelling there, any other word is capitalised.
    """
    words = [word for word in re.split(r"[-_\s]+", slug) if word]
    return " ".join(_spell(word) for word in words) or slug


def _spell(word: str) -> str:
    known = WORD_SPELLINGS.get(word.lower())
    if known is not None:
        return known
    return word[:1].upper() + word[1:]


_PLACEHOLDER = re.compile(
    r"^(?:\[.*\]|<.*>|\{.*\}|your[-_].*|.*[-_]slug|slug|mode[-_]name|agent[-_]name)$",
    re.IGNORECASE,
)


def is_placeholder_slug(slug: str) -> bool:
    """True for a template's placeholder slug: `[mode_slug]`, `<slug>`, `{slug}`, `your-mode-slug`.

    Bracketed slugs, slugs starting with `your-`, ending in `-slug`, or `slug`,
    `mode-name`, `agent-name` themselves: what templates write where a slug goes.
    """
    return bool(_PLACEHOLDER.match(slug.strip()))


def stem_slug(name: str) -> str | None:
    """The slug a Roo Commander file stem names, or None when `name` is not a stem.

    The number, the level word and the level's domain are dropped:
    `032-worker-backend-api-tester` -> `api-tester`,
    `036-worker-security-security-specialist` -> `security-specialist`,
    `010-dir-technical-architect` -> `technical-architect`,
    `020-lead-database-database-lead` -> `database-lead` (a domain word is dropped
    after other level words only when it comes again), `032-fastapi-developer` ->
    `fastapi-developer`. Never drops every word: `020-lead-design` -> `design`.
    """
    stem = FILE_SUFFIX.sub("", name.strip().rsplit("/", 1)[-1])
    if not _NUMBER_PREFIX.match(stem):
        return None
    parts = [part for part in _NUMBER_PREFIX.sub("", stem).split("-") if part]
    if not parts:
        return None
    drop = 0
    tier = parts[0].lower()
    if tier in _TIERS_WITH_DOMAIN:
        drop = 2
    elif tier in _TIERS:
        drop = 2 if len(parts) > 2 and parts[1].lower() in (p.lower() for p in parts[2:]) else 1
    while drop and drop >= len(parts):
        drop -= 1
    return "-".join(parts[drop:])


def stem_candidates(name: str) -> list[str]:
    """Slugs a Roo Commander file stem may stand for, longest first.

    `032-worker-backend-fastapi-developer` gives `worker-backend-fastapi-developer`,
    `backend-fastapi-developer`, `fastapi-developer`, `developer`. A name without a
    leading number gives nothing: it is not a file stem.
    """
    stem = FILE_SUFFIX.sub("", name.strip().rsplit("/", 1)[-1])
    if not _NUMBER_PREFIX.match(stem):
        return []
    parts = [part for part in _NUMBER_PREFIX.sub("", stem).split("-") if part]
    return ["-".join(parts[start:]) for start in range(len(parts))]
