"""The reference engine: pyshacl over the parsed sources, its report read back as findings.

pyshacl works on rdflib graphs, so this module is also where terms cross between pyoxigraph and
rdflib: the parsed quads go to rdflib as N-Triples (which rdflib parses faster than any other
route we measured), and :func:`show_term` writes any term as pyshacl's results are shown, so that
the compiled engine's findings compare with these.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
import rdflib

from rograph.namespaces import PREFIXES, RDF, SD, SH, XSD
from rograph.validation.model import Found, Severity
from rograph.validation.parsed import Parsed
from rograph.validation.shapes import NotCompilable, ShapesGraph, Term, shown_path

#: A graph that only binds the project's prefixes: how literals' datatypes are written.
_PREFIXED = rdflib.Graph()
for _prefix, _namespace in PREFIXES.items():
    _PREFIXED.bind(_prefix, _namespace, override=True)


def find(parsed: Parsed, only: Iterable[Term] | None = None) -> list[Found]:
    """pyshacl's results on the parsed union: for every shape, or ``only`` these node shapes
    (with the property shapes and lists they reach)."""
    import pyshacl  # imported here: the compiled engine rarely needs it, and it is slow to import

    shapes = parsed.shapes_quads if only is None else _closure(parsed.shapes_quads, only)
    _, results_graph, _ = pyshacl.validate(
        data_graph(parsed),
        shacl_graph=_to_rdflib(shapes),
        inference="none",
        abort_on_first=False,
        allow_infos=False,
        allow_warnings=False,
        do_owl_imports=False,
    )
    return list(_results(results_graph))


def data_graph(parsed: Parsed) -> rdflib.Graph:
    """The union of data and ontology, as pyshacl sees it (see :mod:`rograph.validation.parsed`)."""
    graph = _to_rdflib(parsed.ontology_quads + parsed.data_quads)
    for graph_name in parsed.graph_names:
        graph.add((rdflib.URIRef(graph_name), rdflib.URIRef(RDF + "type"), rdflib.URIRef(SD + "NamedGraph")))
    return graph


def show_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    """A pyoxigraph term as the results show it: an IRI whole, a literal in Turtle (with the
    project's prefixes), a blank node as ``_:label``."""
    return _show(_rdflib_term(term), _PREFIXED)


def _closure(quads: list[ox.Quad], roots: Iterable[Term]) -> list[ox.Quad]:
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
        english = [
            str(m) for m in results_graph.objects(node, SH.resultMessage) if getattr(m, "language", None) == "en"
        ]
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
    """A result path as :func:`rograph.validation.shapes.shown_path` writes it."""
    if not isinstance(path, rdflib.BNode):
        return _show(path, graph)
    quads, todo, seen = [], [path], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for predicate, value in graph.predicate_objects(node):
            quads.append(
                ox.Quad(ox.BlankNode(str(node)), ox.NamedNode(str(predicate)), _ox_term(value))
            )  # only blank nodes are followed
            if isinstance(value, rdflib.BNode):
                todo.append(value)
    try:
        return shown_path(ShapesGraph(quads), _ox_term(path))
    except NotCompilable:
        return _show(path, graph)


def _rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    datatype = term.datatype.value if term.datatype and not term.language else None
    return rdflib.Literal(
        term.value, lang=term.language or None, datatype=None if datatype == XSD + "string" else datatype
    )


def _ox_term(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    return ox.Literal(str(term))
