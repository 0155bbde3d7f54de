"""The HTTP front holds against slow and malformed clients: slow headers, slow bodies and slow
readers do not hold the workers; keep-alive works; the request limits are the documented ones,
for chunked bodies too; every error says ``nosniff``.

Every attack runs on loopback with bounded loops (a fixed number of connections, a fixed time).
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import time
import urllib.parse
from urllib.parse import urlsplit

import pytest
import requests

from conftest import start_server
from slow_clients import CHEAP, KINDS, worst_latency_under

pytestmark = pytest.mark.live

ATTACK_SECONDS = 7.0


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname, parts.port


@pytest.mark.parametrize("kind", KINDS)
def test_64_slow_clients_leave_health_and_a_cheap_query_answering_within_a_second(live_server, kind):
    worst, _, failures = worst_latency_under(_address(live_server.url), kind, ATTACK_SECONDS)
    assert failures == []
    assert worst < 1.0, f"{kind}: slowest answer took {worst:.2f} s"


def test_keep_alive_serves_several_requests_on_one_connection(live_server):
    connection = http.client.HTTPConnection(*_address(live_server.url), timeout=10)
    connection.connect()
    first_socket = connection.sock
    for _ in range(5):
        connection.request(
            "GET",
            "/sparql?" + urllib.parse.urlencode({"query": CHEAP}),
            headers={"Accept": "application/sparql-results+json"},
        )
        answer = connection.getresponse()
        assert answer.status == 200 and b"true" in answer.read()
        assert answer.getheader("Connection", "").lower() != "close"
        assert connection.sock is first_socket
    connection.close()


def _raw(server, head: bytes, body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are and read one response (status, headers, body)."""
    with socket.create_connection(_address(server.url), timeout=30) as connection:
        connection.sendall(head + body)
        response = http.client.HTTPResponse(connection)
        response.begin()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def _chunked(data: bytes, size: int = 65536) -> bytes:
    pieces = [
        f"{len(data[i : i + size]):x}\r\n".encode() + data[i : i + size] + b"\r\n" for i in range(0, len(data), size)
    ]
    return b"".join(pieces) + b"0\r\n\r\n"


def test_a_chunked_body_over_the_limit_is_413_never_run_truncated(live_server):
    _check_chunked_body_limit(live_server)


def _check_chunked_body_limit(live_server) -> None:
    limit = 1024 * 1024
    # Cut at the limit, this is an ASK that answers true; whole, it is over the limit.
    query = b"ASK { ?s ?p ?o } #" + b"x" * (limit - 18) + b"\nFILTER(false)"
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\n"
        b"Accept: application/sparql-results+json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    status, headers, body = _raw(live_server, head, _chunked(query))
    assert status == 413, body[:200]
    assert headers.get("x-content-type-options") == "nosniff"
    small = b"ASK { ?s a <https://w3id.org/rograph/ontology#ExpertMeeting> } #" + b" " * 1000
    status, _, body = _raw(live_server, head, _chunked(small, 100))
    assert status == 200 and b"true" in body


def test_the_header_limit_counts_all_headers_together(live_server):
    _check_header_limit(live_server)


def _check_header_limit(live_server) -> None:
    # Twenty headers of 500 bytes: each far under 8 KiB, together over it.
    many = {f"X-Padding-{n}": "y" * 500 for n in range(20)}
    assert requests.get(live_server.url + "/health", headers=many, timeout=30).status_code == 431
    few = {f"X-Padding-{n}": "y" * 500 for n in range(10)}
    assert requests.get(live_server.url + "/health", headers=few, timeout=30).status_code == 200


def test_the_request_line_limit_is_16_kib(live_server):
    _check_request_line_limit(live_server)


def _check_request_line_limit(live_server) -> None:
    filler = 16 * 1024 - len("GET /sparql?query= HTTP/1.1") - 200
    fits = "ASK { ?s ?p ?o } #" + "x" * filler
    assert requests.get(live_server.sparql, params={"query": fits}, timeout=30).status_code == 200
    too_long = requests.get(live_server.sparql, params={"query": fits + "x" * 400}, timeout=30)
    assert too_long.status_code == 414
    assert too_long.headers.get("X-Content-Type-Options") == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/sparql?query=SELEC",
        "/no/such/thing",
        "/browse?class=nope",
        "/sparql?query=ASK{}&query=ASK{}",
        "/dumps/nothing.nq",
    ],
)
def test_every_error_response_says_nosniff(live_server, path):
    answer = requests.get(live_server.url + path, timeout=30)
    assert answer.status_code >= 400
    assert answer.headers.get("X-Content-Type-Options") == "nosniff"


def test_the_sync_worker_front_stays_selectable_with_the_same_limits(tmp_path):
    with start_server(tmp_path, env={"ROGRAPH_SERVER": "gunicorn"}) as server:
        assert requests.get(server.sparql, params={"query": CHEAP}, timeout=30).json()["boolean"] is True
        assert "gunicorn sync workers" in server.log_text()
        _check_chunked_body_limit(server)
        _check_header_limit(server)
        # gunicorn's own request-line ceiling is 8190 bytes (docs/serving.md), below ours.
        assert requests.get(server.sparql, params={"query": "ASK {} #" + "x" * 9000}, timeout=30).status_code == 414
        forwarded = requests.get(server.url + "/place/valga", headers={"X-Forwarded-Proto": "https"}, timeout=30)
        assert "https://" not in forwarded.headers["Link"]


def test_a_gunicorn_worker_that_ends_leaves_the_query_pool_running(tmp_path):
    """A gunicorn worker ends by raising SystemExit through ``rograph serve``'s frames (it was
    forked inside them); that must not stop the executor pool the other workers use."""
    from conftest import descendants, process_name

    with start_server(tmp_path, env={"ROGRAPH_SERVER": "gunicorn"}, workers=2) as server:
        assert requests.get(server.sparql, params={"query": CHEAP}, timeout=30).json()["boolean"] is True
        workers = [
            pid
            for pid in descendants(server.process.pid)
            if process_name(pid) not in ("rograph-exec", "rograph-broker")
        ]
        os.kill(workers[0], signal.SIGTERM)  # a graceful end, as at max_requests or a HUP
        deadline = time.monotonic() + 20
        while workers[0] in descendants(server.process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        for _ in range(6):  # new connections: both workers, the replacement too
            answer = requests.get(server.sparql, params={"query": CHEAP}, headers={"Connection": "close"}, timeout=30)
            assert answer.status_code == 200, answer.text
