"""Every result format carries awkward terms intact: language tags, datatypes, blank nodes,
commas, quotes, tabs, newlines and non-ASCII text (tests/fixtures/protocol/dataset.trig)."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
import rdflib
import requests

pytestmark = pytest.mark.live

EX = "http://example.org/"
SELECT = f"SELECT ?p ?o WHERE {{ GRAPH <{EX}awkward> {{ <{EX}t> ?p ?o }} }}"
CONSTRUCT = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{EX}awkward> {{ ?s ?p ?o }} }}"
TEXT = 'comma, "quotes"\ttab\nnewline and ünïcödé ✓ — ap. 160'

EXPECTED_OBJECTS = {
    ox.Literal("Valgas pilsētas pašvaldība", language="lv"),
    ox.Literal("Valga linna omavalitsus", language="et"),
    ox.Literal("2020-02-06", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
    ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.Literal("2020-03", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYearMonth")),
    ox.Literal(TEXT),
    ox.Literal("x", datatype=ox.NamedNode(EX + "datatype")),
}


def fetch(server, query, accept):
    response = requests.get(server.sparql, params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    return response.content


@pytest.mark.parametrize(
    "fmt",
    [ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.TSV],
    ids=["json", "xml", "tsv"],
)
def test_solutions_round_trip(protocol_server, fmt):
    body = fetch(protocol_server, SELECT, fmt.media_type)
    solutions = list(ox.parse_query_results(body, format=fmt))
    objects = {s["o"] for s in solutions if not isinstance(s["o"], ox.BlankNode)}
    assert objects == EXPECTED_OBJECTS
    assert sum(isinstance(s["o"], ox.BlankNode) for s in solutions) == 1


def test_csv_keeps_values_as_text(protocol_server):
    """CSV has no term types by design (SPARQL 1.1 CSV): values survive, quoting included."""
    rows = list(csv.DictReader(io.StringIO(fetch(protocol_server, SELECT, "text/csv").decode("utf-8"), newline="")))
    assert TEXT.replace("\n", "\r\n") in {r["o"] for r in rows} or TEXT in {r["o"] for r in rows}
    assert "Valgas pilsētas pašvaldība" in {r["o"] for r in rows}


@pytest.mark.parametrize(
    "accept,rdflib_format",
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
        ("application/trig", "trig"),
        ("application/n-quads", "nquads"),
    ],
)
def test_graphs_round_trip(protocol_server, accept, rdflib_format):
    body = fetch(protocol_server, CONSTRUCT, accept)
    graph = rdflib.Dataset() if rdflib_format in ("trig", "nquads") else rdflib.Graph()
    graph.parse(data=body, format=rdflib_format)
    triples = list(
        graph.triples((None, None, None))
        if not isinstance(graph, rdflib.Dataset)
        else ((s, p, o) for s, p, o, _ in graph.quads())
    )
    objects = {o for _, _, o in triples}
    assert rdflib.Literal(TEXT) in objects
    assert rdflib.Literal("Valgas pilsētas pašvaldība", lang="lv") in objects
    assert rdflib.Literal("2020-03", datatype=rdflib.XSD.gYearMonth) in objects
    assert rdflib.Literal("x", datatype=rdflib.URIRef(EX + "datatype")) in objects
    assert any(isinstance(o, rdflib.BNode) for o in objects)
    assert len(triples) == 9


def test_large_results_stream_with_bounded_memory(tmp_path):
    """A result far bigger than the buffer is streamed (chunked), and arrives whole."""
    from conftest import start_server

    data = tmp_path / "many.nt"
    with data.open("w") as out:
        for i in range(60000):
            out.write(f'<{EX}s{i}> <{EX}p> "value number {i} with some padding to make rows longer" .\n')
    with start_server(tmp_path, data=[data], args=("--no-validate",), workers=1) as server:
        response = requests.get(
            server.sparql,
            params={"query": "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o }"},
            headers={"Accept": "text/tab-separated-values"},
            stream=True,
        )
        assert response.headers.get("Transfer-Encoding") == "chunked"
        assert "Content-Length" not in response.headers
        lines = sum(chunk.count(b"\n") for chunk in response.iter_content(65536))
        assert lines == 60001


def test_response_cap_is_a_clear_error_not_truncation(tmp_path):
    from conftest import start_server

    data = tmp_path / "some.nt"
    data.write_text("".join(f'<{EX}s{i}> <{EX}p> "{i}" .\n' for i in range(2000)))
    with start_server(
        tmp_path, data=[data], args=("--no-validate", "--max-response-bytes", "5000"), workers=1
    ) as server:
        response = requests.get(server.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert response.status_code == 400
        assert "larger than the 5,000 bytes" in response.text and "LIMIT" in response.text
        small = requests.get(server.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
        assert small.status_code == 200 and len(small.json()["results"]["bindings"]) == 3
