"""The six further sources (shared/sources/further-sources.md) as the data states them: one graph
each, one IRI per actor across graphs, each fact of its fact sheet, no person, and where sources
differ both stand with a sourced claim that links them; on the pages too."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import requests

from conftest import PROJECT_DIR
from rograph import sources

B = "https://w3id.org/rograph/"
SHEETS = {
    "lv-moc-latvian-roma-platform-iv-page": "https://www.km.gov.lv/en/latvian-roma-platform-iv",
    "lv-moc-roma-platform-coordination-meeting-2020": "https://www.km.gov.lv/lv/integracija-un-sabiedriba/romi/projekti-un-pasakumi/latvijas-romu-platforma-iv/latvijas-romu-platformas-koordinacijas-sanaksme",
    "lv-moc-roma-mediators-seminar-2020": "https://www.km.gov.lv/lv/integracija-un-sabiedriba/romi/projekti-un-pasakumi/latvijas-romu-platforma-iv/pieredzes-apmainas-seminars-par-romu-mediatoru-darbu-latvijas-pasvaldibas",
    "lv-moc-latvian-roma-platform-v-report": "https://km.gov.lv/lv/integracija-un-sabiedriba/jaunumi/kulturas-ministrija-turpinas-istenot-projektu-latvijas-romu-platforma-5042",
    "estrom-2-project-page": "https://www.eestiromad.ee/projekt-estrom-2/",
    "integration-foundation-roma-community-work": "https://old.integratsioon.ee/too-roma-kogukonnaga",
}
PREFIXES = """PREFIX rg: <https://w3id.org/rograph/ontology#> PREFIX schema: <https://schema.org/> PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX org: <http://www.w3.org/ns/org#>
PREFIX m8g: <http://data.europa.eu/m8g/> PREFIX foaf: <http://xmlns.com/foaf/0.1/> """


@pytest.fixture(scope="module")
def store():
    return sources.load(sources.discover(PROJECT_DIR))


def rows(store, query: str) -> list[dict]:
    results = store.query(PREFIXES + query, use_default_graph_as_union=True)
    names = [v.value for v in results.variables]
    return [{name: row[name].value if row[name] is not None else None for name in names} for row in results]


def graph(slug: str) -> str:
    return f"<{B}graph/{slug}>"


def test_seven_sources_each_in_its_graph_identified_by_its_address(store):
    for slug, address in SHEETS.items():
        found = rows(
            store,
            f"""SELECT ?source ?publisher ?language ?kind WHERE {{ GRAPH {graph(slug)} {{
            {graph(slug)} prov:wasDerivedFrom ?source . ?source schema:url <{address}> ; dcterms:publisher ?publisher ;
            dcterms:language ?language ; dcterms:type ?kind }} }}""",
        )
        assert [r["source"] for r in found] == [f"{B}source/{slug}"], slug
    published = rows(
        store, "SELECT DISTINCT ?source WHERE { ?g prov:wasDerivedFrom ?source . ?source schema:url ?url }"
    )
    assert len(published) == 7
    assert (PROJECT_DIR / "data").joinpath("lv-moc-valga-expert-meeting-2020.trig").is_file()
    assert all((PROJECT_DIR / "data" / f"{slug}.trig").is_file() for slug in SHEETS)


@pytest.mark.parametrize(
    "actor, slugs",
    [
        (
            "organisation/latvia-ministry-of-culture",
            [
                "lv-moc-valga-expert-meeting-2020",
                "lv-moc-latvian-roma-platform-iv-page",
                "lv-moc-roma-platform-coordination-meeting-2020",
                "lv-moc-roma-mediators-seminar-2020",
                "lv-moc-latvian-roma-platform-v-report",
            ],
        ),
        (
            "place/valga",
            ["lv-moc-valga-expert-meeting-2020", "estrom-2-project-page", "integration-foundation-roma-community-work"],
        ),
        (
            "place/jelgava",
            [
                "lv-moc-valga-expert-meeting-2020",
                "lv-moc-roma-platform-coordination-meeting-2020",
                "lv-moc-roma-mediators-seminar-2020",
            ],
        ),
        (
            "project/latvian-roma-platform-iv",
            [
                "lv-moc-valga-expert-meeting-2020",
                "lv-moc-latvian-roma-platform-iv-page",
                "lv-moc-roma-platform-coordination-meeting-2020",
                "lv-moc-roma-mediators-seminar-2020",
                "lv-moc-latvian-roma-platform-v-report",
            ],
        ),
        (
            "organisation/estonia-ministry-of-culture",
            ["lv-moc-valga-expert-meeting-2020", "estrom-2-project-page", "integration-foundation-roma-community-work"],
        ),
    ],
)
def test_one_iri_per_actor_across_sources(store, actor, slugs):
    mentioned = {
        r["g"]
        for r in rows(
            store,
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {{ <{B}{actor}> ?p ?o }} UNION {{ ?s ?p <{B}{actor}> }} }} }}",
        )
    }
    assert {f"{B}graph/{slug}" for slug in slugs} <= mentioned


