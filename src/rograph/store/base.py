"""The store interface: what the web layer and the CLI may ask of a store."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import pyoxigraph as ox

from rograph.sparql_text import QueryText
from rograph.store.counts import triples_per_graph

#: What a query returns: pyoxigraph's own result types, whatever the store behind it
#: (a remote store parses its answer with ``pyoxigraph.parse_query_results``).
QueryResults = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def _solutions(results: QueryResults) -> ox.QuerySolutions:
    """The rows of a SELECT's results; says so when the query was of another form."""
    if not isinstance(results, ox.QuerySolutions):
        raise TypeError(f"expected the rows of a SELECT query, got {type(results).__name__}")
    return results


def _triples(results: QueryResults) -> ox.QueryTriples:
    """The triples of a CONSTRUCT or DESCRIBE's results (see :func:`_solutions`)."""
    if not isinstance(results, ox.QueryTriples):
        raise TypeError(f"expected the triples of a CONSTRUCT or DESCRIBE query, got {type(results).__name__}")
    return results


def _boolean(results: QueryResults) -> bool:
    """The answer of an ASK (see :func:`_solutions`)."""
    if not isinstance(results, ox.QueryBoolean):
        raise TypeError(f"expected the answer of an ASK query, got {type(results).__name__}")
    return bool(results)


if TYPE_CHECKING:
    from rograph.store.build import Build


class QuerySyntaxError(ValueError):
    """The query does not parse. Carries the parser's message and, where known, position."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.message, self.line, self.column = message, line, column
        where = "" if line is None else f" at line {line}" + ("" if column is None else f", column {column}")
        super().__init__(f"{message}{where}")

    @classmethod
    def from_parser(cls, text: str) -> QuerySyntaxError:
        """From a parser's message, with the position taken out of it where it has one in a
        known form: Oxigraph's ``error at 1:25: …``, Jena's ``… at line 1, column 25``,
        Virtuoso's ``… SPARQL compiler, line 1: …`` (a line, no column; the query it echoes
        after the message is dropped)."""
        match = _OXIGRAPH_POSITION.match(text)
        if match:
            return cls(text[match.end() :], int(match[1]), int(match[2]))
        match = _VIRTUOSO_POSITION.search(text)
        if match:
            return cls(match[2].strip(), int(match[1]))
        match = _JENA_POSITION.search(text)
        if match:
            return cls((text[: match.start()] + text[match.end() :]).strip(" .:"), int(match[1]), int(match[2]))
        return cls(text)


_OXIGRAPH_POSITION = re.compile(r"^error at (\d+):(\d+): ")
_JENA_POSITION = re.compile(r",? at line (\d+), column (\d+)")
_VIRTUOSO_POSITION = re.compile(r"SPARQL compiler, line (\d+): (.*?)(?:\n\s*\nSPARQL query:.*)?$", re.DOTALL)


class StoreUnavailable(Exception):
    """A remote store could not be reached or gave an answer that is not SPARQL (502)."""


class StoreTimeout(Exception):
    """A remote store did not answer within the query time limit (503, as a local timeout)."""


class QueryRefused(Exception):
    """The query may not run here (a SERVICE outside the allow-list: 400; the client's fair share
    used up: 429 with ``retry_after`` seconds; every executor busy for too long: 503)."""

    def __init__(self, message: str, status: int = 400, retry_after: int | None = None):
        self.message, self.status, self.retry_after = message, status, retry_after
        super().__init__(message)


class QueryStopped(Exception):
    """The query's executor stopped it: past the time limit (503, ``timed_out``), past the memory
    ceiling or the response size cap (400), or its process died (500). Its executor was replaced."""

    def __init__(self, message: str, status: int, *, timed_out: bool = False):
        self.message, self.status, self.timed_out = message, status, timed_out
        super().__init__(message)


class StoreMisconfigured(Exception):
    """The store is reachable but set up so that rograph cannot serve from it."""


class SparqlQueries(ABC):
    """Something that answers SPARQL: each query form asked for with its own result type.

    A back end implements :meth:`query` once; the typed forms are written here, once for every
    back end, so that no caller narrows a union of result types itself. :meth:`query` is for a
    query whose form the caller does not know (the SPARQL protocol's, the query page's,
    ``rograph query``'s: a person wrote it); code that writes its own query asks for its form.
    """

    @abstractmethod
    def query(
        self,
        sparql: str | QueryText,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> QueryResults:
        """Run a SPARQL query of any form (its text, or the :class:`QueryText` a caller scanned
        already). Raises :class:`QuerySyntaxError` when it does not parse."""

    def select(self, sparql: str) -> ox.QuerySolutions:
        """The rows of a SELECT query."""
        return _solutions(self.query(sparql))

    def ask(self, sparql: str) -> bool:
        """The answer of an ASK query."""
        return _boolean(self.query(sparql))

    def construct(self, sparql: str) -> ox.QueryTriples:
        """The triples of a CONSTRUCT or DESCRIBE query."""
        return _triples(self.query(sparql))

    def count(self, sparql: str) -> int:
        """The number a SELECT of one aggregate answers (``SELECT (COUNT(…) AS ?n) WHERE …``):
        its first row's one value, 0 when it has no row (a count grouped into no group)."""
        rows = self.select(sparql)
        if len(rows.variables) != 1:
            raise TypeError(f"expected a SELECT of one number, got {len(rows.variables)} columns")
        row = next(iter(rows), None)
        return 0 if row is None or row[0] is None else int(row[0].value)

    def triples_per_graph(self, graphs: Iterable[str] | None = None, *, under: str | None = None) -> dict[str, int]:
        """Triples in each named graph seen here (:func:`rograph.store.counts.triples_per_graph`)."""
        return triples_per_graph(self.select, graphs, under=under)


class InProcess(SparqlQueries):
    """A pyoxigraph store in this process, asked the typed way: the dataset a build is made
    from before it is a :class:`Store`, the project the curation registry reads. Its default
    graph is its own, or with ``union_default_graph`` the union of its graphs."""

    def __init__(self, store: ox.Store, *, union_default_graph: bool = False):
        self.store, self.union_default_graph = store, union_default_graph

    def query(
        self,
        sparql: str | QueryText,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> QueryResults:
        text = QueryText.of(sparql).text
        if default_graph_uris or named_graph_uris:
            return self.store.query(
                text,
                default_graph=[ox.NamedNode(uri) for uri in default_graph_uris],
                named_graphs=[ox.NamedNode(uri) for uri in named_graph_uris],
            )
        return self.store.query(text, use_default_graph_as_union=self.union_default_graph)


class Store(SparqlQueries):
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

    def graph_counts(self) -> dict[str, int]:
        """The named graphs served, each with its number of triples (from the build)."""
        return self.build.graph_counts

    def quad_count(self) -> int:
        """Number of quads served (from the build)."""
        return self.build.quad_count

    def check(self) -> list[str]:
        """Before serving: what would make the service answer from other data than the
        build's, in words an operator can act on (empty: ready). Raises
        :class:`StoreMisconfigured` or :class:`StoreUnavailable` when serving cannot work."""
        return []


def as_query_triples(parsed: Iterable[ox.Triple]) -> ox.QueryTriples:
    """Triples that came over a wire (a remote store's answer, an executor's), as the query result
    type the embedded store gives, so that every back end answers with one type."""
    holder = ox.Store()
    holder.extend(ox.Quad(t.subject, t.predicate, t.object) for t in parsed)
    return _triples(holder.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))
