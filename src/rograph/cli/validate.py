"""``rograph validate``: the curator's check, locally and in CI."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from rograph.cli.errors import EXIT_BAD_INPUT, EXIT_DONE, EXIT_INTERNAL, EXIT_REFUSED, check_target, fail, write_failed
from rograph.cli.progress import Progress
from rograph.cli.shared import project_dir_option
from rograph.config import SettingError, Settings
from rograph.sources import RDF_SUFFIXES, ProjectFiles, SourceError, SourceFile, discover
from rograph.validation.incremental import validate_incremental
from rograph.validation.model import Severity
from rograph.validation.render import FORMATS, render, render_source_error
from rograph.validation.run import ENGINES, validate


def select_files(paths: tuple[Path, ...], project_dir: Path) -> ProjectFiles:
    """The files to validate.

    No paths: the whole project. One folder with ``ontology/``, ``data/`` and ``shapes/``: that
    project. Otherwise the paths are files (or folders of files) that take the place of the
    project's: files under an ``ontology/`` or ``shapes/`` folder are added to the project's
    ontology or shapes, anything else is data validated instead of the project's data.
    """
    if not paths:
        return discover(project_dir)
    if len(paths) == 1 and paths[0].is_dir() and (paths[0] / "data").is_dir():
        return discover(paths[0])
    project = discover(project_dir)
    given: list[Path] = []
    for path in paths:
        if path.is_dir():
            given.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in RDF_SUFFIXES))
        elif not path.exists():
            raise SourceError(path, "no such file or folder")
        else:
            given.append(path)

    def merged(role: str, current: tuple[SourceFile, ...]) -> tuple[SourceFile, ...]:
        extra = [p for p in given if p.parent.name == role]
        known = {s.path.resolve() for s in current}
        graph = current[0].graph if current else None
        return current + tuple(SourceFile(p, role, graph) for p in extra if p.resolve() not in known)

    data = tuple(SourceFile(p, "data", None) for p in given if p.parent.name not in ("ontology", "shapes"))
    return ProjectFiles(
        ontology=merged("ontology", project.ontology),
        shapes=merged("shapes", project.shapes),
        data=data or project.data,
        root=project.root,
    )


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "format_",
    type=click.Choice(sorted(FORMATS)),
    default="text",
    show_default=True,
    help="text for people; json, junit (JUnit XML) or github (workflow annotations) for CI.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["violation", "warning", "info"]),
    default="violation",
    show_default=True,
    help="Lowest severity that makes the run fail (exit 1).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@project_dir_option
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="compiled",
    show_default=True,
    help="compiled: the shapes as SPARQL on pyoxigraph (pyshacl for what does not compile); "
    "pyshacl: the reference engine for everything.",
)
@click.option(
    "--incremental",
    is_flag=True,
    help="Re-check only what changed since the last run (state in ROGRAPH_VAR_DIR/validation; "
    "the first run is a full one).",
)
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
def validate_command(paths, format_, fail_on, output, project_dir, engine, incremental, debug):
    """Check RDF files against the project's SHACL shapes and ontology.

    With no PATHS, validates the whole project (ontology/, data/, shapes/). Each result
    names its focus node, severity, shape, path, value and message, and the file and line
    where the focus node is described.

    \b
    Exit codes:
      0  no result at or above --fail-on
      1  results at or above --fail-on
      2  bad input: unreadable file, syntax error (file:line:column), unknown option
      3  internal error
    """
    threshold = Severity.parse(fail_on)
    if output is not None:
        check_target("validate", output, "--output")
    try:
        settings = Settings.from_env(project_dir=project_dir)
        files = select_files(tuple(paths), settings.project_dir)
        if incremental:
            if engine != "compiled":
                raise click.UsageError("--incremental works with --engine compiled")
            report, account = validate_incremental(
                files, settings.var_dir / "validation", Progress("constraints checked")
            )
            click.echo(f"rograph validate: {account}", err=True)
        else:
            report = validate(files, engine=engine, progress=Progress("constraints checked"))
    except SourceError as error:
        _emit(render_source_error(error, format_), output, err=format_ == "text")
        sys.exit(EXIT_BAD_INPUT)
    except (click.UsageError, SettingError):
        raise
    except OSError as error:  # the incremental state under ROGRAPH_VAR_DIR cannot be written
        fail(
            "validate",
            f"cannot write {error.filename or 'the validation state'}: {error.strerror or error}",
            EXIT_BAD_INPUT,
        )
    except Exception as error:  # the top of the command: anything here is our bug, said briefly
        if debug:
            traceback.print_exc()
        click.echo(
            f"rograph validate: internal error: {type(error).__name__}: {error} (rerun with --debug for the traceback)",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
    _emit(render(report, format_, threshold), output, err=False)
    sys.exit(EXIT_REFUSED if report.at_or_above(threshold) else EXIT_DONE)


def _emit(text: str, output: Path | None, err: bool) -> None:
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            write_failed("validate", output, error)
    else:
        click.echo(text, nl=False, err=err)
