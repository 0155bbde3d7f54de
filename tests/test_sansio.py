"""The protocol's pure functions, without a server."""

from __future__ import annotations

import pytest

from rograph.sparql_text import QueryText
from rograph.web.sansio import (
    GRAPH_FORMATS,
    SOLUTION_FORMATS,
    NotAcceptable,
    ProtocolError,
    SparqlRequest,
    choose_format,
    negotiate,
    parse_request,
)

FORM = "application/x-www-form-urlencoded"


def test_get_with_dataset():
    parsed = parse_request(
        "GET",
        None,
        "query=ASK%20%7B%7D&default-graph-uri=http%3A%2F%2Fg1&named-graph-uri=http%3A%2F%2Fg2&format=csv",
        b"",
    )
    assert parsed == SparqlRequest("ASK {}", ("http://g1",), ("http://g2",), ("csv",))


def test_get_without_query_asks_for_the_service_description():
    assert parse_request("GET", None, "", b"").query is None


def test_form_post_merges_url_dataset_parameters():
    parsed = parse_request(
        "POST", FORM + "; charset=UTF-8", "default-graph-uri=http%3A%2F%2Fg", b"query=SELECT+*+%7B%7D"
    )
    assert parsed.query == "SELECT * {}" and parsed.default_graph_uris == ("http://g",)


def test_direct_post_reads_the_body_as_utf8():
    parsed = parse_request("POST", "application/sparql-query", "", 'ASK { ?s ?p "Valgā" }'.encode())
    assert parsed.query == 'ASK { ?s ?p "Valgā" }'


@pytest.mark.parametrize(
    "args,status,words",
    [
        (("PUT", None, "query=x", b""), 405, "GET or POST"),
        (("GET", None, "query=a&query=b", b""), 400, "exactly one"),
        (("POST", "application/sparql-query", "query=a", b"ASK {}"), 400, "two queries"),
        (("POST", None, "", b"ASK {}"), 415, "Content-Type"),
        (("POST", "text/plain", "", b"ASK {}"), 415, "text/plain"),
        (("POST", "application/sparql-query", "", "ASK {}".encode("utf-16")), 400, "UTF-8"),
        (("POST", "application/sparql-query; charset=latin-1", "", b"ASK {}"), 415, "latin-1"),
        (("GET", None, "query=%FF", b""), 400, "UTF-8"),
        (("POST", FORM, "", b""), 400, "no query"),
        (("GET", None, "query=", b""), 400, "empty"),
        (("GET", None, "update=CLEAR+ALL", b""), 403, "read-only"),
        (("POST", "application/sparql-update", "", b"CLEAR ALL"), 403, "read-only"),
        (("POST", FORM, "", b"query=ASK+%7B%7D&update=CLEAR+ALL"), 400, "not both"),
    ],
)
def test_protocol_errors(args, status, words):
    with pytest.raises(ProtocolError) as error:
        parse_request(*args)
    assert error.value.status == status and words in error.value.message


