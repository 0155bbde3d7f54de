"""``rograph synth``: a generated graph in the ontology's shape, for benchmarks and scale tests
(the generator is :mod:`rograph.synth`)."""

from __future__ import annotations

from pathlib import Path

import click

from rograph.cli.errors import write_failed
from rograph.synth import write


@click.command("synth")
@click.option("--triples", type=click.IntRange(min=1), required=True, help="How many quads, at least.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="A .nq or .trig file to write, or a folder (no extension) for one TriG file per source.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed gives the same graph.")
def synth_command(triples: int, out: Path, seed: int) -> None:
    """Write a generated graph in the ontology's shape, for benchmarks and scale tests.

    Every entity is marked synthetic; the graph passes the project's shapes.
    """
    try:
        count = write(triples, out, seed=seed)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--out") from None
    except OSError as error:
        write_failed("synth", out, error)
    click.echo(f"{out}: {count} quads")
