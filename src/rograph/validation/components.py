"""SHACL core constraint components, each compiled into SPARQL by one function of its own.

Two registries, filled by the decorators below, say what the compiler knows:

* :data:`VALUE_TESTS`: components that test one value node at a time (``sh:datatype``,
  ``sh:class``, ``sh:or``…). Each gives a SPARQL expression, true when the value conforms;
  the compiler reports every value for which it is not. They serve node shapes (the focus node
  is the value) and property shapes (each value on the path), and nest inside ``sh:node``,
  ``sh:or`` and the other shape-referring components.
* :data:`VALUE_SET_CHECKS`: components of a property shape that look at all of a focus node's
  values together (``sh:minCount``, ``sh:uniqueLang``…). Each gives a whole query whose rows
  are the focus nodes that break it.

A function returns ``None`` when it cannot compile the constraint as given (the shape is then
left to pyshacl); a value-set check also returns ``None`` when the constraint checks nothing
(``sh:uniqueLang false``). A new component is one decorated function here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from rograph.namespaces import RDF, RDFS, SH, XSD
from rograph.validation.shapes import NotCompilable, ShapesGraph, Term, path_sparql


@dataclass(frozen=True)
class Constraint:
    """One constraint of a shape: the component's name (``minCount``) and where its parameters
    are read (the shape, in the shapes graph)."""

    shapes: ShapesGraph
    shape: Term
    name: str

    @property
    def value(self):
        """The parameter's value (``sh:minCount 1`` gives ``1``)."""
        return self.shapes.one(self.shape, SH + self.name)

    @property
    def values(self) -> list:
        """Every value the parameter has (``sh:class`` may be given twice)."""
        return self.shapes.values(self.shape, SH + self.name)

    @property
    def members(self) -> list:
        """The members of the RDF list the parameter gives (``sh:in``, ``sh:or``…)."""
        return self.shapes.items(self.value)

    def parameter(self, name: str):
        """Another parameter of the same shape that this component reads (``sh:flags``)."""
        return self.shapes.one(self.shape, SH + name)


#: ``(constraint, v, depth) -> expression``: true when the value ``v`` (a SPARQL variable)
#: satisfies the constraint; ``depth`` bounds nested shapes.
ValueTest = Callable[[Constraint, str, int], str | None]
#: ``(constraint, targets, path) -> query``: the focus nodes (``?this``, of the ``targets``
#: group) whose values on ``path`` (SPARQL) break the constraint.
ValueSetCheck = Callable[[Constraint, str, str], str | None]

VALUE_TESTS: dict[str, ValueTest] = {}
VALUE_SET_CHECKS: dict[str, ValueSetCheck] = {}

