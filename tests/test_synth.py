"""`rograph synth`: generated data is in the ontology's shape, passes the shapes, and is
reproducible."""

from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox

from conftest import PROJECT_DIR


def _synth(tmp_path, triples: int, name: str, seed: int = 0):
    out = tmp_path / name
    done = subprocess.run(
        [sys.executable, "-m", "rograph", "synth", "--triples", str(triples), "--out", str(out), "--seed", str(seed)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return out


def test_generated_graph_passes_the_project_shapes(tmp_path):
    out = _synth(tmp_path, 6000, "world.trig")
    done = subprocess.run(
        [sys.executable, "-m", "rograph", "validate", "--project-dir", str(PROJECT_DIR), "--format", "json", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr


def test_generated_graph_has_the_size_asked_for_and_one_graph_per_source(tmp_path):
    store = ox.Store()
    store.load(path=str(_synth(tmp_path, 20000, "world.nq")), format=ox.RdfFormat.N_QUADS)
    assert 20000 <= len(store) < 20600
    graphs = {
        row["g"].value
        for row in store.query(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g <http://www.w3.org/ns/prov#wasDerivedFrom> ?s } }"
        )
    }
    assert len(graphs) == len(list(store.named_graphs())) > 50
    labels = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?m a <https://w3id.org/rograph/ontology#ExpertMeeting> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(lang(?l) IN ('lv', 'en', 'et')) }"
    )
    meetings = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?m a <https://w3id.org/rograph/ontology#ExpertMeeting> }")
    assert int(next(labels)["n"].value) == 3 * int(next(meetings)["n"].value)


def test_same_seed_same_graph_other_seed_other_graph(tmp_path):
    first, again, other = (_synth(tmp_path, 3000, f"{name}.nq", seed) for name, seed in (("a", 1), ("b", 1), ("c", 2)))
    assert first.read_bytes() == again.read_bytes() != other.read_bytes()


def test_a_format_without_graphs_is_refused_with_the_parameter_named(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "rograph", "synth", "--triples", "10", "--out", str(tmp_path / "x.ttl")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "--out" in done.stderr and "named graph" in done.stderr


def test_the_ontology_version_curations_name_is_the_ontologys():
    from rograph.namespaces import ONTOLOGY_VERSION_IRI

    store = ox.Store()
    store.load(path=str(PROJECT_DIR / "ontology" / "rograph.ttl"), format=ox.RdfFormat.TURTLE)
    versions = {
        row["v"].value
        for row in store.query(
            "SELECT ?v WHERE { <https://w3id.org/rograph/ontology> <http://www.w3.org/2002/07/owl#versionIRI> ?v }"
        )
    }
    assert versions == {ONTOLOGY_VERSION_IRI}
