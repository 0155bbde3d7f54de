"""The embedded store: the built dataset held in memory by pyoxigraph.

In memory because the service forks its workers from a parent that has loaded the store:
the workers share its pages copy-on-write, and a worker replaced after a timeout starts with
the data already there. (pyoxigraph's on-disk store cannot be shared across a fork.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import BinaryIO

import pyoxigraph as ox

from rograph.config import Settings
from rograph.namespaces import PREFIXES
from rograph.sparql_text import declares_dataset
from rograph.sources import ProjectFiles, SourceFile, discover
from rograph.store.base import QueryResults, QuerySyntaxError, Store
from rograph.store.build import Build, ensure_build

_POSITION = re.compile(r"^error at (\d+):(\d+): ")


class EmbeddedStore(Store):
    """A pyoxigraph in-memory store.

    The default graph of a query is the union of all graphs, and the project's prefixes
    (:data:`rograph.namespaces.PREFIXES`) are predefined, as on the Wikidata Query Service; a
    query's own PREFIX declarations take precedence.
    """

    def __init__(self, store: ox.Store, version: str, built: datetime):
        self._store, self.version, self.built = store, version, built
        self._graph_counts: dict[str, int] | None = None

    @classmethod
    def from_build(cls, build: Build) -> "EmbeddedStore":
        store = ox.Store()
        store.bulk_load(path=str(build.dataset), format=ox.RdfFormat.N_QUADS)
        return cls(store, build.version, build.built)

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> QueryResults:
        options: dict = {"prefixes": PREFIXES}
        if default_graph_uris or named_graph_uris:
            # The protocol's dataset replaces the query's own FROM / FROM NAMED entirely.
            options["default_graph"] = [ox.NamedNode(uri) for uri in default_graph_uris]
            options["named_graphs"] = [ox.NamedNode(uri) for uri in named_graph_uris]
        elif not declares_dataset(sparql):
            options["use_default_graph_as_union"] = True
        try:
            return self._store.query(sparql, **options)
        except SyntaxError as error:
            message = str(error)
            match = _POSITION.match(message)
            if match:
                raise QuerySyntaxError(message[match.end():], int(match[1]), int(match[2])) from None
            raise QuerySyntaxError(message) from None
        except ValueError as error:  # an invalid IRI in the dataset parameters
            raise QuerySyntaxError(str(error)) from None

    def graph_counts(self) -> dict[str, int]:
        """Quads per named graph, counted once per store."""
        if self._graph_counts is None:
            rows = self._store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
            self._graph_counts = {row["g"].value: int(row["n"].value) for row in rows}
        return self._graph_counts

    def quad_count(self) -> int:
        return len(self._store)

    def dump(self, output: BinaryIO, format: ox.RdfFormat, *, from_graph: str | None = None) -> None:
        if from_graph is not None:
            self._store.dump(output, format=format, from_graph=ox.NamedNode(from_graph))
        else:
            self._store.dump(output, format=format)


def open_built_store(
    settings: Settings, *, data: Sequence[SourceFile] = (), validate: bool = True
) -> EmbeddedStore:
    """Build (if the sources changed) and load the store to serve.

    ``data``: files to serve instead of the project's data (``rograph serve --data``),
    validated against the project's ontology and shapes unless ``validate`` is false.
    """
    files = discover(settings.project_dir)
    if data:
        files = ProjectFiles(ontology=files.ontology, shapes=files.shapes, data=tuple(data))
    build = ensure_build(files, settings.var_dir, validate=validate)
    return EmbeddedStore.from_build(build)
