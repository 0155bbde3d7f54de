"""The data holds the key facts of source 000_f5beb46b2a4dc84d, asked with SPARQL on pyoxigraph."""

from __future__ import annotations

import pytest

from conftest import PROJECT_DIR
from rograph import sources
from rograph.namespaces import PREFIXES

PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items()) + (
    "PREFIX concept: <https://w3id.org/rograph/concept/>\n"
    "PREFIX organisation: <https://w3id.org/rograph/organisation/>\n"
    "PREFIX place: <https://w3id.org/rograph/place/>\n"
)
MEETING = "<https://w3id.org/rograph/meeting/valga-expert-meeting-2020-02-06>"
GRAPH = "<https://w3id.org/rograph/graph/lv-moc-valga-expert-meeting-2020>"
RG = PREFIXES["rg"]


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
    [row] = select(
        store,
        f"SELECT ?date ?place ?organiser WHERE {{ {MEETING} schema:startDate ?date ; schema:location/rdfs:label ?place ; schema:organizer ?organiser . FILTER(LANG(?place) = 'en') }}",
    )
    assert row == {
        "date": "2020-02-06",
        "place": "Valga",
        "organiser": "https://w3id.org/rograph/organisation/latvia-ministry-of-culture",
    }
    assert values(store, f"SELECT ?o WHERE {{ {MEETING} rg:coOrganizer ?o }}") == {
        "https://w3id.org/rograph/organisation/estonia-ministry-of-culture",
        "https://w3id.org/rograph/organisation/valga-city-government",
    }


def test_meeting_is_within_the_project_with_its_grant_and_programme(store):
    [row] = select(
        store,
        f"""SELECT ?grant ?programme ?start ?end WHERE {{
        {MEETING} rg:withinProject ?project . ?project schema:funding/schema:identifier ?grant ; rg:fundingProgramme ?p ; schema:funder organisation:european-union .
        ?p rdfs:label ?programme ; dcterms:temporal [ dcat:startDate ?start ; dcat:endDate ?end ] . FILTER(LANG(?programme) = 'lv') }}""",
    )
    assert row == {
        "grant": "856468-NRP4-LV",
        "programme": "Tiesības, vienlīdzība un pilsonība 2014–2020",
        "start": "2014",
        "end": "2020",
    }


def test_about_20_participants(store):
    [row] = select(
        store,
        f"SELECT ?value ?approx WHERE {{ {MEETING} rg:participantCount [ schema:value ?value ; rg:isApproximate ?approx ] }}",
    )
    assert row == {"value": "20", "approx": "true"}


def test_participating_organisations_and_groups(store):
    assert values(store, f"SELECT ?org WHERE {{ {MEETING} m8g:hasParticipation/m8g:hasParticipant ?org }}") == {
        f"https://w3id.org/rograph/organisation/{slug}"
        for slug in (
            "latvia-ministry-of-culture",
            "valka-education-culture-sport-youth-department",
            "valka-social-service",
            "estonia-ministry-of-culture",
            "valga-city-government",
        )
    }
    assert values(
        store,
        f"SELECT ?place WHERE {{ {MEETING} m8g:hasParticipation [ m8g:role concept:roma-expert ; rg:comesFrom ?place ] }}",
    ) == {"https://w3id.org/rograph/place/jelgava", "https://w3id.org/rograph/place/valmiera"}
    assert values(
        store,
        f"SELECT ?place WHERE {{ {MEETING} m8g:hasParticipation [ m8g:role concept:roma-activist ; rg:comesFrom ?place ] }}",
    ) == {"https://w3id.org/rograph/place/valga", "https://w3id.org/rograph/place/valka"}


def test_about_160_roma_in_valga(store):
    [row] = select(
        store,
        """SELECT ?value ?approx ?when WHERE { ?f rg:measure concept:roma-residents ; schema:value ?value ; rg:isApproximate ?approx ;
        dcterms:temporal/dcat:startDate ?when ; dcterms:spatial place:valga }""",
    )
    assert row == {"value": "160", "approx": "true", "when": "2020-02"}


