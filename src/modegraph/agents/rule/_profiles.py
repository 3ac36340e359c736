"""A mode's routing profile: the weighted terms of the fields its format is written for.

Each format puts the words a coordinator routes by somewhere else:

- Roo Code `.roomodes`: `whenToUse` (`Mode.when_to_use`), `description` and
  `roleDefinition` (a paragraph that says who the mode is and what it does:
  `You are Roo, a database designer ...`), then `customInstructions`.
- Claude Code agents: `description` (read into both `description` and
  `when_to_use`), often with `Use PROACTIVELY for ...` or `Use this agent when
  ...` and `<example>` blocks; the Markdown body is the prompt (`role_definition`),
  whose first sentence says who the agent is (`You are a FastAPI expert.`).
- Roo Commander and modegraph YAML: tags, stack, categories, capabilities and
  workflow, and the notes on the edges that lead to a mode.

The name and slug words weigh most in every format. In an `<example>` block only
the situation and the user's request count (`Context:` and `user:` lines, as
`examples`); the assistant's answer and the commentary, which name the agent
itself and explain the pick, are dropped, and so are the labels (`Examples`,
`user`, `assistant`, `commentary`, `Context`).

Text that sends work elsewhere does not describe the mode's own work and is left
out: whole sentences about handing over (`escalate to`, `belongs to those
agents`, `leave ... to whoever`), and the rest of a clause after a negation (`you
do not write production handlers`, `rather than write a single feature`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from modegraph.agents.rule._text_match import BOUND_PREFIX, terms_and_words
from modegraph.modes.model import Mode, SourceFormat

__all__ = [
    "FIELD_NAMES",
    "FIELD_WEIGHTS",
    "Profile",
    "own_work",
    "profile_of",
    "split_examples",
    "without_negations",
]

FIELD_WEIGHTS: Mapping[str, float] = {
    "name": 3.0,
    "tags": 3.0,
    "note": 3.0,
    "stack": 2.5,
    "when": 1.5,
    "description": 1.5,
    "identity": 1.5,
    "categories": 1.5,
    "capabilities": 1.25,
    "examples": 1.0,
    "role": 0.75,
    "workflow": 0.3,
    "instructions": 0.3,
}
"""How much a term counts in each field of a profile (its best field; each further
field it appears in adds 15% of that field's weight)."""

FIELD_NAMES: Mapping[str, str] = {
    "name": "name",
    "tags": "tags",
    "note": "edge note",
    "stack": "stack",
    "when": "whenToUse",
    "description": "description",
    "identity": "role definition",
    "categories": "categories",
    "capabilities": "capabilities",
    "examples": "examples",
    "role": "role definition",
    "workflow": "workflow",
    "instructions": "custom instructions",
}
"""How a field is named in a handoff's reason."""

_ROUTING_WORDS = re.compile(
    r"\b(?:escalat|delegat|(?:collaborat|coordinat)\w* (?:\w+ )?with\b|hand ?off|"
    r"hands? (?:\w+ )*?(?:to|over)|"
    r"report|assign|new_task|belongs? to|leaves? (?:\w+ )*?to|send (?:\w+ )*?to|goes to|"
    r"go to (?:the|a|an)\b|"
    r"(?:those|other|another|that|the \w+) (?:agents?|modes?)\b)",
    re.IGNORECASE,
)
"""A sentence with one of these is about handing work to others: it names their work."""

_NEGATION = re.compile(
    r"\b(?:not|never|no longer|rather than|instead of|other than|except|without|nor)\b"
    r"|n't\b",
    re.IGNORECASE,
)
"""A negation: the rest of its clause says what the mode does *not* do."""

_CLAUSE_END = re.compile(r"[.;:!?()\[\]\n—–]|,\s|\s-\s")
"""Where a negated clause ends."""

_SENTENCE = re.compile(r"(?<=[.;!?])\s+")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")

_EXAMPLE = re.compile(r"<example>(.*?)(?:</example>|$)", re.IGNORECASE | re.DOTALL)
_COMMENTARY = re.compile(r"<commentary>.*?(?:</commentary>|$)", re.IGNORECASE | re.DOTALL)
_EXAMPLES_LABEL = re.compile(r"\b(?:for )?examples?\s*:?\s*$", re.IGNORECASE)
_LABEL = re.compile(r"^\s*(context|user|assistant|human|ai|claude)\s*:\s*", re.IGNORECASE)
_TAG = re.compile(r"</?[a-z_]+>", re.IGNORECASE)


@dataclass(frozen=True)
class Profile:
    """A mode's weighted terms and where each came from."""

    slug: str
    """The mode's slug."""
    weights: dict[str, float]
    """Stemmed term -> field weight (before IDF)."""
    origin: dict[str, str]
    """Stemmed term -> the field it weighs most in."""
    words: dict[str, str] = field(default_factory=dict)
    """Stemmed term -> a surface word, for explanations."""
    terms: tuple[str, ...] = ()
    """The profile's terms, sorted (for family look-ups by bisection); filled in
    from `weights` when not given."""

    body: str = ""
    """A digest of the mode's description, whenToUse, prompt and instructions: two
    modes with one body are copies of one role under two names."""

    def __post_init__(self) -> None:
        if not self.terms and self.weights:
            object.__setattr__(self, "terms", tuple(sorted(self.weights)))


def split_examples(text: str) -> tuple[str, list[str]]:
    r"""Cut a Claude Code description into its prose and the useful text of its examples.

    `<example>` blocks keep their `Context:` and `user:` lines (labels removed);
    `assistant:` lines and `<commentary>` go. Literal `\n` escapes (a description
    written as an unquoted scalar) count as line breaks. A trailing `Examples:`
    label before the first block is dropped.
    """
    text = text.replace("\\n", "\n")
    found = _EXAMPLE.search(text)
    if found is None:
        return text, []
    prose = _EXAMPLES_LABEL.sub("", text[: found.start()].rstrip()).rstrip()
    kept: list[str] = []
    for block in _EXAMPLE.finditer(text):
        body = _COMMENTARY.sub("\n", block.group(1))
        speaker = ""
        for raw in body.split("\n"):
            label = _LABEL.match(raw)
            if label is not None:
                speaker = label.group(1).lower()
                raw = raw[label.end() :]
            if speaker in {"", "context", "user", "human"} and raw.strip():
                kept.append(_TAG.sub(" ", raw).strip().strip("\"'"))
    return prose, kept


def without_negations(sentence: str) -> str:
    """`sentence` with each negated clause cut from the negation to the clause's end."""
    parts: list[str] = []
    at = 0
    for negation in _NEGATION.finditer(sentence):
        if negation.start() < at:
            continue
        parts.append(sentence[at : negation.start()])
        end = _CLAUSE_END.search(sentence, negation.end())
        at = end.start() if end is not None else len(sentence)
    parts.append(sentence[at:])
    return "".join(parts)


def own_work(items: Iterable[str]) -> list[str]:
    """The sentences of `items` about the mode's own work, negated clauses cut out.

    A list that follows a sentence about handing work on (`Use new_task to
    assign:` and one line per mode) is about the others' work too.
    """
    kept: list[str] = []
    for item in items:
        listing = False
        for line in item.split("\n"):
            if listing and (_LIST_ITEM.match(line) or not line.strip()):
                continue
            listing = False
            for sentence in _SENTENCE.split(line):
                if not sentence.strip():
                    continue
                if _ROUTING_WORDS.search(sentence):
                    listing = sentence.rstrip().endswith(":")
                    continue
                cut = without_negations(sentence)
                if terms_and_words(cut):
                    kept.append(cut)
    return kept


def _identity(role_definition: str) -> tuple[str, str]:
    """The role definition's first sentence (who the mode is) and the rest."""
    text = role_definition.strip()
    cut = re.search(r"(?<=[.!?])\s+|\n", text)
    if cut is None:
        return text, ""
    return text[: cut.start()], text[cut.end() :]


def _fields(mode: Mode, note: str | None) -> dict[str, list[str]]:
    description, examples = split_examples(mode.description)
    same = mode.when_to_use.strip() == mode.description.strip()
    when, when_examples = split_examples("" if same else mode.when_to_use)
    identity, role = _identity(mode.role_definition)
    if mode.source.format is SourceFormat.ROOMODES:
        identity, role = mode.role_definition, ""  # Roo Code's role definition is its description
    return {
        "name": [BOUND_PREFIX.sub("", _own_slug(mode)).replace("-", " "), mode.name],
        "tags": list(mode.tags),
        "note": [note] if note else [],
        "stack": list(mode.stack),
        "when": own_work([when]),
        "description": own_work([description]),
        "identity": own_work([identity]),
        "categories": list(mode.categories),
        "capabilities": own_work(mode.capabilities),
        "examples": own_work([*examples, *when_examples]),
        "role": own_work([role]),
        "workflow": own_work(mode.workflow),
        "instructions": own_work([mode.custom_instructions]),
    }


def _own_slug(mode: Mode) -> str:
    """The slug without the CrewAI crew it was qualified with (`research-researcher`)."""
    crew = mode.extra.get("crewai_crew")
    if isinstance(crew, str) and crew and mode.slug.startswith(f"{crew}-"):
        return mode.slug[len(crew) + 1 :]
    return mode.slug


def profile_of(mode: Mode, *, note: str | None = None) -> Profile:
    """Build the profile of `mode`, adding the `note` of the edge that leads to it."""
    seen: dict[str, set[str]] = {}
    words: dict[str, str] = {}
    for name, texts in _fields(mode, note).items():
        for text in texts:
            for term, word in terms_and_words(text):
                words.setdefault(term, word)
                seen.setdefault(term, set()).add(name)
    weights: dict[str, float] = {}
    origin: dict[str, str] = {}
    for term, names in seen.items():
        ranked = sorted(names, key=lambda n: (-FIELD_WEIGHTS[n], n))
        weights[term] = FIELD_WEIGHTS[ranked[0]] + 0.15 * sum(FIELD_WEIGHTS[n] for n in ranked[1:])
        origin[term] = ranked[0]
    text = "\0".join(
        (mode.description, mode.when_to_use, mode.role_definition, mode.custom_instructions)
    )
    body = hashlib.sha256(text.encode("utf-8")).hexdigest() if text.strip("\0") else ""
    return Profile(slug=mode.slug, weights=weights, origin=origin, words=words, body=body)
