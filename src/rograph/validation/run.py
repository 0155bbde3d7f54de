"""Run pyshacl over the project's files and turn its report into located results.

What pyshacl sees:

* data graph: the union of every data file's named graphs, with the ontology mixed in so that
  ``rdfs:subClassOf`` counts for targets and ``sh:class`` without running inference;
* one extra triple per named graph of the data files, ``<graph> a sd:NamedGraph``, because a
  union graph hides which graphs exist and the shapes require each one to name its source;
* shapes graph: the files under ``shapes/``.

Beside SHACL, the evidence quotes are checked against the source texts (``evidence``).

Files are parsed once, by pyoxigraph (fast, and exact about syntax error positions), and handed
to rdflib as N-Triples, which rdflib parses faster than any other route we measured.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH, XSD

from rograph.namespaces import PREFIXES
from rograph.sources import ProjectFiles, read_quads
from rograph.validation.evidence import check_texts
from rograph.validation.locate import Locator
from rograph.validation.compiled import SPARQL_COMPONENT, Check, NotCompilable, ShapesGraph, compile_shapes, run_check, shown_path
from rograph.validation.model import Report, Result, Severity

SD_NAMED_GRAPH = rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#NamedGraph")


#: The engines ``validate`` can use: ``compiled`` (SPARQL on pyoxigraph, pyshacl for what does
#: not compile; the default) and ``pyshacl`` (the reference, for every shape).
ENGINES = ("compiled", "pyshacl")
#: Where the compiled engine puts the ``<graph> a sd:NamedGraph`` statements it adds.
ADDED_GRAPH = ox.NamedNode("urn:rograph:validation:named-graphs")


def validate(files: ProjectFiles, *, engine: str = "compiled", progress: Callable[[int, int, str], None] | None = None) -> Report:
    """Validate the data and ontology in ``files`` against its shapes.

    Raises :class:`rograph.sources.SourceError` if any file cannot be read or parsed; in that
    case nothing is validated.
    """
    parsed = Parsed.read(files)
    if engine == "pyshacl":
        found = list(_pyshacl_results(parsed.data_graph(), parsed.shapes_quads))
    elif engine == "compiled":
        found = run_compiled(parsed, progress)
    else:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    return parsed.report(found)


class Parsed:
    """The project's files parsed once (by pyoxigraph), ready for either engine."""

    def __init__(self, files: ProjectFiles, ontology: list[ox.Quad], data_by_file: dict, shapes: list[ox.Quad]):
        self.files, self.ontology_quads, self.shapes_quads = files, ontology, shapes
        self.data_by_file: dict = data_by_file
        self.data_quads = [quad for quads in data_by_file.values() for quad in quads]

    @classmethod
    def read(cls, files: ProjectFiles) -> "Parsed":
        return cls(
            files,
            [q for source in files.ontology for q in read_quads(source)],
            {source.path: list(read_quads(source)) for source in files.data},
            [q for source in files.shapes for q in read_quads(source)],
        )

    @property
    def graph_names(self) -> set[str]:
        return {q.graph_name.value for q in self.data_quads if isinstance(q.graph_name, ox.NamedNode)}

    def data_graph(self) -> rdflib.Graph:
        """The union of data and ontology, as pyshacl sees it."""
        graph = _to_rdflib(self.ontology_quads + self.data_quads)
        for graph_name in self.graph_names:
            graph.add((rdflib.URIRef(graph_name), RDF.type, SD_NAMED_GRAPH))
        return graph

    @cached_property
    def store(self) -> ox.Store:
        """The same union in a pyoxigraph store (query it with the union as default graph)."""
        store = ox.Store()
        store.extend(self.ontology_quads)
        store.extend(self.data_quads)
        store.extend(named_graph_statements(self.graph_names))
        return store

    def report(self, found: list[Found], store: ox.Store | None = None) -> Report:
        """Locate ``found`` and the checks of the source texts (run on ``store``, by default the
        parsed union) in the files."""
        found = found + check_texts(self.store if store is None else store, self.files.root)
        locator = Locator([source.path for source in self.files.data + self.files.ontology])
        results = []
        for item in found:
            file, line = locator.locate(item.focus_node) if item.focus_iri else (None, None)
            results.append(Result(severity=item.severity, focus_node=item.focus_node, shape=item.shape, constraint=item.constraint,
                                  message=item.message, path=item.path, value=item.value, file=file, line=line))
        return Report(results=tuple(results), files=tuple(source.path for source in self.files.all))


def named_graph_statements(graph_names) -> list[ox.Quad]:
    """``<graph> a sd:NamedGraph`` for each name, in a graph of their own."""
    return [ox.Quad(ox.NamedNode(g), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(SD_NAMED_GRAPH)), ADDED_GRAPH)
            for g in graph_names]


@dataclass(frozen=True)
class Found:
    """A result before it is located in the files; what both engines produce, comparable."""

    severity: Severity
    focus_node: str
    shape: str
    constraint: str
    message: str
    path: str | None
    value: str | None
    focus_iri: bool


def run_compiled(parsed: Parsed, progress: Callable[[int, int, str], None] | None = None) -> list[Found]:
    """The compiled engine: every compiled check on a pyoxigraph store, and pyshacl for the
    shapes that do not compile."""
    checks, left = compile_shapes(parsed.shapes_quads)
    found = run_checks(parsed.store, checks, progress=progress)
    if left:
        found += list(_pyshacl_results(parsed.data_graph(), _closure(parsed.shapes_quads, left)))
    return found


