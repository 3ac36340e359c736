"""General English and software-engineering word tables the rule agent reads goals with.

Nothing here names a catalog, a role or a goal. There are three tables, each small,
general and written for the whole field, not for any phrase:

- `REQUEST_VERBS`: verbs a person opens a request with (`write`, `build`, `track`,
  `review`). A piece of a goal that opens with one asks for work; a piece that does
  not (`Memory on our worker boxes creeps up`, `For the reporting epic`) is context
  for the request next to it. English grammar, not vocabulary of any catalog.
- `ENGINEERING_WORDS`: ordinary words of software work (`login`, `signup`, `table`,
  `endpoint`, `page`). A catalog that happens not to use one still does software
  work: such a word never makes a clause *foreign* (see `_routes.FOREIGN_SHARE`).
  Technology names are deliberately not here: a goal about Swift given to a catalog
  that has never heard of Swift is about work the catalog does not cover.
- `FAMILIES`: kinds of software work and the words people say them with (a crash, a
  bug, `track down`, `figure out why` are troubleshooting). A goal word of a family
  matches a profile word of the same family at `FAMILY_CREDIT`. Each family is one
  kind of work every software catalog knows; its members are its common names.

Phrasal verbs (`track down`, `sort out`, `look into`) are read as one word
(`PHRASAL_VERBS`) before the tables are used.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "ENGINEERING_WORDS",
    "EVERYDAY_VERBS",
    "FAMILIES",
    "FAMILY_CREDIT",
    "GENERIC_NOUNS",
    "PHRASAL_VERBS",
    "REQUEST_VERBS",
]

EVERYDAY_VERBS = frozenset(
    """
    babysit bake buy call contact cook drive email feed groom hire interview iron knit
    mow paint sew shop sing talk travel vacuum visit wash water
    """.split()
)
"""Request verbs of everyday life (`call the plumber`, `bake a cake`): as a clause's
leading verb they never say what kind of software work it is, however rare the word
is in a catalog (`call` in a C prompt's `system calls`). Verbs software work uses too
(`read`, `serve`, `order`, `pay`) are not here."""

REQUEST_VERBS = (
    frozenset(
        """
    add adjust agree align analyse analyze annotate answer apply archive assess audit
    automate back backfill backtest batch benchmark block book brainstorm break bring build bump
    calculate cache change check choose clarify classify clean clear clone close code
    collect combine come commit compare compile compose configure connect consolidate
    containerize containerise convert copy correct count cover create cut debug decide
    define delete deliver deploy deprecate describe design detect develop diagnose dig
    document double draft draw drop edit enable encrypt enforce estimate evaluate
    examine explain export extend extract figure find finish fix flag forecast format
    gather generate give go grow guard handle harden help hook host identify implement
    import improve index inspect install instrument integrate introduce investigate
    keep kick label lay list load localise localize lock log look make manage map
    measure merge migrate mock model monitor move name normalise normalize note onboard
    open optimise optimize organise organize outline package paginate patch pick pin
    plan point polish port prepare present prevent price prioritise prioritize produce
    profile protect prototype provide provision prune publish pull push put query
    rebase rebuild recommend record recycle redesign reduce refactor refresh release
    remind remove rename render reorganise reorganize repair replace report reproduce
    research reset resolve restructure restyle retry return review rewrite roll rotate
    route run scaffold scale scan schedule score secure seed select send separate set
    settle ship show shrink simplify sketch sort speed spin split squash stand start
    stop store stream streamline study suggest summarise summarize supply support swap
    sync tag take teach tell test throttle tidy tighten trace track train transform
    translate triage trim try tune turn type uncover undo unify update upgrade upload
    validate verify version walk watch wire work wrap write
    order pay play read sell serve
    """.split()
    )
    | EVERYDAY_VERBS
)
"""Verbs that open a request (imperative, base form). English, not any catalog's words."""

QUESTION_WORDS = frozenset(
    "what why how which who when where whether can could would should is are do does".split()
)
"""Words that open a question: a question asks for work too (`What's likely wrong?`)."""

PHRASAL_VERBS: Mapping[tuple[str, str], str] = {
    ("track", "down"): "troubleshoot",
    ("figure", "out"): "investigate",
    ("find", "out"): "investigate",
    ("look", "into"): "investigate",
    ("dig", "into"): "investigate",
    ("sort", "out"): "fix",
    ("clean", "up"): "refactor",
    ("tidy", "up"): "refactor",
    ("break", "up"): "split",
    ("set", "up"): "setup",
    ("spin", "up"): "provision",
    ("stand", "up"): "provision",
    ("write", "up"): "document",
    ("lay", "out"): "plan",
    ("map", "out"): "plan",
    ("mock", "up"): "mockup",
    ("kick", "off"): "start",
    ("roll", "out"): "deploy",
    ("roll", "back"): "rollback",
    ("speed", "up"): "optimize",
}
"""Two-word verbs and the one word they mean; read before stemming."""

ENGINEERING_WORDS = frozenset(
    """
    account accounts admin admins alert alerts api apis app apps argument attribute
    auth authentication authorization backend backup batch bug bugs build button
    buttons cache call callback card cards checkout class classes cli client code
    column columns command commit component components config configuration console
    container cookie crash cron csv dashboard data database dataset date default
    delete dependency deploy deployment dialog diff directory doc docs document domain
    download draft email emails endpoint endpoints entity env environment error errors
    event events exception export feature field fields file files filter flag flow
    folder form forms frontend function functions handler header helper hook host
    html http icon id image images import index input integration interface invoice
    item items job jobs json key keys label layout library limit link list load
    local log login logout logs menu message method migration model module modules
    notification notifications object order orders output package page pages
    pagination parser password patch payload payment permission permissions pipeline pr prs pull
    plugin popup port post preview process profile project prompt property query
    queue record records release report reports repo repository request requests
    response result role roles route router routes row rows schema screen screens
    script scripts search secret server service services session setting settings
    setup signin signup site source sql staging status step storage string style
    styles submit sync table tables tag task tasks template test tests text thread
    ticket token tokens tool tooltip type upload url user username users validation
    value variable version view webhook widget window worker workflow
    """.split()
)
"""Ordinary words of software work: never foreign to a software catalog that lacks them."""

GENERIC_NOUNS = frozenset(
    """
    app apps application applications button buttons code component components data
    feature features field fields file files folder folders form forms item items list
    lists page pages project projects screen screens site sites system systems text
    thing things tool tools user users value values view views website websites window
    windows
    """.split()
)
"""Nouns for the parts every piece of software has: alone, one of them says a clause is
software work, never whose (`page` in `Add a login page` is no reason to give it to an
SEO role whose description is about pages competing in search)."""

FAMILY_CREDIT = 0.5
"""How much a match through a family counts (an exact match counts 1, a same-stem
relative `_text_match._RELATIVE_CREDIT`)."""

FAMILIES: Mapping[str, frozenset[str]] = {
    "troubleshooting": frozenset(
        """troubleshoot troubleshooting debug debugger bug bugs crash crashes error
        errors exception failure failures broken fault diagnose diagnosis trace
        investigate regression flaky hang freeze""".split()
    ),
    "fixing": frozenset("fix fixes fixer hotfix patch repair bug bugs".split()),
    "documentation": frozenset(
        """document documentation docs readme guide guides manual tutorial writer
        handbook""".split()
    ),
    "diagrams": frozenset(
        """diagram diagrams chart charts flowchart flowcharts draw drawing visualize
        visualise visualization mermaid""".split()
    ),
    "testing": frozenset("test tests testing tester coverage qa assertion".split()),
    "performance": frozenset(
        """performance slow latency speed fast faster bottleneck optimize optimise
        optimization throughput profiling profile p95 p99""".split()
    ),
    "security": frozenset(
        """security secure vulnerability vulnerabilities attack attacks threat
        exploit injection xss csrf hardening pentest""".split()
    ),
    "database": frozenset(
        """database databases table tables column columns index indexes query queries
        sql schema migration migrations""".split()
    ),
    "version control": frozenset(
        "git commit commits branch branches merge rebase squash tag push".split()
    ),
    "deployment": frozenset(
        """deploy deployment deployments release provision infrastructure server
        servers hosting rollout rollback""".split()
    ),
    "planning": frozenset(
        """plan plans planning roadmap milestone milestones estimate tasks backlog
        sprint breakdown""".split()
    ),
    "refactoring": frozenset(
        """refactor refactoring restructure split modularize modularise cleanup
        decouple modules""".split()
    ),
    "design": frozenset("mockup mockups wireframe wireframes prototype layout".split()),
    "monitoring": frozenset(
        """monitor monitoring metrics alert alerts alerting observability telemetry""".split()
    ),
    "feature flags": frozenset("flag flags toggle toggles".split()),
    "front-end": frozenset(
        """frontend css theme themes theming darkmode toggle toggles modal modals
        dropdown dropdowns navbar sidebar tooltip tooltips responsive stylesheet
        stylesheets styling""".split()
    ),
    "research": frozenset("research investigate sources survey compare comparison".split()),
}
"""Kinds of software work and their common names. A goal word matches a profile word of
the same family at `FAMILY_CREDIT`."""
