"""SERVICE is refused before it runs: a listener on loopback receives nothing.

Also FROM and GRAPH IRIs that point at the listener are never dereferenced.
"""

from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.live


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ service silent <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "PREFIX remote: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE remote:sparql {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ BIND(<http://127.0.0.1:{port}/sparql> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    ],
)
def test_service_is_refused_and_makes_no_connection(live_server, listener, template):
    port, accepted = listener
    response = requests.get(live_server.sparql, params={"query": template.format(port=port)})
    assert response.status_code == 400 and "SERVICE" in response.text
    assert accepted == []


def test_from_and_graph_iris_are_not_dereferenced(live_server, listener):
    port, accepted = listener
    for query in (
        f"SELECT * FROM <http://127.0.0.1:{port}/g> WHERE {{ ?s ?p ?o }}",
        f"SELECT * WHERE {{ GRAPH <http://127.0.0.1:{port}/g> {{ ?s ?p ?o }} }}",
        f"DESCRIBE <http://127.0.0.1:{port}/thing>",
    ):
        assert requests.get(live_server.sparql, params={"query": query}).status_code == 200
    assert (
        requests.get(
            live_server.sparql,
            params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": f"http://127.0.0.1:{port}/g"},
        ).status_code
        == 200
    )
    assert accepted == []


def test_the_word_service_in_a_literal_or_name_is_not_federation(live_server):
    query = 'PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:1/>" . ?s ex:SERVICE ?o } # SERVICE <http://x/>'
    assert requests.get(live_server.sparql, params={"query": query}).status_code == 200
