"""What the pages show, read from the store with SPARQL: labels in the reader's language, an
entity's statements with the sources that make them, the ontology with its shapes, and the
figures of the home page.

Everything goes through :meth:`rograph.store.Store.query`, so the pages work the same on any
store. The functions return plain dataclasses; the templates only lay them out.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from rograph.namespaces import BASE, ONTOLOGY_GRAPH, PREFIXES, SHAPES_GRAPH
from rograph.store import Store
from rograph.web.formatting import format_literal
from rograph.web.sansio.linked_data import LANGUAGES, address_of

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
SH = "http://www.w3.org/ns/shacl#"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
OA = "http://www.w3.org/ns/oa#"
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
RG = PREFIXES["rg"]
APPROXIMATE = RG + "isApproximate"
VALUE = "https://schema.org/value"

#: Incoming statements per page of an entity page.
PAGE_SIZE = 50
#: Entity kinds (first path segment of an IRI) drawn in the neighbourhood picture.
NEIGHBOUR_KINDS = ("organisation", "meeting", "project", "programme", "place", "post", "group", "source")
NEIGHBOUR_LIMIT = 14


@dataclass(frozen=True)
class Shown:
    """A term as a page shows it: text, and where it links (IRIs) or its language (literals)."""

    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    #: Footnote numbers of the sources that state it.
    sources: tuple[int, ...] = ()


@dataclass
class Group:
    """The values of one property (outgoing) or the subjects pointing here through it (incoming)."""

    property: Shown
    values: list[Shown] = field(default_factory=list)


@dataclass(frozen=True)
class Quote:
    """The words of a source that state an entity (an evidence annotation), in the source's
    language, with the English rendering the data gives."""

    exact: str
    lang: str | None
    english: str | None
    start: int


@dataclass(frozen=True)
class Neighbour:
    node: Shown
    relation: str
    outgoing: bool
    x: float
    y: float


@dataclass
class EntityView:
    iri: str
    title: str
    types: list[Shown]
    outgoing: list[Group]
    incoming: list[Group]
    incoming_total: int
    page: int
    page_count: int
    sources: list[tuple[int, Shown]]
    neighbours: list[Neighbour]
    #: Per footnote number, the quotes of that source that state the entity, in text order.
    quotes: dict[int, list[Quote]] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _vocabulary_labels() -> dict[str, dict[str, str]]:
    """Display labels of reused vocabularies' terms (``vocabulary-labels.ttl``)."""
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    path = Path(__file__).with_name("vocabulary-labels.ttl")
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        labels[quad.subject.value][quad.object.language or ""] = quad.object.value
    return dict(labels)


