"""``rograph query`` on the local store and, through SPARQLWrapper, on a running endpoint."""

from __future__ import annotations

import json
import subprocess

import pytest

from conftest import PROJECT_DIR, ROGRAPH
from rograph.sparql_text import NESTING_LIMIT

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    """One build shared by the module's local queries."""
    return tmp_path_factory.mktemp("query-var")


MEETINGS = "SELECT ?date ?place WHERE { ?m a rg:ExpertMeeting ; schema:startDate ?date ; schema:location/rdfs:label ?place FILTER(LANG(?place) = 'en') }"


def run(*args, var_dir, env_extra=None):
    import os

    env = {**os.environ, "ROGRAPH_VAR_DIR": str(var_dir), "ROGRAPH_PROJECT_DIR": str(PROJECT_DIR), **(env_extra or {})}
    return subprocess.run([ROGRAPH, "query", *args], capture_output=True, text=True, timeout=120, env=env)


def test_local_table(tmp_path, var_dir):
    done = run(MEETINGS, var_dir=var_dir)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split("|")[0].strip() == "date" and "place" in lines[0]
    assert "2020-02-06 | Valga@en" in lines[2]
    assert lines[-1] == "(1 row)"


def test_local_json_and_csv(tmp_path, var_dir):
    parsed = json.loads(run("--format", "json", MEETINGS, var_dir=var_dir).stdout)
    assert parsed["results"]["bindings"][0]["date"]["value"] == "2020-02-06"
    assert run("--format", "csv", MEETINGS, var_dir=var_dir).stdout.splitlines() == ["date,place", "2020-02-06,Valga"]


def test_local_construct_is_turtle(tmp_path, var_dir):
    done = run("CONSTRUCT { ?p a rg:RomaMediatorPost } WHERE { ?p a rg:RomaMediatorPost }", var_dir=var_dir)
    assert done.stdout.count("rg:RomaMediatorPost") == 7  # two in Valga, five in the mediators' seminar


def test_query_from_file_and_errors(tmp_path, var_dir):
    query = tmp_path / "q.rq"
    query.write_text("ASK { ?s a rg:Figure }")
    assert run("--file", str(query), var_dir=var_dir).stdout == "true\n"
    bad = run("SELECT * WHERE { ?s ?p }", var_dir=var_dir)
    assert bad.returncode == 1 and "syntax error" in bad.stderr and "line 1" in bad.stderr
    assert run(var_dir=var_dir).returncode == 2


def test_remote_endpoint(live_server, tmp_path):
    query = "PREFIX rg: <https://w3id.org/rograph/ontology#> SELECT (COUNT(?post) AS ?posts) WHERE { ?post a rg:RomaMediatorPost }"
    done = run("--endpoint", live_server.sparql, query, var_dir=tmp_path / "unused")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[2].strip() == "7"
    csv_out = run("--endpoint", live_server.sparql, "--format", "csv", query, var_dir=tmp_path / "unused")
    assert csv_out.stdout.split() == ["posts", "7"]
    bad = run("--endpoint", live_server.sparql, "SELECT * WHERE {", var_dir=tmp_path / "unused")
    assert bad.returncode == 1
    unreachable = run("--endpoint", "http://127.0.0.1:1/sparql", query, var_dir=tmp_path / "unused")
    assert unreachable.returncode == 2 and "cannot reach" in unreachable.stderr


def test_local_queries_have_the_services_limits(var_dir, listener):
    """``rograph query`` runs in a query executor: the nesting limit, the deadline and the lack of
    network of the service apply to it too."""
    deep = run("SELECT * WHERE " + "{" * 3000 + "}" * 3000, var_dir=var_dir)
    assert deep.returncode == 1 and f"limit of {NESTING_LIMIT} levels" in deep.stderr and "Traceback" not in deep.stderr
    slow = run(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
        var_dir=var_dir,
        env_extra={"ROGRAPH_QUERY_TIMEOUT": "2"},
    )
    assert slow.returncode == 1 and "limit of 2 seconds" in slow.stderr
    port, accepted = listener
    federated = run(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}", var_dir=var_dir)
    assert federated.returncode == 1 and "SERVICE" in federated.stderr
    assert accepted == []
