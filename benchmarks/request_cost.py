"""CPU per request of rograph's own per-request code, measured in process, beside a bare peer.

    python benchmarks/request_cost.py                  # 2,000 requests of each kind
    python benchmarks/request_cost.py --requests 500 --profile /tmp/lookup.prof

Builds the app as ``rograph serve`` does (the project's build, the executor pool forked from this
process, :class:`~rograph.executor.PoolStore`, :func:`~rograph.web.create_app`, every protection
on, the answer cache off) and calls its WSGI entry point directly, no server in between, for
each kind of request: ``/health``; a lookup (``GET /sparql``, a different subject each time, JSON
results); an entity page (a different entity each time); a short SELECT (a different literal
each time). It prints the CPU of this process per request (``time.process_time``: the Flask
app, the limits, the client side of the pool) and, apart, the CPU the broker and the executors
spent meanwhile (from ``/proc``). The peer is a Flask hello-world app and a bare WSGI function
called the same way in the same run (the Flask one in slices between each kind's, as the
machine's speed drifts within seconds): the ratio says how far rograph's per-request Python is
from the least a Flask app costs. The client address is not loopback (``REMOTE_ADDR`` is a
documentation address), so the rate limiter counts every request, as for a client on the
internet, with a limit high enough not to refuse any; the lookups are also sent from loopback
(exempt from the rate limit and the fair share, as ``benchmarks/service.py``'s clients are).

``--profile FILE`` writes a cProfile (CPU time) of the lookups, or of ``--profile-kind`` (read it
with ``python -m pstats FILE``).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

PROJECT_DIR = Path(__file__).resolve().parent.parent
CLIENT = "192.0.2.10"  # TEST-NET-1: not loopback, so no exemption applies
TICKS = os.sysconf("SC_CLK_TCK")


def environ(path: str, query: str = "", accept: str = "*/*", client: str = CLIENT) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": client,
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_ACCEPT": accept,
        "HTTP_USER_AGENT": "request_cost/1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def call(app: Callable, env: dict) -> int:
    """One request through ``app`` as a WSGI server makes it: the body read, then closed."""
    status: list[str] = []

    def start_response(line, headers, exc_info=None):
        status.append(line)

    body = app(env, start_response)
    try:
        size = sum(len(chunk) for chunk in body)
    finally:
        close = getattr(body, "close", None)
        if close:
            close()
    if not status[0].startswith("200"):
        raise SystemExit(f"{env['PATH_INFO']}?{env['QUERY_STRING'][:80]} answered {status[0]}")
    return size


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of ``pid`` and its children (the broker and its executors)."""
    total = 0.0
    pids = [pid]
    for task in os.listdir(f"/proc/{pid}/task"):
        children = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
        pids.extend(int(child) for child in children)
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def measure(app: Callable, requests: Iterator[dict], count: int, pool_pid: int | None) -> tuple[float, float]:
    """(µs of this process's CPU, µs of the pool's CPU) per request, over ``count`` requests."""
    pool_before = tree_cpu(pool_pid) if pool_pid else 0.0
    before = time.process_time()
    for _ in range(count):
        call(app, next(requests))
    spent = time.process_time() - before
    pool = (tree_cpu(pool_pid) - pool_before) if pool_pid else 0.0
    return spent / count * 1e6, pool / count * 1e6


def peers():
    from flask import Flask

    hello = Flask("hello")

    @hello.route("/health")
    def health():
        return {"status": "ok"}

    def bare(env, start_response):
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]

    return hello.wsgi_app, bare


