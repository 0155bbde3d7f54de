"""rograph at one size of generated data, from nothing to serving: every figure of the "Scale"
section of docs/serving.md, one command per size.

    python benchmarks/scale.py --triples 100000
    python benchmarks/scale.py --triples 10000000 --seconds 15 --virtuoso

Steps, each timed with the peak memory of its whole process tree (resident set, sampled every
0.25 s):

1. ``rograph synth`` writes the data (``--work``/synth-N.nq, kept between runs);
2. ``rograph validate`` (the compiled engine) on that file;
3. the build: the first ``rograph serve --data … --no-validate``, which parses the file,
   adds the RDFS consequences, writes the dumps and, where the store is served from disk, the
   on-disk database, then answers; stopped once it answers;
4. ``benchmarks/service.py --sizes N`` (run as it is, through its command line): start-up, peak
   memory and the query mix and lookup loads beside ``oxigraph serve-read-only`` on the same
   data, ratios printed by it;
5. with ``--virtuoso``: a throw-away Virtuoso (Debian's ``virtuoso-t``), ``rograph publish``
   into it (by its Graph Store Protocol endpoint, ``/sparql-graph-crud``), ``rograph serve``
   with ``ROGRAPH_STORE`` pointing at it, and the same mix and lookup loads against
   rograph-on-Virtuoso, Virtuoso's own endpoint and Oxigraph's server, one after the other in
   the same run, with ratios against Oxigraph's server.

``ROGRAPH_*`` settings in the environment reach every rograph started here (e.g.
``ROGRAPH_MEMORY_BUDGET`` to hold a larger dataset in memory). Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness import Endpoint, free_port, memory_mib, stop, wait_until_answering  # noqa: E402
from service import (  # noqa: E402
    OXIGRAPH,
    PROJECT_DIR,
    Server,
    lookup_queries,
    measure,
    mix_queries,
    oxigraph_of_the_build,
    report_count,
    serve_command,
    start_oxigraph,
)

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
ROGRAPH = [sys.executable, "-m", "rograph"]


def rss_mib(pid: int) -> float:
    """Resident set of a process tree in MiB (what the machine must have for it)."""
    return memory_mib(pid, "Rss")


class PeakMemory:
    """Samples the resident set of a process tree until stopped; ``peak`` is the largest."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._done = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, rss_mib(self.pid))
            if self._done.wait(0.25):
                return

    def stop(self) -> float:
        self._done.set()
        self._thread.join()
        return self.peak


def timed(label: str, command: list[str], **options) -> tuple[float, float, int]:
    """Run ``command`` to its end; print and return seconds, peak RSS MiB and exit code."""
    started = time.perf_counter()
    process = subprocess.Popen(command, start_new_session=True, **options)
    sampler = PeakMemory(process.pid)
    code = process.wait()
    seconds, peak = time.perf_counter() - started, sampler.stop()
    print(f"  {label:<24} {seconds:8.1f} s   peak RSS {peak:7.0f} MiB   exit {code}", flush=True)
    return seconds, peak, code


def first_start(data: Path, work: Path) -> None:
    """The build: the first start of ``rograph serve`` on ``data``, stopped once it answers."""
    port = free_port()
    command = serve_command(data, work, port)
    started = time.perf_counter()
    process = subprocess.Popen(command, env=dict(os.environ, ROGRAPH_LOG_LEVEL="WARNING"), start_new_session=True)
    sampler = PeakMemory(process.pid)
    try:
        wait_until_answering("127.0.0.1", port, "/sparql?query=ASK%7B%7D", 4 * 3600)
        seconds = time.perf_counter() - started
    finally:
        peak = sampler.stop()
        stop(process)
    build = (work / "rograph-var" / "current").resolve()
    size = sum(path.stat().st_size for path in build.rglob("*") if path.is_file()) / 2**20
    print(
        f"  {'build (first start)':<24} {seconds:8.1f} s   peak RSS {peak:7.0f} MiB   "
        f"build folder {size:.0f} MiB ({build.name[:12]})",
        flush=True,
    )


