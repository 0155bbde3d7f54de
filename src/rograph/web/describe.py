"""What the pages show, read from the store with SPARQL: labels in the reader's language, an
entity's statements with the sources that make them, the ontology with its shapes, and the
figures of the home page.

Everything goes through :meth:`rograph.store.Store.query`, so the pages work the same on any
store. The functions return plain dataclasses; the templates only lay them out.
"""

from __future__ import annotations

import math
import textwrap
from collections import defaultdict
from collections.abc import Iterable, Iterator
import builtins
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from rograph.namespaces import BASE, INFERRED_GRAPH, ONTOLOGY_GRAPH, PREFIXES, SHAPES_GRAPH, prefixed
from rograph.store import Store, solutions
from rograph.store.void import SOURCE_FACTS_QUERY
from rograph.web.formatting import format_literal
from rograph.web.ui_text import OUTCOME_PLURALS
from rograph.web.sansio.linked_data import LANGUAGES, link_to

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
SH = "http://www.w3.org/ns/shacl#"
PROV = "http://www.w3.org/ns/prov#"
PROV_DERIVED = PROV + "wasDerivedFrom"
DCTERMS = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
CPOV = "http://data.europa.eu/m8g/"
SCHEMA = "https://schema.org/"
OA = "http://www.w3.org/ns/oa#"
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
RG = PREFIXES["rg"]
APPROXIMATE = RG + "isApproximate"
VALUE = SCHEMA + "value"

#: Incoming statements per page of an entity page.
PAGE_SIZE = 50
#: Entity kinds (first path segment of an IRI) drawn in the neighbourhood picture.
NEIGHBOUR_KINDS = ("organisation", "meeting", "project", "programme", "place", "post", "group", "source")
NEIGHBOUR_LIMIT = 12  # per side


@dataclass(frozen=True)
class Shown:
    """A term as a page shows it: text, and where it links (IRIs) or its language (literals)."""

    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    #: Footnote numbers of the sources that state it.
    sources: tuple[int, ...] = ()
    #: Numbers of the page's "sources differ" notes that concern it (rograph.web.differences).
    differs: tuple[int, ...] = ()
    #: The language the text is in when it is not the reader's (a fallback the page marks).
    fallback: str | None = None
    #: Whether the text is the curators' translation (``skos:altLabel``), not a source's name.
    translated: bool = False


@dataclass
class Group:
    """The values of one property (outgoing) or the subjects pointing here through it (incoming)."""

    property: Shown
    values: list[Shown] = field(default_factory=list)

    @builtins.property  # the field above shadows the builtin in this class body
    def untranslated(self) -> bool:
        """Texts the curators write in English only (for now), shown marked on other pages."""
        return self.property.iri in UNTRANSLATED


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
    """One linked thing in the neighbourhood picture: its circle, its name and the relation."""

    node: Shown
    relation: str
    outgoing: bool
    x: float
    y: float
    #: Where its text starts (``anchor`` "start") or ends ("end").
    text_x: float
    anchor: str
    #: Its name in at most two lines.
    name: list[str]


@dataclass
class Picture:
    """The neighbourhood picture: the entity and one row for each thing it links to or that
    links to it, so no two texts can overlap. Drawn twice: ``wide`` (what it links to on the
    right, what links to it on the left) and ``narrow`` (one column, for a phone)."""

    layout: str
    width: int
    height: int
    centre_x: float
    centre_y: float
    title_x: float
    title_y: float
    title_anchor: str
    title_lines: list[str]
    neighbours: list[Neighbour]


@dataclass
class EntityView:
    iri: str
    title: Shown
    types: list[Shown]
    descriptions: list[Shown]
    outgoing: list[Group]
    incoming: list[Group]
    #: A meeting's outcomes by kind (agreements, findings, plans): (kind in the plural, members).
    outcomes: list[tuple[Shown, list[Shown]]]
    #: Links to the entity over all pages, and how many of them are outcomes (shown apart).
    incoming_total: int
    outcome_total: int
    page: int
    page_count: int
    sources: list[tuple[int, Shown]]
    #: The neighbourhood picture, wide and narrow (none when nothing is linked).
    pictures: list[Picture]
    #: Per footnote number, the quotes of that source that state the entity, in text order.
    quotes: dict[int, list[Quote]] = field(default_factory=dict)
    #: Where sources differ about the entity or its values (rograph.web.differences).
    differences: list = field(default_factory=list)
    differs: tuple[int, ...] = ()
    #: The hash IRIs of its document it links to (``x#period``), each with its statements.
    parts: list[Part] = field(default_factory=list)


@dataclass
class Part:
    """A hash IRI described in its base's document (``x#period`` in ``x``): the page gives it
    an element whose id is the fragment, so that a link to ``x#period`` lands on it."""

    anchor: str
    title: Shown
    statements: list[Group]


# --------------------------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def vocabulary_labels() -> dict[str, dict[str, str]]:
    """Display labels of reused vocabularies' terms (``vocabulary-labels.ttl``)."""
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    path = Path(__file__).with_name("vocabulary-labels.ttl")
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        labels[quad.subject.value][quad.object.language or ""] = quad.object.value
    return dict(labels)