#: Datatypes whose lexical form SPARQL can check by casting (an ill-formed literal fails sh:datatype).
_CASTABLE = {XSD + name for name in ("date", "dateTime", "integer", "decimal", "boolean", "double", "float")}
_LEXICAL = {
    XSD + "gYear": r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD + "gYearMonth": r"^-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
_NODE_KINDS = {
    "IRI": "isIRI({v})",
    "BlankNode": "isBlank({v})",
    "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))",
    "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}
_COMPARISONS = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}


def value_test(*names: str) -> Callable[[ValueTest], ValueTest]:
    """Register the decorated function as the value test of the components ``names``."""

    def register(function: ValueTest) -> ValueTest:
        VALUE_TESTS.update(dict.fromkeys(names, function))
        return function

    return register


def value_set_check(name: str) -> Callable[[ValueSetCheck], ValueSetCheck]:
    """Register the decorated function as the value-set check of the component ``name``."""

    def register(function: ValueSetCheck) -> ValueSetCheck:
        VALUE_SET_CHECKS[name] = function
        return function

    return register


def component_iri(name: str) -> str:
    """``minCount`` as ``sh:MinCountConstraintComponent``, as SHACL reports it."""
    special = {"qualifiedValueShape": "QualifiedMinCount", "sparql": "SPARQL", "in": "In", "or": "Or"}
    return SH + special.get(name, name[0].upper() + name[1:]) + "ConstraintComponent"


def value_test_of(shapes: ShapesGraph, shape, name: str, v: str, depth: int = 0) -> str | None:
    """The value test of constraint ``name`` of ``shape`` for ``v``; None if it has none."""
    test = VALUE_TESTS.get(name)
    return None if test is None else test(Constraint(shapes, shape, name), v, depth)


def shape_test(shapes: ShapesGraph, shape, v: str, depth: int = 0) -> str | None:
    """A SPARQL expression true when ``v`` conforms to ``shape`` (referred to by sh:node,
    sh:or, sh:and, sh:not, sh:xone or sh:qualifiedValueShape), if the shape is made of value
    tests, or of a path with sh:minCount 1 (``sh:or ( [ sh:path p ; sh:minCount 1 ] … )``);
    None for anything else (property shapes inside it, other counts, recursion)."""
    if shapes.deactivated(shape):
        return "true"  # SHACL: every node conforms to a deactivated shape
    if depth > 8 or shapes.values(shape, SH + "property"):
        return None
    names = shapes.constraint_names(shape)
    path = shapes.one(shape, SH + "path")
    if path is not None:
        sparql_path = path_sparql(shapes, path)
        if names != {"minCount"}:
            return None
        n = int(shapes.one(shape, SH + "minCount").value)
        return f"EXISTS {{ {v} {sparql_path} ?anyValue }}" if n == 1 else None
    tests = [value_test_of(shapes, shape, name, v, depth + 1) for name in sorted(names)]
    if not tests:
        return "true"  # a shape without constraints: everything conforms
    return None if None in tests else "(" + " && ".join(f"COALESCE({t}, false)" for t in tests) + ")"


def _literal(text: str) -> str:
    return json.dumps(text)


# Value tests: one value at a time.


@value_test("minLength", "maxLength")
def _length(c: Constraint, v: str, depth: int) -> str:
    operator = ">=" if c.name == "minLength" else "<="
    return f"(!isBlank({v}) && STRLEN(STR({v})) {operator} {int(c.value.value)})"


@value_test("node")
def _node(c: Constraint, v: str, depth: int) -> str | None:
    tests = [shape_test(c.shapes, node, v, depth) for node in c.values]
    known = [test for test in tests if test is not None]
    return None if len(known) < len(tests) else "(" + " && ".join(known) + ")"


@value_test("not")
def _not(c: Constraint, v: str, depth: int) -> str | None:
    test = shape_test(c.shapes, c.value, v, depth)
    return None if test is None else f"!COALESCE({test}, false)"


def _member_tests(c: Constraint, v: str, depth: int) -> list[str] | None:
    """The shape test of every member of the list ``c`` gives (``sh:and``, ``sh:xone``); None
    when the list is empty or a member has none."""
    members = [shape_test(c.shapes, member, v, depth) for member in c.members]
    known = [member for member in members if member is not None]
    return None if len(known) < len(members) or not members else known


@value_test("and")
def _and(c: Constraint, v: str, depth: int) -> str | None:
    members = _member_tests(c, v, depth)
    return None if members is None else "(" + " && ".join(f"COALESCE({m}, false)" for m in members) + ")"


@value_test("xone")
def _xone(c: Constraint, v: str, depth: int) -> str | None:
    members = _member_tests(c, v, depth)
    return None if members is None else "((" + " + ".join(f"IF(COALESCE({m}, false), 1, 0)" for m in members) + ") = 1)"


@value_test("or")
def _or(c: Constraint, v: str, depth: int) -> str | None:
    alternatives = [shape_test(c.shapes, member, v, depth) for member in c.members]
    return None if None in alternatives else "(" + " || ".join(f"COALESCE({a}, false)" for a in alternatives) + ")"


@value_test("class")
def _class(c: Constraint, v: str, depth: int) -> str:
    return " && ".join(f"EXISTS {{ {v} <{RDF}type>/<{RDFS}subClassOf>* {cls} }}" for cls in c.values)


@value_test("datatype")
def _datatype(c: Constraint, v: str, depth: int) -> str:
    test = f"(isLiteral({v}) && datatype({v}) = {c.value}"
    if c.value.value in _CASTABLE:
        test += f" && sameTerm({c.value}(STR({v})), {v})"
    elif c.value.value in _LEXICAL:
        test += f" && REGEX(STR({v}), {_literal(_LEXICAL[c.value.value])})"
    return test + ")"


@value_test("nodeKind")
def _node_kind(c: Constraint, v: str, depth: int) -> str:
    return _NODE_KINDS[c.value.value[len(SH) :]].format(v=v)


@value_test("pattern")
def _pattern(c: Constraint, v: str, depth: int) -> str:
    flags = c.parameter("flags")
    return (
        f"(!isBlank({v}) && REGEX(STR({v}), {_literal(c.value.value)}{', ' + _literal(flags.value) if flags else ''}))"
    )


@value_test("languageIn")
def _language_in(c: Constraint, v: str, depth: int) -> str:
    tags = [t.value for t in c.members]
    return f"(isLiteral({v}) && (" + " || ".join(f"langMatches(lang({v}), {_literal(t)})" for t in tags) + "))"


@value_test(*_COMPARISONS)
def _comparison(c: Constraint, v: str, depth: int) -> str:
    return f"({v} {_COMPARISONS[c.name]} {c.value})"


@value_test("in")
def _in(c: Constraint, v: str, depth: int) -> str:
    return "(" + " || ".join(f"sameTerm({v}, {member})" for member in c.members) + ")"


@value_test("hasValue")
def _has_value(c: Constraint, v: str, depth: int) -> str:
    return f"sameTerm({v}, {c.value})"


# Value-set checks: all of a focus node's values on the path together.


@value_set_check("minCount")
def _min_count(c: Constraint, targets: str, path: str) -> str:
    return f"""SELECT ?this WHERE {{ {targets} OPTIONAL {{ ?this {path} ?value }} }}
                GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {int(c.value.value)})"""


@value_set_check("maxCount")
def _max_count(c: Constraint, targets: str, path: str) -> str:
    return f"""SELECT ?this WHERE {{ {targets} ?this {path} ?value }}
                GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {int(c.value.value)})"""


@value_set_check("hasValue")
def _has_value_on_path(c: Constraint, targets: str, path: str) -> str:
    return f"SELECT ?this WHERE {{ {targets} FILTER NOT EXISTS {{ ?this {path} {c.value} }} }}"


@value_set_check("uniqueLang")
def _unique_lang(c: Constraint, targets: str, path: str) -> str | None:
    if c.value.value != "true":
        return None
    return f"""SELECT ?this WHERE {{ {targets} ?this {path} ?value
                FILTER(isLiteral(?value) && lang(?value) != "") BIND(LCASE(lang(?value)) AS ?language) }}
                GROUP BY ?this ?language HAVING (COUNT(DISTINCT ?value) > 1)"""


@value_set_check("qualifiedValueShape")
def _qualified_value_shape(c: Constraint, targets: str, path: str) -> str:
    test = shape_test(c.shapes, c.value, "?value")
    low, high = c.parameter("qualifiedMinCount"), c.parameter("qualifiedMaxCount")
    if test is None or high is not None or low is None:
        raise NotCompilable("qualified value shape")
    return f"""SELECT ?this WHERE {{ {targets}
                OPTIONAL {{ ?this {path} ?value FILTER(COALESCE({test}, false)) }} }}
                GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {int(low.value)})"""


#: The constraint components compiled to SPARQL; a shape using any other is left to pyshacl.
#: ``sparql`` (SPARQL-based constraints) is compiled by the compiler itself.
COMPILED_COMPONENTS = frozenset(VALUE_TESTS) | frozenset(VALUE_SET_CHECKS) | {"sparql"}
