"""Routing cases (`modegraph test CASES.yaml`): goals a catalog must route as its authors expect.

```yaml
# CASES.yaml: checked in CI with `modegraph test CASES.yaml --modes .roomodes`
mode: sparc                 # optional: the entry of every case (default: the entry rule)
edges: all                  # optional: all (default) or declared
cases:
  - name: spec then code    # optional; the goal stands in for it
    goal: Write the specification for the login flow, then implement it
    first: [spec-pseudocode, code]   # the entry hands work to each of these directly
    exact: true                      # ...and to no other role (default false)
    reaches: [code]                  # each of these gets work somewhere in the route
    avoids: [devops]                 # none of these gets any work
    uncovered: false                 # false: every part is covered; true: some part is not
  - goal: Compose a wedding speech for my brother
    uncovered: true
```

Each case is planned with `plan_route` (the rule agent, in memory, nothing
written) and checked. A case must expect something (`first`, `reaches`, `avoids`
or `uncovered`); every slug it names must be a role of the catalog. A file that
breaks these rules raises `CasesError` with `path:line:` before any case runs.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, NoReturn

from pydantic import BeforeValidator, Field, ValidationError, field_validator, model_validator

from modegraph._model import FrozenModel
from modegraph.coordinator.build import check_entry
from modegraph.coordinator.plan import RoutePlan, plan_route
from modegraph.coordinator.policy import Policy
from modegraph.errors import CasesError
from modegraph.modes.catalog.catalog import Catalog
from modegraph.modes.catalog.implied import EdgeMode
from modegraph.modes.formats._positions import Lines, ParseError, parse_yaml
from modegraph.roles.coordination import coordinate

__all__ = ["CaseFile", "CaseResult", "RoutingCase", "check_case", "load_cases", "run_cases"]


def _listed(value: object) -> object:
    """`first: code` means `first: [code]`; an empty `first:` is refused."""
    if value is None or value == []:
        raise ValueError("give one slug or a list of slugs (or leave the key out)")
    return [value] if isinstance(value, str) else value


Slugs = Annotated[tuple[str, ...], BeforeValidator(_listed)]
"""One slug or a list of slugs."""


class RoutingCase(FrozenModel):
    """One goal and where it must (and must not) go."""

    goal: str = Field(min_length=1)
    """The goal, as a person would type it."""
    name: str | None = None
    """A short name for the report; the goal stands in for it."""
    mode: str | None = None
    """The entry role for this case (`--mode`); the file's `mode`, else the entry rule."""
    first: Slugs = ()
    """Roles the entry must hand work to directly (the first hop)."""
    exact: bool = False
    """With `first`: the entry hands work to those roles and to no other."""
    reaches: Slugs = ()
    """Roles that must get work somewhere in the route."""
    avoids: Slugs = ()
    """Roles that must get no work anywhere in the route."""
    uncovered: bool | None = None
    """True: some part of the goal must be reported not covered; False: no part may be."""
    line: int = 1
    """The case's line in the file (set by `load_cases`)."""
    key_lines: dict[str, int] = Field(default_factory=dict)
    """The line of each key and list item (`first`, `first.1`...), set by `load_cases`."""

    def line_of(self, key: str, index: int | None = None) -> int:
        """The line of `key` (its item `index` when given), else the case's line."""
        if index is not None and f"{key}.{index}" in self.key_lines:
            return self.key_lines[f"{key}.{index}"]
        return self.key_lines.get(key, self.line)

    @model_validator(mode="after")
    def _expects_something(self) -> RoutingCase:
        if self.exact and not self.first:
            raise ValueError("`exact: true` needs `first` (the roles of the first hop)")
        if not (self.first or self.reaches or self.avoids or self.uncovered is not None):
            raise ValueError(
                "the case expects nothing; give `first`, `reaches`, `avoids` or `uncovered`"
            )
        return self

    @property
    def title(self) -> str:
        """The name, or the goal on one line."""
        text = self.name or " ".join(self.goal.split())
        return text if len(text) <= 80 else text[:79] + "…"