@dataclass(frozen=True)
class Label:
    """A label as the page shows it: its text, its language, and whether it is a translation."""

    text: str
    lang: str
    translated: bool = False


def _pick(by_language: dict[str, str], lang: str) -> tuple[str, str] | None:
    """The text in ``lang``, else in the pages' fallback order, else untagged, else any."""
    for candidate in (lang, *LANGUAGES, ""):
        if candidate in by_language:
            return by_language[candidate], candidate
    return next(iter((text, code) for code, text in by_language.items()), None)


def pick_label(names: dict[str, str], translations: dict[str, str], lang: str) -> Label | None:
    """A name in the reader's language; where only the curators' translation
    (``skos:altLabel``) is in it, that, marked; else a name in another language."""
    if lang not in names and lang in translations:
        return Label(translations[lang], lang, translated=True)
    picked = _pick(names, lang) or _pick(translations, lang)
    return Label(picked[0], picked[1], translated=picked[1] not in names) if picked else None


class Labeller:
    """Labels of IRIs in one language, fetched from the store in one query per batch."""

    def __init__(self, store: Store, lang: str, root: str):
        self.store, self.lang, self.root = store, lang, root
        self._labels: dict[str, Label | None] = {}

    def fetch(self, iris: Iterable[str]) -> None:
        wanted = sorted({iri for iri in iris if iri not in self._labels})
        for start in range(0, len(wanted), 200):
            batch = wanted[start:start + 200]
            names: dict[str, dict[str, str]] = defaultdict(dict)
            translations: dict[str, dict[str, str]] = defaultdict(dict)
            values = " ".join(str(ox.NamedNode(iri)) for iri in batch)
            rows = solutions(self.store.query(f"""SELECT ?x ?label ?alt WHERE {{ VALUES ?x {{ {values} }}
                {{ ?x <{RDFS}label> ?label }} UNION {{ ?x <{SKOS}prefLabel> ?label }} UNION {{ ?x <{SKOS}altLabel> ?alt }} }}"""))
            for row in rows:
                if row["label"] is not None:
                    names[row["x"].value][row["label"].language or ""] = row["label"].value
                else:
                    translations[row["x"].value][row["alt"].language or ""] = row["alt"].value
            vocabulary = vocabulary_labels()
            for iri in batch:
                self._labels[iri] = pick_label(names.get(iri) or vocabulary.get(iri) or {}, translations.get(iri, {}), self.lang)

    def labelled(self, iri: str) -> Label:
        """The label of ``iri``, or its prefixed name when it has none."""
        if iri not in self._labels:
            self.fetch([iri])
        return self._labels[iri] or Label(prefixed(iri), "")

    def label(self, iri: str) -> str:
        return self.labelled(iri).text

    def show(self, term: ox.NamedNode | ox.Literal | ox.BlankNode, *, approximate: bool = False,
             sources: tuple[int, ...] = ()) -> Shown:
        if isinstance(term, ox.NamedNode):
            label = self.labelled(term.value)
            return Shown(label.text, link_to(term.value, self.root), term.value, sources=sources,
                         fallback=self.fallback(label.lang), translated=label.translated)
        if isinstance(term, ox.Literal):
            text = format_literal(term.value, term.datatype.value if term.datatype else None, self.lang, approximate=approximate)
            return Shown(text, lang=term.language, sources=sources, fallback=self.fallback(term.language or ""))
        return Shown(f"_:{term.value}", sources=sources)

    def fallback(self, lang: str) -> str | None:
        """``lang`` when a text in it is shown to a reader of another language."""
        return lang if lang and lang.split("-")[0].lower() != self.lang else None


# --------------------------------------------------------------------------------------------
# Entity pages
# --------------------------------------------------------------------------------------------

def exists(store: Store, iri: str) -> bool:
    """Whether the store says anything about or points to ``iri``."""
    node = ox.NamedNode(iri)
    return bool(store.query(f"ASK {{ {{ GRAPH ?g {{ {node} ?p ?o }} }} UNION {{ GRAPH ?g {{ ?s ?p {node} }} }} }}"))


#: Entity pages and documents say what the sources say; the ontology's consequences are for
#: queries (rograph.store.entailment).
STATED = f"FILTER(?g != <{INFERRED_GRAPH}>)"


def statements(store: Store, iri: str) -> list[ox.Quad]:
    """Every stated quad about ``iri`` or pointing to it, and about the hash IRIs of its
    document it links to: the RDF document of an entity."""
    node = ox.NamedNode(iri)
    quads = [ox.Quad(node, row["p"], row["o"], row["g"])
             for row in solutions(store.query(f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ {node} ?p ?o }} {STATED} }} ORDER BY ?g ?p ?o"))]
    quads += [ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in _part_rows(store, iri, [q.object for q in quads])]
    quads += [ox.Quad(row["s"], row["p"], node, row["g"])
              for row in solutions(store.query(f"SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p {node} }} {STATED} }} ORDER BY ?g ?p ?s"))]
    return quads


