"""The names of everything in the graph, for the search page and the reconciliation service.

Built from the store with three SPARQL queries (names, types, sources) the first time a
process needs it, and kept for as long as the store serves the same build (keyed by
``store.version``), so every worker pays for it once per build. It holds, per entity, its
labels, alternative labels and descriptions in every language, its types and how many source
documents state something about it; the classes and properties come from the ontology.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from rograph.namespaces import (
    BASE,
    DCTERMS,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    OWL,
    PROV,
    RDFS,
    SCHEMA,
    SHAPES_GRAPH,
    SKOS,
)
from rograph.store import Store
from rograph.web.matching import Name, Weights, fold, prefix_match, score, stems
from rograph.web.sansio.linked_data import LANGUAGES

#: Which properties give which kind of name.
NAME_PROPERTIES = {
    RDFS + "label": "label",
    SKOS + "prefLabel": "label",
    SKOS + "altLabel": "alternative label",
    SCHEMA + "alternateName": "alternative label",
    DCTERMS + "description": "description",
}
# What the sources state: not the ontology or shapes, nor the hierarchy's consequences (the index
# follows subclasses itself, and a candidate shows the types its sources give it).
_OWN_GRAPHS = f"FILTER(?g NOT IN (<{ONTOLOGY_GRAPH}>, <{SHAPES_GRAPH}>, <{INFERRED_GRAPH}>))"


@dataclass
class Entry:
    """One entity (or class, or property) with its names."""

    iri: str
    names: list[Name] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    sources: int = 0
    #: 0 to 1: how many statements point to it, against the most pointed-to entity.
    popularity: float = 0.0

    def label(self, lang: str) -> str:
        return _in_language([n for n in self.names if n.kind == "label"], lang) or _local_name(self.iri)

    def description(self, lang: str) -> str | None:
        return _in_language([n for n in self.names if n.kind == "description"], lang)


def _in_language(names: list[Name], lang: str) -> str | None:
    by_lang = {n.lang: n.text for n in names}
    for candidate in (lang, *LANGUAGES, ""):
        if candidate in by_lang:
            return by_lang[candidate]
    return next(iter(by_lang.values()), None)


def _closest(names: list[Name], lang: str) -> tuple[bool, int]:
    """How near the best of ``names`` is to a reader of ``lang``: in that language, and short."""
    return min((n.lang != lang, len(n.folded)) for n in names)


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float
    name: Name


class EntityIndex:
    """Names of the entities, classes and properties of one build, ready for matching."""

    def __init__(
        self,
        entities: dict[str, Entry],
        classes: dict[str, Entry],
        properties: dict[str, Entry],
        superclasses: dict[str, set[str]],
        concepts: dict[str, Entry] | None = None,
    ):
        self.entities, self.classes, self.properties = entities, classes, properties
        #: The ontology's SKOS concepts and concept schemes (kinds of participant, of funding…):
        #: the query editor completes them beside the entities; search and reconciliation do not.
        self.concepts = concepts or {}
        self.superclasses = superclasses
        self.weights = Weights(n for e in entities.values() for n in e.names)

    @classmethod
    def from_store(cls, store: Store) -> EntityIndex:
        entities: dict[str, Entry] = {}
        values = " ".join(f"<{p}>" for p in NAME_PROPERTIES)
        for row in store.select(f"""SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} GRAPH ?g {{ ?s ?p ?o }}
                FILTER(isIRI(?s) && isLiteral(?o)) {_OWN_GRAPHS} }}"""):
            entry = entities.setdefault(row["s"].value, Entry(row["s"].value))
            entry.names.append(Name.of(row["o"].value, row["o"].language or "", NAME_PROPERTIES[row["p"].value]))
        for row in store.select(
            f"SELECT DISTINCT ?s ?t WHERE {{ GRAPH ?g {{ ?s a ?t }} FILTER(isIRI(?s) && isIRI(?t)) {_OWN_GRAPHS} }}"
        ):
            if row["s"].value in entities:
                entities[row["s"].value].types.append(row["t"].value)
        for row in store.select(f"""SELECT ?s (COUNT(DISTINCT ?source) AS ?n) WHERE {{
                GRAPH ?g {{ ?s ?p ?o }} GRAPH ?g {{ ?g <{PROV}wasDerivedFrom> ?source }} FILTER(isIRI(?s)) }} GROUP BY ?s"""):
            if row["s"].value in entities:
                entities[row["s"].value].sources = int(row["n"].value)

        links = {
            row["o"].value: int(row["n"].value)
            for row in store.select(
                f"SELECT ?o (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?o)) {_OWN_GRAPHS} }} GROUP BY ?o"
            )
        }
        most = max((links.get(iri, 0) for iri in entities), default=0)
        for iri, entry in entities.items():
            entry.popularity = math.log1p(links.get(iri, 0)) / math.log1p(most) if most else 0.0

        classes: dict[str, Entry] = {}
        superclasses: dict[str, set[str]] = defaultdict(set)
        for row in store.select(
            f"SELECT ?c ?super WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?c <{RDFS}subClassOf> ?super }} FILTER(isIRI(?super)) }}"
        ):
            superclasses[row["c"].value].add(row["super"].value)
        used_types = {t for e in entities.values() for t in e.types}
        classes.update(
            _labelled_terms(store, "class", used_types | {s for ss in superclasses.values() for s in ss}, all_own=True)
        )
        used_properties = {
            row["p"].value
            for row in store.select(f"SELECT DISTINCT ?p WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_OWN_GRAPHS} }}")
        }
        properties = _labelled_terms(store, "property", used_properties, all_own=False)
        return cls(entities, classes, properties, dict(superclasses), _concepts(store))

    # ---------------------------------------------------------------- matching

    def subclasses_of(self, types: set[str]) -> set[str]:
        """``types`` and every class below them."""
        found = set(types)
        changed = True
        while changed:
            changed = False
            for cls, supers in self.superclasses.items():
                if cls not in found and supers & found:
                    found.add(cls)
                    changed = True
        return found

    def superclasses_closure(self, cls: str) -> set[str]:
        """Every class above ``cls``."""
        found: set[str] = set()
        todo = [cls]
        while todo:
            for parent in self.superclasses.get(todo.pop(), ()):
                if parent not in found:
                    found.add(parent)
                    todo.append(parent)
        return found

    def match(
        self,
        query: str,
        *,
        types: set[str] | None = None,
        minimum: float = 0.0,
        containment: bool = False,
        lang: str = "en",
    ) -> list[Hit]:
        """Entities whose names match ``query``, best first (one hit per entity, its best name).

        Between names that match about as well, the entity more statements point to comes
        first (a ministry before one of its participations): the ranking is the name's score
        times 0.9 to 1 by popularity."""
        folded, query_stems = fold(query), stems(query)
        allowed = self.subclasses_of(types) if types else None
        hits = []
        for entry in self.entities.values():
            if allowed is not None and not allowed.intersection(entry.types):
                continue
            scored = [
                (score(folded, query_stems, name, self.weights, containment=containment), name) for name in entry.names
            ]
            best = max((item[0] for item in scored), default=0.0)
            if best > minimum:
                # The entity ranks by its best name; the name it shows as the match is the
                # reader's own when one in the reader's language matches too (an Estonian reader
                # is not shown an English name when an Estonian one matched as well).
                own = [item for item in scored if item[1].lang == lang and item[0] > minimum]
                hits.append(Hit(entry, best, max(own or scored, key=lambda item: (item[0], item[1].lang == lang))[1]))
        return sorted(
            hits, key=lambda h: (-h.score * (0.9 + 0.1 * h.entry.popularity), h.entry.label("en").lower(), h.entry.iri)
        )

    def suggest(
        self, pool: dict[str, Entry], prefix: str, *, inside_words: bool = False, lang: str | None = None
    ) -> list[Entry]:
        """Entries of ``pool`` whose names (or identifiers) start with ``prefix``, the ones
        whose whole name starts with it first.

        The query editor asks for more (``inside_words``: ``alga`` also finds Valga, after the
        names that start with it) and ranks for its reader (``lang``): within each of those
        kinds of match, an entry matched by a name in the reader's language first, then the
        one with the shorter matching name."""
        folded = fold(prefix)
        by_id = [e for iri, e in pool.items() if prefix and (iri == prefix or iri == BASE + prefix)]
        starts, words, inside = [], [], []
        for entry in pool.values():
            if entry in by_id:
                continue
            names = [n for n in entry.names if n.kind != "description"]
            starting = [n for n in names if n.folded.startswith(folded)]
            if starting:
                starts.append((_closest(starting, lang) if lang else min(len(n.folded) for n in starting), entry))
            elif any(prefix_match(folded, n) for n in names):
                words.append(
                    (
                        _closest([n for n in names if prefix_match(folded, n)], lang) if lang else -entry.popularity,
                        entry,
                    )
                )
            elif inside_words and any(folded in n.folded for n in names):
                inside.append(
                    (_closest([n for n in names if folded in n.folded], lang) if lang else -entry.popularity, entry)
                )
        # Whole names: shorter first (the town before the town's council); words of names: the
        # entity more statements point to first (the ministry before its representatives).
        ranked = [sorted(found, key=lambda item: (item[0], item[1].iri)) for found in (starts, words, inside)]
        return by_id + [entry for found in ranked for _, entry in found]

    def main_type(self, entry: Entry) -> str | None:
        """The entity's most specific type: one that is not a superclass of another of its types."""
        types = sorted(entry.types)
        for candidate in types:
            if not any(candidate in self.superclasses_closure(other) for other in types if other != candidate):
                return candidate
        return types[0] if types else None


