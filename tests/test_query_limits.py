"""One set of limits for every route that runs a query, enforced where the query runs.

Memory bombs are stopped at ``ROGRAPH_QUERY_MEMORY`` with a clear error while others keep
being answered; deeply nested queries get a 400 naming the nesting limit on /sparql and on
/query without any process dying; /query honours ``ROGRAPH_MAX_RESPONSE_BYTES``; one client's
long queries leave the others' cheap ones answered within 2 s; rate-limit counts are exact
across workers and survive the workers' deaths.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

import pytest
import requests

from conftest import (
    PROJECT_DIR,
    descendants,
    executor_pids,
    process_name,
    start_server,
    wait_for_executors,
    wait_for_replacement,
)
from rograph.sparql_text import NESTING_LIMIT, QueryText

pytestmark = pytest.mark.live

sys.path.insert(0, str(PROJECT_DIR / "benchmarks"))
from harness import memory_mib  # noqa: E402  (PSS of a process tree)

CHEAP = "ASK { ?s a <https://w3id.org/rograph/ontology#ExpertMeeting> }"
LONG = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
MiB = 1024 * 1024


def get_from(address: str, url: str, params: dict, timeout: float = 60) -> tuple[int, dict, bytes]:
    """A GET from the loopback address ``address`` (each 127.x.y.z is another client)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout, source_address=(address, 0))
    try:
        connection.request("GET", parts.path + "?" + urlencode(params))
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _doubling(times: int) -> str:
    steps = "".join(
        f"BIND(CONCAT(?v{i}, ?v{i}, ?v{i}, ?v{i}, ?v{i}, ?v{i}, ?v{i}, ?v{i}) AS ?v{i + 1}) " for i in range(times)
    )
    return f'SELECT (STRLEN(?v{times}) AS ?n) WHERE {{ BIND("0123456789abcdef" AS ?v0) {steps}}}'


MEMORY_BOMBS = {
    "string doubling": _doubling(9),
    "DISTINCT over a product": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?a ?c ?f ?i WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } }",
    "ORDER BY over a product": "SELECT ?a ?c ?f WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 1",
    "CONSTRUCT over a product": "CONSTRUCT { ?a ?b ?x } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i BIND(CONCAT(STR(?c), STR(?f), STR(?i)) AS ?x) } ORDER BY ?x LIMIT 1",
}
#: A DISTINCT whose rows stream out while its memory grows: the answer has started when the
#: ceiling stops it, so the client sees it cut off (no final chunk), never a shortened success.
STREAMING_BOMB = "SELECT DISTINCT ?a ?c ?f ?i WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_memory_bombs_are_stopped_at_the_ceiling_and_the_service_keeps_answering(tmp_path):
    ceiling = 256 * MiB
    env = {"ROGRAPH_QUERY_MEMORY": str(ceiling), "ROGRAPH_QUERY_TIMEOUT": "60"}
    with start_server(tmp_path, env=env, workers=2) as server:
        wait_for_executors(server, 2)
        base = memory_mib(server.process.pid)
        peak = {"mib": base}
        stop = threading.Event()

        def watch():
            while not stop.is_set():
                peak["mib"] = max(peak["mib"], memory_mib(server.process.pid))
                time.sleep(0.2)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            for name, query in MEMORY_BOMBS.items():
                with ThreadPoolExecutor(1) as pool:
                    bomb = pool.submit(requests.post, server.sparql, data={"query": query}, timeout=90)
                    time.sleep(0.3)
                    # Meanwhile the other executor answers.
                    meanwhile = requests.get(server.sparql, params={"query": CHEAP}, timeout=10)
                    assert meanwhile.status_code == 200 and meanwhile.json()["boolean"] is True, name
                    stopped = bomb.result()
                assert stopped.status_code == 400, (name, stopped.status_code, stopped.text[:300])
                assert "ROGRAPH_QUERY_MEMORY" in stopped.text and "256 MiB" in stopped.text, name
                assert "Traceback" not in stopped.text
                after = requests.get(server.sparql, params={"query": CHEAP}, timeout=10)
                assert after.status_code == 200 and after.json()["boolean"] is True
        finally:
            stop.set()
            watcher.join()
        assert len(wait_for_executors(server, 2)) == 2
        print(
            f"\nmemory bombs: service PSS {base:.0f} MiB before, peak {peak['mib']:.0f} MiB, ceiling 2 x {ceiling // MiB} MiB"
        )
        # The whole service stays under executors x ceiling plus what it held before.
        assert peak["mib"] < base + 2 * ceiling / MiB, (base, peak)
        assert "passed the memory ceiling" in server.log_text()


def test_a_streaming_memory_bomb_is_cut_off_and_the_service_keeps_answering(tmp_path):
    env = {"ROGRAPH_QUERY_MEMORY": str(256 * MiB), "ROGRAPH_QUERY_TIMEOUT": "60"}
    with start_server(tmp_path, env=env, workers=2) as server:
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            _ = requests.post(
                server.sparql, data={"query": STREAMING_BOMB}, headers={"Accept": "text/csv"}, timeout=90
            ).content
        assert requests.get(server.sparql, params={"query": CHEAP}, timeout=10).json()["boolean"] is True
        assert len(wait_for_executors(server, 2)) == 2
        assert "passed the memory ceiling" in server.log_text()


