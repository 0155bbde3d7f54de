"""How every command ends: the exit codes, named here once (the table of docs/cli.md), and one
line on standard error that names what and where for bad input; never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

#: Done: validate found nothing at or above --fail-on, publish verified every graph.
EXIT_DONE = 0
#: Refused: the data does not validate (validate's results, build, publish), the query failed,
#: diff --exit-code found differences.
EXIT_REFUSED = 1
#: Bad input: a setting, a folder, a file that cannot be read or written, sources that do not
#: parse with no earlier build, a store out of reach, a usage error.
EXIT_BAD_INPUT = 2
#: Incomplete: publish cut short (some graphs not replaced or not matching; run it again).
EXIT_INCOMPLETE = 3
#: Internal: a bug of ours (validate says so in one line; --debug shows the traceback).
EXIT_INTERNAL = 3
#: Stopped with Ctrl+C.
EXIT_INTERRUPTED = 130


def fail(command: str, message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Say ``rograph COMMAND: message`` on standard error and exit with ``code``."""
    click.echo(f"rograph {command}: {message}", err=True)
    sys.exit(code)


def check_target(command: str, path: Path, option: str) -> None:
    """Exit with a clear line unless ``path`` is a file that can be written: its folder
    exists (it is not made: a mistyped folder should not appear silently)."""
    folder = path.parent
    if path.is_dir():
        fail(command, f"{option} {path}: is a folder; give a file name")
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "no such folder"
        fail(command, f"{option} {path}: {folder}: {what}")


def write_failed(command: str, path: Path, error: OSError) -> NoReturn:
    """The clear line for a target that could not be written."""
    fail(command, f"cannot write {path}: {error.strerror or error}")
