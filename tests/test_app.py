"""The app in process: Flask's test client on the app ``rograph serve`` builds (the project's
validated build, the executor pool), with no server and no socket between them.

Every route's status and media type; an entity's document in each RDF format and SPARQL
answers in each results format, read back with rdflib and compared with what the source
files state (read here by rdflib, independently of the build); the error answers; the limits
the app itself enforces. What needs a socket (the front, slow clients, real client
libraries, the browser, remote stores) stays in the live layer.
"""

from __future__ import annotations

import io
import json
import re
from urllib.parse import quote

import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.query import Result

from conftest import PROJECT_DIR
from rograph.namespaces import BASE, INFERRED_GRAPH
from rograph.sparql_text import NESTING_LIMIT
from test_linked_data import RDF_FORMATS  # media type -> (suffix, rdflib's parser): one table for both layers

#: A query whose answer the query page draws as a bar chart (numbers, and a column naming them).
BAR_CHART = "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) ?class LIMIT 5"

#: (path, Accept, status, media type) for every route the app has.
ROUTES = [
    ("/", "text/html", 200, "text/html"),
    ("/.well-known/void", "text/html", 200, "text/html"),
    ("/.well-known/void", "text/turtle", 200, "text/turtle"),
    ("/browse?class=rg:Meeting", "text/html", 200, "text/html"),
    ("/dataset", "text/html", 200, "text/html"),
    ("/dumps/dataset.nq", "*/*", 200, "application/n-quads"),
    ("/dumps/dataset.ttl", "*/*", 200, "text/turtle"),
    ("/health", "*/*", 200, "application/json"),
    ("/meeting/valga-expert-meeting-2020-02-06", "text/html", 200, "text/html"),
    ("/ontology", "text/html", 200, "text/html"),
    ("/organisation/valga-city-government", "text/html", 200, "text/html"),
    ("/query", "text/html", 200, "text/html"),
    ("/query/chart.svg?view=bar&query=" + quote(BAR_CHART), "*/*", 200, "image/svg+xml"),
    ("/query/entities?search=Valg", "*/*", 200, "application/json"),
    ("/query/terms", "*/*", 200, "application/json"),
    ("/reconcile", "*/*", 200, "application/json"),
    ("/reconcile/preview?id=organisation/valga-city-government", "*/*", 200, "text/html"),
    ("/reconcile/suggest/entity?prefix=Valg", "*/*", 200, "application/json"),
    ("/reconcile/suggest/type?prefix=Meet", "*/*", 200, "application/json"),
    ("/reconcile/suggest/property?prefix=lab", "*/*", 200, "application/json"),
    ("/robots.txt", "*/*", 200, "text/plain"),
    ("/search?q=Valga", "text/html", 200, "text/html"),
    ("/shapes", "text/html", 200, "text/html"),
    ("/sitemap.xml", "*/*", 200, "application/xml"),
    ("/sparql", "text/turtle", 200, "text/turtle"),
    ("/sparql?query=ASK%20%7B%7D", "*/*", 200, "application/sparql-results+json"),
    ("/static/style.css", "*/*", 200, "text/css"),
]


def media_type(response) -> str:
    return response.headers["Content-Type"].split(";")[0].strip()


@pytest.mark.parametrize(("path", "accept", "status", "expected"), ROUTES)
def test_every_route_answers_with_its_status_and_media_type(client, path, accept, status, expected):
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert media_type(response) == expected
    assert response.data
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_every_route_of_the_app_is_in_the_table(app):
    """A route added later joins the table above (or this fails)."""
    covered = {path.split("?")[0] for path, *_ in ROUTES}
    for rule in app.url_map.iter_rules():
        example = {
            "/<path:path>": "/ontology",
            "/dumps/<name>": "/dumps/dataset.nq",
            "/static/<path:filename>": "/static/style.css",
            "/reconcile/suggest/<kind>": "/reconcile/suggest/entity",
        }.get(rule.rule, rule.rule)
        assert example in covered, rule.rule


# ---------------------------------------------------------------- linked data in every RDF format

ENTITIES = ["organisation/valga-city-government", "meeting/valga-expert-meeting-2020-02-06", "place/valga"]


@pytest.fixture(scope="module")
def source_statements() -> rdflib.Graph:
    """Every triple the data files state (any named graph), read by rdflib from the files."""
    dataset = rdflib.Dataset()
    for path in sorted((PROJECT_DIR / "data").glob("*.trig")):
        dataset.parse(path, format="trig")
    graph = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def as_triples(body: bytes, parser: str) -> rdflib.Graph:
    """A document's statements as one graph (the dataset formats' graphs merged)."""
    dataset = rdflib.Dataset()
    dataset.parse(data=body, format=parser)
    graph = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def ground(graph: rdflib.Graph) -> set:
    return {t for t in graph if not any(isinstance(term, rdflib.BNode) for term in t)}