def test_two_mediator_posts_from_march_2020_and_no_holders(store):
    rows = select(
        store,
        "SELECT ?post ?start WHERE { ?post a rg:RomaMediatorPost ; dcterms:temporal/dcat:startDate ?start ; dcterms:spatial place:valga }",
    )
    assert len(rows) == 2 and {r["start"] for r in rows} == {"2020-03"}
    assert values(store, "SELECT ?holder WHERE { ?post a rg:RomaMediatorPost ; org:heldBy ?holder }") == set()


def test_agreements_plans_and_findings(store):
    outcomes = select(store, f"SELECT ?x ?type WHERE {{ ?x rg:outcomeOf {MEETING} ; a ?type }}")
    by_type = {}
    for row in outcomes:
        by_type.setdefault(row["type"].rsplit("#", 1)[-1], set()).add(row["x"].rsplit("/", 1)[-1])
    assert by_type == {
        "Agreement": {
            "valga-valka-cooperation-for-roma-integration",
            "annual-expert-meeting",
            "take-part-in-roma-platform-activities",
        },
        "Plan": {"roma-mediation-cooperation-valga-valka", "further-cooperation-on-roma-integration"},
        "Finding": {
            "roma-mediator-could-improve-dialogue",
            "valga-support-for-roma-inclusion",
            "valka-ready-to-cooperate-with-valga",
            "roma-participants-value-the-initiative",
        },
    }
    assert values(store, "SELECT ?n WHERE { ?a rg:minimumTimesPerYear ?n }") == {"1"}
    assert values(
        store, "SELECT ?c WHERE { ?p rg:basedOn ?doc ; rg:cooperationBetween ?c . ?doc a foaf:Document }"
    ) >= {
        "https://w3id.org/rograph/organisation/latvia-national-roma-contact-point",
        "https://w3id.org/rograph/organisation/estonia-national-roma-contact-point",
    }


def test_meeting_documents(store):
    assert values(
        store, f"SELECT ?t WHERE {{ {MEETING} rg:agenda|rg:participantList|rg:conclusions ?d . ?d dcterms:title ?t }}"
    ) == {"Ekspertu sanāksmes darba kārtība", "Sanāksmes dalībnieku saraksts", "Secinājumu kopsavilkums"}


def test_challenges_and_policy_areas_scheme(store):
    assert values(
        store, "SELECT ?c WHERE { ?g a rg:PopulationGroup ; rg:facesChallenge|rg:contributingFactor ?c }"
    ) == {
        f"https://w3id.org/rograph/concept/{c}"
        for c in (
            "unemployment",
            "social-exclusion",
            "poverty",
            "low-education",
            "minimal-work-experience",
            "weak-civic-participation",
            "prejudice-and-stereotypes",
        )
    }
    assert {"education", "social-field", "youth-participation"} <= {
        v.rsplit("/", 1)[-1]
        for v in values(store, "SELECT ?c WHERE { ?c skos:inScheme <https://w3id.org/rograph/concept/policy-areas> }")
    }


def test_every_fact_is_in_the_sources_graph_with_provenance(store):
    assert values(
        store, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), '{GRAPH[1:-1]}')) }}"
    ) == {GRAPH[1:-1], GRAPH[1:-1] + "-context"}
    [row] = select(
        store,
        f"SELECT ?publisher ?lang WHERE {{ GRAPH {GRAPH} {{ {GRAPH} prov:wasDerivedFrom ?s }} ?s dcterms:publisher ?publisher ; dcterms:language ?lang }}",
    )
    assert row["publisher"].endswith("/organisation/latvia-ministry-of-culture")
    assert row["lang"] == "http://publications.europa.eu/resource/authority/language/LAV"


def test_no_person_and_no_ethnicity_property(store):
    assert (
        values(
            store,
            "SELECT ?p WHERE { { ?p a foaf:Person } UNION { ?p a schema:Person } UNION { ?p foaf:givenName|foaf:familyName|org:heldBy ?x } }",
        )
        == set()
    )
    # The one ethnicity-like property is rg:ethnicity, and only groups the text states it of carry it
    # (test_participants_of_roma_ethnicity_are_not_the_roma_experts); never a person or a participation.
    assert values(
        store, "SELECT DISTINCT ?pred WHERE { ?s ?pred ?o FILTER(REGEX(STR(?pred), 'ethnic|race|nationality', 'i')) }"
    ) == {RG + "ethnicity"}
    assert (
        values(
            store,
            "SELECT ?s WHERE { ?s rg:ethnicity ?e . { ?s a foaf:Person } UNION { ?s a schema:Person } UNION { ?s a rg:Participation } }",
        )
        == set()
    )