def run_checks(store: ox.Store, checks: list[Check], focus: set[str] | None = None,
               progress: Callable[[int, int, str], None] | None = None) -> list[Found]:
    """Run ``checks`` on ``store``, as many at a time as there are cores (pyoxigraph lets go
    of the GIL while it evaluates). ``focus``: only these focus nodes, except for checks of
    global scope, which always run whole. ``progress`` is told after each check."""
    found: list[Found] = []
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        batches = pool.map(lambda c: (c, run_check(store, c, None if c.global_scope else focus)), checks)
        for done, (check, rows) in enumerate(batches, start=1):
            found += [_from_row(check, row) for row in rows]
            if progress is not None:
                progress(done, len(checks), check.shape.rsplit("#", 1)[-1])
    return found


def _closure(quads: list[ox.Quad], roots: list) -> list[ox.Quad]:
    """The quads describing ``roots`` and everything they reach (property shapes, lists)."""
    by_subject: dict = {}
    for quad in quads:
        by_subject.setdefault(quad.subject, []).append(quad)
    chosen, todo, seen = [], list(roots), set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for quad in by_subject.get(node, []):
            chosen.append(quad)
            if isinstance(quad.object, (ox.NamedNode, ox.BlankNode)) and quad.object in by_subject:
                todo.append(quad.object)
    return chosen


_RENDER = rdflib.Graph()
for _prefix, _namespace in PREFIXES.items():
    _RENDER.bind(_prefix, _namespace, override=True)


def _rdflib_term(term) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    datatype = term.datatype.value if term.datatype and not term.language else None
    return rdflib.Literal(term.value, lang=term.language or None, datatype=None if datatype == str(XSD.string) else datatype)


def _from_row(check: Check, row: dict) -> Found:
    this, value, path = row["this"], row["value"], row["path"]
    if value is None and check.component == SPARQL_COMPONENT:
        value = this  # SHACL: a SPARQL constraint's result without ?value has the focus node as value
    shown_path = check.path if check.path is not None else (path.value if isinstance(path, ox.NamedNode) else None)
    return Found(
        severity=Severity.parse(check.severity), focus_node=_show(_rdflib_term(this), _RENDER), shape=check.shape,
        constraint=check.component, message=check.message or "(no message)", path=shown_path,
        value=_show(_rdflib_term(value), _RENDER) if value is not None else None, focus_iri=isinstance(this, ox.NamedNode),
    )


def _pyshacl_results(data_graph: rdflib.Graph, shapes_quads: list[ox.Quad]) -> Iterator[Found]:
    import pyshacl  # imported here: the compiled engine rarely needs it, and it is slow to import

    _, results_graph, _ = pyshacl.validate(
        data_graph,
        shacl_graph=_to_rdflib(shapes_quads),
        inference="none",
        abort_on_first=False,
        allow_infos=False,
        allow_warnings=False,
        do_owl_imports=False,
    )
    yield from _results(results_graph)


def _to_rdflib(quads: list[ox.Quad]) -> rdflib.Graph:
    graph = rdflib.Graph()
    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def _results(results_graph: rdflib.Graph) -> Iterator[Found]:
    for node in results_graph.subjects(RDF.type, SH.ValidationResult):
        focus = results_graph.value(node, SH.focusNode)
        # A SPARQL constraint names itself in sh:sourceConstraint; it says more than its node shape.
        shape = results_graph.value(node, SH.sourceConstraint) or results_graph.value(node, SH.sourceShape)
        path = results_graph.value(node, SH.resultPath)
        value = results_graph.value(node, SH.value)
        messages = [str(m) for m in results_graph.objects(node, SH.resultMessage)]
        english = [str(m) for m in results_graph.objects(node, SH.resultMessage) if getattr(m, "language", None) == "en"]
        yield Found(
            severity=Severity.parse(str(results_graph.value(node, SH.resultSeverity))),
            focus_node=_show(focus, results_graph),
            shape=_show(shape, results_graph),
            constraint=_show(results_graph.value(node, SH.sourceConstraintComponent), results_graph),
            message=(english or messages or ["(no message)"])[0],
            path=_show_path(path, results_graph) if path is not None else None,
            value=_show(value, results_graph) if value is not None else None,
            focus_iri=isinstance(focus, rdflib.URIRef),
        )


def _show(term, graph: rdflib.Graph) -> str:
    if isinstance(term, rdflib.URIRef):
        return str(term)
    if isinstance(term, rdflib.Literal):
        return term.n3(graph.namespace_manager)
    return "_:" + str(term) if term is not None else "-"


def _show_path(path, graph: rdflib.Graph) -> str:
    """A result path as the compiled engine shows it: IRI, ^IRI, or a SPARQL property path."""
    if not isinstance(path, rdflib.BNode):
        return _show(path, graph)
    quads, todo, seen = [], [path], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for predicate, value in graph.predicate_objects(node):
            quads.append(ox.Quad(_ox_term(node), ox.NamedNode(str(predicate)), _ox_term(value)))
            if isinstance(value, rdflib.BNode):
                todo.append(value)
    try:
        return shown_path(ShapesGraph(quads), _ox_term(path))
    except NotCompilable:
        return _show(path, graph)


def _ox_term(term):
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    return ox.Literal(str(term))
