"""The SPARQL 1.1 Service Description of the endpoint, with VoID counts of its dataset."""

from __future__ import annotations

import rdflib

from rograph.config import Settings
from rograph.namespaces import DATASET_IRI, DCTERMS, FORMATS, RDF, RDFS, SD, VOID, XSD
from rograph.store.base import Store
from rograph.web.sansio import GRAPH_FORMATS, SOLUTION_FORMATS

_FORMAT_IRIS = {
    "application/sparql-results+json": FORMATS.SPARQL_Results_JSON,
    "application/sparql-results+xml": FORMATS.SPARQL_Results_XML,
    "text/csv": FORMATS.SPARQL_Results_CSV,
    "text/tab-separated-values": FORMATS.SPARQL_Results_TSV,
    "text/turtle": FORMATS.Turtle,
    "application/n-triples": FORMATS["N-Triples"],
    "application/rdf+xml": FORMATS.RDF_XML,
    "application/ld+json": FORMATS["JSON-LD"],
    "application/trig": FORMATS.TriG,
    "application/n-quads": FORMATS["N-Quads"],
}


def service_description(endpoint: str, store: Store, settings: Settings, graph_counts: dict[str, int]) -> rdflib.Graph:
    """Describe the endpoint at ``endpoint`` serving ``store``."""
    graph = rdflib.Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    service = rdflib.URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    if settings.service_allowlist:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    for fmt in SOLUTION_FORMATS + GRAPH_FORMATS:
        graph.add((service, SD.resultFormat, _FORMAT_IRIS[fmt.media_type]))
    federation = (
        "SERVICE is allowed only to: " + " ".join(settings.service_allowlist)
        if settings.service_allowlist
        else "SERVICE (federation) is off: queries naming SERVICE are refused"
    )
    graph.add(
        (
            service,
            RDFS.comment,
            rdflib.Literal(
                f"Read-only SPARQL 1.1 Query endpoint. The default graph is the union of all named graphs; "
                f"GRAPH ?g shows which source says what. Limits: a query runs at most {settings.query_timeout:g} s "
                f"(then 503); responses are at most {settings.max_response_bytes} bytes (larger results are "
                f"refused, never cut short). {federation}. FROM and GRAPH IRIs are never dereferenced.",
                lang="en",
            ),
        )
    )

    dataset = rdflib.BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, DCTERMS.source, rdflib.URIRef(DATASET_IRI)))
    # The dataset's full VoID/DCAT description (partitions, dumps, licence): at its IRI and at
    # the well-known address on this server.
    graph.add((dataset, RDFS.seeAlso, rdflib.URIRef(DATASET_IRI)))
    graph.add((service, RDFS.seeAlso, rdflib.URIRef(endpoint.rsplit("/", 1)[0] + "/.well-known/void")))
    graph.add((dataset, DCTERMS.modified, rdflib.Literal(store.built.isoformat(), datatype=XSD.dateTime)))
    default_graph = rdflib.BNode()
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    graph.add((default_graph, VOID.triples, rdflib.Literal(sum(graph_counts.values()))))
    graph.add((default_graph, DCTERMS.description, rdflib.Literal("The union of all named graphs.", lang="en")))
    for name, count in sorted(graph_counts.items()):
        named = rdflib.BNode()
        described = rdflib.BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, rdflib.URIRef(name)))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, SD.Graph))
        graph.add((described, VOID.triples, rdflib.Literal(count)))
    return graph