class CaseFile(FrozenModel):
    """A file of routing cases."""

    path: str = "CASES.yaml"
    """The file, as named on the command line."""
    mode: str | None = None
    """The entry role of every case that names none."""
    mode_line: int = 1
    """The line of `mode` in the file (set by `load_cases`); 0 when `--mode` gave it."""
    edges: EdgeMode | None = None
    """Which edges to follow (the command line's `--edges` wins)."""
    cases: tuple[RoutingCase, ...]
    """The cases, in file order (at least one)."""

    @field_validator("cases")
    @classmethod
    def _some(cls, value: tuple[RoutingCase, ...]) -> tuple[RoutingCase, ...]:
        if not value:
            raise ValueError("the file has no cases; add at least one under `cases:`")
        return value


class CaseResult(FrozenModel):
    """How one case went."""

    case: RoutingCase
    """The case."""
    failures: tuple[str, ...]
    """What did not hold, one sentence each; empty when it passed."""
    plan: RoutePlan
    """The plan it was checked against."""

    @property
    def passed(self) -> bool:
        """True when every expectation held."""
        return not self.failures

    def to_json(self) -> dict[str, Any]:
        """One item of `test --json`'s `cases`."""
        return {
            "name": self.case.title,
            "goal": self.case.goal,
            "line": self.case.line,
            "passed": self.passed,
            "failures": list(self.failures),
            "entry": self.plan.entry.slug,
            "first_hop": list(self.plan.first_hop),
            "reached": list(self.plan.reached),
            "status": self.plan.status.value,
            "uncovered": [u.text for u in self.plan.uncovered],
        }


def load_cases(path: Path) -> CaseFile:
    """Read and validate a cases file.

    Raises:
        CasesError: the file cannot be read, is not YAML, or breaks the format;
            the message starts with `path:line:` and says how to fix it.
    """
    name = str(path)
    try:
        if path.exists() and not path.is_file():  # a folder, a pipe or a device would block
            raise CasesError(f"{name}: not a regular file; give the path of a routing cases file")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CasesError(f"{name}: no such file; give the path of a routing cases file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CasesError(f"{name}: cannot be read ({exc}); save it as UTF-8 text") from exc
    try:
        data, lines = parse_yaml(text)
    except ParseError as exc:
        raise CasesError(f"{name}:{exc.line or 1}: {exc.message}; fix the YAML syntax") from exc
    if not isinstance(data, dict):
        raise CasesError(
            f"{name}:1: a cases file is a mapping with a `cases:` list "
            "(see `modegraph test --help`)"
        )
    raw_cases = data.get("cases")
    if isinstance(raw_cases, list):
        data = {
            **data,
            "cases": [
                {
                    **case,
                    "line": lines.at(("cases", n)) or 1,
                    "key_lines": _key_lines(case, ("cases", n), lines),
                }
                if isinstance(case, dict)
                else case
                for n, case in enumerate(raw_cases)
            ],
        }
    if "mode" in data:
        data = {**data, "mode_line": lines.at(("mode",)) or 1}
    try:
        return CaseFile.model_validate({**data, "path": name})
    except ValidationError as exc:
        raise CasesError(_describe(exc, lines, name)) from exc


def _key_lines(case: dict[Any, Any], at: tuple[str | int, ...], lines: Lines) -> dict[str, int]:
    """The line of each key of `case` and of each item of a list value."""
    found: dict[str, int] = {}
    for key, value in case.items():
        if not isinstance(key, str):
            continue
        line = lines.at((*at, key))
        if line:
            found[key] = line
        if isinstance(value, list):
            for n in range(len(value)):
                item = lines.at((*at, key, n))
                if item:
                    found[f"{key}.{n}"] = item
    return found


def _describe(exc: ValidationError, lines: Lines, path: str) -> str:
    messages = []
    for error in exc.errors():
        loc = tuple(part for part in error["loc"] if part not in ("line", "key_lines"))
        line = lines.at(loc) or 1
        where = ".".join(str(part) for part in loc) or "(top)"
        if error["type"] == "extra_forbidden":
            model = RoutingCase if len(loc) > 2 else CaseFile
            internal = ("line", "key_lines", "mode_line", "path")
            known = [k for k in model.model_fields if k not in internal]
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            fix = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}"
            messages.append(f"{path}:{line}: unknown key {where!r}; {fix}")
        else:
            message = str(error["msg"]).removeprefix("Value error, ")
            messages.append(f"{path}:{line}: {where}: {message}")
    return "; ".join(messages)


