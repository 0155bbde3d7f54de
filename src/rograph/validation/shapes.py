"""The shapes graph as the compiler reads it, and SHACL paths: as SPARQL, and as results show them.

Every SHACL path is a SPARQL property path: a list is a sequence, ``sh:inversePath`` is ``^``,
``sh:alternativePath`` is ``|``, ``sh:zeroOrMorePath`` ``*``, ``sh:oneOrMorePath`` ``+``,
``sh:zeroOrOnePath`` ``?``. :func:`shown_path` is the one way a path is written for people:
both engines' results use it, so their reports compare.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox

from rograph.namespaces import RDF, SH

#: Any node of a graph as pyoxigraph gives it: pyoxigraph's stubs have no one name for it.
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

#: Shape properties that are not constraints (naming, targets, structure).
_NOT_CONSTRAINTS = {
    "name",
    "description",
    "message",
    "severity",
    "deactivated",
    "targetClass",
    "targetNode",
    "targetSubjectsOf",
    "targetObjectsOf",
    "property",
    "path",
    "order",
    "group",
    "flags",
    "qualifiedMinCount",
    "qualifiedMaxCount",
    "qualifiedValueShapesDisjoint",
    "defaultValue",
}


class NotCompilable(Exception):
    """A shape uses something this compiler does not translate; pyshacl validates it."""


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
        return {key[len(SH) :] for key in self.props.get(node, {}) if key.startswith(SH)} - _NOT_CONSTRAINTS

    def deactivated(self, node) -> bool:
        flag = self.one(node, SH + "deactivated")
        return flag is not None and flag.value == "true"


def path_sparql(shapes: ShapesGraph, path, depth: int = 0, *, name: Callable[[str], str] | None = None) -> str:
    """A SHACL path (read from ``shapes``) as a SPARQL property path; IRIs as ``<iri>``, or as
    ``name`` writes them."""
    if isinstance(path, ox.NamedNode):
        return str(path) if name is None else name(path.value)
    if depth > 16 or path is None:
        raise NotCompilable("path too deep or missing")
    if shapes.one(path, RDF + "first") is not None:
        return "(" + "/".join(path_sparql(shapes, step, depth + 1, name=name) for step in shapes.items(path)) + ")"
    props = shapes.props.get(path, {})
    if len(props) != 1:
        raise NotCompilable("path node with more than one path property")
    ((key, (inner,)),) = ((k, v) for k, v in props.items())
    if key == SH + "inversePath":
        return "^" + path_sparql(shapes, inner, depth + 1, name=name)
    if key == SH + "alternativePath":
        return "(" + "|".join(path_sparql(shapes, option, depth + 1, name=name) for option in shapes.items(inner)) + ")"
    suffix = {SH + "zeroOrMorePath": "*", SH + "oneOrMorePath": "+", SH + "zeroOrOnePath": "?"}.get(key)
    if suffix is None:
        raise NotCompilable(f"path {key}")
    return "(" + path_sparql(shapes, inner, depth + 1, name=name) + ")" + suffix


def shown_path(shapes: ShapesGraph, path, *, name: Callable[[str], str] | None = None) -> str:
    """A SHACL path as results and pages show it: a predicate as its IRI, its inverse as
    ``^IRI``, any other path in SPARQL syntax (IRIs there as ``<iri>``); with ``name``, every
    IRI as it writes it (the shapes page gives prefixed names). Raises :class:`NotCompilable`
    for what is no SHACL path."""
    if isinstance(path, ox.NamedNode):
        return path.value if name is None else name(path.value)
    inverse = shapes.one(path, SH + "inversePath")
    if isinstance(inverse, ox.NamedNode) and len(shapes.props.get(path, {})) == 1:
        return "^" + (inverse.value if name is None else name(inverse.value))
    return path_sparql(shapes, path, name=name)