def test_coordination_meeting_and_the_projects_totals(store):
    meeting = rows(
        store,
        f"""SELECT ?date ?where ?organiser ?project (COUNT(?p) AS ?parts) WHERE {{
        GRAPH {graph("lv-moc-roma-platform-coordination-meeting-2020")} {{ ?m a rg:Meeting ; schema:startDate ?date ;
        schema:location ?where ; schema:organizer ?organiser ; rg:withinProject ?project ; m8g:hasParticipation ?p }} }}
        GROUP BY ?date ?where ?organiser ?project""",
    )
    assert meeting == [
        {
            "date": "2020-07-22",
            "where": B + "place/riga",
            "organiser": B + "organisation/latvia-ministry-of-culture",
            "project": B + "project/latvian-roma-platform-iv",
            "parts": "10",
        }
    ]
    towns = rows(
        store,
        f"""SELECT ?town WHERE {{ GRAPH {graph("lv-moc-roma-platform-coordination-meeting-2020")} {{
        <{B}participation/coordination-2020-municipal-experts-and-roma-representatives> rg:comesFrom ?town }} }}""",
    )
    assert len(towns) == 11
    parts = rows(
        store,
        f"""SELECT ?n ?kind WHERE {{ ?f rg:breakdownOf <{B}figure/latvian-roma-platform-iv-participants> ;
        schema:value ?n ; rg:participantKind ?kind }} ORDER BY DESC(xsd:integer(?n))""".replace(
            "xsd:integer", "<http://www.w3.org/2001/XMLSchema#integer>"
        ),
    )
    assert [(r["n"], r["kind"].rsplit("/", 1)[1]) for r in parts] == [
        ("103", "state-and-municipal-representatives"),
        ("70", "roma-representatives"),
        ("14", "non-roma-ngo-representatives"),
    ]
    total = rows(
        store,
        f"SELECT ?n ?approx WHERE {{ <{B}figure/latvian-roma-platform-iv-participants> schema:value ?n ; rg:isApproximate ?approx }}",
    )
    assert total == [{"n": "230", "approx": "true"}]


def test_online_seminar_and_mediator_posts(store):
    event = rows(
        store,
        f"""SELECT ?date ?n WHERE {{ <{B}event/roma-mediators-experience-exchange-seminar-2020-06-11> a rg:OnlineEvent ;
        schema:startDate ?date ; rg:participantCount/schema:value ?n }}""",
    )
    assert event == [{"date": "2020-06-11", "n": "28"}]
    posts = {
        r["town"].rsplit("/", 1)[1]
        for r in rows(
            store,
            f"""SELECT ?town WHERE {{ GRAPH {graph("lv-moc-roma-mediators-seminar-2020")} {{
        ?post a rg:RomaMediatorPost ; dcterms:spatial ?town }} }}""",
        )
    }
    assert posts == {"jelgava", "riga", "valmiera", "ventspils", "vilaka"}


def test_budget_with_currency_and_co_financing_share(store):
    budget = rows(
        store,
        f"""SELECT ?total ?currency WHERE {{ <{B}project/latvian-roma-platform-v> rg:budget ?b .
        ?b schema:value ?total ; schema:currency ?currency }}""",
    )
    assert budget == [{"total": "64952.21", "currency": "EUR"}]
    shares = {
        r["kind"].rsplit("/", 1)[1]: (Decimal(r["amount"]), r["percent"])
        for r in rows(
            store,
            f"""SELECT ?kind ?amount ?percent WHERE {{
        <{B}budget/latvian-roma-platform-v> rg:share ?s . ?s rg:fundingKind ?kind ; schema:value ?amount OPTIONAL {{ ?s rg:percentOfBudget ?percent }} }}""",
        )
    }
    assert shares == {
        "eu-funding": (Decimal("58456.99"), None),
        "state-budget-co-financing": (Decimal("6495.22"), "10"),
    }
    assert sum(a for a, _ in shares.values()) == Decimal("64952.21")
    period = rows(
        store,
        f"""SELECT ?start ?end WHERE {{ <{B}project/latvian-roma-platform-v> dcterms:temporal ?p .
        ?p dcat:startDate ?start ; dcat:endDate ?end }}""",
    )
    assert period == [{"start": "2020-08-17", "end": "2021-08-16"}]


def test_estrom_2_and_its_activities(store):
    project = rows(
        store,
        f"""SELECT ?coordinator ?start ?end WHERE {{ <{B}project/estrom-2> rg:coordinator ?coordinator ;
        dcterms:temporal ?p . ?p dcat:startDate ?start ; dcat:endDate ?end }}""",
    )
    assert project == [
        {"coordinator": B + "organisation/estonia-ministry-of-culture", "start": "2019-08-01", "end": "2020-10-31"}
    ]
    activities = rows(store, f"SELECT ?a WHERE {{ ?a rg:withinProject <{B}project/estrom-2> }}")
    assert len(activities) == 13
    valga = rows(
        store,
        f"""SELECT ?day WHERE {{ <{B}event/valga-stakeholder-meeting-2020-02-06> schema:location <{B}place/valga> ;
        dcterms:type <{B}concept/stakeholder-meeting> ; dcterms:temporal/dcat:startDate ?day }}""",
    )
    assert valga == [{"day": "2020-02-06"}]


