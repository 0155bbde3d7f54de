"""The dataset's own description in VoID and DCAT, computed at build time from the store.

Everything a crawler or a data portal needs to decide whether and how to use the data: size
(triples, entities, class and property partitions, one subset per named graph with its
source), licence, publisher, where to query it, the dumps with byte size and SHA-256, example
resources, and the ontology and shapes it conforms to. IRIs are the published ones
(``https://w3id.org/rograph/…``); the server maps them to its own address.
"""

from __future__ import annotations

from datetime import datetime

import pyoxigraph as ox

from rograph.namespaces import (
    BASE,
    DATASET_IRI,
    DCAT,
    DCTERMS,
    FOAF,
    INFERRED_GRAPH,
    ONTOLOGY_IRI,
    PREFIXES,
    PROV,
    RDF,
    RG,
    SCHEMA,
    SD,
    SHAPES_IRI,
    SPDX,
    VOID,
    XSD,
)
from rograph.store.counts import TRIPLES_PER_GRAPH
from rograph.store.dumps import Dump
from rograph.store.queries import InProcess

LICENCE = "https://creativecommons.org/licenses/by/4.0/"

#: Where the dumps and the endpoint are published, under the base IRI.
DUMPS_PATH = "dumps/"
SPARQL_PATH = "sparql"

_VOCABULARIES = ("rg", "org", "m8g", "schema", "prov", "dcterms", "skos", "foaf")


