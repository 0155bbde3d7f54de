"""The data holds the key facts of source 000_f5beb46b2a4dc84d, asked with SPARQL on pyoxigraph."""

from __future__ import annotations

import pytest

from rograph import sources
from rograph.namespaces import PREFIXES

from conftest import PROJECT_DIR

PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items()) + (
    "PREFIX concept: <https://w3id.org/rograph/concept/>\n"
    "PREFIX organisation: <https://w3id.org/rograph/organisation/>\n"
    "PREFIX place: <https://w3id.org/rograph/place/>\n"
)
MEETING = "<https://w3id.org/rograph/meeting/valga-expert-meeting-2020-02-06>"
GRAPH = "<https://w3id.org/rograph/graph/lv-moc-valga-expert-meeting-2020>"


@pytest.fixture(scope="module")
def store():
    return sources.load(sources.discover(PROJECT_DIR))


def select(store, query: str) -> list[dict[str, str]]:
    solutions = store.query(PROLOGUE + query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in solutions]


def values(store, query: str) -> set[str]:
    return {next(iter(row.values())) for row in select(store, query)}


def test_meeting_date_place_and_organisers(store):
    [row] = select(store, f"SELECT ?date ?place ?organiser WHERE {{ {MEETING} schema:startDate ?date ; schema:location/rdfs:label ?place ; schema:organizer ?organiser . FILTER(LANG(?place) = 'en') }}")
    assert row == {"date": "2020-02-06", "place": "Valga", "organiser": "https://w3id.org/rograph/organisation/latvia-ministry-of-culture"}
    assert values(store, f"SELECT ?o WHERE {{ {MEETING} rg:coOrganizer ?o }}") == {
        "https://w3id.org/rograph/organisation/estonia-ministry-of-culture",
        "https://w3id.org/rograph/organisation/valga-city-government",
    }


def test_meeting_is_within_the_project_with_its_grant_and_programme(store):
    [row] = select(store, f"""SELECT ?grant ?programme ?start ?end WHERE {{
        {MEETING} rg:withinProject ?project . ?project rg:grantAgreementNumber ?grant ; rg:fundingProgramme ?p ; schema:funder organisation:european-union .
        ?p rdfs:label ?programme ; schema:startDate ?start ; schema:endDate ?end . FILTER(LANG(?programme) = 'lv') }}""")
    assert row == {"grant": "856468-NRP4-LV", "programme": "Tiesības, vienlīdzība un pilsonība 2014–2020", "start": "2014", "end": "2020"}


def test_about_20_participants(store):
    [row] = select(store, f"SELECT ?value ?approx WHERE {{ {MEETING} rg:participantCount [ schema:value ?value ; rg:isApproximate ?approx ] }}")
    assert row == {"value": "20", "approx": "true"}


def test_participating_organisations_and_groups(store):
    assert values(store, f"SELECT ?org WHERE {{ {MEETING} rg:participation/rg:participant ?org }}") == {
        f"https://w3id.org/rograph/organisation/{slug}"
        for slug in ("latvia-ministry-of-culture", "valka-education-culture-sport-youth-department", "valka-social-service", "estonia-ministry-of-culture", "valga-city-government")
    }
    assert values(store, f"SELECT ?place WHERE {{ {MEETING} rg:participation [ org:role concept:roma-expert ; rg:comesFrom ?place ] }}") == {
        "https://w3id.org/rograph/place/jelgava", "https://w3id.org/rograph/place/valmiera"}
    assert values(store, f"SELECT ?place WHERE {{ {MEETING} rg:participation [ org:role concept:roma-activist ; rg:comesFrom ?place ] }}") == {
        "https://w3id.org/rograph/place/valga", "https://w3id.org/rograph/place/valka"}


def test_about_160_roma_in_valga(store):
    [row] = select(store, """SELECT ?value ?approx ?when WHERE { ?f rg:measure concept:roma-residents ; schema:value ?value ; rg:isApproximate ?approx ;
        rg:referenceDate ?when ; schema:location place:valga }""")
    assert row == {"value": "160", "approx": "true", "when": "2020-02"}


