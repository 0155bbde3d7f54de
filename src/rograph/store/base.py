"""The store interface: what the web layer and the CLI may ask of a store."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, BinaryIO, Union

import pyoxigraph as ox

#: What a query returns: pyoxigraph's own result types, whatever the store behind it
#: (a remote store parses its answer with ``pyoxigraph.parse_query_results``).
QueryResults = Union[ox.QuerySolutions, ox.QueryBoolean, ox.QueryTriples]


if TYPE_CHECKING:
    from rograph.store.build import Build


class QuerySyntaxError(ValueError):
    """The query does not parse. Carries the parser's message and, where known, position."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.message, self.line, self.column = message, line, column
        where = f" at line {line}, column {column}" if line is not None else ""
        super().__init__(f"{message}{where}")


class Store(ABC):
    """A read-only view of the knowledge graph that answers SPARQL.

    The default graph of a query is the union of all named graphs unless the request names
    default graphs itself.
    """

    #: Identifies the data served (the sources' content hash): keys caches and ETags.
    version: str
    #: When the data served was built.
    built: datetime
    #: The build this store serves, whose dumps and dataset description the site publishes.
    build: Build

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> QueryResults:
        """Run a SPARQL query. Raises :class:`QuerySyntaxError` when it does not parse."""

    @abstractmethod
    def graph_counts(self) -> dict[str, int]:
        """The named graphs in the store, each with its number of triples."""

    @abstractmethod
    def quad_count(self) -> int:
        """Number of quads in the store."""

    @abstractmethod
    def dump(self, output: BinaryIO, format: ox.RdfFormat, *, from_graph: str | None = None) -> None:
        """Serialise the whole dataset (or one graph) to ``output``."""
