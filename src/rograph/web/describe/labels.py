"""Labels, as every page shows them: a term's name in the reader's language (or, marked, in
another), literals formatted for the reader, links to the server's own addresses."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from rograph.namespaces import RDFS, SKOS, prefixed
from rograph.store import Store
from rograph.web.formatting import format_literal
from rograph.web.sansio.linked_data import LANGUAGES, link_to


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


@lru_cache(maxsize=1)
def vocabulary_labels() -> dict[str, dict[str, str]]:
    """Display labels of reused vocabularies' terms (``vocabulary-labels.ttl``)."""
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    path = Path(__file__).parent.parent / "vocabulary-labels.ttl"
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        labels[quad.subject.value][quad.object.language or ""] = quad.object.value
    return dict(labels)


@dataclass(frozen=True)
class Label:
    """A label as the page shows it: its text, its language, and whether it is a translation."""

    text: str
    lang: str
    translated: bool = False


def pick_text(by_language: dict[str, str], lang: str) -> tuple[str, str] | None:
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
    picked = pick_text(names, lang) or pick_text(translations, lang)
    return Label(picked[0], picked[1], translated=picked[1] not in names) if picked else None


class Labeller:
    """Labels of IRIs in one language, fetched from the store in one query per batch."""

    def __init__(self, store: Store, lang: str, root: str):
        self.store, self.lang, self.root = store, lang, root
        self._labels: dict[str, Label | None] = {}

    def fetch(self, iris: Iterable[str]) -> None:
        wanted = sorted({iri for iri in iris if iri not in self._labels})
        for start in range(0, len(wanted), 200):
            batch = wanted[start : start + 200]
            names: dict[str, dict[str, str]] = defaultdict(dict)
            translations: dict[str, dict[str, str]] = defaultdict(dict)
            values = " ".join(str(ox.NamedNode(iri)) for iri in batch)
            rows = self.store.select(f"""SELECT ?x ?label ?alt WHERE {{ VALUES ?x {{ {values} }}
                {{ ?x <{RDFS}label> ?label }} UNION {{ ?x <{SKOS}prefLabel> ?label }} UNION {{ ?x <{SKOS}altLabel> ?alt }} }}""")
            for row in rows:
                if row["label"] is not None:
                    names[row["x"].value][row["label"].language or ""] = row["label"].value
                else:
                    translations[row["x"].value][row["alt"].language or ""] = row["alt"].value
            vocabulary = vocabulary_labels()
            for iri in batch:
                self._labels[iri] = pick_label(
                    names.get(iri) or vocabulary.get(iri) or {}, translations.get(iri, {}), self.lang
                )

    def labelled(self, iri: str) -> Label:
        """The label of ``iri``, or its prefixed name when it has none."""
        if iri not in self._labels:
            self.fetch([iri])
        return self._labels[iri] or Label(prefixed(iri), "")

    def label(self, iri: str) -> str:
        return self.labelled(iri).text

    def show(
        self,
        term: ox.NamedNode | ox.Literal | ox.BlankNode,
        *,
        approximate: bool = False,
        sources: tuple[int, ...] = (),
    ) -> Shown:
        if isinstance(term, ox.NamedNode):
            label = self.labelled(term.value)
            return Shown(
                label.text,
                link_to(term.value, self.root),
                term.value,
                sources=sources,
                fallback=self.fallback(label.lang),
                translated=label.translated,
            )
        if isinstance(term, ox.Literal):
            text = format_literal(
                term.value, term.datatype.value if term.datatype else None, self.lang, approximate=approximate
            )
            return Shown(text, lang=term.language, sources=sources, fallback=self.fallback(term.language or ""))
        return Shown(f"_:{term.value}", sources=sources)

    def fallback(self, lang: str) -> str | None:
        """``lang`` when a text in it is shown to a reader of another language."""
        return lang if lang and lang.split("-")[0].lower() != self.lang else None


def texts_by_language(values: list) -> dict[str, str]:
    """Literals by language tag (``""`` for none): one text per language."""
    return {v.language or "": v.value for v in values if isinstance(v, ox.Literal)}


def reader_language_texts(literals: list[tuple[ox.Literal, set[str]]], lang: str) -> list[tuple[ox.Literal, set[str]]]:
    """The texts in the reader's language; when there are none, those in the first language
    of the fallback order that has any."""
    for candidate in (lang, *LANGUAGES):
        chosen = [
            (literal, graphs)
            for literal, graphs in literals
            if (literal.language or "").split("-")[0].lower() == candidate
        ]
        if chosen:
            return chosen
    first = literals[0][0].language
    return [(literal, graphs) for literal, graphs in literals if literal.language == first]
