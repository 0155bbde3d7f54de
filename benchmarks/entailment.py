"""The build's RDFS consequences (``rograph.store.entailment``) beside owlrl's RDFS closure of
the same data, and beside loading that data, each measured in this run.

    python benchmarks/entailment.py                    # 100k and 1M triples (owlrl at 100k only)
    python benchmarks/entailment.py --sizes 100000 --owlrl-up-to 100000

For each size: generate the data (``rograph synth``), load it with the project's ontology into
a pyoxigraph store (timed: the peer every build pays anyway), compute the consequences (timed),
and, up to ``--owlrl-up-to`` triples, run owlrl's ``RDFS_Semantics`` closure on an rdflib graph of
the same quads (timed; owlrl is the well-kept library that would do this job). Times are CPU
seconds of this process (``time.process_time``), which a busy machine disturbs less than wall
time. owlrl's closure is larger (axioms, ``rdfs:Resource`` types, domain and range): the
benchmark checks that it contains every consequence rograph adds.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from rograph import sources, synth
from rograph.namespaces import ONTOLOGY_GRAPH
from rograph.store import entailment

PROJECT_DIR = Path(__file__).resolve().parent.parent


def _cpu(work):
    start = time.process_time()
    result = work()
    return result, time.process_time() - start


def measure(triples: int, work: Path, with_owlrl: bool) -> None:
    data = work / f"synth-{triples}.nq"
    if not data.exists():
        synth.write(triples, data)
    ontology = [
        q
        for q in sources.load(sources.discover(PROJECT_DIR)).quads_for_pattern(
            None, None, None, ox.NamedNode(ONTOLOGY_GRAPH)
        )
    ]

    def load() -> ox.Store:
        store = ox.Store()
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        store.extend(ontology)
        return store

    store, load_s = _cpu(load)
    added, entail_s = _cpu(lambda: list(entailment.consequences(store)))
    print(
        f"{len(store):>9,} quads: load {load_s:6.1f} s CPU; consequences {len(added):,} quads in {entail_s:6.1f} s CPU "
        f"= {entail_s / load_s:.2f} x the load"
    )
    if not with_owlrl:
        return
    import owlrl
    import rdflib

    graph = rdflib.Graph()
    for quad in store.quads_for_pattern(None, None, None, None):
        graph.add(tuple(rdflib.util.from_n3(str(term)) for term in (quad.subject, quad.predicate, quad.object)))
    before = len(graph)
    _, owlrl_s = _cpu(lambda: owlrl.DeductiveClosure(owlrl.RDFS_Semantics).expand(graph))
    missing = sum(
        1 for q in added if tuple(rdflib.util.from_n3(str(t)) for t in (q.subject, q.predicate, q.object)) not in graph
    )
    print(
        f"{'':>9}  owlrl RDFS closure: {len(graph) - before:,} triples added in {owlrl_s:6.1f} s CPU "
        f"= {owlrl_s / entail_s:.1f} x rograph's consequences; rograph's consequences missing from it: {missing}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--owlrl-up-to", type=int, default=100_000, help="run owlrl only up to this many triples")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "rograph-bench-entailment")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        measure(size, args.work, size <= args.owlrl_up_to)


if __name__ == "__main__":
    main()
