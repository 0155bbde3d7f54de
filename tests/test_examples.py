"""Every example query (queries/*.rq) is documented in English and Latvian, shows in the
gallery, opens in the editor, and gives its expected answer on the real endpoint."""

from __future__ import annotations

import csv
import html
import io
from collections import Counter

import pytest
import requests

from conftest import PROJECT_DIR, syntax_error_position
from rograph.examples import ExampleError, load_examples, parse_example

EXAMPLES = load_examples(PROJECT_DIR)


def test_there_are_examples_for_the_research_questions():
    names = {e.name for e in EXAMPLES}
    assert {
        "meetings-and-organisers",
        "municipal-services-at-meetings",
        "mediator-posts",
        "projects-by-programme",
        "figures-with-sources",
        "what-each-source-states",
    } <= names


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_example_has_titles_and_descriptions_in_english_and_latvian(example):
    assert set(example.titles) >= {"en", "lv"} and set(example.descriptions) >= {"en", "lv"}
    assert all(text.strip() for text in (*example.titles.values(), *example.descriptions.values()))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_example_gives_its_expected_answer(live_server, example):
    expected_file = PROJECT_DIR / "queries" / "expected" / f"{example.name}.csv"
    response = requests.post(
        live_server.sparql, data={"query": example.query}, headers={"Accept": "text/csv"}, timeout=60
    )
    assert response.status_code == 200, response.text
    got = list(csv.reader(io.StringIO(response.text)))
    expected = list(csv.reader(io.StringIO(expected_file.read_text(encoding="utf-8"))))
    if live_server.backend == "virtuoso":
        # Virtuoso keeps xsd:boolean values as integers (a known deviation): true comes back as 1.
        expected = [expected[0]] + [
            [{"true": "1", "false": "0"}.get(cell, cell) for cell in row] for row in expected[1:]
        ]
    assert got[0] == expected[0]
    assert Counter(map(tuple, got[1:])) == Counter(map(tuple, expected[1:]))
    assert len(expected) > 1


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_example_shows_in_the_gallery_and_opens_in_the_editor(live_server, example):
    gallery = requests.get(live_server.url + "/query?lang=lv", timeout=30).text
    assert f'data-example="{example.name}"' in gallery and html.escape(example.title("lv"), quote=False) in gallery
    opened = requests.get(live_server.url + "/query", params={"example": example.name}, timeout=30).text
    editor = opened[opened.index("<textarea") : opened.index("</textarea>")]
    assert html.unescape(editor.split(">", 1)[1]) == example.query
    assert 'id="row-count"' in opened


def test_an_example_without_its_header_is_refused_naming_the_file(tmp_path):
    bad = tmp_path / "no-header.rq"
    bad.write_text("SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(ExampleError, match="no-header.rq"):
        parse_example(bad)


def test_query_page_shows_syntax_errors_with_position_and_refuses_service(live_server):
    page = requests.get(live_server.url + "/query", params={"query": "SELECT * WHERE { ?s ?p }"}, timeout=30).text
    # Column 24 is the "}" where the object is missing (Oxigraph points past the end, at 25).
    assert 'role="alert"' in page and "Syntax error" in page and syntax_error_position(live_server, 1, 24) in page
    service = requests.get(
        live_server.url + "/query",
        params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"},
        timeout=30,
    ).text
    assert "no outbound request was made" in service


def test_query_page_links_downloads_in_every_format_and_a_permalink(live_server):
    query = "SELECT ?m WHERE { ?m a rg:ExpertMeeting }"
    page = html.unescape(requests.get(live_server.url + "/query", params={"query": query}, timeout=30).text)
    for name in ("json", "xml", "csv", "tsv"):
        assert f"format={name}" in page
    permalink = page.split('rel="bookmark"')[0].rsplit('href="', 1)[1].split('"')[0]
    again = requests.get(live_server.url + permalink, timeout=30).text
    assert "Expert meeting on Roma integration support measures in Valka and Valga" in again
    construct = html.unescape(
        requests.get(
            live_server.url + "/query", params={"query": "DESCRIBE <https://w3id.org/rograph/place/valga>"}, timeout=30
        ).text
    )
    assert "format=ttl" in construct and "format=jsonld" in construct
