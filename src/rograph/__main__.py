"""``python -m rograph``: the same as the ``rograph`` command."""

from rograph.cli import main

main(prog_name="rograph")
