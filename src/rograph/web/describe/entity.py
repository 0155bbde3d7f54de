"""An entity's page: its statements with the sources that make them, grouped by property (the
ones a reader of its class looks for first at the top), a meeting's outcomes, the quotes that
state it, and the picture of what it links to. Also the RDF documents: every stated quad about
an IRI, or of one graph.

Everything goes through the store's typed queries (:meth:`rograph.store.Store.select`, ``ask``),
so the pages work the same on any store. The functions return plain dataclasses; the templates only lay them out.
"""

from __future__ import annotations

import builtins
import math
import textwrap
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from rograph.namespaces import (
    BASE,
    DCTERMS,
    INFERRED_GRAPH,
    M8G,
    OA,
    ONTOLOGY_GRAPH,
    ORG,
    PROV,
    RDF,
    RDFS,
    RG,
    SCHEMA,
    SKOS,
)
from rograph.store import Store
from rograph.web.describe.labels import Labeller, Shown, reader_language_texts
from rograph.web.ui_text import OUTCOME_PLURALS

RDF_TYPE = RDF + "type"
APPROXIMATE = RG + "isApproximate"
VALUE = SCHEMA + "value"

#: Incoming statements per page of an entity page.
PAGE_SIZE = 50
#: Entity kinds (first path segment of an IRI) drawn in the neighbourhood picture.
NEIGHBOUR_KINDS = ("organisation", "meeting", "project", "programme", "place", "post", "group", "source")
NEIGHBOUR_LIMIT = 12  # per side


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


def exists(store: Store, iri: str) -> bool:
    """Whether the store says anything about or points to ``iri``."""
    node = ox.NamedNode(iri)
    return store.ask(f"ASK {{ {{ GRAPH ?g {{ {node} ?p ?o }} }} UNION {{ GRAPH ?g {{ ?s ?p {node} }} }} }}")


#: Entity pages and documents say what the sources say; the ontology's consequences are for
#: queries (rograph.store.entailment).
STATED = f"FILTER(?g != <{INFERRED_GRAPH}>)"


def statements(store: Store, iri: str) -> list[ox.Quad]:
    """Every stated quad about ``iri`` or pointing to it, and about the hash IRIs of its
    document it links to: the RDF document of an entity."""
    node = ox.NamedNode(iri)
    quads = [
        ox.Quad(node, row["p"], row["o"], row["g"])
        for row in store.select(f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ {node} ?p ?o }} {STATED} }} ORDER BY ?g ?p ?o")
    ]
    quads += [
        ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in _part_rows(store, iri, [q.object for q in quads])
    ]
    quads += [
        ox.Quad(row["s"], row["p"], node, row["g"])
        for row in store.select(f"SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p {node} }} {STATED} }} ORDER BY ?g ?p ?s")
    ]
    return quads


def _part_rows(store: Store, iri: str, objects: Iterable) -> list:
    """The stated statements (?s ?p ?o ?g) about the hash IRIs of ``iri``'s document among
    ``objects`` (what it links to). A client looking up ``x#period`` drops the fragment and
    reads the document of ``x``: that document describes them too."""
    parts = sorted({o.value for o in objects if isinstance(o, ox.NamedNode) and o.value.startswith(iri + "#")})
    if not parts:
        return []
    values = " ".join(str(ox.NamedNode(part)) for part in parts)
    return list(
        store.select(
            f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} {STATED} }} ORDER BY ?s ?p ?o ?g"
        )
    )


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
            texts = [
                (value, graphs) for value, graphs in values.items() if isinstance(value, ox.Literal) and value.language
            ]
            chosen = [
                (value, graphs)
                for value, graphs in values.items()
                if not (isinstance(value, ox.Literal) and value.language)
            ]
            chosen += reader_language_texts(texts, lang) if texts else []
            groups.append(
                Group(
                    labeller.show(ox.NamedNode(predicate)),
                    [labeller.show(value, sources=notes(graphs)) for value, graphs in chosen],
                )
            )
        parts.append(Part(subject.rsplit("#", 1)[1], labeller.show(ox.NamedNode(subject)), groups))
    return parts


