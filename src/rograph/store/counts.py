"""Triples per named graph: the one query that counts them.

The build records the counts in its manifest and its dataset description, ``rograph publish``
compares a remote store's with them, and a remote store is checked against them before it is
served; all ask the same question, so all send this query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox

#: The count as a group of its own, to join in a larger query (``?g``, ``?n``).
TRIPLES_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def triples_per_graph(
    select: Callable[[str], ox.QuerySolutions], graphs: Iterable[str] | None = None, *, under: str | None = None
) -> dict[str, int]:
    """Triples in each named graph that ``select`` (a store's or a SPARQL client's) sees, in the
    order of their names: of ``graphs`` only (a graph with none is absent), or of the graphs
    whose name starts with ``under``, or of every graph."""
    values = "" if graphs is None else "VALUES ?g { " + " ".join(f"<{g}>" for g in graphs) + " } "
    within = "" if under is None else f' FILTER(STRSTARTS(STR(?g), "{under}"))'
    rows = select(
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ {values}GRAPH ?g {{ ?s ?p ?o }}{within} }} GROUP BY ?g ORDER BY ?g"
    )
    return {row["g"].value: int(row["n"].value) for row in rows}
