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
import re
from collections.abc import Callable, Sequence
from typing import BinaryIO

import pyoxigraph as ox

from rograph.config import Settings
from rograph.namespaces import PREFIXES
from rograph.sparql_text import declares_dataset
from rograph.sources import ProjectFiles, SourceFile, discover
from rograph.store.base import QueryResults, QuerySyntaxError, Store
from rograph.store.build import Build, ensure_build

#: Resident bytes per quad of pyoxigraph's in-memory store, measured on generated data
#: (460 MiB for 1M quads, ``benchmarks/service.py``).
BYTES_PER_QUAD = 480

_POSITION = re.compile(r"^error at (\d+):(\d+): ")


class EmbeddedStore(Store):
    """A pyoxigraph in-memory store.

    The default graph of a query is the union of all graphs, and the project's prefixes
    (:data:`rograph.namespaces.PREFIXES`) are predefined, as on the Wikidata Query Service; a
    query's own PREFIX declarations take precedence.
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
        if self._opened_in != os.getpid():
            self._handle, self._opened_in = self._open(), os.getpid()
        return self._handle

    @classmethod
    def from_build(cls, build: Build, *, memory_budget: int, processes: int) -> "EmbeddedStore":
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
        return self.build.graph_counts

    def quad_count(self) -> int:
        return self.build.quad_count

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
    return EmbeddedStore.from_build(build, memory_budget=settings.memory_budget, processes=settings.workers + 1)
