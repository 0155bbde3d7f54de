"""A remote SPARQL 1.1 store (Oxigraph server, Fuseki, Virtuoso, GraphDB, QLever…) as the
back end, reached through SPARQLWrapper.

Answers are parsed into pyoxigraph's result types, so everything above the store interface
(the endpoint, the pages, ``rograph query``) works unchanged. The store's errors become the
same errors as the embedded store's: a syntax error is :class:`QuerySyntaxError`, an answer
later than the time limit :class:`StoreTimeout`, an unreachable store or an answer that is not
SPARQL :class:`StoreUnavailable`.

Two things rograph asks of the store, checked by :meth:`RemoteStore.check`: its default graph
is the union of its named graphs (Oxigraph: ``--union-default-graph``; Fuseki:
``tdb2:unionDefaultGraph true``; Virtuoso, GraphDB and QLever do so already), and it holds the
graphs of the build being served (``rograph publish`` puts them there).
"""

from __future__ import annotations

import base64
import http.client
import logging
import re
import socket
import urllib.error
from collections.abc import Sequence

import pyoxigraph as ox
from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, EndPointNotFound, QueryBadFormed, Unauthorized

from rograph.config import Settings
from rograph.namespaces import BASE, PREFIXES
from rograph.sparql_text import QueryText
from rograph.store.base import (
    QuerySyntaxError,
    Store,
    StoreMisconfigured,
    StoreTimeout,
    StoreUnavailable,
)
from rograph.store.build import Build
from rograph.store.queries import QueryResults, SparqlQueries, as_query_triples

log = logging.getLogger(__name__)

#: An IRI with a scheme (an absolute one), as the text between ``<`` and ``>`` starts.
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def with_prologue(query: QueryText) -> str:
    """``query``'s text with the project's prefixes it uses but does not declare, and the query
    base IRI (:data:`~rograph.namespaces.BASE`) if it has relative IRIs and no BASE of its own,
    on its first line (so the store's line numbers in error messages stay right; the store's own
    base would be its URL, which is not ours). Read from the query's tokens, so a prefix or an
    IRI inside a string or a comment does not count."""
    declared = query.declared_prefixes()
    used = {token.text.partition(":")[0] for token in query.tokens if token.kind == "pname"}
    prologue = [f"PREFIX {p}: <{PREFIXES[p]}>" for p in PREFIXES if p in used and p not in declared]
    relative = any(token.kind == "iri" and not _SCHEME.match(token.text[1:]) for token in query.tokens)
    if relative and not query.has_word("BASE"):
        prologue.insert(0, f"BASE <{BASE}>")
    return " ".join(prologue + [query.text]) if prologue else query.text