@pytest.mark.parametrize("path", ENTITIES)
def test_an_entity_document_is_one_graph_in_every_rdf_format_holding_what_the_sources_state(
    client, source_statements, path
):
    subject = rdflib.URIRef(BASE + path)
    # The entity's own hash IRIs it links to (``…#day``) are described in its document too.
    parts = {o for o in source_statements.objects(subject, None) if str(o).startswith(str(subject) + "#")}
    stated = ground(source_statements) & {t for t in source_statements if subject in (t[0], t[2]) or t[0] in parts}
    assert len(stated) >= 3, "the entity is described in the data"
    graphs = {}
    for media, (suffix, parser) in RDF_FORMATS.items():
        response = client.get("/" + path, headers={"Accept": media})
        assert response.status_code == 200 and media_type(response) == media
        assert response.headers["Content-Location"] == f"/{path}.{suffix}"
        by_suffix = client.get(f"/{path}.{suffix}", headers={"Accept": "text/html"})
        assert by_suffix.status_code == 200 and by_suffix.data == response.data
        graphs[media] = as_triples(response.data, parser)
        # The document of the entity: what the sources say about it and what points to it.
        assert ground(graphs[media]) == stated, media
        assert all(subject in (s, o) or s in parts for s, _, o in graphs[media]), media
    turtle = graphs.pop("text/turtle")
    for media, graph in graphs.items():
        assert isomorphic(graph, turtle), media


def test_an_unknown_iri_is_404_in_the_format_asked_for(client):
    page = client.get("/organisation/no-such-body", headers={"Accept": "text/html"})
    assert page.status_code == 404 and media_type(page) == "text/html"
    assert BASE + "organisation/no-such-body" in page.get_data(as_text=True)
    for media, (_, parser) in RDF_FORMATS.items():
        document = client.get("/organisation/no-such-body", headers={"Accept": media})
        assert document.status_code == 404 and media_type(document) == media
        assert len(as_triples(document.data, parser)) == 0
    assert client.get("/place/valga", headers={"Accept": "image/png"}).status_code == 406


def test_a_dump_is_the_whole_graph_and_an_unknown_dump_is_404(client, source_statements):
    dump = as_triples(client.get("/dumps/dataset.nq").data, "nquads")
    assert ground(source_statements) <= ground(dump)
    missing = client.get("/dumps/dataset.xyz")
    assert missing.status_code == 404 and media_type(missing) == "text/plain"
    assert "dataset.xyz" in missing.get_data(as_text=True)


# ---------------------------------------------------------------- SPARQL results in every format

LABELS = f"SELECT ?label WHERE {{ <{BASE}place/valga> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"


def sparql(client, query: str, accept: str):
    return client.post("/sparql", data={"query": query}, headers={"Accept": accept})


@pytest.mark.parametrize(
    ("accept", "parser"),
    [
        ("application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/tab-separated-values", "tsv"),
        ("text/csv", "csv"),
    ],
)
def test_select_answers_in_each_results_format_read_back_by_rdflib(client, source_statements, accept, parser):
    response = sparql(client, LABELS, accept)
    assert response.status_code == 200 and media_type(response) == accept
    result = Result.parse(io.BytesIO(response.data), format=parser)
    got = {row[0] for row in result}
    expected = set(source_statements.objects(rdflib.URIRef(BASE + "place/valga"), rdflib.RDFS.label))
    assert len(expected) >= 2
    if parser == "csv":  # CSV carries the text only, not the language
        expected = {rdflib.Literal(str(label)) for label in expected}
    assert got == expected


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_ask_answers_true_and_false(client, accept):
    parser = "json" if accept.endswith("json") else "xml"
    yes = sparql(client, f"ASK {{ <{BASE}place/valga> ?p ?o }}", accept)
    no = sparql(client, f"ASK {{ <{BASE}place/nowhere> ?p ?o }}", accept)
    assert Result.parse(io.BytesIO(yes.data), format=parser).askAnswer is True
    assert Result.parse(io.BytesIO(no.data), format=parser).askAnswer is False


def test_construct_answers_the_same_graph_in_every_rdf_format(client, source_statements):
    subject = rdflib.URIRef(BASE + "organisation/valga-city-government")
    # The stated graphs only: the build's entailment graph adds the superclasses' types.
    query = f"CONSTRUCT {{ <{subject}> ?p ?o }} WHERE {{ GRAPH ?g {{ <{subject}> ?p ?o }} FILTER(?g != <{INFERRED_GRAPH}>) }}"
    expected = ground(source_statements) & set(source_statements.triples((subject, None, None)))
    graphs = {}
    for media, (_, parser) in RDF_FORMATS.items():
        response = sparql(client, query, media)
        assert response.status_code == 200 and media_type(response) == media, response.data[:300]
        graphs[media] = as_triples(response.data, parser)
        assert ground(graphs[media]) == expected, media
    turtle = graphs.pop("text/turtle")
    assert all(isomorphic(graph, turtle) for graph in graphs.values())


def test_the_service_description_is_rdf_about_the_endpoint(client):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    services = set(graph.subjects(rdflib.RDF.type, sd.Service))
    assert len(services) == 1
    assert any(str(endpoint).endswith("/sparql") for endpoint in graph.objects(next(iter(services)), sd.endpoint))


