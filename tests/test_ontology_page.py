"""The ontology page is generated from ontology/ and shapes/: every term is on it, in each
language, with its hierarchy and what the shapes require."""

from __future__ import annotations

import html

import pyoxigraph as ox
import pytest
import requests

from conftest import PROJECT_DIR
from rograph.namespaces import BASE

pytestmark = pytest.mark.live

OWL = "http://www.w3.org/2002/07/owl#"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def _terms() -> dict[str, dict[str, str]]:
    store = ox.Store()
    store.load(path=str(PROJECT_DIR / "ontology" / "rograph.ttl"), format=ox.RdfFormat.TURTLE)
    terms = {}
    for kind in ("Class", "ObjectProperty", "DatatypeProperty"):
        for quad in store.quads_for_pattern(
            None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(OWL + kind)
        ):
            if quad.subject.value.startswith(BASE):
                terms[quad.subject.value] = {
                    q.object.language: q.object.value for q in store.quads_for_pattern(quad.subject, RDFS_LABEL, None)
                }
    return terms


@pytest.mark.parametrize("lang", ["en", "lv", "et"])
def test_the_ontology_page_lists_every_term_with_its_label(live_server, lang):
    page = html.unescape(
        requests.get(f"{live_server.url}/ontology?lang={lang}", headers={"Accept": "text/html"}, timeout=30).text
    )
    terms = _terms()
    assert len(terms) > 30
    for iri, labels in terms.items():
        anchor = iri.rsplit("#", 1)[-1]
        assert f'id="{anchor}"' in page, iri
        assert labels[lang] in page, (iri, lang)


def test_the_ontology_page_shows_hierarchy_and_what_the_shapes_require(live_server):
    page = html.unescape(requests.get(live_server.url + "/ontology", headers={"Accept": "text/html"}, timeout=30).text)
    meeting = page[
        page.index('id="Meeting"') : page.index('id="ExpertMeeting"')
        if page.index('id="ExpertMeeting"') > page.index('id="Meeting"')
        else None
    ]
    assert "schema:startDate" in meeting and "1..1" in meeting
    shapes = ox.Store()
    shapes.load(path=str(PROJECT_DIR / "shapes" / "rograph-shapes.ttl"), format=ox.RdfFormat.TURTLE)
    start_date_message = next(
        shapes.quads_for_pattern(
            ox.NamedNode(BASE + "shapes#Meeting-startDate"), ox.NamedNode("http://www.w3.org/ns/shacl#message"), None
        )
    ).object.value
    assert start_date_message in meeting
    expert = page[page.index('id="ExpertMeeting"') :]
    assert "subclass of" in expert[:3000] and ">meeting<" in expert[:3000]