def test_integration_foundation_mentors_and_figures(store):
    post = rows(
        store,
        f"""SELECT ?employer ?since WHERE {{ <{B}post/integration-foundation-roma-community-mentor-valga>
        a rg:RomaCommunityMentorPost ; org:postIn ?employer ; dcterms:spatial <{B}place/valga> ; dcterms:temporal/dcat:startDate ?since }}""",
    )
    assert post == [{"employer": B + "organisation/integration-foundation", "since": "2020"}]
    size = rows(
        store,
        f"SELECT ?low ?high WHERE {{ <{B}figure/estonia-roma-community-size-2022> schema:minValue ?low ; schema:maxValue ?high }}",
    )
    assert size == [{"low": "1000", "high": "1200"}]
    assert not rows(store, f"SELECT ?v WHERE {{ <{B}figure/estonia-roma-community-size-2022> schema:value ?v }}"), (
        "a range has no single value"
    )
    share = rows(
        store, f"SELECT ?where WHERE {{ <{B}figure/valga-parish-roma-community-share-2022> dcterms:spatial ?where }}"
    )
    assert share == [{"where": B + "place/valga-parish"}]


def test_no_person_is_named_or_holds_a_post(store):
    assert not rows(
        store,
        "SELECT ?x WHERE { { ?x a foaf:Person } UNION { ?x a schema:Person } UNION { ?x org:heldBy ?y } UNION { ?y org:holds ?x } }",
    )


def test_the_three_disagreements_both_stand_and_are_linked(store):
    claims = {
        r["claim"].rsplit("/", 1)[1]: int(r["n"])
        for r in rows(
            store,
            """SELECT ?claim (COUNT(?thing) AS ?n) WHERE {
        ?claim a rg:SourcesDiffer ; rg:differingDescription ?thing } GROUP BY ?claim""",
        )
    }
    assert claims == {"valga-meeting-2020-02-06": 2, "valga-mediators-and-mentors": 3, "valga-roma-population": 3}
    # Nothing merged: each description keeps its own source's graph.
    meeting = rows(
        store,
        f"""SELECT ?g WHERE {{ GRAPH ?g {{ <{B}meeting/valga-expert-meeting-2020-02-06> schema:organizer ?o }} }}""",
    )
    stakeholder = rows(
        store,
        f"""SELECT ?g WHERE {{ GRAPH ?g {{ <{B}event/valga-stakeholder-meeting-2020-02-06> rg:withinProject ?p }} }}""",
    )
    assert meeting == [{"g": B + "graph/lv-moc-valga-expert-meeting-2020"}] and stakeholder == [
        {"g": B + "graph/estrom-2-project-page"}
    ]
    linked = rows(
        store,
        f"""SELECT ?g WHERE {{ GRAPH ?g {{ <{B}meeting/valga-expert-meeting-2020-02-06> rg:possiblySameAs <{B}event/valga-stakeholder-meeting-2020-02-06> }} }}""",
    )
    assert linked == [{"g": B + "graph/sources-differ"}]


def _footnotes(html: str) -> int:
    return len(re.findall(r'<li id="source-\d+"', html))


@pytest.mark.parametrize(
    "path, sources, differs",
    [
        ("/organisation/latvia-ministry-of-culture", 5, 1),
        ("/place/valga", 4, 3),
        ("/project/latvian-roma-platform-iv", 5, 1),
    ],
)
def test_pages_list_statements_from_several_sources_and_mark_where_they_differ(live_server, path, sources, differs):
    html = requests.get(live_server.url + path, timeout=30).text
    assert _footnotes(html) >= sources, path
    notes = set(re.findall(r'<li id="differs-(\d+)"', html))
    assert len(notes) == differs, path
    assert html.count('class="differs"') >= differs
    for note in notes:
        assert f'href="#differs-{note}"' in html
    lv = requests.get(live_server.url + path, params={"lang": "lv"}, timeout=30).text
    assert "avoti atšķiras" in lv if differs else True


def test_home_page_and_void_count_the_sources_and_their_facts(live_server):
    home = requests.get(live_server.url + "/", timeout=30).text
    figures = re.search(r'<p class="figures">(.*?)</p>', home, re.S)[1]
    assert re.search(r"\b7 sources\b", figures) and re.search(r"\b\d+ facts\b", figures)
    void = requests.get(
        live_server.url + "/.well-known/void", headers={"Accept": "application/n-triples"}, timeout=30
    ).text
    dataset_sources = re.findall(
        r"^<https://w3id.org/rograph/dataset> <http://purl.org/dc/terms/source> <([^>]+)>", void, re.M
    )
    assert {f"{B}source/{slug}" for slug in SHEETS} | {B + "source/lv-moc-valga-expert-meeting-2020"} <= set(
        dataset_sources
    )