def prefixed(iri: str) -> str:
    """``https://schema.org/startDate`` as ``schema:startDate``; other IRIs unchanged."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _pick(by_language: dict[str, str], lang: str) -> str | None:
    for candidate in (lang, *LANGUAGES, ""):
        if candidate in by_language:
            return by_language[candidate]
    return next(iter(by_language.values()), None)


class Labeller:
    """Labels of IRIs in one language, fetched from the store in one query per batch."""

    def __init__(self, store: Store, lang: str, root: str):
        self.store, self.lang, self.root = store, lang, root
        self._labels: dict[str, str | None] = {}

    def fetch(self, iris: Iterable[str]) -> None:
        wanted = sorted({iri for iri in iris if iri not in self._labels})
        for start in range(0, len(wanted), 200):
            batch = wanted[start:start + 200]
            found: dict[str, dict[str, str]] = defaultdict(dict)
            values = " ".join(str(ox.NamedNode(iri)) for iri in batch)
            rows = self.store.query(f"""SELECT ?x ?label WHERE {{ VALUES ?x {{ {values} }}
                {{ ?x <{RDFS}label> ?label }} UNION {{ ?x <{SKOS}prefLabel> ?label }} }}""")
            for row in rows:
                found[row["x"].value][row["label"].language or ""] = row["label"].value
            vocabulary = _vocabulary_labels()
            for iri in batch:
                self._labels[iri] = _pick(found.get(iri) or vocabulary.get(iri) or {}, self.lang)

    def label(self, iri: str) -> str:
        if iri not in self._labels:
            self.fetch([iri])
        return self._labels[iri] or prefixed(iri)

    def show(self, term: ox.NamedNode | ox.Literal | ox.BlankNode, *, approximate: bool = False,
             sources: tuple[int, ...] = ()) -> Shown:
        if isinstance(term, ox.NamedNode):
            return Shown(self.label(term.value), address_of(term.value, self.root), term.value, sources=sources)
        if isinstance(term, ox.Literal):
            text = format_literal(term.value, term.datatype.value if term.datatype else None, self.lang, approximate=approximate)
            return Shown(text, lang=term.language, sources=sources)
        return Shown(f"_:{term.value}", sources=sources)


# --------------------------------------------------------------------------------------------
# Entity pages
# --------------------------------------------------------------------------------------------

def exists(store: Store, iri: str) -> bool:
    """Whether the store says anything about or points to ``iri``."""
    node = ox.NamedNode(iri)
    return bool(store.query(f"ASK {{ {{ GRAPH ?g {{ {node} ?p ?o }} }} UNION {{ GRAPH ?g {{ ?s ?p {node} }} }} }}"))


def statements(store: Store, iri: str) -> list[ox.Quad]:
    """Every quad about ``iri`` or pointing to it: the RDF document of an entity."""
    node = ox.NamedNode(iri)
    quads = [ox.Quad(node, row["p"], row["o"], row["g"])
             for row in store.query(f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ {node} ?p ?o }} }} ORDER BY ?g ?p ?o")]
    quads += [ox.Quad(row["s"], row["p"], node, row["g"])
              for row in store.query(f"SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p {node} }} }} ORDER BY ?g ?p ?s")]
    return quads


def graph_statements(store: Store, graph: str) -> list[ox.Quad]:
    """Every quad of one named graph (the ontology, the shapes)."""
    name = ox.NamedNode(graph)
    return [ox.Quad(row["s"], row["p"], row["o"], name)
            for row in store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }}")]


def entity_view(store: Store, iri: str, lang: str, root: str, page: int = 1) -> EntityView:
    """The entity page of ``iri``: statements grouped by property, with sources; incoming
    links paginated by :data:`PAGE_SIZE`."""
    node = ox.NamedNode(iri)
    labeller = Labeller(store, lang, root)
    outgoing_rows = list(store.query(f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ {node} ?p ?o }} }} ORDER BY ?p ?o"))
    incoming_total = int(next(iter(store.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p {node} }} }} }}")))["n"].value)
    page_count = max(1, math.ceil(incoming_total / PAGE_SIZE))
    page = min(max(1, page), page_count)
    incoming_pairs = [(row["s"], row["p"]) for row in store.query(
        f"SELECT DISTINCT ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p {node} }} }} ORDER BY ?p ?s LIMIT {PAGE_SIZE} OFFSET {(page - 1) * PAGE_SIZE}")]
    incoming_graphs: dict[tuple[str, str], set[str]] = defaultdict(set)
    if incoming_pairs:
        values = " ".join(f"({s} {p})" for s, p in incoming_pairs if isinstance(s, ox.NamedNode))
        if values:
            for row in store.query(f"SELECT ?s ?p ?g WHERE {{ VALUES (?s ?p) {{ {values} }} GRAPH ?g {{ ?s ?p {node} }} }}"):
                incoming_graphs[row["s"].value, row["p"].value].add(row["g"].value)

    evidence = _evidence(store, node)
    graphs = {row["g"].value for row in outgoing_rows} | {g for gs in incoming_graphs.values() for g in gs} | {g for g, _ in evidence}
    source_of = _sources_of_graphs(store, graphs)
    footnotes: dict[str, int] = {}

    def notes(graph_names: Iterable[str]) -> tuple[int, ...]:
        numbers = set()
        for graph in graph_names:
            source = source_of.get(graph, graph)
            numbers.add(footnotes.setdefault(source, len(footnotes) + 1))
        return tuple(sorted(numbers))

    labeller.fetch([row["p"].value for row in outgoing_rows] + [row["o"].value for row in outgoing_rows if isinstance(row["o"], ox.NamedNode)]
                   + [p.value for _, p in incoming_pairs] + [s.value for s, _ in incoming_pairs if isinstance(s, ox.NamedNode)]
                   + list(source_of.values()) + [iri])
    approximate = any(row["p"].value == APPROXIMATE and row["o"].value == "true" for row in outgoing_rows)

    # One value per (property, object), with every graph that states it.
    stated: dict[tuple[str, ox.NamedNode | ox.Literal | ox.BlankNode], set[str]] = defaultdict(set)
    for row in outgoing_rows:
        stated[row["p"].value, row["o"]].add(row["g"].value)
    types, outgoing = [], {}
    for (predicate, value), in_graphs in stated.items():
        shown = labeller.show(value, approximate=approximate and predicate == VALUE, sources=notes(in_graphs))
        if predicate == RDF_TYPE:
            types.append(shown)
        else:
            outgoing.setdefault(predicate, Group(labeller.show(ox.NamedNode(predicate)))).values.append(shown)
    incoming: dict[str, Group] = {}
    for subject, predicate in incoming_pairs:
        shown = labeller.show(subject, sources=notes(incoming_graphs.get((subject.value, predicate.value), ())))
        incoming.setdefault(predicate.value, Group(labeller.show(predicate))).values.append(shown)

    quotes: dict[int, list[Quote]] = defaultdict(list)
    for graph, quote in evidence:
        quotes[notes([graph])[0]].append(quote)
    sources = [(number, labeller.show(ox.NamedNode(source))) for source, number in sorted(footnotes.items(), key=lambda item: item[1])]
    return EntityView(
        iri=iri, title=labeller.label(iri), types=types,
        outgoing=sorted(outgoing.values(), key=lambda g: g.property.text.lower()),
        incoming=sorted(incoming.values(), key=lambda g: g.property.text.lower()),
        incoming_total=incoming_total, page=page, page_count=page_count, sources=sources,
        neighbours=_neighbourhood(outgoing, incoming),
        quotes={number: sorted(found, key=lambda q: q.start) for number, found in quotes.items()},
    )


def _evidence(store: Store, node: ox.NamedNode) -> list[tuple[str, Quote]]:
    """The evidence annotations whose body is ``node``: the graph each is in, and its quote."""
    rows = store.query(f"""SELECT ?g ?exact ?start ?english WHERE {{ GRAPH ?g {{
        ?annotation a <{OA}Annotation> ; <{OA}hasBody> {node} ; <{OA}hasTarget> ?target .
        ?target <{OA}hasSelector> ?quote , ?position .
        ?quote a <{OA}TextQuoteSelector> ; <{OA}exact> ?exact .
        ?position a <{OA}TextPositionSelector> ; <{OA}start> ?start .
        OPTIONAL {{ ?annotation <{OA}hasBody> ?rendering . ?rendering a <{OA}TextualBody> ; <{RDF_VALUE}> ?english . }} }} }}""")
    found = []
    for row in rows:
        start = row["start"].value
        found.append((row["g"].value, Quote(row["exact"].value, row["exact"].language, row["english"].value if row["english"] else None,
                                            int(start) if start.isdigit() else 0)))
    return found


def _sources_of_graphs(store: Store, graphs: set[str]) -> dict[str, str]:
    """The source document each named graph is derived from."""
    if not graphs:
        return {}
    values = " ".join(str(ox.NamedNode(g)) for g in graphs)
    return {row["g"].value: row["source"].value for row in store.query(
        f"SELECT ?g ?source WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?g <{PROV_DERIVED}> ?source }} }}")}


def _neighbourhood(outgoing: dict[str, Group], incoming: dict[str, Group]) -> list[Neighbour]:
    """The organisations, meetings, projects, places… linked to the entity, placed on a circle
    around it for the page's picture."""
    linked: list[tuple[Shown, str, bool]] = []
    seen: set[str] = set()
    for groups, direction in ((outgoing, True), (incoming, False)):
        for group in groups.values():
            for value in group.values:
                if value.iri and value.iri.startswith(BASE) and value.iri not in seen \
                        and value.iri[len(BASE):].split("/")[0] in NEIGHBOUR_KINDS:
                    seen.add(value.iri)
                    linked.append((value, group.property.text, direction))
    linked = linked[:NEIGHBOUR_LIMIT]
    placed = []
    for index, (value, relation, direction) in enumerate(linked):
        angle = 2 * math.pi * index / max(1, len(linked)) - math.pi / 2
        placed.append(Neighbour(value, relation, direction, round(360 + 250 * math.cos(angle), 1), round(210 + 160 * math.sin(angle), 1)))
    return placed


