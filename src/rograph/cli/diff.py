"""``rograph diff``: what a change states differently, per source graph and entity, locally and
in CI."""

from __future__ import annotations

import os
import sys

import click

from rograph.cli.errors import EXIT_REFUSED, fail
from rograph.cli.shared import project_dir_option
from rograph.config import Settings
from rograph.curation import diff as semantic_diff


@click.command("diff")
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option(
    "--format",
    "format_",
    type=click.Choice(sorted(semantic_diff.FORMATS)),
    default="text",
    show_default=True,
    help="github: workflow commands (annotations), and the Markdown to $GITHUB_STEP_SUMMARY when set.",
)
@click.option("--lang", default="en", show_default=True, help="Language of the labels shown.")
@click.option("--exit-code", is_flag=True, help="Exit with 1 when the two sides differ (as git diff --exit-code).")
@project_dir_option
def diff_command(old, new, format_, lang, exit_code, project_dir):
    """Statements added, removed and changed per source graph and entity, between OLD and NEW.

    Each is a git revision, a build folder (var/current, var/builds/…) or a dump (.nq, .trig).
    Default: the last commit (HEAD) against the working tree; one argument: it against the
    working tree.
    """
    project = Settings.from_env(project_dir=project_dir).project_dir
    try:
        before = semantic_diff.read_side(old or "HEAD", project)
        after = semantic_diff.read_side(new, project)
    except semantic_diff.DiffError as error:
        fail("diff", str(error))
    result = semantic_diff.compare(before, after)
    labels = semantic_diff.Labels(result, lang)
    click.echo(semantic_diff.FORMATS[format_](result, labels), nl=False)
    if format_ == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as summary:
            summary.write(semantic_diff.as_markdown(result, labels))
    if exit_code and result.graphs:
        sys.exit(EXIT_REFUSED)
