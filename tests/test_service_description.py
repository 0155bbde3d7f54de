"""GET /sparql without a query: a SPARQL 1.1 Service Description, parsed and checked."""

from __future__ import annotations

import pytest
import rdflib
import requests
from rdflib.namespace import RDF, VOID, Namespace

pytestmark = pytest.mark.live

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


def description(server, accept="text/turtle", fmt="turtle") -> rdflib.Graph:
    response = requests.get(server.sparql, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(accept)
    return rdflib.Graph().parse(data=response.content, format=fmt)


def test_service_description_describes_endpoint_dataset_and_formats(live_server):
    graph = description(live_server)
    service = rdflib.URIRef(live_server.sparql)
    assert (service, RDF.type, SD.Service) in graph
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    formats = set(graph.objects(service, SD.resultFormat))
    assert len(formats) == 10 and rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    dataset = graph.value(service, SD.defaultDataset)
    default = graph.value(dataset, SD.defaultGraph)
    health = requests.get(live_server.url + "/health").json()
    assert int(graph.value(default, VOID.triples)) == health["quads"]
    names = {
        str(graph.value(n, SD.name)): int(graph.value(graph.value(n, SD.graph), VOID.triples))
        for n in graph.objects(dataset, SD.namedGraph)
    }
    assert "https://w3id.org/rograph/graph/lv-moc-valga-expert-meeting-2020" in names
    assert sum(names.values()) == health["quads"]
    comment = str(graph.value(service, rdflib.RDFS.comment))
    assert "union of all named graphs" in comment and "SERVICE" in comment and "30 s" in comment


def test_service_description_in_other_formats(live_server):
    for accept, fmt in (
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
    ):
        graph = description(live_server, accept, fmt)
        assert (rdflib.URIRef(live_server.sparql), RDF.type, SD.Service) in graph