def graph_statements(store: Store, graph: str) -> list[ox.Quad]:
    """Every quad of one named graph (the ontology, the shapes)."""
    name = ox.NamedNode(graph)
    return [
        ox.Quad(row["s"], row["p"], row["o"], name)
        for row in store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }}")
    ]


#: What a reader of an entity of a class looks for first, in this order; the rest follows,
#: alphabetically. Keyed by class: an entity gets the list of the first of its classes (or
#: their superclasses, from the ontology) found here.
FIRST_PROPERTIES: dict[str, tuple[str, ...]] = {
    RG + "Meeting": (
        SCHEMA + "startDate",
        SCHEMA + "endDate",
        SCHEMA + "location",
        SCHEMA + "organizer",
        RG + "coOrganizer",
        RG + "withinProject",
    ),
    **dict.fromkeys(
        (ORG + "Organization", ORG + "FormalOrganization", ORG + "OrganizationalUnit", M8G + "PublicOrganisation"),
        (RDF_TYPE, ORG + "unitOf", ORG + "subOrganizationOf", DCTERMS + "spatial", SCHEMA + "location"),
    ),
    ORG + "Post": (
        ORG + "role",
        SCHEMA + "location",
        DCTERMS + "spatial",
        SCHEMA + "startDate",
        DCTERMS + "temporal",
        ORG + "postIn",
    ),
    RG + "Project": (
        RG + "fundingProgramme",
        SCHEMA + "funder",
        SCHEMA + "funding",
        RG + "grantAgreementNumber",
        SCHEMA + "startDate",
        SCHEMA + "endDate",
        DCTERMS + "temporal",
    ),
    RG + "FundingProgramme": (SCHEMA + "startDate", SCHEMA + "endDate", DCTERMS + "temporal", SCHEMA + "funder"),
    RG + "Figure": (
        SCHEMA + "value",
        RG + "isApproximate",
        RG + "referenceDate",
        DCTERMS + "temporal",
        RG + "measure",
        SCHEMA + "observationAbout",
        SCHEMA + "location",
        DCTERMS + "spatial",
    ),
    RG + "Participation": (
        RG + "participant",
        M8G + "hasParticipant",
        ORG + "role",
        M8G + "role",
        RG + "comesFrom",
        RG + "fieldOfActivity",
    ),
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
    outgoing_rows = list(
        store.select(f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ {node} ?p ?o }} {STATED} }} ORDER BY ?p ?o")
    )
    counts = next(
        iter(
            store.select(f"""SELECT (COUNT(*) AS ?n) (SUM(IF(?p = <{RG}outcomeOf>, 1, 0)) AS ?outcomes)
        WHERE {{ SELECT DISTINCT ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p {node} }} {STATED} }} }}""")
        )
    )
    incoming_total = int(counts["n"].value)
    outcome_total = int(counts["outcomes"].value) if counts["outcomes"] is not None else 0
    page_count = max(1, math.ceil(incoming_total / PAGE_SIZE))
    page = min(max(1, page), page_count)
    incoming_pairs = [
        (row["s"], row["p"])
        for row in store.select(
            f"SELECT DISTINCT ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p {node} }} {STATED} }} ORDER BY ?p ?s LIMIT {PAGE_SIZE} OFFSET {(page - 1) * PAGE_SIZE}"
        )
    ]
    incoming_graphs: dict[tuple[str, str], set[str]] = defaultdict(set)
    if incoming_pairs:
        values = " ".join(f"({s} {p})" for s, p in incoming_pairs if isinstance(s, ox.NamedNode))
        if values:
            for row in store.select(
                f"SELECT ?s ?p ?g WHERE {{ VALUES (?s ?p) {{ {values} }} GRAPH ?g {{ ?s ?p {node} }} {STATED} }}"
            ):
                incoming_graphs[row["s"].value, row["p"].value].add(row["g"].value)

    part_rows = _part_rows(store, iri, [row["o"] for row in outgoing_rows])
    evidence = _evidence(store, node)
    graphs = (
        {row["g"].value for row in outgoing_rows + part_rows}
        | {g for gs in incoming_graphs.values() for g in gs}
        | {g for g, _ in evidence}
    )
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
    labeller.fetch(
        [row["p"].value for row in outgoing_rows]
        + [row["o"].value for row in outgoing_rows if isinstance(row["o"], ox.NamedNode)]
        + [p.value for _, p in incoming_pairs]
        + [s.value for s, _ in incoming_pairs if isinstance(s, ox.NamedNode)]
        + list(source_of.values())
        + list(kind_of.values())
        + [iri]
        + [row["p"].value for row in part_rows]
        + [row["o"].value for row in part_rows if isinstance(row["o"], ox.NamedNode)]
    )
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
        chosen = reader_language_texts(literals, lang)
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
    sources = [
        (number, labeller.show(ox.NamedNode(source)))
        for source, number in sorted(footnotes.items(), key=lambda item: item[1])
    ]
    title = labeller.labelled(iri)
    return EntityView(
        iri=iri,
        title=Shown(title.text, iri=iri, fallback=labeller.fallback(title.lang), translated=title.translated),
        types=types,
        descriptions=descriptions,
        outgoing=sorted(
            outgoing.values(),
            key=lambda g: (
                first.index(g.property.iri) if g.property.iri in first else len(first),
                g.property.text.lower(),
            ),
        ),
        incoming=sorted(incoming.values(), key=lambda g: g.property.text.lower()),
        outcomes=[
            (Shown(outcome_heading(kind, lang, labeller), iri=kind), sorted(members, key=lambda m: m.text.lower()))
            for kind, members in sorted(outcomes.items(), key=lambda item: _kind_order(item[0]))
        ],
        incoming_total=incoming_total,
        outcome_total=outcome_total,
        page=page,
        page_count=page_count,
        sources=sources,
        pictures=_neighbourhood(title.text, outgoing, incoming),
        quotes={number: sorted(found, key=lambda q: q.start) for number, found in quotes.items()},
        parts=parts,
    )


