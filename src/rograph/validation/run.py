"""Run pyshacl over the project's files and turn its report into located results.

What pyshacl sees:

* data graph: the union of every data file's named graphs, with the ontology mixed in so that
  ``rdfs:subClassOf`` counts for targets and ``sh:class`` without running inference;
* one extra triple per named graph of the data files, ``<graph> a sd:NamedGraph``, because a
  union graph hides which graphs exist and the shapes require each one to name its source;
* shapes graph: the files under ``shapes/``.

Files are parsed once, by pyoxigraph (fast, and exact about syntax error positions), and handed
to rdflib as N-Triples, which rdflib parses faster than any other route we measured.
"""

from __future__ import annotations


import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib.namespace import RDF, SH

from rograph.namespaces import PREFIXES
from rograph.sources import ProjectFiles, read_quads
from rograph.validation.locate import Locator
from rograph.validation.model import Report, Result, Severity

SD_NAMED_GRAPH = rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#NamedGraph")


def validate(files: ProjectFiles) -> Report:
    """Validate the data and ontology in ``files`` against its shapes.

    Raises :class:`rograph.sources.SourceError` if any file cannot be read or parsed; in that
    case nothing is validated.
    """
    ontology_quads = [quad for source in files.ontology for quad in read_quads(source)]
    data_quads = [quad for source in files.data for quad in read_quads(source)]
    shapes_quads = [quad for source in files.shapes for quad in read_quads(source)]

    data_graph = _to_rdflib(ontology_quads + data_quads)
    for graph_name in {q.graph_name.value for q in data_quads if isinstance(q.graph_name, ox.NamedNode)}:
        data_graph.add((rdflib.URIRef(graph_name), RDF.type, SD_NAMED_GRAPH))
    shapes_graph = _to_rdflib(shapes_quads)

    _, results_graph, _ = pyshacl.validate(
        data_graph,
        shacl_graph=shapes_graph,
        inference="none",
        abort_on_first=False,
        allow_infos=False,
        allow_warnings=False,
        do_owl_imports=False,
    )
    locator = Locator([source.path for source in files.data + files.ontology])
    results = tuple(_results(results_graph, locator))
    return Report(results=results, files=tuple(source.path for source in files.all))


def _to_rdflib(quads: list[ox.Quad]) -> rdflib.Graph:
    graph = rdflib.Graph()
    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def _results(results_graph: rdflib.Graph, locator: Locator):
    for node in results_graph.subjects(RDF.type, SH.ValidationResult):
        focus = results_graph.value(node, SH.focusNode)
        # A SPARQL constraint names itself in sh:sourceConstraint; it says more than its node shape.
        shape = results_graph.value(node, SH.sourceConstraint) or results_graph.value(node, SH.sourceShape)
        path = results_graph.value(node, SH.resultPath)
        value = results_graph.value(node, SH.value)
        messages = [str(m) for m in results_graph.objects(node, SH.resultMessage)]
        english = [str(m) for m in results_graph.objects(node, SH.resultMessage) if getattr(m, "language", None) == "en"]
        file, line = locator.locate(str(focus)) if isinstance(focus, rdflib.URIRef) else (None, None)
        yield Result(
            severity=Severity.parse(str(results_graph.value(node, SH.resultSeverity))),
            focus_node=_show(focus, results_graph),
            shape=_show(shape, results_graph),
            constraint=_show(results_graph.value(node, SH.sourceConstraintComponent), results_graph),
            message=(english or messages or ["(no message)"])[0],
            path=_show_path(path, results_graph) if path is not None else None,
            value=_show(value, results_graph) if value is not None else None,
            file=file,
            line=line,
        )


def _show(term, graph: rdflib.Graph) -> str:
    if isinstance(term, rdflib.URIRef):
        return str(term)
    if isinstance(term, rdflib.Literal):
        return term.n3(graph.namespace_manager)
    return "_:" + str(term) if term is not None else "-"


def _show_path(path, graph: rdflib.Graph) -> str:
    inverse = graph.value(path, SH.inversePath) if isinstance(path, rdflib.BNode) else None
    if inverse is not None:
        return "^" + str(inverse)
    return _show(path, graph)
