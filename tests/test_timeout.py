"""A query past the deadline gets 503, frees its CPU, and leaves the server answering.

The query runs in an executor process, not in the HTTP worker: at the deadline the broker
kills that executor and starts another; the HTTP workers are never killed for a slow query.
"""

from __future__ import annotations

import threading
import time

import requests

from conftest import descendants, executor_pids, process_name, start_server, wait_for_executors

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
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            executors_after = executor_pids(server)
            if len(executors_after) == 2 and executors_after != executors_before:
                break
            time.sleep(0.1)
        assert len(executors_before - executors_after) == 1 and len(executors_after) == 2
        assert http_worker_pids(server) == workers_before

        for _ in range(6):
            started = time.monotonic()
            after = requests.get(server.sparql, params={"query": SIMPLE}, timeout=10)
            assert after.status_code == 200 and time.monotonic() - started < 2
        assert "passed the 2 s deadline" in server.log_text()
