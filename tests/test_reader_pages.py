"""The pages as a reader and a crawler meet them, on both back ends: what a meeting or an
organisation page puts first, a meeting's outcomes grouped by kind, the ontology page's heading,
contents and hierarchy, Turtle with only the prefixes it uses, schema.org/DCAT JSON-LD in every
page that agrees with the page's Turtle, a sitemap of every entity page and a robots.txt that
keeps crawlers off the SPARQL endpoint."""

from __future__ import annotations

import html
import json
import re
import urllib.robotparser
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
import rdflib
import requests

from rograph.namespaces import BASE

pytestmark = pytest.mark.live

HTML_ACCEPT = {"Accept": "text/html"}
MEETING = "meeting/valga-expert-meeting-2020-02-06"
SCHEMA = "https://schema.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RG = BASE + "ontology#"


def _page(server, path: str, lang: str = "en") -> str:
    response = requests.get(f"{server.url}/{path}", params={"lang": lang}, headers=HTML_ACCEPT, timeout=30)
    assert response.status_code == 200, (path, response.status_code)
    return response.text


def _select(server, query: str) -> list[dict[str, str]]:
    response = requests.get(
        server.sparql, params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30
    )
    response.raise_for_status()
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def _row_properties(page: str) -> list[str]:
    """The property IRIs of the statements table's rows, top to bottom."""
    table = page[page.index('<table class="statements"') :]
    table = table[: table.index("</table>")]
    return re.findall(r'<tr data-property="([^"]+)"', table)


def test_a_meeting_page_starts_with_date_place_organiser_co_organisers_and_project(live_server):
    rows = _row_properties(_page(live_server, MEETING))
    first = [SCHEMA + "startDate", SCHEMA + "location", SCHEMA + "organizer", RG + "coOrganizer", RG + "withinProject"]
    assert rows[: len(first)] == first, rows
    assert len(rows) > len(first) + 3, "the rest follows"


@pytest.mark.parametrize(
    "slug, first",
    [
        ("valka-social-service", [RDF_TYPE, "http://www.w3.org/ns/org#unitOf"]),
        ("valga-city-government", [RDF_TYPE, "http://purl.org/dc/terms/spatial"]),
    ],
)
def test_an_organisation_page_starts_with_kind_parent_and_place(live_server, slug, first):
    rows = _row_properties(_page(live_server, f"organisation/{slug}"))
    assert rows[: len(first)] == first, rows


def test_a_meetings_outcomes_are_grouped_by_kind(live_server):
    page = _page(live_server, MEETING)
    expected: dict[str, set[str]] = {}
    for row in _select(
        live_server,
        f"PREFIX rg: <{RG}> SELECT ?o ?kind WHERE {{ ?o rg:outcomeOf <{BASE}{MEETING}> ; a ?kind . "
        "FILTER(?kind IN (rg:Agreement, rg:Finding, rg:Plan)) }",
    ):
        expected.setdefault(row["kind"], set()).add(row["o"].removeprefix(BASE))
    assert set(expected) == {RG + "Agreement", RG + "Finding", RG + "Plan"}
    section = page[page.index('<section class="outcomes"') :]
    section = section[: section.index("</section>")]
    groups = re.findall(r'<h3 data-kind="([^"]+)"[^>]*>.*?</h3>\s*<ul>(.*?)</ul>', section, re.S)
    assert [kind for kind, _ in groups] == [RG + "Agreement", RG + "Finding", RG + "Plan"]
    for kind, items in groups:
        assert {urlsplit(href).path.lstrip("/") for href in re.findall(r'href="([^"#]+)"', items)} == expected[kind]
    incoming = page[page.index('<table class="statements incoming"') :] if 'class="statements incoming"' in page else ""
    assert RG + "outcomeOf" not in incoming, "outcomes are not mixed into 'Linked from'"
    # What the sources state (the page leaves out the hierarchy's graph, graph/inferred).
    others = _select(
        live_server,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p <{BASE}{MEETING}> }} "
        f"FILTER(?p != <{RG}outcomeOf> && ?g != <{BASE}graph/inferred>) }} }}",
    )[0]["n"]
    assert re.search(r"<h2>Linked from <span class=\"meta\">\(" + others + r"\)</span></h2>", page), (
        "counts what it lists"
    )
    assert f'<h2>Outcomes <span class="meta">({sum(map(len, expected.values()))})</span></h2>' in page


