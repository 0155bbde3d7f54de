"""A query past the deadline gets 503, frees its CPU, and leaves the server answering."""

from __future__ import annotations

import os
import threading
import time

import requests

from conftest import start_server

PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SIMPLE = "ASK { ?s a <https://w3id.org/rograph/ontology#ExpertMeeting> }"


def worker_pids(master: int) -> set[int]:
    return {int(p) for p in os.listdir("/proc") if p.isdigit() and _parent(int(p)) == master}


def _parent(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except OSError:
        return None


def test_pathological_query_times_out_and_the_server_keeps_answering(tmp_path):
    with start_server(tmp_path, env={"ROGRAPH_QUERY_TIMEOUT": "2"}, workers=2) as server:
        # /health answers as soon as one worker is up; wait for both.
        deadline = time.monotonic() + 10
        while len(worker_pids(server.process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        workers_before = worker_pids(server.process.pid)
        assert len(workers_before) == 2
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

        # The worker that ran it is gone (its CPU freed) and a new one took its place.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            workers_after = worker_pids(server.process.pid)
            if len(workers_after) == 2 and workers_after != workers_before:
                break
            time.sleep(0.1)
        assert len(workers_before - workers_after) == 1 and len(workers_after) == 2

        for _ in range(6):
            started = time.monotonic()
            after = requests.get(server.sparql, params={"query": SIMPLE}, timeout=10)
            assert after.status_code == 200 and time.monotonic() - started < 2
        assert "passed the 2 s deadline" in server.log_text()
