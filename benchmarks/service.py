"""rograph's SPARQL service beside Oxigraph's own server, on the same generated data.

    python benchmarks/service.py                      # 100k and 1M triples, 20 s per load
    python benchmarks/service.py --sizes 100000 --seconds 10

For each size: generate the data (``rograph synth``, kept in ``--work`` between runs), load it
into rograph (``rograph serve --data``, every protection on: watchdog timeouts, size cap,
SERVICE refusal) and into ``oxigraph serve-read-only --union-default-graph`` (after
``oxigraph load``), then send both the same queries from the same bounded load generator on
loopback (``harness.py``) and print throughput, p50/p95 latency, start-up time and peak memory
(PSS of the whole process tree) side by side, with the ratio rograph/oxigraph.

Three loads per size:

* ``mix``: the researcher query mix below, each template instantiated with many entities,
  so the answer cache sees the repeats a real query log has;
* ``mix, no cache``: the same with rograph's answer cache off (``ROGRAPH_CACHE_BYTES=0``),
  the store's own speed;
* ``lookup+describe``: IRI lookups and DESCRIBE only.

The data is validated in the test suite at small sizes; here it is served ``--no-validate``,
since the figures are about serving, not about pyshacl (see issue 5 for validation at scale).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness import Endpoint, Measurement, free_port, load, memory_mib, stop, wait_until_answering  # noqa: E402

PROJECT_DIR = Path(__file__).resolve().parent.parent
PREFIXES = """PREFIX rg: <https://w3id.org/rograph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX m8g: <http://data.europa.eu/m8g/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
ENTITY = "https://w3id.org/rograph/"
#: Oxigraph's server: on the PATH, or installed beside this Python (pip install oxigraph).
OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")


def report_count(triples: int) -> int:
    """Reports ``rograph synth`` writes for ``triples`` (about 200 quads each); queries pick
    entities among the first nine tenths so that every IRI exists."""
    return max(1, int(triples / 200 * 0.9))


def lookup_queries(reports: int, rng: random.Random, count: int) -> list[str]:
    queries = []
    for _ in range(count):
        n = rng.randint(1, reports)
        queries.append(f"SELECT ?p ?o WHERE {{ <{ENTITY}organisation/synth-{n}-municipal-council> ?p ?o }}")
        queries.append(f"DESCRIBE <{ENTITY}organisation/synth-{n}-social-service>")
    return queries


def mix_queries(reports: int, rng: random.Random, count: int) -> list[str]:
    """The researcher mix: lookups, joins with date filters, OPTIONAL with language filters,
    GROUP BY counts, organisation hierarchy paths, DESCRIBE."""
    queries = lookup_queries(reports, rng, count)
    for _ in range(count):
        country = rng.randint(1, 30)
        year = rng.randint(2008, 2023)
        n = rng.randint(1, reports)
        queries += [
            PREFIXES + f"""SELECT ?meeting ?date ?town ?participants WHERE {{
  ?meeting a rg:ExpertMeeting ;
    schema:organizer <{ENTITY}organisation/synth-country-{country}-ministry-of-culture> ;
    schema:startDate ?date ; schema:location ?town ;
    rg:participantCount/schema:value ?participants .
  FILTER(?date >= "{year}-01-01"^^xsd:date && ?date < "{year + 2}-01-01"^^xsd:date)
}} ORDER BY ?date""",
            PREFIXES + f"""SELECT ?post ?start ?employer ?name WHERE {{
  ?post a rg:RomaMediatorPost ; org:postIn ?employer ; dcterms:temporal/rg:earliestDay ?start .
  OPTIONAL {{ ?employer rdfs:label ?name FILTER(lang(?name) = "lv") }}
  FILTER(?start >= "{year}-03-01"^^xsd:date && ?start < "{year}-04-01"^^xsd:date)
}}""",
            PREFIXES + f"""SELECT ?unit ?name WHERE {{
  ?unit (org:unitOf|org:subOrganizationOf)+ <{ENTITY}organisation/synth-{n}-municipal-council> .
  OPTIONAL {{ ?unit rdfs:label ?name FILTER(langMatches(lang(?name), "en")) }}
}}""",
            PREFIXES + f"""SELECT ?meeting ?agreement WHERE {{
  ?meeting schema:location/schema:containedInPlace/schema:containedInPlace <{ENTITY}place/synth-country-{country}> .
  ?agreement a rg:Agreement ; rg:outcomeOf ?meeting ; rg:minimumTimesPerYear ?times .
  ?meeting schema:startDate ?date FILTER(YEAR(?date) = {year})
}}""",
        ]
    queries += [
        PREFIXES + """SELECT ?programme (COUNT(?project) AS ?projects) WHERE {
  ?project rg:fundingProgramme ?programme } GROUP BY ?programme ORDER BY DESC(?projects) LIMIT 20""",
        PREFIXES + """SELECT ?role (COUNT(*) AS ?participations) WHERE {
  ?participation a rg:Participation ; m8g:role ?role } GROUP BY ?role""",
    ]
    return queries


@dataclass
class Server:
    name: str
    endpoint: Endpoint
    process: subprocess.Popen
    startup_s: float