def test_the_ontology_page_is_headed_by_its_title_with_a_contents_column_of_every_term(live_server):
    for lang, title in (
        ("en", "rograph ontology: actors in Roma integration"),
        ("et", "rograph ontoloogia: romade lõimumise osalised"),
    ):
        page = html.unescape(_page(live_server, "ontology", lang))
        assert re.search(r"<h1[^>]*>\s*" + re.escape(title) + r"\s*</h1>", page), lang
    terms = _select(
        live_server,
        "PREFIX owl: <http://www.w3.org/2002/07/owl#> SELECT DISTINCT ?t WHERE { GRAPH ?g { ?t a ?k } "
        "VALUES ?k { owl:Class owl:ObjectProperty owl:DatatypeProperty } "
        f'FILTER(STRSTARTS(STR(?t), "{RG}")) }}',
    )
    assert len(terms) > 30
    contents = page[page.index('<nav class="contents"') :]
    contents = contents[: contents.index("</nav>")]
    for row in terms:
        assert f'href="#{row["t"].removeprefix(RG)}"' in contents, row["t"]


def test_a_property_is_a_subproperty_not_a_subclass(live_server):
    page = html.unescape(_page(live_server, "ontology"))
    co_organizer = page[page.index('id="coOrganizer"') :]
    co_organizer = co_organizer[: co_organizer.index("</section>")]
    assert "subproperty of" in co_organizer and "subclass of" not in co_organizer
    assert "organiser" in co_organizer  # schema:organizer, by its label
    meeting = page[page.index('id="ExpertMeeting"') :]
    assert "subclass of" in meeting[: meeting.index("</section>")]


def test_turtle_carries_the_projects_prefixes_and_only_those_it_uses(live_server):
    body = requests.get(f"{live_server.url}/{MEETING}.ttl", timeout=30).text
    declared = dict(re.findall(r"@prefix (\w*): <([^>]+)>", body))
    statements = re.sub(r"@prefix[^\n]*\n", "", body)
    assert declared, body[:500]
    for prefix in declared:
        assert re.search(rf"(?<![\w-]){re.escape(prefix)}:", statements), f"{prefix}: declared but unused"
    assert declared.get("organisation") == BASE + "organisation/" and declared.get("rg") == RG
    assert f"<{BASE}" not in statements, "the project's own IRIs are written with its prefixes"
    parsed = rdflib.Graph().parse(data=body, format="turtle")
    assert (rdflib.URIRef(BASE + MEETING), rdflib.URIRef(SCHEMA + "startDate"), None) in parsed


def _sitemap(server) -> list[str]:
    """The sitemap's addresses: absolute, as the protocol requires; with no public URL set
    (the test servers) the published IRIs, which resolve to these pages."""
    response = requests.get(server.url + "/sitemap.xml", timeout=30)
    assert response.status_code == 200 and "xml" in response.headers["Content-Type"]
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [loc.text for loc in ET.fromstring(response.content).findall("s:url/s:loc", namespace)]


def _served(server, address: str) -> str:
    """Where the test server serves a published address (``https://w3id.org/rograph/p``)."""
    assert address.startswith(BASE), address
    return server.url + "/" + address.removeprefix(BASE)