# ------------------------------------------------------------------ attribution exactly as the source says

PARTY = "https://w3id.org/rograph/party/"
PARTICIPATION = "https://w3id.org/rograph/participation/valga-2020-"
ORGANISATION = "https://w3id.org/rograph/organisation/"


def credited(store, statement: str) -> set[str]:
    """The agents a statement is attributed to, qualified and unqualified alike (they must agree)."""
    plain = values(store, f"SELECT ?a WHERE {{ <{statement}> prov:wasAttributedTo ?a }}")
    qualified = values(store, f"SELECT ?a WHERE {{ <{statement}> prov:qualifiedAttribution/prov:agent ?a }}")
    assert plain == qualified, f"{statement}: wasAttributedTo {plain} but qualifiedAttribution {qualified}"
    return plain


def included(store, party: str) -> set[str]:
    return values(store, f"SELECT ?p WHERE {{ <{party}> rg:includesParticipation ?p }}")


@pytest.mark.parametrize("agreement", ["annual-expert-meeting", "take-part-in-roma-platform-activities"])
def test_both_sides_are_the_latvian_and_the_estonian_side_and_no_body(store, agreement):
    sides = credited(store, f"https://w3id.org/rograph/agreement/{agreement}")
    assert sides == {PARTY + "valga-2020-latvian-side", PARTY + "valga-2020-estonian-side"}
    assert values(store, "SELECT ?s WHERE { ?s a rg:Side }") >= sides
    assert values(store, f"SELECT ?c WHERE {{ <{PARTY}valga-2020-latvian-side> dcterms:spatial ?c }}") == {
        "https://w3id.org/rograph/place/latvia"
    }
    assert values(store, f"SELECT ?c WHERE {{ <{PARTY}valga-2020-estonian-side> dcterms:spatial ?c }}") == {
        "https://w3id.org/rograph/place/estonia"
    }
    for side in sides:  # the text names no bodies for either side
        assert included(store, side) == set()
        assert (
            values(store, f"SELECT ?x WHERE {{ <{side}> ?p ?x FILTER(STRSTARTS(STR(?x), '{ORGANISATION}')) }}") == set()
        )


def test_the_experts_are_every_participation_but_the_active_roma_residents(store):
    assert credited(store, "https://w3id.org/rograph/agreement/valga-valka-cooperation-for-roma-integration") == {
        PARTY + "valga-2020-experts"
    }
    assert included(store, PARTY + "valga-2020-experts") == {
        PARTICIPATION + p
        for p in (
            "latvia-ministry-of-culture",
            "valka-education-culture-sport-youth-department",
            "valka-social-service",
            "estonia-ministry-of-culture",
            "valga-city-institutions",
            "roma-experts",
        )
    }
    assert PARTICIPATION + "roma-activists" not in included(store, PARTY + "valga-2020-experts")


def test_the_participants_are_every_participation(store):
    assert credited(store, "https://w3id.org/rograph/finding/valga-support-for-roma-inclusion") == {
        PARTY + "valga-2020-participants"
    }
    assert included(store, PARTY + "valga-2020-participants") == values(
        store, f"SELECT ?p WHERE {{ {MEETING} m8g:hasParticipation ?p }}"
    )


def test_social_service_specialists_are_not_said_to_be_valkas(store):
    finding = "https://w3id.org/rograph/finding/roma-mediator-could-improve-dialogue"
    assert credited(store, finding) == {PARTY + "valga-2020-social-service-specialists"}
    assert included(store, PARTY + "valga-2020-social-service-specialists") == set()
    assert (
        values(
            store,
            f"SELECT ?x WHERE {{ <{PARTY}valga-2020-social-service-specialists> ?p ?x . FILTER(?x = organisation:valka-social-service) }}",
        )
        == set()
    )