def class_levels(store: Store, classes: Iterable[str]) -> Iterator[list[str]]:
    """``classes``, then their superclasses by the ontology's rdfs:subClassOf, level by level
    (nearest first), each class once."""
    parents: dict[str, list[str]] = defaultdict(list)
    for row in store.select(
        f"SELECT ?c ?super WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?c <{RDFS}subClassOf> ?super FILTER(isIRI(?super)) }} }}"
    ):
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
    for row in store.select(f"SELECT ?s ?kind WHERE {{ VALUES ?s {{ {values} }} ?s a ?kind }} ORDER BY ?kind"):
        kinds[row["s"].value].append(row["kind"].value)
    return {subject: min(found, key=_kind_order) for subject, found in kinds.items()}


def _kind_order(kind: str) -> tuple[int, str]:
    return (OUTCOME_KINDS.index(kind) if kind in OUTCOME_KINDS else len(OUTCOME_KINDS), kind)


def outcome_heading(kind: str, lang: str, labeller: Labeller) -> str:
    """ "Agreements", "Vienošanās", "Kokkulepped": the plural the page's own words give for a
    kind of outcome, else the kind's label."""
    return OUTCOME_PLURALS.get(kind, {}).get(lang) or labeller.label(kind)


def _evidence(store: Store, node: ox.NamedNode) -> list[tuple[str, Quote]]:
    """The evidence annotations whose body is ``node``: the graph each is in, and its quote."""
    rows = store.select(f"""SELECT ?g ?exact ?start ?english WHERE {{ GRAPH ?g {{
        ?annotation a <{OA}Annotation> ; <{OA}hasBody> {node} ; <{OA}hasTarget> ?target .
        ?target <{OA}hasSelector> ?quote , ?position .
        ?quote a <{OA}TextQuoteSelector> ; <{OA}exact> ?exact .
        ?position a <{OA}TextPositionSelector> ; <{OA}start> ?start .
        OPTIONAL {{ ?annotation <{OA}hasBody> ?rendering . ?rendering a <{OA}TextualBody> ; <{RDF}value> ?english . }} }} }}""")
    found = []
    for row in rows:
        start = row["start"].value
        found.append(
            (
                row["g"].value,
                Quote(
                    row["exact"].value,
                    row["exact"].language,
                    row["english"].value if row["english"] else None,
                    int(start) if start.isdigit() else 0,
                ),
            )
        )
    return found


