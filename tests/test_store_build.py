"""Builds are validated, atomic, rebuilt on change; a bad change never replaces served data."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import requests

from conftest import DATA_FILE, PROJECT_DIR, ProjectCopy, start_server
from rograph import sources
from rograph.store.build import BuildRefused, current_build, ensure_build
from rograph.store.embedded import EmbeddedStore

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def built_var(tmp_path_factory) -> Path:
    """A var folder holding the real project's build, made once by ``ensure_build``."""
    var = tmp_path_factory.mktemp("built") / "var"
    ensure_build(sources.discover(PROJECT_DIR), var)
    return var


@pytest.fixture
def var_with_a_good_build(built_var: Path, tmp_path: Path) -> Path:
    """A var folder of this test's own, holding the build of the unedited project (a copy of
    :func:`built_var`'s: the build's version is its sources' content, wherever they are)."""
    return shutil.copytree(built_var, tmp_path / "var", symlinks=True)


def test_build_is_reused_while_sources_are_unchanged_and_redone_when_they_change(project_copy, var_with_a_good_build):
    var = var_with_a_good_build
    first = ensure_build(sources.discover(project_copy.root), var)
    assert first.path == current_build(var).path and len(list((var / "builds").iterdir())) == 1
    assert ensure_build(sources.discover(project_copy.root), var).path == first.path
    project_copy.replace(DATA_FILE, '"Jelgava"@et .', '"Jelgava"@et ; skos:altLabel "Jelgavas pilsēta"@lv .')
    second = ensure_build(sources.discover(project_copy.root), var)
    assert second.version != first.version and second.quad_count == first.quad_count + 1
    assert current_build(var).version == second.version


def test_invalid_change_is_refused_and_the_last_good_build_keeps_serving(project_copy, var_with_a_good_build, caplog):
    var = var_with_a_good_build
    good = ensure_build(sources.discover(project_copy.root), var)
    project_copy.replace(DATA_FILE, 'schema:startDate "2020-02-06"^^xsd:date ;', 'schema:startDate "yesterday" ;')
    served = ensure_build(sources.discover(project_copy.root), var)
    assert served.version == good.version
    assert "Meeting-startDate" in caplog.text
    assert len([p for p in (var / "builds").iterdir()]) == 1


def test_invalid_sources_with_no_earlier_build_are_refused(project_copy, tmp_path):
    project_copy.replace(DATA_FILE, 'schema:startDate "2020-02-06"^^xsd:date ;', 'schema:startDate "yesterday" ;')
    with pytest.raises(BuildRefused) as refused:
        ensure_build(sources.discover(project_copy.root), tmp_path / "var")
    assert "Meeting-startDate" in refused.value.report_text
    assert not (tmp_path / "var" / "current").exists()


def test_syntax_error_after_a_good_build_keeps_it(project_copy, var_with_a_good_build):
    var = var_with_a_good_build
    good = ensure_build(sources.discover(project_copy.root), var)
    (project_copy.root / DATA_FILE).write_text("<broken", encoding="utf-8")
    assert ensure_build(sources.discover(project_copy.root), var).version == good.version


