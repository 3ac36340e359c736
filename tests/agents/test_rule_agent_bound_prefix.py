"""RuleAgent: a prefix bound by a hyphen is no word of its own.

Found by a new user on SPARC's `.roomodes`: "Write a marketing blog post for our product
launch" went to `post-deployment-monitoring-mode` on `post` (its slug) and `launch`
(its role definition says it watches the system "post-launch").
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from modegraph.agents.rule._profiles import profile_of
from modegraph.agents.rule._text_match import tokens
from modegraph.cli.app import app
from modegraph.modes.model import Mode, SourceFormat, SourceInfo


def test_a_bound_prefix_is_dropped_from_any_text() -> None:
    assert tokens("Post-deployment monitoring of a multi-tenant app") == [
        "deployment",
        "monitoring",
        "of",
        "a",
        "tenant",
        "app",
    ]
    assert tokens("Write a blog post, then pre-commit hooks") == [
        "write", "a", "blog", "post", "then", "commit", "hooks"
    ]  # fmt: skip


def test_a_roles_slug_and_prose_give_no_word_for_the_prefix() -> None:
    mode = Mode(
        slug="post-deployment-monitor",
        name="Deployment Monitor",
        role_definition="You observe the system post-launch and flag regressions.",
        source=SourceInfo(format=SourceFormat.ROOMODES),
    )
    weights = profile_of(mode).weights
    assert "post" not in weights
    assert "launch" in weights and "monitor" in weights


def test_a_blog_post_goes_to_no_post_deployment_role(tmp_path: Path) -> None:
    roomodes = tmp_path / ".roomodes"
    roomodes.write_text(
        json.dumps(
            {
                "customModes": [
                    {
                        "slug": "post-deployment-monitor",
                        "name": "Deployment Monitor",
                        "roleDefinition": "You observe the system post-launch: logs, "
                        "performance and regressions after each deployment.",
                        "groups": ["read"],
                    },
                    {
                        "slug": "api-builder",
                        "name": "API Builder",
                        "roleDefinition": "You build HTTP APIs and their endpoints.",
                        "groups": ["read", "edit"],
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    args = ["route", "--modes", str(roomodes), "--no-bundled", "--json"]
    blog = CliRunner().invoke(app, [*args[:1], "Write a blog post about our launch", *args[1:]])
    assert "post-deployment-monitor" not in json.loads(blog.stdout)["first_hop"]
    watch = CliRunner().invoke(
        app, [*args[:1], "Set up post-deployment monitoring of the API", *args[1:]]
    )
    assert json.loads(watch.stdout)["first_hop"] == ["post-deployment-monitor"]