def check_case(case: RoutingCase, plan: RoutePlan) -> list[str]:
    """What the plan does not do that the case expects; empty when it passes."""
    failures: list[str] = []
    first, reached = set(plan.first_hop), set(plan.reached)
    first_seen = ", ".join(plan.first_hop) or "no role"
    missing = [s for s in case.first if s not in first]
    if missing:
        failures.append(
            f"first hop: expected {', '.join(missing)}; {plan.entry.slug} handed work to "
            f"{first_seen}"
        )
    if case.exact:
        extra = [s for s in plan.first_hop if s not in case.first]
        if extra:
            failures.append(f"first hop: {', '.join(extra)} got work too (exact: true)")
    missing = [s for s in case.reaches if s not in reached]
    if missing:
        failures.append(
            f"route: expected {', '.join(missing)} to get work; the route reached "
            f"{', '.join(plan.reached)}"
        )
    wrong = [s for s in case.avoids if s in reached]
    if wrong:
        failures.append(f"route: {', '.join(wrong)} got work, which the case avoids")
    if case.uncovered is True and not plan.uncovered:
        got = ", ".join(plan.reached) or "nobody"
        failures.append(
            f"expected some part of the goal to be reported not covered (uncovered: true); "
            f"every part was covered (it went to {got})"
        )
    if case.uncovered is False and plan.uncovered:
        parts = "; ".join(repr(u.text) for u in plan.uncovered)
        failures.append(f"expected every part covered; not covered: {parts}")
    return failures


def run_cases(
    catalog: Catalog,
    cases: CaseFile,
    *,
    edges: EdgeMode | None = None,
    policy: Policy | None = None,
) -> list[CaseResult]:
    """Plan and check every case (each slug checked first, so nothing runs on a bad file).

    Args:
        catalog: The catalog as loaded.
        cases: The cases.
        edges: `--edges`, over the file's `edges` (default: all).
        policy: The guards of the plans.

    Raises:
        CatalogError: the catalog is empty.
        CasesError: a case names a role the catalog does not have.
    """
    check_entry(catalog, next(iter(catalog.slugs), ""))  # an empty catalog: say so first
    chosen = edges or cases.edges or EdgeMode.ALL
    for case in cases.cases:
        _check_slugs(catalog, cases, case, chosen)
    results = []
    for case in cases.cases:
        plan = plan_route(
            catalog, case.goal, entry=case.mode or cases.mode, edges=chosen, policy=policy
        )
        results.append(CaseResult(case=case, failures=tuple(check_case(case, plan)), plan=plan))
    return results


def _check_slugs(catalog: Catalog, cases: CaseFile, case: RoutingCase, edges: EdgeMode) -> None:
    entry = case.mode or cases.mode
    mode_line = case.line_of("mode") if case.mode else cases.mode_line
    seen = coordinate(catalog, entry=entry, edges=edges).catalog
    if entry and entry not in seen:
        _unknown(seen.slugs, cases.path, mode_line, "mode", entry)
    for key in ("first", "reaches", "avoids"):
        for n, slug in enumerate(getattr(case, key)):
            if slug not in seen:
                _unknown(seen.slugs, cases.path, case.line_of(key, n), key, slug)


def _unknown(slugs: Iterable[str], path: str, line: int, key: str, slug: str) -> NoReturn:
    close = difflib.get_close_matches(slug, list(slugs), n=3)
    hint = f"did you mean {', '.join(close)}?" if close else "`modegraph modes list` shows them"
    where = f"{path}:{line}: `{key}`" if line else "--mode"
    raise CasesError(f"{where} names {slug!r}, which is no role of the catalog; {hint}")
