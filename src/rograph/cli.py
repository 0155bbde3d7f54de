"""The ``rograph`` command: one group, one subcommand per job.

Each subcommand lives beside the code it drives (``rograph.validation.cli`` for
``validate`` and so on) and is only registered here, so this module stays a table of
contents of what the tool can do.
"""

from __future__ import annotations

import click

from rograph import __version__
from rograph.config import Settings
from rograph.curation.cli import diff_command, source_command
from rograph.query_cli import query_command
from rograph.serve_cli import build_command, export_command, publish_command, serve_command
from rograph.synth import synth_command
from rograph.validation.cli import validate_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rograph")
def main() -> None:
    """Build, check and serve the Roma integration knowledge graph."""


@main.command("settings")
def settings_command() -> None:
    """List every ROGRAPH_* environment variable with its default and meaning."""
    for name, default, doc in Settings.documentation():
        click.echo(f"{name}={default}\n    {doc}")


# Subcommands, registered in the order a newcomer meets them.
main.add_command(source_command)
main.add_command(validate_command)
main.add_command(build_command)
main.add_command(export_command)
main.add_command(serve_command)
main.add_command(publish_command)
main.add_command(query_command)
main.add_command(diff_command)
main.add_command(synth_command)