def _part_rows(store: Store, iri: str, objects: Iterable) -> list:
    """The stated statements (?s ?p ?o ?g) about the hash IRIs of ``iri``'s document among
    ``objects`` (what it links to). A client looking up ``x#period`` drops the fragment and
    reads the document of ``x``: that document describes them too."""
    parts = sorted({o.value for o in objects if isinstance(o, ox.NamedNode) and o.value.startswith(iri + "#")})
    if not parts:
        return []
    values = " ".join(str(ox.NamedNode(part)) for part in parts)
    return list(solutions(store.query(f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} {STATED} }} ORDER BY ?s ?p ?o ?g")))


def _parts(rows: list, labeller: Labeller, lang: str, notes) -> list[Part]:
    """The :class:`Part` of each hash IRI in ``rows`` (from :func:`_part_rows`): its
    statements by property, texts in the reader's language (or the fallback's)."""
    stated: dict[str, dict[str, dict]] = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))
    for row in rows:
        stated[row["s"].value][row["p"].value][row["o"]].add(row["g"].value)
    parts = []
    for subject, by_property in stated.items():
        groups = []
        for predicate, values in sorted(by_property.items()):
            texts = [(value, graphs) for value, graphs in values.items() if isinstance(value, ox.Literal) and value.language]
            chosen = [(value, graphs) for value, graphs in values.items() if not (isinstance(value, ox.Literal) and value.language)]
            chosen += _in_reader_language(texts, lang) if texts else []
            groups.append(Group(labeller.show(ox.NamedNode(predicate)), [labeller.show(value, sources=notes(graphs)) for value, graphs in chosen]))
        parts.append(Part(subject.rsplit("#", 1)[1], labeller.show(ox.NamedNode(subject)), groups))
    return parts


def graph_statements(store: Store, graph: str) -> list[ox.Quad]:
    """Every quad of one named graph (the ontology, the shapes)."""
    name = ox.NamedNode(graph)
    return [ox.Quad(row["s"], row["p"], row["o"], name)
            for row in solutions(store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }}"))]


