"""``rograph export``: write a dump of the whole dataset, the file the server publishes."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from rograph.cli.errors import check_target, write_failed
from rograph.cli.shared import build_or_exit, configured, project_dir_option, var_dir_option
from rograph.store.dumps import DUMP_FORMATS, dump_format


@click.command("export")
@click.option(
    "--format",
    "format_name",
    type=click.Choice([f.extension for f in DUMP_FORMATS]),
    default="nq",
    show_default=True,
    help="nq and trig keep the named graphs; ttl and jsonld are the union of all graphs.",
)
@click.option("--gzip", "compressed", is_flag=True, help="Write the gzipped dump.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
@project_dir_option
@var_dir_option
def export_command(format_name, compressed, out, project_dir, var_dir):
    """Write a dump of the whole dataset: the same file the server publishes under /dumps/."""
    check_target("export", out, "--out")
    build = build_or_exit(configured(project_dir=project_dir, var_dir=var_dir), "export")
    name = f"dataset.{format_name}" + (".gz" if compressed else "")
    dump = next(d for d in build.dumps if d.name == name)
    file = build.dump_file(name)
    assert file is not None  # the build publishes every dump format
    try:
        shutil.copyfile(file, out)
    except OSError as error:
        write_failed("export", out, error)
    click.echo(
        f"{out}: {dump.triples} {'quads' if dump_format(format_name).keeps_graphs else 'triples'}, "
        f"{dump.byte_size} bytes, sha256 {dump.sha256}"
    )
