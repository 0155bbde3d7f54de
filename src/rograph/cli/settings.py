"""``rograph settings``: every ``ROGRAPH_*`` setting, the value in effect and where it came from."""

from __future__ import annotations

import dataclasses

import click

from rograph.cli.shared import setting_option
from rograph.config import ENV_PREFIX, Settings


def _setting_flags(command):
    """One ``--name`` option per setting, so ``rograph settings`` shows what a command given
    the same flags would use."""
    for f in reversed(dataclasses.fields(Settings)):
        command = setting_option(f.name, metavar="VALUE")(command)
    return command


@click.command("settings")
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
