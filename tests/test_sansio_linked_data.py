"""The linked-data rules as plain functions: paths to IRIs, formats, languages, freshness,
addresses, and how values read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rograph.namespaces import BASE
from rograph.web.formatting import format_literal
from rograph.web.sansio import NotAcceptable
from rograph.web.sansio.linked_data import (
    HTML,
    address_of,
    alternates,
    choose_document_format,
    choose_language,
    document_address,
    entity_tag,
    is_fresh,
    parse_document_path,
)

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(
    "path, iri, fmt",
    [
        ("organisation/valga-city-government", BASE + "organisation/valga-city-government", None),
        ("/organisation/valga-city-government.ttl", BASE + "organisation/valga-city-government", "text/turtle"),
        (
            "organisation/valga-city-government.jsonld",
            BASE + "organisation/valga-city-government",
            "application/ld+json",
        ),
        ("ontology.rdf", BASE + "ontology", "application/rdf+xml"),
        ("dataset.nt", BASE + "dataset", "application/n-triples"),
        ("meeting/x.html", BASE + "meeting/x", "text/html"),
        ("graph/x.nq", BASE + "graph/x", "application/n-quads"),
        ("programme/plan-v1.2", BASE + "programme/plan-v1.2", None),  # not a format: part of the IRI
        ("figure/x.TTL", BASE + "figure/x", "text/turtle"),
    ],
)
def test_a_path_names_an_iri_and_maybe_a_format(path, iri, fmt):
    doc = parse_document_path(path)
    assert doc.iri == iri
    assert (doc.suffix_format.media_type if doc.suffix_format else None) == fmt


@pytest.mark.parametrize(
    "accept, expected",
    [
        (None, "text/html"),
        ("*/*", "text/html"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/rdf+xml;q=0.5, text/turtle;q=0.9", "text/turtle"),
        ("application/json", "application/ld+json"),
        ("application/n-triples, text/html;q=0.1", "application/n-triples"),
    ],
)
def test_accept_chooses_the_document_format(accept, expected):
    assert choose_document_format(accept, parse_document_path("place/valga")).media_type == expected


def test_a_suffix_wins_over_accept_and_nothing_acceptable_is_refused():
    assert (
        choose_document_format("text/html", parse_document_path("place/valga.nt")).media_type == "application/n-triples"
    )
    with pytest.raises(NotAcceptable, match="text/turtle"):
        choose_document_format("image/png", parse_document_path("place/valga"))


@pytest.mark.parametrize(
    "header, asked, expected",
    [
        (None, None, "en"),
        ("lv-LV,lv;q=0.9,en;q=0.5", None, "lv"),
        ("de, et;q=0.4, en;q=0.3", None, "et"),
        ("fr", None, "en"),
        ("lv", "et", "et"),
        ("lv", "de", "lv"),  # an unknown ?lang= falls back to the header
        ("en;q=bad, lv;q=0.2", None, "lv"),
        # q-values are read as for Accept (one parser): the parameter's name in any case, weights
        # above 1 count as 1 (the first of equal weights wins).
        ("lv;Q=0.1, et;q=0.5", None, "et"),
        ("lv;q=1, et;q=7", None, "lv"),
    ],
)
def test_language_from_query_parameter_then_accept_language(header, asked, expected):
    assert choose_language(header, asked) == expected


def test_published_iris_map_to_the_server_in_use_and_others_stay():
    assert address_of(BASE + "place/valga", "http://127.0.0.1:8000/") == "http://127.0.0.1:8000/place/valga"
    assert (
        address_of(BASE + "ontology#Meeting", "https://staging.example.org/rg")
        == "https://staging.example.org/rg/ontology#Meeting"
    )
    assert address_of("https://schema.org/City", "http://127.0.0.1:8000/") == "https://schema.org/City"
    doc = parse_document_path("place/valga")
    assert document_address(doc, HTML, "http://h/") == "http://h/place/valga.html"
    links = alternates(doc, "http://h/")
    assert '<http://h/place/valga.ttl>; rel="alternate"; type="text/turtle"' in links
    assert links.count('rel="alternate"') == 7


def test_freshness_by_etag_first_then_by_date():
    built = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    tag = entity_tag("version", "place/valga", "text/turtle", "", "1", "http://h/")
    assert tag != entity_tag("other version", "place/valga", "text/turtle", "", "1", "http://h/")
    assert is_fresh(tag, None, tag, built)
    assert is_fresh(f'"x", W/{tag}', None, tag, built)
    assert not is_fresh('"stale"', "Fri, 02 Jan 2026 03:04:05 GMT", tag, built)  # If-None-Match decides alone
    assert is_fresh(None, "Fri, 02 Jan 2026 03:04:05 GMT", tag, built)
    assert not is_fresh(None, "Thu, 01 Jan 2026 00:00:00 GMT", tag, built)
    assert not is_fresh(None, "yesterday", tag, built)
    assert not is_fresh(None, None, tag, built)


@pytest.mark.parametrize(
    "value, datatype, lang, approximate, expected",
    [
        ("2020-02-06", XSD + "date", "en", False, "6 February 2020"),
        ("2020-02-06", XSD + "date", "lv", False, "2020. gada 6. februāris"),
        ("2020-02-06", XSD + "date", "et", False, "6. veebruar 2020"),
        ("2020-03", XSD + "gYearMonth", "en", False, "March 2020"),
        ("2020-03", XSD + "gYearMonth", "lv", False, "2020. gada marts"),
        ("160", XSD + "integer", "en", True, "about 160"),
        ("160", XSD + "integer", "lv", True, "ap 160"),
        ("160", XSD + "integer", "et", True, "umbes 160"),
        ("12500", XSD + "integer", "en", False, "12,500"),
        ("12500", XSD + "integer", "lv", False, "12\u00a0500"),
        ("true", XSD + "boolean", "lv", False, "jā"),
        ("2020-13-45", XSD + "date", "en", False, "2020-13-45"),  # not a date: shown as written
        ("<b>x</b>", None, "en", False, "<b>x</b>"),  # text stays text; escaping is the template's job
    ],
)
def test_values_read_as_the_language_writes_them(value, datatype, lang, approximate, expected):
    assert format_literal(value, datatype, lang, approximate=approximate) == expected
