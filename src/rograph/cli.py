"""The ``rograph`` command: one group, one subcommand per job.

Each subcommand lives beside the code it drives (``rograph.validation.cli`` for
``validate`` and so on) and is only registered here, so this module stays a table of
contents of what the tool can do.
"""

from __future__ import annotations

import dataclasses
import sys

import click

from rograph import __version__
from rograph.cli_support import EXIT_BAD_INPUT, EXIT_INTERRUPTED, fail
from rograph.config import ENV_PREFIX, Settings, SettingError
from rograph.curation.cli import diff_command, source_command
from rograph.query_cli import query_command
from rograph.serve_cli import build_command, export_command, publish_command, serve_command
from rograph.synth import synth_command
from rograph.validation.cli import validate_command


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
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SettingError as error:
            fail(ctx.invoked_subcommand or "", str(error), EXIT_BAD_INPUT)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rograph")
def main() -> None:
    """Build, check and serve the Roma integration knowledge graph."""


def _setting_flags(command):
    """One ``--name`` option per setting, so ``rograph settings`` shows what a command given
    the same flags would use."""
    for f in reversed(dataclasses.fields(Settings)):
        command = click.option("--" + f.name.replace("_", "-"), f.name, metavar="VALUE",
                               help=f"[{ENV_PREFIX}{f.name.upper()}]")(command)
    return command


@main.command("settings")
@_setting_flags
def settings_command(**flags) -> None:
    """Every ROGRAPH_* setting: the value in effect, where it came from (default,
    environment or flag), and its meaning and default. Exit 2 if a value cannot be used."""
    settings, origins = Settings.in_effect(**flags)
    documented = {name: (default, doc) for name, default, doc in Settings.documentation()}
    for f in dataclasses.fields(Settings):
        name = ENV_PREFIX + f.name.upper()
        value = getattr(settings, f.name)
        shown = " ".join(value) if isinstance(value, tuple) else str(value)
        if f.name == "store_password":
            shown = "(hidden)" if value else ""
        default, doc = documented[name]
        click.echo(f"{name}={shown}  ({origins[f.name]})\n    {doc} [default: {default or 'empty'}]")


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
