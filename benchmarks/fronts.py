"""The HTTP fronts rograph could run under, measured with slow clients and with wrk lookups.

    python benchmarks/fronts.py                     # every candidate, project data + 1M triples
    python benchmarks/fronts.py --candidates waitress granian --triples 100000

How docs/serving.md chose the front. Each candidate runs the same app (``create_app`` on the
same build) in this process's children:

* ``gunicorn-sync``: gunicorn's sync workers (rograph's earlier front; ``ROGRAPH_SERVER=gunicorn``);
* ``gunicorn-gthread``: gunicorn's threaded workers;
* ``granian``: granian's WSGI interface (Rust I/O, Python threads), ``pip install granian``;
* ``waitress``: waitress in forked processes sharing the socket, as ``rograph serve`` runs it;
* ``flask-floor``: the same waitress front serving a Flask app that answers every request with
  one fixed, empty SPARQL result (no store, no executors, no protections): what the stack alone
  costs, so the most any Flask app served this way can reach beside Oxigraph's server.

Slow clients: 64 connections that send headers a line every 0.5 s, or a body a byte every
0.5 s, or never read two pipelined answers of about 300 KB; meanwhile ``/health`` and a cheap
query are timed (tests/slow_clients.py, the attack tests/test_front.py makes); the worst
answer time and the failed probes are printed.
Lookups: ``wrk`` (Debian's) with 8 keep-alive connections, every request a different IRI of
the synthetic data (``lookups.lua``), beside ``oxigraph serve-read-only`` on the generated file
(not yet, as ``service.py`` now does, on the build's dump: the candidates' builds add the ontology,
shapes and RDFS consequences, so rograph's lookups answer a few more rows).
Loopback only; every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(1, str(Path(__file__).parent.parent / "tests"))
from harness import Endpoint, free_port, stop, wait_until_answering, wrk_lookups  # noqa: E402
from service import OXIGRAPH, PROJECT_DIR, start_oxigraph, subjects_file, versions  # noqa: E402

from slow_clients import KINDS, worst_latency_under  # noqa: E402  (the attack tests/test_front.py makes)

CANDIDATES = ("gunicorn-sync", "gunicorn-gthread", "granian", "waitress", "flask-floor")


def floor_app():
    """The ``flask-floor`` candidate's app: one fixed answer, whatever is asked."""
    from flask import Flask, Response

    app = Flask("floor")
    body = b'{"head":{"vars":["p","o"]},"results":{"bindings":[]}}'

    @app.route("/", defaults={"path": ""})
    @app.route("/<path:path>")
    def answer(path: str) -> Response:
        return Response(body, mimetype="application/sparql-results+json")

    return app


def run_candidate(name: str, port: int, workers: int, threads: int, var: str, data: str | None) -> None:
    """In a child process: build, start the query executor pool as ``rograph serve`` does, and
    run the app on it under the candidate ``name``."""
    import logging

    from rograph.cli.shared import build_or_exit
    from rograph.config import Settings
    from rograph.executor import PoolStore, start_pool
    from rograph.front import serve_waitress
    from rograph.web import create_app

    settings = Settings.from_env(
        port=port, workers=workers, threads=threads, var_dir=Path(var), project_dir=PROJECT_DIR, log_level="WARNING"
    )
    logging.basicConfig(level="WARNING")
    if name == "flask-floor":
        serve_waitress(settings, floor_app())
        return
    build = build_or_exit(settings, "serve", data=(Path(data),) if data else (), validate=not data)
    pool = start_pool(settings, build)
    try:
        app = create_app(
            settings,
            PoolStore.for_settings(build, pool.socket_path, settings),
        )
        if name.startswith("gunicorn"):
            from rograph.serve import _Server

            options = {
                "bind": f"127.0.0.1:{port}",
                "workers": workers,
                "preload_app": True,
                "timeout": 60,
                "keepalive": 5,
                "accesslog": None,
                "loglevel": "warning",
                "control_socket_disable": True,
            }
            options.update(
                {"worker_class": "gthread", "threads": threads}
                if name == "gunicorn-gthread"
                else {"worker_class": "sync"}
            )
            _Server(app, options).run()
        elif name == "granian":
            from granian.constants import Interfaces
            from granian.server import Server

            Server(
                "rograph:app",
                address="127.0.0.1",
                port=port,
                interface=Interfaces.WSGI,
                workers=workers,
                blocking_threads=threads,
                log_enabled=False,
            ).serve(target_loader=lambda *args, **kwargs: app)
        else:
            serve_waitress(settings, app)
    finally:
        pool.stop()


