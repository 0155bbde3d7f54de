"""Where a lookup's CPU goes, by process, while ``wrk`` sends distinct IRI lookups to ``rograph serve``.

    python benchmarks/lookup_cpu.py                   # 1M triples, 10 s, cache off
    python benchmarks/lookup_cpu.py --triples 100000 --seconds 5

Starts ``rograph serve`` as ``benchmarks/service.py`` does (its generated data and build in
``--work``, which ``service.py`` makes; rograph's defaults, the answer cache off), warms it with
3 s of ``wrk``, then reads the CPU (user + system, ``/proc``) of every process of the service
before and after a ``wrk`` run of ``--seconds`` (8 keep-alive connections, each request another
IRI, ``lookups.lua``) and prints it per lookup, grouped by process name: the HTTP workers (and
the idle serve process) are ``python``, the broker ``rograph-broker``, the executors
``rograph-exec``. Lookups are wrk's requests per second times the seconds it ran.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness import Endpoint, free_port, process_tree, stop, wait_until_answering, wrk_lookups  # noqa: E402
from service import PROJECT_DIR, serve_command, subjects_file  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_by_name(root: int) -> dict[int, tuple[str, float]]:
    """Each process of ``root``'s tree: its name and CPU seconds so far."""
    found = {}
    for pid in process_tree(root):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        found[pid] = (name, (int(fields[11]) + int(fields[12])) / TICKS)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--work", type=Path, default=PROJECT_DIR / "benchmarks" / "results")
    args = parser.parse_args()
    data = args.work / f"synth-{args.triples}.nq"
    if not data.exists():
        raise SystemExit(f"{data} is missing: run python benchmarks/service.py --sizes {args.triples} --only-wrk first")
    iris = subjects_file(data, args.work)
    port = free_port()
    env = dict(os.environ, ROGRAPH_LOG_LEVEL="WARNING", ROGRAPH_CACHE_BYTES="0")
    process = subprocess.Popen(serve_command(data, args.work, port), env=env, start_new_session=True)
    try:
        wait_until_answering("127.0.0.1", port, "/health", 900)
        endpoint = Endpoint("rograph", "127.0.0.1", port, "/sparql", process.pid)
        wrk_lookups(endpoint, iris, connections=8, threads=2, seconds=3)
        before = cpu_by_name(process.pid)
        started = time.monotonic()
        result = wrk_lookups(endpoint, iris, connections=8, threads=2, seconds=args.seconds)
        ran = time.monotonic() - started
        after = cpu_by_name(process.pid)
        lookups = result.throughput * round(args.seconds)
        print(
            f"{args.triples} triples, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average "
            f"{os.getloadavg()[0]:.1f}: {result.throughput:.0f} lookups/s (p50 {result.p50_ms:.2f} ms, wrk ran {ran:.1f} s)"
        )
        groups: dict[str, list[float]] = {}
        for pid, (name, cpu) in after.items():
            groups.setdefault(name, []).append(cpu - before.get(pid, (name, 0.0))[1])
        for name, spent in sorted(groups.items()):
            print(f"  {name:<16} {len(spent)} processes {sum(spent) / lookups * 1e6:7.0f} µs CPU per lookup")
    finally:
        stop(process)


if __name__ == "__main__":
    main()
