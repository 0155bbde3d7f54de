"""Property-based fuzzing of every public route and parameter: whatever arrives, the answer
is a 2xx/3xx/4xx (or the 503 of a timeout), never a 5xx or a stack trace, and never later than
the time limit."""

from __future__ import annotations

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import start_server

pytestmark = pytest.mark.live

TIMEOUT = 4  # the server's query time limit in this module
PATIENCE = TIMEOUT + 15

FRAGMENTS = [
    "SELECT",
    "*",
    "WHERE",
    "{",
    "}",
    "?s",
    "?p",
    "?o",
    "rg:Meeting",
    "a",
    ".",
    ";",
    "FILTER(",
    ")",
    "OPTIONAL",
    "GRAPH",
    "?g",
    "LIMIT 5",
    "ORDER BY",
    "DESCRIBE",
    "CONSTRUCT",
    "ASK",
    "<https://w3id.org/rograph/place/valga>",
    '"x"@lv',
    "1",
    "SERVICE",
    "<http://127.0.0.1:9/>",
    "PREFIX ex: <http://e/>",
    "ex:a",
    "UNION",
    "BIND(",
    "AS",
    "VALUES",
    "GROUP BY",
    "COUNT(*)",
    "\u202e",
    "\x00",
    "é",
    "#",
    "\n",
    "FROM",
    "NAMED",
    "INSERT DATA",
    "DELETE",
]
queries = st.one_of(st.text(max_size=300), st.lists(st.sampled_from(FRAGMENTS), max_size=25).map(" ".join))
header_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=120).map(
    str.strip
)  # what a client can send
accepts = st.one_of(
    header_text,
    st.sampled_from(
        [
            "*/*",
            "text/html",
            "text/turtle;q=0.1, application/json;q=0.9",
            "application/sparql-results+xml",
            "text/csv",
            "application/n-quads",
            "image/png",
            "text/*;q=0",
            ";;;",
            "application/ld+json; q=abc",
        ]
    ),
)
paths = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "organisation/valga-city-government",
            "place/valga.ttl",
            "ontology#Meeting",
            "dataset.nq",
            "graph/x",
            "../../etc/passwd",
            "%2e%2e/%2e%2e/etc/passwd",
            "dumps/../manifest.json",
            "concept/",
            "//",
            "place/valga.html.ttl",
        ]
    ),
)
SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with start_server(tmp_path_factory.mktemp("fuzz"), workers=2, args=("--query-timeout", str(TIMEOUT))) as running:
        yield running


def check(response: requests.Response) -> None:
    assert response.status_code < 500 or (response.status_code == 503 and "limit" in response.text), (
        response.status_code,
        response.request.method,
        response.request.url[:300],
        response.text[:300],
    )
    assert "Traceback" not in response.text and 'File "' not in response.text


@SETTINGS
@given(
    query=queries,
    accept=accepts,
    fmt=st.one_of(st.none(), header_text),
    graph=st.one_of(st.none(), st.text(max_size=40)),
)
def test_sparql_get(server, query, accept, fmt, graph):
    params = {"query": query}
    if fmt is not None:
        params["format"] = fmt
    if graph is not None:
        params["default-graph-uri"] = graph
    check(requests.get(server.sparql, params=params, headers={"Accept": accept}, timeout=PATIENCE))


@SETTINGS
@given(
    body=st.one_of(st.binary(max_size=400), queries.map(lambda q: q.encode("utf-8"))),
    content_type=st.one_of(
        header_text,
        st.sampled_from(
            [
                "application/sparql-query",
                "application/x-www-form-urlencoded",
                "application/sparql-query; charset=latin-1",
                "application/sparql-update",
                "multipart/form-data",
                "",
            ]
        ),
    ),
)
def test_sparql_post(server, body, content_type):
    check(requests.post(server.sparql, data=body, headers={"Content-Type": content_type}, timeout=PATIENCE))


@SETTINGS
@given(
    path=paths,
    accept=accepts,
    lang=st.one_of(st.none(), header_text),
    page=st.one_of(st.none(), header_text),
    language=header_text,
)
def test_pages(server, path, accept, lang, page, language):
    params = {k: v for k, v in (("lang", lang), ("page", page)) if v is not None}
    check(
        requests.get(
            f"{server.url}/{path}",
            params=params,
            headers={"Accept": accept, "Accept-Language": language},
            timeout=PATIENCE,
            allow_redirects=False,
        )
    )


@SETTINGS
@given(
    query=st.one_of(st.none(), queries),
    example=st.one_of(st.none(), st.text(max_size=40)),
    cls=st.text(max_size=60),
    page=header_text,
)
def test_query_page_and_browse(server, query, example, cls, page):
    params = {k: v for k, v in (("query", query), ("example", example)) if v is not None}
    check(requests.get(server.url + "/query", params=params, timeout=PATIENCE))
    check(requests.get(server.url + "/browse", params={"class": cls, "page": page}, timeout=PATIENCE))


@SETTINGS
@given(name=st.text(max_size=60), etag=header_text, since=header_text)
def test_dumps_and_revalidation_headers(server, name, etag, since):
    check(requests.get(f"{server.url}/dumps/{name}", timeout=PATIENCE))
    check(
        requests.get(
            server.url + "/place/valga", headers={"If-None-Match": etag, "If-Modified-Since": since}, timeout=PATIENCE
        )
    )