def test_a_crash_mid_build_leaves_the_old_build_in_place(project_copy, var_with_a_good_build):
    """Kill a build process while it writes; the served build must be intact afterwards."""
    var = var_with_a_good_build
    good = ensure_build(sources.discover(project_copy.root), var)
    project_copy.replace(DATA_FILE, '"Jelgava"@et .', '"Jelgava"@et ; skos:altLabel "Jelgavas pilsēta"@lv .')
    crash = textwrap.dedent(f"""
        import os
        import rograph.store.build as build
        real_rename = os.rename
        def die(*args):
            os._exit(9)   # the process dies after writing the new build, before it is renamed into place
        build.os.rename = die
        from rograph import sources
        build.ensure_build(sources.discover({str(project_copy.root)!r}), __import__('pathlib').Path({str(var)!r}))
    """)
    done = subprocess.run([sys.executable, "-c", crash], capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    assert any(".tmp-" in p.name for p in (var / "builds").iterdir())
    assert current_build(var).version == good.version
    store = EmbeddedStore.from_build(current_build(var), memory_budget=2**30, processes=1)
    assert store.quad_count() == good.quad_count
    after = ensure_build(sources.discover(project_copy.root), var)
    assert after.version != good.version
    assert not any(".tmp-" in p.name for p in (var / "builds").iterdir())


def test_server_restarted_on_a_broken_change_serves_the_last_good_build(tmp_path):
    project = ProjectCopy(tmp_path / "project")
    with start_server(tmp_path, project_dir=project.root) as server:
        before = requests.get(server.sparql, params={"query": COUNT}).json()
    project.replace(
        DATA_FILE, "schema:organizer organisation:latvia-ministry-of-culture ;", "schema:organizer place:latvia ;"
    )
    with start_server(tmp_path, project_dir=project.root) as server:
        assert requests.get(server.sparql, params={"query": COUNT}).json() == before
        assert "do not validate" in server.log_text() and "Meeting-organizer" in server.log_text()


def test_serve_refuses_invalid_sources_without_an_earlier_build(tmp_path):
    project = ProjectCopy(tmp_path / "project")
    project.replace(
        DATA_FILE, "schema:organizer organisation:latvia-ministry-of-culture ;", "schema:organizer place:latvia ;"
    )
    done = subprocess.run(
        [
            str(__import__("conftest").ROGRAPH),
            "serve",
            "--project-dir",
            str(project.root),
            "--var-dir",
            str(tmp_path / "var"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Meeting-organizer" in done.stderr and "no earlier build" in done.stderr


def test_serve_data_is_validated_unless_told_not_to(tmp_path):
    mine = tmp_path / "mine.ttl"
    mine.write_text('<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "not under the base"@en .\n')
    done = subprocess.run(
        [
            str(__import__("conftest").ROGRAPH),
            "serve",
            "--data",
            str(mine),
            "--var-dir",
            str(tmp_path / "var"),
            "--project-dir",
            str(__import__("conftest").PROJECT_DIR),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "LabelledEntity" in done.stderr
    with start_server(tmp_path, data=[mine], args=("--no-validate",)) as server:
        response = requests.get(server.sparql, params={"query": "SELECT ?l WHERE { <http://example.org/a> ?p ?l }"})
        assert response.json()["results"]["bindings"][0]["l"]["value"] == "not under the base"


def test_a_store_too_large_for_the_memory_budget_is_served_from_disk_with_the_same_answers(var_with_a_good_build):
    build = ensure_build(sources.discover(PROJECT_DIR), var_with_a_good_build)
    in_memory = EmbeddedStore.from_build(build, memory_budget=2**30, processes=5)
    on_disk = EmbeddedStore.from_build(build, memory_budget=build.quad_count, processes=5)
    assert (in_memory.on_disk, on_disk.on_disk) == (False, True)
    assert (build.path / "oxigraph").is_dir() and not list(build.path.glob("oxigraph.tmp-*"))
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    rows = [[(row["g"].value, row["n"].value) for row in store.query(query)] for store in (in_memory, on_disk)]
    assert rows[0] == rows[1] and len(rows[0]) == len(build.graph_counts) >= 4
    assert on_disk.quad_count() == in_memory.quad_count() == build.quad_count
    union = "SELECT (COUNT(*) AS ?n) WHERE { ?s a rg:ExpertMeeting }"
    assert [row["n"].value for row in on_disk.query(union)] == ["1"]


def test_the_server_on_the_on_disk_store_answers_survives_a_timeout_and_shuts_down_cleanly(tmp_path):
    """Workers open the on-disk database after the fork; one replaced after a timeout opens it
    again; none crashes on exit (RocksDB state inherited across a fork once made them SIGSEGV)."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with start_server(tmp_path, env={"ROGRAPH_MEMORY_BUDGET": "1"}, args=("--query-timeout", "2")) as server:
        answers = {
            requests.get(server.sparql, params={"query": count}, headers={"Accept": "text/csv"}, timeout=30).text
            for _ in range(8)
        }
        assert requests.get(server.sparql, params={"query": slow}, timeout=30).status_code == 503
        answers.add(
            requests.get(server.sparql, params={"query": count}, headers={"Accept": "text/csv"}, timeout=30).text
        )
        assert len(answers) == 1 and int(answers.pop().split()[-1]) > 2000
        assert (tmp_path / "var" / "current" / "oxigraph").is_dir()
    log = server.log_text()
    # (a worker still booting when the server stops may be "sent SIGTERM": that is shutdown, not a crash)
    assert "SIGSEGV" not in log and "SIGABRT" not in log and "SIGBUS" not in log, log


@pytest.mark.timeout(90)
def test_the_start_up_deadline_leaves_the_store_the_time_it_takes_to_open(built_var, tmp_path, monkeypatch):
    """The executors must start within ``START_SECONDS``, but the store opening before them may
    take longer while it makes progress: at 10M quads the first start writes the on-disk database,
    which took 590 s of the 600 (docs/serving.md, "Scale"). Here the database is written from a
    named pipe that another process fills more slowly than the deadline, a store really slow to
    open; the pool starts and serves every quad. (Before, it gave up after ``START_SECONDS`` and
    then waited for ever on the broker it had not stopped.)"""
    from rograph.config import Settings
    from rograph.executor import PoolStore, pool, start_pool

    built = current_build(built_var)
    assert built is not None
    slow = tmp_path / "slow-build"
    (slow / "dumps").mkdir(parents=True)
    os.mkfifo(slow / "dumps" / "dataset.nq")
    monkeypatch.setattr(pool, "START_SECONDS", 2)
    # A process of its own writes the pipe (so that no process forked here holds its writing end): ten
    # parts, half a second apart, about 5 s in all.
    feeder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "lines = open(sys.argv[1], 'rb').readlines()\n"
            "with open(sys.argv[2], 'wb') as pipe:\n"
            "    for start in range(0, len(lines), len(lines) // 10 + 1):\n"
            "        time.sleep(0.5)\n"
            "        pipe.write(b''.join(lines[start : start + len(lines) // 10 + 1]))\n"
            "        pipe.flush()\n",
            str(built.dataset),
            str(slow / "dumps" / "dataset.nq"),
        ]
    )
    settings = Settings.from_env({"ROGRAPH_MEMORY_BUDGET": "1"}, project_dir=PROJECT_DIR, var_dir=tmp_path / "var")
    started = time.monotonic()
    try:
        served = start_pool(settings, dataclasses.replace(built, path=slow), executors=1)
    finally:
        assert feeder.wait(timeout=60) == 0
    try:
        assert time.monotonic() - started > pool.START_SECONDS  # the store did take longer than the deadline
        store = PoolStore(built, served.socket_path, max_response_bytes=2**20, query_timeout=30)
        assert [row["n"].value for row in store.query(COUNT)] == [str(built.quad_count)]
        assert (slow / "oxigraph").is_dir()
    finally:
        served.stop()


def _served_build_file(var: Path, name: str) -> Path:
    return (var / "current").resolve() / name


@pytest.mark.parametrize("damage", ["edited", "garbled", "manifest"])
def test_a_damaged_build_is_one_clear_line_and_never_served(tmp_path, damage):
    """A build whose files no longer match the SHA-256 in its manifest is not served: one line
    says which file, and the server serves a good build (here rebuilt from the sources)."""
    from conftest import ProjectCopy, start_server

    project = ProjectCopy(tmp_path / "project")
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?m a rg:ExpertMeeting }"
    with start_server(tmp_path, project_dir=project.root) as server:
        first = requests.get(server.url + "/health", timeout=30).json()["version"]
    dataset = _served_build_file(tmp_path / "var", "dumps/dataset.nq")
    if damage == "edited":  # still parses, says something else
        dataset.write_text(dataset.read_text(encoding="utf-8").replace("ExpertMeeting>", "Forged>"), encoding="utf-8")
    elif damage == "garbled":
        dataset.write_bytes(dataset.read_bytes()[:5000] + b"\x00\xff<garbage")
    else:
        manifest = _served_build_file(tmp_path / "var", "manifest.json")
        manifest.write_text(manifest.read_text(encoding="utf-8")[:100], encoding="utf-8")
    with start_server(tmp_path, project_dir=project.root) as server:
        assert requests.get(server.url + "/health", timeout=30).json()["version"] == first
        answer = requests.get(server.sparql, params={"query": count}, headers={"Accept": "text/csv"}, timeout=30)
        assert answer.text.split() == ["n", "1"]
        log = server.log_text()
        assert "Traceback" not in log
        damaged = [line for line in log.splitlines() if "damaged" in line]
        assert len(damaged) == 1, log
        assert ("manifest.json" if damage == "manifest" else "dumps/dataset.nq") in damaged[0]
