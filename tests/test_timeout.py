"""A query past the deadline gets 503, frees its CPU, and leaves the server answering.

The query runs in an executor process, not in the HTTP worker: at the deadline the broker
kills that executor and starts another; the HTTP workers are never killed for a slow query.
"""

from __future__ import annotations

import threading
import time

import pytest
import requests

from conftest import descendants, process_name, start_server, wait_for_executors, wait_for_replacement

pytestmark = pytest.mark.live

PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SIMPLE = "ASK { ?s a <https://w3id.org/rograph/ontology#ExpertMeeting> }"


def http_worker_pids(server) -> set[int]:
    return {
        pid for pid in descendants(server.process.pid) if process_name(pid) not in ("rograph-exec", "rograph-broker")
    }


def test_pathological_query_times_out_and_the_server_keeps_answering(tmp_path):
    with start_server(tmp_path, env={"ROGRAPH_QUERY_TIMEOUT": "2"}, workers=2) as server:
        executors_before = wait_for_executors(server, 2)
        assert len(executors_before) == 2
        workers_before = http_worker_pids(server)
        outcome = {}

        def slow():
            started = time.monotonic()
            response = requests.post(server.sparql, data={"query": PATHOLOGICAL}, timeout=60)
            outcome.update(status=response.status_code, text=response.text, seconds=time.monotonic() - started)

        thread = threading.Thread(target=slow)
        thread.start()
        time.sleep(0.5)
        meanwhile = requests.get(server.sparql, params={"query": SIMPLE}, timeout=10)
        assert meanwhile.status_code == 200 and meanwhile.json()["boolean"] is True
        thread.join(timeout=30)

        assert outcome["status"] == 503
        assert "limit of 2 seconds" in outcome["text"]
        assert 1.9 <= outcome["seconds"] < 6

        # The executor that ran it is gone (its CPU freed) and a new one took its place; the
        # HTTP workers are the same processes.
        executors_after = wait_for_replacement(server, executors_before)
        assert len(executors_before - executors_after) == 1 and len(executors_after) == 2
        assert http_worker_pids(server) == workers_before

        for _ in range(6):
            started = time.monotonic()
            after = requests.get(server.sparql, params={"query": SIMPLE}, timeout=10)
            assert after.status_code == 200 and time.monotonic() - started < 2
        assert "passed the 2 s deadline" in server.log_text()


def test_two_executors_killed_at_once_are_both_replaced_without_a_further_query(tmp_path):
    """The broker replaces each executor it ends as soon as it ends, even when two end in the same
    round of its loop, and not only once the next query arrives: nothing is sent here until both
    replacements run."""
    with start_server(tmp_path, env={"ROGRAPH_QUERY_TIMEOUT": "2"}, workers=2) as server:
        before = wait_for_executors(server, 2)
        statuses: list[int] = []

        def slow() -> None:
            statuses.append(requests.post(server.sparql, data={"query": PATHOLOGICAL}, timeout=60).status_code)

        threads = [threading.Thread(target=slow) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        after = wait_for_executors(server, 2, other_than=before)
        assert statuses == [503, 503]
        assert len(after) == 2 and not after & before, (before, after)
        assert server.log_text().count("passed the 2 s deadline") == 2