def _concepts(store: Store) -> dict[str, Entry]:
    """The ontology's SKOS concepts and concept schemes with their names and types."""
    concepts: dict[str, Entry] = {}
    values = " ".join(f"<{p}>" for p in NAME_PROPERTIES)
    for row in store.select(f"""SELECT ?s ?p ?o WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{
            VALUES ?kind {{ <{SKOS}Concept> <{SKOS}ConceptScheme> }} VALUES ?p {{ {values} }} ?s a ?kind ; ?p ?o }}
            FILTER(isIRI(?s) && isLiteral(?o)) }}"""):
        entry = concepts.setdefault(row["s"].value, Entry(row["s"].value))
        entry.names.append(Name.of(row["o"].value, row["o"].language or "", NAME_PROPERTIES[row["p"].value]))
    for row in store.select(
        f"SELECT DISTINCT ?s ?t WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s a ?t }} FILTER(isIRI(?t)) }}"
    ):
        if row["s"].value in concepts:
            concepts[row["s"].value].types.append(row["t"].value)
    return concepts


_TERM_KINDS = {"class": (OWL + "Class",), "property": (OWL + "ObjectProperty", OWL + "DatatypeProperty")}


def _labelled_terms(store: Store, kind: str, used: set[str], *, all_own: bool) -> dict[str, Entry]:
    """The ontology's classes or properties (all of them, or the ``used`` ones) with their
    labels and definitions, and the ``used`` terms of reused vocabularies with the pages'
    labels for them."""
    from rograph.web.describe.labels import vocabulary_labels

    kinds = " ".join(f"<{k}>" for k in _TERM_KINDS[kind])
    terms: dict[str, Entry] = {}
    for row in store.select(f"""SELECT ?t ?p ?o WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?t a ?kind ; ?p ?o }}
            VALUES ?kind {{ {kinds} }} VALUES ?p {{ <{RDFS}label> <{SKOS}definition> }} }}"""):
        iri = row["t"].value
        if all_own or iri in used:
            terms.setdefault(iri, Entry(iri, types=[kind])).names.append(
                Name.of(
                    row["o"].value,
                    row["o"].language or "",
                    "label" if row["p"].value == RDFS + "label" else "description",
                )
            )
    for iri in used - set(terms):
        labels = vocabulary_labels().get(iri)
        if labels:
            terms[iri] = Entry(iri, [Name.of(text, lang, "label") for lang, text in labels.items()], [kind])
    return terms


_cache: dict[str, EntityIndex] = {}
_lock = threading.Lock()


def index_of(store: Store) -> EntityIndex:
    """The index of the build ``store`` serves, made on first use in this process."""
    with _lock:
        index = _cache.get(store.version)
        if index is None:
            _cache.clear()
            index = _cache[store.version] = EntityIndex.from_store(store)
        return index