@pytest.mark.parametrize(
    "accept,expected",
    [
        (None, "application/sparql-results+json"),
        ("", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
        ("text/*", "text/csv"),
        ("application/json", "application/sparql-results+json"),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        ("application/sparql-results+xml;q=0.1, */*;q=0.5", "application/sparql-results+json"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+xml"),
        ("garbage, text/csv", "text/csv"),
    ],
)
def test_negotiate_solutions(accept, expected):
    assert negotiate(accept, SOLUTION_FORMATS).media_type == expected


def test_negotiate_refuses_with_the_list_and_honours_q0():
    with pytest.raises(NotAcceptable, match="text/csv"):
        negotiate("image/png", SOLUTION_FORMATS)
    with pytest.raises(NotAcceptable):
        negotiate("text/csv;q=0", SOLUTION_FORMATS)


def test_format_override_wins_and_is_checked():
    assert negotiate("text/csv", SOLUTION_FORMATS, ("json",)).media_type == "application/sparql-results+json"
    assert negotiate(None, GRAPH_FORMATS, ("xml",)).media_type == "application/rdf+xml"
    with pytest.raises(NotAcceptable, match="format=pdf"):
        negotiate(None, GRAPH_FORMATS, ("pdf",))


@pytest.mark.parametrize(
    "offered,values,expected",
    [
        # What SPARQLWrapper sends for TSV, RDF/XML and JSON-LD: a name, then its Accept header.
        (SOLUTION_FORMATS, ("tsv", "text/tab-separated-values"), "text/tab-separated-values"),
        (GRAPH_FORMATS, ("rdf+xml", "application/rdf+xml"), "application/rdf+xml"),
        (GRAPH_FORMATS, ("json-ld", "application/ld+json,application/x-json+ld"), "application/ld+json"),
        (GRAPH_FORMATS, ("n3",), "text/turtle"),
        (GRAPH_FORMATS, ("text/rdf+n3",), "text/turtle"),
        (SOLUTION_FORMATS, ("", "csv"), "text/csv"),
        (SOLUTION_FORMATS, ("",), "application/sparql-results+json"),
    ],
)
def test_format_values_that_agree_are_one_format(offered, values, expected):
    assert negotiate(None, offered, values).media_type == expected


def test_format_values_that_disagree_are_a_400_naming_both():
    with pytest.raises(ProtocolError) as error:
        negotiate(None, SOLUTION_FORMATS, ("csv", "json"))
    assert error.value.status == 400 and "format=csv (text/csv)" in error.value.message
    assert "format=json (application/sparql-results+json)" in error.value.message


def test_choose_format_by_form():
    assert choose_format(None, "CONSTRUCT").media_type == "text/turtle"
    assert choose_format("application/sparql-results+json", "DESCRIBE").media_type == "text/turtle"
    with pytest.raises(NotAcceptable):
        choose_format("image/png", "CONSTRUCT")
    assert choose_format("text/csv", "SELECT").media_type == "text/csv"


@pytest.mark.parametrize(
    "query,form",
    [
        ("PREFIX s: <http://x/select> # SELECT\nconstruct { ?s ?p ?o } WHERE { ?s ?p 'ASK' }", "CONSTRUCT"),
        ("BASE <http://x/> DESCRIBE <a>", "DESCRIBE"),
        ("ask {}", "ASK"),
        ("PREFIX ex: <http://x/> SELECT ?ex:DESCRIBE WHERE {}", "SELECT"),
        ("", None),
    ],
)
def test_query_form(query, form):
    assert QueryText(query).form == form


def test_declares_dataset():
    assert QueryText("SELECT * FROM <http://g> WHERE {}").declares_dataset
    assert QueryText("select * from named <http://g> {}").declares_dataset
    assert not QueryText("SELECT * WHERE { ?s ?p 'FROM' } # FROM <x>").declares_dataset


def test_service_endpoints():
    query = """PREFIX e: <http://x/>
      SELECT * WHERE { # SERVICE <http://comment/>
        ?s ?p "SERVICE <http://literal/>" ; e:SERVICE ?o .
        SERVICE <http://a/sparql> { ?s ?p ?o }
        service silent e:sparql { ?s ?p ?o }
        SERVICE ?endpoint { ?s ?p ?o }
        SERVICE '''x''' {} }"""
    assert QueryText(query).service_endpoints() == ["http://a/sparql", "http://x/sparql", None, None]
    assert QueryText("SELECT * WHERE { ?s ?p ?o }").service_endpoints() == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("DESCRIBE <http://x/a>", "DESCRIBE <http://x/a> FROM <g> FROM NAMED <g>"),
        # After every described resource, before WHERE and the solution modifiers.
        (
            "PREFIX ex: <http://x/> describe ex:a ?b WHERE { ?b ?p ?o } LIMIT 1",
            "PREFIX ex: <http://x/> describe ex:a ?b FROM <g> FROM NAMED <g> WHERE { ?b ?p ?o } LIMIT 1",
        ),
        ("DESCRIBE * { ?s ?p ?o }", "DESCRIBE * FROM <g> FROM NAMED <g> { ?s ?p ?o }"),
        # A trailing comment must not swallow the clauses.
        ("DESCRIBE <http://x/a> # the resource\n", "DESCRIBE <http://x/a> FROM <g> FROM NAMED <g> # the resource"),
    ],
)
def test_a_describe_is_given_its_dataset_in_its_text(query, expected):
    assert QueryText(query).describe_with_dataset(["g"], ["g"]) == expected
    with pytest.raises(ValueError):
        QueryText("SELECT * WHERE {}").describe_with_dataset(["g"], [])


@pytest.mark.parametrize(
    ("query", "sent"),
    [
        # A project prefix used and not declared is declared, on the query's first line.
        ("SELECT * WHERE { ?s a rg:Meeting }", "PREFIX rg: <https://w3id.org/rograph/ontology#> SELECT *"),
        # Declared by the query: its own namespace stays.
        ("PREFIX rg: <http://x/> SELECT * WHERE { ?s a rg:Meeting }", "PREFIX rg: <http://x/> SELECT *"),
        # A relative IRI gets the query base; prefixed names in a string or a comment are not uses.
        ('SELECT * WHERE { <meeting/x> ?p "rg:no" } # skos:x', "BASE <https://w3id.org/rograph/> SELECT *"),
        ("BASE <http://b/> SELECT * { <x> ?p ?o }", "BASE <http://b/> SELECT *"),
        # Less-than and greater-than are not an IRI.
        ("SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }", "SELECT * { ?s ?p ?o FILTER"),
    ],
)
def test_a_query_sent_to_a_remote_store_declares_the_prefixes_and_base_it_relies_on(query, sent):
    from rograph.store.remote import with_prologue

    text = with_prologue(QueryText(query))
    assert text.startswith(sent) and text.endswith(query) and text.count("PREFIX rg:") <= 1
