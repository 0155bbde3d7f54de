"""``rograph build``: validate the sources and build the store, dumps and dataset description."""

from __future__ import annotations

import click

from rograph.cli.shared import build_or_exit, configured, project_dir_option, var_dir_option


@click.command("build")
@project_dir_option
@var_dir_option
def build_command(project_dir, var_dir):
    """Validate the sources and build the store, dumps and dataset description (if they changed)."""
    build = build_or_exit(configured(project_dir=project_dir, var_dir=var_dir), "build")
    click.echo(f"serving build {build.version[:12]}: {build.quad_count} quads, built {build.built.isoformat()}")