def test_participants_of_roma_ethnicity_are_not_the_roma_experts(store):
    finding = "https://w3id.org/rograph/finding/roma-participants-value-the-initiative"
    party = PARTY + "valga-2020-participants-of-roma-ethnicity"
    assert credited(store, finding) == {party}
    assert included(store, party) == set()
    # Nothing credits the Roma experts (or the activists) with what "several participants of Roma ethnicity" said,
    # and no participation carries an ethnicity the text does not state of it.
    assert values(
        store,
        f"SELECT ?s WHERE {{ ?s prov:wasAttributedTo|prov:qualifiedAttribution/prov:agent|rg:includesParticipation <{PARTICIPATION}roma-experts> }}",
    ) == {PARTY + "valga-2020-experts", PARTY + "valga-2020-participants"}
    assert values(store, "SELECT ?g WHERE { ?g rg:ethnicity ?e }") == {
        party,
        "https://w3id.org/rograph/group/valga-roma-residents",
    }


def test_valka_readiness_is_part_of_what_the_participants_acknowledged(store):
    # "Sanāksmes dalībnieki atzina, ka …, bet Valkas novada pašvaldības speciālisti gatavi …":
    # one sentence, one speaker.
    assert credited(store, "https://w3id.org/rograph/finding/valka-ready-to-cooperate-with-valga") == {
        PARTY + "valga-2020-participants"
    }
    assert ORGANISATION + "valka-municipal-council" not in values(
        store, "SELECT ?a WHERE { ?s prov:wasAttributedTo ?a }"
    )


def test_no_statement_is_attributed_to_a_participation_or_a_group(store):
    assert (
        values(
            store,
            """SELECT ?a WHERE { ?s prov:wasAttributedTo|prov:qualifiedAttribution/prov:agent ?a .
        { ?a a rg:Participation } UNION { ?a a foaf:Group } UNION { ?a a rg:PopulationGroup } }""",
        )
        == set()
    )
    assert values(store, "SELECT ?a WHERE { ?a a rg:Participation ; a prov:Agent }") == set()


def test_the_two_note_only_statements_are_statements(store):
    [row] = select(
        store,
        """SELECT ?lv ?place WHERE { <https://w3id.org/rograph/statement/valga-largest-share-of-roma-in-estonia>
        a rg:SourceStatement ; dcterms:description ?lv ; rg:largestShareIn ?place FILTER(LANG(?lv) = 'lv') }""",
    )
    assert (
        "lielākais Igaunijā romu iedzīvotāju īpatsvars" in row["lv"]
        and row["place"] == "https://w3id.org/rograph/place/estonia"
    )
    assert values(
        store,
        "SELECT ?p WHERE { <https://w3id.org/rograph/source/lv-moc-valga-expert-meeting-2020> rg:withinProject ?p }",
    ) == {"https://w3id.org/rograph/project/latvian-roma-platform-iv"}


# ------------------------------------------------------------------ labels


def label(store, iri: str, lang: str, prop: str = "rdfs:label") -> set[str]:
    return values(store, f"SELECT ?l WHERE {{ <{iri}> {prop} ?l FILTER(LANG(?l) = '{lang}') }}")


def test_valga_body_keeps_the_sources_words_and_has_its_real_names(store):
    body = ORGANISATION + "valga-city-government"
    assert label(store, body, "lv") == {"Valgas pilsētas pašvaldība"}
    assert label(store, body, "et") == {"Valga Vallavalitsus"}
    assert label(store, body, "en") == {"Valga Rural Municipality Government"}
    [note] = label(store, body, "en", "skos:note")
    assert "2017" in note and "Valga vald" in note and "Valga Vallavalitsus" in note
    assert "Valga linna omavalitsus" not in {
        v for v in values(store, f"SELECT ?l WHERE {{ <{body}> ?p ?l FILTER(isLiteral(?l)) }}")
    }


def test_valka_in_estonian(store):
    assert label(store, "https://w3id.org/rograph/place/valka", "et") == {"Valka"}
    assert label(store, "https://w3id.org/rograph/place/valka", "et", "skos:altLabel") == {"Läti Valga"}


def test_estonian_numbers_take_the_partitive(store):
    assert label(store, "https://w3id.org/rograph/figure/valga-roma-residents-2020", "et") == {
        "umbes 160 Valgas elavat romat"
    }
    assert label(store, "https://w3id.org/rograph/figure/valga-expert-meeting-2020-02-06-participants", "et") == {
        "umbes 20 eksperti ja aktivisti kohtumisel"
    }