# --------------------------------------------------------------------------------------------
# Home page and browsing
# --------------------------------------------------------------------------------------------

#: Graphs that hold rograph's own model rather than what the sources say: not counted as facts.
MODEL_GRAPHS = (ONTOLOGY_GRAPH, SHAPES_GRAPH)


@dataclass
class HomeView:
    classes: list[tuple[Shown, int]]
    sources: list[Shown]
    #: Statements of the sources' graphs (the facts), of the ontology and of the shapes.
    facts: int
    ontology_statements: int
    shapes_statements: int


def class_counts(store: Store, labeller: Labeller) -> list[tuple[Shown, int]]:
    """Every class that has members in the data, with how many, by label: the way into
    ``/browse``."""
    rows = list(store.query(f"""SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?class }}
        FILTER(?g NOT IN (<{ONTOLOGY_GRAPH}>, <{SHAPES_GRAPH}>)) }} GROUP BY ?class"""))
    labeller.fetch([row["class"].value for row in rows])
    return sorted(((labeller.show(row["class"]), int(row["n"].value)) for row in rows), key=lambda item: item[0].text.lower())


def home_view(store: Store, lang: str, root: str) -> HomeView:
    labeller = Labeller(store, lang, root)
    sources = [row["s"] for row in store.query(f"SELECT DISTINCT ?s WHERE {{ ?s a <{RG}SourceDocument> }} ORDER BY ?s")]
    labeller.fetch([s.value for s in sources])
    counts = store.graph_counts()
    facts = sum(n for graph, n in counts.items() if graph not in MODEL_GRAPHS)
    return HomeView(class_counts(store, labeller), [labeller.show(s) for s in sources], facts,
                    counts.get(ONTOLOGY_GRAPH, 0), counts.get(SHAPES_GRAPH, 0))