def test_the_sitemap_lists_every_entity_page(live_server):
    listed = _sitemap(live_server)
    assert len(listed) == len(set(listed))
    entities = {
        row["s"]
        for row in _select(
            live_server,
            f'SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}")) }}',
        )
    }
    expected = {iri.split("#")[0] for iri in entities}
    assert len(expected) > 60
    assert expected <= set(listed), sorted(expected - set(listed))[:10]
    assert BASE in listed
    for url in listed[:: max(1, len(listed) // 15)]:
        assert requests.get(_served(live_server, url), headers=HTML_ACCEPT, timeout=30).status_code == 200, url


def test_robots_txt_keeps_crawlers_off_the_sparql_endpoint_and_names_the_sitemap(live_server):
    response = requests.get(live_server.url + "/robots.txt", timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/plain")
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(response.text.splitlines())
    for agent in ("*", "Googlebot", "bingbot"):
        assert not robots.can_fetch(agent, live_server.url + "/sparql?query=ASK%7B%7D")
        assert not robots.can_fetch(agent, live_server.url + "/sparql")
        assert robots.can_fetch(agent, live_server.url + "/" + MEETING)
        assert robots.can_fetch(agent, live_server.url + "/")
    assert robots.site_maps() == [BASE + "sitemap.xml"], "absolute (sitemaps protocol): the published address"


def test_with_a_public_url_the_sitemap_and_robots_txt_use_it(tmp_path):
    """A server that knows its public address lists its own pages, absolute, under it."""
    from conftest import start_server

    public = "https://rograph.example.org/"
    with start_server(tmp_path, env={"ROGRAPH_PUBLIC_URL": public}) as server:
        listed = _sitemap(server)
        robots = requests.get(server.url + "/robots.txt", timeout=30).text
    assert public in listed and public + MEETING in listed
    assert all(url.startswith(public) for url in listed), [url for url in listed if not url.startswith(public)][:5]
    assert f"Sitemap: {public}sitemap.xml" in robots.splitlines()


def _embedded(page: str) -> rdflib.Graph:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1, "one JSON-LD block per page"
    json.loads(blocks[0])  # plain JSON, no remote context to fetch
    return rdflib.Graph().parse(data=blocks[0], format="json-ld")


def _agrees(embedded: rdflib.Graph, turtle: rdflib.Graph, subject: str, page_url: str) -> None:
    """Every embedded statement is the Turtle's, or a schema.org rendering of one of the
    Turtle's statements about the page's subject (type, name, description, url); and every
    statement the Turtle makes about the subject is embedded."""
    node = rdflib.URIRef(subject)
    labels = set(turtle.objects(node, rdflib.RDFS.label)) | set(turtle.objects(node, rdflib.SKOS.prefLabel))
    descriptions = set(turtle.objects(node, rdflib.URIRef("http://purl.org/dc/terms/description")))

    def has_blank(graph: rdflib.Graph, s, p) -> bool:
        return any(isinstance(o, rdflib.BNode) for o in graph.objects(s, p))

    for triple in embedded:
        s, p, o = triple
        if triple in turtle or isinstance(s, rdflib.BNode) or (isinstance(o, rdflib.BNode) and has_blank(turtle, s, p)):
            continue  # a blank node's statements are compared through the statement pointing to it
        assert s == node, triple
        if p == rdflib.RDF.type:
            assert str(o).startswith(SCHEMA), triple
        elif p == rdflib.URIRef(SCHEMA + "name"):
            assert o in labels or o in set(turtle.objects(node, rdflib.URIRef("http://purl.org/dc/terms/title"))), (
                triple
            )
        elif p == rdflib.URIRef(SCHEMA + "description"):
            assert o in descriptions, triple
        elif p == rdflib.URIRef(SCHEMA + "url"):
            assert str(o) == page_url, triple
        else:
            raise AssertionError(f"embedded statement not in the Turtle: {triple}")
    for triple in turtle.triples((node, None, None)):
        s, p, o = triple
        assert triple in embedded or (isinstance(o, rdflib.BNode) and has_blank(embedded, s, p)), triple
    reachable, todo = set(), [o for o in turtle.objects(node, None) if isinstance(o, rdflib.BNode)]
    while todo:
        blank = todo.pop()
        if blank not in reachable:
            reachable.add(blank)
            todo += [o for o in turtle.objects(blank, None) if isinstance(o, rdflib.BNode)]
    blank_statements = [t for t in turtle if t[0] in reachable]
    assert len([t for t in embedded if isinstance(t[0], rdflib.BNode)]) == len(blank_statements), (
        "the blank nodes' statements too"
    )
    assert any(str(t).startswith(SCHEMA) for t in embedded.objects(node, rdflib.RDF.type)), (
        "a schema.org type for crawlers"
    )
    if labels or (node, rdflib.URIRef("http://purl.org/dc/terms/title"), None) in turtle:
        assert (node, rdflib.URIRef(SCHEMA + "name"), None) in embedded, "named for crawlers as the data names it"


def test_every_html_page_embeds_json_ld_that_agrees_with_its_turtle(live_server):
    pages = [_served(live_server, iri) for iri in _sitemap(live_server) if iri != BASE]
    for url in pages:
        iri = BASE + url.removeprefix(live_server.url + "/")
        page = requests.get(url, headers=HTML_ACCEPT, timeout=30).text
        turtle = rdflib.Graph().parse(
            data=requests.get(url, headers={"Accept": "text/turtle"}, timeout=30).text, format="turtle"
        )
        _agrees(_embedded(page), turtle, iri, iri)  # schema:url: the published address (no public URL set)


def test_the_dataset_page_and_the_home_page_embed_dcat(live_server):
    turtle = rdflib.Graph().parse(
        data=requests.get(live_server.url + "/dataset", headers={"Accept": "text/turtle"}, timeout=30).text,
        format="turtle",
    )
    for url in (live_server.url + "/dataset", live_server.url + "/"):
        embedded = _embedded(requests.get(url, headers=HTML_ACCEPT, timeout=30).text)
        _agrees(embedded, turtle, BASE + "dataset", BASE + "dataset")
        types = set(embedded.objects(rdflib.URIRef(BASE + "dataset"), rdflib.RDF.type))
        assert (
            rdflib.URIRef("http://www.w3.org/ns/dcat#Dataset") in types and rdflib.URIRef(SCHEMA + "Dataset") in types
        )


def test_an_estonian_page_marks_the_text_it_shows_in_another_language(live_server):
    """No entity page in Estonian falls back to another language for a name or a
    description; where a page does fall back (an English-only note), it says so."""
    for url in map(lambda iri: _served(live_server, iri), _sitemap(live_server)):
        if (
            "/organisation/" in url
            or "/meeting/" in url
            or "/agreement/" in url
            or "/finding/" in url
            or "/plan/" in url
        ):
            page = requests.get(url, params={"lang": "et"}, headers=HTML_ACCEPT, timeout=30).text
            heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)[1]
            assert 'class="fallback"' not in heading, url
            lead = re.findall(r'<p class="description"[^>]*>(.*?)</p>', page, re.S)
            assert all('class="fallback"' not in p for p in lead), url
    note_page = requests.get(
        f"{live_server.url}/post/valga-roma-mediator-1", params={"lang": "et"}, headers=HTML_ACCEPT, timeout=30
    ).text
    assert re.search(r'<span lang="en">The source, a report[^<]*</span>\s*<abbr class="fallback"', note_page)
    translated = requests.get(
        f"{live_server.url}/organisation/latvia-ministry-of-culture",
        params={"lang": "et"},
        headers=HTML_ACCEPT,
        timeout=30,
    ).text
    assert re.search(r'<h1[^>]*>Läti Vabariigi Kultuuriministeerium\s*<abbr class="translated"', translated)


def test_a_label_cannot_end_the_embedded_json_ld_or_inject_markup(project_copy, tmp_path):
    """Data is text, never markup: a label written to break out of the JSON-LD script element
    is embedded as JSON that means the same label."""
    from conftest import start_server

    hostile = 'Valga </script><script>alert(1)</script> <!-- "quoted" & \\u003c'
    in_turtle = hostile.replace("\\", "\\\\").replace('"', '\\"')
    project_copy.replace(
        "data/lv-moc-valga-expert-meeting-2020.trig",
        'rdfs:label "Valga"@lv',
        f'rdfs:label "{in_turtle}"@lv',
        within="    place:valga a schema:City",
    )
    with start_server(tmp_path, project_dir=project_copy.root) as server:
        page = requests.get(server.url + "/place/valga", params={"lang": "lv"}, headers=HTML_ACCEPT, timeout=30).text
    assert page.count("<script") == page.count("</script>") == 1  # ours, on the entity page
    assert "<script>alert(1)" not in page and "<!-- " not in page
    embedded = _embedded(page)
    names = {str(o) for o in embedded.objects(rdflib.URIRef(BASE + "place/valga"), rdflib.URIRef(SCHEMA + "name"))}
    assert hostile in names


def test_a_big_graph_gets_a_sitemap_index_whose_files_list_every_entity_once(tmp_path):
    import subprocess
    import sys

    from conftest import start_server

    world = tmp_path / "world.nq"
    subprocess.run(
        [sys.executable, "-m", "rograph", "synth", "--triples", "60000", "--out", str(world)], check=True, timeout=120
    )
    with start_server(tmp_path, data=[world], args=("--no-validate",)) as server:
        index = requests.get(server.url + "/sitemap.xml", timeout=30)
        namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
        files = [loc.text for loc in ET.fromstring(index.content).findall("s:sitemap/s:loc", namespace)]
        assert len(files) >= 2, index.text[:300]
        listed = []
        for url in files:
            page = ET.fromstring(requests.get(_served(server, url), timeout=60).content).findall(
                "s:url/s:loc", namespace
            )
            assert 0 < len(page) <= 5000
            listed += [loc.text for loc in page]
        assert len(listed) == len(set(listed)), "each once"
        entities = {
            row["s"]
            for row in _select(
                server,
                f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}")) }}',
            )
        }
        assert len(entities) > 5000
        assert {iri.split("#")[0] for iri in entities} <= set(listed)
        assert requests.get(server.url + f"/sitemap.xml?page={len(files) + 1}", timeout=30).status_code == 404
