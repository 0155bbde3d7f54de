"""Validate only what changed since the last validated state.

The state lives in ``<var>/validation/``: ``store/``, an on-disk pyoxigraph store holding the
data and ontology as last validated, and ``state.json`` with a hash of the rules (ontology and
shapes), each data file's signature and the named graphs it fills, and the results. A new run,
if the rules are unchanged:

1. finds the data files that changed (size and modification time, then content hash), and
   parses only those;
2. replaces their graphs in the store (every file filling one of those graphs is re-read),
   and compares the old statements of those graphs with the new ones;
3. re-checks the focus nodes a changed statement can affect: its subject (its values
   changed); its object, if some shape reads that predicate backwards (inverse paths,
   ``sh:targetObjectsOf``); and, if a node's types changed, every node pointing at it
   (``sh:class`` reads the types of values). That is as far as a compiled core constraint
   looks. SPARQL-based constraints can look anywhere, so they run whole (each is one query);
4. keeps the results of every other focus node from the state.

Anything the state cannot vouch for means a full run: changed rules, shapes that do not
compile (pyshacl needs the whole graph), a changed file with blank nodes (their labels
change between parses). The test suite checks that an incremental run gives exactly the
report of a full one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import pyoxigraph as ox

from rograph.namespaces import RDF, SH
from rograph.sources import ProjectFiles, read_quads
from rograph.validation import compiled_engine
from rograph.validation.compiled import SPARQL_COMPONENT, compile_shapes
from rograph.validation.evidence import check_texts
from rograph.validation.locate import locate_results
from rograph.validation.model import Found, Report, Severity
from rograph.validation.parsed import Parsed, named_graph_statements

STATE_VERSION = 3


def validate_incremental(
    files: ProjectFiles, state_dir: Path, progress: Callable[[int, int, str], None] | None = None
) -> tuple[Report, str]:
    """Validate ``files`` using and updating the state in ``state_dir``; returns the report and
    a one-line account of what was re-checked."""
    state = _load(state_dir / "state.json")
    rules = _rules_hash(files)
    shapes_quads = [q for source in files.shapes for q in read_quads(source)]
    checks, left = compile_shapes(shapes_quads)
    signatures = {str(s.path): _signature(s.path, state.get("files", {}).get(str(s.path))) for s in files.data}
    if state.get("rules") != rules or left or not (state_dir / "store").is_dir():
        return _full(files, state_dir, rules, signatures, "full run (no earlier state for these rules)", progress)

    before = state["files"]
    changed = {path for path, signature in signatures.items() if before.get(path, {}).get("hash") != signature["hash"]}
    removed = set(before) - set(signatures)
    graphs = {g for path in changed | removed for g in before.get(path, {}).get("graphs", [])}
    reread = {s for s in files.data if str(s.path) in changed}
    # Every file that fills an affected graph is read again, so the graph is whole.
    reread |= {s for s in files.data if set(before.get(str(s.path), {}).get("graphs", [])) & graphs}
    new_quads = {str(s.path): list(read_quads(s)) for s in reread}
    if not changed and not removed:
        _save(state_dir / "state.json", rules, signatures, [_found(r) for r in state["results"]])
        return _report(
            files, [_found(r) for r in state["results"]], ox.Store(str(state_dir / "store"))
        ), f"0 of {len(signatures)} data files changed"
    for path, quads in new_quads.items():
        signatures[path]["graphs"] = sorted(_graph_names(quads))
        graphs |= set(signatures[path]["graphs"])
    if "" in graphs or any(
        isinstance(t, ox.BlankNode) for quads in new_quads.values() for q in quads for t in (q.subject, q.object)
    ):
        return _full(
            files,
            state_dir,
            rules,
            signatures,
            "full run (a changed file has blank nodes or default-graph statements)",
            progress,
        )

    # From here the store no longer matches the state: without a state, a run cut short here
    # is followed by a full one.
    (state_dir / "state.json").unlink()
    store = ox.Store(str(state_dir / "store"))
    old = {
        ox.Triple(q.subject, q.predicate, q.object)
        for g in graphs
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g))
    }
    added = [q for quads in new_quads.values() for q in quads]
    new = {ox.Triple(q.subject, q.predicate, q.object) for q in added}
    for graph in graphs:
        store.update(f"DROP SILENT GRAPH <{graph}>")
        store.remove(named_graph_statements([graph])[0])
    store.extend(added)
    store.extend(named_graph_statements(_graph_names(added)))
    affected = {g for g in graphs if g} | _affected_by(store, old ^ new, _inverse_predicates(shapes_quads))

    kept = [
        _found(r) for r in state["results"] if r["focus_node"] not in affected and r["constraint"] != SPARQL_COMPONENT
    ]
    found = kept + compiled_engine.run_checks(store, checks, focus=affected, progress=progress)
    store.flush()
    _save(state_dir / "state.json", rules, signatures, found)
    account = (
        f"{len(changed | removed)} of {len(signatures)} data files changed ({len(graphs)} graphs): "
        f"re-checked {len(affected)} focus nodes"
    )
    return _report(files, found, store), account


def _full(
    files: ProjectFiles,
    state_dir: Path,
    rules: str,
    signatures: dict,
    account: str,
    progress: Callable[[int, int, str], None] | None,
) -> tuple[Report, str]:
    """Validate everything, and write the state (store included) for the next run."""
    parsed = Parsed.read(files)
    # Validated in memory (faster to query); that copy is gone when the disk one is written.
    found = compiled_engine.find(parsed, parsed.union_store(), progress)
    for source in files.data:
        signatures[str(source.path)]["graphs"] = sorted(_graph_names(parsed.data_by_file[source.path]))
    location = state_dir / "store"
    shutil.rmtree(location, ignore_errors=True)
    state_dir.mkdir(parents=True, exist_ok=True)
    store = parsed.union_store(location)
    _save(state_dir / "state.json", rules, signatures, found)
    return _report(files, found, store), account


def _report(files: ProjectFiles, found: list[Found], store: ox.Store) -> Report:
    """The report of ``found``, with the source texts checked against the validated ``store``
    (they are not part of the state: they are read on every run)."""
    return locate_results(found + check_texts(store, files.root), files)


def _found(stored: dict) -> Found:
    return Found(**{**stored, "severity": Severity(stored["severity"])})


def _graph_names(quads) -> set[str]:
    return {q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "" for q in quads}


def _inverse_predicates(shapes_quads: list[ox.Quad]) -> set[str]:
    """Predicates whose objects a shape reads: in inverse paths and sh:targetObjectsOf."""
    return {
        q.object.value
        for q in shapes_quads
        if q.predicate.value in (SH + "inversePath", SH + "targetObjectsOf") and isinstance(q.object, ox.NamedNode)
    }


def _affected_by(store: ox.Store, changed: set[ox.Triple], inverse: set[str]) -> set[str]:
    """The focus nodes whose results a change of these statements can alter.

    A statement's subject (its values changed); its object when the predicate is read
    backwards by some shape; and, when a node's types changed, every node pointing at it
    (``sh:class`` reads the types of values).
    """
    affected: set[str] = set()
    retyped: set[str] = set()
    for triple in changed:
        if isinstance(triple.subject, ox.NamedNode):
            affected.add(triple.subject.value)
            if triple.predicate.value == RDF + "type":
                retyped.add(triple.subject.value)
        if isinstance(triple.object, ox.NamedNode) and triple.predicate.value in inverse:
            affected.add(triple.object.value)
    return affected | _pointing_at(store, retyped)


def _signature(path: Path, before: dict | None) -> dict:
    """Size, modification time and content hash; the hash is reused when size and time match."""
    status = path.stat()
    if before and before.get("size") == status.st_size and before.get("mtime") == status.st_mtime_ns:
        return dict(before)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return {
        "size": status.st_size,
        "mtime": status.st_mtime_ns,
        "hash": digest,
        "graphs": (before or {}).get("graphs", []),
    }


def _rules_hash(files: ProjectFiles) -> str:
    digest = hashlib.sha256(f"rograph-validation-{STATE_VERSION}".encode())
    # File names and contents, not paths: the same project in another folder has the same rules.
    for source in files.ontology + files.shapes:
        digest.update(source.path.name.encode() + b"\0" + source.path.read_bytes() + b"\0")
    return digest.hexdigest()


def _pointing_at(store: ox.Store, nodes: set[str]) -> set[str]:
    """IRIs with a statement whose object is one of ``nodes``, anywhere in the union."""
    pointing: set[str] = set()
    ordered = sorted(nodes)
    for start in range(0, len(ordered), 5000):
        values = " ".join(f"<{n}>" for n in ordered[start : start + 5000])
        rows = store.query(
            f"SELECT DISTINCT ?s WHERE {{ VALUES ?o {{ {values} }} ?s ?p ?o FILTER(isIRI(?s)) }}",
            use_default_graph_as_union=True,
        )
        assert isinstance(rows, ox.QuerySolutions)
        pointing.update(row["s"].value for row in rows)
    return pointing


def _load(path: Path) -> dict:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if state.get("version") == STATE_VERSION else {}


def _save(path: Path, rules: str, files: dict, found: list[Found]) -> None:
    state = {
        "version": STATE_VERSION,
        "rules": rules,
        "files": files,
        "results": [{**asdict(f), "severity": int(f.severity)} for f in found],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".tmp-{os.getpid()}")
    temporary.write_text(json.dumps(state), encoding="utf-8")
    os.replace(temporary, path)