# ------------------------------------------------------------------ dates, grant, identifiers, provenance


def test_every_dated_thing_has_a_comparable_interval(store):
    # The things the first source dates (the further sources date more, each in its own graph).
    rows = select(
        store,
        f"""SELECT ?thing ?start ?earliest ?latest WHERE {{ GRAPH {GRAPH} {{ ?thing dcterms:temporal ?t .
        ?t dcat:startDate ?start ; rg:earliestDay ?earliest . OPTIONAL {{ ?t rg:latestDay ?latest }} }} }}""",
    )
    by_thing = {r["thing"].rsplit("/", 1)[-1]: (r["start"], r["earliest"], r.get("latest")) for r in rows}
    assert by_thing == {
        "valga-expert-meeting-2020-02-06": ("2020-02-06", "2020-02-06", "2020-02-06"),
        "valga-expert-meeting-2020-02-06-participants": ("2020-02-06", "2020-02-06", "2020-02-06"),
        "valga-roma-residents-2020": ("2020-02", "2020-02-01", "2020-02-29"),
        "valga-roma-mediator-1": ("2020-03", "2020-03-01", None),
        "valga-roma-mediator-2": ("2020-03", "2020-03-01", None),
        "rights-equality-citizenship-2014-2020": ("2014", "2014-01-01", "2020-12-31"),
    }
    # The researcher's filter now keeps the months.
    assert (
        len(
            select(
                store,
                'SELECT ?p WHERE { ?p a rg:RomaMediatorPost ; dcterms:temporal/rg:earliestDay ?d FILTER(?d >= "2020-01-01"^^xsd:date) }',
            )
        )
        == 2
    )  # the other five posts are undated


def test_the_grant_is_a_monetary_grant_with_its_identifier(store):
    [row] = select(
        store,
        """SELECT ?id ?funder WHERE { <https://w3id.org/rograph/project/latvian-roma-platform-iv> schema:funding ?g .
        ?g a schema:MonetaryGrant ; schema:identifier ?id ; schema:funder ?funder ; schema:fundedItem <https://w3id.org/rograph/project/latvian-roma-platform-iv> }""",
    )
    assert row == {"id": "856468-NRP4-LV", "funder": ORGANISATION + "european-union"}


EU = "http://publications.europa.eu/resource/authority/"


def test_outside_identifiers_are_the_verified_ones(store):
    same = {(r["s"], r["o"]) for r in select(store, "SELECT ?s ?o WHERE { ?s owl:sameAs ?o }")}
    assert same == {
        ("https://w3id.org/rograph/place/latvia", EU + "country/LVA"),
        ("https://w3id.org/rograph/place/estonia", EU + "country/EST"),
        (ORGANISATION + "european-union", EU + "corporate-body/EURUN"),
        (ORGANISATION + "european-commission", EU + "corporate-body/COM"),
    }
    assert values(store, "SELECT ?c WHERE { ?p rg:ehakCode ?c }") == {"0855"}
    assert values(store, "SELECT ?o WHERE { ?s ?p ?o FILTER(isIRI(?o) && CONTAINS(STR(?o), 'wikidata')) }") == set()
    assert values(store, "SELECT ?l WHERE { ?s dcterms:language ?l }") <= {
        EU + "language/LAV",
        EU + "language/EST",
        EU + "language/ENG",
    }
    assert values(
        store, "SELECT ?u WHERE { <https://w3id.org/rograph/source/lv-moc-valga-expert-meeting-2020> schema:url ?u }"
    ) == {
        "https://www.km.gov.lv/lv/integracija-un-sabiedriba/romi/projekti-un-pasakumi/latvijas-romu-platforma-iv/ekspertu-sanaksme-par-romu-integracijas-atbalsta-pasakumiem-valka-un-valga"
    }


def test_every_external_identifier_is_well_formed(store):
    import re

    for row in select(store, "SELECT ?o WHERE { ?s owl:sameAs|skos:exactMatch ?o }"):
        assert re.fullmatch(
            r"http://publications\.europa\.eu/resource/authority/(country/[A-Z]{3}|corporate-body/[A-Z0-9_]+|language/[A-Z]{3})",
            row["o"],
        ), row
    for code in values(store, "SELECT ?c WHERE { ?p rg:ehakCode ?c }"):
        assert re.fullmatch(r"\d{4}", code)
    for url in values(store, "SELECT ?u WHERE { ?s schema:url ?u }"):
        assert re.fullmatch(r"https://[a-z0-9.-]+\.[a-z]{2,}/\S*", url), url