#: What a reader of an entity of a class looks for first, in this order; the rest follows,
#: alphabetically. Keyed by class: an entity gets the list of the first of its classes (or
#: their superclasses, from the ontology) found here.
FIRST_PROPERTIES: dict[str, tuple[str, ...]] = {
    RG + "Meeting": (SCHEMA + "startDate", SCHEMA + "endDate", SCHEMA + "location", SCHEMA + "organizer",
                     RG + "coOrganizer", RG + "withinProject"),
    **dict.fromkeys((ORG + "Organization", ORG + "FormalOrganization", ORG + "OrganizationalUnit", CPOV + "PublicOrganisation"),
                    (RDF_TYPE, ORG + "unitOf", ORG + "subOrganizationOf", DCTERMS + "spatial", SCHEMA + "location")),
    ORG + "Post": (ORG + "role", SCHEMA + "location", DCTERMS + "spatial", SCHEMA + "startDate", DCTERMS + "temporal",
                   ORG + "postIn"),
    RG + "Project": (RG + "fundingProgramme", SCHEMA + "funder", SCHEMA + "funding", RG + "grantAgreementNumber",
                     SCHEMA + "startDate", SCHEMA + "endDate", DCTERMS + "temporal"),
    RG + "FundingProgramme": (SCHEMA + "startDate", SCHEMA + "endDate", DCTERMS + "temporal", SCHEMA + "funder"),
    RG + "Figure": (SCHEMA + "value", RG + "isApproximate", RG + "referenceDate", DCTERMS + "temporal", RG + "measure",
                    SCHEMA + "observationAbout", SCHEMA + "location", DCTERMS + "spatial"),
    RG + "Participation": (RG + "participant", CPOV + "hasParticipant", ORG + "role", CPOV + "role", RG + "comesFrom",
                           RG + "fieldOfActivity"),
    RG + "Agreement": (RG + "outcomeOf", PROV + "wasAttributedTo", RG + "fieldOfActivity", DCTERMS + "spatial"),
    RG + "Finding": (RG + "outcomeOf", PROV + "wasAttributedTo", RG + "fieldOfActivity", DCTERMS + "spatial"),
    RG + "Plan": (RG + "outcomeOf", PROV + "wasAttributedTo", RG + "fieldOfActivity", DCTERMS + "spatial"),
    RG + "SourceDocument": (DCTERMS + "title", DCTERMS + "publisher", DCTERMS + "language", SCHEMA + "about"),
}
#: The kinds of a meeting's outcomes, in the order a page lists them.
OUTCOME_KINDS = (RG + "Agreement", RG + "Finding", RG + "Plan")
#: Texts a page shows above the statements rather than in them.
LEAD_PROPERTIES = {DCTERMS + "description"}
#: Curators' notes: written in English only, for now; pages mark them (``data-untranslated``).
UNTRANSLATED = {SKOS + "note"}
#: Names: the page's heading shows the one in the reader's language.
NAME_PROPERTIES = {RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel"}


def entity_view(store: Store, iri: str, lang: str, root: str, page: int = 1) -> EntityView:
    """The entity page of ``iri``: statements grouped by property, the ones a reader of its
    class looks for first at the top, with sources; a meeting's outcomes by kind; incoming
    links paginated by :data:`PAGE_SIZE`."""
    node = ox.NamedNode(iri)
    labeller = Labeller(store, lang, root)
    outgoing_rows = list(solutions(store.query(f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ {node} ?p ?o }} {STATED} }} ORDER BY ?p ?o")))
    counts = next(iter(solutions(store.query(f"""SELECT (COUNT(*) AS ?n) (SUM(IF(?p = <{RG}outcomeOf>, 1, 0)) AS ?outcomes)
        WHERE {{ SELECT DISTINCT ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p {node} }} {STATED} }} }}"""))))
    incoming_total = int(counts["n"].value)
    outcome_total = int(counts["outcomes"].value) if counts["outcomes"] is not None else 0
    page_count = max(1, math.ceil(incoming_total / PAGE_SIZE))
    page = min(max(1, page), page_count)
    incoming_pairs = [(row["s"], row["p"]) for row in solutions(store.query(
        f"SELECT DISTINCT ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p {node} }} {STATED} }} ORDER BY ?p ?s LIMIT {PAGE_SIZE} OFFSET {(page - 1) * PAGE_SIZE}"))]
    incoming_graphs: dict[tuple[str, str], set[str]] = defaultdict(set)
    if incoming_pairs:
        values = " ".join(f"({s} {p})" for s, p in incoming_pairs if isinstance(s, ox.NamedNode))
        if values:
            for row in solutions(store.query(f"SELECT ?s ?p ?g WHERE {{ VALUES (?s ?p) {{ {values} }} GRAPH ?g {{ ?s ?p {node} }} {STATED} }}")):
                incoming_graphs[row["s"].value, row["p"].value].add(row["g"].value)

    part_rows = _part_rows(store, iri, [row["o"] for row in outgoing_rows])
    evidence = _evidence(store, node)
    graphs = ({row["g"].value for row in outgoing_rows + part_rows} | {g for gs in incoming_graphs.values() for g in gs}
              | {g for g, _ in evidence})
    source_of = sources_of_graphs(store, graphs)
    footnotes: dict[str, int] = {}

    def notes(graph_names: Iterable[str]) -> tuple[int, ...]:
        numbers = set()
        for graph in graph_names:
            source = source_of.get(graph, graph)
            numbers.add(footnotes.setdefault(source, len(footnotes) + 1))
        return tuple(sorted(numbers))

    outcome_subjects = [s for s, p in incoming_pairs if p.value == RG + "outcomeOf" and isinstance(s, ox.NamedNode)]
    kind_of = _outcome_kinds(store, outcome_subjects)
    labeller.fetch([row["p"].value for row in outgoing_rows] + [row["o"].value for row in outgoing_rows if isinstance(row["o"], ox.NamedNode)]
                   + [p.value for _, p in incoming_pairs] + [s.value for s, _ in incoming_pairs if isinstance(s, ox.NamedNode)]
                   + list(source_of.values()) + list(kind_of.values()) + [iri]
                   + [row["p"].value for row in part_rows] + [row["o"].value for row in part_rows if isinstance(row["o"], ox.NamedNode)])
    # "1" is true in xsd:boolean's lexical space, and how Virtuoso returns a stored true.
    approximate = any(row["p"].value == APPROXIMATE and row["o"].value in ("true", "1") for row in outgoing_rows)

    # One value per (property, object), with every graph that states it.
    stated: dict[tuple[str, ox.NamedNode | ox.Literal | ox.BlankNode], set[str]] = defaultdict(set)
    for row in outgoing_rows:
        stated[row["p"].value, row["o"]].add(row["g"].value)
    types: list[Shown] = []
    outgoing: dict[str, Group] = {}
    texts: dict[str, list[tuple[ox.Literal, set[str]]]] = defaultdict(list)
    for (predicate, value), in_graphs in stated.items():
        if isinstance(value, ox.Literal) and value.language:
            texts[predicate].append((value, in_graphs))
            continue
        shown = labeller.show(value, approximate=approximate and predicate == VALUE, sources=notes(in_graphs))
        if predicate == RDF_TYPE:
            types.append(shown)
        outgoing.setdefault(predicate, Group(labeller.show(ox.NamedNode(predicate)))).values.append(shown)
    # Texts in languages: the reader's, or (marked) the first of the fallback order.
    descriptions: list[Shown] = []
    for predicate, literals in texts.items():
        if predicate in NAME_PROPERTIES:
            continue
        chosen = _in_reader_language(literals, lang)
        shown_texts = [labeller.show(literal, sources=notes(in_graphs)) for literal, in_graphs in chosen]
        if predicate in LEAD_PROPERTIES:
            descriptions += shown_texts
        else:
            outgoing.setdefault(predicate, Group(labeller.show(ox.NamedNode(predicate)))).values.extend(shown_texts)

    incoming: dict[str, Group] = {}
    outcomes: dict[str, list[Shown]] = defaultdict(list)
    for subject, predicate in incoming_pairs:
        shown = labeller.show(subject, sources=notes(incoming_graphs.get((subject.value, predicate.value), ())))
        if subject.value in kind_of:
            outcomes[kind_of[subject.value]].append(shown)
        else:
            incoming.setdefault(predicate.value, Group(labeller.show(predicate))).values.append(shown)

    parts = _parts(part_rows, labeller, lang, notes)
    first = _first_properties(store, [t.iri for t in types if t.iri])
    quotes: dict[int, list[Quote]] = defaultdict(list)
    for graph, quote in evidence:
        quotes[notes([graph])[0]].append(quote)
    sources = [(number, labeller.show(ox.NamedNode(source))) for source, number in sorted(footnotes.items(), key=lambda item: item[1])]
    title = labeller.labelled(iri)
    return EntityView(
        iri=iri, title=Shown(title.text, iri=iri, fallback=labeller.fallback(title.lang), translated=title.translated),
        types=types, descriptions=descriptions,
        outgoing=sorted(outgoing.values(), key=lambda g: (first.index(g.property.iri) if g.property.iri in first else len(first),
                                                           g.property.text.lower())),
        incoming=sorted(incoming.values(), key=lambda g: g.property.text.lower()),
        outcomes=[(Shown(outcome_heading(kind, lang, labeller), iri=kind), sorted(members, key=lambda m: m.text.lower()))
                  for kind, members in sorted(outcomes.items(), key=lambda item: _kind_order(item[0]))],
        incoming_total=incoming_total, outcome_total=outcome_total, page=page, page_count=page_count, sources=sources,
        pictures=_neighbourhood(title.text, outgoing, incoming),
        quotes={number: sorted(found, key=lambda q: q.start) for number, found in quotes.items()},
        parts=parts,
    )


