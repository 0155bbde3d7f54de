"""Every text a reader sees exists in the three languages of the pages (lv, en, et): the labels
and descriptions of every entity, ontology term and concept; the titles and descriptions of
every example query; the pages' own words; the labels of reused vocabularies' terms.

Read from the project's files as the build reads them (rograph.sources), so a new data file or
a new term without its Estonian text fails here, naming the IRI.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import PROJECT_DIR
from rograph import sources
from rograph.examples import load_examples
from rograph.web.sansio.linked_data import LANGUAGES
from rograph.web.ui_text import TEXT

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
#: How a thing is named in a language: its label, or (where no source gives a name in that
#: language) the curators' translation as skos:altLabel.
NAMING = {RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel"}
#: Texts that, once given in one language, a reader of each language needs in theirs.
DESCRIBING = {DCTERMS + "description", SKOS + "definition"}


def _project_quads() -> list[ox.Quad]:
    files = sources.discover(PROJECT_DIR)
    return [quad for source in files.ontology + files.data for quad in sources.read_quads(source)]


def _languages_by_subject(predicates: set[str]) -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for quad in _project_quads():
        if quad.predicate.value in predicates and isinstance(quad.object, ox.Literal) and quad.object.language:
            key = (quad.subject.value, quad.predicate.value if predicates is DESCRIBING else "name")
            found[key].add(quad.object.language.lower())
    return found


def test_every_named_thing_has_a_name_in_lv_en_and_et():
    named = _languages_by_subject(NAMING)
    assert len(named) > 100, "expected the data, ontology terms and concepts"
    missing = {
        subject: sorted(set(LANGUAGES) - langs) for (subject, _), langs in named.items() if not set(LANGUAGES) <= langs
    }
    assert not missing, f"names missing in some language: {missing}"


def test_every_description_is_in_lv_en_and_et():
    described = _languages_by_subject(DESCRIBING)
    assert described
    missing = {
        subject: sorted(set(LANGUAGES) - langs)
        for (subject, _), langs in described.items()
        if not set(LANGUAGES) <= langs
    }
    assert not missing, f"descriptions missing in some language: {missing}"


def test_a_translated_name_is_marked_as_one():
    """A name in a language no source gives it in is a skos:altLabel (the curators'
    translation), never a second rdfs:label in that language beside it."""
    labels: dict[tuple[str, str], list[str]] = defaultdict(list)
    alternatives: dict[tuple[str, str], list[str]] = defaultdict(list)
    for quad in _project_quads():
        if isinstance(quad.object, ox.Literal) and quad.object.language:
            key = (quad.subject.value, quad.object.language)
            if quad.predicate.value == RDFS + "label":
                labels[key].append(quad.object.value)
            elif quad.predicate.value == SKOS + "altLabel":
                alternatives[key].append(quad.object.value)
    assert any(lang == "et" for _, lang in alternatives), "the Latvian bodies' Estonian names are translations"
    doubled = sorted(key for key in labels if len(labels[key]) > 1)
    assert not doubled, f"two rdfs:labels in one language: {doubled}"


@pytest.mark.parametrize("example", load_examples(PROJECT_DIR), ids=lambda e: e.name)
def test_every_example_has_a_title_and_description_in_lv_en_and_et(example):
    for lang in LANGUAGES:
        assert example.titles.get(lang), (example.name, "title", lang)
        assert example.descriptions.get(lang), (example.name, "description", lang)
    assert len({example.titles[lang] for lang in LANGUAGES}) == len(LANGUAGES), "each title written in its language"


def test_the_pages_own_words_exist_in_every_language():
    keys = set(TEXT["en"])
    for lang in LANGUAGES:
        assert set(TEXT[lang]) == keys, (lang, sorted(keys ^ set(TEXT[lang])))
        assert all(TEXT[lang][key].strip() for key in keys), lang


def test_every_reused_term_has_a_display_label_in_every_language():
    path = PROJECT_DIR / "src" / "rograph" / "web" / "vocabulary-labels.ttl"
    found: dict[str, set[str]] = defaultdict(set)
    for quad in ox.parse(path=str(Path(path)), format=ox.RdfFormat.TURTLE):
        found[quad.subject.value].add(quad.object.language)
    missing = {iri: sorted(set(LANGUAGES) - langs) for iri, langs in found.items() if not set(LANGUAGES) <= langs}
    assert not missing, missing
