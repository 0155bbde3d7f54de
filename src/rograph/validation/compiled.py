"""SHACL core constraints compiled into SPARQL and run on pyoxigraph, for validation at scale.

pyshacl walks the data graph in Python, focus node by focus node; on a million triples that
takes minutes and gigabytes. Here each constraint of the project's shapes becomes one SPARQL
query that returns every violating focus node (and value) at once, and pyoxigraph runs it.
pyshacl stays the reference: :func:`compile_shapes` compiles only the constraint components it
knows (listed in :data:`COMPILED_COMPONENTS`) and hands every shape it cannot compile whole
back to pyshacl, and the test suite checks that both give the same report.

Semantics follow SHACL 1.0 core, with the data graph being the union of the data's named graphs
plus the ontology (``rdfs:subClassOf`` counts for ``sh:targetClass`` and ``sh:class``, as it
does for pyshacl without inference).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from rograph.sparql_text import where_group

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

SPARQL_COMPONENT = SH + "SPARQLConstraintComponent"

#: The constraint components compiled to SPARQL; a shape using any other is left to pyshacl.
COMPILED_COMPONENTS = {
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minInclusive", "maxInclusive",
    "minExclusive", "maxExclusive", "pattern", "languageIn", "uniqueLang", "in", "hasValue",
    "or", "and", "not", "xone", "node", "minLength", "maxLength", "qualifiedValueShape", "sparql",
}
#: Shape properties that are not constraints (naming, targets, structure).
_NOT_CONSTRAINTS = {
    "name", "description", "message", "severity", "deactivated", "targetClass", "targetNode",
    "targetSubjectsOf", "targetObjectsOf", "property", "path", "order", "group", "flags",
    "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint", "defaultValue",
}
#: Datatypes whose lexical form SPARQL can check by casting (an ill-formed literal fails sh:datatype).
_CASTABLE = {XSD + name for name in ("date", "dateTime", "integer", "decimal", "boolean", "double", "float")}
_LEXICAL = {XSD + "gYear": r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
            XSD + "gYearMonth": r"^-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?$"}
_NODE_KINDS = {
    "IRI": "isIRI({v})", "BlankNode": "isBlank({v})", "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))", "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}


class NotCompilable(Exception):
    """A shape uses something this compiler does not translate; pyshacl validates it."""


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


class ShapesGraph:
    """The shapes graph, read into dictionaries for the compiler."""

    def __init__(self, quads: Iterable[ox.Quad]):
        self.props: dict[ox.NamedNode | ox.BlankNode | ox.Triple, dict[str, list]] = {}
        for quad in quads:
            self.props.setdefault(quad.subject, {}).setdefault(quad.predicate.value, []).append(quad.object)

    def values(self, node, key: str) -> list:
        return self.props.get(node, {}).get(key, [])

    def one(self, node, key: str):
        found = self.values(node, key)
        return found[0] if found else None

    def items(self, node) -> list:
        """The members of an RDF list."""
        members = []
        while node is not None and not (isinstance(node, ox.NamedNode) and node.value == RDF + "nil"):
            members.append(self.one(node, RDF + "first"))
            node = self.one(node, RDF + "rest")
        return members

    def constraint_names(self, node) -> set[str]:
        return {key[len(SH):] for key in self.props.get(node, {}) if key.startswith(SH)} - _NOT_CONSTRAINTS


def compile_shapes(quads: Iterable[ox.Quad]) -> tuple[list[Check], list[ox.NamedNode | ox.BlankNode | ox.Triple]]:
    """The checks for every node shape that compiles, and the node shapes that do not."""
    shapes = ShapesGraph(quads)
    node_shapes = [s for s, props in shapes.props.items()
                   if any(t.value == SH + "NodeShape" for t in props.get(RDF + "type", []))
                   or any(k in props for k in (SH + "targetClass", SH + "targetSubjectsOf", SH + "targetNode", SH + "targetObjectsOf"))]
    checks, left = [], []
    for shape in sorted(node_shapes, key=str):
        if _deactivated(shapes, shape) or not _has_targets(shapes, shape):
            continue  # a shape without targets checks nothing by itself (others may refer to it)
        try:
            if shapes.one(shape, SH + "path") is not None:  # a property shape with targets of its own
                checks += _compile_property_shape(shapes, shape, _targets(shapes, shape))
            else:
                checks += _compile_node_shape(shapes, shape)
        except NotCompilable:
            left.append(shape)
    return checks, left


def _deactivated(shapes: ShapesGraph, node) -> bool:
    flag = shapes.one(node, SH + "deactivated")
    return flag is not None and flag.value == "true"


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
    is_class = any(t.value in (RDFS + "Class", "http://www.w3.org/2002/07/owl#Class") for t in shapes.values(shape, RDF + "type"))
    return [shape] if is_class and isinstance(shape, ox.NamedNode) else []


def _has_targets(shapes: ShapesGraph, shape) -> bool:
    return bool(_implicit_class(shapes, shape)) or any(
        shapes.values(shape, SH + key) for key in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode"))


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


def _path(shapes: ShapesGraph, path) -> tuple[str, str]:
    """(SPARQL property path, path as shown) for a SHACL path.

    Every SHACL path is a SPARQL property path: a list is a sequence, ``sh:inversePath`` is
    ``^``, ``sh:alternativePath`` is ``|``, ``sh:zeroOrMorePath`` ``*``, ``sh:oneOrMorePath``
    ``+``, ``sh:zeroOrOnePath`` ``?``. A predicate is shown as its IRI and its inverse as
    ``^IRI``; other paths are shown in SPARQL syntax.
    """
    sparql = path_sparql(shapes, path)
    if isinstance(path, ox.NamedNode):
        return sparql, path.value
    inverse = shapes.one(path, SH + "inversePath")
    if isinstance(inverse, ox.NamedNode) and len(shapes.props.get(path, {})) == 1:
        return sparql, "^" + inverse.value
    return sparql, sparql


def shown_path(shapes: ShapesGraph, path) -> str:
    """A SHACL path as results show it (the second half of :func:`_path`)."""
    return _path(shapes, path)[1]


def path_sparql(shapes: ShapesGraph, path, depth: int = 0) -> str:
    """A SHACL path (read from ``shapes``) as a SPARQL property path."""
    if isinstance(path, ox.NamedNode):
        return str(path)
    if depth > 16 or path is None:
        raise NotCompilable("path too deep or missing")
    if shapes.one(path, RDF + "first") is not None:
        return "(" + "/".join(path_sparql(shapes, step, depth + 1) for step in shapes.items(path)) + ")"
    props = shapes.props.get(path, {})
    if len(props) != 1:
        raise NotCompilable("path node with more than one path property")
    (key, (inner,)), = ((k, v) for k, v in props.items())
    if key == SH + "inversePath":
        return "^" + path_sparql(shapes, inner, depth + 1)
    if key == SH + "alternativePath":
        return "(" + "|".join(path_sparql(shapes, option, depth + 1) for option in shapes.items(inner)) + ")"
    suffix = {SH + "zeroOrMorePath": "*", SH + "oneOrMorePath": "+", SH + "zeroOrOnePath": "?"}.get(key)
    if suffix is None:
        raise NotCompilable(f"path {key}")
    return "(" + path_sparql(shapes, inner, depth + 1) + ")" + suffix


def _compile_node_shape(shapes: ShapesGraph, shape) -> list[Check]:
    targets = _targets(shapes, shape)
    names = shapes.constraint_names(shape)
    if names - COMPILED_COMPONENTS:
        raise NotCompilable(", ".join(sorted(names - COMPILED_COMPONENTS)))
    checks: list[Check] = []
    message, severity = _message(shapes, shape), _severity(shapes, shape)
    for name in sorted(names - {"sparql"}):
        test = _value_test(shapes, shape, name, "?this")
        if test is None:
            raise NotCompilable(name)
        # The focus node is the value node; SHACL reports it as sh:value, except for hasValue.
        value = "" if name == "hasValue" else "BIND(?this AS ?value)"
        checks.append(Check(
            f"SELECT DISTINCT ?this ?value WHERE {{ {targets} {value} FILTER(!COALESCE({test}, false)) }}",
            str(shape.value if isinstance(shape, ox.NamedNode) else shape), _component(name), severity, message, None))
    for constraint in shapes.values(shape, SH + "sparql"):
        checks.append(_sparql_check(shapes, shape, constraint, targets, severity))
    for property_shape in shapes.values(shape, SH + "property"):
        if not _deactivated(shapes, property_shape):
            checks += _compile_property_shape(shapes, property_shape, targets)
    return checks


def _component(name: str) -> str:
    special = {"qualifiedValueShape": "QualifiedMinCount", "sparql": "SPARQL", "in": "In", "or": "Or"}
    return SH + special.get(name, name[0].upper() + name[1:]) + "ConstraintComponent"


def _compile_property_shape(shapes: ShapesGraph, shape, targets: str) -> list[Check]:
    path, shown = _path(shapes, shapes.one(shape, SH + "path"))
    names = shapes.constraint_names(shape)
    if names - COMPILED_COMPONENTS or "sparql" in names:
        raise NotCompilable(", ".join(sorted(names - COMPILED_COMPONENTS)) or "sparql in a property shape")
    message, severity = _message(shapes, shape), _severity(shapes, shape)
    identifier = shape.value if isinstance(shape, ox.NamedNode) else str(shape)

    def check(query: str, name: str) -> Check:
        return Check(query, identifier, _component(name), severity, message, shown)

    checks = []
    for name in sorted(names):
        if name == "minCount":
            n = int(shapes.one(shape, SH + name).value)
            checks.append(check(f"""SELECT ?this WHERE {{ {targets} OPTIONAL {{ ?this {path} ?value }} }}
                GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {n})""", name))
        elif name == "maxCount":
            n = int(shapes.one(shape, SH + name).value)
            checks.append(check(f"""SELECT ?this WHERE {{ {targets} ?this {path} ?value }}
                GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {n})""", name))
        elif name == "hasValue":
            wanted = shapes.one(shape, SH + name)
            checks.append(check(f"SELECT ?this WHERE {{ {targets} FILTER NOT EXISTS {{ ?this {path} {wanted} }} }}", name))
        elif name == "uniqueLang":
            if shapes.one(shape, SH + name).value != "true":
                continue
            checks.append(check(f"""SELECT ?this WHERE {{ {targets} ?this {path} ?value
                FILTER(isLiteral(?value) && lang(?value) != "") BIND(LCASE(lang(?value)) AS ?language) }}
                GROUP BY ?this ?language HAVING (COUNT(DISTINCT ?value) > 1)""", name))
        elif name == "qualifiedValueShape":
            qualified = shapes.one(shape, SH + name)
            test = _shape_test(shapes, qualified, "?value")
            low, high = shapes.one(shape, SH + "qualifiedMinCount"), shapes.one(shape, SH + "qualifiedMaxCount")
            if test is None or high is not None or low is None:
                raise NotCompilable("qualified value shape")
            checks.append(check(f"""SELECT ?this WHERE {{ {targets}
                OPTIONAL {{ ?this {path} ?value FILTER(COALESCE({test}, false)) }} }}
                GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {int(low.value)})""", name))
        else:
            test = _value_test(shapes, shape, name, "?value")
            if test is None:
                raise NotCompilable(name)
            checks.append(check(f"""SELECT DISTINCT ?this ?value WHERE {{ {targets} ?this {path} ?value
                FILTER(!COALESCE({test}, false)) }}""", name))
    return checks


def _value_test(shapes: ShapesGraph, shape, name: str, v: str, depth: int = 0) -> str | None:
    """A SPARQL expression true when ``v`` satisfies constraint ``name`` of ``shape``; None if
    the constraint is not a test of one value."""
    value = shapes.one(shape, SH + name)
    if name in ("minLength", "maxLength"):
        operator = ">=" if name == "minLength" else "<="
        return f"(!isBlank({v}) && STRLEN(STR({v})) {operator} {int(value.value)})"
    if name == "node":
        tests = [_shape_test(shapes, node, v, depth) for node in shapes.values(shape, SH + name)]
        known = [test for test in tests if test is not None]
        return None if len(known) < len(tests) else "(" + " && ".join(known) + ")"
    if name == "not":
        test = _shape_test(shapes, value, v, depth)
        return None if test is None else f"!COALESCE({test}, false)"
    if name in ("and", "xone"):
        members = [_shape_test(shapes, member, v, depth) for member in shapes.items(value)]
        if None in members or not members:
            return None
        if name == "and":
            return "(" + " && ".join(f"COALESCE({m}, false)" for m in members) + ")"
        return "((" + " + ".join(f"IF(COALESCE({m}, false), 1, 0)" for m in members) + ") = 1)"
    if name == "class":
        return " && ".join(f"EXISTS {{ {v} <{RDF}type>/<{RDFS}subClassOf>* {c} }}" for c in shapes.values(shape, SH + name))
    if name == "datatype":
        test = f"(isLiteral({v}) && datatype({v}) = {value}"
        if value.value in _CASTABLE:
            test += f" && sameTerm({value}(STR({v})), {v})"
        elif value.value in _LEXICAL:
            test += f" && REGEX(STR({v}), {_literal(_LEXICAL[value.value])})"
        return test + ")"
    if name == "nodeKind":
        return _NODE_KINDS[value.value[len(SH):]].format(v=v)
    if name == "pattern":
        flags = shapes.one(shape, SH + "flags")
        return f"(!isBlank({v}) && REGEX(STR({v}), {_literal(value.value)}{', ' + _literal(flags.value) if flags else ''}))"
    if name == "languageIn":
        tags = [t.value for t in shapes.items(value)]
        return f"(isLiteral({v}) && (" + " || ".join(f"langMatches(lang({v}), {_literal(t)})" for t in tags) + "))"
    if name in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
        operator = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}[name]
        return f"({v} {operator} {value})"
    if name == "in":
        return "(" + " || ".join(f"sameTerm({v}, {member})" for member in shapes.items(value)) + ")"
    if name == "hasValue":
        return f"sameTerm({v}, {value})"
    if name == "or":
        alternatives = [_shape_test(shapes, member, v, depth) for member in shapes.items(value)]
        return None if None in alternatives else "(" + " || ".join(f"COALESCE({a}, false)" for a in alternatives) + ")"
    return None


def _shape_test(shapes: ShapesGraph, shape, v: str, depth: int = 0) -> str | None:
    """A SPARQL expression true when ``v`` conforms to ``shape`` (referred to by sh:node,
    sh:or, sh:and, sh:not, sh:xone or sh:qualifiedValueShape), if the shape is made of value
    tests, or of a path with sh:minCount 1 (``sh:or ( [ sh:path p ; sh:minCount 1 ] … )``);
    None for anything else (property shapes inside it, other counts, recursion)."""
    if _deactivated(shapes, shape):
        return "true"  # SHACL: every node conforms to a deactivated shape
    if depth > 8 or shapes.values(shape, SH + "property"):
        return None
    names = shapes.constraint_names(shape)
    path = shapes.one(shape, SH + "path")
    if path is not None:
        sparql_path, _ = _path(shapes, path)
        if names != {"minCount"}:
            return None
        n = int(shapes.one(shape, SH + "minCount").value)
        return f"EXISTS {{ {v} {sparql_path} ?anyValue }}" if n == 1 else None
    tests = [_value_test(shapes, shape, name, v, depth + 1) for name in sorted(names)]
    if not tests:
        return "true"  # a shape without constraints: everything conforms
    return None if None in tests else "(" + " && ".join(f"COALESCE({t}, false)" for t in tests) + ")"


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
        opening, closing = where_group(select)
    except ValueError as error:
        raise NotCompilable(str(error)) from None
    query = (prefixes + select[:opening] + "{ " + targets + " LATERAL { " + select[opening + 1:closing]
             + " } }" + select[closing + 1:])
    message = _message(shapes, constraint) or _message(shapes, shape)
    identifier = constraint.value if isinstance(constraint, ox.NamedNode) else str(shape.value)
    constraint_severity = shapes.one(constraint, SH + "severity")
    return Check(query, identifier, _component("sparql"), constraint_severity.value if constraint_severity else severity,
                 message, None, global_scope=True)


def _literal(text: str) -> str:
    return json.dumps(text)


def focus_values(nodes: Iterable[str] | None) -> str:
    """The ``VALUES`` clause restricting a check to ``nodes`` (IRIs), or nothing."""
    if nodes is None:
        return ""
    return "VALUES ?this { " + " ".join(f"<{n}>" for n in nodes) + " }"


def run_check(store: ox.Store, check: Check, focus: Iterable[str] | None = None) -> list[dict]:
    """Rows of violations: ``this``, ``value`` (or None) and ``path`` (SPARQL constraints)."""
    query = check.query.replace("{focus}", focus_values(focus))
    rows = store.query(query, use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)  # the compiler writes SELECT queries
    return [{"this": row["this"], "value": _get(row, "value"), "path": _get(row, "path")} for row in rows]


def _get(row: ox.QuerySolution, name: str):
    try:
        return row[name]
    except (KeyError, IndexError):
        return None