def test_each_graph_was_generated_by_a_curation_by_the_team(store):
    rows = select(
        store,
        """SELECT ?g ?date ?agent ?ontology WHERE { GRAPH ?g { ?g prov:wasGeneratedBy ?c }
        ?c a rg:CurationActivity ; dcterms:date ?date ; prov:wasAssociatedWith ?agent ; prov:used ?ontology .
        FILTER(STRSTARTS(STR(?ontology), 'https://w3id.org/rograph/ontology/')) }""",
    )
    # Every data graph, the first source's two and each further source's, was curated by the team.
    data_graphs = values(
        store,
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'https://w3id.org/rograph/graph/') && !STRENDS(STR(?g), '/ontology') && !STRENDS(STR(?g), '/shapes')) }",
    )
    assert {r["g"] for r in rows} == data_graphs >= {GRAPH[1:-1], GRAPH[1:-1] + "-context"}
    assert {r["agent"] for r in rows} == {ORGANISATION + "rograph-curators"}
    assert values(store, f"SELECT ?t WHERE {{ <{ORGANISATION}rograph-curators> a ?t }}") >= {
        "http://www.w3.org/ns/prov#Organization"
    }
    assert {r["ontology"] for r in rows} == values(
        store, "SELECT ?v WHERE { <https://w3id.org/rograph/ontology> owl:versionIRI ?v }"
    )


def test_statements_from_outside_the_text_are_marked(store):
    context = GRAPH[1:-1] + "-context"
    assert values(store, f"SELECT ?s WHERE {{ GRAPH <{context}> {{ <{context}> rg:outsideTextOf ?s }} }}") == {
        "https://w3id.org/rograph/source/lv-moc-valga-expert-meeting-2020"
    }
    # The publisher, the kind of document and the web address rest on the sources README, not on the text.
    source = "<https://w3id.org/rograph/source/lv-moc-valga-expert-meeting-2020>"
    for triple in (
        f"{source} dcterms:publisher ?x",
        f"{source} a schema:NewsArticle . BIND(1 AS ?x)",
        f"{source} schema:url ?x",
    ):
        assert values(store, f"SELECT ?x WHERE {{ GRAPH <{context}> {{ {triple} }} }}"), triple
        assert not values(store, f"SELECT ?x WHERE {{ GRAPH {GRAPH} {{ {triple} }} }}"), triple


# ------------------------------------------------------------------ evidence


def test_every_evidence_quote_is_found_at_its_offsets(store):
    import hashlib

    rows = select(
        store,
        """SELECT ?a ?exact ?start ?end ?path ?sum WHERE { ?a a oa:Annotation ; oa:hasTarget ?t .
        ?t oa:hasSource ?text ; oa:hasSelector ?q , ?p . ?q a oa:TextQuoteSelector ; oa:exact ?exact .
        ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
        ?text rg:projectPath ?path ; spdx:checksum [ spdx:algorithm spdx:checksumAlgorithm_sha256 ; spdx:checksumValue ?sum ] }""",
    )
    assert len(rows) >= 30
    for row in rows:
        raw = (PROJECT_DIR / row["path"]).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == row["sum"]
        assert raw.decode("utf-8")[int(row["start"]) : int(row["end"])] == row["exact"], row["a"]


def test_every_statement_of_the_text_has_evidence(store):
    unsupported = values(
        store,
        f"""SELECT ?x WHERE {{ GRAPH {GRAPH} {{ ?x a ?type }}
        FILTER(?type IN (rg:Agreement, rg:Plan, rg:Finding, rg:SourceStatement, rg:Figure, rg:Participation, rg:ExpertMeeting,
                         rg:RomaMediatorPost, rg:NamedParty, rg:Side, rg:PopulationGroup, schema:MonetaryGrant, foaf:Document))
        FILTER NOT EXISTS {{ ?a oa:hasBody ?x }} }}""",
    )
    assert unsupported == set()