def basic_authorization(user: str, password: str) -> str | None:
    """The HTTP ``Authorization`` value for basic authentication, or None without a user."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode() if user else None


class SparqlClient(SparqlQueries):
    """Queries to one remote endpoint, answered as pyoxigraph results (see the module's doc
    for how errors map)."""

    def __init__(self, endpoint: str, *, timeout: float, user: str = "", password: str = ""):
        self.endpoint, self.timeout = endpoint, timeout
        self.authorization = basic_authorization(user, password)

    @classmethod
    def for_settings(cls, settings: Settings, *, timeout: float) -> SparqlClient:
        return cls(settings.store, timeout=timeout, user=settings.store_user, password=settings.store_password)

    def query(
        self,
        sparql: str | QueryText,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> QueryResults:
        query = QueryText.of(sparql)
        form = query.form
        if form is None:
            # Never forwarded: a store may run an update sent as a query (Virtuoso does, for a
            # user allowed to update), and this endpoint is read-only whatever the store allows.
            raise QuerySyntaxError(
                "not a query: a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE "
                "(after any PREFIX and BASE); updates are not accepted here"
            )
        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED)
        # Content negotiation only: SPARQLWrapper's extra format= parameters contradict our
        # Accept header, and Virtuoso answers that contradiction with 406.
        client.setOnlyConneg(True)
        # SPARQLWrapper annotates whole seconds but hands the value to urlopen, which takes a float.
        client.setTimeout(self.timeout)  # type: ignore[arg-type]
        sent = with_prologue(query)
        client.setQuery(sent)
        for uri in default_graph_uris:
            client.addDefaultGraph(uri)
        for uri in named_graph_uris:
            client.addNamedGraph(uri)
        graph_result = form in ("CONSTRUCT", "DESCRIBE")
        client.addCustomHttpHeader(
            "Accept", "application/n-triples" if graph_result else "application/sparql-results+json"
        )
        if self.authorization:
            client.addCustomHttpHeader("Authorization", self.authorization)
        try:
            response = client.query().response
            if graph_result:
                return as_query_triples(ox.parse(response, format=ox.RdfFormat.N_TRIPLES))
            # pyoxigraph only calls read() on it; its stub asks for a whole IO[bytes].
            return ox.parse_query_results(_BlankNodeLabels(response), format=ox.QueryResultsFormat.JSON)  # type: ignore[arg-type]
        except QueryBadFormed as error:
            problem = QuerySyntaxError.from_parser(_store_message(error))
            if problem.line == 1 and problem.column is not None:
                # The prologue went in front of the first line: give the column as typed.
                problem = QuerySyntaxError(problem.message, 1, max(1, problem.column - (len(sent) - len(query.text))))
            raise problem from None
        except TimeoutError as error:
            raise StoreTimeout(f"the store did not answer within {self.timeout:g} s") from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, (TimeoutError, socket.timeout)):
                raise StoreTimeout(f"the store did not answer within {self.timeout:g} s") from error
            raise StoreUnavailable(f"the store at {self.endpoint} cannot be reached: {error.reason}") from error
        except (EndPointInternalError, EndPointNotFound, Unauthorized) as error:
            raise StoreUnavailable(
                f"the store at {self.endpoint} refused the query: {_store_message(error)}"
            ) from error
        except http.client.HTTPException as error:
            # Not an OSError: e.g. more than the 100 headers Python's HTTP client reads, which
            # Virtuoso sends when it echoes a large dataset (one header per default-graph-uri).
            raise StoreUnavailable(
                f"the store at {self.endpoint} answered with an HTTP response Python cannot read: {error}"
            ) from error
        except (SyntaxError, ValueError, OSError) as error:
            raise StoreUnavailable(
                f"the store at {self.endpoint} answered with something that is not SPARQL results: {error}"
            ) from error


class RemoteStore(Store):
    """The service's queries, sent to a remote SPARQL endpoint."""

    def __init__(self, settings: Settings, build: Build):
        self.build, self.version, self.built = build, build.version, build.built
        # Answer ourselves a little before the worker's watchdog would.
        self.client = SparqlClient.for_settings(settings, timeout=max(1.0, settings.query_timeout - 1.0))
        self.endpoint = settings.store

    def query(
        self,
        sparql: str | QueryText,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> QueryResults:
        query = QueryText.of(sparql)
        if not default_graph_uris and not named_graph_uris:
            # A store set to use the union as its default graph may apply it to queries with
            # FROM too (Oxigraph's server does); the same graphs as protocol parameters are
            # the same dataset, and every store honours those.
            default_graph_uris, named_graph_uris = query.dataset_clauses()
        if not default_graph_uris and not named_graph_uris and query.form == "DESCRIBE":
            # Virtuoso describes nothing from its default graph (its describe mode needs a
            # dataset); the build's graphs, named as the dataset, are the same data on every store.
            graphs = tuple(self.build.graph_counts)
            query = QueryText(query.describe_with_dataset(graphs, graphs))
        return self.client.query(query, default_graph_uris=default_graph_uris, named_graph_uris=named_graph_uris)

    def check(self) -> list[str]:
        """What would make the service answer from other data than the build's, in words an
        operator can act on; empty when the store holds exactly the build's graphs.

        Raises :class:`StoreMisconfigured` if the store's default graph is not the union of
        its graphs (naive queries would see nothing), :class:`StoreUnavailable` if it cannot
        be reached.
        """
        graphs = list(self.build.graph_counts)
        held = self.triples_per_graph(graphs)
        problems = []
        missing = [g for g in graphs if g not in held]
        differing = [g for g in graphs if g in held and held[g] != self.build.graph_counts[g]]
        if missing:
            problems.append(
                f"{len(missing)} of the build's {len(graphs)} graphs are not in the store (e.g. {missing[0]}): run rograph publish"
            )
        if differing:
            problems.append(
                f"{len(differing)} graphs differ from the build (e.g. {differing[0]}: {held[differing[0]]} triples, "
                f"the build has {self.build.graph_counts[differing[0]]}): run rograph publish"
            )
        if held:
            sample = next(
                iter(
                    self.select(f"""SELECT ?s ?p ?o WHERE {{ GRAPH <{next(iter(held))}> {{ ?s ?p ?o }}
                FILTER(!isBlank(?s) && !isBlank(?o)) }} LIMIT 1""")
                ),
                None,
            )
            if sample is not None and not self.ask(f"ASK {{ {sample['s']} {sample['p']} {sample['o']} }}"):
                raise StoreMisconfigured(
                    f"the default graph of {self.endpoint} is not the union of its named graphs, so queries without "
                    "GRAPH would see nothing: start Oxigraph with --union-default-graph, or set tdb2:unionDefaultGraph "
                    "true in Fuseki (Virtuoso, GraphDB and QLever do this by default)"
                )
        return problems


class _BlankNodeLabels:
    """A SPARQL JSON response, read as it streams, with Virtuoso's blank node labels
    (``"nodeID://b10004"``, which are not blank node labels) made plain (``"b10004"``): the same
    node, named as SPARQL JSON and pyoxigraph expect. Nothing else is touched: the pattern is a
    bnode binding as Virtuoso writes it."""

    PATTERN = b'{ "type": "bnode", "value": "nodeID://'
    REPLACEMENT = b'{ "type": "bnode", "value": "'

    def __init__(self, response):
        self._response, self._carry = response, b""

    def read(self, size: int = -1) -> bytes:
        chunk = self._response.read(size if size and size > 0 else 65536)
        if not chunk:
            rest, self._carry = self._carry, b""
            return rest
        text = (self._carry + chunk).replace(self.PATTERN, self.REPLACEMENT)
        # Hold back what could be the start of a pattern cut by the chunk's end.
        keep = len(self.PATTERN) - 1
        self._carry, text = text[-keep:], text[:-keep]
        return text or self.read(size)


def _store_message(error: Exception) -> str:
    """The store's own words from a SPARQLWrapper error, without SPARQLWrapper's preamble."""
    text = str(error)
    for marker in ("Response:\n", "Response:"):
        if marker in text:
            text = text.split(marker, 1)[1]
    text = text.strip()
    if text.startswith("b'") or text.startswith('b"'):
        text = text[2:-1].encode().decode("unicode_escape", errors="replace")
    return text.strip()[:2000]