def _in_reader_language(literals: list[tuple[ox.Literal, set[str]]], lang: str) -> list[tuple[ox.Literal, set[str]]]:
    """The texts in the reader's language; when there are none, those in the first language
    of the fallback order that has any."""
    for candidate in (lang, *LANGUAGES):
        chosen = [(literal, graphs) for literal, graphs in literals if (literal.language or "").split("-")[0].lower() == candidate]
        if chosen:
            return chosen
    first = literals[0][0].language
    return [(literal, graphs) for literal, graphs in literals if literal.language == first]


def class_levels(store: Store, classes: Iterable[str]) -> Iterator[list[str]]:
    """``classes``, then their superclasses by the ontology's rdfs:subClassOf, level by level
    (nearest first), each class once."""
    parents: dict[str, list[str]] = defaultdict(list)
    for row in solutions(store.query(f"SELECT ?c ?super WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?c <{RDFS}subClassOf> ?super FILTER(isIRI(?super)) }} }}")):
        parents[row["c"].value].append(row["super"].value)
    level = sorted(set(classes))
    seen = set(level)
    while level:
        yield level
        level = sorted({p for cls in level for p in parents.get(cls, []) if p not in seen})
        seen.update(level)


def _first_properties(store: Store, types: list[str]) -> list[str]:
    """:data:`FIRST_PROPERTIES` of the nearest of the entity's classes or their superclasses
    that has a list."""
    for level in class_levels(store, types):
        for cls in level:
            if cls in FIRST_PROPERTIES:
                return list(FIRST_PROPERTIES[cls])
    return []


def _outcome_kinds(store: Store, subjects: list[ox.NamedNode]) -> dict[str, str]:
    """The kind (:data:`OUTCOME_KINDS`, else its first class) of each of a meeting's outcomes."""
    if not subjects:
        return {}
    values = " ".join(str(s) for s in subjects)
    kinds: dict[str, list[str]] = defaultdict(list)
    for row in solutions(store.query(f"SELECT ?s ?kind WHERE {{ VALUES ?s {{ {values} }} ?s a ?kind }} ORDER BY ?kind")):
        kinds[row["s"].value].append(row["kind"].value)
    return {subject: min(found, key=_kind_order) for subject, found in kinds.items()}


def _kind_order(kind: str) -> tuple[int, str]:
    return (OUTCOME_KINDS.index(kind) if kind in OUTCOME_KINDS else len(OUTCOME_KINDS), kind)


def outcome_heading(kind: str, lang: str, labeller: Labeller) -> str:
    """"Agreements", "Vienošanās", "Kokkulepped": the plural the page's own words give for a
    kind of outcome, else the kind's label."""
    return OUTCOME_PLURALS.get(kind, {}).get(lang) or labeller.label(kind)


