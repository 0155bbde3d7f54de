"""The W3C SPARQL 1.1 Protocol query tests (sparql11/protocol), on the real server.

Each test names the W3C case it covers. Update cases are sent to this read-only endpoint and
must be refused with a 4xx.
"""

from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.live

G = "http://example.org/"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DIRECT = {"Content-Type": "application/sparql-query"}
ALL_SUBJECTS = "SELECT ?s WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s"


def subjects(response: requests.Response) -> list[str]:
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/sparql-results+json")
    return [b["s"]["value"].rsplit("/", 1)[-1] for b in response.json()["results"]["bindings"]]


# --- the three ways to send a query -------------------------------------------------------


def test_query_get(protocol_server):
    assert subjects(requests.get(protocol_server.sparql, params={"query": ALL_SUBJECTS})) == ["a", "b", "c"]
    response = requests.get(protocol_server.sparql, params={"query": "ASK { ?s ?p ?o }"})
    assert response.status_code == 200 and response.json()["boolean"] is True


def test_query_post_form(protocol_server):
    response = requests.post(protocol_server.sparql, data={"query": ALL_SUBJECTS})
    assert subjects(response) == ["a", "b", "c"]


def test_query_post_direct(protocol_server):
    response = requests.post(protocol_server.sparql, data=ALL_SUBJECTS.encode(), headers=DIRECT)
    assert subjects(response) == ["a", "b", "c"]


def test_default_graph_is_the_union_of_all_graphs(protocol_server):
    assert subjects(requests.get(protocol_server.sparql, params={"query": ALL_SUBJECTS})) == ["a", "b", "c"]


# --- dataset parameters -------------------------------------------------------------------


def test_query_dataset_default_graph(protocol_server):
    response = requests.get(protocol_server.sparql, params={"query": ALL_SUBJECTS, "default-graph-uri": G + "g1"})
    assert subjects(response) == ["a"]


def test_query_dataset_default_graphs_get(protocol_server):
    params = [("query", ALL_SUBJECTS), ("default-graph-uri", G + "g1"), ("default-graph-uri", G + "g2")]
    assert subjects(requests.get(protocol_server.sparql, params=params)) == ["a", "b"]


def test_query_dataset_default_graphs_post(protocol_server):
    body = [("query", ALL_SUBJECTS), ("default-graph-uri", G + "g1"), ("default-graph-uri", G + "g2")]
    assert subjects(requests.post(protocol_server.sparql, data=body)) == ["a", "b"]


def test_query_dataset_named_graphs(protocol_server):
    query = "SELECT ?s WHERE { GRAPH ?g { ?s <http://example.org/p> ?o } } ORDER BY ?s"
    params = [("query", query), ("named-graph-uri", G + "g1"), ("named-graph-uri", G + "g3")]
    assert subjects(requests.post(protocol_server.sparql, data=params)) == ["a", "c"]
    assert subjects(requests.get(protocol_server.sparql, params=params)) == ["a", "c"]


def test_query_dataset_full(protocol_server):
    query = "SELECT ?s WHERE { { ?s <http://example.org/p> ?o } UNION { GRAPH ?g { ?s <http://example.org/p> ?o } } } ORDER BY ?s"
    params = [
        ("query", query),
        ("default-graph-uri", G + "g1"),
        ("named-graph-uri", G + "g2"),
        ("named-graph-uri", G + "g3"),
    ]
    assert subjects(requests.get(protocol_server.sparql, params=params)) == ["a", "b", "c"]


def test_query_multiple_dataset_protocol_overrides_from(protocol_server):
    query = f"SELECT ?s FROM <{G}g3> WHERE {{ ?s <http://example.org/p> ?o }}"
    assert subjects(requests.get(protocol_server.sparql, params={"query": query})) == ["c"]
    response = requests.get(protocol_server.sparql, params={"query": query, "default-graph-uri": G + "g2"})
    # Virtuoso adds the protocol's graph to FROM rather than replacing it (a known deviation).
    assert sorted(subjects(response)) == (["b", "c"] if protocol_server.backend == "virtuoso" else ["b"])


def test_dataset_parameters_with_direct_post(protocol_server):
    response = requests.post(
        protocol_server.sparql, params={"default-graph-uri": G + "g2"}, data=ALL_SUBJECTS.encode(), headers=DIRECT
    )
    assert subjects(response) == ["b"]


# --- content types of each query form -----------------------------------------------------


