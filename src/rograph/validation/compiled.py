"""SHACL core constraints compiled into SPARQL, for validation at scale.

pyshacl walks the data graph in Python, focus node by focus node; on a million triples that
takes minutes and gigabytes. Here each constraint of the project's shapes becomes one SPARQL
query that returns every violating focus node (and value) at once, and pyoxigraph runs it.
pyshacl stays the reference: :func:`compile_shapes` compiles only the constraint components it
knows (one function each, registered in :mod:`rograph.validation.components`) and hands every
shape it cannot compile whole back to pyshacl, and the test suite checks that both give the same
report. :mod:`rograph.validation.compiled_engine` runs the checks.

Semantics follow SHACL 1.0 core, with the data graph being the union of the data's named graphs
plus the ontology (``rdfs:subClassOf`` counts for ``sh:targetClass`` and ``sh:class``, as it
does for pyshacl without inference).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from rograph.namespaces import OWL, RDF, RDFS, SH
from rograph.sparql_text import QueryText
from rograph.validation.components import (
    COMPILED_COMPONENTS,
    VALUE_SET_CHECKS,
    Constraint,
    component_iri,
    value_test_of,
)
from rograph.validation.shapes import NotCompilable, ShapesGraph, path_sparql, shown_path

SPARQL_COMPONENT = component_iri("sparql")


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a query whose rows are violations, and what to report for each.

    The query binds ``?this`` (the focus node) and, where the result has one, ``?value``
    (and ``?path`` for SPARQL constraints that bind it). ``{focus}`` in the query text is
    where a ``VALUES ?this {…}`` goes to restrict it to some focus nodes.
    """

    query: str
    shape: str  # reported as the result's shape (property shape, node shape or SPARQL constraint)
    component: str
    severity: str
    message: str
    path: str | None  # the result path as shown (IRI, or ^IRI)
    #: Whether the check can look beyond the focus node's own statements and its values' types
    #: (SPARQL constraints): an incremental run must rerun it whole.
    global_scope: bool = False


def compile_shapes(quads: Iterable[ox.Quad]) -> tuple[list[Check], list[ox.NamedNode | ox.BlankNode | ox.Triple]]:
    """The checks for every node shape that compiles, and the node shapes that do not."""
    shapes = ShapesGraph(quads)
    node_shapes = [
        s
        for s, props in shapes.props.items()
        if any(t.value == SH + "NodeShape" for t in props.get(RDF + "type", []))
        or any(
            k in props for k in (SH + "targetClass", SH + "targetSubjectsOf", SH + "targetNode", SH + "targetObjectsOf")
        )
    ]
    checks, left = [], []
    for shape in sorted(node_shapes, key=str):
        if shapes.deactivated(shape) or not _has_targets(shapes, shape):
            continue  # a shape without targets checks nothing by itself (others may refer to it)
        try:
            if shapes.one(shape, SH + "path") is not None:  # a property shape with targets of its own
                checks += _compile_property_shape(shapes, shape, _targets(shapes, shape))
            else:
                checks += _compile_node_shape(shapes, shape)
        except NotCompilable:
            left.append(shape)
    return checks, left


def _message(shapes: ShapesGraph, node) -> str:
    messages = shapes.values(node, SH + "message")
    english = [m.value for m in messages if m.language == "en"]
    return (english or [m.value for m in messages] or [""])[0]


def _severity(shapes: ShapesGraph, node) -> str:
    severity = shapes.one(node, SH + "severity")
    if severity is None:
        return SH + "Violation"
    if severity.value not in (SH + "Violation", SH + "Warning", SH + "Info"):
        raise NotCompilable(f"custom severity {severity.value}")
    return severity.value


def _implicit_class(shapes: ShapesGraph, shape) -> list:
    """A shape that is also a class targets its own instances (SHACL 2.1.3.3)."""
    is_class = any(t.value in (RDFS + "Class", OWL + "Class") for t in shapes.values(shape, RDF + "type"))
    return [shape] if is_class and isinstance(shape, ox.NamedNode) else []


def _has_targets(shapes: ShapesGraph, shape) -> bool:
    return bool(_implicit_class(shapes, shape)) or any(
        shapes.values(shape, SH + key) for key in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode")
    )


