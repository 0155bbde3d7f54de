"""The embedded store: the built dataset served by pyoxigraph in this process.

Where the data lives is decided from measurements (docs/serving.md, ``benchmarks/service.py``):

* **In memory**, loaded once by the server's parent process; the workers are forked from it,
  so a worker replaced after a timeout starts with the data already there. Reading the store
  touches its pages (pyoxigraph keeps reference counts in them), so each busy worker ends up
  with its own copy: memory grows as (workers + 1) x the store's size.
* **On disk** (an Oxigraph RocksDB database written beside the build), opened read-only by
  each worker after the fork: memory stays small and flat whatever the size, the operating
  system's page cache is shared, and opening takes milliseconds. The server's parent process
  never opens it: RocksDB starts process-wide threads that a forked child cannot use (workers
  forked after it crashed on exit), so what the parent needs to know comes from the build's
  manifest, and the database itself is written by a separate process.

A dataset whose in-memory copies fit ``ROGRAPH_MEMORY_BUDGET`` is held in memory; a larger
one is served from disk.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

import pyoxigraph as ox

from rograph.namespaces import BASE, PREFIXES
from rograph.sparql_text import QueryText
from rograph.store.base import QuerySyntaxError, Store
from rograph.store.build import Build
from rograph.store.queries import QueryResults

#: Resident bytes per quad of pyoxigraph's in-memory store, measured on generated data
#: (460 MiB for 1M quads, ``benchmarks/service.py``).
BYTES_PER_QUAD = 480


class EmbeddedStore(Store):
    """A pyoxigraph in-memory store.

    The default graph of a query is the union of all graphs, and the project's prefixes
    (:data:`rograph.namespaces.PREFIXES`) are predefined, as on the Wikidata Query Service; a
    query's own PREFIX declarations take precedence. Relative IRIs resolve against
    :data:`rograph.namespaces.BASE` unless the query has a BASE of its own.
    """

    def __init__(self, open_store: Callable[[], ox.Store], build: Build, *, on_disk: bool):
        self._open, self.build, self.on_disk = open_store, build, on_disk
        self.version, self.built = build.version, build.built
        self._handle: ox.Store | None = None
        self._opened_in: int | None = None

    @property
    def _store(self) -> ox.Store:
        # A store handle is per process: a forked worker opens its own (an in-memory store's
        # "opening" just returns the object it inherited).
        if self._handle is None or self._opened_in != os.getpid():
            self._handle, self._opened_in = self._open(), os.getpid()
        return self._handle

    @classmethod
    def from_build(cls, build: Build, *, memory_budget: int, processes: int) -> EmbeddedStore:
        """Serve ``build`` from memory if ``processes`` copies of it fit ``memory_budget``,
        else from its on-disk database."""
        if build.quad_count * BYTES_PER_QUAD * processes <= memory_budget:
            store = ox.Store()
            store.bulk_load(path=str(build.dataset), format=ox.RdfFormat.N_QUADS)
            return cls(lambda: store, build, on_disk=False)
        database = str(build.database())
        return cls(lambda: ox.Store.read_only(database), build, on_disk=True)

    def query(
        self,
        sparql: str | QueryText,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> QueryResults:
        query = QueryText.of(sparql)
        options: dict[str, Any] = {"prefixes": PREFIXES, "base_iri": BASE}
        try:
            if default_graph_uris or named_graph_uris:
                # The protocol's dataset replaces the query's own FROM / FROM NAMED entirely.
                options["default_graph"] = [ox.NamedNode(uri) for uri in default_graph_uris]
                options["named_graphs"] = [ox.NamedNode(uri) for uri in named_graph_uris]
            elif not query.declares_dataset:
                options["use_default_graph_as_union"] = True
            return self._store.query(query.text, **options)
        except SyntaxError as error:
            raise QuerySyntaxError.from_parser(str(error)) from None
        except ValueError as error:  # an invalid IRI in the dataset parameters
            raise QuerySyntaxError(str(error)) from None
