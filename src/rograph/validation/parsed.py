"""The project's files parsed once, by pyoxigraph, for every engine and check of a run.

pyoxigraph is fast, and exact about syntax error positions. What the engines see is the union
of every data file's named graphs with the ontology mixed in (so that ``rdfs:subClassOf`` counts
for targets and ``sh:class`` without running inference), plus one statement per named graph of
the data files, ``<graph> a sd:NamedGraph``: a union graph hides which graphs exist, and the
shapes require each one to name its source.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from rograph.namespaces import RDF, SD
from rograph.sources import ProjectFiles, read_quads

#: Where the ``<graph> a sd:NamedGraph`` statements go in a store.
ADDED_GRAPH = ox.NamedNode("urn:rograph:validation:named-graphs")


class Parsed:
    """The ontology, data (by file) and shapes of ``files``, each parsed once."""

    def __init__(
        self,
        files: ProjectFiles,
        ontology: list[ox.Quad],
        data_by_file: dict[Path, list[ox.Quad]],
        shapes: list[ox.Quad],
    ):
        self.files, self.ontology_quads, self.shapes_quads = files, ontology, shapes
        self.data_by_file = data_by_file
        self.data_quads = [quad for quads in data_by_file.values() for quad in quads]

    @classmethod
    def read(cls, files: ProjectFiles) -> Parsed:
        """Parse every file; raises :class:`rograph.sources.SourceError` for the first that
        cannot be read or parsed."""
        return cls(
            files,
            [q for source in files.ontology for q in read_quads(source)],
            {source.path: list(read_quads(source)) for source in files.data},
            [q for source in files.shapes for q in read_quads(source)],
        )

    @property
    def graph_names(self) -> set[str]:
        """The named graphs the data files fill."""
        return {q.graph_name.value for q in self.data_quads if isinstance(q.graph_name, ox.NamedNode)}

    def union_store(self, location: Path | None = None) -> ox.Store:
        """The union the engines validate, in a new pyoxigraph store: in memory, or on disk at
        ``location`` (loaded in bulk and flushed). Query it with the union as default graph."""
        parts = (self.ontology_quads, self.data_quads, named_graph_statements(self.graph_names))
        if location is None:
            store = ox.Store()
            for quads in parts:
                store.extend(quads)
            return store
        store = ox.Store(str(location))
        for quads in parts:
            store.bulk_extend(quads)
        store.flush()
        return store


def named_graph_statements(graph_names: Iterable[str]) -> list[ox.Quad]:
    """``<graph> a sd:NamedGraph`` for each name, in a graph of their own."""
    return [
        ox.Quad(ox.NamedNode(g), ox.NamedNode(RDF + "type"), ox.NamedNode(SD + "NamedGraph"), ADDED_GRAPH)
        for g in graph_names
    ]
