"""The IRIs rograph mints, kept in one place.

Every IRI the project publishes starts with :data:`BASE`. Entities follow one rule,
``{BASE}{kind}/{slug}`` (see :func:`entity_iri`), so an IRI says what it names and never
changes when a label does. Ontology terms and shapes use hash namespaces so that each
resolves to the document that defines it.
"""

from __future__ import annotations

import re

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