@dataclass
class ClassListing:
    cls: Shown
    members: list[Shown]
    total: int
    page: int
    page_count: int


def class_listing(store: Store, class_iri: str, lang: str, root: str, page: int = 1) -> ClassListing:
    """Every instance of a class, labelled and paginated: how a reader reaches every entity."""
    node = ox.NamedNode(class_iri)
    labeller = Labeller(store, lang, root)
    total = int(next(iter(store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a {node} }}")))["n"].value)
    page_count = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(1, page), page_count)
    members = [row["s"] for row in store.query(
        f"SELECT DISTINCT ?s WHERE {{ ?s a {node} }} ORDER BY ?s LIMIT {PAGE_SIZE} OFFSET {(page - 1) * PAGE_SIZE}")]
    labeller.fetch([m.value for m in members if isinstance(m, ox.NamedNode)] + [class_iri])
    shown = sorted((labeller.show(m) for m in members), key=lambda s: s.text.lower())
    return ClassListing(labeller.show(node), shown, total, page, page_count)


# --------------------------------------------------------------------------------------------
# The ontology and its shapes
# --------------------------------------------------------------------------------------------

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
    labels: dict[str, str]
    definitions: dict[str, str]
    parents: list[Shown]
    children: list[Shown]
    constraints: list[Constraint] = field(default_factory=list)
    shape_messages: list[str] = field(default_factory=list)


@dataclass
class OntologyView:
    title: str
    metadata: list[tuple[Shown, list[Shown]]]
    classes: list[Term]
    object_properties: list[Term]
    datatype_properties: list[Term]
    schemes: list[tuple[Shown, list[Shown]]]


def ontology_view(store: Store, lang: str, root: str) -> OntologyView:
    """The ontology page, generated from the ontology and shapes graphs."""
    labeller = Labeller(store, lang, root)
    by_subject: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for quad in graph_statements(store, ONTOLOGY_GRAPH):
        by_subject[quad.subject.value][quad.predicate.value].append(quad.object)
    shapes: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for quad in graph_statements(store, SHAPES_GRAPH):
        shapes[quad.subject.value][quad.predicate.value].append(quad.object)

    def texts(values: list) -> dict[str, str]:
        return {v.language or "": v.value for v in values if isinstance(v, ox.Literal)}

    def of_type(type_iri: str) -> list[str]:
        return sorted(s for s, props in by_subject.items()
                      if any(t.value == type_iri for t in props.get(RDF_TYPE, [])) and s.startswith(BASE))

    labeller.fetch(list(by_subject))
    children: dict[str, list[str]] = defaultdict(list)
    for subject, props in by_subject.items():
        for parent in props.get(RDFS + "subClassOf", []) + props.get(RDFS + "subPropertyOf", []):
            if isinstance(parent, ox.NamedNode):
                children[parent.value].append(subject)
    labeller.fetch([p.value for props in by_subject.values() for key in (RDFS + "subClassOf", RDFS + "subPropertyOf")
                    for p in props.get(key, []) if isinstance(p, ox.NamedNode)])

    def term(iri: str) -> Term:
        props = by_subject[iri]
        parents = [labeller.show(p) for key in (RDFS + "subClassOf", RDFS + "subPropertyOf")
                   for p in props.get(key, []) if isinstance(p, ox.NamedNode)]
        return Term(iri, iri.rsplit("#", 1)[-1], texts(props.get(RDFS + "label", [])),
                    texts(props.get(SKOS + "definition", []) + props.get(RDFS + "comment", [])),
                    parents, [labeller.show(ox.NamedNode(c)) for c in sorted(children.get(iri, []))])

    classes = [term(iri) for iri in of_type(OWL + "Class")]
    for cls in classes:
        _attach_shapes(cls, shapes, labeller)
    ontology = next((s for s in of_type(OWL + "Ontology") if s.rstrip("#/") == BASE + "ontology"), None)
    metadata = []
    if ontology:
        for predicate, values in sorted(by_subject[ontology].items()):
            labeller.fetch([predicate] + [v.value for v in values if isinstance(v, ox.NamedNode)])
            metadata.append((labeller.show(ox.NamedNode(predicate)), [labeller.show(v) for v in values]))
    schemes = []
    for scheme in of_type(SKOS + "ConceptScheme"):
        members = sorted(s for s, props in by_subject.items() if any(v.value == scheme for v in props.get(SKOS + "inScheme", [])))
        labeller.fetch(members)
        schemes.append((labeller.show(ox.NamedNode(scheme)), [labeller.show(ox.NamedNode(m)) for m in members]))
    title = labeller.label(ontology) if ontology else "rograph ontology"
    return OntologyView(title, metadata, classes, [term(i) for i in of_type(OWL + "ObjectProperty")],
                        [term(i) for i in of_type(OWL + "DatatypeProperty")], schemes)


