"""Side-by-side load measurement of two SPARQL servers on loopback.

Used by ``benchmarks/service.py``; kept apart so that the measuring (a bounded load generator,
latency percentiles, memory of a process tree) can be read without the scenario around it.

The load generator runs in separate processes, each with one keep-alive HTTP connection, so
the client's own GIL does not cap the throughput it can observe. Every loop is bounded by a
duration; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Endpoint:
    """A running server: where to send queries and which processes to measure."""

    name: str
    host: str
    port: int
    path: str
    pid: int


@dataclass
class Measurement:
    """What one server did under one query mix."""

    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    #: Latencies of each kind of query (the label it was given), for per-query ratios.
    by_label: dict[str, list[float]] = field(default_factory=dict)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")


def _client(
    endpoint: Endpoint,
    queries: Sequence[tuple[str, str]],
    accept: str,
    seconds: float,
    seed: int,
    clients: int,
    distinct: bool,
    out,
) -> None:
    """One client process: send queries back to back until the time is up: drawn at random, or
    (``distinct``) this client's share of the list in order, each once (wrapping round if the
    list runs out, which the caller sees as repeats)."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection(endpoint.host, endpoint.port, timeout=120)
    latencies, statuses, errors, by_label = [], {}, 0, {}
    mine = list(queries[seed::clients]) if distinct else list(queries)
    sent = 0
    stop = time.perf_counter() + seconds
    while time.perf_counter() < stop:
        label, query = mine[sent % len(mine)] if distinct else rng.choice(mine)
        sent += 1
        body = urllib.parse.urlencode({"query": query})
        started = time.perf_counter()
        try:
            connection.request(
                "POST",
                endpoint.path,
                body=body,
                headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
            )
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = http.client.HTTPConnection(endpoint.host, endpoint.port, timeout=120)
            continue
        latencies.append((time.perf_counter() - started) * 1000)
        by_label.setdefault(label, []).append(latencies[-1])
        statuses[status] = statuses.get(status, 0) + 1
        if status != 200:
            errors += 1
    out.put((latencies, statuses, errors, by_label))


def load(
    endpoint: Endpoint,
    queries: Sequence[tuple[str, str]],
    *,
    clients: int,
    seconds: float,
    accept: str,
    distinct: bool = False,
) -> Measurement:
    """Run ``clients`` client processes against ``endpoint`` for ``seconds``; ``queries`` are
    (label, text) pairs, drawn at random or, with ``distinct``, each sent once."""
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    workers = [
        context.Process(target=_client, args=(endpoint, list(queries), accept, seconds, seed, clients, distinct, out))
        for seed in range(clients)
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    results = [out.get(timeout=seconds + 300) for _ in workers]
    for worker in workers:
        worker.join()
    measurement = Measurement(seconds=time.perf_counter() - started)
    for latencies, statuses, errors, by_label in results:
        measurement.latencies_ms.extend(latencies)
        for label, values in by_label.items():
            measurement.by_label.setdefault(label, []).extend(values)
        measurement.requests += len(latencies)
        measurement.errors += errors
        for status, count in statuses.items():
            measurement.statuses[status] = measurement.statuses.get(status, 0) + count
    # The clients start over a few hundred ms (spawn); count only the time they were sending.
    measurement.seconds = min(measurement.seconds, seconds) if measurement.requests else measurement.seconds
    return measurement


@dataclass(frozen=True)
class WrkResult:
    """What ``wrk`` measured: requests per second, median latency, non-2xx answers."""

    throughput: float
    p50_ms: float
    errors: int


def _milliseconds(text: str) -> float:
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    for unit in ("us", "ms", "s"):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * units[unit]
    raise ValueError(text)


def wrk_lookups(endpoint: Endpoint, iris: Path, *, connections: int, threads: int, seconds: float) -> WrkResult:
    """Distinct IRI lookups from Debian's ``wrk`` over keep-alive connections (lookups.lua)."""
    script = Path(__file__).with_name("lookups.lua")
    env = dict(os.environ, IRIS=str(iris), LOOKUP_PATH=endpoint.path, THREADS=str(threads))
    output = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            "-s",
            str(script),
            f"http://{endpoint.host}:{endpoint.port}/",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    throughput = p50 = errors = None
    for line in output.splitlines():
        words = line.split()
        if line.startswith("Requests/sec:"):
            throughput = float(words[1])
        elif words[:1] == ["50%"]:
            p50 = _milliseconds(words[1])
        elif line.strip().startswith("Non-2xx"):
            errors = int(words[-1])
    if throughput is None or p50 is None:
        raise RuntimeError("wrk printed no figures:\n" + output)
    return WrkResult(throughput, p50, errors or 0)


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def memory_mib(pid: int, kind: str = "Pss") -> float:
    """Proportional set size of a process tree in MiB (``kind="Rss"``: the resident set, each
    shared page counted in every process that maps it).

    PSS charges each shared page to the processes sharing it in proportion, so pages that
    forked workers share with their parent are counted once across the tree — the figure
    that answers "how much memory does this service take".
    """
    total_kib = 0
    for member in process_tree(pid):
        try:
            for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
                if line.startswith(kind + ":"):
                    total_kib += int(line.split()[1])
        except OSError:
            continue
    return total_kib / 1024


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answering(host: str, port: int, path: str, deadline_s: float) -> float:
    """Poll until ``path`` answers 200; return seconds waited."""
    started = time.perf_counter()
    while time.perf_counter() - started < deadline_s:
        try:
            connection = http.client.HTTPConnection(host, port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.02)
    raise TimeoutError(f"{host}:{port}{path} did not answer within {deadline_s} s")


def stop(process: subprocess.Popen) -> None:
    """Stop a server started in its own process group, and everything it forked."""
    try:
        os.killpg(process.pid, 15)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, 9)
        process.wait()
