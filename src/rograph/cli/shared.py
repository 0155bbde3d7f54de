"""What several commands share, declared once: the options that override settings (named after
their ``ROGRAPH_*`` variable, with the default :mod:`rograph.config` documents), the settings
with logging set up, and the project's build."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from rograph.cli.errors import EXIT_BAD_INPUT, EXIT_REFUSED, fail
from rograph.config import ENV_PREFIX, Settings
from rograph.sources import SourceError, discover, with_data
from rograph.store.build import Build, BuildRefused, ensure_build

_DOCUMENTED = {variable: default for variable, default, _ in Settings.documentation()}


def setting_option(name: str, *declarations: str, help: str = "", **attributes):
    """An option overriding the setting ``name`` (``--host`` for ``host``, or ``declarations``);
    its help ends with the variable and its default, ``[ROGRAPH_HOST, 127.0.0.1]``."""
    variable = ENV_PREFIX + name.upper()
    default = _DOCUMENTED[variable]
    hint = f"[{variable}, {default}]" if default else f"[{variable}]"
    declarations = declarations or ("--" + name.replace("_", "-"),)
    return click.option(*declarations, name, help=f"{help} {hint}".lstrip(), **attributes)


#: ``--project-dir`` and ``--var-dir``, which most commands take.
project_dir_option = setting_option("project_dir", type=click.Path(file_okay=False, path_type=Path))
var_dir_option = setting_option("var_dir", type=click.Path(file_okay=False, path_type=Path))


def data_options(verb: str):
    """``--data FILE`` (repeatable) and ``--no-validate``, for a command that can ``verb`` RDF
    files given on the command line instead of the project's data."""

    def apply(command):
        command = click.option(
            "--no-validate", is_flag=True, help=f"With --data: {verb} the files without validating them."
        )(command)
        return click.option(
            "--data",
            "data",
            multiple=True,
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help=f"{verb.capitalize()} these RDF files instead of the project's data (repeatable).",
        )(command)

    return apply


def configured(**overrides) -> Settings:
    """The settings with these overrides, and logging set up at their level."""
    settings = Settings.from_env(**overrides)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return settings


def build_or_exit(
    settings: Settings,
    command: str,
    *,
    data: tuple[Path, ...] = (),
    validate: bool = True,
    refused: tuple[int, str] = (EXIT_REFUSED, "the sources do not validate"),
) -> Build:
    """The build of the project (with ``data`` in place of its data), made first if the
    sources changed; exits with the validator's report (``refused``: exit code and what it
    means), or one line (bad input) on a syntax error with nothing good to use or a build folder
    that cannot be written."""
    try:
        return ensure_build(with_data(discover(settings.project_dir), data), settings.var_dir, validate=validate)
    except BuildRefused as error:
        click.echo(error.report_text, err=True)
        fail(command, refused[1], refused[0])
    except SourceError as error:
        fail(command, str(error), EXIT_BAD_INPUT)
    except OSError as error:
        fail(
            command,
            f"cannot write the build into {settings.var_dir} (ROGRAPH_VAR_DIR / --var-dir): "
            f"{error.filename or ''}: {error.strerror or error}",
            EXIT_BAD_INPUT,
        )
