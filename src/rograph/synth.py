"""Generated graphs in the ontology's shape, for scale work.

The benchmarks (``benchmarks/``) and validation at scale need data far larger than our sources,
shaped like the real graph: the same classes, properties, concept schemes and named-graph
provenance, so that query plans and SHACL work resemble those on real data. Every generated
graph passes the project's shapes (the tests check this).

Generated data is marked as such: its entities carry ``synth-`` slugs and labels that say
"synthetic", so it can never be mistaken for facts from a source. It names no person and
records no ethnicity of anyone; people appear, as in the real data, only as posts and as groups.

The world is generated as a sequence of *reports*: each is one source document with a named
graph of its own, describing one meeting in one municipality, the municipality's units and
mediator posts, a project and its funding, and what the meeting agreed. Reports refer to
national bodies and programmes of the shared reference graph and to organisations of earlier
reports in the same country, so graphs are linked the way real sources are.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pyoxigraph as ox

from rograph.namespaces import (
    DCAT,
    DCTERMS,
    FOAF,
    M8G,
    ONTOLOGY_VERSION_IRI,
    ORG,
    PROV,
    RDF,
    RDFS,
    RG,
    SCHEMA,
    XSD,
    entity_iri,
)

RDF_TYPE = ox.NamedNode(RDF + "type")
ENGLISH = ox.NamedNode("http://publications.europa.eu/resource/authority/language/ENG")
#: The team that "curated" generated graphs: an organisation, never a person.
CURATORS = ox.NamedNode(entity_iri("organisation", "synth-curators"))

#: Countries in the generated world; enough that per-country partitions are realistic.
COUNTRY_COUNT = 30
#: Funding programmes per country: seven-year periods from 2000, covering every meeting date.
PROGRAMMES_PER_COUNTRY = 4

_CHALLENGES = ("unemployment", "social-exclusion", "poverty")
_FACTORS = ("low-education", "minimal-work-experience", "weak-civic-participation", "prejudice-and-stereotypes")
_FIELDS = ("education", "social-field", "youth-participation", "culture", "roma-integration", "roma-mediation")
_LANGUAGES = ("lv", "en", "et")


def _iri(kind: str, slug: str) -> ox.NamedNode:
    return ox.NamedNode(entity_iri(kind, slug))


def _concept(slug: str) -> ox.NamedNode:
    return _iri("concept", slug)


def _term(namespace: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(namespace + local)


def _labels(lv: str, en: str, et: str) -> list[ox.Literal]:
    return [ox.Literal(lv, language="lv"), ox.Literal(en, language="en"), ox.Literal(et, language="et")]


@dataclass
class _Graph:
    """Quads of one named graph, written in order."""

    name: ox.NamedNode
    quads: list[ox.Quad] = field(default_factory=list)

    def add(
        self, subject: ox.NamedNode, predicate: ox.NamedNode, *objects: ox.NamedNode | ox.BlankNode | ox.Literal
    ) -> None:
        for value in objects:
            self.quads.append(ox.Quad(subject, predicate, value, self.name))

    def entity(self, subject: ox.NamedNode, types: tuple[ox.NamedNode, ...], labels: list[ox.Literal]) -> None:
        self.add(subject, RDF_TYPE, *types)
        self.add(subject, _term(RDFS, "label"), *labels)

    def period(self, of: ox.NamedNode, fragment: str, start: str, end: str | None = None) -> None:
        """``of dcterms:temporal <of#fragment>``: a period from ``start`` to ``end`` (ISO dates,
        months or years) with the comparable earliest and latest days."""
        period = ox.NamedNode(f"{of.value}#{fragment}")
        self.add(of, _term(DCTERMS, "temporal"), period)
        self.add(period, RDF_TYPE, _term(DCTERMS, "PeriodOfTime"))
        self.add(period, _term(DCAT, "startDate"), _date_literal(start))
        self.add(period, _term(RG, "earliestDay"), ox.Literal((start + "-01-01")[:10], datatype=_term(XSD, "date")))
        if end is not None:
            self.add(period, _term(DCAT, "endDate"), _date_literal(end))
            self.add(period, _term(RG, "latestDay"), ox.Literal(_last_day(end), datatype=_term(XSD, "date")))

    def attribute(self, statement: ox.NamedNode, agents: list[ox.NamedNode]) -> None:
        """``prov:wasAttributedTo`` each agent, and the qualified attribution beside it."""
        self.add(statement, _term(PROV, "wasAttributedTo"), *agents)
        for index, agent in enumerate(agents, start=1):
            attribution = ox.NamedNode(f"{statement.value}#attribution-{index}")
            self.add(statement, _term(PROV, "qualifiedAttribution"), attribution)
            self.add(attribution, RDF_TYPE, _term(PROV, "Attribution"))
            self.add(attribution, _term(PROV, "agent"), agent)


def _date_literal(value: str) -> ox.Literal:
    kind = {4: "gYear", 7: "gYearMonth", 10: "date"}[len(value)]
    return ox.Literal(value, datatype=_term(XSD, kind))


def _last_day(value: str) -> str:
    """The last day of an ISO year, month or day."""
    if len(value) == 4:
        return f"{value}-12-31"
    if len(value) == 7:
        year, month = int(value[:4]), int(value[5:])
        return f"{value}-{calendar.monthrange(year, month)[1]:02d}"
    return value


@dataclass
class _Country:
    number: int
    place: ox.NamedNode
    ministries: list[ox.NamedNode]
    programmes: list[tuple[ox.NamedNode, int]]
    municipalities: list[ox.NamedNode] = field(default_factory=list)


def _source(graph: _Graph, slug: str, title_en: str, publisher: ox.NamedNode, published: date | None) -> None:
    """The source document behind ``graph`` and the graph's provenance: the source and the
    curation that generated the graph."""
    source = _iri("source", slug)
    curation = _iri("curation", slug)
    graph.add(graph.name, _term(PROV, "wasDerivedFrom"), source)
    graph.add(graph.name, _term(PROV, "wasGeneratedBy"), curation)
    graph.entity(
        curation,
        (_term(RG, "CurationActivity"),),
        _labels(
            f"Sintētiska kurēšana: {title_en}",
            f"Synthetic curation of {title_en}",
            f"Sünteetiline kureerimine: {title_en}",
        ),
    )
    graph.add(
        curation,
        _term(DCTERMS, "date"),
        ox.Literal((published or date(2026, 1, 1)).isoformat(), datatype=_term(XSD, "date")),
    )
    graph.add(curation, _term(PROV, "wasAssociatedWith"), CURATORS)
    graph.add(curation, _term(PROV, "used"), source, ox.NamedNode(ONTOLOGY_VERSION_IRI))
    graph.add(
        graph.name,
        _term(RDFS, "label"),
        *_labels(f"Fakti no: {title_en}", f"Facts from {title_en}", f"Faktid: {title_en}"),
    )
    graph.entity(
        source,
        (_term(RG, "SourceDocument"),),
        _labels(f"Sintētisks avots: {title_en}", title_en, f"Sünteetiline allikas: {title_en}"),
    )
    graph.add(source, _term(DCTERMS, "title"), ox.Literal(title_en, language="en"))
    graph.add(source, _term(DCTERMS, "publisher"), publisher)
    graph.add(source, _term(DCTERMS, "language"), ENGLISH)
    if published is not None:
        graph.add(source, _term(DCTERMS, "date"), ox.Literal(published.isoformat(), datatype=_term(XSD, "date")))


def _reference_graph() -> tuple[_Graph, list[_Country]]:
    """Countries, their ministries, contact points and funding programmes."""
    graph = _Graph(_iri("graph", "synth-reference"))
    countries = []
    union = _iri("organisation", "synth-union")
    graph.entity(
        union,
        (_term(RG, "InternationalOrganisation"),),
        _labels("Sintētiskā savienība", "Synthetic union", "Sünteetiline liit"),
    )
    graph.entity(
        CURATORS,
        (_term(ORG, "Organization"),),
        _labels("Sintētiskie kuratori", "Synthetic curators", "Sünteetilised kuraatorid"),
    )
    for number in range(1, COUNTRY_COUNT + 1):
        place = _iri("place", f"synth-country-{number}")
        graph.entity(
            place,
            (_term(SCHEMA, "Country"),),
            _labels(f"Sintētiskā valsts {number}", f"Synthetic country {number}", f"Sünteetiline riik {number}"),
        )
        ministries = []
        for slug, lv, en, et in (
            ("culture", "Kultūras ministrija", "Ministry of Culture", "Kultuuriministeerium"),
            ("welfare", "Labklājības ministrija", "Ministry of Welfare", "Sotsiaalministeerium"),
            ("education", "Izglītības ministrija", "Ministry of Education", "Haridusministeerium"),
        ):
            ministry = _iri("organisation", f"synth-country-{number}-ministry-of-{slug}")
            graph.entity(
                ministry,
                (_term(RG, "Ministry"),),
                _labels(f"{lv} ({number})", f"{en} of synthetic country {number}", f"{et} ({number})"),
            )
            graph.add(ministry, _term(DCTERMS, "spatial"), place)
            ministries.append(ministry)
        contact_point = _iri("organisation", f"synth-country-{number}-national-roma-contact-point")
        graph.entity(
            contact_point,
            (_term(RG, "NationalRomaContactPoint"),),
            _labels(
                f"Nacionālais romu kontaktpunkts ({number})",
                f"National Roma Contact Point of synthetic country {number}",
                f"Riiklik romade kontaktpunkt ({number})",
            ),
        )
        graph.add(contact_point, _term(DCTERMS, "spatial"), place)
        graph.add(contact_point, _term(ORG, "subOrganizationOf"), ministries[0])
        programmes = []
        for index in range(PROGRAMMES_PER_COUNTRY):
            start = 2000 + 7 * index
            programme = _iri("programme", f"synth-country-{number}-programme-{start}-{start + 6}")
            graph.entity(
                programme,
                (_term(RG, "FundingProgramme"),),
                _labels(
                    f"Programma {start}–{start + 6} ({number})",
                    f"Programme {start}–{start + 6} of synthetic country {number}",
                    f"Programm {start}–{start + 6} ({number})",
                ),
            )
            graph.period(programme, "period", str(start), str(start + 6))
            graph.add(programme, _term(SCHEMA, "funder"), union if index % 2 else ministries[index % len(ministries)])
            programmes.append((programme, start))
        countries.append(_Country(number, place, ministries, programmes))
    _source(graph, "synth-reference", "Synthetic reference data: countries, ministries and programmes", union, None)
    return graph, countries


def _report(number: int, country: _Country, rng: random.Random) -> _Graph:
    """One source: a meeting in a new municipality of ``country`` and what it agreed."""
    slug = f"synth-{number}"
    graph = _Graph(_iri("graph", f"synth-report-{number}"))
    c = country.number
    held = date(2008, 1, 1) + timedelta(days=rng.randrange(6200))

    city = _iri("place", f"{slug}-town")
    area = _iri("place", f"{slug}-municipality")
    graph.entity(
        city, (_term(SCHEMA, "City"),), _labels(f"Pilsēta {number}", f"Town {number} (synthetic)", f"Linn {number}")
    )
    graph.add(city, _term(SCHEMA, "containedInPlace"), area)
    graph.entity(
        area,
        (_term(SCHEMA, "AdministrativeArea"),),
        _labels(f"Novads {number}", f"Municipality area {number} (synthetic)", f"Vald {number}"),
    )
    graph.add(area, _term(SCHEMA, "containedInPlace"), country.place)

    municipality = _iri("organisation", f"{slug}-municipal-council")
    graph.entity(
        municipality,
        (_term(RG, "Municipality"),),
        _labels(f"Novada dome {number}", f"Municipal council {number} (synthetic)", f"Vallavolikogu {number}"),
    )
    graph.add(municipality, _term(DCTERMS, "spatial"), area)
    department = _iri("organisation", f"{slug}-education-culture-sport-youth-department")
    graph.entity(
        department,
        (_term(RG, "MunicipalDepartment"),),
        _labels(
            f"Izglītības, kultūras, sporta un jaunatnes nodaļa {number}",
            f"Education, culture, sport and youth department {number} (synthetic)",
            f"Haridus-, kultuuri-, spordi- ja noorteosakond {number}",
        ),
    )
    graph.add(department, _term(ORG, "unitOf"), municipality)
    social_service = _iri("organisation", f"{slug}-social-service")
    graph.entity(
        social_service,
        (_term(RG, "SocialService"),),
        _labels(f"Sociālais dienests {number}", f"Social service {number} (synthetic)", f"Sotsiaalteenistus {number}"),
    )
    graph.add(social_service, _term(ORG, "unitOf"), municipality)
    family_unit = _iri("organisation", f"{slug}-family-support-unit")
    graph.entity(
        family_unit,
        (_term(RG, "SocialService"),),
        _labels(
            f"Ģimeņu atbalsta nodaļa {number}",
            f"Family support unit {number} (synthetic)",
            f"Perede toe üksus {number}",
        ),
    )
    graph.add(family_unit, _term(ORG, "unitOf"), social_service)
    society = _iri("organisation", f"{slug}-roma-association")
    graph.entity(
        society,
        (_term(RG, "CivilSocietyOrganisation"),),
        _labels(f"Romu biedrība {number}", f"Roma association {number} (synthetic)", f"Romade ühing {number}"),
    )
    graph.add(society, _term(DCTERMS, "spatial"), area)

    for post_number in range(1, rng.randint(1, 3) + 1):
        post = _iri("post", f"{slug}-roma-mediator-{post_number}")
        graph.entity(
            post,
            (_term(RG, "RomaMediatorPost"),),
            _labels(
                f"Romu mediatora amata vieta {number} ({post_number})",
                f"Roma mediator post {number} ({post_number}) (synthetic)",
                f"Romade mediaatori ametikoht {number} ({post_number})",
            ),
        )
        graph.add(post, _term(ORG, "role"), _concept("roma-mediator"))
        graph.add(post, _term(ORG, "postIn"), rng.choice((social_service, family_unit, municipality)))
        graph.add(post, _term(DCTERMS, "spatial"), city)
        started = held + timedelta(days=rng.randrange(30, 400))
        graph.period(post, "work", started.isoformat())

    programme = next(iri for iri, start in country.programmes if start <= held.year <= start + 6)
    project = _iri("project", f"{slug}-roma-platform")
    graph.entity(
        project,
        (_term(RG, "Project"),),
        _labels(f"Romu platforma {number}", f"Roma platform {number} (synthetic)", f"Romade platvorm {number}"),
    )
    grant = _iri("grant", f"{slug}-roma-platform")
    graph.entity(
        grant,
        (_term(SCHEMA, "MonetaryGrant"),),
        _labels(f"Līgums {number}", f"Grant agreement {number} (synthetic)", f"Toetusleping {number}"),
    )
    graph.add(grant, _term(SCHEMA, "identifier"), ox.Literal(f"{800000 + number}-SYN-{c:02d}"))
    graph.add(grant, _term(SCHEMA, "funder"), country.ministries[0])
    graph.add(grant, _term(SCHEMA, "fundedItem"), project)
    graph.add(project, _term(SCHEMA, "funding"), grant)
    graph.add(project, _term(RG, "fundingProgramme"), programme)
    graph.add(project, _term(RG, "coordinator"), country.ministries[0])

    meeting = _iri("meeting", f"{slug}-expert-meeting-{held.isoformat()}")
    graph.entity(
        meeting,
        (_term(RG, "ExpertMeeting"),),
        _labels(
            f"Ekspertu sanāksme {number}",
            f"Expert meeting {number} on Roma integration (synthetic)",
            f"Ekspertkohtumine {number}",
        ),
    )
    graph.add(meeting, _term(SCHEMA, "startDate"), ox.Literal(held.isoformat(), datatype=_term(XSD, "date")))
    graph.period(meeting, "day", held.isoformat(), held.isoformat())
    graph.add(meeting, _term(SCHEMA, "location"), city)
    organiser = rng.choice(country.ministries)
    graph.add(meeting, _term(SCHEMA, "organizer"), organiser)
    graph.add(meeting, _term(RG, "coOrganizer"), municipality)
    graph.add(meeting, _term(RG, "withinProject"), project)
    graph.add(meeting, _term(RG, "fieldOfActivity"), *(_concept(f) for f in rng.sample(_FIELDS, 2)))

    neighbours = rng.sample(country.municipalities, min(2, len(country.municipalities)))
    participants = [organiser, municipality, department, social_service, society, *neighbours]
    participations = []
    for index, organisation in enumerate(participants):
        participation = _iri("participation", f"{slug}-{index}")
        graph.entity(
            participation,
            (_term(RG, "Participation"),),
            _labels(
                f"Pārstāvji ekspertu sanāksmē {number} ({index})",
                f"Representatives at expert meeting {number} ({index})",
                f"Esindajad ekspertkohtumisel {number} ({index})",
            ),
        )
        graph.add(participation, _term(M8G, "hasParticipant"), organisation)
        graph.add(participation, _term(M8G, "role"), _concept("representative"))
        participations.append(participation)
    experts = _iri("participation", f"{slug}-roma-experts")
    graph.entity(
        experts,
        (_term(RG, "Participation"),),
        _labels(
            f"Romu eksperti ekspertu sanāksmē {number}",
            f"Roma experts at expert meeting {number}",
            f"Romade eksperdid ekspertkohtumisel {number}",
        ),
    )
    graph.add(experts, _term(M8G, "role"), _concept("roma-expert"))
    graph.add(experts, _term(RG, "comesFrom"), city)
    participations.append(experts)
    graph.add(meeting, _term(M8G, "hasParticipation"), *participations)

    head_count = _iri("figure", f"{slug}-meeting-participants")
    graph.entity(
        head_count,
        (_term(RG, "Figure"),),
        _labels(
            f"Ekspertu sanāksmes {number} dalībnieki",
            f"Participants of expert meeting {number}",
            f"Ekspertkohtumise {number} osalejad",
        ),
    )
    graph.add(head_count, _term(SCHEMA, "value"), ox.Literal(rng.randint(8, 60)))
    graph.add(head_count, _term(RG, "isApproximate"), ox.Literal(rng.random() < 0.6))
    graph.add(head_count, _term(RG, "measure"), _concept("meeting-participants"))
    graph.add(head_count, _term(SCHEMA, "observationAbout"), meeting)
    graph.add(head_count, _term(DCTERMS, "temporal"), ox.NamedNode(f"{meeting.value}#day"))
    graph.add(meeting, _term(RG, "participantCount"), head_count)

    residents = _iri("group", f"{slug}-roma-residents")
    graph.entity(
        residents,
        (_term(RG, "PopulationGroup"),),
        _labels(
            f"Romu iedzīvotāji {number}", f"Roma residents of town {number} (synthetic)", f"Roma elanikud {number}"
        ),
    )
    graph.add(residents, _term(DCTERMS, "spatial"), city)
    graph.add(residents, _term(RG, "facesChallenge"), *(_concept(x) for x in rng.sample(_CHALLENGES, 2)))
    graph.add(residents, _term(RG, "contributingFactor"), *(_concept(x) for x in rng.sample(_FACTORS, 2)))
    population = _iri("figure", f"{slug}-roma-residents")
    graph.entity(
        population,
        (_term(RG, "Figure"),),
        _labels(f"Romu skaits pilsētā {number}", f"Roma living in town {number}", f"Romasid linnas {number}"),
    )
    graph.add(population, _term(SCHEMA, "value"), ox.Literal(rng.randrange(20, 2000, 10)))
    graph.add(population, _term(RG, "isApproximate"), ox.Literal(True))
    graph.add(population, _term(RG, "measure"), _concept("roma-residents"))
    graph.add(population, _term(SCHEMA, "observationAbout"), residents)
    graph.add(population, _term(DCTERMS, "spatial"), city)
    graph.period(population, "month", held.strftime("%Y-%m"), held.strftime("%Y-%m"))

    conclusions = _iri("document", f"{slug}-conclusions")
    graph.entity(
        conclusions,
        (_term(FOAF, "Document"),),
        _labels(
            f"Secinājumu kopsavilkums {number}",
            f"Summary of conclusions of expert meeting {number}",
            f"Järelduste kokkuvõte {number}",
        ),
    )
    graph.add(conclusions, _term(DCTERMS, "title"), ox.Literal(f"Secinājumu kopsavilkums {number}", language="lv"))
    graph.add(meeting, _term(RG, "conclusions"), conclusions)

    outcomes = (
        (
            "agreement",
            "Agreement",
            "annual-meeting",
            "Vienošanās tikties vismaz reizi gadā",
            "Agreement to meet at least once a year",
        ),
        (
            "finding",
            "Finding",
            "mediation-helps",
            "Atziņa par romu mediācijas nozīmi",
            "Finding on what Roma mediation achieves",
        ),
        (
            "plan",
            "Plan",
            "mediation-cooperation",
            "Plāns sadarboties romu mediācijā",
            "Plan to cooperate in Roma mediation",
        ),
    )
    for kind, class_name, outcome_slug, lv, en in outcomes:
        outcome = _iri(kind, f"{slug}-{outcome_slug}")
        graph.entity(
            outcome,
            (_term(RG, class_name),),
            _labels(f"{lv} ({number})", f"{en} ({number}, synthetic)", f"{en} ({number})"),
        )
        graph.add(
            outcome,
            _term(DCTERMS, "description"),
            ox.Literal(f"{lv}.", language="lv"),
            ox.Literal(f"{en}.", language="en"),
        )
        graph.add(outcome, _term(RG, "outcomeOf"), meeting)
        graph.add(outcome, _term(RG, "fieldOfActivity"), _concept(rng.choice(_FIELDS)))
        if class_name != "Plan":
            graph.attribute(outcome, participants[: rng.randint(1, len(participants))])
        if class_name == "Agreement":
            graph.add(outcome, _term(RG, "minimumTimesPerYear"), ox.Literal(1))

    published = held + timedelta(days=rng.randrange(1, 30))
    _source(graph, f"{slug}-news", f"News item on synthetic expert meeting {number}", organiser, published)
    country.municipalities.append(municipality)
    return graph


def synthesize(triples: int, *, seed: int = 0) -> Iterator[ox.Quad]:
    """Quads of a generated world of at least ``triples`` quads (stopping after the report
    that reaches it), the same for the same ``seed``."""
    rng = random.Random(seed)
    reference, countries = _reference_graph()
    yield from reference.quads
    written, number = len(reference.quads), 0
    while written < triples:
        number += 1
        report = _report(number, rng.choice(countries), rng)
        yield from report.quads
        written += len(report.quads)


def write(triples: int, out: Path, *, seed: int = 0) -> int:
    """Write a generated world to ``out`` in the RDF format its extension names (``.nq`` or
    ``.trig``), or, if ``out`` has no extension, as a folder with one TriG file per named graph
    (the layout of ``data/``: one file per source); returns the number of quads written."""
    if not out.suffix:
        return _write_folder(triples, out, seed)
    format = ox.RdfFormat.from_extension(out.suffix.lstrip("."))
    if format is None or not format.supports_datasets:
        raise ValueError(f"{out}: use a dataset format (.nq or .trig) so that each report keeps its named graph")
    count = 0

    def counted() -> Iterator[ox.Quad]:
        nonlocal count
        for quad in synthesize(triples, seed=seed):
            count += 1
            yield quad

    out.parent.mkdir(parents=True, exist_ok=True)
    ox.serialize(counted(), str(out), format)
    return count


def _write_folder(triples: int, folder: Path, seed: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    graphs: dict[str, list[ox.Quad]] = {}
    for quad in synthesize(triples, seed=seed):
        assert not isinstance(quad.graph_name, ox.DefaultGraph)  # synthesize() names every graph
        graphs.setdefault(quad.graph_name.value, []).append(quad)
    for name, quads in graphs.items():
        ox.serialize(quads, str(folder / (name.rsplit("/", 1)[-1] + ".trig")), ox.RdfFormat.TRIG)
    return sum(len(quads) for quads in graphs.values())
