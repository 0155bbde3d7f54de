"""For every node shape, a broken copy of the real data that the shape catches.

Each case edits the real files (the edit fails if the text it changes is gone) and asserts
that a result of the expected shape lands on the expected focus node, with the expected
severity. The shipped data has no results at all (test_model_conforms), so each case can fail.

A case validates its copy with the run's own steps (:mod:`rograph.validation.run`: parse, the
union store, the compiled checks, the text checks, locating), sharing with the other cases what
does not change between them: the files it did not edit are parsed once per session, the shapes
compiled once, and only the checks whose results can be the ones asserted (those of the shape
the case names) run. A result's shape is its check's, so the results asserted on are exactly
those a full ``validate`` gives, which ``test_the_shared_run_finds_what_validate_finds`` holds
it to.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import CONCEPTS_FILE, DATA_FILE, ONTOLOGY_FILE, PROJECT_DIR, ProjectCopy
from rograph import sources
from rograph.namespaces import RGSH
from rograph.validation import Report, Severity, validate
from rograph.validation.compiled import Check, compile_shapes
from rograph.validation.compiled_engine import run_checks
from rograph.validation.evidence import check_texts
from rograph.validation.locate import locate_results
from rograph.validation.parsed import Parsed

B = "https://w3id.org/rograph/"
RG = B + "ontology#"
MEETING = B + "meeting/valga-expert-meeting-2020-02-06"
GRAPH = B + "graph/lv-moc-valga-expert-meeting-2020"
SOURCE = B + "source/lv-moc-valga-expert-meeting-2020"
CONTEXT = GRAPH + "-context"
CURATION = B + "curation/lv-moc-valga-expert-meeting-2020"
GRANT = B + "grant/856468-nrp4-lv"
ANNUAL = "agreement:annual-expert-meeting a"
EXPERTS_AGREE = "agreement:valga-valka-cooperation-for-roma-integration a"


def _r(old, new, file=DATA_FILE, within=None):
    return lambda p: p.replace(file, old, new, within=within)


def _add(turtle):
    return lambda p: p.add_to_data(turtle)


# The severities' initials, as the table below reads them.
V, W, I = Severity.VIOLATION, Severity.WARNING, Severity.INFO  # noqa: E741

# (id, edit, shape local name, focus node, severity)
FAULTS = [
    ("missing Latvian label", _r('"Latvija"@lv , ', ""), "LabelledEntity-label-lv", B + "place/latvia", V),
    ("missing English label", _r(', "Latvia"@en', ""), "LabelledEntity-label-en", B + "place/latvia", V),
    (
        "two English labels",
        _r('"Jelgava"@en ,', '"Jelgava"@en , "Jelgava city"@en ,'),
        "LabelledEntity-label-one-per-language",
        B + "place/jelgava",
        V,
    ),
    (
        "IRI outside the base",
        _add('<http://example.org/x> rdfs:label "x"@lv , "x"@en .'),
        "LabelledEntityShape",
        "http://example.org/x",
        V,
    ),
    (
        "graph without source",
        _r("prov:wasDerivedFrom source:lv-moc-valga-expert-meeting-2020 ;", ""),
        "NamedGraph-wasDerivedFrom",
        GRAPH,
        V,
    ),
    (
        "graph source undescribed",
        _r("dcterms:publisher organisation:latvia-ministry-of-culture ;", ""),
        "NamedGraph-source-described",
        GRAPH,
        V,
    ),
    (
        "source without publisher",
        _r("dcterms:publisher organisation:latvia-ministry-of-culture ;", ""),
        "SourceDocument-publisher",
        SOURCE,
        V,
    ),
    (
        "source date not a date",
        _r(
            'dcterms:identifier "000_f5beb46b2a4dc84d" ;',
            'dcterms:identifier "000_f5beb46b2a4dc84d" ; dcterms:date "February 2020" ;',
        ),
        "SourceDocument-date",
        SOURCE,
        V,
    ),
    (
        "news article not a source",
        _r(
            "source:lv-moc-valga-expert-meeting-2020 a rg:SourceDocument ;",
            "source:lv-moc-valga-expert-meeting-2020 a foaf:Document ;",
        ),
        "NewsArticleShape",
        SOURCE,
        V,
    ),
    (
        "city inside a non-place",
        _r("schema:containedInPlace place:estonia", "schema:containedInPlace organisation:european-union"),
        "City-containedInPlace",
        B + "place/valga",
        V,
    ),
    (
        "country inside a non-place",
        _add(
            'place:atlantis a schema:Country ; rdfs:label "Atlantīda"@lv , "Atlantis"@en ; schema:containedInPlace organisation:european-union .'
        ),
        "Country-containedInPlace",
        B + "place/atlantis",
        V,
    ),
    (
        "area inside a non-place",
        _r('"Valka piirkond"@et .', '"Valka piirkond"@et ; schema:containedInPlace organisation:european-union .'),
        "AdministrativeArea-containedInPlace",
        B + "place/valka-municipality",
        V,
    ),
    (
        "ministry without jurisdiction",
        _r(
            '"Läti Vabariigi Kultuuriministeerium"@et ;\n        dcterms:spatial place:latvia .',
            '"Läti Vabariigi Kultuuriministeerium"@et .',
        ),
        "Ministry-spatial",
        B + "organisation/latvia-ministry-of-culture",
        V,
    ),
    (
        "national body without jurisdiction",
        _add('organisation:x-agency a rg:NationalPublicBody ; rdfs:label "Aģentūra"@lv , "Agency"@en .'),
        "NationalPublicBody-spatial",
        B + "organisation/x-agency",
        V,
    ),
    (
        "municipality without territory",
        _r(
            '"Valka piirkonna volikogu"@et ;\n        dcterms:spatial place:valka-municipality .',
            '"Valka piirkonna volikogu"@et .',
        ),
        "Municipality-spatial",
        B + "organisation/valka-municipal-council",
        V,
    ),
    (
        "department of nobody",
        _r(
            "org:unitOf organisation:valka-municipal-council .",
            "a org:OrganizationalUnit .",
            within="organisation:valka-education-culture-sport-youth-department a",
        ),
        "MunicipalDepartment-unitOf",
        B + "organisation/valka-education-culture-sport-youth-department",
        V,
    ),
    (
        "social service of nobody",
        _r(
            "org:unitOf organisation:valka-municipal-council .",
            "a org:OrganizationalUnit .",
            within="organisation:valka-social-service a",
        ),
        "SocialService-unitOf",
        B + "organisation/valka-social-service",
        V,
    ),
    (
        "EU area not a place",
        _r('"Euroopa Liit"@et .', '"Euroopa Liit"@et ; dcterms:spatial organisation:valga-city-government .'),
        "InternationalOrganisation-spatial",
        B + "organisation/european-union",
        V,
    ),
    (
        "civil society org without place",
        _add(
            'organisation:x-association a rg:CivilSocietyOrganisation ; rdfs:label "Biedrība"@lv , "Association"@en .'
        ),
        "CivilSocietyOrganisation-spatial",
        B + "organisation/x-association",
        W,
    ),
    (
        "contact point of a town",
        _r(
            "dcterms:spatial place:estonia .",
            "dcterms:spatial place:valga .",
            within="organisation:estonia-national-roma-contact-point a",
        ),
        "NationalRomaContactPoint-spatial",
        B + "organisation/estonia-national-roma-contact-point",
        V,
    ),
    (
        "mediator post names its holder",
        _r(
            "org:role concept:roma-mediator ;",
            "org:role concept:roma-mediator ; org:heldBy <https://w3id.org/rograph/person/x> ;",
        ),
        "RomaMediatorPost-heldBy",
        B + "post/valga-roma-mediator-1",
        V,
    ),
    (
        "mediator start as text",
        _r(
            "dcterms:temporal <https://w3id.org/rograph/post/valga-roma-mediator-1#work> ;",
            'dcterms:temporal "March 2020" ;',
        ),
        "RomaMediatorPost-startDate",
        B + "post/valga-roma-mediator-1",
        V,
    ),
    (
        "mediator post nowhere",
        _r("dcterms:spatial place:valga ;", "", within="<https://w3id.org/rograph/post/valga-roma-mediator-2> a"),
        "RomaMediatorPostShape",
        B + "post/valga-roma-mediator-2",
        V,
    ),
    (
        "participation without role",
        _r("m8g:role concept:roma-expert ;", ""),
        "Participation-role",
        B + "participation/valga-2020-roma-experts",
        V,
    ),
    (
        "participation outside any meeting",
        _r(
            "participation:valga-2020-roma-experts ,\n            participation:valga-2020-roma-activists ;",
            "participation:valga-2020-roma-experts ;",
            within="<https://w3id.org/rograph/meeting/valga-expert-meeting-2020-02-06> a",
        ),
        "Participation-inMeeting",
        B + "participation/valga-2020-roma-activists",
        V,
    ),
    (
        "participation of nobody from nowhere",
        _r("rg:comesFrom place:valga , place:valka .", "a rg:Participation ."),
        "ParticipationShape",
        B + "participation/valga-2020-roma-activists",
        V,
    ),
    (
        "organiser not an organisation",
        _r("schema:organizer organisation:latvia-ministry-of-culture ;", "schema:organizer place:latvia ;"),
        "Meeting-organizer",
        MEETING,
        V,
    ),
    (
        "meeting date as text",
        _r('schema:startDate "2020-02-06"^^xsd:date ;', 'schema:startDate "2020-02-06" ;'),
        "Meeting-startDate",
        MEETING,
        V,
    ),
    (
        "meeting outside the programme period",
        _r(
            'dcat:endDate "2020"^^xsd:gYear ;\n        rg:earliestDay "2014-01-01"^^xsd:date ;\n        rg:latestDay "2020-12-31"^^xsd:date',
            'dcat:endDate "2019"^^xsd:gYear ;\n        rg:earliestDay "2014-01-01"^^xsd:date ;\n        rg:latestDay "2019-12-31"^^xsd:date',
        ),
        "Meeting-within-programme-period",
        MEETING,
        V,
    ),
    (
        "organiser also co-organiser",
        _r(
            "rg:coOrganizer organisation:estonia-ministry-of-culture",
            "rg:coOrganizer organisation:latvia-ministry-of-culture",
        ),
        "Meeting-organiser-not-co-organiser",
        MEETING,
        V,
    ),
    (
        "meeting counted by a non-figure",
        _r(
            "rg:participantCount figure:valga-expert-meeting-2020-02-06-participants ;",
            "rg:participantCount place:valga ;",
        ),
        "Meeting-participantCount",
        MEETING,
        W,
    ),
    (
        "expert meeting without participants",
        _add(
            '<https://w3id.org/rograph/meeting/x> a rg:ExpertMeeting ; rdfs:label "S"@lv , "M"@en ; schema:startDate "2020-01-01"^^xsd:date ; schema:location place:valga ; schema:organizer organisation:latvia-ministry-of-culture ; rg:participantCount figure:valga-expert-meeting-2020-02-06-participants .'
        ),
        "ExpertMeeting-participation",
        B + "meeting/x",
        V,
    ),
    (
        "document without title",
        _r('dcterms:title "Ekspertu sanāksmes darba kārtība"@lv .', "a foaf:Document ."),
        "Document-title",
        B + "document/valga-expert-meeting-2020-02-06-agenda",
        V,
    ),
    (
        "agreement without parties",
        _r(
            "prov:wasAttributedTo party:valga-2020-latvian-side , party:valga-2020-estonian-side ;\n        prov:qualifiedAttribution [ a prov:Attribution ; prov:agent party:valga-2020-latvian-side ] ,\n            [ a prov:Attribution ; prov:agent party:valga-2020-estonian-side ] ;",
            "",
            within="agreement:annual-expert-meeting a",
        ),
        "Agreement-agreedBy",
        B + "agreement/annual-expert-meeting",
        V,
    ),
    # Attribution exactly as the source says, to agents only.
    (
        "both sides credited to a body that did not take part",
        _r(
            "prov:wasAttributedTo party:valga-2020-latvian-side , party:valga-2020-estonian-side ;",
            "prov:wasAttributedTo party:valga-2020-latvian-side , party:valga-2020-estonian-side , organisation:valka-municipal-council ;",
            within=ANNUAL,
        ),
        "AttributedStatement-agent-at-meeting",
        B + "agreement/annual-expert-meeting",
        V,
    ),
    (
        "statement credited to a participation",
        _r(
            "prov:wasAttributedTo party:valga-2020-experts ;",
            "prov:wasAttributedTo participation:valga-2020-roma-activists ;",
            within=EXPERTS_AGREE,
        ),
        "AttributedAgentShape",
        B + "participation/valga-2020-roma-activists",
        V,
    ),
    (
        "statement credited to a population group",
        _r(
            "prov:wasAttributedTo party:valga-2020-experts ;",
            "prov:wasAttributedTo <https://w3id.org/rograph/group/valga-roma-residents> ;",
            within=EXPERTS_AGREE,
        ),
        "AttributedAgentShape",
        B + "group/valga-roma-residents",
        V,
    ),
    (
        "qualified and plain attribution disagree",
        _r("prov:agent party:valga-2020-experts ]", "prov:agent party:valga-2020-participants ]", within=EXPERTS_AGREE),
        "AttributedStatement-qualified-agrees",
        B + "agreement/valga-valka-cooperation-for-roma-integration",
        V,
    ),
    (
        "attribution without an agent",
        _r(
            "prov:qualifiedAttribution [ a prov:Attribution ; prov:agent organisation:latvia-ministry-of-culture ] .",
            "prov:qualifiedAttribution organisation:latvia-ministry-of-culture .",
            within="statement:funding-and-responsibility a",
        ),
        "QualifiedAttributionRangeShape",
        B + "organisation/latvia-ministry-of-culture",
        V,
    ),
    (
        "party named at no meeting",
        _r(
            "rg:namedAt <https://w3id.org/rograph/meeting/valga-expert-meeting-2020-02-06> ;\n",
            "",
            within="party:valga-2020-social-service-specialists a",
        ),
        "NamedParty-namedAt",
        B + "party/valga-2020-social-service-specialists",
        V,
    ),
    (
        "party of a participation of no meeting",
        _add(
            'participation:x a rg:Participation ; rdfs:label "X"@lv , "X"@en ; m8g:role concept:representative ; rg:comesFrom place:valga . party:valga-2020-experts rg:includesParticipation participation:x .'
        ),
        "NamedParty-participations-of-its-meeting",
        B + "party/valga-2020-experts",
        V,
    ),
    (
        "side of no country",
        _r("dcterms:spatial place:latvia ;\n", "", within="party:valga-2020-latvian-side a"),
        "Side-spatial",
        B + "party/valga-2020-latvian-side",
        V,
    ),
    (
        "source statement in no one's voice",
        _r(
            "prov:wasAttributedTo organisation:latvia-ministry-of-culture ;\n",
            "",
            within="statement:valga-largest-share-of-roma-in-estonia a",
        ),
        "SourceStatement-attributed",
        B + "statement/valga-largest-share-of-roma-in-estonia",
        V,
    ),
    # Ethnicity only of a group the source states it of.
    (
        "ethnicity on a participation",
        _r("m8g:role concept:roma-expert ;", "m8g:role concept:roma-expert ; rg:ethnicity concept:roma ;"),
        "EthnicityShape",
        B + "participation/valga-2020-roma-experts",
        V,
    ),
    (
        "ethnicity the source does not state of the group",
        _r(
            "rg:namedAt <https://w3id.org/rograph/meeting/valga-expert-meeting-2020-02-06> ;",
            "rg:namedAt <https://w3id.org/rograph/meeting/valga-expert-meeting-2020-02-06> ; rg:ethnicity concept:roma ;",
            within="party:valga-2020-experts a",
        ),
        "Ethnicity-stated-by-the-source",
        B + "party/valga-2020-experts",
        V,
    ),
    # Standard properties within their domains and ranges.
    (
        "org:role on a participation",
        _r("m8g:role concept:representative .", "m8g:role concept:representative ; org:role concept:representative ."),
        "OrgRoleDomainShape",
        B + "participation/valga-2020-latvia-ministry-of-culture",
        V,
    ),
    (
        "m8g:role on a post",
        _r("org:role concept:roma-mediator ;", "org:role concept:roma-mediator ; m8g:role concept:roma-mediator ;"),
        "M8gRoleDomainShape",
        B + "post/valga-roma-mediator-1",
        V,
    ),
    (
        "schema:homeLocation on a group",
        _r(
            "rg:ethnicity concept:roma ;\n        rg:facesChallenge",
            "rg:ethnicity concept:roma ; schema:homeLocation place:valga ;\n        rg:facesChallenge",
        ),
        "HomeLocationDomainShape",
        B + "group/valga-roma-residents",
        V,
    ),
    (
        "schema:location on a post",
        _r(
            "dcterms:spatial place:valga ;",
            "dcterms:spatial place:valga ; schema:location place:valga ;",
            within="<https://w3id.org/rograph/post/valga-roma-mediator-1> a",
        ),
        "SchemaLocationDomainShape",
        B + "post/valga-roma-mediator-1",
        V,
    ),
    (
        "schema:startDate on a programme",
        _r(
            "schema:funder organisation:european-union .",
            'schema:funder organisation:european-union ; schema:startDate "2014"^^xsd:gYear .',
            within="<https://w3id.org/rograph/programme/rights-equality-citizenship-2014-2020> a",
        ),
        "SchemaDatesDomainShape",
        B + "programme/rights-equality-citizenship-2014-2020",
        V,
    ),
    (
        "dcterms:temporal pointing at a place",
        _r(
            "dcterms:temporal <https://w3id.org/rograph/figure/valga-roma-residents-2020#month> ;",
            "dcterms:temporal place:valga ;",
        ),
        "TemporalRangeShape",
        B + "place/valga",
        V,
    ),
    (
        "schema:funding pointing at the programme",
        _r(
            "schema:funding <https://w3id.org/rograph/grant/856468-nrp4-lv> ;",
            "schema:funding <https://w3id.org/rograph/programme/rights-equality-citizenship-2014-2020> ;",
        ),
        "FundingRangeShape",
        B + "programme/rights-equality-citizenship-2014-2020",
        V,
    ),
    # Dates: the source's precision and comparable days.
    (
        "earliest day not the first day of the start",
        _r('rg:earliestDay "2020-03-01"^^xsd:date .', 'rg:earliestDay "2020-02-01"^^xsd:date .'),
        "PeriodOfTime-days-match",
        B + "post/valga-roma-mediator-1#work",
        V,
    ),
    (
        "period without an earliest day",
        _r('rg:earliestDay "2020-02-01"^^xsd:date ;\n', ""),
        "PeriodOfTime-earliestDay",
        B + "figure/valga-roma-residents-2020#month",
        V,
    ),
    # Outside identifiers, well formed and verified.
    (
        "unverified identifier",
        _r(
            "place:latvia owl:sameAs eu-country:LVA .",
            "place:latvia owl:sameAs <http://www.wikidata.org/entity/Q211> .",
        ),
        "SameAs-authority",
        B + "place/latvia",
        V,
    ),
    (
        "EHAK code of three digits",
        _r('rg:ehakCode "0855" ;', 'rg:ehakCode "855" ;'),
        "EhakCode-format",
        B + "place/valga-parish",
        V,
    ),
    ("web address as text", _add(f'<{SOURCE}> schema:url "www.km.gov.lv" .'), "WebAddress-url", SOURCE, V),
    (
        "source language from another authority",
        _r("dcterms:language eu-language:LAV ;", "dcterms:language <http://id.loc.gov/vocabulary/iso639-1/lv> ;"),
        "SourceDocument-language",
        SOURCE,
        V,
    ),
    # Evidence and the source text.
    (
        "source text outside the project",
        _r(
            'rg:projectPath "sources/000_f5beb46b2a4dc84d.txt" ;',
            'rg:projectPath "../shared/sources/000_f5beb46b2a4dc84d.txt" ;',
        ),
        "SourceText-projectPath",
        SOURCE + "-text",
        V,
    ),
    (
        "quote offsets not as long as the quote",
        _r("oa:TextPositionSelector ; oa:start 0 ;", "oa:TextPositionSelector ; oa:start 1 ;"),
        "Evidence-span-in-order",
        B + "evidence/meeting-title",
        V,
    ),
    (
        "quote without English rendering",
        _r(
            '[ a oa:TextualBody ; rdf:value "Expert meeting on Roma integration support measures in Valka and Valga"@en ; dcterms:language eu-language:ENG ] ;',
            "<https://w3id.org/rograph/meeting/valga-expert-meeting-2020-02-06> ;",
        ),
        "Evidence-english",
        B + "evidence/meeting-title",
        V,
    ),
    # Curation provenance.
    (
        "graph curated by no one",
        _r(
            "dcterms:source source:lv-moc-valga-expert-meeting-2020 ;\n        prov:wasGeneratedBy <https://w3id.org/rograph/curation/lv-moc-valga-expert-meeting-2020> .",
            "dcterms:source source:lv-moc-valga-expert-meeting-2020 .",
        ),
        "NamedGraph-wasGeneratedBy",
        GRAPH,
        V,
    ),
    (
        "curation by a person",
        _r(
            "prov:wasAssociatedWith organisation:rograph-curators ;",
            "prov:wasAssociatedWith <https://w3id.org/rograph/person/x> ;",
        ),
        "CurationActivity-team",
        CURATION,
        V,
    ),
    (
        "curation without ontology version",
        _r(" ,\n            <https://w3id.org/rograph/ontology/0.2.0> ;", " ;"),
        "CurationActivity-ontologyVersion",
        CURATION,
        V,
    ),
    (
        "deprecated property still used",
        _r(
            "m8g:hasParticipant organisation:latvia-ministry-of-culture ;",
            "m8g:hasParticipant organisation:latvia-ministry-of-culture ; rg:participant organisation:latvia-ministry-of-culture ;",
        ),
        "DeprecatedTerm-replaced",
        B + "participation/valga-2020-latvia-ministry-of-culture",
        W,
    ),
    (
        "yearly zero times",
        _r("rg:minimumTimesPerYear 1 ;", "rg:minimumTimesPerYear 0 ;"),
        "Agreement-minimumTimesPerYear",
        B + "agreement/annual-expert-meeting",
        V,
    ),
    (
        "plan of no meeting",
        _r(f"rg:outcomeOf <{MEETING}> ;", "", within="plan:further-cooperation-on-roma-integration a"),
        "Plan-outcomeOf",
        B + "plan/further-cooperation-on-roma-integration",
        V,
    ),
    (
        "finding of nobody",
        _r(
            "prov:wasAttributedTo party:valga-2020-participants ;\n        prov:qualifiedAttribution [ a prov:Attribution ; prov:agent party:valga-2020-participants ] ;",
            "",
            within="finding:valka-ready-to-cooperate-with-valga a",
        ),
        "Finding-statedBy",
        B + "finding/valka-ready-to-cooperate-with-valga",
        I,
    ),
    (
        "project funded by a non-grant",
        _r("schema:funding <https://w3id.org/rograph/grant/856468-nrp4-lv> ;", "schema:funding place:valga ;"),
        "Project-grantAgreementNumber",
        B + "project/latvian-roma-platform-iv",
        V,
    ),
    (
        "grant number as a number",
        _r('schema:identifier "856468-NRP4-LV" ;', "schema:identifier 856468 ;"),
        "MonetaryGrant-identifier",
        GRANT,
        V,
    ),
    (
        "programme ends before it starts",
        _r('dcat:startDate "2014"^^xsd:gYear', 'dcat:startDate "2021"^^xsd:gYear'),
        "FundingProgramme-period-in-order",
        B + "programme/rights-equality-citizenship-2014-2020",
        V,
    ),
    (
        "figure value as text",
        _r("schema:value 160 ;", 'schema:value "about 160" ;'),
        "Figure-value",
        B + "figure/valga-roma-residents-2020",
        V,
    ),
    (
        "figure without approximation flag",
        _r("rg:isApproximate true ;", "", within="figure:valga-roma-residents-2020 a"),
        "Figure-isApproximate",
        B + "figure/valga-roma-residents-2020",
        V,
    ),
    (
        "population group lists a member",
        _r(
            "rg:ethnicity concept:roma ;\n        rg:facesChallenge",
            "rg:ethnicity concept:roma ; foaf:member <https://w3id.org/rograph/person/x> ;\n        rg:facesChallenge",
        ),
        "PopulationGroup-noMembers",
        B + "group/valga-roma-residents",
        V,
    ),
    (
        "ethnicity on a person",
        _add(
            f'<https://w3id.org/rograph/person/x> a foaf:Person ; rdfs:label "X"@lv , "X"@en ; org:holds <https://w3id.org/rograph/post/valga-roma-mediator-1> ; dcterms:source <{SOURCE}> ; <http://example.org/ethnicity> "Roma" .'
        ),
        "Person-no-ethnicity",
        B + "person/x",
        V,
    ),
    (
        "person in no public office",
        _add(
            f'<https://w3id.org/rograph/person/x> a schema:Person ; rdfs:label "X"@lv , "X"@en ; dcterms:source <{SOURCE}> .'
        ),
        "Person-holdsPost",
        B + "person/x",
        V,
    ),
    (
        "untyped named person",
        _add('<https://w3id.org/rograph/person/x> foaf:givenName "Jane" ; rdfs:label "X"@lv , "X"@en .'),
        "PersonNameShape",
        B + "person/x",
        V,
    ),
    (
        "concept without definition",
        _r(
            'skos:definition "Lacking the income and resources for an adequate standard of living."@en ;',
            "",
            file=CONCEPTS_FILE,
        ),
        "Concept-definition",
        B + "concept/poverty",
        V,
    ),
    (
        "scheme without top concepts",
        _r(
            "skos:hasTopConcept <https://w3id.org/rograph/concept/roma-residents>,\n        <https://w3id.org/rograph/concept/meeting-participants> .",
            "a skos:ConceptScheme .",
            file=CONCEPTS_FILE,
        ),
        "ConceptScheme-hasTopConcept",
        B + "concept/measures",
        V,
    ),
    (
        "role outside the roles scheme",
        _r(
            "<https://w3id.org/rograph/concept/poverty> a skos:Concept ;",
            "<https://w3id.org/rograph/concept/poverty> a skos:Concept , org:Role ;",
            file=CONCEPTS_FILE,
        ),
        "Role-inRolesScheme",
        B + "concept/poverty",
        V,
    ),
    (
        "ontology without licence",
        _r("dcterms:license <https://creativecommons.org/licenses/by/4.0/> ;", "", file=ONTOLOGY_FILE),
        "Ontology-license",
        B + "ontology",
        V,
    ),
    (
        "class without Latvian label",
        _r('"ministrija"@lv, ', "", file=ONTOLOGY_FILE),
        "OntologyClass-label-lv",
        RG + "Ministry",
        V,
    ),
    (
        "class under no standard class",
        _r("    rdfs:subClassOf schema:Observation ;\n", "", file=ONTOLOGY_FILE),
        "OntologyClass-subClassOf",
        RG + "Figure",
        V,
    ),
    (
        "property without definition",
        _r('skos:definition "The place the participants in a participation come from."@en ;', "", file=ONTOLOGY_FILE),
        "OntologyObjectProperty-definition",
        RG + "comesFrom",
        V,
    ),
    (
        "datatype property not defined by the ontology",
        _r(
            "rdfs:isDefinedBy <https://w3id.org/rograph/ontology> .",
            "rdfs:isDefinedBy <https://example.org/other> .",
            file=ONTOLOGY_FILE,
            within="rg:isApproximate a owl:DatatypeProperty",
        ),
        "OntologyDatatypeProperty-definedBy",
        RG + "isApproximate",
        V,
    ),
]


# The further sources (issue 13): their files and the shapes of ontology/projects-and-sources.ttl.
S1 = "data/lv-moc-latvian-roma-platform-iv-page.trig"
S2 = "data/lv-moc-roma-platform-coordination-meeting-2020.trig"
S3 = "data/lv-moc-roma-mediators-seminar-2020.trig"
S4 = "data/lv-moc-latvian-roma-platform-v-report.trig"
S5 = "data/estrom-2-project-page.trig"
S6 = "data/integration-foundation-roma-community-work.trig"
DIFFER = "data/sources-differ.trig"
BUDGET = B + "budget/latvian-roma-platform-v"
FAULTS += [
    (
        "source kind not a concept",
        _r("dcterms:type concept:project-page ;", "dcterms:type place:latvia ;", file=S1),
        "SourceDocument-kind",
        B + "source/lv-moc-latvian-roma-platform-iv-page",
        V,
    ),
    (
        "web address as a string",
        _r(
            "schema:url <https://www.km.gov.lv/en/latvian-roma-platform-iv>",
            'schema:url "https://www.km.gov.lv/en/latvian-roma-platform-iv"',
            file=S1,
        ),
        "SourceDocument-url",
        B + "source/lv-moc-latvian-roma-platform-iv-page",
        V,
    ),
    (
        "advisory council placed in a ministry",
        _r(
            "dcterms:spatial place:latvia .",
            "dcterms:spatial organisation:latvia-ministry-of-culture .",
            file=S2,
            within="organisation:latvia-roma-integration-advisory-council a",
        ),
        "AdvisoryCouncil-spatial",
        B + "organisation/latvia-roma-integration-advisory-council",
        V,
    ),
    (
        "expert network lists a member",
        _r(
            "dcterms:spatial place:latvia .",
            "dcterms:spatial place:latvia ; org:hasMember <https://w3id.org/rograph/organisation/latvia-ministry-of-culture> .",
            file=S2,
            within="organisation:latvia-regional-expert-network-roma-integration a",
        ),
        "ExpertNetwork-noMembers",
        B + "organisation/latvia-regional-expert-network-roma-integration",
        V,
    ),
    (
        "online event with a venue",
        _r(
            "rg:withinProject project:latvian-roma-platform-iv ;",
            "rg:withinProject project:latvian-roma-platform-iv ; schema:location place:riga ;",
            file=S3,
            within="event:roma-mediators-experience-exchange-seminar-2020-06-11 a",
        ),
        "OnlineEvent-noVenue",
        B + "event/roma-mediators-experience-exchange-seminar-2020-06-11",
        V,
    ),
    (
        "project activity of no kind",
        _r(
            "dcterms:type concept:training ;",
            "",
            file=S5,
            within="<https://w3id.org/rograph/event/roma-youth-training-parnu-2019> a",
        ),
        "ProjectActivity-kind",
        B + "event/roma-youth-training-parnu-2019",
        V,
    ),
    (
        "project phase continues itself",
        _r(
            "rg:continues project:latvian-roma-platform-iii ;",
            "rg:continues project:latvian-roma-platform-iv ;",
            file=S1,
        ),
        "ProjectPhase-not-itself",
        B + "project/latvian-roma-platform-iv",
        V,
    ),
    (
        "budget smaller than its shares",
        _r("schema:value 64952.21 ;", "schema:value 6495.21 ;", file=S4),
        "Budget-shares-within-total",
        BUDGET,
        V,
    ),
    (
        "funding share of no kind",
        _r("rg:fundingKind concept:eu-funding ;", "", file=S4),
        "FundingShare-kind",
        BUDGET + "-eu-funding",
        V,
    ),
    (
        "part larger than its total",
        _r("schema:value 103 ;", "schema:value 303 ;", file=S2),
        "FigureBreakdown-within-total",
        B + "figure/latvian-roma-platform-iv-participants-state-and-municipal",
        V,
    ),
    (
        "mentor post held by someone",
        _r(
            "org:postIn organisation:integration-foundation ;",
            "org:postIn organisation:integration-foundation ; org:heldBy organisation:integration-foundation ;",
            file=S6,
        ),
        "RomaCommunityMentorPost-heldBy",
        B + "post/integration-foundation-roma-community-mentor-valga",
        V,
    ),
    (
        "figure without value or range",
        _r("schema:maxValue 1200 ;", "", file=S6),
        "Figure-value-or-range",
        B + "figure/estonia-roma-community-size-2022",
        V,
    ),
    (
        "sources differ about one thing",
        _r(
            "rg:differingDescription <https://w3id.org/rograph/figure/valga-roma-residents-2020> , <https://w3id.org/rograph/figure/valga-parish-roma-community-share-2022> , <https://w3id.org/rograph/figure/estonia-roma-community-size-2022> ;",
            "rg:differingDescription <https://w3id.org/rograph/figure/valga-roma-residents-2020> ;",
            file=DIFFER,
        ),
        "SourcesDiffer-descriptions",
        B + "claim/valga-roma-population",
        V,
    ),
]


@dataclass
class Unedited:
    """What the cases share: each file of the real project parsed (by its path inside the
    project, with the bytes it was parsed from), and the shapes compiled."""

    parsed: dict[Path, tuple[bytes, list[ox.Quad]]]
    checks: list[Check]
    #: Whether every shape compiled (if not, a case runs the whole ``validate``, pyshacl included).
    all_compiled: bool


@pytest.fixture(scope="session")
def unedited() -> Unedited:
    files = sources.discover(PROJECT_DIR)
    parsed = {
        source.path.relative_to(PROJECT_DIR): (source.path.read_bytes(), list(sources.read_quads(source)))
        for source in files.all
    }
    checks, left = compile_shapes(
        [q for source in files.shapes for q in parsed[source.path.relative_to(PROJECT_DIR)][1]]
    )
    return Unedited(parsed, checks, not left)


def validate_for(unedited: Unedited, files: sources.ProjectFiles, shapes: Collection[str]) -> Report:
    """The report of ``files`` (a project copy) with the results of ``shapes``, as ``validate``
    gives them: each file parsed anew only if it differs from the real one, the compiled checks
    of ``shapes`` run on the union of the copy, and the text checks."""
    root = files.root
    assert root is not None

    def unedited_quads(source: sources.SourceFile) -> list[ox.Quad] | None:
        text, parsed = unedited.parsed.get(source.path.relative_to(root), (None, []))
        return parsed if source.path.read_bytes() == text else None

    def quads(source: sources.SourceFile) -> list[ox.Quad]:
        parsed = unedited_quads(source)
        return list(sources.read_quads(source)) if parsed is None else parsed

    if not unedited.all_compiled or any(unedited_quads(source) is None for source in files.shapes):
        return validate(files)  # the shapes' checks are not the ones compiled once
    parsed = Parsed(
        files,
        [q for source in files.ontology for q in quads(source)],
        {source.path: quads(source) for source in files.data},
        [q for source in files.shapes for q in quads(source)],
    )
    store = parsed.union_store()
    found = run_checks(store, [check for check in unedited.checks if check.shape in shapes])
    return locate_results(found + [f for f in check_texts(store, files.root) if f.shape in shapes], files)


@pytest.mark.parametrize("edit,shape,focus,severity", [f[1:] for f in FAULTS], ids=[f[0] for f in FAULTS])
def test_shape_catches_fault(unedited: Unedited, project_copy: ProjectCopy, edit, shape, focus, severity):
    edit(project_copy)
    report = validate_for(unedited, sources.discover(project_copy.root), {str(RGSH[shape])})
    hits = [r for r in report.results if r.shape == str(RGSH[shape]) and r.focus_node == focus]
    assert hits, f"{shape} did not report {focus}; got: " + "; ".join(
        f"{r.shape} @ {r.focus_node}" for r in report.results
    )
    assert {r.severity for r in hits} == {severity}
    assert all(r.message for r in hits)


def test_every_node_shape_has_a_fault_case():
    shapes_text = "".join(f.path.read_text(encoding="utf-8") for f in sources.discover(PROJECT_DIR).shapes)
    node_shapes = set(re.findall(r"^rgsh:(\w+Shape) a sh:NodeShape", shapes_text, re.MULTILINE))
    covered = {f[2] if f[2].endswith("Shape") else f[2].split("-")[0] + "Shape" for f in FAULTS}
    assert node_shapes - covered == set(), "node shapes without a fault case"


#: Cases that edit each kind of file (data, the ontology, the concept scheme, another source's
#: data), each with results of several shapes.
SAMPLE = [
    "missing Latvian label",
    "graph without source",
    "concept without definition",
    "ontology without licence",
    "sources differ about one thing",
]


@pytest.mark.parametrize("case", SAMPLE)
def test_the_shared_run_finds_what_validate_finds(unedited: Unedited, project_copy: ProjectCopy, case):
    """The shared run's results of the shapes it is given are the whole ``validate``'s of
    those shapes (given every shape with a result or a case, all of them)."""
    _, edit, *_ = next(f for f in FAULTS if f[0] == case)
    edit(project_copy)
    files = sources.discover(project_copy.root)
    full = validate(files).results
    assert full
    shapes = {r.shape for r in full} | {str(RGSH[f[2]]) for f in FAULTS}
    assert sorted(map(repr, validate_for(unedited, files, shapes).results)) == sorted(map(repr, full))
    one = next(r.shape for r in full)
    assert sorted(map(repr, validate_for(unedited, files, {one}).results)) == sorted(
        repr(r) for r in full if r.shape == one
    )