def _evidence(store: Store, node: ox.NamedNode) -> list[tuple[str, Quote]]:
    """The evidence annotations whose body is ``node``: the graph each is in, and its quote."""
    rows = solutions(store.query(f"""SELECT ?g ?exact ?start ?english WHERE {{ GRAPH ?g {{
        ?annotation a <{OA}Annotation> ; <{OA}hasBody> {node} ; <{OA}hasTarget> ?target .
        ?target <{OA}hasSelector> ?quote , ?position .
        ?quote a <{OA}TextQuoteSelector> ; <{OA}exact> ?exact .
        ?position a <{OA}TextPositionSelector> ; <{OA}start> ?start .
        OPTIONAL {{ ?annotation <{OA}hasBody> ?rendering . ?rendering a <{OA}TextualBody> ; <{RDF_VALUE}> ?english . }} }} }}"""))
    found = []
    for row in rows:
        start = row["start"].value
        found.append((row["g"].value, Quote(row["exact"].value, row["exact"].language, row["english"].value if row["english"] else None,
                                            int(start) if start.isdigit() else 0)))
    return found


def sources_of_graphs(store: Store, graphs: set[str]) -> dict[str, str]:
    """The source document each named graph is derived from."""
    if not graphs:
        return {}
    values = " ".join(str(ox.NamedNode(g)) for g in graphs)
    return {row["g"].value: row["source"].value for row in solutions(store.query(
        f"SELECT ?g ?source WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?g <{PROV_DERIVED}> ?source }} }}"))}


#: The picture's geometry (SVG user units): one row per neighbour, rows never share a line.
ROW_HEIGHT, MARGIN, NAME_LINES, TITLE_LINES = 46, 24, 2, 3
#: Wide: 720 wide, name and relation lengths (characters) that fit a column beside the centre.
WIDE_WIDTH, WIDE_NAME_CHARS, WIDE_RELATION_CHARS, WIDE_TITLE_CHARS = 720, 34, 38, 26
#: Narrow: 340 wide (a phone shows it a little larger), the entity at the top left, one column below.
NARROW_WIDTH, NARROW_NAME_CHARS, NARROW_RELATION_CHARS, NARROW_TITLE_CHARS = 340, 44, 48, 38


def _neighbourhood(title: str, outgoing: dict[str, Group], incoming: dict[str, Group]) -> list[Picture]:
    """The organisations, meetings, projects, places… linked to the entity, laid out in rows."""
    seen: set[str] = set()
    sides: dict[bool, list[tuple[Shown, str]]] = {True: [], False: []}
    for groups, direction in ((outgoing, True), (incoming, False)):
        for group in groups.values():
            for value in group.values:
                if value.iri and value.iri.startswith(BASE) and value.iri not in seen \
                        and value.iri[len(BASE):].split("/")[0] in NEIGHBOUR_KINDS:
                    seen.add(value.iri)
                    sides[direction].append((value, group.property.text))
    right, left = sides[True][:NEIGHBOUR_LIMIT], sides[False][:NEIGHBOUR_LIMIT]
    if not right and not left:
        return []
    return [_wide(title, right, left), _narrow(title, right + left, len(right))]


def _row(value: Shown, relation: str, outgoing: bool, x: float, y: float, text_x: float, anchor: str,
         name_chars: int, relation_chars: int) -> Neighbour:
    return Neighbour(value, _shorten(relation, relation_chars), outgoing, x, round(y, 1), text_x, anchor,
                     _wrap(value.text, name_chars, NAME_LINES))


def _wide(title: str, right: list[tuple[Shown, str]], left: list[tuple[Shown, str]]) -> Picture:
    height = max(len(right), len(left), TITLE_LINES) * ROW_HEIGHT + 2 * MARGIN
    centre_x, centre_y = WIDE_WIDTH / 2, height / 2
    placed = []
    for members, outgoing, column_x, text_x, anchor in ((right, True, 470.0, 482.0, "start"), (left, False, 250.0, 238.0, "end")):
        top = centre_y - (len(members) - 1) * ROW_HEIGHT / 2
        placed += [_row(value, relation, outgoing, column_x, top + index * ROW_HEIGHT, text_x, anchor, WIDE_NAME_CHARS,
                        WIDE_RELATION_CHARS) for index, (value, relation) in enumerate(members)]
    return Picture("wide", WIDE_WIDTH, height, centre_x, centre_y, centre_x, centre_y + 26, "middle",
                   _wrap(title, WIDE_TITLE_CHARS, TITLE_LINES), placed)


def _narrow(title: str, members: list[tuple[Shown, str]], outgoing_count: int) -> Picture:
    lines = _wrap(title, NARROW_TITLE_CHARS, TITLE_LINES)
    top = MARGIN + len(lines) * 15 + 24
    placed = [_row(value, relation, index < outgoing_count, 40.0, top + index * ROW_HEIGHT, 52.0, "start", NARROW_NAME_CHARS,
                   NARROW_RELATION_CHARS) for index, (value, relation) in enumerate(members)]
    height = int(top + len(members) * ROW_HEIGHT)
    return Picture("narrow", NARROW_WIDTH, height, 18.0, MARGIN, 34.0, MARGIN + 4, "start", lines, placed)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _wrap(text: str, width: int, lines: int) -> list[str]:
    """``text`` in at most ``lines`` lines of at most ``width`` characters, by words."""
    wrapped = textwrap.wrap(text, width, break_long_words=True) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines - 1] + [_shorten(" ".join(wrapped[lines - 1:]), width)]
    return wrapped


