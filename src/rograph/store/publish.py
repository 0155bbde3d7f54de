"""``rograph publish``: put the validated build into a remote store, one named graph at a time.

The order of work makes it safe to run against a store others use, and to run again:

1. build and validate (an invalid change is refused with the validator's report, and nothing
   is sent);
2. replace each of the build's named graphs in the store, with the Graph Store Protocol (PUT)
   when the store has one, else one SPARQL Update request per graph (DROP SILENT + INSERT … WHERE {});
3. drop the graphs rograph published earlier (under ``{BASE}graph/``) that the build no longer
   has; graphs outside that namespace are never touched;
4. count each graph in the store and compare with the build.

Every step is idempotent, so a run cut short is completed by the next; the report says which
graphs were replaced and which were not.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from rograph.config import Settings
from rograph.namespaces import BASE
from rograph.store.build import Build
from rograph.store.remote import basic_authorization

#: Graphs under this namespace are rograph's own: publish may replace or drop them.
OWNED_GRAPHS = BASE + "graph/"


class PublishError(Exception):
    """Publishing cannot go on; the message says why (for a failed request: the graph and the
    store's answer)."""


class NowhereToWrite(PublishError):
    """No endpoint to write with: neither the Graph Store Protocol's nor SPARQL Update's is set."""


@dataclass
class PublishReport:
    replaced: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    mismatched: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.failed and not self.mismatched


class StoreWriter:
    """Writes named graphs into a remote store, by Graph Store Protocol or SPARQL Update."""

    def __init__(self, settings: Settings):
        if not (settings.store_gsp or settings.store_update):
            raise NowhereToWrite("publishing needs ROGRAPH_STORE_GSP (--gsp) or ROGRAPH_STORE_UPDATE (--update)")
        self.settings = settings
        authorization = basic_authorization(settings.store_user, settings.store_password)
        self._headers = {"Authorization": authorization} if authorization else {}

    def replace(self, graph: str, ntriples: bytes) -> None:
        if self.settings.store_gsp:
            self._gsp("PUT", graph, ntriples)
        else:
            # INSERT … WHERE {} rather than INSERT DATA: the same for SPARQL 1.1, and Virtuoso
            # refuses blank nodes in INSERT DATA. In batches (Virtuoso refuses an update whose
            # SQL passes 10,000 lines), each holding whole blank-node structures, since a blank
            # node of an INSERT template is new in every request.
            self.update(f"DROP SILENT GRAPH <{graph}>")
            for batch in _batches(list(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))):
                body = _ntriples(batch).decode()
                self.update(f"INSERT {{ GRAPH <{graph}> {{\n{body}\n}} }} WHERE {{}}")

    def drop(self, graph: str) -> None:
        if self.settings.store_gsp:
            self._gsp("DELETE", graph, None)
        else:
            self.update(f"DROP SILENT GRAPH <{graph}>")

    def _gsp(self, method: str, graph: str, body: bytes | None) -> None:
        url = (
            self.settings.store_gsp
            + ("&" if "?" in self.settings.store_gsp else "?")
            + urllib.parse.urlencode({"graph": graph})
        )
        headers = dict(self._headers)
        if body is not None:
            headers["Content-Type"] = "application/n-triples"
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=600) as response:
                response.read()
        except urllib.error.HTTPError as error:
            if method == "DELETE" and error.code == 404:
                return
            raise PublishError(
                f"{method} {graph}: the store answered {error.code} {error.read()[:500].decode(errors='replace')}"
            ) from None
        except (urllib.error.URLError, OSError) as error:
            raise PublishError(f"{method} {graph}: {getattr(error, 'reason', error)}") from None

    def update(self, text: str) -> None:
        from SPARQLWrapper import POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        client = SPARQLWrapper(self.settings.store, updateEndpoint=self.settings.store_update)
        client.setMethod(POST)
        client.setTimeout(600)
        for name, value in self._headers.items():
            client.addCustomHttpHeader(name, value)
        client.setQuery(text)
        try:
            client.query()
        except (SPARQLWrapperException, urllib.error.URLError, OSError) as error:
            raise PublishError(f"update: {str(error)[:500]}") from None


#: Triples per SPARQL Update request when publishing without the Graph Store Protocol.
UPDATE_BATCH = 500


def _ntriples(triples: Iterable[ox.Triple]) -> bytes:
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert data is not None  # given no output, pyoxigraph returns the bytes
    return data


def _batches(triples: list[ox.Triple]) -> list[list[ox.Triple]]:
    """``triples`` in batches of about :data:`UPDATE_BATCH`, never splitting the triples that
    share blank nodes (a batch may exceed the size to keep one structure whole)."""
    parent: dict = {}

    def root(node):
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for triple in triples:
        blanks = [term for term in (triple.subject, triple.object) if isinstance(term, ox.BlankNode)]
        for other in blanks[1:]:
            parent[root(other)] = root(blanks[0])
    groups: dict = {}
    for index, triple in enumerate(triples):
        blank = next((term for term in (triple.subject, triple.object) if isinstance(term, ox.BlankNode)), None)
        groups.setdefault(root(blank) if blank is not None else index, []).append(triple)
    batches: list[list[ox.Triple]] = [[]]
    for group in groups.values():
        if batches[-1] and len(batches[-1]) + len(group) > UPDATE_BATCH:
            batches.append([])
        batches[-1].extend(group)
    return [batch for batch in batches if batch]


def remote_counts(settings: Settings, graphs: list[str] | None) -> dict[str, int]:
    """Triples per graph in the store: of ``graphs``, or of every graph rograph owns."""
    from rograph.store.remote import SparqlClient

    client = SparqlClient.for_settings(settings, timeout=600.0)
    return client.triples_per_graph(graphs, under=OWNED_GRAPHS if graphs is None else None)


def publish(build: Build, settings: Settings, progress: Callable[[int, int, str], None]) -> PublishReport:
    """Replace the build's graphs in the store, drop the ones it no longer has, verify.

    The store is asked which graphs it holds first: a store out of reach is then one
    :class:`StoreUnavailable` before anything is sent, not a failure per graph.
    """
    writer = StoreWriter(settings)
    owned = set(remote_counts(settings, None))
    dataset = ox.Store()
    dataset.bulk_load(path=str(build.dataset), format=ox.RdfFormat.N_QUADS)
    graphs = sorted(build.graph_counts)
    report = PublishReport()
    for index, graph in enumerate(graphs, start=1):
        triples = (
            ox.Triple(q.subject, q.predicate, q.object)
            for q in dataset.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        )
        try:
            writer.replace(graph, _ntriples(triples))
            report.replaced.append(graph)
        except PublishError as error:
            report.failed[graph] = str(error)
        progress(index, len(graphs), graph)
    if report.failed:
        return report
    for graph in sorted(owned - set(graphs)):
        writer.drop(graph)
        report.dropped.append(graph)
    held = remote_counts(settings, graphs)
    for graph in graphs:
        if held.get(graph, 0) != build.graph_counts[graph]:
            report.mismatched[graph] = (held.get(graph, 0), build.graph_counts[graph])
    return report
