"""What every command does with bad input: one line on standard error that names what and
where, and an exit code from the table in docs/cli.md; never a traceback.

0 done; 1 refused (the data does not validate, the query failed); 2 bad input (a setting, a
folder, a file that cannot be read or written, sources that do not parse with no earlier build,
a store out of reach); 3 incomplete or internal (publish cut short, a bug of ours); 130
stopped with Ctrl+C.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

EXIT_DONE, EXIT_REFUSED, EXIT_BAD_INPUT, EXIT_INCOMPLETE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


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
