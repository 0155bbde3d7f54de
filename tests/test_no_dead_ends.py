"""No dead ends for a reader: every page a link leads to is a page (HTML, with the site's
navigation), never a bare plain-text error or a download the browser did not ask for; and the
home page's figures say what they count."""

from __future__ import annotations

import re

import pytest
import rdflib
import requests

pytestmark = pytest.mark.live

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def page(url: str, status: int = 200) -> str:
    response = requests.get(url, headers=BROWSER, timeout=30)
    assert response.status_code == status, (url, response.status_code, response.text[:300])
    assert response.headers["Content-Type"].startswith("text/html"), (url, response.headers["Content-Type"])
    assert "<nav" in response.text, url  # the site's navigation: the reader can go on from here
    return response.text


def test_browse_without_a_class_lists_the_classes_with_counts(live_server):
    text = page(live_server.url + "/browse")
    listed = re.findall(r'href="/browse\?class=([^"&]+)[^"]*">([^<]+)</a>', text)
    assert len(listed) >= 10, text
    assert any("ExpertMeeting" in iri for iri, _ in listed)
    for iri, _ in listed[:3]:
        members = page(live_server.url + "/browse?class=" + iri)
        assert "<li>" in members


@pytest.mark.parametrize("query", ["class=not%20an%20iri", "class=https%3A%2F%2Fschema.org%2FPlace&page=x", "class="])
def test_browse_with_bad_parameters_is_an_html_page_that_says_what_is_wrong(live_server, query):
    text = page(f"{live_server.url}/browse?{query}", status=400)
    assert "class" in text or "page" in text


def test_a_bad_page_number_on_an_entity_page_is_an_html_page(live_server):
    text = page(live_server.url + "/organisation/valga-city-government?page=abc", status=400)
    assert "abc" in text


def test_the_navigation_sparql_link_leads_a_browser_to_a_page_and_clients_to_the_service_description(live_server):
    home = page(live_server.url + "/")
    nav = home[home.index("<nav") : home.index("</nav>")]
    target = re.search(r'href="([^"]+)">SPARQL<', nav)[1]
    text = page(requests.compat.urljoin(live_server.url + "/", target))
    assert live_server.sparql in text and 'href="/query"' in text
    for accept in (
        None,
        "*/*",
        "text/turtle",
        "application/rdf+xml",
        "application/n-triples",
        "application/ld+json",
        "application/trig",
        "application/n-quads",
    ):
        described = requests.get(live_server.sparql, headers={"Accept": accept} if accept else {}, timeout=30)
        assert described.status_code == 200 and "html" not in described.headers["Content-Type"], accept
        assert "sparql-service-description" in described.text


def test_shapes_is_the_shapes_own_page(live_server):
    shapes = page(live_server.url + "/shapes")
    ontology = page(live_server.url + "/ontology")
    assert shapes != ontology
    # Every node shape and every property shape has its own section to link to.
    for anchor in ("ExpertMeetingShape", "RomaMediatorPost-role", "Role-inRolesScheme"):
        assert f'id="{anchor}"' in shapes, anchor
    # What a curator reads in a validation report, beside the shape it comes from.
    section = shapes[shapes.index('id="RomaMediatorPost-role"') :]
    assert "A Roma mediator post has org:role concept:roma-mediator." in section[: section.index("</tr>")]


@pytest.mark.parametrize("graph", ["ontology", "shapes"])
def test_the_graphs_of_the_ontology_and_shapes_resolve(live_server, graph):
    page(f"{live_server.url}/graph/{graph}")
    assert (
        requests.get(f"{live_server.url}/graph/{graph}", headers={"Accept": "text/turtle"}, timeout=30).status_code
        == 200
    )


def test_the_inferred_graph_resolves_to_the_description_that_says_what_it_holds(live_server):
    """Its IRI is named in the dataset description (a VoID subset): it answers with that
    description, whose page lists every named graph, the inferred one with what it is."""
    html = page(f"{live_server.url}/graph/inferred")
    row = re.search(r'<tr id="inferred">(.*?)</tr>', html, re.S)
    assert row and "What RDFS entails" in row.group(1), html[-3000:]
    turtle = requests.get(f"{live_server.url}/graph/inferred", headers={"Accept": "text/turtle"}, timeout=30)
    assert turtle.status_code == 200
    described = rdflib.Graph().parse(data=turtle.text, format="turtle")
    named = rdflib.URIRef("https://w3id.org/rograph/graph/inferred")
    assert (None, rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#name"), named) in described


def test_no_page_gives_the_inferred_graph_as_a_source(live_server):
    """The consequences of the ontology are no source: a value's footnotes name the sources
    that state it (the Valga meeting's page notes where sources differ about it)."""
    html = page(f"{live_server.url}/meeting/valga-expert-meeting-2020-02-06")
    assert 'class="differences"' in html
    assert "/graph/inferred" not in html


def test_the_home_page_counts_facts_apart_from_ontology_shapes_and_inferences_with_every_number_labelled(live_server):
    text = page(live_server.url + "/")
    counts = requests.get(live_server.url + "/.well-known/void", headers={"Accept": "text/turtle"}, timeout=30)
    assert counts.status_code == 200
    figures = re.search(r'<p class="figures">(.*?)</p>', text, re.S)[1]
    facts = int(re.search(r"([\d,]+) facts", figures)[1].replace(",", ""))
    ontology = int(re.search(r"ontology: ([\d,]+) statements", figures)[1].replace(",", ""))
    shapes = int(re.search(r"shapes: ([\d,]+) statements", figures)[1].replace(",", ""))
    inferred = int(re.search(r"inferred: ([\d,]+) statements", figures)[1].replace(",", ""))
    # Our graphs only: a store such as Virtuoso holds system graphs of its own beside them.
    ours = 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/rograph/")) }'
    total = int(
        requests.get(
            live_server.sparql,
            params={"query": ours},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        ).json()["results"]["bindings"][0]["n"]["value"]
    )
    assert facts + ontology + shapes + inferred == total and 0 < facts < total
    # Download sizes read as kB or MB, and each number on the list says what it counts.
    downloads = text[text.index('href="/dumps/') :]
    downloads = downloads[: downloads.index("</ul>")]
    for item in re.findall(r"<li>.*?</li>", downloads, re.S):
        assert re.search(r"\d+(\.\d)? (kB|MB)", item) and not re.search(r"\d B\b", item), item
        assert re.search(r"[\d,]+ (statements|triples|quads)", item), item
