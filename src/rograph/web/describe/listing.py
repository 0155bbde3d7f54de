"""The home page's figures and the class listings: the ways into the data."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pyoxigraph as ox

from rograph.namespaces import BASE, INFERRED_GRAPH, ONTOLOGY_GRAPH, SHAPES_GRAPH
from rograph.store import Store
from rograph.store.void import SOURCE_FACTS_QUERY
from rograph.web.describe.entity import PAGE_SIZE
from rograph.web.describe.labels import Labeller, Shown

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
    rows = list(
        store.select(f"""SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?class }}
        FILTER(STRSTARTS(STR(?g), "{BASE}graph/") && ?g NOT IN (<{ONTOLOGY_GRAPH}>, <{SHAPES_GRAPH}>)) }} GROUP BY ?class""")
    )
    labeller.fetch([row["class"].value for row in rows])
    return sorted(
        ((labeller.show(row["class"]), int(row["n"].value)) for row in rows), key=lambda item: item[0].text.lower()
    )


def home_view(store: Store, lang: str, root: str) -> HomeView:
    labeller = Labeller(store, lang, root)
    sources = list(store.select(SOURCE_FACTS_QUERY))
    labeller.fetch([row["source"].value for row in sources])
    counts = store.graph_counts()
    shown = sorted(
        ((labeller.show(row["source"]), int(row["facts"].value), row["address"] is not None) for row in sources),
        key=lambda item: (not item[2], item[0].text.lower()),
    )
    facts = sum(n for graph, n in counts.items() if graph not in MODEL_GRAPHS)
    return HomeView(
        class_counts(store, labeller),
        shown,
        facts,
        counts.get(ONTOLOGY_GRAPH, 0),
        counts.get(SHAPES_GRAPH, 0),
        counts.get(INFERRED_GRAPH, 0),
    )


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
    total = store.count(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a {node} }}")
    page_count = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(1, page), page_count)
    members = [
        row["s"]
        for row in store.select(
            f"SELECT DISTINCT ?s WHERE {{ ?s a {node} }} ORDER BY ?s LIMIT {PAGE_SIZE} OFFSET {(page - 1) * PAGE_SIZE}"
        )
    ]
    labeller.fetch([m.value for m in members if isinstance(m, ox.NamedNode)] + [class_iri])
    shown = sorted((labeller.show(m) for m in members), key=lambda s: s.text.lower())
    return ClassListing(labeller.show(node), shown, total, page, page_count)
