"""`modegraph resume`'s answers to approvals: all at once, or one request at a time.

```
modegraph resume TASK --approve                      # approve everything waiting
modegraph resume TASK --reject "REASON"              # reject everything waiting
modegraph resume TASK --approve ID [--approve ID]... # approve these requests
modegraph resume TASK --reject ID "REASON"           # reject this request, saying why
```

The ids are those `--json` lists under `approvals` (`<subtask>:approval:<turn>:<n>`
for a handoff, `<subtask>:command:<turn>:<n>` for a command). Answers may mix: some
approved, others rejected; requests not answered stay waiting, and the run stops
again for them (`waiting_approval`).

Click has no option that takes one value or two, so `ResumeCommand` reads the
arguments first: `--approve ID` becomes `--approve-id ID`, and `--reject ID REASON`
becomes `--reject-id ID --reject-why REASON` (hidden options). A value is an id when
it has the shape of one; anything else after `--reject` is the reason for all.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from typer.core import TyperCommand

from modegraph.errors import ConfigError

if TYPE_CHECKING:
    from modegraph.coordinator.approvals import Decision

__all__ = ["ResumeCommand", "decisions_from", "is_request_id"]

_ID = re.compile(r"^\S+:(approval|command):\d+:\d+$")


def is_request_id(text: str) -> bool:
    """Whether `text` has the shape of an approval request id."""
    return bool(_ID.match(text))


def pair_arguments(args: list[str], valued: frozenset[str] = frozenset()) -> list[str]:
    """The arguments with `--approve ID` and `--reject ID [REASON]` spelled as hidden options.

    `valued` names the options that take a value (so their value is not the task id).
    After the task id, `--approve X` with X not an option is an id even when it is not
    shaped like one (so a mistyped id gets the list of waiting ids, not Click's "extra
    argument"), `approval:1:2` is short for `TASK:approval:1:2`, and `--reject X Y` is
    the id X rejected with the reason Y.
    """
    out: list[str] = []
    task: str | None = None
    n = 0
    while n < len(args):
        arg = args[n]
        following = args[n + 1] if n + 1 < len(args) else None
        after = args[n + 2] if n + 2 < len(args) else None
        if arg in ("--approve", "--reject") and following is not None:
            answer = _answer_id(following, task, reason_follows=_plain(after))
            if arg == "--approve" and answer is not None:
                out += ["--approve-id", answer]
                n += 2
                continue
            if arg == "--reject" and (
                answer is not None and (is_request_id(answer) or _plain(after))
            ):
                reason = after if _plain(after) else ""
                out += ["--reject-id", answer, "--reject-why", reason or ""]
                n += 3 if _plain(after) else 2
                continue
        if arg in valued and following is not None:
            out += [arg, following]
            n += 2
            continue
        if task is None and not arg.startswith("-"):
            task = arg
        out.append(arg)
        n += 1
    return out


def _plain(text: str | None) -> bool:
    """A value, not an option."""
    return bool(text) and not str(text).startswith("-")


def _answer_id(text: str, task: str | None, *, reason_follows: bool) -> str | None:
    """The request id `--approve/--reject text` names, or None when `text` is not one."""
    if is_request_id(text):
        return text
    if task is None or not _plain(text):
        return None
    if _SHORT_ID.match(text):
        return f"{task}:{text}"
    return text


_SHORT_ID = re.compile(r"^(approval|command):\d+:\d+$")


class ResumeCommand(TyperCommand):
    """`resume`, reading `--approve ID` and `--reject ID REASON` (see the module)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Pair the per-request answers, then parse as usual (`ctx`: Typer's own Click)."""
        valued = frozenset(
            name
            for param in self.params
            if getattr(param, "is_flag", True) is False and getattr(param, "opts", None)
            for name in param.opts
        )
        return super().parse_args(ctx, pair_arguments(list(args), valued))


def decisions_from(
    *,
    approve_all: bool,
    reject_all: str | None,
    approve_ids: list[str],
    reject_ids: list[str],
    reject_whys: list[str],
) -> Decision | dict[str, Decision] | None:
    """The answer `resume` passes on: one for all, some by id, or none.

    Raises:
        ConfigError: answers for all and for single requests are mixed, a request is
            both approved and rejected, `--approve` and `--reject REASON` are both
            given for all, or the hidden `--reject-id`/`--reject-why` do not pair up.
    """
    from modegraph.coordinator.approvals import Decision

    one_by_one = bool(approve_ids or reject_ids)
    if approve_all and reject_all is not None:
        raise ConfigError('give --approve or --reject "REASON" for all, not both')
    if one_by_one and (approve_all or reject_all is not None):
        raise ConfigError(
            'answer everything (--approve, or --reject "REASON") or single requests '
            '(--approve ID, --reject ID "REASON"), not both'
        )
    if approve_all:
        return Decision(approved=True)
    if reject_all is not None:
        return Decision(approved=False, reason=reject_all)
    if not one_by_one:
        return None
    if len(reject_whys) != len(reject_ids):  # the hidden options given by hand
        raise ConfigError('reject a single request with --reject ID "REASON"')
    both = sorted(set(approve_ids) & set(reject_ids))
    if both:
        raise ConfigError(f"{', '.join(both)} is both approved and rejected; pick one")
    decisions = {request: Decision(approved=True) for request in approve_ids}
    for request, why in zip(reject_ids, reject_whys, strict=True):
        decisions[request] = Decision(approved=False, reason=why)
    return decisions
