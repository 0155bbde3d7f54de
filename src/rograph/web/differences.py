"""Where sources differ, on the pages: a "sources differ" mark next to every value (and title)
that a rg:SourcesDiffer claim sets beside another source's description, with a note at the foot
of the page that says what differs and gives each description with its source's footnote.

It post-processes an entity page's view (:func:`rograph.web.describe.entity_view`): the claims
are few, so one query fetches them all.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pyoxigraph as ox

from rograph.namespaces import DCTERMS, RG
from rograph.store import Store
from rograph.web.describe import STATED, EntityView, Labeller, Shown, sources_of_graphs

DESCRIPTION = DCTERMS + "description"


@dataclass(frozen=True)
class Difference:
    """One claim that sources differ, as a page's note shows it."""

    number: int
    claim: Shown
    text: str | None
    #: Each description the claim sets side by side, with its sources' footnote numbers.
    descriptions: tuple[Shown, ...]


def annotate(view: EntityView, store: Store, lang: str, root: str) -> EntityView:
    """``view`` with its differing values marked and the notes that explain them."""
    rows = list(
        store.select(f"""SELECT ?claim ?thing ?text WHERE {{ GRAPH ?g {{ ?claim a <{RG}SourcesDiffer> ; <{RG}differingDescription> ?thing .
        OPTIONAL {{ ?claim <{DESCRIPTION}> ?text FILTER(LANG(?text) = "{lang}") }} }} }} ORDER BY ?claim ?thing""")
    )
    if not rows:
        return view
    things: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    for row in rows:
        things.setdefault(row["claim"].value, []).append(row["thing"].value)
        if row["text"] is not None:
            texts[row["claim"].value] = row["text"].value
    on_page = {view.iri} | {v.iri for group in view.outgoing + view.incoming for v in group.values if v.iri}
    claims = [claim for claim, members in things.items() if on_page & set(members)]
    if not claims:
        return view

    labeller = Labeller(store, lang, root)
    described = sorted({t for claim in claims for t in things[claim]})
    labeller.fetch(claims + described)
    footnotes = {source.iri: number for number, source in view.sources if source.iri}
    sources = list(view.sources)
    graphs_of = _graphs_describing(store, described)
    source_of = sources_of_graphs(store, {g for gs in graphs_of.values() for g in gs})

    def notes(thing: str) -> tuple[int, ...]:
        numbers = set()
        for graph in graphs_of.get(thing, ()):
            source = source_of.get(graph, graph)
            if source not in footnotes:
                footnotes[source] = len(sources) + 1
                sources.append((footnotes[source], labeller.show(ox.NamedNode(source))))
            numbers.add(footnotes[source])
        return tuple(sorted(numbers))

    differences = [
        Difference(
            index,
            labeller.show(ox.NamedNode(claim)),
            texts.get(claim),
            tuple(dataclasses.replace(labeller.show(ox.NamedNode(t)), sources=notes(t)) for t in things[claim]),
        )
        for index, claim in enumerate(claims, start=1)
    ]
    marks: dict[str, tuple[int, ...]] = {}
    for difference in differences:
        for shown in difference.descriptions:
            if shown.iri is not None:
                marks[shown.iri] = marks.get(shown.iri, ()) + (difference.number,)

    def marked(value: Shown) -> Shown:
        return dataclasses.replace(value, differs=marks[value.iri]) if value.iri in marks else value

    for group in view.outgoing + view.incoming:
        group.values = [marked(v) for v in group.values]
    return dataclasses.replace(view, sources=sources, differences=differences, differs=marks.get(view.iri, ()))


def _graphs_describing(store: Store, iris: list[str]) -> dict[str, set[str]]:
    """The named graphs in which each IRI is the subject of a stated statement (the inferred
    graph is no source: it would be a footnote linking to a graph with no page)."""
    values = " ".join(str(ox.NamedNode(i)) for i in iris)
    found: dict[str, set[str]] = {}
    for row in store.select(
        f"SELECT DISTINCT ?s ?g WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} {STATED} }}"
    ):
        found.setdefault(row["s"].value, set()).add(row["g"].value)
    return found