#: Every source document a named graph is derived from, its web address if it has one, and
#: how many statements (facts) the graphs derived from it hold. The home page shows the same.
SOURCE_FACTS_QUERY = f"""SELECT ?source (SAMPLE(?url) AS ?address) (SUM(?n) AS ?facts) WHERE {{
    {{ {TRIPLES_PER_GRAPH} }}
    GRAPH ?g {{ ?g <{PROV}wasDerivedFrom> ?source }}
    OPTIONAL {{ GRAPH ?any {{ ?source <{SCHEMA}url> ?url }} }}
}} GROUP BY ?source ORDER BY ?source"""


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def describe_dataset(
    store: ox.Store, dumps: list[Dump], built: datetime, graph_counts: dict[str, int]
) -> list[ox.Triple]:
    """The VoID/DCAT description of the dataset in ``store``, whose named graphs hold
    ``graph_counts`` triples each."""
    dataset = _n(DATASET_IRI)
    triples: list[ox.Triple] = []
    queries, over_union = InProcess(store), InProcess(store, union_default_graph=True)

    def add(
        subject: ox.NamedNode | ox.BlankNode, predicate: str, value: ox.NamedNode | ox.BlankNode | ox.Literal
    ) -> None:
        triples.append(ox.Triple(subject, _n(predicate), value))

    add(dataset, RDF + "type", _n(VOID + "Dataset"))
    add(dataset, RDF + "type", _n(DCAT + "Dataset"))
    add(dataset, DCTERMS + "title", ox.Literal("rograph: actors in Roma integration", language="en"))
    add(dataset, DCTERMS + "title", ox.Literal("rograph: romu integrācijas dalībnieki", language="lv"))
    add(dataset, DCTERMS + "title", ox.Literal("rograph: romade lõimumise osalised", language="et"))
    add(
        dataset,
        DCTERMS + "description",
        ox.Literal(
            "Ministries, municipalities and their departments, social services, Roma mediator posts, experts, "
            "civil-society groups, national Roma contact points, projects, funding programmes, meetings and what "
            "they agreed, as stated by public sources; each source's facts are in a named graph of their own.",
            language="en",
        ),
    )
    add(
        dataset,
        DCTERMS + "description",
        ox.Literal(
            "Ministrijas, pašvaldības un to nodaļas, sociālie dienesti, romu mediatoru amata vietas, eksperti, "
            "pilsoniskās sabiedrības grupas, nacionālie romu kontaktpunkti, projekti, finansējuma programmas, sanāksmes "
            "un tajās panāktās vienošanās, kā tos norāda publiski avoti; katra avota fakti ir atsevišķā nosauktā grafā.",
            language="lv",
        ),
    )
    add(
        dataset,
        DCTERMS + "description",
        ox.Literal(
            "Ministeeriumid, omavalitsused ja nende osakonnad, sotsiaalteenistused, roma mediaatorite ametikohad, eksperdid, "
            "kodanikuühiskonna rühmad, riiklikud romade kontaktpunktid, projektid, rahastamisprogrammid, kohtumised ja "
            "neil sõlmitud kokkulepped nii, nagu avalikud allikad neid esitavad; iga allika faktid on eraldi nimega graafis.",
            language="et",
        ),
    )
    add(dataset, DCTERMS + "license", _n(LICENCE))
    publisher = ox.BlankNode("publisher")
    add(dataset, DCTERMS + "publisher", publisher)
    add(publisher, RDF + "type", _n(FOAF + "Organization"))
    add(publisher, FOAF + "name", ox.Literal("The rograph developers"))
    add(dataset, DCTERMS + "modified", ox.Literal(built.isoformat(), datatype=_n(XSD + "dateTime")))
    add(dataset, DCTERMS + "conformsTo", _n(ONTOLOGY_IRI))
    add(dataset, DCTERMS + "conformsTo", _n(SHAPES_IRI))
    add(dataset, VOID + "uriSpace", ox.Literal(BASE))
    add(dataset, VOID + "sparqlEndpoint", _n(BASE + SPARQL_PATH))
    for prefix in _VOCABULARIES:
        add(dataset, VOID + "vocabulary", _n(PREFIXES[prefix]))

    union = next(d.triples for d in dumps if d.name == "dataset.ttl")
    add(dataset, VOID + "triples", ox.Literal(union))
    add(
        dataset,
        VOID + "entities",
        ox.Literal(
            queries.count(
                f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{
        GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}")) }}""",
            )
        ),
    )
    add(
        dataset,
        VOID + "distinctSubjects",
        ox.Literal(queries.count("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")),
    )
    add(
        dataset,
        VOID + "distinctObjects",
        ox.Literal(queries.count("SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")),
    )
    add(
        dataset,
        VOID + "properties",
        ox.Literal(queries.count("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")),
    )
    add(
        dataset,
        VOID + "classes",
        ox.Literal(queries.count("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?s a ?c } }")),
    )

    # One partition per class (its entities) and per property (its distinct triples); the query
    # binds ?key (the class or property) and ?n.
    partitions = (
        (
            "class",
            "entities",
            "SELECT (?c AS ?key) (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } } GROUP BY ?c ORDER BY ?c",
        ),
        (
            "property",
            "triples",
            "SELECT (?p AS ?key) (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } } } "
            "GROUP BY ?p ORDER BY ?p",
        ),
    )
    for kind, counted, query in partitions:
        for index, row in enumerate(queries.select(query)):
            partition = ox.BlankNode(f"{kind}{index}")
            add(dataset, VOID + f"{kind}Partition", partition)
            add(partition, VOID + kind, row["key"])
            add(partition, VOID + counted, ox.Literal(int(row["n"].value)))

    # The sources: each one the dataset's graphs are derived from (their facts are counted per
    # graph in the subsets below).
    for row in queries.select(SOURCE_FACTS_QUERY):
        add(dataset, DCTERMS + "source", row["source"])

    # Counted apart from the sources: a graph derived from several sources must not count its
    # triples once per source.
    sources_of: dict[str, list[ox.NamedNode]] = {}
    for row in queries.select(
        f"""SELECT ?g ?source WHERE {{ GRAPH ?g {{ ?g <{PROV}wasDerivedFrom> ?source }} }} ORDER BY ?g ?source"""
    ):
        sources_of.setdefault(row["g"].value, []).append(row["source"])
    for index, (graph, triples_in_graph) in enumerate(graph_counts.items()):
        subset = ox.BlankNode(f"graph{index}")
        add(dataset, VOID + "subset", subset)
        add(subset, RDF + "type", _n(VOID + "Dataset"))
        add(subset, SD + "name", _n(graph))
        add(subset, VOID + "triples", ox.Literal(triples_in_graph))
        for source in sources_of.get(graph, []):
            add(subset, DCTERMS + "source", source)
        if graph == INFERRED_GRAPH:
            add(
                subset,
                DCTERMS + "description",
                ox.Literal(
                    "What RDFS entails from the ontology's subclass and subproperty hierarchy and no source states: "
                    "the rdf:type of every superclass of a stated class, and each statement again with every "
                    "super-property of its property. Derived from the ontology, not from a source.",
                    language="en",
                ),
            )
            add(subset, PROV + "wasDerivedFrom", _n(ONTOLOGY_IRI))

    for row in over_union.select(
        f"""SELECT DISTINCT ?x WHERE {{ {{ SELECT DISTINCT ?x WHERE {{ ?x a ?meeting
        VALUES ?meeting {{ <{RG}Meeting> <{RG}ExpertMeeting> }} }} ORDER BY ?x LIMIT 2 }}
        UNION {{ SELECT ?x WHERE {{ ?x a <{RG}Municipality> }} ORDER BY ?x LIMIT 1 }} }}"""
    ):
        add(dataset, VOID + "exampleResource", row["x"])

    for index, dump in enumerate(dumps):
        download = _n(BASE + DUMPS_PATH + dump.name)
        distribution = ox.BlankNode(f"dump{index}")
        if not dump.compressed:
            add(dataset, VOID + "dataDump", download)
        add(dataset, DCAT + "distribution", distribution)
        add(distribution, RDF + "type", _n(DCAT + "Distribution"))
        add(distribution, DCAT + "downloadURL", download)
        add(distribution, DCAT + "mediaType", _n("https://www.iana.org/assignments/media-types/" + dump.media_type))
        if dump.compressed:
            add(
                distribution,
                DCAT + "compressFormat",
                _n("https://www.iana.org/assignments/media-types/application/gzip"),
            )
        add(distribution, DCAT + "byteSize", ox.Literal(str(dump.byte_size), datatype=_n(XSD + "nonNegativeInteger")))
        add(distribution, DCTERMS + "license", _n(LICENCE))
        checksum = ox.BlankNode(f"checksum{index}")
        add(distribution, SPDX + "checksum", checksum)
        add(checksum, SPDX + "algorithm", _n(SPDX + "checksumAlgorithm_sha256"))
        add(checksum, SPDX + "checksumValue", ox.Literal(dump.sha256, datatype=_n(XSD + "hexBinary")))
        add(distribution, VOID + "triples", ox.Literal(dump.triples))
    # Grouped by subject, the dataset first, so the Turtle reads as one description per node.
    return sorted(triples, key=lambda triple: (triple.subject != dataset, str(triple.subject)))