def sources_of_graphs(store: Store, graphs: set[str]) -> dict[str, str]:
    """The source document each named graph is derived from."""
    if not graphs:
        return {}
    values = " ".join(str(ox.NamedNode(g)) for g in graphs)
    return {
        row["g"].value: row["source"].value
        for row in store.select(
            f"SELECT ?g ?source WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?g <{PROV}wasDerivedFrom> ?source }} }}"
        )
    }


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
                if (
                    value.iri
                    and value.iri.startswith(BASE)
                    and value.iri not in seen
                    and value.iri[len(BASE) :].split("/")[0] in NEIGHBOUR_KINDS
                ):
                    seen.add(value.iri)
                    sides[direction].append((value, group.property.text))
    right, left = sides[True][:NEIGHBOUR_LIMIT], sides[False][:NEIGHBOUR_LIMIT]
    if not right and not left:
        return []
    return [_wide(title, right, left), _narrow(title, right + left, len(right))]


def _row(
    value: Shown,
    relation: str,
    outgoing: bool,
    x: float,
    y: float,
    text_x: float,
    anchor: str,
    name_chars: int,
    relation_chars: int,
) -> Neighbour:
    return Neighbour(
        value,
        _shorten(relation, relation_chars),
        outgoing,
        x,
        round(y, 1),
        text_x,
        anchor,
        _wrap(value.text, name_chars, NAME_LINES),
    )


def _wide(title: str, right: list[tuple[Shown, str]], left: list[tuple[Shown, str]]) -> Picture:
    height = max(len(right), len(left), TITLE_LINES) * ROW_HEIGHT + 2 * MARGIN
    centre_x, centre_y = WIDE_WIDTH / 2, height / 2
    placed = []
    for members, outgoing, column_x, text_x, anchor in (
        (right, True, 470.0, 482.0, "start"),
        (left, False, 250.0, 238.0, "end"),
    ):
        top = centre_y - (len(members) - 1) * ROW_HEIGHT / 2
        placed += [
            _row(
                value,
                relation,
                outgoing,
                column_x,
                top + index * ROW_HEIGHT,
                text_x,
                anchor,
                WIDE_NAME_CHARS,
                WIDE_RELATION_CHARS,
            )
            for index, (value, relation) in enumerate(members)
        ]
    return Picture(
        "wide",
        WIDE_WIDTH,
        height,
        centre_x,
        centre_y,
        centre_x,
        centre_y + 26,
        "middle",
        _wrap(title, WIDE_TITLE_CHARS, TITLE_LINES),
        placed,
    )


def _narrow(title: str, members: list[tuple[Shown, str]], outgoing_count: int) -> Picture:
    lines = _wrap(title, NARROW_TITLE_CHARS, TITLE_LINES)
    top = MARGIN + len(lines) * 15 + 24
    placed = [
        _row(
            value,
            relation,
            index < outgoing_count,
            40.0,
            top + index * ROW_HEIGHT,
            52.0,
            "start",
            NARROW_NAME_CHARS,
            NARROW_RELATION_CHARS,
        )
        for index, (value, relation) in enumerate(members)
    ]
    height = int(top + len(members) * ROW_HEIGHT)
    return Picture("narrow", NARROW_WIDTH, height, 18.0, MARGIN, 34.0, MARGIN + 4, "start", lines, placed)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _wrap(text: str, width: int, lines: int) -> list[str]:
    """``text`` in at most ``lines`` lines of at most ``width`` characters, by words."""
    wrapped = textwrap.wrap(text, width, break_long_words=True) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[: lines - 1] + [_shorten(" ".join(wrapped[lines - 1 :]), width)]
    return wrapped
