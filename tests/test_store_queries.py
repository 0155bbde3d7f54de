"""The store's typed query forms (``select``, ``ask``, ``construct``, ``count``,
``triples_per_graph``), on every back end: the embedded store, the executor pool's store as the
HTTP workers use it, and a remote store of each kind (Oxigraph server, Virtuoso) that the build
was published to. Each form answers with its own type, the same on all of them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import OUR_GRAPHS, PROJECT_DIR, publish_to, start_remote_store
from rograph.config import Settings
from rograph.sources import discover
from rograph.store import Store
from rograph.store.build import Build, current_build, ensure_build

B = "https://w3id.org/rograph/"
VALGA = ox.NamedNode(B + "organisation/valga-city-government")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def _build(var: Path) -> Build:
    return ensure_build(discover(PROJECT_DIR), var, validate=False)


@pytest.fixture(scope="session", params=["embedded", "pool", "oxigraph", "virtuoso"])
def store(request, tmp_path_factory) -> Iterator[Store]:
    """A store of each back end serving the project's build."""
    if request.param == "pool":
        yield request.getfixturevalue("app").extensions["rograph"].store
        return
    folder = tmp_path_factory.mktemp(f"typed-{request.param}")
    if request.param == "embedded":
        from rograph.store.embedded import EmbeddedStore

        yield EmbeddedStore.from_build(_build(folder / "var"), memory_budget=1 << 40, processes=1)
        return
    from rograph.store.remote import RemoteStore

    with start_remote_store(request.param, folder / request.param) as remote:
        done = publish_to(remote, folder / "var")
        assert done.returncode == 0, done.stdout + done.stderr
        build = current_build(folder / "var")
        assert build is not None
        yield RemoteStore(Settings.from_env({}, store=remote.query), build)


def test_select_gives_rows(store):
    rows = store.select(f"SELECT ?label WHERE {{ {VALGA} {LABEL} ?label }} ORDER BY ?label")
    assert isinstance(rows, ox.QuerySolutions)
    assert [v.value for v in rows.variables] == ["label"]
    labels = {row["label"] for row in rows}
    assert ox.Literal("Valgas pilsētas pašvaldība", language="lv") in labels


def test_ask_gives_a_bool(store):
    assert store.ask(f"ASK {{ {VALGA} {LABEL} ?label }}") is True
    assert store.ask(f"ASK {{ {VALGA} {LABEL} 'no such label' }}") is False


def test_construct_gives_triples(store):
    triples = store.construct(f"CONSTRUCT {{ {VALGA} {LABEL} ?label }} WHERE {{ {VALGA} {LABEL} ?label }}")
    assert isinstance(triples, ox.QueryTriples)
    got = set(triples)
    assert ox.Triple(VALGA, LABEL, ox.Literal("Valgas pilsētas pašvaldība", language="lv")) in got
    assert {t.subject for t in got} == {VALGA} and {t.predicate for t in got} == {LABEL}


def test_count_gives_the_number_of_rows_it_counts(store):
    pattern = f"GRAPH ?g {{ {VALGA} ?p ?o }} {OUR_GRAPHS}"
    rows = list(store.select(f"SELECT DISTINCT ?p ?o WHERE {{ {pattern} }}"))
    assert len(rows) > 3
    assert store.count(f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?p ?o WHERE {{ {pattern} }} }}") == len(rows)


def test_triples_per_graph_is_the_builds(store):
    graphs = list(store.build.graph_counts)
    assert store.triples_per_graph(graphs) == store.build.graph_counts
    one = graphs[0]
    assert store.triples_per_graph([one]) == {one: store.build.graph_counts[one]}


def test_a_form_asked_for_that_the_query_is_not_is_named(store):
    with pytest.raises(TypeError, match="expected the rows of a SELECT query, got QueryBoolean"):
        store.select("ASK { ?s ?p ?o }")
    with pytest.raises(TypeError, match="expected the answer of an ASK query, got QuerySolutions"):
        store.ask("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    with pytest.raises(TypeError, match="expected the triples of a CONSTRUCT or DESCRIBE query, got QuerySolutions"):
        store.construct("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    with pytest.raises(TypeError, match="expected a SELECT of one number, got 2 columns"):
        store.count("SELECT ?s ?p WHERE { ?s ?p ?o } LIMIT 1")


def test_a_pyoxigraph_store_in_process_is_asked_the_same_way(app):
    """The dataset a build is made from, before it is a Store: its own default graph (empty
    here), or the union of its graphs when asked so; the same counts as the build's."""
    from rograph.store.queries import InProcess

    build = app.extensions["rograph"].store.build
    dataset = ox.Store()
    dataset.bulk_load(path=str(build.dataset), format=ox.RdfFormat.N_QUADS)
    own, union = InProcess(dataset), InProcess(dataset, union_default_graph=True)
    asked = f"ASK {{ {VALGA} {LABEL} ?label }}"
    assert (own.ask(asked), union.ask(asked)) == (False, True)
    assert own.ask(f"ASK {{ GRAPH ?g {{ {VALGA} {LABEL} ?label }} }}") is True
    assert own.triples_per_graph() == build.graph_counts
    graph = next(iter(build.graph_counts))
    assert own.count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}") == build.graph_counts[graph]
    assert (
        union.count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        > own.count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        == 0
    )