# --------------------------------------------------------------------------------------------
# Home page and browsing
# --------------------------------------------------------------------------------------------

#: Graphs that hold rograph's own model, or what follows from it, rather than what the sources
#: say: not counted as facts.
MODEL_GRAPHS = (ONTOLOGY_GRAPH, SHAPES_GRAPH, INFERRED_GRAPH)


@dataclass
class HomeView:
    classes: list[tuple[Shown, int]]
    #: Every source document with the facts of the graphs derived from it; ``published``: the
    #: ones with a web address (the others are the curators' reference documents).
    sources: list[tuple[Shown, int, bool]]
    #: Statements of the sources' graphs (the facts), of the ontology, of the shapes and of
    #: the RDFS consequences drawn from them (the inferred graph).
    facts: int
    ontology_statements: int
    shapes_statements: int
    inferred_statements: int

    @property
    def published_sources(self) -> int:
        return sum(1 for _, _, published in self.sources if published)


def class_counts(store: Store, labeller: Labeller) -> list[tuple[Shown, int]]:
    """Every class that has members in the data, with how many, by label: the way into
    ``/browse``."""
    # Only the dataset's own graphs: a remote store (Virtuoso) keeps graphs of its own.
    rows = list(solutions(store.query(f"""SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?class }}
        FILTER(STRSTARTS(STR(?g), "{BASE}graph/") && ?g NOT IN (<{ONTOLOGY_GRAPH}>, <{SHAPES_GRAPH}>)) }} GROUP BY ?class""")))
    labeller.fetch([row["class"].value for row in rows])
    return sorted(((labeller.show(row["class"]), int(row["n"].value)) for row in rows), key=lambda item: item[0].text.lower())