@pytest.mark.parametrize(
    "accept,expected",
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_query_content_type_select(protocol_server, accept, expected):
    response = requests.get(protocol_server.sparql, params={"query": ALL_SUBJECTS}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(expected)


@pytest.mark.parametrize(
    "accept,expected",
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
    ],
)
def test_query_content_type_ask(protocol_server, accept, expected):
    response = requests.get(protocol_server.sparql, params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(expected)
    assert "true" in response.text


@pytest.mark.parametrize("form", [f"DESCRIBE <{G}a>", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"])
@pytest.mark.parametrize(
    "accept",
    [
        "text/turtle",
        "application/n-triples",
        "application/rdf+xml",
        "application/ld+json",
        "application/trig",
        "application/n-quads",
    ],
)
def test_query_content_type_describe_and_construct(protocol_server, form, accept):
    response = requests.get(protocol_server.sparql, params={"query": form}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0] == accept
    assert "example.org/a" in response.text


def test_query_content_type_construct_with_relative_iris(protocol_server):
    """W3C query_content_type_construct: ``CONSTRUCT { <s> <p> 1 } WHERE {}`` answers, its
    relative IRIs resolved against the documented base IRI."""
    response = requests.get(
        protocol_server.sparql,
        params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
        headers={"Accept": "application/n-triples"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/n-triples")
    assert response.text.split() == [
        "<https://w3id.org/rograph/s>",
        "<https://w3id.org/rograph/p>",
        '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
        ".",
    ]


def test_relative_iris_name_the_published_entities_and_a_query_base_wins(live_server):
    relative = "ASK { <organisation/valga-city-government> ?p ?o }"
    assert requests.get(live_server.sparql, params={"query": relative}).json()["boolean"] is True
    own_base = "BASE <http://example.org/> SELECT (<x> AS ?x) WHERE {}"
    rows = requests.get(live_server.sparql, params={"query": own_base}).json()["results"]["bindings"]
    assert rows == [{"x": {"type": "uri", "value": "http://example.org/x"}}]


def test_accept_q_values_and_wildcards(protocol_server):
    ask = {"query": "ASK {}"}
    assert (
        requests.get(
            protocol_server.sparql,
            params=ask,
            headers={"Accept": "text/csv;q=0.2, application/sparql-results+xml;q=0.9"},
        )
        .headers["Content-Type"]
        .startswith("application/sparql-results+xml")
    )
    assert (
        requests.get(protocol_server.sparql, params=ask, headers={"Accept": "*/*"})
        .headers["Content-Type"]
        .startswith("application/sparql-results+json")
    )
    assert (
        requests.get(protocol_server.sparql, params=ask, headers={"Accept": "text/*"})
        .headers["Content-Type"]
        .startswith("text/csv")
    )


def test_format_parameter_overrides_accept(protocol_server):
    response = requests.get(
        protocol_server.sparql,
        params={"query": ALL_SUBJECTS, "format": "csv"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.headers["Content-Type"].startswith("text/csv")


def test_nothing_acceptable_is_406_with_the_list(protocol_server):
    response = requests.get(protocol_server.sparql, params={"query": ALL_SUBJECTS}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text and "text/csv" in response.text


# --- bad requests ----------------------------------------------------------------------------


def test_bad_query_method(protocol_server):
    response = requests.put(protocol_server.sparql, params={"query": "ASK {}"})
    assert response.status_code == 405 and "GET" in response.headers["Allow"]


def test_bad_multiple_queries(protocol_server):
    response = requests.get(protocol_server.sparql, params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert response.status_code == 400 and "exactly one query" in response.text


def test_bad_query_wrong_media_type(protocol_server):
    response = requests.post(protocol_server.sparql, data=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415 and "application/sparql-query" in response.text


def test_bad_query_missing_form_type(protocol_server):
    response = requests.post(protocol_server.sparql, data=b"query=ASK%20%7B%7D", headers={"Content-Type": ""})
    assert response.status_code == 415


def test_bad_query_missing_direct_type(protocol_server):
    response = requests.post(protocol_server.sparql, data=b"ASK {}", headers={"Content-Type": ""})
    assert response.status_code == 415


def test_bad_query_non_utf8(protocol_server):
    body = 'ASK { ?s ?p "Valgā" }'.encode("iso-8859-13")
    response = requests.post(protocol_server.sparql, data=body, headers=DIRECT)
    assert response.status_code == 400 and "UTF-8" in response.text
    response = requests.post(
        protocol_server.sparql, data=body, headers={"Content-Type": "application/sparql-query; charset=ISO-8859-13"}
    )
    assert response.status_code == 415


def test_bad_query_syntax_gives_message_and_position(protocol_server):
    response = requests.get(protocol_server.sparql, params={"query": "SELECT * WHERE {\n  ?s ?p }"})
    assert response.status_code == 400
    assert "syntax error" in response.text and "line 2" in response.text
    assert ("column" in response.text) is (protocol_server.backend != "virtuoso")  # Virtuoso: a line, no column
    assert "Traceback" not in response.text


def test_missing_query_in_post(protocol_server):
    response = requests.post(protocol_server.sparql, data={"default-graph-uri": G + "g1"})
    assert response.status_code == 400 and "no query" in response.text


@pytest.mark.parametrize(
    "send",
    [
        lambda url: requests.get(url, params={"update": "CLEAR ALL"}),  # bad_update_get
        lambda url: requests.post(url, data={"update": "CLEAR ALL"}),  # update_post_form
        lambda url: requests.post(
            url, data=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"}
        ),  # update_post_direct
        lambda url: requests.post(url, data=[("update", "CLEAR ALL"), ("update", "CLEAR ALL")]),  # bad_multiple_updates
        lambda url: requests.post(
            url, data={"update": "CLEAR ALL", "using-graph-uri": G + "g1"}
        ),  # bad_update_dataset_conflict
    ],
    ids=["get", "form", "direct", "multiple", "dataset"],
)
def test_updates_are_refused(protocol_server, send):
    response = send(protocol_server.sparql)
    assert response.status_code == 403 and "read-only" in response.text
    assert subjects(requests.get(protocol_server.sparql, params={"query": ALL_SUBJECTS})) == ["a", "b", "c"]


def test_query_and_update_together(protocol_server):
    response = requests.post(protocol_server.sparql, data={"query": "ASK {}", "update": "CLEAR ALL"})
    assert response.status_code == 400 and "either a query or an update" in response.text


def test_update_keywords_sent_as_a_query_are_a_syntax_error(protocol_server):
    response = requests.get(protocol_server.sparql, params={"query": "DROP ALL"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "update",
    [
        "DROP ALL",
        "  drop all",
        "CLEAR DEFAULT",
        "PREFIX : <http://example.org/> DROP GRAPH :g1",
        "INSERT DATA { <http://example.org/x> <http://example.org/p> 'x' }",
        "DELETE WHERE { ?s ?p ?o } ; SELECT * WHERE { ?s ?p ?o }",
    ],
)
def test_an_update_sent_as_a_query_never_reaches_the_store(protocol_server, update):
    """A store may run an update sent in ``query=`` (Virtuoso does, for a user allowed to
    update, as the one rograph publishes with); this endpoint is read-only whatever the store."""
    for send in (
        lambda: requests.get(protocol_server.sparql, params={"query": update}),
        lambda: requests.post(protocol_server.sparql, data=update.encode(), headers=DIRECT),
    ):
        assert send().status_code == 400
    assert subjects(requests.get(protocol_server.sparql, params={"query": ALL_SUBJECTS})) == ["a", "b", "c"]
    assert (
        requests.get(protocol_server.sparql, params={"query": "ASK { <http://example.org/x> ?p ?o }"}).json()["boolean"]
        is False
    )


# --- CORS -------------------------------------------------------------------------------------


def test_cors_preflight_and_headers(protocol_server):
    preflight = requests.options(
        protocol_server.sparql,
        headers={
            "Origin": "https://example.net",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in preflight.headers
    answer = requests.get(protocol_server.sparql, params={"query": "ASK {}"}, headers={"Origin": "https://example.net"})
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    error = requests.get(protocol_server.sparql, params={"query": "ASK {"}, headers={"Origin": "https://example.net"})
    assert error.headers["Access-Control-Allow-Origin"] == "*"


# --- real clients ---------------------------------------------------------------------------


def test_sparqlwrapper_select_ask_construct(protocol_server):
    from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

    client = SPARQLWrapper(protocol_server.sparql)
    client.setQuery(ALL_SUBJECTS)
    client.setReturnFormat(JSON)
    assert [b["s"]["value"] for b in client.query().convert()["results"]["bindings"]] == [G + "a", G + "b", G + "c"]
    client.setReturnFormat(XML)
    assert len(client.query().convert().getElementsByTagName("result")) == 3
    client.setReturnFormat(CSV)
    assert client.query().convert().decode().splitlines() == ["s", G + "a", G + "b", G + "c"]
    client.setMethod("POST")
    client.setQuery("ASK { ?s ?p 'in g2' }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    client.setQuery(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G}g1> {{ ?s ?p ?o }} }}")
    client.setReturnFormat(TURTLE)
    assert b"in g1" in client.query().convert()


def test_rdflib_sparqlstore(protocol_server):
    import rdflib
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(SPARQLStore(protocol_server.sparql, returnFormat="json"))
    rows = list(graph.query(ALL_SUBJECTS))
    assert [str(r.s) for r in rows] == [G + "a", G + "b", G + "c"]
    assert graph.query("ASK { ?s ?p 'in g3' }").askAnswer is True
    constructed = graph.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G}g2> {{ ?s ?p ?o }} }}").graph
    assert (rdflib.URIRef(G + "b"), rdflib.URIRef(G + "p"), rdflib.Literal("in g2")) in constructed


def test_repeated_query_is_served_from_the_cache(protocol_server):
    params = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } # cache probe"}
    responses = [requests.get(protocol_server.sparql, params=params) for _ in range(6)]
    assert {r.text for r in responses} == {responses[0].text}
    assert "hit" in {r.headers["X-Cache"] for r in responses}  # 2 workers: each misses once at most


def test_health_and_request_log(protocol_server):
    health = requests.get(protocol_server.url + "/health").json()
    assert health["status"] == "ok" and health["quads"] > 0 and len(health["version"]) >= 64
    response = requests.get(protocol_server.sparql, params={"query": "ASK {}"})
    request_id = response.headers["X-Request-Id"]
    import time

    for _ in range(50):
        if f"id={request_id} method=GET path=/sparql status=200" in protocol_server.log_text():
            break
        time.sleep(0.1)
    line = next(entry for entry in protocol_server.log_text().splitlines() if f"id={request_id}" in entry)
    assert "duration_ms=" in line and "bytes=" in line
