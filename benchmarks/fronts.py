"""The HTTP fronts rograph could run under, measured with slow clients and with wrk lookups.

    python benchmarks/fronts.py                     # every candidate, project data + 1M triples
    python benchmarks/fronts.py --candidates waitress granian --triples 100000

How docs/serving.md chose the front. Each candidate runs the same app (``create_app`` on the
same build) in this process's children:

* ``gunicorn-sync``: gunicorn's sync workers (rograph's earlier front; ``ROGRAPH_SERVER=gunicorn``);
* ``gunicorn-gthread``: gunicorn's threaded workers;
* ``granian``: granian's WSGI interface (Rust I/O, Python threads), ``pip install granian``;
* ``waitress``: waitress in forked processes sharing the socket, as ``rograph serve`` runs it.

Slow clients: 64 connections that send headers a line every 0.5 s, or a body a byte every
0.5 s, or never read two pipelined answers of about 300 KB; meanwhile ``/health`` and a cheap
query are timed; the worst answer time is printed (a failure counts as the 5 s timeout).
Lookups: ``wrk`` (Debian's) with 8 keep-alive connections, every request a different IRI of
the synthetic data (``lookups.lua``), beside ``oxigraph serve-read-only`` on the same data.
Loopback only; every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness import Endpoint, free_port, stop, wait_until_answering, wrk_lookups  # noqa: E402
from service import OXIGRAPH, PROJECT_DIR, start_oxigraph, subjects_file  # noqa: E402

CANDIDATES = ("gunicorn-sync", "gunicorn-gthread", "granian", "waitress")
CHEAP = urllib.parse.quote("ASK { ?s a <https://w3id.org/rograph/ontology#ExpertMeeting> }")
BIG = urllib.parse.quote("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 1500")


def run_candidate(name: str, port: int, workers: int, threads: int, var: str, data: str | None) -> None:
    """In a child process: build the app and run it under the candidate ``name``."""
    import logging

    from rograph.config import Settings
    from rograph.serve import DeadlineMiddleware
    from rograph.cli.shared import build_or_exit
    from rograph.store import open_store
    from rograph.web import create_app

    settings = Settings.from_env(port=port, workers=workers, threads=threads, var_dir=Path(var),
                                 project_dir=PROJECT_DIR, log_level="WARNING")
    logging.basicConfig(level="WARNING")
    build = build_or_exit(settings, "serve", data=(Path(data),) if data else (), validate=not data)
    app = DeadlineMiddleware(create_app(settings, open_store(settings, build)), settings.query_timeout)
    if name.startswith("gunicorn"):
        from rograph.serve import _Server

        options = {"bind": f"127.0.0.1:{port}", "workers": workers, "preload_app": True, "timeout": 60,
                   "keepalive": 5, "accesslog": None, "loglevel": "warning", "control_socket_disable": True}
        options.update({"worker_class": "gthread", "threads": threads} if name == "gunicorn-gthread" else {"worker_class": "sync"})
        _Server(app, options).run()
    elif name == "granian":
        from granian.constants import Interfaces
        from granian.server import Server

        Server("rograph:app", address="127.0.0.1", port=port, interface=Interfaces.WSGI, workers=workers,
               blocking_threads=threads, log_enabled=False).serve(target_loader=lambda *args, **kwargs: app)
    else:
        from rograph.front import serve_waitress

        serve_waitress(settings, app)


def slow_client(port: int, kind: str, until: float, opened: list) -> None:
    try:
        connection = socket.create_connection(("127.0.0.1", port), timeout=5)
    except OSError:
        return
    opened.append(connection)
    try:
        if kind == "reader":
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            connection.sendall(f"GET /sparql?query={BIG} HTTP/1.1\r\nHost: x\r\n\r\n".encode() * 2)
        elif kind == "headers":
            connection.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        else:
            connection.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                               b"Content-Length: 100000\r\n\r\nASK {")
        while time.monotonic() < until:
            if kind == "headers":
                connection.sendall(b"X-Slow: y\r\n")
            elif kind == "body":
                connection.sendall(b" ")
            time.sleep(0.5)
    except OSError:
        pass


def worst_answer_under(port: int, kind: str, seconds: float = 8.0) -> tuple[float, int, int]:
    """64 slow clients of ``kind``; returns (worst seconds, probes, failed probes)."""
    import http.client

    until, opened = time.monotonic() + seconds, []
    attackers = [threading.Thread(target=slow_client, args=(port, kind, until, opened), daemon=True) for _ in range(64)]
    for attacker in attackers:
        attacker.start()
    time.sleep(2.5)
    worst, probes, failed = 0.0, 0, 0
    while time.monotonic() < until - 0.5:
        for path in ("/health", f"/sparql?query={CHEAP}"):
            started = time.monotonic()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", path)
                ok = connection.getresponse().status == 200
                connection.close()
            except OSError:
                ok = False
            probes, failed = probes + 1, failed + (not ok)
            worst = max(worst, time.monotonic() - started if ok else 5.0)
        time.sleep(0.2)
    for attacker in attackers:
        attacker.join(timeout=seconds)
    for connection in opened:
        connection.close()
    return worst, probes, failed


def start(name: str, workers: int, threads: int, var: Path, data: Path | None) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [sys.executable, __file__, "--run", name, str(port), str(workers), str(threads), str(var), str(data or "")]
    process = subprocess.Popen(command, start_new_session=True)
    wait_until_answering("127.0.0.1", port, "/sparql?query=ASK%7B%7D", 900)
    return process, port


def main() -> None:
    if sys.argv[1:2] == ["--run"]:
        name, port, workers, threads, var, data = sys.argv[2:8]
        run_candidate(name, int(port), int(workers), int(threads), var, data or None)
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", nargs="+", choices=CANDIDATES, default=list(CANDIDATES))
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic data for the lookups")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--work", type=Path, default=PROJECT_DIR / "benchmarks" / "results")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    data = args.work / f"synth-{args.triples}.nq"
    if not data.exists():
        subprocess.run([sys.executable, "-m", "rograph", "synth", "--triples", str(args.triples), "--out", str(data)], check=True)
    location = args.work / f"oxigraph-{args.triples}"
    if not location.exists():
        subprocess.run([OXIGRAPH, "load", "--location", str(location), "--file", str(data)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    iris = subjects_file(data, args.work)
    print(f"HTTP fronts, {os.cpu_count()} cores; slow clients: 64 connections on the project's data; "
          f"lookups: wrk, 8 keep-alive connections, {args.triples} triples")
    layouts = {"gunicorn-sync": (4, 1), "gunicorn-gthread": (4, 4), "granian": (2, 4), "waitress": (4, 1)}
    for name in args.candidates:
        workers, threads = layouts[name]
        process, port = start(name, 2, threads, args.work / "fronts-var", None)
        try:
            slow = {kind: worst_answer_under(port, kind) for kind in ("headers", "body", "reader")}
        finally:
            stop(process)
        process, port = start(name, workers, threads, args.work / f"fronts-var-{args.triples}", data)
        try:
            lookups = wrk_lookups(Endpoint(name, "127.0.0.1", port, "/sparql", process.pid), iris,
                                  connections=8, threads=2, seconds=args.seconds)
        finally:
            stop(process)
        oxigraph = start_oxigraph(location)
        try:
            theirs = wrk_lookups(oxigraph.endpoint, iris, connections=8, threads=2, seconds=args.seconds)
        finally:
            stop(oxigraph.process)
        text = ", ".join(f"{kind} {worst * 1000:.0f} ms ({failed}/{probes} failed)" for kind, (worst, probes, failed) in slow.items())
        print(f"{name:<17} {workers}x{threads}  slow clients, worst answer: {text}")
        print(f"{'':<17}       lookups {lookups.throughput:7.0f}/s p50 {lookups.p50_ms:6.2f} ms; oxigraph "
              f"{theirs.throughput:7.0f}/s p50 {theirs.p50_ms:6.2f} ms; ratio {lookups.throughput / theirs.throughput:.2f}x", flush=True)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    main()
