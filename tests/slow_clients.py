"""Slow clients, as an attacker sends them, and the probe that times the service meanwhile.

Shared by tests/test_front.py (64 slow connections must leave ``/health`` and a cheap query
answering within 1 s) and benchmarks/fronts.py (the same attack on every candidate front), so
the figures in docs/serving.md come from the attack the tests make. Loopback only; every loop
is bounded by the attack's duration.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
import urllib.parse

CHEAP = "ASK { ?s a <https://w3id.org/rograph/ontology#ExpertMeeting> }"
#: About 300 KB of JSON: more than the kernel's socket buffers hold for a client that does not read.
BIG = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 1500"
KINDS = ("headers", "body", "reader")
SLOW_CONNECTIONS = 64


def slow_client(address: tuple[str, int], kind: str, until: float, opened: list[socket.socket]) -> None:
    """One attacker: sends its headers or body a piece every 0.5 s, or never reads two big answers."""
    try:
        connection = socket.create_connection(address, timeout=5)
    except OSError:
        return
    opened.append(connection)
    try:
        if kind == "reader":
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            target = "/sparql?" + urllib.parse.urlencode({"query": BIG})
            connection.sendall(
                f"GET {target} HTTP/1.1\r\nHost: localhost\r\nAccept: application/sparql-results+json\r\n\r\n".encode()
                * 2
            )
        elif kind == "headers":
            connection.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n")
        else:
            connection.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: 100000\r\n\r\nASK {"
            )
        while time.monotonic() < until:
            if kind == "headers":
                connection.sendall(b"X-Slow: y\r\n")
            elif kind == "body":
                connection.sendall(b" ")
            time.sleep(0.5)
    except OSError:
        pass


def worst_latency_under(
    address: tuple[str, int], kind: str, seconds: float, connections: int = SLOW_CONNECTIONS
) -> tuple[float, int, list[str]]:
    """Open ``connections`` slow clients of ``kind``, then time ``/health`` and a cheap query
    (each on a new connection) until the attack ends: (worst seconds, probes, failures)."""
    until = time.monotonic() + seconds
    opened: list[socket.socket] = []
    attackers = [
        threading.Thread(target=slow_client, args=(address, kind, until, opened), daemon=True)
        for _ in range(connections)
    ]
    for attacker in attackers:
        attacker.start()
    time.sleep(2.5)
    worst, probes, failures = 0.0, 0, []
    try:
        while time.monotonic() < until - 0.5:
            for path in ("/health", "/sparql?" + urllib.parse.urlencode({"query": CHEAP})):
                started = time.monotonic()
                probes += 1
                try:
                    connection = http.client.HTTPConnection(*address, timeout=5)
                    connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
                    status = connection.getresponse().status
                    connection.close()
                    if status != 200:
                        failures.append(f"{path}: {status}")
                except (OSError, http.client.HTTPException) as error:
                    failures.append(f"{path}: {error}")
                worst = max(worst, time.monotonic() - started)
            time.sleep(0.1)
    finally:
        for attacker in attackers:
            attacker.join(timeout=seconds + 5)
        for connection in opened:
            connection.close()
    return worst, probes, failures
