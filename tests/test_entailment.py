"""The class and property hierarchy works in queries: the build adds the RDFS subclass and
subproperty consequences of the ontology (rdfs9, rdfs7, with rdfs5 and rdfs11 for chains) in a
graph of their own, on every back end. The expected consequences are computed here with rdflib
from the source files, independently of the build."""

from __future__ import annotations

import pytest
import rdflib
import requests
from rdflib.namespace import RDF, RDFS

from conftest import PROJECT_DIR
from rograph.namespaces import BASE, ONTOLOGY_GRAPH, SHAPES_GRAPH

pytestmark = pytest.mark.live

INFERRED = BASE + "graph/inferred"
SOURCE_GRAPH = BASE + "graph/lv-moc-valga-expert-meeting-2020"
MEETING = BASE + "meeting/valga-expert-meeting-2020-02-06"
#: The project's data graphs (a remote store may hold graphs of its own, as Virtuoso does).
NOT_DATA = f'FILTER(STRSTARTS(STR(?g), "{BASE}graph/") && ?g NOT IN (<{ONTOLOGY_GRAPH}>, <{SHAPES_GRAPH}>))'


@pytest.fixture(scope="module")
def sources() -> tuple[rdflib.Graph, rdflib.Dataset]:
    ontology = rdflib.Graph()
    for path in sorted((PROJECT_DIR / "ontology").glob("*.ttl")):
        ontology.parse(path, format="turtle")
    data = rdflib.Dataset()
    for path in sorted((PROJECT_DIR / "data").glob("*.trig")):
        data.parse(path, format="trig")
    return ontology, data


def expected_types(ontology: rdflib.Graph, data: rdflib.Dataset) -> set[tuple[str, str]]:
    stated = {(s, c) for s, _, c, _ in data.quads((None, RDF.type, None, None)) if not isinstance(s, rdflib.BNode)}
    return {(str(s), str(sup)) for s, c in stated for sup in ontology.transitive_objects(c, RDFS.subClassOf)}


def expected_property_values(ontology: rdflib.Graph, data: rdflib.Dataset) -> set[tuple[str, str, str]]:
    """Every statement with each super-property of its property (rdf:type aside: the types
    are :func:`expected_types`)."""
    closed = set()
    for s, p, o, _ in data.quads((None, None, None, None)):
        if p == RDF.type or isinstance(s, rdflib.BNode) or isinstance(o, rdflib.BNode):
            continue
        for sup in ontology.transitive_objects(p, RDFS.subPropertyOf):
            closed.add((str(s), str(sup), o.n3()))
    return closed


def select(server, query: str) -> list[dict]:
    response = requests.get(
        server.sparql, params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=60
    )
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def ask(server, query: str) -> bool:
    response = requests.get(
        server.sparql, params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=60
    )
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


def test_every_instance_has_the_type_of_every_superclass_and_nothing_more(live_server, sources):
    expected = expected_types(*sources)
    rows = select(live_server, f"SELECT DISTINCT ?x ?c WHERE {{ GRAPH ?g {{ ?x a ?c }} {NOT_DATA} FILTER(isIRI(?x)) }}")
    served = {(row["x"]["value"], row["c"]["value"]) for row in rows}
    assert served == expected
    assert (MEETING, BASE + "ontology#Meeting") in served


def test_every_statement_holds_for_every_super_property(live_server, sources):
    ontology, data = sources
    expected = expected_property_values(ontology, data)
    properties = {p for _, p, _ in expected}
    values = " ".join(f"<{p}>" for p in properties)
    rows = select(
        live_server,
        f"""SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} {NOT_DATA}
        FILTER(isIRI(?s) && !isBlank(?o)) }}""",
    )
    served = {(row["s"]["value"], row["p"]["value"], term(row["o"])) for row in rows}
    assert served == expected
    assert any(
        p != sup
        for p in {p for _, p, _, _ in data.quads((None, None, None, None))}
        for sup in ontology.transitive_objects(p, RDFS.subPropertyOf)
    ), "the ontology has no sub-property in use"


def term(binding: dict) -> str:
    if binding["type"] == "uri":
        return f"<{binding['value']}>"
    literal = rdflib.Literal(
        binding["value"],
        lang=binding.get("xml:lang"),
        datatype=rdflib.URIRef(binding["datatype"]) if "datatype" in binding else None,
    )
    return literal.n3()


def test_the_hierarchy_answers_the_questions_researchers_ask(live_server, sources):
    ontology, data = sources
    assert ask(live_server, "ASK { ?s a rg:Meeting }") is True
    organisations = {
        str(s)
        for s, c in {(s, c) for s, _, c, _ in data.quads((None, RDF.type, None, None))}
        if rdflib.URIRef("http://www.w3.org/ns/org#Organization")
        in set(ontology.transitive_objects(c, RDFS.subClassOf))
    }
    assert len(organisations) >= 5
    found = {row["x"]["value"] for row in select(live_server, "SELECT DISTINCT ?x WHERE { ?x a org:Organization }")}
    assert found == organisations


def test_the_consequences_are_kept_apart_from_what_the_source_says(live_server):
    assert ask(live_server, f"ASK {{ GRAPH <{INFERRED}> {{ <{MEETING}> a rg:Meeting }} }}") is True
    assert ask(live_server, f"ASK {{ GRAPH <{SOURCE_GRAPH}> {{ <{MEETING}> a rg:Meeting }} }}") is False
    assert ask(live_server, f"ASK {{ GRAPH <{SOURCE_GRAPH}> {{ <{MEETING}> a rg:ExpertMeeting }} }}") is True
    # Per-source provenance: the inferred graph is derived from no source.
    assert ask(live_server, f"ASK {{ <{INFERRED}> prov:wasDerivedFrom ?source }}") is False
    # It adds only what no graph states already.
    assert (
        ask(
            live_server,
            f"""ASK {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{INFERRED}>) }}""",
        )
        is False
    )


def test_void_describes_the_inferred_graph(live_server):
    void = rdflib.Graph().parse(data=requests.get(live_server.url + "/dataset.ttl", timeout=30).text, format="turtle")
    sd_name = rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#name")
    subsets = list(void.subjects(sd_name, rdflib.URIRef(INFERRED)))
    assert len(subsets) == 1
    description = str(void.value(subsets[0], rdflib.URIRef("http://purl.org/dc/terms/description")))
    assert "subclass" in description and "ontology" in description
    assert void.value(subsets[0], rdflib.URIRef("http://purl.org/dc/terms/source")) is None
    assert void.value(subsets[0], rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")) == rdflib.URIRef(
        BASE + "ontology"
    )


def test_browse_lists_every_organisation_and_meeting(live_server):
    meetings = requests.get(live_server.url + "/browse", params={"class": BASE + "ontology#Meeting"}, timeout=30)
    assert meetings.status_code == 200 and "valga-expert-meeting-2020-02-06" in meetings.text
    organisations = requests.get(
        live_server.url + "/browse", params={"class": "http://www.w3.org/ns/org#Organization"}, timeout=30
    )
    assert organisations.status_code == 200 and "valga-city-government" in organisations.text


def test_entity_documents_say_what_the_sources_say(live_server):
    trig = rdflib.Dataset().parse(
        data=requests.get(live_server.url + "/meeting/valga-expert-meeting-2020-02-06.trig", timeout=30).text,
        format="trig",
    )
    graphs = {str(context) for _, _, _, context in trig.quads((None, None, None, None))}
    assert SOURCE_GRAPH in graphs and INFERRED not in graphs
