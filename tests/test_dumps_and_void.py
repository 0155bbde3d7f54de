"""Dumps parse and match the store; the VoID/DCAT description's counts, sizes and checksums
match what is served; `rograph export` writes the same files."""

from __future__ import annotations

import gzip
import hashlib
import subprocess
import sys

import pyoxigraph as ox
import pytest
import requests

from conftest import OUR_GRAPHS, PROJECT_DIR
from rograph.namespaces import BASE

pytestmark = pytest.mark.live

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"
FORMATS = {
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def _count(server, query: str) -> int:
    response = requests.get(
        server.sparql, params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30
    )
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def void(live_server) -> ox.Store:
    store = ox.Store()
    response = requests.get(
        live_server.url + "/.well-known/void", headers={"Accept": "application/n-triples"}, timeout=30
    )
    assert response.status_code == 200
    store.load(response.content, format=ox.RdfFormat.N_TRIPLES)
    return store


def _value(store: ox.Store, subject, predicate: str):
    return next(store.quads_for_pattern(subject, ox.NamedNode(predicate), None)).object


@pytest.mark.parametrize("extension", sorted(FORMATS))
@pytest.mark.parametrize("compressed", [False, True])
def test_each_dump_parses_and_matches_the_store(live_server, extension, compressed):
    name = f"dataset.{extension}" + (".gz" if compressed else "")
    response = requests.get(f"{live_server.url}/dumps/{name}", timeout=60)
    assert response.status_code == 200
    body = gzip.decompress(response.content) if compressed else response.content
    loaded = ox.Store()
    loaded.load(body, format=FORMATS[extension])
    if extension in ("nq", "trig"):
        expected = _count(live_server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {OUR_GRAPHS} }}")
        assert len(loaded) == expected
        assert len(list(loaded.named_graphs())) == _count(
            live_server, f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {OUR_GRAPHS} }}"
        )
    else:
        expected = _count(
            live_server,
            f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {OUR_GRAPHS} }} }}",
        )
        assert len(loaded) == expected
        assert not list(loaded.named_graphs())


def test_void_counts_match_the_store(live_server, void):
    dataset = ox.NamedNode(BASE + "dataset")
    distinct = _count(
        live_server,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {OUR_GRAPHS} }} }}",
    )
    assert int(_value(void, dataset, VOID + "triples").value) == distinct
    assert int(_value(void, dataset, VOID + "classes").value) == _count(
        live_server, f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?c }} {OUR_GRAPHS} }}"
    )
    partitions = {
        _value(void, q.object, VOID + "class").value: int(_value(void, q.object, VOID + "entities").value)
        for q in void.quads_for_pattern(dataset, ox.NamedNode(VOID + "classPartition"), None)
    }
    assert partitions[BASE + "ontology#Municipality"] == 2
    for cls, entities in partitions.items():
        assert entities == _count(
            live_server, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a <{cls}> }} {OUR_GRAPHS} }}"
        ), cls
    subsets = {
        _value(void, q.object, "http://www.w3.org/ns/sparql-service-description#name").value: int(
            _value(void, q.object, VOID + "triples").value
        )
        for q in void.quads_for_pattern(dataset, ox.NamedNode(VOID + "subset"), None)
    }
    for graph, triples in subsets.items():
        assert triples == _count(live_server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"), (
            graph
        )
    assert (
        _value(void, dataset, "http://purl.org/dc/terms/license").value
        == "https://creativecommons.org/licenses/by/4.0/"
    )
    conforms = {
        q.object.value
        for q in void.quads_for_pattern(dataset, ox.NamedNode("http://purl.org/dc/terms/conformsTo"), None)
    }
    assert conforms == {BASE + "ontology", BASE + "shapes"}
    assert _value(void, dataset, VOID + "sparqlEndpoint").value == BASE + "sparql"
    examples = [q.object.value for q in void.quads_for_pattern(dataset, ox.NamedNode(VOID + "exampleResource"), None)]
    assert BASE + "meeting/valga-expert-meeting-2020-02-06" in examples


def test_every_distribution_states_its_true_size_and_checksum(live_server, void):
    dataset = ox.NamedNode(BASE + "dataset")
    distributions = [q.object for q in void.quads_for_pattern(dataset, ox.NamedNode(DCAT + "distribution"), None)]
    assert len(distributions) == 8
    for distribution in distributions:
        url = _value(void, distribution, DCAT + "downloadURL").value
        assert url.startswith(BASE + "dumps/")
        body = requests.get(live_server.url + "/" + url[len(BASE) :], timeout=60).content
        assert int(_value(void, distribution, DCAT + "byteSize").value) == len(body)
        checksum = _value(void, distribution, SPDX + "checksum")
        assert _value(void, checksum, SPDX + "checksumValue").value == hashlib.sha256(body).hexdigest()


def test_service_description_links_the_dataset_description(live_server):
    description = requests.get(live_server.sparql, headers={"Accept": "application/n-triples"}, timeout=30).text
    assert f"<{live_server.url}/.well-known/void>" in description
    assert f"<{BASE}dataset>" in description


def test_unknown_dump_is_404(live_server):
    assert requests.get(live_server.url + "/dumps/secrets.txt", timeout=30).status_code == 404
    assert requests.get(live_server.url + "/dumps/..%2Fmanifest.json", timeout=30).status_code == 404


@pytest.mark.parametrize("extension, compressed", [("trig", False), ("ttl", True)])
def test_export_writes_the_published_dump(live_server, tmp_path, extension, compressed):
    out = tmp_path / "export"
    command = [
        sys.executable,
        "-m",
        "rograph",
        "export",
        "--format",
        extension,
        "--out",
        str(out),
        "--project-dir",
        str(PROJECT_DIR),
        "--var-dir",
        str(tmp_path / "var"),
    ] + (["--gzip"] if compressed else [])
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    name = f"dataset.{extension}" + (".gz" if compressed else "")
    published = requests.get(f"{live_server.url}/dumps/{name}", timeout=60).content
    assert hashlib.sha256(out.read_bytes()).hexdigest() in done.stdout
    loaded, served = ox.Store(), ox.Store()
    fmt = FORMATS[extension]
    loaded.load(gzip.decompress(out.read_bytes()) if compressed else out.read_bytes(), format=fmt)
    served.load(gzip.decompress(published) if compressed else published, format=fmt)
    assert len(loaded) == len(served) > 2000
