"""The IRIs rograph mints, kept in one place.

Every IRI the project publishes starts with :data:`BASE`. Entities follow one rule,
``{BASE}{kind}/{slug}`` (see :func:`entity_iri`), so an IRI says what it names and never
changes when a label does. Ontology terms and shapes use hash namespaces so that each
resolves to the document that defines it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import Namespace

BASE = "https://w3id.org/rograph/"

#: The ontology document and its terms (``rg:Meeting``).
ONTOLOGY_IRI = BASE + "ontology"
RG = Namespace(ONTOLOGY_IRI + "#")
#: The owl:versionIRI of ontology/rograph.ttl, which curation activities name in prov:used
#: (tests/test_synth.py checks the two agree).
ONTOLOGY_VERSION_IRI = ONTOLOGY_IRI + "/0.2.0"

#: The SHACL shapes document and its shapes (``rgsh:MeetingShape``).
SHAPES_IRI = BASE + "shapes"
RGSH = Namespace(SHAPES_IRI + "#")

#: The dataset as a whole (VoID/DCAT description).
DATASET_IRI = BASE + "dataset"

#: Named graphs holding the ontology and the shapes once loaded into the store.
ONTOLOGY_GRAPH = BASE + "graph/ontology"
SHAPES_GRAPH = BASE + "graph/shapes"
#: The RDFS consequences of the ontology that no source states (rograph.store.entailment): a
#: graph of its own, so that what each source said stays apart from what follows from it.
INFERRED_GRAPH = BASE + "graph/inferred"

#: Prefixes offered to SPARQL users and used when serialising.
PREFIXES: dict[str, str] = {
    "rg": str(RG),
    "rgsh": str(RGSH),
    "org": "http://www.w3.org/ns/org#",
    "m8g": "http://data.europa.eu/m8g/",
    "oa": "http://www.w3.org/ns/oa#",
    "spdx": "http://spdx.org/rdf/terms#",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

#: The vocabularies the code names terms of (``SH + "path"``, ``RDF.type``): one home, the
#: namespaces of :data:`PREFIXES`.
RDF, RDFS, OWL, XSD = (Namespace(PREFIXES[p]) for p in ("rdf", "rdfs", "owl", "xsd"))
SH, SKOS, PROV, DCTERMS = (Namespace(PREFIXES[p]) for p in ("sh", "skos", "prov", "dcterms"))
ORG, SCHEMA, VOID, DCAT, SPDX = (Namespace(PREFIXES[p]) for p in ("org", "schema", "void", "dcat", "spdx"))
FOAF, M8G, OA = (Namespace(PREFIXES[p]) for p in ("foaf", "m8g", "oa"))
#: SPARQL 1.1 Service Description: the service and its named graphs are described with it, but
#: it is not a prefix offered to users (their data does not use it); nor is the next one.
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
#: The W3C's IRIs for media formats (``FORMATS.Turtle``), which a service description names.
FORMATS = Namespace("http://www.w3.org/ns/formats/")

#: The namespaces of :data:`PREFIXES`, longest first: where one namespace begins another, the
#: longer one names the IRI.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def prefixed(iri: str, *, sparql: bool = False) -> str:
    """``https://schema.org/startDate`` as ``schema:startDate``; other IRIs unchanged.

    The one IRI shortener. With ``sparql``, the result is a term SPARQL and Turtle read back:
    an IRI that no prefix fits, or whose local part holds ``/`` or ``#``, is written ``<iri>``.
    """
    for prefix, namespace in _BY_LENGTH:
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and local and not (sparql and ("/" in local or "#" in local)):
            return f"{prefix}:{local}"
    return f"<{iri}>" if sparql else iri


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def entity_iri(kind: str, slug: str) -> str:
    """Mint the IRI of an entity: ``{BASE}{kind}/{slug}``.

    ``kind`` is the singular, lower-case English name of the entity's kind
    (``organisation``, ``place``, ``post``, ``meeting`` ...) and ``slug`` its English name in
    lower-case ASCII words joined by hyphens (``valga-city-government``). Both are checked so
    that a typo cannot mint an IRI nobody can type back.
    """
    for part, value in (("kind", kind), ("slug", slug)):
        if not _SLUG.match(value):
            raise ValueError(f"{part} {value!r} is not lower-case ASCII words joined by hyphens")
    return f"{BASE}{kind}/{slug}"


def prefixes_used(iris: Iterable[str]) -> dict[str, str]:
    """The prefixes a document with these IRIs needs: those of :data:`PREFIXES` it uses, and
    one per kind of the project's own IRIs (``organisation:`` for ``{BASE}organisation/…``),
    so that a Turtle document is short to read and declares nothing it does not use."""
    used: dict[str, str] = {}
    for iri in iris:
        for prefix, namespace in PREFIXES.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                used[prefix] = namespace
                break
        else:
            kind, slash, rest = iri[len(BASE) :].partition("/") if iri.startswith(BASE) else ("", "", "")
            if slash and rest and _SLUG.match(kind) and kind not in PREFIXES:
                used[kind] = f"{BASE}{kind}/"
    return dict(sorted(used.items()))
