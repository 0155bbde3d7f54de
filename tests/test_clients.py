"""Standard SPARQL clients, used the way their own documentation shows, in every format they
offer, by every method, for every query form; on each back end (``protocol_server``).

SPARQLWrapper (https://sparqlwrapper.readthedocs.io: ``setQuery``, ``setReturnFormat``,
``setMethod``, ``setRequestMethod``, ``query().convert()``), rdflib's ``SPARQLStore`` and
Comunica's ``comunica-sparql`` command. SPARQLWrapper warns when the answer's media type is not
the one it asked for (a RuntimeWarning); those warnings are errors here, so a wrong Content-Type
fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
import rdflib
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

pytestmark = pytest.mark.live

G = "http://example.org/"
A, P = rdflib.URIRef(G + "a"), rdflib.URIRef(G + "p")

QUERIES = {
    "SELECT": f"SELECT ?s WHERE {{ ?s <{G}p> ?o }} ORDER BY ?s",
    "ASK": "ASK { ?s ?p 'in g2' }",
    "CONSTRUCT": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G}g1> {{ ?s ?p ?o }} }}",
    "DESCRIBE": f"DESCRIBE <{G}a>",
}
EXPECTED = {
    "SELECT": [G + "a", G + "b", G + "c"],
    "ASK": True,
    "CONSTRUCT": {(A, P, rdflib.Literal("in g1"))},
    "DESCRIBE": {(A, P, rdflib.Literal("in g1"))},
}
#: SPARQLWrapper's return formats for each query form (the ones it sends a specific Accept for;
#: any other it warns about and sends ``*/*``). N-Triples has no constant of its own: it is asked
#: for by Accept (see ``ask``).
FORMATS = {
    "SELECT": [JSON, XML, CSV, TSV],
    "ASK": [JSON, XML, CSV, TSV],
    "CONSTRUCT": [JSONLD, N3, TURTLE, RDFXML, XML, "n-triples"],
    "DESCRIBE": [JSONLD, N3, TURTLE, RDFXML, XML, "n-triples"],
}
METHODS = {"GET": (GET, None), "form POST": (POST, URLENCODED), "direct POST": (POST, POSTDIRECTLY)}
CASES = [(form, fmt, method) for form, formats in FORMATS.items() for fmt in formats for method in METHODS]


def ask(endpoint: str, form: str, fmt: str, method: str):
    """Send the query as SPARQLWrapper's documentation does, and return ``convert()``'s value."""
    client = SPARQLWrapper(endpoint)
    client.setQuery(QUERIES[form])
    http_method, encoding = METHODS[method]
    client.setMethod(http_method)
    if encoding:
        client.setRequestMethod(encoding)
    if fmt == "n-triples":
        client.setReturnFormat(N3)
        client.setOnlyConneg(True)
        client.addCustomHttpHeader("Accept", "application/n-triples")
    else:
        client.setReturnFormat(fmt)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # SPARQLWrapper's "format requested was …"
        result = client.query()
        media_type = result.info()["content-type"]
        return media_type, result.convert()


def as_answer(form: str, fmt: str, converted):
    """The converted result as a plain Python value comparable with :data:`EXPECTED`."""
    if form in ("CONSTRUCT", "DESCRIBE"):
        if isinstance(converted, bytes):  # N3, Turtle, N-Triples: the bytes, for rdflib to read
            converted = rdflib.Graph().parse(data=converted, format="nt" if fmt == "n-triples" else "turtle")
        return set(converted)
    if fmt == JSON:
        return converted["boolean"] if form == "ASK" else [b["s"]["value"] for b in converted["results"]["bindings"]]
    if fmt == XML:
        if form == "ASK":
            return converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
        return [uri.firstChild.data for uri in converted.getElementsByTagName("uri")]
    lines = converted.decode("utf-8").splitlines()
    if form == "ASK":
        return lines[-1] == "true"
    return [line.strip("<>") for line in lines[1:]]


@pytest.mark.parametrize("form,fmt,method", CASES, ids=[f"{f}-{fmt}-{m.replace(' ', '_')}" for f, fmt, m in CASES])
def test_sparqlwrapper_every_format_method_and_form(protocol_server, form, fmt, method):
    media_type, converted = ask(protocol_server.sparql, form, fmt, method)
    assert as_answer(form, fmt, converted) == EXPECTED[form], media_type


def test_n3_is_served_as_turtle(protocol_server):
    import requests

    for accept in ("text/n3", "text/rdf+n3", "application/n3"):
        response = requests.get(
            protocol_server.sparql, params={"query": QUERIES["CONSTRUCT"]}, headers={"Accept": accept}, timeout=30
        )
        assert response.status_code == 200, (accept, response.text)
        assert response.headers["Content-Type"].startswith("text/turtle")
        assert set(rdflib.Graph().parse(data=response.text, format="n3")) == EXPECTED["CONSTRUCT"]


def test_a_format_parameter_that_agrees_with_itself_is_fine_one_that_does_not_is_400(protocol_server):
    import requests

    same = [("query", QUERIES["SELECT"]), ("format", "tsv"), ("format", "text/tab-separated-values")]
    response = requests.get(protocol_server.sparql, params=same, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/tab-separated-values")
    differing = [("query", QUERIES["SELECT"]), ("format", "json"), ("format", "csv")]
    response = requests.get(protocol_server.sparql, params=differing, timeout=30)
    assert response.status_code == 400
    assert "format" in response.text and "json" in response.text and "csv" in response.text


@pytest.mark.parametrize("return_format", ["json", "xml"])
def test_rdflib_sparqlstore_every_form(protocol_server, return_format):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(SPARQLStore(protocol_server.sparql, returnFormat=return_format))
    assert [str(row.s) for row in graph.query(QUERIES["SELECT"])] == EXPECTED["SELECT"]
    assert graph.query(QUERIES["ASK"]).askAnswer is True
    assert set(graph.query(QUERIES["CONSTRUCT"]).graph) == EXPECTED["CONSTRUCT"]
    assert set(graph.query(QUERIES["DESCRIBE"]).graph) == EXPECTED["DESCRIBE"]
    assert (A, P, rdflib.Literal("in g1")) in graph


# ------------------------------------------------------------------ Comunica (npm, tests/clients)

COMUNICA = Path(__file__).parent / "clients" / "node_modules" / ".bin" / "comunica-sparql"


@pytest.fixture(scope="session")
def comunica() -> str:
    if not COMUNICA.exists():
        if os.environ.get("ROGRAPH_REQUIRE_COMUNICA"):
            pytest.fail(f"{COMUNICA} is missing: run `npm ci --prefix tests/clients` (.ci/run does)")
        pytest.skip("Comunica is not installed: npm ci --prefix tests/clients")
    if shutil.which("node") is None:
        pytest.fail("Comunica is installed but node is not on PATH")
    return str(COMUNICA)


def run_comunica(comunica: str, endpoint: str, query: str, media_type: str) -> str:
    done = subprocess.run(
        [comunica, f"sparql@{endpoint}", query, "--outputType", media_type], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


# Comunica asks the endpoint for results in formats of its own choosing and writes them out as
# --outputType says; its writers cover every form in JSON and RDF (not ASK in CSV/TSV).
@pytest.mark.parametrize(
    "form,media_type",
    [
        ("SELECT", "application/sparql-results+json"),
        ("SELECT", "text/csv"),
        ("ASK", "application/sparql-results+json"),
        ("CONSTRUCT", "application/n-triples"),
        ("DESCRIBE", "text/turtle"),
        ("CONSTRUCT", "application/ld+json"),
    ],
)
def test_comunica_every_form(protocol_server, comunica, form, media_type):
    out = run_comunica(comunica, protocol_server.sparql, QUERIES[form], media_type)
    if form == "SELECT" and media_type == "text/csv":
        assert as_answer(form, CSV, out.encode()) == EXPECTED["SELECT"]
    elif form in ("SELECT", "ASK"):
        assert as_answer(form, JSON, json.loads(out)) == EXPECTED[form]
    else:
        rdflib_format = {"application/n-triples": "nt", "text/turtle": "turtle", "application/ld+json": "json-ld"}[
            media_type
        ]
        assert set(rdflib.Graph().parse(data=out, format=rdflib_format)) == EXPECTED[form]