@contextmanager
def virtuoso(folder: Path):
    """A throw-away Virtuoso with the database in ``folder``, buffers sized for millions of
    quads (Virtuoso's guidance: about 2/3 of the memory it may use), on free loopback ports."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    sql_port, http_port = free_port(), free_port()
    ini = VIRTUOSO_INI.read_text(encoding="utf-8").replace("/var/lib/virtuoso-opensource-7/db", str(folder))
    ini = re.sub(r"(?m)^ServerPort\s*=\s*1111", f"ServerPort = {sql_port}", ini)
    ini = re.sub(r"(?m)^ServerPort\s*=\s*8890", f"ServerPort = {http_port}", ini)
    ini = re.sub(r"(?m)^NumberOfBuffers\s*=.*$", "NumberOfBuffers = 340000", ini)
    ini = re.sub(r"(?m)^MaxDirtyBuffers\s*=.*$", "MaxDirtyBuffers = 250000", ini)
    (folder / "virtuoso.ini").write_text(ini, encoding="utf-8")
    with (folder / "virtuoso.out").open("wb") as out:
        process = subprocess.Popen(
            ["virtuoso-t", "-f", "-c", str(folder / "virtuoso.ini")],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_answering("127.0.0.1", http_port, "/sparql?query=ASK%7B%7D", 180)
        subprocess.run(
            ["isql-vt", str(sql_port), "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield Server("virtuoso", Endpoint("virtuoso", "127.0.0.1", http_port, "/sparql", process.pid), process, 0.0)
    finally:
        stop(process)


def start_rograph_on(store_url: str, data: Path, work: Path) -> Server:
    port = free_port()
    env = dict(os.environ, ROGRAPH_LOG_LEVEL="WARNING", ROGRAPH_STORE=store_url)
    command = serve_command(data, work, port)
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, start_new_session=True)
    wait_until_answering("127.0.0.1", port, "/sparql?query=ASK%7B%7D", 900)
    return Server(
        "rograph",
        Endpoint("rograph", "127.0.0.1", port, "/sparql", process.pid),
        process,
        time.perf_counter() - started,
    )


def virtuoso_rows(triples: int, data: Path, work: Path, clients: int, seconds: float) -> None:
    """Publish into Virtuoso, serve from it, and load it beside Oxigraph's server."""
    rng_seed = triples
    import random

    rng = random.Random(rng_seed)
    reports = report_count(triples)
    loads = {"mix": mix_queries(reports, rng, 200), "lookup+describe": lookup_queries(reports, rng, 200)}
    with virtuoso(work / "virtuoso") as store:
        endpoint = f"http://127.0.0.1:{store.endpoint.port}/sparql"
        # Virtuoso's Graph Store Protocol endpoint: one PUT per graph, 2-5x faster here than
        # the SPARQL Update route (DROP + INSERT per graph) on the same graphs.
        gsp = f"http://127.0.0.1:{store.endpoint.port}/sparql-graph-crud"
        timed(
            "rograph publish",
            ROGRAPH
            + [
                "publish",
                "--to",
                endpoint,
                "--gsp",
                gsp,
                "--data",
                str(data),
                "--no-validate",
                "--var-dir",
                str(work / "rograph-var"),
                "--project-dir",
                str(PROJECT_DIR),
            ],
            env=dict(os.environ, ROGRAPH_LOG_LEVEL="WARNING"),
            stdout=subprocess.DEVNULL,
        )
        figures = {}
        ours = start_rograph_on(endpoint, data, work)
        print(f"  {'start-up on Virtuoso':<24} {ours.startup_s:8.1f} s", flush=True)
        try:
            for name, queries in loads.items():
                figures[name, "rograph on virtuoso"] = measure_tree(ours, store, queries, clients, seconds)
        finally:
            stop(ours.process)
        for name, queries in loads.items():
            figures[name, "virtuoso itself"] = measure_tree(store, store, queries, clients, seconds)
    theirs = start_oxigraph(oxigraph_of_the_build(work))
    try:
        for name, queries in loads.items():
            figures[name, "oxigraph"] = measure(theirs, queries, clients, seconds)
    finally:
        stop(theirs.process)
    for name in loads:
        peer, _ = figures[name, "oxigraph"]
        for who in ("rograph on virtuoso", "virtuoso itself", "oxigraph"):
            result, peak = figures[name, who]
            print(
                f"  {name:<16} {who:<20} {result.throughput:8.1f} q/s  p50 {result.p50:8.2f} ms  "
                f"p95 {result.percentile(95):8.2f} ms  errors {result.errors:4d}  peak {peak:7.0f} MiB  "
                f"{result.throughput / peer.throughput if peer.throughput else float('nan'):.2f}x oxigraph",
                flush=True,
            )


def measure_tree(server: Server, store: Server, queries: list[str], clients: int, seconds: float):
    """``measure`` for a server whose data lives in ``store``: the peak memory counted is the
    store's resident set plus the server's (once, if they are the same)."""
    result, _ = measure(server, queries, clients, seconds)
    peak = rss_mib(store.endpoint.pid) + (rss_mib(server.endpoint.pid) if server is not store else 0.0)
    return result, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, required=True, help="size of the generated data")
    parser.add_argument("--seconds", type=float, default=15.0, help="duration of each load")
    parser.add_argument("--clients", type=int, default=4, help="concurrent client processes")
    parser.add_argument("--virtuoso", action="store_true", help="also publish into Virtuoso and serve from it")
    parser.add_argument(
        "--skip",
        nargs="*",
        default=[],
        choices=["validate", "service"],
        help="steps to leave out (their figures come from an earlier run)",
    )
    parser.add_argument("--work", type=Path, default=PROJECT_DIR / "benchmarks" / "results")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    import pyoxigraph

    oxigraph_version = subprocess.run([OXIGRAPH, "--version"], capture_output=True, text=True).stdout.strip()
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; Python {platform.python_version()}, "
        f"pyoxigraph {pyoxigraph.__version__}, {oxigraph_version}",
        flush=True,
    )
    print(f"\n{args.triples} triples", flush=True)
    data = args.work / f"synth-{args.triples}.nq"
    if not data.exists():
        timed(
            "rograph synth",
            ROGRAPH + ["synth", "--triples", str(args.triples), "--out", str(data)],
            stdout=subprocess.DEVNULL,
        )
    if "validate" not in args.skip:
        timed(
            "rograph validate",
            ROGRAPH
            + [
                "validate",
                "--project-dir",
                str(PROJECT_DIR),
                "--format",
                "json",
                "-o",
                str(args.work / f"validation-{args.triples}.json"),
                str(data),
            ],
        )
    first_start(data, args.work)
    oxigraph_of_the_build(args.work)
    if "service" not in args.skip:
        print("  benchmarks/service.py:", flush=True)
        subprocess.run(
            [
                sys.executable,
                str(Path(__file__).with_name("service.py")),
                "--sizes",
                str(args.triples),
                "--seconds",
                str(args.seconds),
                "--clients",
                str(args.clients),
                "--work",
                str(args.work),
            ],
            check=True,
        )
    if args.virtuoso:
        virtuoso_rows(args.triples, data, args.work, args.clients, args.seconds)
    print(f"\nload average at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