def home_view(store: Store, lang: str, root: str) -> HomeView:
    labeller = Labeller(store, lang, root)
    sources = list(solutions(store.query(SOURCE_FACTS_QUERY)))
    labeller.fetch([row["source"].value for row in sources])
    counts = store.graph_counts()
    shown = sorted(((labeller.show(row["source"]), int(row["facts"].value), row["address"] is not None) for row in sources),
                   key=lambda item: (not item[2], item[0].text.lower()))
    facts = sum(n for graph, n in counts.items() if graph not in MODEL_GRAPHS)
    return HomeView(class_counts(store, labeller), shown, facts, counts.get(ONTOLOGY_GRAPH, 0),
                    counts.get(SHAPES_GRAPH, 0), counts.get(INFERRED_GRAPH, 0))


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
    total = int(next(iter(solutions(store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a {node} }}"))))["n"].value)
    page_count = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(1, page), page_count)
    members = [row["s"] for row in solutions(store.query(
        f"SELECT DISTINCT ?s WHERE {{ ?s a {node} }} ORDER BY ?s LIMIT {PAGE_SIZE} OFFSET {(page - 1) * PAGE_SIZE}"))]
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


def _values_by_subject(quads: Iterable[ox.Quad]) -> dict[str, dict[str, list]]:
    """Each subject's objects by predicate (the ontology and shapes graphs hold no triple terms)."""
    found: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for quad in quads:
        if not isinstance(quad.subject, ox.Triple):
            found[quad.subject.value][quad.predicate.value].append(quad.object)
    return found


def ontology_view(store: Store, lang: str, root: str) -> OntologyView:
    """The ontology page, generated from the ontology and shapes graphs."""
    labeller = Labeller(store, lang, root)
    by_subject = _values_by_subject(graph_statements(store, ONTOLOGY_GRAPH))
    shapes = _values_by_subject(graph_statements(store, SHAPES_GRAPH))

    texts = texts_by_language

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

    def in_reader_language(values: list) -> Shown | None:
        by_language = texts(values)
        picked = _pick(by_language, lang)
        return Shown(picked[0], lang=picked[1] or None, fallback=labeller.fallback(picked[1])) if picked else None

    def term(iri: str) -> Term:
        props = by_subject[iri]
        parents = [labeller.show(p) for key in (RDFS + "subClassOf", RDFS + "subPropertyOf")
                   for p in props.get(key, []) if isinstance(p, ox.NamedNode)]
        return Term(iri, iri.rsplit("#", 1)[-1], prefixed(iri), texts(props.get(RDFS + "label", [])),
                    in_reader_language(props.get(SKOS + "definition", []) + props.get(RDFS + "comment", [])),
                    parents, sorted((labeller.show(ox.NamedNode(c)) for c in children.get(iri, [])), key=lambda c: c.text.lower()))

    classes = [term(iri) for iri in of_type(OWL + "Class")]
    for cls in classes:
        _attach_shapes(cls, shapes, labeller)
    ontology = next((s for s in of_type(OWL + "Ontology") if s.rstrip("#/") == BASE + "ontology"), None)
    metadata = []
    if ontology:
        for predicate, values in sorted(by_subject[ontology].items()):
            if predicate == DCTERMS + "title":
                continue  # the page's heading
            labeller.fetch([predicate] + [v.value for v in values if isinstance(v, ox.NamedNode)])
            tagged: list[tuple[ox.Literal, set[str]]] = [(v, set()) for v in values if isinstance(v, ox.Literal) and v.language]
            shown = [v for v in values if not (isinstance(v, ox.Literal) and v.language)]
            shown += [literal for literal, _ in _in_reader_language(tagged, lang)] if tagged else []
            metadata.append((labeller.show(ox.NamedNode(predicate)), [_unlinked(labeller.show(v)) if isinstance(v, ox.NamedNode)
                             and v.value.startswith(BASE) and not exists(store, v.value) else labeller.show(v) for v in shown]))
    schemes = []
    for scheme in of_type(SKOS + "ConceptScheme"):
        members = sorted(s for s, props in by_subject.items() if any(v.value == scheme for v in props.get(SKOS + "inScheme", [])))
        labeller.fetch(members)
        schemes.append((labeller.show(ox.NamedNode(scheme)), [labeller.show(ox.NamedNode(m)) for m in members]))
    title = (in_reader_language(by_subject[ontology].get(DCTERMS + "title", [])) if ontology else None) or Shown("rograph ontology")
    return OntologyView(title, metadata, classes, [term(i) for i in of_type(OWL + "ObjectProperty")],
                        [term(i) for i in of_type(OWL + "DatatypeProperty")], schemes)


def _unlinked(shown: Shown) -> Shown:
    """An IRI of ours that has no page (a version IRI): shown, not linked."""
    return Shown(shown.text, iri=shown.iri, fallback=shown.fallback, translated=shown.translated)


def _attach_shapes(cls: Term, shapes: dict[str, dict[str, list]], labeller: Labeller) -> None:
    """What the shapes require of instances of ``cls``: its node shapes' property shapes."""
    for _shape, props in sorted(shapes.items()):
        if not any(t.value == cls.iri for t in props.get(SH + "targetClass", [])):
            continue
        cls.shape_messages += [m.value for m in props.get(SH + "message", []) if (m.language or "en") == "en"]
        cls.constraints += _constraints(props, shapes, labeller)


def _constraints(node_shape: dict[str, list], shapes: dict[str, dict[str, list]], labeller: Labeller) -> list[Constraint]:
    """A node shape's property shapes and SPARQL constraints, as the curator's table rows."""
    rows = []
    for property_shape in node_shape.get(SH + "property", []) + node_shape.get(SH + "sparql", []):
        described = shapes.get(property_shape.value, {})
        low = next((int(v.value) for v in described.get(SH + "minCount", []) + described.get(SH + "qualifiedMinCount", [])), 0)
        high = next((v.value for v in described.get(SH + "maxCount", []) + described.get(SH + "qualifiedMaxCount", [])), "n")
        expects = [labeller.label(v.value) for key in (SH + "class", SH + "datatype") for v in described.get(key, [])]
        expects += [f"= {labeller.label(v.value)}" if isinstance(v, ox.NamedNode) else f"= {v.value}"
                    for v in described.get(SH + "hasValue", [])]
        rows.append(Constraint(
            anchor=property_shape.value.rsplit("#", 1)[-1] if isinstance(property_shape, ox.NamedNode) else "",
            name=_english(described.get(SH + "name", [])) or "",
            path=_path_text(described.get(SH + "path", []), shapes) or ("SPARQL" if SH + "select" in described else ""),
            cardinality=f"{low}..{high}",
            expects=", ".join(expects),
            message=_english(described.get(SH + "message", [])) or "",
            description=_english(described.get(SH + "description", [])) or "",
        ))
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
    shapes = _values_by_subject(graph_statements(store, SHAPES_GRAPH))
    node_shapes = sorted(s for s, props in shapes.items() if any(t.value == SH + "NodeShape" for t in props.get(RDF_TYPE, [])))
    targets = {s: [t for t in shapes[s].get(SH + "targetClass", []) + shapes[s].get(SH + "targetNode", [])
                   if isinstance(t, ox.NamedNode)] for s in node_shapes}
    labeller.fetch([t.value for ts in targets.values() for t in ts])
    return [NodeShape(iri, iri.rsplit("#", 1)[-1], [labeller.show(t) for t in targets[iri]],
                      [m.value for m in shapes[iri].get(SH + "message", []) if (m.language or "en") == "en"],
                      _constraints(shapes[iri], shapes, labeller))
            for iri in node_shapes]


def texts_by_language(values: list) -> dict[str, str]:
    """Literals by language tag (``""`` for none): one text per language."""
    return {v.language or "": v.value for v in values if isinstance(v, ox.Literal)}


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
