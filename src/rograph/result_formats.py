"""The formats a query's answer can be written in: what the executors write and what the web
layer negotiates, kept below both (an executor must not import the web layer)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class ResultFormat:
    """One way to write results: the media type sent, the pyoxigraph format, the short names."""

    media_type: str
    writer: ox.QueryResultsFormat | ox.RdfFormat | None
    names: tuple[str, ...]
    also_accepted: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        text = self.media_type.startswith("text/") or self.media_type.endswith(("+json", "+xml", "/json", "/xml"))
        return f"{self.media_type}; charset=utf-8" if text else self.media_type


#: For SELECT and ASK, in the server's order of preference.
SOLUTION_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("application/sparql-results+json", ox.QueryResultsFormat.JSON, ("json", "srj"), ("application/json",)),
    ResultFormat(
        "application/sparql-results+xml", ox.QueryResultsFormat.XML, ("xml", "srx"), ("application/xml", "text/xml")
    ),
    ResultFormat("text/csv", ox.QueryResultsFormat.CSV, ("csv",)),
    ResultFormat("text/tab-separated-values", ox.QueryResultsFormat.TSV, ("tsv",)),
)

#: For CONSTRUCT and DESCRIBE (and the service description), in the server's order of preference.
GRAPH_FORMATS: tuple[ResultFormat, ...] = (
    # Turtle is N3 without N3's extensions, so a client asking for N3 (SPARQLWrapper's N3) reads it.
    ResultFormat(
        "text/turtle",
        ox.RdfFormat.TURTLE,
        ("ttl", "turtle", "n3"),
        ("application/turtle", "application/x-turtle", "text/n3", "text/rdf+n3", "application/n3"),
    ),
    ResultFormat("application/n-triples", ox.RdfFormat.N_TRIPLES, ("nt", "ntriples", "n-triples"), ("text/plain",)),
    ResultFormat(
        "application/rdf+xml",
        ox.RdfFormat.RDF_XML,
        ("rdf", "rdfxml", "xml", "rdf+xml"),
        ("application/xml", "text/xml"),
    ),
    ResultFormat("application/ld+json", ox.RdfFormat.JSON_LD, ("jsonld", "json-ld", "json"), ("application/json",)),
    ResultFormat("application/trig", ox.RdfFormat.TRIG, ("trig",)),
    ResultFormat("application/n-quads", ox.RdfFormat.N_QUADS, ("nq", "nquads", "n-quads")),
)