# ---------------------------------------------------------------- errors, in words, never a traceback


@pytest.mark.parametrize(
    ("request_args", "status", "words"),
    [
        ({"method": "GET", "query_string": {"query": "SELECT ?s WHERE { ?s ?p }"}}, 400, "at line 1, column"),
        (
            {"method": "GET", "query_string": {"query": "ASK {}"}, "headers": {"Accept": "image/png"}},
            406,
            "application/sparql-results+json",
        ),
        ({"method": "PUT", "data": "ASK {}"}, 405, "use GET or POST"),
        ({"method": "POST", "data": "DROP ALL", "content_type": "application/sparql-update"}, 403, "read-only"),
        ({"method": "POST", "data": {"update": "DROP ALL"}}, 403, "read-only"),
        (
            {"method": "GET", "query_string": {"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}},
            400,
            "no outbound request was made",
        ),
    ],
)
def test_a_bad_sparql_request_is_refused_in_words(client, request_args, status, words):
    response = client.open("/sparql", **request_args)
    text = response.get_data(as_text=True)
    assert response.status_code == status, text
    assert media_type(response) == "text/plain"
    assert words in text and "Traceback" not in text
    # Browsers' scripts read the error too.
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_cors_preflight_is_answered_without_running_anything(client):
    response = client.options(
        "/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"}
    )
    assert response.status_code == 204 and not response.data
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "POST", "OPTIONS"}


# ---------------------------------------------------------------- limits the app enforces itself


def test_a_body_over_the_limit_is_413_and_one_at_the_limit_is_answered(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    query = b"ASK {}"
    at_limit = client.post("/sparql", data=query + b" " * (limit - len(query)), content_type="application/sparql-query")
    assert at_limit.status_code == 200 and json.loads(at_limit.data)["boolean"] is True
    over = client.post("/sparql", data=query + b" " * (limit + 1 - len(query)), content_type="application/sparql-query")
    assert over.status_code == 413 and str(limit) in over.get_data(as_text=True)


def test_nesting_past_the_limit_is_refused_before_the_parser(client):
    def nested(depth: int) -> str:  # ASK plus depth - 1 groups inside it
        return "ASK " + "{" * depth + "}" * depth

    assert sparql(client, nested(NESTING_LIMIT), "application/sparql-results+json").status_code == 200
    refused = sparql(client, nested(NESTING_LIMIT + 1), "application/sparql-results+json")
    assert refused.status_code == 400 and str(NESTING_LIMIT) in refused.get_data(as_text=True)


def test_the_rate_limit_is_one_budget_per_address_across_routes_and_health_is_exempt(app, client):
    budget = int(app.extensions["rograph"].settings.rate_limit.split("/")[0])
    visitor, other = {"REMOTE_ADDR": "198.51.100.7"}, {"REMOTE_ADDR": "198.51.100.8"}
    for n in range(budget):
        path = "/robots.txt" if n % 2 else "/sparql?query=ASK%20%7B%7D"
        assert client.get(path, environ_base=visitor).status_code == 200, n
        assert client.get("/health", environ_base=visitor).status_code == 200  # not counted
    refused = client.get("/robots.txt", environ_base=visitor)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "/dumps/" in refused.get_data(as_text=True)
    assert client.get("/sparql?query=ASK%20%7B%7D", environ_base=visitor).status_code == 429
    assert client.get("/health", environ_base=visitor).status_code == 200
    assert client.get("/robots.txt", environ_base=other).status_code == 200
    assert client.get("/robots.txt").status_code == 200  # loopback is not limited by default


def test_counted_answers_say_what_is_left_of_the_budget_and_exempt_ones_carry_no_count(app, client):
    budget = int(app.extensions["rograph"].settings.rate_limit.split("/")[0])
    visitor = {"REMOTE_ADDR": "198.51.100.9"}
    first, second = (client.get("/robots.txt", environ_base=visitor) for _ in range(2))
    assert first.headers["X-RateLimit-Limit"] == str(budget)
    assert [int(r.headers["X-RateLimit-Remaining"]) for r in (first, second)] == [budget - 1, budget - 2]
    assert 0 < int(second.headers["Retry-After"]) <= 60
    assert "X-RateLimit-Remaining" not in client.get("/health", environ_base=visitor).headers
    assert "X-RateLimit-Remaining" not in client.get("/robots.txt").headers  # loopback: not counted


def test_the_rate_limit_answer_points_at_a_dump_that_exists(app, client):
    budget = int(app.extensions["rograph"].settings.rate_limit.split("/")[0])
    visitor = {"REMOTE_ADDR": "198.51.100.23"}
    for _ in range(budget):
        client.get("/robots.txt", environ_base=visitor)
    refused = client.get("/robots.txt", environ_base=visitor)
    assert refused.status_code == 429
    named = re.findall(r"/dumps/[\w.]+", refused.get_data(as_text=True))
    assert named and all(client.get(path).status_code == 200 for path in named)