def _targets(shapes: ShapesGraph, shape) -> str:
    parts = []
    for cls in shapes.values(shape, SH + "targetClass") + _implicit_class(shapes, shape):
        parts.append(f"{{ ?this <{RDF}type>/<{RDFS}subClassOf>* {cls} }}")
    for predicate in shapes.values(shape, SH + "targetSubjectsOf"):
        parts.append(f"{{ ?this {predicate} ?targetObject }}")  # made distinct below, once
    for predicate in shapes.values(shape, SH + "targetObjectsOf"):
        parts.append(f"{{ ?targetSubject {predicate} ?this }}")
    nodes = shapes.values(shape, SH + "targetNode")
    if nodes:
        parts.append("{ VALUES ?this { " + " ".join(str(n) for n in nodes) + " } }")
    if not parts:
        raise NotCompilable("no target")
    # {focus} (a VALUES clause, or nothing) goes inside, so a run restricted to some focus
    # nodes never computes the whole target set.
    return "{ SELECT DISTINCT ?this WHERE { {focus} " + " UNION ".join(parts) + " } }"


def _compile_node_shape(shapes: ShapesGraph, shape) -> list[Check]:
    targets = _targets(shapes, shape)
    names = shapes.constraint_names(shape)
    if names - COMPILED_COMPONENTS:
        raise NotCompilable(", ".join(sorted(names - COMPILED_COMPONENTS)))
    checks: list[Check] = []
    message, severity = _message(shapes, shape), _severity(shapes, shape)
    for name in sorted(names - {"sparql"}):
        test = value_test_of(shapes, shape, name, "?this")
        if test is None:
            raise NotCompilable(name)
        # The focus node is the value node; SHACL reports it as sh:value, except for hasValue.
        value = "" if name == "hasValue" else "BIND(?this AS ?value)"
        checks.append(
            Check(
                f"SELECT DISTINCT ?this ?value WHERE {{ {targets} {value} FILTER(!COALESCE({test}, false)) }}",
                str(shape.value if isinstance(shape, ox.NamedNode) else shape),
                component_iri(name),
                severity,
                message,
                None,
            )
        )
    for constraint in shapes.values(shape, SH + "sparql"):
        checks.append(_sparql_check(shapes, shape, constraint, targets, severity))
    for property_shape in shapes.values(shape, SH + "property"):
        if not shapes.deactivated(property_shape):
            checks += _compile_property_shape(shapes, property_shape, targets)
    return checks


def _compile_property_shape(shapes: ShapesGraph, shape, targets: str) -> list[Check]:
    path_node = shapes.one(shape, SH + "path")
    path, shown = path_sparql(shapes, path_node), shown_path(shapes, path_node)
    names = shapes.constraint_names(shape)
    if names - COMPILED_COMPONENTS or "sparql" in names:
        raise NotCompilable(", ".join(sorted(names - COMPILED_COMPONENTS)) or "sparql in a property shape")
    message, severity = _message(shapes, shape), _severity(shapes, shape)
    identifier = shape.value if isinstance(shape, ox.NamedNode) else str(shape)

    def check(query: str, name: str) -> Check:
        return Check(query, identifier, component_iri(name), severity, message, shown)

    checks = []
    for name in sorted(names):
        if name in VALUE_SET_CHECKS:
            query = VALUE_SET_CHECKS[name](Constraint(shapes, shape, name), targets, path)
            if query is not None:
                checks.append(check(query, name))
            continue
        test = value_test_of(shapes, shape, name, "?value")
        if test is None:
            raise NotCompilable(name)
        checks.append(
            check(
                f"""SELECT DISTINCT ?this ?value WHERE {{ {targets} ?this {path} ?value
            FILTER(!COALESCE({test}, false)) }}""",
                name,
            )
        )
    return checks


def _sparql_check(shapes: ShapesGraph, shape, constraint, targets: str, severity: str) -> Check:
    """A SPARQL-based constraint: its SELECT, with ``$this`` joined to the shape's targets."""
    select = shapes.one(constraint, SH + "select").value.replace("$this", "?this")
    prefixes = ""
    for declared in shapes.values(constraint, SH + "prefixes"):
        for declaration in shapes.values(declared, SH + "declare"):
            prefixes += f"PREFIX {shapes.one(declaration, SH + 'prefix').value}: <{shapes.one(declaration, SH + 'namespace').value}>\n"
    # SHACL pre-binds $this to each focus node; LATERAL is exactly that: the body is evaluated
    # once per target, with ?this bound (a plain join let Oxigraph scan the whole store first).
    try:
        opening, closing = QueryText(select).where_group()
    except ValueError as error:
        raise NotCompilable(str(error)) from None
    query = (
        prefixes
        + select[:opening]
        + "{ "
        + targets
        + " LATERAL { "
        + select[opening + 1 : closing]
        + " } }"
        + select[closing + 1 :]
    )
    message = _message(shapes, constraint) or _message(shapes, shape)
    identifier = constraint.value if isinstance(constraint, ox.NamedNode) else str(shape.value)
    constraint_severity = shapes.one(constraint, SH + "severity")
    return Check(
        query,
        identifier,
        SPARQL_COMPONENT,
        constraint_severity.value if constraint_severity else severity,
        message,
        None,
        global_scope=True,
    )
