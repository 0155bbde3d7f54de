"""Every IRI the project mints resolves on the real server: HTML for people, RDF for machines,
suffix URLs, 404 for unknown IRIs, 304 on revalidation, links to the server in use."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
import requests

from conftest import ProjectCopy, start_server
from rograph.namespaces import BASE

pytestmark = pytest.mark.live

RDF_FORMATS = {
    "text/turtle": ("ttl", "turtle"),
    "application/ld+json": ("jsonld", "json-ld"),
    "application/rdf+xml": ("rdf", "xml"),
    "application/n-triples": ("nt", "nt"),
    "application/trig": ("trig", "trig"),
    "application/n-quads": ("nq", "nquads"),
}

#: One IRI of each kind the project mints, and a statement its document must contain.
KINDS = {
    "organisation/valga-city-government": (
        BASE + "organisation/valga-city-government",
        "http://www.w3.org/2000/01/rdf-schema#label",
    ),
    "meeting/valga-expert-meeting-2020-02-06": (
        BASE + "meeting/valga-expert-meeting-2020-02-06",
        "https://schema.org/startDate",
    ),
    "concept/poverty": (BASE + "concept/poverty", "http://www.w3.org/2004/02/skos/core#prefLabel"),
    "concept/challenges": (BASE + "concept/challenges", "http://www.w3.org/2004/02/skos/core#hasTopConcept"),
    "source/lv-moc-valga-expert-meeting-2020": (
        BASE + "source/lv-moc-valga-expert-meeting-2020",
        "http://purl.org/dc/terms/publisher",
    ),
    "graph/lv-moc-valga-expert-meeting-2020": (
        BASE + "graph/lv-moc-valga-expert-meeting-2020",
        "http://www.w3.org/ns/prov#wasDerivedFrom",
    ),
    "ontology": (BASE + "ontology#Meeting", "http://www.w3.org/2000/01/rdf-schema#subClassOf"),
    "shapes": (BASE + "shapes#MeetingShape", "http://www.w3.org/ns/shacl#targetClass"),
    "dataset": (BASE + "dataset", "http://rdfs.org/ns/void#triples"),
}


def _parse(body: bytes, rdflib_format: str) -> rdflib.Dataset:
    dataset = rdflib.Dataset()
    dataset.parse(data=body, format=rdflib_format)
    return dataset


@pytest.mark.parametrize("path", sorted(KINDS))
@pytest.mark.parametrize("media_type", sorted(RDF_FORMATS))
def test_each_kind_of_iri_answers_each_rdf_format_by_accept(live_server, path, media_type):
    subject, predicate = KINDS[path]
    response = requests.get(f"{live_server.url}/{path}", headers={"Accept": media_type}, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0] == media_type
    suffix, rdflib_format = RDF_FORMATS[media_type]
    # Relative (ROGRAPH_PUBLIC_URL unset): never built from the request's Host.
    assert response.headers["Content-Location"] == f"/{path}.{suffix}"
    assert "Accept" in response.headers["Vary"]
    parsed = _parse(response.content, rdflib_format)
    assert any(parsed.quads((rdflib.URIRef(subject), rdflib.URIRef(predicate), None, None)))


@pytest.mark.parametrize("path", sorted(KINDS))
def test_each_kind_of_iri_is_a_page_for_a_browser_and_a_suffix_url_for_each_format(live_server, path):
    page = requests.get(
        f"{live_server.url}/{path}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}, timeout=30
    )
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    for media_type, (suffix, _) in RDF_FORMATS.items():
        assert f'</{path}.{suffix}>; rel="alternate"; type="{media_type}"' in page.headers["Link"]
        by_suffix = requests.get(f"{live_server.url}/{path}.{suffix}", headers={"Accept": "text/html"}, timeout=30)
        assert by_suffix.status_code == 200 and by_suffix.headers["Content-Type"].split(";")[0] == media_type
        assert "Content-Location" not in by_suffix.headers


def test_every_iri_in_the_data_resolves_for_a_crawler(live_server):
    """A crawler that follows every IRI under the base gets RDF about it."""
    dump = requests.get(live_server.url + "/dumps/dataset.nq", timeout=30).content
    iris = set()
    for quad in ox.parse(dump, format=ox.RdfFormat.N_QUADS):
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(BASE):
                iris.add(term.value.split("#")[0])
    kinds = {iri[len(BASE) :].split("/")[0] for iri in iris}
    assert {
        "organisation",
        "meeting",
        "place",
        "concept",
        "graph",
        "source",
        "ontology",
        "shapes",
        "post",
        "figure",
    } <= kinds
    assert len(iris) > 60
    session = requests.Session()
    for iri in sorted(iris):
        response = session.get(
            live_server.url + "/" + iri[len(BASE) :], headers={"Accept": "application/n-triples"}, timeout=30
        )
        assert response.status_code == 200, iri
        assert response.content.strip(), iri


def test_unknown_iri_is_a_404_in_the_format_asked_for(live_server):
    page = requests.get(live_server.url + "/organisation/no-such-body", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 404 and "text/html" in page.headers["Content-Type"]
    assert "https://w3id.org/rograph/organisation/no-such-body" in page.text and "Traceback" not in page.text
    rdf = requests.get(live_server.url + "/organisation/no-such-body", headers={"Accept": "text/turtle"}, timeout=30)
    assert rdf.status_code == 404 and rdf.headers["Content-Type"].startswith("text/turtle")
    assert not any(_parse(rdf.content, "turtle").quads((None, None, None, None)))
    weird = requests.get(live_server.url + "/place/%3Cscript%3E%22%7B", timeout=30)
    assert weird.status_code == 404 and "<script>" not in weird.text


def test_revalidation_answers_304_by_etag_and_by_date(live_server):
    url = live_server.url + "/place/valga"
    first = requests.get(url, headers={"Accept": "text/turtle"}, timeout=30)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = requests.get(url, headers={"Accept": "text/turtle", "If-None-Match": etag}, timeout=30)
    assert again.status_code == 304 and not again.content and again.headers["ETag"] == etag
    assert (
        requests.get(url, headers={"Accept": "text/turtle", "If-Modified-Since": modified}, timeout=30).status_code
        == 304
    )
    other_format = requests.get(url, headers={"Accept": "application/n-triples", "If-None-Match": etag}, timeout=30)
    assert other_format.status_code == 200 and other_format.headers["ETag"] != etag
    lv = requests.get(url, headers={"Accept": "text/html", "Accept-Language": "lv"}, timeout=30)
    en = requests.get(url, headers={"Accept": "text/html", "Accept-Language": "en"}, timeout=30)
    assert lv.headers["ETag"] != en.headers["ETag"]


def test_nothing_acceptable_is_406(live_server):
    response = requests.get(live_server.url + "/place/valga", headers={"Accept": "image/png"}, timeout=30)
    assert response.status_code == 406 and "text/turtle" in response.text


def test_pages_link_to_the_public_url_not_the_base_iri(tmp_path):
    public = "https://staging.example.org/rograph/"
    with start_server(tmp_path, args=("--public-url", public)) as server:
        page = requests.get(
            server.url + "/meeting/valga-expert-meeting-2020-02-06", headers={"Accept": "text/html"}, timeout=30
        )
        assert f'href="{public}organisation/latvia-ministry-of-culture"' in page.text
        assert 'href="https://w3id.org/rograph/organisation/' not in page.text
        assert page.headers["Link"].startswith(f"<{public}meeting/valga-expert-meeting-2020-02-06.html>")
        turtle = requests.get(server.url + "/meeting/valga-expert-meeting-2020-02-06.ttl", timeout=30)
        # The data keeps its published IRIs; only the links a reader follows move to the server.
        parsed = rdflib.Graph().parse(data=turtle.text, format="turtle")
        assert rdflib.URIRef("https://w3id.org/rograph/organisation/latvia-ministry-of-culture") in set(
            parsed.objects()
        )
        assert public not in turtle.text


def test_entity_page_shows_labels_in_the_readers_language_values_formatted_and_sources(live_server):
    url = live_server.url + "/figure/valga-roma-residents-2020"
    en = requests.get(url, headers={"Accept": "text/html", "Accept-Language": "en"}, timeout=30).text
    assert "<h1>about 160 Roma living in Valga</h1>" in en
    assert ">about 160<" in en and "February 2020" in en
    assert (
        'id="source-1"' in en
        and "Expert meeting on Roma integration support measures in Valka and Valga (news item)" in en
    )
    lv = requests.get(url + "?lang=lv", headers={"Accept": "text/html", "Accept-Language": "en"}, timeout=30).text
    assert "<h1>ap 160 romu Valgā</h1>" in lv and ">ap 160<" in lv and 'lang="lv"' in lv
    et = requests.get(url, headers={"Accept": "text/html", "Accept-Language": "et"}, timeout=30).text
    assert "<h1>umbes 160 Valgas elavat romat</h1>" in et


def _select(server, query: str) -> list[tuple[str, ...]]:
    rows = requests.post(
        server.sparql, data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30
    ).json()
    names = rows["head"]["vars"]
    return [tuple(b[n]["value"] for n in names) for b in rows["results"]["bindings"]]


def test_entity_page_shows_the_sources_words_beside_its_footnote(live_server):
    page = requests.get(
        live_server.url + "/agreement/annual-expert-meeting",
        headers={"Accept": "text/html", "Accept-Language": "en"},
        timeout=30,
    ).text
    footnote = page[page.index('<li id="source-1"') :]
    footnote = footnote[: footnote.index("</li>")]
    assert (
        '<blockquote lang="lv">Abas puses vienojas turpmāk vismaz vienu reizi gadā organizēt šādas ekspertu sanāksmi par romu integrācijas jautājumiem</blockquote>'
        in footnote
    )
    assert (
        '<figcaption><span lang="en">Both sides agree to organise such an expert meeting on Roma integration at least once a year from now on</span></figcaption>'
        in footnote
    )
    # Every statement of the text shows every quote that states it.
    import html as html_module

    bodies = _select(
        live_server,
        """SELECT DISTINCT ?body ?exact WHERE { ?a a <http://www.w3.org/ns/oa#Annotation> ;
        <http://www.w3.org/ns/oa#hasBody> ?body ; <http://www.w3.org/ns/oa#hasTarget>/<http://www.w3.org/ns/oa#hasSelector>/<http://www.w3.org/ns/oa#exact> ?exact
        FILTER(isIRI(?body) && STRSTARTS(STR(?body), "https://w3id.org/rograph/")) }""",
    )
    assert len(bodies) >= 40
    for body, exact in bodies:
        shown = requests.get(
            live_server.url + "/" + body[len("https://w3id.org/rograph/") :],
            headers={"Accept": "text/html"},
            timeout=30,
        ).text
        assert f'<blockquote lang="lv">{html_module.escape(exact, quote=False)}</blockquote>' in shown, body
    # A thing stated in two places of the text shows both quotes, in the text's order.
    finding = requests.get(
        live_server.url + "/finding/roma-participants-value-the-initiative", headers={"Accept": "text/html"}, timeout=30
    ).text
    assert finding.index("Sanāksmē piedalījās vairāki romu tautības pārstāvji") < finding.index(
        "Romi aktīvi piedalījās viedokļu apmaiņā"
    )


def test_entity_page_links_incoming_statements_and_draws_the_neighbourhood(live_server):
    page = requests.get(
        live_server.url + "/organisation/latvia-ministry-of-culture", headers={"Accept": "text/html"}, timeout=30
    ).text
    assert "Linked from" in page
    assert 'href="/meeting/valga-expert-meeting-2020-02-06"' in page
    assert '<svg class="neighbourhood' in page and "<circle" in page


def test_incoming_links_paginate(tmp_path):
    project = ProjectCopy(tmp_path / "project")
    many = "\n".join(
        f"    <https://w3id.org/rograph/place/hamlet-{n}> a <https://schema.org/City> ; "
        f'<http://www.w3.org/2000/01/rdf-schema#label> "Ciems {n}"@lv , "Hamlet {n}"@en ; '
        f"<https://schema.org/containedInPlace> <https://w3id.org/rograph/place/latvia> ."
        for n in range(120)
    )
    project.add_to_data(many)
    with start_server(tmp_path, project_dir=project.root, args=("--no-validate",)) as server:
        url = server.url + "/place/latvia"
        first = requests.get(url, headers={"Accept": "text/html"}, timeout=30).text
        third = requests.get(url + "?page=3", headers={"Accept": "text/html"}, timeout=30).text
        assert "Page 1 of 3" in " ".join(first.split()) and 'rel="next"' in first
        assert "Page 3 of 3" in " ".join(third.split()) and 'rel="next"' not in third
        hamlets = lambda page: {line for line in page.split("<li>") if "Hamlet " in line}  # noqa: E731
        assert not hamlets(first) & hamlets(third)
        assert requests.get(url + "?page=x", headers={"Accept": "text/html"}, timeout=30).status_code == 400


def test_markup_in_a_label_is_shown_as_text(tmp_path):
    project = ProjectCopy(tmp_path / "project")
    project.replace(
        "data/lv-moc-valga-expert-meeting-2020.trig",
        '"Valga Rural Municipality Government"@en',
        '"Valga <script>alert(1)</script> & \\"co\\" \u202egovernment"@en',
    )
    with start_server(tmp_path, project_dir=project.root) as server:
        for url in (
            "/organisation/valga-city-government",
            "/meeting/valga-expert-meeting-2020-02-06",
            "/",
            "/query?query=SELECT+%3Fl+WHERE+%7B+%3Fx+rdfs%3Alabel+%3Fl+%7D",
        ):
            page = requests.get(
                server.url + url, headers={"Accept": "text/html", "Accept-Language": "en"}, timeout=30
            ).text
            assert "<script>alert(1)</script>" not in page, url
        page = requests.get(
            server.url + "/organisation/valga-city-government", headers={"Accept": "text/html"}, timeout=30
        ).text
        assert "Valga &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;co&#34;" in page


def test_every_document_in_the_dump_is_a_plain_graph_in_json_ld_equal_to_its_turtle(live_server):
    """JSON-LD 1.1: a consumer of a graph reads the default graph only; an entity's JSON-LD is
    that graph (no named-graph wrapper), with the same triples as its Turtle, and a JSON-LD
    processor (pyld) expands it. Provenance stays in TriG and N-Quads."""
    from pyld import jsonld
    from rdflib.compare import isomorphic

    dump = requests.get(live_server.url + "/dumps/dataset.nq", timeout=60)
    assert dump.status_code == 200
    paths = {
        term.value.split("#")[0][len(BASE) :]
        for quad in ox.parse(dump.content, format=ox.RdfFormat.N_QUADS)
        for term in (quad.subject, quad.object)
        if isinstance(term, ox.NamedNode) and term.value.startswith(BASE)
    }
    assert len(paths) > 50
    for path in sorted(paths):
        as_jsonld = requests.get(f"{live_server.url}/{path}.jsonld", timeout=30)
        as_turtle = requests.get(f"{live_server.url}/{path}.ttl", timeout=30)
        assert as_jsonld.status_code == as_turtle.status_code == 200, path
        from_jsonld = rdflib.Graph().parse(data=as_jsonld.content, format="json-ld")
        from_turtle = rdflib.Graph().parse(data=as_turtle.content, format="turtle")
        assert len(from_jsonld) > 0 and isomorphic(from_jsonld, from_turtle), path
        expanded = jsonld.expand(as_jsonld.json())
        assert expanded and not any("@graph" in node for node in expanded), path
        assert len(jsonld.to_rdf(expanded, {"format": "application/n-quads"}).splitlines()) == len(from_turtle), path


def test_provenance_stays_in_the_dataset_formats(live_server):
    path = "organisation/valga-city-government"
    for suffix, rdflib_format in (("trig", "trig"), ("nq", "nquads")):
        dataset = _parse(requests.get(f"{live_server.url}/{path}.{suffix}", timeout=30).content, rdflib_format)
        graphs = {str(context) for _, _, _, context in dataset.quads((rdflib.URIRef(BASE + path), None, None, None))}
        assert BASE + "graph/lv-moc-valga-expert-meeting-2020" in graphs
