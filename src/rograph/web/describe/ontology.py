"""The ontology page and the shapes page, generated from the ontology and shapes graphs: every
term with its labels, definition and hierarchy, and what the shapes require of each class."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from rograph.namespaces import BASE, DCTERMS, ONTOLOGY_GRAPH, OWL, RDF, RDFS, SH, SHAPES_GRAPH, SKOS, prefixed
from rograph.store import Store
from rograph.validation.shapes import NotCompilable, ShapesGraph, shown_path
from rograph.web.describe.entity import exists, graph_statements
from rograph.web.describe.labels import Labeller, Shown, pick_text, reader_language_texts, texts_by_language

RDF_TYPE = RDF + "type"


@dataclass
class Constraint:
    """One property shape, as a curator reads it."""

    anchor: str
    name: str
    path: str
    cardinality: str
    expects: str
    message: str
    description: str


@dataclass
class Term:
    iri: str
    anchor: str
    #: ``rg:Meeting``: written whole, never broken across lines.
    name: str
    labels: dict[str, str]
    #: The definition in the reader's language, or (marked) in another.
    definition: Shown | None
    #: Superclasses of a class, superproperties of a property.
    parents: list[Shown]
    children: list[Shown]
    constraints: list[Constraint] = field(default_factory=list)
    shape_messages: list[str] = field(default_factory=list)


@dataclass
class OntologyView:
    title: Shown
    metadata: list[tuple[Shown, list[Shown]]]
    classes: list[Term]
    object_properties: list[Term]
    datatype_properties: list[Term]
    schemes: list[tuple[Shown, list[Shown]]]


def ontology_view(store: Store, lang: str, root: str) -> OntologyView:
    """The ontology page, generated from the ontology and shapes graphs."""
    labeller = Labeller(store, lang, root)
    by_subject = _values_by_subject(graph_statements(store, ONTOLOGY_GRAPH))
    shapes, shapes_graph = _read_shapes(store)

    texts = texts_by_language

    def of_type(type_iri: str) -> list[str]:
        return sorted(
            s
            for s, props in by_subject.items()
            if any(t.value == type_iri for t in props.get(RDF_TYPE, [])) and s.startswith(BASE)
        )

    labeller.fetch(list(by_subject))
    children: dict[str, list[str]] = defaultdict(list)
    for subject, props in by_subject.items():
        for parent in props.get(RDFS + "subClassOf", []) + props.get(RDFS + "subPropertyOf", []):
            if isinstance(parent, ox.NamedNode):
                children[parent.value].append(subject)
    labeller.fetch(
        [
            p.value
            for props in by_subject.values()
            for key in (RDFS + "subClassOf", RDFS + "subPropertyOf")
            for p in props.get(key, [])
            if isinstance(p, ox.NamedNode)
        ]
    )

    def in_reader_language(values: list) -> Shown | None:
        by_language = texts(values)
        picked = pick_text(by_language, lang)
        return Shown(picked[0], lang=picked[1] or None, fallback=labeller.fallback(picked[1])) if picked else None

    def term(iri: str) -> Term:
        props = by_subject[iri]
        parents = [
            labeller.show(p)
            for key in (RDFS + "subClassOf", RDFS + "subPropertyOf")
            for p in props.get(key, [])
            if isinstance(p, ox.NamedNode)
        ]
        return Term(
            iri,
            iri.rsplit("#", 1)[-1],
            prefixed(iri),
            texts(props.get(RDFS + "label", [])),
            in_reader_language(props.get(SKOS + "definition", []) + props.get(RDFS + "comment", [])),
            parents,
            sorted((labeller.show(ox.NamedNode(c)) for c in children.get(iri, [])), key=lambda c: c.text.lower()),
        )

    classes = [term(iri) for iri in of_type(OWL + "Class")]
    for cls in classes:
        _attach_shapes(cls, shapes, shapes_graph, labeller)
    ontology = next((s for s in of_type(OWL + "Ontology") if s.rstrip("#/") == BASE + "ontology"), None)
    metadata = []
    if ontology:
        for predicate, values in sorted(by_subject[ontology].items()):
            if predicate == DCTERMS + "title":
                continue  # the page's heading
            labeller.fetch([predicate] + [v.value for v in values if isinstance(v, ox.NamedNode)])
            tagged: list[tuple[ox.Literal, set[str]]] = [
                (v, set()) for v in values if isinstance(v, ox.Literal) and v.language
            ]
            shown = [v for v in values if not (isinstance(v, ox.Literal) and v.language)]
            shown += [literal for literal, _ in reader_language_texts(tagged, lang)] if tagged else []
            metadata.append(
                (
                    labeller.show(ox.NamedNode(predicate)),
                    [
                        _unlinked(labeller.show(v))
                        if isinstance(v, ox.NamedNode) and v.value.startswith(BASE) and not exists(store, v.value)
                        else labeller.show(v)
                        for v in shown
                    ],
                )
            )
    schemes = []
    for scheme in of_type(SKOS + "ConceptScheme"):
        members = sorted(
            s for s, props in by_subject.items() if any(v.value == scheme for v in props.get(SKOS + "inScheme", []))
        )
        labeller.fetch(members)
        schemes.append((labeller.show(ox.NamedNode(scheme)), [labeller.show(ox.NamedNode(m)) for m in members]))
    title = (in_reader_language(by_subject[ontology].get(DCTERMS + "title", [])) if ontology else None) or Shown(
        "rograph ontology"
    )
    return OntologyView(
        title,
        metadata,
        classes,
        [term(i) for i in of_type(OWL + "ObjectProperty")],
        [term(i) for i in of_type(OWL + "DatatypeProperty")],
        schemes,
    )


def _unlinked(shown: Shown) -> Shown:
    """An IRI of ours that has no page (a version IRI): shown, not linked."""
    return Shown(shown.text, iri=shown.iri, fallback=shown.fallback, translated=shown.translated)


def _read_shapes(store: Store) -> tuple[dict[str, dict[str, list]], ShapesGraph]:
    """The shapes graph by subject (an IRI or a blank node's label) and property, and as the
    path renderer reads it."""
    quads = graph_statements(store, SHAPES_GRAPH)
    return _values_by_subject(quads), ShapesGraph(quads)


def _values_by_subject(quads: Iterable[ox.Quad]) -> dict[str, dict[str, list]]:
    """Each subject's objects by predicate (the ontology and shapes graphs hold no triple terms)."""
    found: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for quad in quads:
        if not isinstance(quad.subject, ox.Triple):
            found[quad.subject.value][quad.predicate.value].append(quad.object)
    return found


def _attach_shapes(
    cls: Term, shapes: dict[str, dict[str, list]], shapes_graph: ShapesGraph, labeller: Labeller
) -> None:
    """What the shapes require of instances of ``cls``: its node shapes' property shapes."""
    for _shape, props in sorted(shapes.items()):
        if not any(t.value == cls.iri for t in props.get(SH + "targetClass", [])):
            continue
        cls.shape_messages += [m.value for m in props.get(SH + "message", []) if (m.language or "en") == "en"]
        cls.constraints += _constraints(props, shapes, shapes_graph, labeller)


def _constraints(
    node_shape: dict[str, list], shapes: dict[str, dict[str, list]], shapes_graph: ShapesGraph, labeller: Labeller
) -> list[Constraint]:
    """A node shape's property shapes and SPARQL constraints, as the curator's table rows."""
    rows = []
    for property_shape in node_shape.get(SH + "property", []) + node_shape.get(SH + "sparql", []):
        described = shapes.get(property_shape.value, {})
        low = next(
            (int(v.value) for v in described.get(SH + "minCount", []) + described.get(SH + "qualifiedMinCount", [])), 0
        )
        high = next(
            (v.value for v in described.get(SH + "maxCount", []) + described.get(SH + "qualifiedMaxCount", [])), "n"
        )
        expects = [labeller.label(v.value) for key in (SH + "class", SH + "datatype") for v in described.get(key, [])]
        expects += [
            f"= {labeller.label(v.value)}" if isinstance(v, ox.NamedNode) else f"= {v.value}"
            for v in described.get(SH + "hasValue", [])
        ]
        rows.append(
            Constraint(
                anchor=property_shape.value.rsplit("#", 1)[-1] if isinstance(property_shape, ox.NamedNode) else "",
                name=_english(described.get(SH + "name", [])) or "",
                path=_path_text(described.get(SH + "path", []), shapes_graph)
                or ("SPARQL" if SH + "select" in described else ""),
                cardinality=f"{low}..{high}",
                expects=", ".join(expects),
                message=_english(described.get(SH + "message", [])) or "",
                description=_english(described.get(SH + "description", [])) or "",
            )
        )
    return rows


@dataclass
class NodeShape:
    """One node shape of the shapes document: what it applies to and what it requires."""

    iri: str
    anchor: str
    targets: list[Shown]
    messages: list[str]
    constraints: list[Constraint]


def shapes_view(store: Store, lang: str, root: str) -> list[NodeShape]:
    """The shapes page: every node shape of the shapes graph with its property shapes, each
    with an anchor (``/shapes#RomaMediatorPost-role``) that the shape's IRI resolves to."""
    labeller = Labeller(store, lang, root)
    shapes, shapes_graph = _read_shapes(store)
    node_shapes = sorted(
        s for s, props in shapes.items() if any(t.value == SH + "NodeShape" for t in props.get(RDF_TYPE, []))
    )
    targets = {
        s: [
            t
            for t in shapes[s].get(SH + "targetClass", []) + shapes[s].get(SH + "targetNode", [])
            if isinstance(t, ox.NamedNode)
        ]
        for s in node_shapes
    }
    labeller.fetch([t.value for ts in targets.values() for t in ts])
    return [
        NodeShape(
            iri,
            iri.rsplit("#", 1)[-1],
            [labeller.show(t) for t in targets[iri]],
            [m.value for m in shapes[iri].get(SH + "message", []) if (m.language or "en") == "en"],
            _constraints(shapes[iri], shapes, shapes_graph, labeller),
        )
        for iri in node_shapes
    ]


def _english(values: list) -> str | None:
    return next((v.value for v in values if isinstance(v, ox.Literal) and (v.language or "en") == "en"), None)


def _path_text(values: list, shapes: ShapesGraph) -> str:
    """A SHACL path as the page shows it, by the one path renderer with prefixed names:
    ``schema:startDate``, ``^rg:participation``, ``(dcterms:temporal/dcat:startDate)``."""
    if not values:
        return ""
    try:
        return shown_path(shapes, values[0], name=prefixed)
    except NotCompilable:
        return "(complex path)"
