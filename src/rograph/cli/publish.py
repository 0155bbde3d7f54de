"""``rograph publish``: the validated build into a remote store (the work is in
:mod:`rograph.store.publish`)."""

from __future__ import annotations

import sys

import click

from rograph.cli.errors import EXIT_DONE, EXIT_INCOMPLETE, EXIT_REFUSED, fail
from rograph.cli.progress import Progress
from rograph.cli.shared import (
    build_or_exit,
    configured,
    data_options,
    project_dir_option,
    setting_option,
    var_dir_option,
)


@click.command("publish")
@setting_option("store", "--to", help="The store's SPARQL query endpoint.")
@setting_option("store_update", "--update", help="Its SPARQL Update endpoint.")
@setting_option("store_gsp", "--gsp", help="Its Graph Store Protocol endpoint.")
@data_options("publish")
@project_dir_option
@var_dir_option
def publish_command(store, store_update, store_gsp, data, no_validate, project_dir, var_dir):
    """Validate, then replace the project's named graphs in a remote store and verify them.

    Graphs the project does not own are left alone; running it again completes a run that was
    cut short. Exit codes: 0 published and verified; 1 the data does not validate (nothing was
    sent); 2 bad usage or the store cannot be reached; 3 some graphs were not replaced or do not
    match (the report lists them; run it again).
    """
    from rograph.store import StoreUnavailable
    from rograph.store.publish import PublishError, publish

    settings = configured(
        store=store, store_update=store_update, store_gsp=store_gsp, project_dir=project_dir, var_dir=var_dir
    )
    if not settings.store.startswith(("http://", "https://")):
        raise click.UsageError("publish needs a remote store: --to URL or ROGRAPH_STORE")
    build = build_or_exit(
        settings,
        "publish",
        data=data,
        validate=not (data and no_validate),
        refused=(EXIT_REFUSED, "the data does not validate; nothing was sent"),
    )
    try:
        report = publish(build, settings, Progress("graphs published"))
    except (StoreUnavailable, PublishError) as error:
        fail("publish", str(error))
    for graph in report.dropped:
        click.echo(f"dropped {graph} (no longer in the build)")
    for graph, reason in report.failed.items():
        click.echo(f"NOT replaced {graph}: {reason}", err=True)
    for graph, (held, expected) in report.mismatched.items():
        click.echo(f"MISMATCH {graph}: the store has {held} triples, the build {expected}", err=True)
    click.echo(
        f"{len(report.replaced)} of {len(build.graph_counts)} graphs replaced in {settings.store}"
        + ("; verified" if report.complete else "; run rograph publish again to complete")
    )
    sys.exit(EXIT_DONE if report.complete else EXIT_INCOMPLETE)