def cycle(items: list) -> Iterator:
    while True:
        yield from items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests of each kind")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the lookups here")
    parser.add_argument("--profile-kind", default="lookup (GET /sparql, JSON)", help="which kind --profile profiles")
    args = parser.parse_args()

    import pyoxigraph
    import waitress  # noqa: F401  (the front rograph serve runs: its version is reported)

    from rograph import __version__
    from rograph.config import Settings
    from rograph.executor import PoolStore, start_pool
    from rograph.sources import discover
    from rograph.store.build import ensure_build
    from rograph.web import create_app

    var = Path(tempfile.mkdtemp(prefix="request-cost-"))
    settings = Settings.from_env(
        {"ROGRAPH_CACHE_BYTES": "0", "ROGRAPH_RATE_LIMIT": "100000000/minute;100000000/hour"},
        project_dir=PROJECT_DIR,
        var_dir=var,
        workers=1,
    )
    build = ensure_build(discover(settings.project_dir), settings.var_dir, validate=False)
    pool = start_pool(settings, build, executors=1)
    try:
        store = PoolStore.for_settings(build, pool.socket_path, settings)
        app = create_app(settings, store).wsgi_app
        base = "https://w3id.org/rograph/"
        rows = store.query(
            f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{base}') && !CONTAINS(STR(?s), '#')) }}"
        )
        subjects = sorted(str(row["s"].value) for row in rows)  # type: ignore[union-attr,index]
        print(
            f"rograph {__version__}, Flask app called as WSGI in process, pyoxigraph {pyoxigraph.__version__}, "
            f"Python {sys.version.split()[0]}; {len(subjects)} distinct subjects; {args.requests} requests each; "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average {os.getloadavg()[0]:.1f}"
        )
        json_results = "application/sparql-results+json"
        kinds = {
            "/health": cycle([environ("/health", accept="application/json")]),
            "lookup (GET /sparql, JSON)": cycle(
                [
                    environ("/sparql", "query=" + quote(f"SELECT ?p ?o WHERE {{ <{s}> ?p ?o }}"), json_results)
                    for s in subjects
                ]
            ),
            "lookup, loopback client": cycle(
                [
                    environ(
                        "/sparql", "query=" + quote(f"SELECT ?p ?o WHERE {{ <{s}> ?p ?o }}"), json_results, "127.0.0.1"
                    )
                    for s in subjects
                ]
            ),
            "entity page (HTML)": cycle(
                [environ("/" + s[len(base) :], accept="text/html") for s in subjects if s != base]
            ),
            "short SELECT (JSON)": cycle(
                [
                    environ(
                        "/sparql",
                        "query=" + quote(f'SELECT ?s WHERE {{ ?s ?p ?o FILTER(STR(?o) = "label {n}") }} LIMIT 5'),
                        json_results,
                    )
                    for n in range(500)
                ]
            ),
        }

        def fresh(requests: Iterator[dict]) -> Iterator[dict]:
            for env in requests:  # a WSGI server gives each request its own environ
                yield {**env, "wsgi.input": io.BytesIO(b"")}

        hello, bare = peers()
        warm = min(200, args.requests)
        for requests in kinds.values():
            measure(app, fresh(requests), warm, None)
        peer_requests = fresh(cycle([environ("/health")]))
        peer_bare, _ = measure(bare, peer_requests, args.requests, None)
        print(f"  {'peer: bare WSGI function':<28} {peer_bare:8.0f} µs CPU per request")
        # The machine's speed drifts within seconds: the Flask peer runs in slices between the
        # slices of each kind; the medians over the slices are printed, of the ratios slice by slice.
        slices = 10
        for name, requests in kinds.items():
            ratios, owns, peers_, pools = [], [], [], []
            for _ in range(slices):
                peer = measure(hello, peer_requests, args.requests // slices, None)[0]
                own, pool_cpu = measure(app, fresh(requests), args.requests // slices, pool.pid)
                ratios.append(own / peer)
                owns.append(own)
                peers_.append(peer)
                pools.append(pool_cpu)
            print(
                f"  {name:<28} {statistics.median(owns):8.0f} µs CPU per request, "
                f"{statistics.median(ratios):4.1f}x the Flask hello-world ({statistics.median(peers_):.0f} µs); "
                f"broker + executor {statistics.median(pools):.0f} µs"
            )
        if args.profile:
            profiler = cProfile.Profile(time.process_time)  # CPU, not time spent descheduled
            profiler.enable()
            measure(app, fresh(kinds[args.profile_kind]), args.requests, None)
            profiler.disable()
            profiler.dump_stats(args.profile)
            print(f"  cProfile of {args.requests} of {args.profile_kind}: {args.profile}")
    finally:
        pool.stop()


if __name__ == "__main__":
    main()
