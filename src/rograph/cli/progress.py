"""Progress of long runs: a bar on a terminal, a line every few seconds in a CI log.

Short runs stay quiet: nothing is shown before two seconds have passed, so a quick command's
output is only its result.
"""

from __future__ import annotations

import sys
import time

import click


class Progress:
    """Call with (done, total, what was last done) as work advances."""

    QUIET_SECONDS = 2.0
    LINE_EVERY_SECONDS = 5.0

    def __init__(self, unit: str):
        self.unit = unit
        self.interactive = sys.stderr.isatty()
        self.started = time.monotonic()
        self.last_line = 0.0
        self.shown = False

    def __call__(self, done: int, total: int, last: str = "") -> None:
        now = time.monotonic()
        finished = done >= total
        if not self.shown and now - self.started < self.QUIET_SECONDS:
            return
        if self.interactive:
            width = 30
            filled = width * done // max(1, total)
            click.echo(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {self.unit}", nl=finished, err=True)
            self.shown = True
        elif finished and self.shown or now - self.last_line >= self.LINE_EVERY_SECONDS:
            click.echo(f"{done}/{total} {self.unit}" + (f" (last: {last})" if last else ""), err=True)
            self.last_line, self.shown = now, True