def start(name: str, workers: int, threads: int, var: Path, data: Path | None) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [
        sys.executable,
        __file__,
        "--run",
        name,
        str(port),
        str(workers),
        str(threads),
        str(var),
        str(data or ""),
    ]
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
    parser.add_argument("--layout", help="processes x threads for every candidate (e.g. 2x8) instead of each one's own")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    data = args.work / f"synth-{args.triples}.nq"
    if not data.exists():
        subprocess.run(
            [sys.executable, "-m", "rograph", "synth", "--triples", str(args.triples), "--out", str(data)], check=True
        )
    location = args.work / f"oxigraph-{args.triples}"
    if not location.exists():
        subprocess.run(
            [OXIGRAPH, "load", "--location", str(location), "--file", str(data)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    iris = subjects_file(data, args.work)
    print(
        f"HTTP fronts, {os.cpu_count()} cores; slow clients: 64 connections on the project's data; "
        f"lookups: wrk, 8 keep-alive connections, {args.triples} triples, answer cache off"
    )
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {versions()}; load average "
        + " ".join(f"{value:.1f}" for value in os.getloadavg())
    )
    # Lookups measure the query path, not the answer cache (each IRI is asked once anyway).
    os.environ["ROGRAPH_CACHE_BYTES"] = "0"
    # waitress as rograph serve runs it by default (ROGRAPH_WORKERS 4, ROGRAPH_THREADS 8).
    layouts = {
        "gunicorn-sync": (4, 1),
        "gunicorn-gthread": (4, 4),
        "granian": (2, 4),
        "waitress": (4, 8),
        "flask-floor": (4, 8),
    }
    for name in args.candidates:
        workers, threads = map(int, args.layout.split("x")) if args.layout else layouts[name]
        process, port = start(name, 2, threads, args.work / "fronts-var", None)
        try:
            slow = {kind: worst_latency_under(("127.0.0.1", port), kind, 8.0) for kind in KINDS}
        finally:
            stop(process)
        process, port = start(name, workers, threads, args.work / f"fronts-var-{args.triples}", data)
        try:
            lookups = wrk_lookups(
                Endpoint(name, "127.0.0.1", port, "/sparql", process.pid),
                iris,
                connections=8,
                threads=2,
                seconds=args.seconds,
            )
        finally:
            stop(process)
        oxigraph = start_oxigraph(location)
        try:
            theirs = wrk_lookups(oxigraph.endpoint, iris, connections=8, threads=2, seconds=args.seconds)
        finally:
            stop(oxigraph.process)
        text = ", ".join(
            f"{kind} {worst * 1000:.0f} ms ({len(failed)}/{probes} failed)"
            for kind, (worst, probes, failed) in slow.items()
        )
        print(f"{name:<17} {workers}x{threads}  slow clients, worst answer: {text}")
        print(
            f"{'':<17}       lookups {lookups.throughput:7.0f}/s p50 {lookups.p50_ms:6.2f} ms; oxigraph "
            f"{theirs.throughput:7.0f}/s p50 {theirs.p50_ms:6.2f} ms; ratio {lookups.throughput / theirs.throughput:.2f}x",
            flush=True,
        )


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    main()