def _deep(depth: int, opening: str, closing: str) -> str:
    return "SELECT * WHERE { " + opening * depth + closing * depth + " }"


DEEP_QUERIES = {
    "groups": _deep(5000, "{ ", "} "),
    "OPTIONALs": "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 3000 + "}" * 3000 + " }",
    "brackets": "SELECT (" + "(" * 5000 + "1" + ")" * 5000 + " AS ?x) WHERE {}",
}


@pytest.mark.parametrize("kind", DEEP_QUERIES)
def test_deeply_nested_queries_get_a_400_naming_the_limit_and_nothing_dies(live_server, kind):
    executors = executor_pids(live_server)
    workers = set(descendants(live_server.process.pid)) - executors
    query = DEEP_QUERIES[kind]
    on_sparql = requests.post(live_server.sparql, data={"query": query}, timeout=30)
    assert on_sparql.status_code == 400 and f"limit of {NESTING_LIMIT} levels" in on_sparql.text, on_sparql.text[:300]
    # /query takes its query in the URL; a URL this long is refused (414) before it runs, so the
    # page is tried with a nesting over the limit that fits in the request line.
    short = "SELECT * WHERE " + "{" * (NESTING_LIMIT + 1) + "}" * (NESTING_LIMIT + 1)
    on_page = requests.get(live_server.url + "/query", params={"query": short}, timeout=30)
    assert on_page.status_code == 400 and f"limit of {NESTING_LIMIT} levels" in on_page.text
    assert requests.get(live_server.sparql, params={"query": short}, timeout=30).status_code == 400
    assert requests.get(live_server.sparql, params={"query": CHEAP}, timeout=30).json()["boolean"] is True
    assert executor_pids(live_server) == executors
    assert set(descendants(live_server.process.pid)) - executors == workers


def _at_depth(depth: int, shape: str) -> str:
    """A query whose brackets nest exactly ``depth`` deep, in one of the shapes that make parsers
    and planners recurse."""
    inner = depth - 1  # the WHERE group is one level
    return {
        "groups": "SELECT * WHERE " + "{ " * depth + "}" * depth,
        "OPTIONALs": "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * inner + "}" * inner + " }",
        "brackets": "SELECT * WHERE { BIND(" + "(" * (depth - 2) + "1" + ")" * (depth - 2) + " AS ?x) }",
        "blank-node lists": "SELECT * WHERE { ?s ?p " + "[ ?p " * inner + "1" + " ]" * inner + " }",
    }[shape]


@pytest.mark.parametrize("shape", ["groups", "OPTIONALs", "brackets", "blank-node lists"])
def test_a_query_nested_at_the_limit_is_answered_and_the_store_survives_it(live_server, shape):
    """Up to the limit a query runs, on every back end, and the store behind it lives on. A remote
    store is not ours to give a deeper stack: Virtuoso died on OPTIONALs nested 74 deep; a stock
    Oxigraph server's request threads overflowed (and the server died) on OPTIONALs nested 700 deep
    and on groups nested 999 deep (in CI, under rograph's former limit of 1000), and it spent 13 s
    it does not cancel planning blank-node lists nested 160 deep."""
    query = _at_depth(NESTING_LIMIT, shape)
    assert QueryText(query).nesting_depth() == NESTING_LIMIT
    response = requests.post(live_server.sparql, data={"query": query}, headers={"Accept": "text/csv"}, timeout=60)
    assert response.status_code == 200, response.text[:300]
    assert requests.get(live_server.sparql, params={"query": CHEAP}, timeout=30).json()["boolean"] is True


def test_query_page_honours_the_response_size_cap(tmp_path):
    cap = 200_000
    with start_server(tmp_path, env={"ROGRAPH_MAX_RESPONSE_BYTES": str(cap)}, workers=1) as server:
        big = _doubling(6).replace("SELECT (STRLEN(?v6) AS ?n)", "SELECT ?v6")  # one 4 MiB string
        page = requests.get(server.url + "/query", params={"query": big}, timeout=60)
        assert page.status_code == 400
        assert len(page.content) < cap and f"{cap:,} bytes" in page.text
        many = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"  # every triple: over the cap as an answer
        assert requests.get(server.sparql, params={"query": many}, timeout=60).status_code == 400
        assert requests.get(server.url + "/query", params={"query": many}, timeout=60).status_code == 400
        assert requests.get(server.url + "/query", params={"query": CHEAP}, timeout=60).status_code == 200


