"""The ``rograph`` command: one group, one module per subcommand (``rograph.cli.validate`` for
``validate`` and so on), registered here, so this module stays a table of contents of what the
tool can do.

Click lives in this package only: the code a command drives raises its own errors, which the
command words as one line and an exit code of :mod:`rograph.cli.errors`. Options that several
commands take are declared once, in :mod:`rograph.cli.shared`.
"""

from __future__ import annotations

import sys

import click

from rograph import __version__
from rograph.cli.build import build_command
from rograph.cli.diff import diff_command
from rograph.cli.errors import EXIT_BAD_INPUT, EXIT_DONE, EXIT_INTERRUPTED, fail
from rograph.cli.export import export_command
from rograph.cli.publish import publish_command
from rograph.cli.query import query_command
from rograph.cli.serve import serve_command
from rograph.cli.settings import settings_command
from rograph.cli.source import source_command
from rograph.cli.synth import synth_command
from rograph.cli.validate import validate_command
from rograph.config import SettingError


class _Commands(click.Group):
    """The command group: a setting no command can use, or a usage error, ends any command
    with one line (click's own usage errors take three), exit 2."""

    # click's main() is overloaded on a literal standalone_mode; this override forwards the
    # caller's arguments unchanged, which the overloads cannot express.
    def main(self, *args, standalone_mode: bool = True, **kwargs):
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[call-overload]
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[call-overload]
        except click.UsageError as error:
            command = error.ctx.command_path if error.ctx else "rograph"
            click.echo(f"{command}: {error.format_message()} (see {command} --help)", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("rograph: stopped", err=True)
            sys.exit(EXIT_INTERRUPTED)
        sys.exit(code if isinstance(code, int) else EXIT_DONE)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SettingError as error:
            fail(ctx.invoked_subcommand or "", str(error), EXIT_BAD_INPUT)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rograph")
def main() -> None:
    """Build, check and serve the Roma integration knowledge graph."""


# Subcommands, registered in the order a newcomer meets them.
main.add_command(settings_command)
main.add_command(source_command)
main.add_command(validate_command)
main.add_command(build_command)
main.add_command(export_command)
main.add_command(serve_command)
main.add_command(publish_command)
main.add_command(query_command)
main.add_command(diff_command)
main.add_command(synth_command)
