"""``rograph source add`` and ``rograph source list``: registering the next source, and every
source with its checks."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import click

from rograph.cli.errors import fail
from rograph.cli.shared import project_dir_option
from rograph.config import Settings
from rograph.curation import registry
from rograph.sources import SourceError


@click.group("source")
def source_command() -> None:
    """Register the graph's sources and list them."""


def _label_option(values: tuple[str, ...]) -> dict[str, str]:
    labels = {}
    for value in values:
        lang, sep, text = value.partition(":")
        if not sep or not text.strip() or len(lang) != 2:
            raise registry.RegistrationError(f"--label: {value!r} is not LANG:TEXT, e.g. en:Latvian Roma Platform IV")
        labels[lang] = text.strip()
    return labels


@source_command.command("add")
@click.argument("target", metavar="ADDRESS|FILE")
@click.option("--publisher", required=True, help="The organisation that published it: organisation:SLUG or its IRI.")
@click.option(
    "--language",
    required=True,
    help="ISO 639-1 code of the source's language (lv, en, et…); written as the EU language authority's IRI.",
)
@click.option("--kind", required=True, help="news-item, press-release, project-page, web-page (ontology/concepts.ttl).")
@click.option("--title", required=True, help="The source's title, in its own language.")
@click.option(
    "--label",
    "labels",
    multiple=True,
    metavar="LANG:TEXT",
    help="The title in another language (repeatable); Latvian and English are required.",
)
@click.option("--slug", help="Slug of the source's and graph's IRIs and the file name [from the address or file name].")
@project_dir_option
def add_command(target, publisher, language, kind, title, labels, slug, project_dir):
    """Register a source (a web ADDRESS, or a FILE in the project's sources/ folder) and write its
    graph's file in data/."""
    project = Settings.from_env(project_dir=project_dir).project_dir
    try:
        store = registry.load_project(project)
        new = registry.check_new_source(
            store,
            project,
            target,
            publisher=publisher,
            language=language,
            kind=kind,
            title=title,
            labels=_label_option(labels),
            slug=slug,
        )
        path = registry.register(project, new, store)
    except (registry.RegistrationError, SourceError) as error:
        fail("source add", str(error))
    shown = registry.relative_path(path, Path.cwd())
    click.echo(f"registered {new.source}\n  graph  {new.graph}\n  file   {shown}\n")
    click.echo("next:")
    source = new.address or (registry.relative_path(new.file, project) if new.file else new.source)
    click.echo(f"  1. write the facts {source} states inside the graph in {shown}:")
    click.echo("     only what it says; organisations, posts and roles, never a private person's name")
    click.echo("  2. rograph validate            check the project against the shapes (file:line for each fault)")
    click.echo("  3. rograph diff                review what the new graph states, per entity, before you commit")
    click.echo(f"  4. git add {shown} && git commit")


@source_command.command("list")
@click.option("--format", "format_", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", default="en", show_default=True, help="Language of the labels shown.")
@project_dir_option
def list_command(format_, lang, project_dir):
    """Every source with its graph, file, counts and checks."""
    project = Settings.from_env(project_dir=project_dir).project_dir
    try:
        listed = registry.list_sources(project, lang)
    except SourceError as error:
        fail("source list", str(error))
    if format_ == "json":
        click.echo(json.dumps({"sources": [dataclasses.asdict(s) for s in listed]}, ensure_ascii=False, indent=2))
        return
    for s in listed:
        checks = s.checks
        state = "ok" if not checks["violations"] and not checks["file"] else "FAILS"
        click.echo(
            f"{s.label}\n  source      {s.source}\n  identified  {s.address or s.read_from or '(neither address nor file)'}"
        )
        click.echo(f"  graph       {', '.join(s.graphs) or '(none derived from it)'}\n  file        {s.file or '-'}")
        click.echo(f"  counts      {s.statements} statements, {s.entities} subjects")
        click.echo(
            f"  checks      {state}: {checks['violations']} violations, {checks['warnings']} warnings, {checks['infos']} infos"
            + (f"; file {checks['file']}" if checks["file"] else "")
        )
    click.echo(f"{len(listed)} sources")