def test_one_clients_long_queries_leave_others_answered_within_two_seconds(tmp_path):
    env = {"ROGRAPH_RATE_LIMIT_LOOPBACK": "true", "ROGRAPH_QUERY_TIMEOUT": "8", "ROGRAPH_RATE_LIMIT": "1000/minute"}
    with start_server(tmp_path, env=env, workers=4) as server:
        wait_for_executors(server, 4)
        with ThreadPoolExecutor(8) as heavy:
            long_ones = [heavy.submit(get_from, "127.0.0.2", server.sparql, {"query": LONG}) for _ in range(8)]
            time.sleep(1.0)
            slowest = 0.0
            for round_ in range(10):
                for client in ("127.0.0.3", "127.0.0.4"):
                    started = time.monotonic()
                    status, _, body = get_from(
                        client, server.sparql, {"query": CHEAP + f" LIMIT {round_ + 1}"}, timeout=10
                    )
                    slowest = max(slowest, time.monotonic() - started)
                    assert status == 200 and json.loads(body)["boolean"] is True
                time.sleep(0.2)
            outcomes = [future.result() for future in long_ones]
        print(f"\nfair share: slowest of 20 cheap queries from two other clients: {slowest:.2f} s")
        assert slowest < 2.0, slowest
        statuses = sorted(status for status, _, _ in outcomes)
        assert statuses.count(429) == 6 and statuses.count(503) == 2, statuses
        refused = next(headers for status, headers, _ in outcomes if status == 429)
        assert int(refused["Retry-After"]) >= 1


def test_a_clients_query_time_budget_is_shared_by_all_workers(tmp_path):
    env = {"ROGRAPH_RATE_LIMIT_LOOPBACK": "true", "ROGRAPH_QUERY_TIMEOUT": "2", "ROGRAPH_CLIENT_QUERY_SECONDS": "3"}
    with start_server(tmp_path, env=env, workers=2) as server:
        first = [get_from("127.0.0.5", server.sparql, {"query": LONG + f" LIMIT {n}"})[0] for n in (1, 2)]
        assert first == [503, 503]  # 4 s used of a 3 s budget
        status, headers, body = get_from("127.0.0.5", server.sparql, {"query": CHEAP})
        assert status == 429 and "budget of 3 s" in body.decode() and 1 <= int(headers["Retry-After"]) <= 60
        assert get_from("127.0.0.6", server.sparql, {"query": CHEAP})[0] == 200  # another client is not affected
        page = get_from("127.0.0.5", server.url + "/query", {"query": CHEAP})
        assert page[0] == 429  # every route that runs a query


def _http_workers(server) -> list[int]:
    return [
        pid for pid in descendants(server.process.pid) if process_name(pid) not in ("rograph-exec", "rograph-broker")
    ]


def test_rate_limit_counts_are_exact_across_workers_and_survive_their_deaths(tmp_path):
    env = {"ROGRAPH_RATE_LIMIT": "20/minute", "ROGRAPH_RATE_LIMIT_LOOPBACK": "true"}
    with start_server(tmp_path, env=env, workers=4) as server:

        def hit() -> int:  # a new connection each time: the kernel spreads them over the workers
            return requests.get(server.url + "/place/valga", headers={"Connection": "close"}, timeout=30).status_code

        assert [hit() for _ in range(12)] == [200] * 12
        for pid in _http_workers(server):
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while len(_http_workers(server)) < 4 and time.monotonic() < deadline:
            time.sleep(0.1)
        statuses = []
        while len(statuses) < 20 and time.monotonic() < deadline + 20:
            try:
                statuses.append(hit())
            except requests.ConnectionError:
                time.sleep(0.1)
        assert statuses == [200] * 8 + [429] * 12, statuses


def test_the_on_disk_store_is_served_by_executors_with_the_same_limits(tmp_path):
    """Each executor opens the RocksDB database after its fork (the broker never opens it), and
    a replacement opens it again: the limits hold on disk as in memory.

    Each death is followed on its own: the bomb may run on the replacement of the executor the
    deadline ended (the broker gives a query to any idle executor), so which of the first two
    survive is not fixed (asserting that neither does failed whenever the replacement was ready
    before the bomb arrived)."""
    env = {"ROGRAPH_MEMORY_BUDGET": "1", "ROGRAPH_QUERY_TIMEOUT": "6", "ROGRAPH_QUERY_MEMORY": str(256 * MiB)}
    with start_server(tmp_path, env=env, workers=2) as server:
        before = wait_for_executors(server, 2)
        assert requests.get(server.sparql, params={"query": CHEAP}, timeout=10).json()["boolean"] is True
        assert requests.get(server.url + "/place/valga", timeout=10).status_code == 200
        assert requests.get(server.sparql, params={"query": LONG}, timeout=30).status_code == 503
        after_deadline = wait_for_replacement(server, before)
        assert len(after_deadline) == 2 and len(before - after_deadline) == 1
        bomb = requests.post(server.sparql, data={"query": MEMORY_BOMBS["string doubling"]}, timeout=30)
        assert bomb.status_code == 400 and "ROGRAPH_QUERY_MEMORY" in bomb.text
        after = wait_for_replacement(server, after_deadline)
        assert len(after) == 2 and len(after_deadline - after) == 1 and not after & (before - after_deadline)
        for _ in range(4):
            assert requests.get(server.sparql, params={"query": CHEAP}, timeout=10).json()["boolean"] is True
