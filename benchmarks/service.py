"""rograph's SPARQL service beside Oxigraph's own server, on the same generated data.

    python benchmarks/service.py                      # 100k and 1M triples, 20 s per load
    python benchmarks/service.py --sizes 100000 --seconds 10

For each size: generate the data (``rograph synth``, kept in ``--work`` between runs), load it
into rograph (``rograph serve --data``, rograph's defaults: every protection on) and what
rograph then serves (its build's dump: the data with the ontology, shapes and RDFS consequences)
into ``oxigraph serve-read-only --union-default-graph`` (after ``oxigraph load``), run both side by
side and send them the same queries from the same bounded load generator on loopback
(``harness.py``), taking turns at going first in ``--rounds`` rounds (default 3), so that the
shared machine's changing load falls on both; each round's ratio rograph/oxigraph and their
median are printed, with the date, the versions and the load average.

The loads, in this order:

* ``mix, no cache``: the researcher query mix below with rograph's answer cache off
  (``ROGRAPH_CACHE_BYTES=0``): the figure that says how fast the query path is; with the
  median latency of each kind of query on both servers (per-query ratios);
* ``lookups (wrk)``: distinct IRI lookups from Debian's ``wrk`` (``apt-get install wrk``) over 8
  keep-alive connections, each request a different subject of the data (``lookups.lua``),
  cache off; skipped with a note when ``wrk`` is not installed;
* ``mix, cached``: the mix with the cache on (one round); the load draws from a fixed set of
  queries, so it measures mostly the cache;
* ``mix, distinct``: the cache on, but every request a query not sent before (parameters drawn
  per request): the case a cache does not help.

The data is validated in the test suite at small sizes; here it is served ``--no-validate``,
since the figures are about serving, not about pyshacl (see issue 5 for validation at scale).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness import Endpoint, Measurement, free_port, load, memory_mib, stop, wait_until_answering, wrk_lookups  # noqa: E402

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


Query = tuple[str, str]  # (what kind of query, its text): the kind labels the per-query ratios


def lookup_queries(reports: int, rng: random.Random, count: int) -> list[Query]:
    queries = []
    for _ in range(count):
        n = rng.randint(1, reports)
        queries.append(("lookup", f"SELECT ?p ?o WHERE {{ <{ENTITY}organisation/synth-{n}-municipal-council> ?p ?o }}"))
        queries.append(("describe", f"DESCRIBE <{ENTITY}organisation/synth-{n}-social-service>"))
    return queries


def _parameterised(reports: int, rng: random.Random, *, any_day: bool = False) -> list[Query]:
    """One draw of each template of the mix with parameters, parameters drawn from ``rng``; with
    ``any_day`` the date windows start on any day (not on 1 January / 1 March), so that many more
    distinct queries can be drawn."""
    country = rng.randint(1, 30)
    year = rng.randint(2008, 2023)
    n = rng.randint(1, reports)
    month, day = (rng.randint(1, 12), rng.randint(1, 28)) if any_day else (1, 1)
    posts_month = month if any_day else 3
    return [
        (
            "meetings by date (join, FILTER, ORDER BY)",
            PREFIXES
            + f"""SELECT ?meeting ?date ?town ?participants WHERE {{
  ?meeting a rg:ExpertMeeting ;
    schema:organizer <{ENTITY}organisation/synth-country-{country}-ministry-of-culture> ;
    schema:startDate ?date ; schema:location ?town ;
    rg:participantCount/schema:value ?participants .
  FILTER(?date >= "{year}-{month:02d}-{day:02d}"^^xsd:date && ?date < "{year + 2}-{month:02d}-{day:02d}"^^xsd:date)
}} ORDER BY ?date""",
        ),
        (
            "mediator posts (OPTIONAL, lang)",
            PREFIXES
            + f"""SELECT ?post ?start ?employer ?name WHERE {{
  ?post a rg:RomaMediatorPost ; org:postIn ?employer ; dcterms:temporal/rg:earliestDay ?start .
  OPTIONAL {{ ?employer rdfs:label ?name FILTER(lang(?name) = "lv") }}
  FILTER(?start >= "{year}-{posts_month:02d}-{day:02d}"^^xsd:date && ?start < "{year + posts_month // 12}-{posts_month % 12 + 1:02d}-{day:02d}"^^xsd:date)
}}""",
        ),
        (
            "units of a council (path +)",
            PREFIXES
            + f"""SELECT ?unit ?name WHERE {{
  ?unit (org:unitOf|org:subOrganizationOf)+ <{ENTITY}organisation/synth-{n}-municipal-council> .
  OPTIONAL {{ ?unit rdfs:label ?name FILTER(langMatches(lang(?name), "en")) }}
}}""",
        ),
        (
            "agreements by country, year (path)",
            PREFIXES
            + f"""SELECT ?meeting ?agreement WHERE {{
  ?meeting schema:location/schema:containedInPlace/schema:containedInPlace <{ENTITY}place/synth-country-{country}> .
  ?agreement a rg:Agreement ; rg:outcomeOf ?meeting ; rg:minimumTimesPerYear ?times .
  ?meeting schema:startDate ?date FILTER(YEAR(?date) = {year})
}}""",
        ),
    ]


#: The mix's queries without parameters (the same text every time).
FIXED: list[Query] = [
    (
        "projects per programme (GROUP BY)",
        PREFIXES
        + """SELECT ?programme (COUNT(?project) AS ?projects) WHERE {
  ?project rg:fundingProgramme ?programme } GROUP BY ?programme ORDER BY DESC(?projects) LIMIT 20""",
    ),
    (
        "participations per role (GROUP BY)",
        PREFIXES
        + """SELECT ?role (COUNT(*) AS ?participations) WHERE {
  ?participation a rg:Participation ; m8g:role ?role } GROUP BY ?role""",
    ),
]


def mix_queries(reports: int, rng: random.Random, count: int) -> list[Query]:
    """The researcher mix: lookups, joins with date filters, OPTIONAL with language filters,
    GROUP BY counts, organisation hierarchy paths, DESCRIBE; ``count`` draws of each template,
    so a load drawing from it repeats queries as a real query log does."""
    queries = lookup_queries(reports, rng, count)
    for _ in range(count):
        queries += _parameterised(reports, rng)
    return queries + FIXED


def distinct_queries(reports: int, rng: random.Random, count: int) -> list[Query]:
    """About ``count`` queries of the mix's templates with parameters, no two the same text: the
    load a cache of answers cannot help (the fixed GROUP BY queries have no parameter, so they
    are left out; templates with few parameter values are drawn less once those run out)."""
    seen: set[str] = set()
    queries: list[Query] = []
    for _ in range(count * 4):
        if len(queries) >= count:
            break
        for query in lookup_queries(reports, rng, 1) + _parameterised(reports, rng, any_day=True):
            if query[1] not in seen:
                seen.add(query[1])
                queries.append(query)
    rng.shuffle(queries)
    return queries


@dataclass
class Server:
    name: str
    endpoint: Endpoint
    process: subprocess.Popen
    startup_s: float


def serve_command(data: Path, work: Path, port: int) -> list[str]:
    """``rograph serve`` on the generated ``data`` (validated before, by ``rograph validate``),
    its build kept in ``work`` between runs."""
    return [
        sys.executable,
        "-m",
        "rograph",
        "serve",
        "--data",
        str(data),
        "--no-validate",
        "--var-dir",
        str(work / "rograph-var"),
        "--project-dir",
        str(PROJECT_DIR),
        "--port",
        str(port),
    ]


def start_rograph(data: Path, work: Path, *, cache: bool, workers: int | None) -> Server:
    port = free_port()
    env = dict(os.environ, ROGRAPH_LOG_LEVEL="WARNING")
    if workers:
        env["ROGRAPH_WORKERS"] = str(workers)
    if not cache:
        env["ROGRAPH_CACHE_BYTES"] = "0"
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


def oxigraph_of_the_build(work: Path) -> Path:
    """Oxigraph's database holding what rograph serves: the N-Quads dump of the build in
    ``work`` (the generated data with the ontology, the shapes and the RDFS consequences the
    build adds, a quarter more quads than the generated file at 1M), so that both servers answer
    the same queries over the same dataset. Loaded once per build (named by its version)."""
    build = (work / "rograph-var" / "current").resolve()
    location = work / f"oxigraph-{build.name[:16]}"
    if not location.exists():
        started = time.perf_counter()
        subprocess.run(
            [OXIGRAPH, "load", "--location", str(location), "--file", str(build / "dumps" / "dataset.nq")],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        print(f"  oxigraph load of the build's dump: {time.perf_counter() - started:.1f} s", flush=True)
    return location


def start_oxigraph(location: Path) -> Server:
    port = free_port()
    command = [
        OXIGRAPH,
        "serve-read-only",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
    wait_until_answering("127.0.0.1", port, "/query?query=ASK%7B%7D", 300)
    return Server(
        "oxigraph",
        Endpoint("oxigraph", "127.0.0.1", port, "/query", process.pid),
        process,
        time.perf_counter() - started,
    )


def measure(
    server: Server, queries: list[Query], clients: int, seconds: float, *, distinct: bool = False
) -> tuple[Measurement, float]:
    """Load ``server`` and sample its memory meanwhile; returns the measurement and peak MiB."""
    peak, done = [memory_mib(server.endpoint.pid)], threading.Event()

    def sample() -> None:
        while not done.wait(0.25):
            peak.append(memory_mib(server.endpoint.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    result = load(server.endpoint, queries, clients=clients, seconds=seconds, accept=ACCEPT, distinct=distinct)
    done.set()
    sampler.join()
    return result, max(peak)


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}x" if theirs else "n/a"


def load_average() -> str:
    return "load average " + " ".join(f"{value:.1f}" for value in os.getloadavg())


def print_row(label: str, ours: tuple[Measurement, float], theirs: tuple[Measurement, float]) -> None:
    (a, a_mem), (b, b_mem) = ours, theirs
    print(
        f"  {label:<18} rograph {a.throughput:8.1f} q/s  p50 {a.p50:7.2f} ms  p95 {a.percentile(95):8.2f} ms  "
        f"errors {a.errors}  peak {a_mem:7.0f} MiB"
    )
    print(
        f"  {'':<18} oxigraph{b.throughput:8.1f} q/s  p50 {b.p50:7.2f} ms  p95 {b.percentile(95):8.2f} ms  "
        f"errors {b.errors}  peak {b_mem:7.0f} MiB"
    )
    print(
        f"  {'':<18} ratio   {ratio(a.throughput, b.throughput):>8} throughput, p50 {a.p50 - b.p50:+.2f} ms, "
        f"memory {ratio(a_mem, b_mem)}",
        flush=True,
    )


def alternating_rounds(label: str, ours: Server, theirs: Server, rounds: int, run) -> list[tuple]:
    """``run(server, round)`` on both servers, ``rounds`` times, taking turns at going first (so a
    change in the machine's load falls on both); prints each round and the median ratio."""
    results = []
    for index in range(rounds):
        order = (ours, theirs) if index % 2 == 0 else (theirs, ours)
        figures = {server.name: run(server, index) for server in order}
        results.append((figures["rograph"], figures["oxigraph"]))
        a, b = (f[0] if isinstance(f, tuple) else f for f in results[-1])
        print(
            f"  {label:<18} round {index + 1}: rograph {a.throughput:8.1f} q/s, oxigraph {b.throughput:8.1f} q/s, "
            f"ratio {ratio(a.throughput, b.throughput)} ({load_average()})",
            flush=True,
        )
    ratios = [
        a.throughput / b.throughput
        for a, b in ((f[0] if isinstance(f, tuple) else f for f in pair) for pair in results)
        if b.throughput
    ]
    print(
        f"  {label:<18} MEDIAN RATIO {statistics.median(ratios):.2f}x over {len(ratios)} alternating rounds", flush=True
    )
    return results


def per_query_ratios(results: list[tuple[tuple[Measurement, float], tuple[Measurement, float]]]) -> None:
    """Per kind of query over every round: oxigraph's median latency / rograph's (each server under
    the same mix and concurrency), so 1.00x is par and below 1 rograph is slower."""
    ours: dict[str, list[float]] = {}
    theirs: dict[str, list[float]] = {}
    for (a, _), (b, _) in results:
        for label, values in a.by_label.items():
            ours.setdefault(label, []).extend(values)
        for label, values in b.by_label.items():
            theirs.setdefault(label, []).extend(values)
    for label in sorted(ours, key=lambda name: statistics.median(theirs.get(name, [0.0]))):
        a, b = statistics.median(ours[label]), statistics.median(theirs.get(label, [float("nan")]))
        print(
            f"    {label:<38} p50 rograph {a:8.2f} ms, oxigraph {b:8.2f} ms: {b / a:.2f}x "
            f"({len(ours[label])} / {len(theirs.get(label, []))} answers)"
        )


def subjects_file(data: Path, work: Path) -> Path:
    """Every distinct subject IRI of ``data`` (N-Quads), one ``<iri>`` a line, in a random order."""
    path = work / f"{data.stem}-subjects.txt"
    if not path.exists():
        subjects = sorted({line.split(" ", 1)[0] for line in data.open(encoding="utf-8") if line.startswith("<")})
        random.Random(0).shuffle(subjects)
        path.write_text("\n".join(subjects) + "\n", encoding="utf-8")
    return path


def wrk_rounds(
    data: Path, work: Path, ours: Server, theirs: Server, connections: int, seconds: float, rounds: int
) -> None:
    if shutil.which("wrk") is None:
        print("  lookups (wrk)      skipped: wrk is not installed (apt-get install wrk)")
        return
    iris = subjects_file(data, work)
    count = sum(1 for _ in iris.open())
    print(f"  lookups (wrk): {connections} keep-alive connections, {count} distinct IRIs, each request another one")
    results = alternating_rounds(
        "lookups (wrk)",
        ours,
        theirs,
        rounds,
        lambda server, _: wrk_lookups(server.endpoint, iris, connections=connections, threads=2, seconds=seconds),
    )
    for index, (a, b) in enumerate(results):
        print(
            f"    round {index + 1}: p50 rograph {a.p50_ms:.2f} ms, oxigraph {b.p50_ms:.2f} ms; non-2xx {a.errors} / {b.errors}"
        )


def versions() -> str:
    import pyoxigraph

    from rograph import __version__

    commit = subprocess.run(
        ["git", "-C", str(PROJECT_DIR), "describe", "--always", "--dirty"], capture_output=True, text=True
    ).stdout.strip()
    server = subprocess.run([OXIGRAPH, "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"rograph {__version__} ({commit or 'no git'}), pyoxigraph {pyoxigraph.__version__}, {server or 'oxigraph ?'}, "
        f"Python {sys.version.split()[0]}"
    )


def run_size(
    triples: int, work: Path, clients: int, seconds: float, workers: int | None, only_wrk: bool = False, rounds: int = 3
) -> None:
    data = work / f"synth-{triples}.nq"
    if not data.exists():
        subprocess.run(
            [sys.executable, "-m", "rograph", "synth", "--triples", str(triples), "--out", str(data)], check=True
        )
    rng = random.Random(triples)
    reports = report_count(triples)
    mix = mix_queries(reports, rng, 200)
    print(
        f"\n{triples} triples, {clients} clients, {seconds:.0f} s per load, {len(mix)} distinct queries in the mix; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {load_average()}"
    )

    # A first start builds rograph's store from the file (parse, write the build); then every
    # start below loads that build, as a restarted service does.
    first = start_rograph(data, work, cache=True, workers=workers)
    stop(first.process)
    print(f"  first start (build from {data.name}): {first.startup_s:.2f} s")

    theirs = start_oxigraph(oxigraph_of_the_build(work))
    uncached = start_rograph(data, work, cache=False, workers=workers)
    try:
        print(f"  start-up           rograph {uncached.startup_s:.2f} s, oxigraph {theirs.startup_s:.2f} s")
        if not only_wrk:
            print("  -- the answer cache OFF (ROGRAPH_CACHE_BYTES=0), every other setting rograph's default")
            results = alternating_rounds(
                "mix, no cache", uncached, theirs, rounds, lambda server, _: measure(server, mix, clients, seconds)
            )
            rograph_mem = max(a[1] for a, _ in results)
            oxigraph_mem = max(b[1] for _, b in results)
            print(
                f"  {'':<18} peak memory rograph {rograph_mem:.0f} MiB, oxigraph {oxigraph_mem:.0f} MiB (PSS of the process trees)"
            )
            print("  per query (medians over every round):")
            per_query_ratios(results)
        wrk_rounds(data, work, uncached, theirs, 8, seconds, rounds)
    finally:
        stop(uncached.process)
    if only_wrk:
        stop(theirs.process)
        return
    cached = start_rograph(data, work, cache=True, workers=workers)
    try:
        print("  -- the answer cache ON (rograph's default)")
        repeated = alternating_rounds(
            "mix, cached", cached, theirs, 1, lambda server, _: measure(server, mix, clients, seconds)
        )
        print_row("mix, cached", *repeated[0])
        print(
            f"  {'':<18} (assumes repeats: the load draws from {len(mix)} queries, so most answers come from the cache)"
        )
        fresh = distinct_queries(reports, random.Random(triples + 1), 60_000)
        share = len(fresh) // rounds
        parts = [fresh[index * share : (index + 1) * share] for index in range(rounds)]
        print(
            f"  distinct queries: {len(fresh)}, {share} for each round (both servers get the same ones; "
            "parameters drawn per request; the parameterless GROUP BY queries left out)"
        )
        # A part of the list for each round, the same for both servers: no query reaches rograph twice.
        results = alternating_rounds(
            "mix, distinct",
            cached,
            theirs,
            rounds,
            lambda server, index: measure(server, parts[index], clients, seconds, distinct=True),
        )
        for index, ((a, _), (b, _)) in enumerate(results):
            print(
                f"    round {index + 1}: {a.requests} / {b.requests} requests"
                + (" (its part ran out: some repeated)" if max(a.requests, b.requests) > share else "")
            )
    finally:
        stop(cached.process)
        stop(theirs.process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seconds", type=float, default=20.0, help="duration of each load")
    parser.add_argument("--clients", type=int, default=4, help="concurrent client processes")
    parser.add_argument("--workers", type=int, help="rograph's worker processes (default: ROGRAPH_WORKERS or 4)")
    parser.add_argument(
        "--server", choices=["waitress", "gunicorn"], help="rograph's HTTP front (default: ROGRAPH_SERVER or waitress)"
    )
    parser.add_argument("--only-wrk", action="store_true", help="only the wrk lookup load")
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternating rounds per load (the median ratio is printed)"
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=PROJECT_DIR / "benchmarks" / "results",
        help="where generated data and stores are kept between runs",
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.server:
        os.environ["ROGRAPH_SERVER"] = args.server
    print(f"rograph vs oxigraph serve-read-only; machine: {os.cpu_count()} cores; {versions()}")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    for triples in args.sizes:
        run_size(triples, args.work, args.clients, args.seconds, args.workers, args.only_wrk, args.rounds)


if __name__ == "__main__":
    main()