def _attach_shapes(cls: Term, shapes: dict[str, dict[str, list]], labeller: Labeller) -> None:
    """What the shapes require of instances of ``cls``: its node shapes' property shapes."""
    for shape, props in sorted(shapes.items()):
        if not any(t.value == cls.iri for t in props.get(SH + "targetClass", [])):
            continue
        cls.shape_messages += [m.value for m in props.get(SH + "message", []) if (m.language or "en") == "en"]
        cls.constraints += _constraints(props, shapes, labeller)


def _constraints(node_shape: dict[str, list], shapes: dict[str, dict[str, list]], labeller: Labeller) -> list[Constraint]:
    """The property shapes of a node shape, as a curator reads them."""
    constraints = []
    for property_shape in node_shape.get(SH + "property", []):
        described = shapes.get(property_shape.value, {})
        low = next((int(v.value) for v in described.get(SH + "minCount", [])), 0)
        high = next((v.value for v in described.get(SH + "maxCount", [])), "n")
        expects = [labeller.label(v.value) for key in (SH + "class", SH + "datatype") for v in described.get(key, [])]
        expects += [f"= {labeller.label(v.value)}" if isinstance(v, ox.NamedNode) else f"= {v.value}"
                    for v in described.get(SH + "hasValue", [])]
        constraints.append(Constraint(
            anchor=property_shape.value.rsplit("#", 1)[-1],
            name=_english(described.get(SH + "name", [])) or "",
            path=_path_text(described.get(SH + "path", []), shapes),
            cardinality=f"{low}..{high}",
            expects=", ".join(expects),
            message=_english(described.get(SH + "message", [])) or "",
            description=_english(described.get(SH + "description", [])) or "",
        ))
    return constraints


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
    shapes: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for quad in graph_statements(store, SHAPES_GRAPH):
        shapes[quad.subject.value][quad.predicate.value].append(quad.object)
    node_shapes = sorted(s for s, props in shapes.items() if any(t.value == SH + "NodeShape" for t in props.get(RDF_TYPE, [])))
    targets = {s: [t for t in shapes[s].get(SH + "targetClass", []) + shapes[s].get(SH + "targetNode", [])
                   if isinstance(t, ox.NamedNode)] for s in node_shapes}
    labeller.fetch([t.value for ts in targets.values() for t in ts])
    return [NodeShape(iri, iri.rsplit("#", 1)[-1], [labeller.show(t) for t in targets[iri]],
                      [m.value for m in shapes[iri].get(SH + "message", []) if (m.language or "en") == "en"],
                      _constraints(shapes[iri], shapes, labeller))
            for iri in node_shapes]


def _english(values: list) -> str | None:
    return next((v.value for v in values if isinstance(v, ox.Literal) and (v.language or "en") == "en"), None)


def _path_text(values: list, shapes: dict[str, dict[str, list]]) -> str:
    """A SHACL path as text: ``schema:startDate``, ``^rg:participation``."""
    if not values:
        return ""
    path = values[0]
    if isinstance(path, ox.NamedNode):
        return prefixed(path.value)
    inverse = shapes.get(path.value, {}).get(SH + "inversePath", [])
    if inverse:
        return "^" + _path_text(inverse, shapes)
    return "(complex path)"