def start_rograph(data: Path, work: Path, *, cache: bool, workers: int | None) -> Server:
    port = free_port()
    env = dict(os.environ, ROGRAPH_LOG_LEVEL="WARNING")
    if workers:
        env["ROGRAPH_WORKERS"] = str(workers)
    if not cache:
        env["ROGRAPH_CACHE_BYTES"] = "0"
    command = [sys.executable, "-m", "rograph", "serve", "--data", str(data), "--no-validate",
               "--var-dir", str(work / "rograph-var"), "--project-dir", str(PROJECT_DIR), "--port", str(port)]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, start_new_session=True)
    wait_until_answering("127.0.0.1", port, "/sparql?query=ASK%7B%7D", 900)
    return Server("rograph", Endpoint("rograph", "127.0.0.1", port, "/sparql", process.pid), process, time.perf_counter() - started)


def start_oxigraph(location: Path) -> Server:
    port = free_port()
    command = [OXIGRAPH, "serve-read-only", "--location", str(location),
               "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
    wait_until_answering("127.0.0.1", port, "/query?query=ASK%7B%7D", 300)
    return Server("oxigraph", Endpoint("oxigraph", "127.0.0.1", port, "/query", process.pid), process, time.perf_counter() - started)


def measure(server: Server, queries: list[str], clients: int, seconds: float) -> tuple[Measurement, float]:
    """Load ``server`` and sample its memory meanwhile; returns the measurement and peak MiB."""
    peak, done = [memory_mib(server.endpoint.pid)], threading.Event()

    def sample() -> None:
        while not done.wait(0.25):
            peak.append(memory_mib(server.endpoint.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    result = load(server.endpoint, queries, clients=clients, seconds=seconds, accept=ACCEPT)
    done.set()
    sampler.join()
    return result, max(peak)


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}x" if theirs else "n/a"


def print_row(label: str, ours: tuple[Measurement, float], theirs: tuple[Measurement, float]) -> None:
    (a, a_mem), (b, b_mem) = ours, theirs
    print(f"  {label:<18} rograph {a.throughput:8.1f} q/s  p50 {a.p50:7.2f} ms  p95 {a.percentile(95):8.2f} ms  "
          f"errors {a.errors}  peak {a_mem:7.0f} MiB")
    print(f"  {'':<18} oxigraph{b.throughput:8.1f} q/s  p50 {b.p50:7.2f} ms  p95 {b.percentile(95):8.2f} ms  "
          f"errors {b.errors}  peak {b_mem:7.0f} MiB")
    print(f"  {'':<18} ratio   {ratio(a.throughput, b.throughput):>8} throughput, p50 {a.p50 - b.p50:+.2f} ms, "
          f"memory {ratio(a_mem, b_mem)}", flush=True)


def run_size(triples: int, work: Path, clients: int, seconds: float, workers: int | None) -> None:
    data = work / f"synth-{triples}.nq"
    if not data.exists():
        subprocess.run([sys.executable, "-m", "rograph", "synth", "--triples", str(triples), "--out", str(data)], check=True)
    location = work / f"oxigraph-{triples}"
    if not location.exists():
        started = time.perf_counter()
        subprocess.run([OXIGRAPH, "load", "--location", str(location), "--file", str(data)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"oxigraph load: {time.perf_counter() - started:.1f} s")

    rng = random.Random(triples)
    reports = report_count(triples)
    mix, lookups = mix_queries(reports, rng, 200), lookup_queries(reports, rng, 200)
    print(f"\n{triples} triples, {clients} clients, {seconds:.0f} s per load, {len(mix)} distinct queries in the mix")

    # A first start builds rograph's store from the file (parse, write the build); then every
    # start below loads that build, as a restarted service does.
    first = start_rograph(data, work, cache=True, workers=workers)
    stop(first.process)
    print(f"  first start (build from {data.name}): {first.startup_s:.2f} s")

    results = {}
    for name, queries, cache in (("mix", mix, True), ("mix, no cache", mix, False), ("lookup+describe", lookups, True)):
        ours = start_rograph(data, work, cache=cache, workers=workers)
        try:
            results[name, "rograph"] = measure(ours, queries, clients, seconds)
        finally:
            stop(ours.process)
        if name == "mix":
            rograph_start = ours.startup_s
    for name, queries in (("mix", mix), ("lookup+describe", lookups)):
        theirs = start_oxigraph(location)
        try:
            results[name, "oxigraph"] = measure(theirs, queries, clients, seconds)
        finally:
            stop(theirs.process)
        if name == "mix":
            oxigraph_start = theirs.startup_s

    print(f"  start-up           rograph {rograph_start:.2f} s, oxigraph {oxigraph_start:.2f} s")
    print_row("mix", results["mix", "rograph"], results["mix", "oxigraph"])
    print_row("mix, no cache", results["mix, no cache", "rograph"], results["mix", "oxigraph"])
    print_row("lookup+describe", results["lookup+describe", "rograph"], results["lookup+describe", "oxigraph"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seconds", type=float, default=20.0, help="duration of each load")
    parser.add_argument("--clients", type=int, default=4, help="concurrent client processes")
    parser.add_argument("--workers", type=int, help="rograph's worker processes (default: ROGRAPH_WORKERS or 4)")
    parser.add_argument("--work", type=Path, default=PROJECT_DIR / "benchmarks" / "results",
                        help="where generated data and stores are kept between runs")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"rograph vs oxigraph serve-read-only; machine: {os.cpu_count()} cores")
    for triples in args.sizes:
        run_size(triples, args.work, args.clients, args.seconds, args.workers)


if __name__ == "__main__":
    main()
