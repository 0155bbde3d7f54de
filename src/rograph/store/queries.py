"""Asking SPARQL the typed way: each query form with its own result type, written once for
anything that answers SPARQL (the stores that serve, a pyoxigraph store a build is made from)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence

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


def as_query_triples(parsed: Iterable[ox.Triple]) -> ox.QueryTriples:
    """Triples that came over a wire (a remote store's answer, an executor's), as the query result
    type the embedded store gives, so that every back end answers with one type."""
    holder = ox.Store()
    holder.extend(ox.Quad(t.subject, t.predicate, t.object) for t in parsed)
    return _triples(holder.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))
