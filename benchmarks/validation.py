"""``rograph validate`` beside a plain pyshacl run of the same shapes on the same data.

    python benchmarks/validation.py                   # 100k and 1M triples
    python benchmarks/validation.py --sizes 100000

For each size: generate the data (``rograph synth``, one TriG file per source, as in ``data/``,
kept in ``--work``), then time, each in a fresh process and measuring its peak resident memory:

* plain pyshacl: rdflib parses the files, pyshacl validates their union plus the ontology
  against the shapes (no inference), as a curator would run it;
* ``rograph validate`` (the compiled engine), a full run;
* ``rograph validate --incremental`` after one source file changed (the state written by a
  first incremental run, which is not timed).

All three must agree on the number of results; the benchmark says so if they do not.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

PLAIN_PYSHACL = r"""
import json, sys, pathlib, pyshacl, rdflib
data = rdflib.Graph()
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.trig")):
    dataset = rdflib.Dataset()
    dataset.parse(str(path), format="trig")
    for s, p, o, _ in dataset.quads():
        data.add((s, p, o))
for path in sorted(pathlib.Path(sys.argv[2], "ontology").glob("*.ttl")):
    data.parse(str(path), format="turtle")
shapes = rdflib.Graph()
for path in sorted(pathlib.Path(sys.argv[2], "shapes").glob("*.ttl")):
    shapes.parse(str(path), format="turtle")
conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=False)
print(json.dumps({"results": len(list(report.subjects(rdflib.RDF.type, rdflib.SH.ValidationResult)))}))
"""


def measured(command: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """Run ``command``; its wall time in seconds, peak resident memory in MiB, and output.

    Output goes to a file, not a pipe: a report larger than a pipe's buffer would block the
    command while we wait for it.
    """
    with tempfile.TemporaryFile() as output_file:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=output_file, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        output_file.seek(0)
        output = output_file.read().decode()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({code}):\n{output[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, output


def rograph(*args: str) -> list[str]:
    return [sys.executable, "-m", "rograph", *args]


def result_count(output: str) -> int:
    start = output.index("{")
    return len(json.loads(output[start : output.rindex("}") + 1])["results"])


def run_size(triples: int, work: Path, plain: bool) -> None:
    folder = work / f"sources-{triples}"
    if not folder.exists():
        subprocess.run(
            rograph("synth", "--triples", str(triples), "--out", str(folder)), check=True, stdout=subprocess.DEVNULL
        )
    files = len(list(folder.glob("*.trig")))
    print(f"\n{triples} triples in {files} source files")

    if plain:
        plain_s, plain_mib, out = measured([sys.executable, "-c", PLAIN_PYSHACL, str(folder), str(PROJECT_DIR)])
        plain_results = json.loads(out[out.index("{") : out.rindex("}") + 1])["results"]
        print(f"  plain pyshacl          {plain_s:8.1f} s  {plain_mib:7.0f} MiB  {plain_results} results", flush=True)
    else:
        plain_s = plain_mib = float("nan")
        plain_results = None
        print("  plain pyshacl          skipped (--no-plain)")

    full_s, full_mib, out = measured(
        rograph("validate", "--format", "json", "--project-dir", str(PROJECT_DIR), str(folder))
    )
    full_results = result_count(out)
    print(
        f"  rograph validate       {full_s:8.1f} s  {full_mib:7.0f} MiB  {full_results} results   "
        f"{plain_s / full_s:.1f}x faster, {full_mib / plain_mib:.2f}x the memory",
        flush=True,
    )

    var = work / f"var-{triples}"
    shutil.rmtree(var, ignore_errors=True)
    env = dict(os.environ, ROGRAPH_VAR_DIR=str(var))
    incremental = rograph(
        "validate", "--incremental", "--format", "json", "--project-dir", str(PROJECT_DIR), str(folder)
    )
    first_s, first_mib, _ = measured(incremental, env)
    print(f"  first --incremental    {first_s:8.1f} s  {first_mib:7.0f} MiB  (full run, writes the state)", flush=True)
    reports = sorted(folder.glob("synth-report-*.trig"))
    changed = reports[len(reports) // 2]
    original = changed.read_text(encoding="utf-8")
    try:
        changed.write_text(original.replace('(synthetic)"@en', '(synthetic, edited)"@en', 1), encoding="utf-8")
        again_s, again_mib, out = measured(incremental, env)
        again_results = result_count(out)
        account = next((line for line in out.splitlines() if line.startswith("rograph validate:")), "")
    finally:
        changed.write_text(original, encoding="utf-8")
    print(
        f"  --incremental, 1 file  {again_s:8.1f} s  {again_mib:7.0f} MiB  {again_results} results   "
        f"{100 * again_s / full_s:.1f}% of the full run, {100 * again_s / plain_s:.1f}% of plain pyshacl"
    )
    print(f"    ({account.removeprefix('rograph validate: ')})")
    if plain_results not in (None, full_results) or full_results != again_results:
        print("  RESULT COUNTS DIFFER: the engines disagree on this data")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--no-plain", action="store_true", help="skip the plain pyshacl run (7 minutes at 1M triples)")
    parser.add_argument("--work", type=Path, default=PROJECT_DIR / "benchmarks" / "results")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"rograph validate vs plain pyshacl; machine: {os.cpu_count()} cores")
    for triples in args.sizes:
        run_size(triples, args.work, not args.no_plain)


if __name__ == "__main__":
    main()