def test_two_mediator_posts_from_march_2020_and_no_holders(store):
    rows = select(store, "SELECT ?post ?start WHERE { ?post a rg:RomaMediatorPost ; schema:startDate ?start ; schema:location place:valga }")
    assert len(rows) == 2 and {r["start"] for r in rows} == {"2020-03"}
    assert values(store, "SELECT ?holder WHERE { ?post a rg:RomaMediatorPost ; org:heldBy ?holder }") == set()


def test_agreements_plans_and_findings(store):
    outcomes = select(store, f"SELECT ?x ?type WHERE {{ ?x rg:outcomeOf {MEETING} ; a ?type }}")
    by_type = {}
    for row in outcomes:
        by_type.setdefault(row["type"].rsplit("#", 1)[-1], set()).add(row["x"].rsplit("/", 1)[-1])
    assert by_type == {
        "Agreement": {"valga-valka-cooperation-for-roma-integration", "annual-expert-meeting", "take-part-in-roma-platform-activities"},
        "Plan": {"roma-mediation-cooperation-valga-valka", "further-cooperation-on-roma-integration"},
        "Finding": {"roma-mediator-could-improve-dialogue", "valga-support-for-roma-inclusion", "valka-ready-to-cooperate-with-valga", "roma-participants-value-the-initiative"},
    }
    assert values(store, "SELECT ?n WHERE { ?a rg:minimumTimesPerYear ?n }") == {"1"}
    assert values(store, "SELECT ?c WHERE { ?p rg:basedOn ?doc ; rg:cooperationBetween ?c . ?doc a foaf:Document }") >= {
        "https://w3id.org/rograph/organisation/latvia-national-roma-contact-point",
        "https://w3id.org/rograph/organisation/estonia-national-roma-contact-point",
    }


def test_meeting_documents(store):
    assert values(store, f"SELECT ?t WHERE {{ {MEETING} rg:agenda|rg:participantList|rg:conclusions ?d . ?d dcterms:title ?t }}") == {
        "Ekspertu sanāksmes darba kārtība", "Sanāksmes dalībnieku saraksts", "Secinājumu kopsavilkums"}


def test_challenges_and_policy_areas_scheme(store):
    assert values(store, "SELECT ?c WHERE { ?g a rg:PopulationGroup ; rg:facesChallenge|rg:contributingFactor ?c }") == {
        f"https://w3id.org/rograph/concept/{c}" for c in (
            "unemployment", "social-exclusion", "poverty", "low-education", "minimal-work-experience", "weak-civic-participation", "prejudice-and-stereotypes")
    }
    assert {"education", "social-field", "youth-participation"} <= {
        v.rsplit("/", 1)[-1] for v in values(store, "SELECT ?c WHERE { ?c skos:inScheme <https://w3id.org/rograph/concept/policy-areas> }")}


def test_every_fact_is_in_the_sources_graph_with_provenance(store):
    assert values(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'https://w3id.org/rograph/graph/lv')) }") == {GRAPH[1:-1]}
    [row] = select(store, f"SELECT ?publisher ?lang WHERE {{ GRAPH {GRAPH} {{ {GRAPH} prov:wasDerivedFrom ?s . ?s dcterms:publisher ?publisher ; dcterms:language ?lang }} }}")
    assert row["publisher"].endswith("/organisation/latvia-ministry-of-culture")
    assert row["lang"] == "http://id.loc.gov/vocabulary/iso639-1/lv"


def test_no_person_and_no_ethnicity_property(store):
    assert values(store, "SELECT ?p WHERE { { ?p a foaf:Person } UNION { ?p a schema:Person } UNION { ?p foaf:givenName|foaf:familyName|org:heldBy ?x } }") == set()
    assert values(store, "SELECT DISTINCT ?pred WHERE { ?s ?pred ?o FILTER(REGEX(STR(?pred), 'ethnic|race|nationality', 'i')) }") == set()
