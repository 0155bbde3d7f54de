"""What a page tells search engines and general-purpose crawlers: the statements its RDF
document makes about the page's subject, as JSON-LD, with their schema.org reading added (a
schema.org type, ``schema:name``, ``schema:description``, ``schema:url``) so that a crawler
that knows only schema.org (and DCAT, for the dataset) understands the page.

Nothing here is new knowledge: every added statement restates one the document makes (its
label, its description, a class of the ontology's hierarchy or the schema.org class closest to
it), so the embedded data always agrees with the page's Turtle.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox
from markupsafe import Markup

from rograph.namespaces import DCAT, DCTERMS, FOAF, M8G, ORG, OWL, RDF, RDFS, SCHEMA, SKOS, VOID
from rograph.store import Store
from rograph.web.describe import class_levels

RDF_TYPE = ox.NamedNode(RDF + "type")
NAMES = (RDFS + "label", SKOS + "prefLabel", DCTERMS + "title")
DESCRIPTION = DCTERMS + "description"

#: The schema.org class closest to a class of a reused vocabulary that is not schema.org's.
SCHEMA_CLASSES = {
    ORG + "Organization": "Organization",
    ORG + "FormalOrganization": "Organization",
    ORG + "OrganizationalUnit": "Organization",
    M8G + "PublicOrganisation": "GovernmentOrganization",
    FOAF + "Document": "DigitalDocument",
    SKOS + "Concept": "DefinedTerm",
    SKOS + "ConceptScheme": "DefinedTermSet",
    OWL + "Ontology": "DefinedTermSet",
    DCAT + "Dataset": "Dataset",
    VOID + "Dataset": "Dataset",
}


def describing(quads: Iterable[ox.Quad | ox.Triple], subject: str) -> list[ox.Triple]:
    """The statements about ``subject`` and, recursively, about the blank nodes they point to
    (its concise bounded description), each once."""
    by_subject: dict[ox.NamedNode | ox.BlankNode | ox.Triple, list[ox.Triple]] = defaultdict(list)
    for quad in quads:
        by_subject[quad.subject].append(ox.Triple(quad.subject, quad.predicate, quad.object))
    found: dict[ox.Triple, None] = {}
    todo: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(subject)]
    while todo:
        for triple in by_subject.pop(todo.pop(), []):
            found.setdefault(triple)
            if isinstance(triple.object, ox.BlankNode):
                todo.append(triple.object)
    return list(found)


def schema_types(store: Store, classes: Iterable[str]) -> list[str]:
    """The schema.org classes of things of ``classes``: schema.org superclasses from the
    ontology's hierarchy, else the closest schema.org class of a reused one, else Thing."""
    found: dict[str, None] = {}
    for level in class_levels(store, classes):
        for cls in level:
            if cls.startswith(SCHEMA):
                found.setdefault(cls)
            elif cls in SCHEMA_CLASSES:
                found.setdefault(SCHEMA + SCHEMA_CLASSES[cls])
    return list(found) or [SCHEMA + "Thing"]


def json_ld(store: Store, quads: Iterable[ox.Quad | ox.Triple], subject: str, page_url: str) -> Markup:
    """The ``<script type="application/ld+json">`` body for the page of ``subject``."""
    triples = describing(quads, subject)
    node = ox.NamedNode(subject)
    classes = [t.object.value for t in triples if t.predicate == RDF_TYPE and isinstance(t.object, ox.NamedNode)]
    added = [ox.Triple(node, RDF_TYPE, ox.NamedNode(cls)) for cls in schema_types(store, classes)]
    added += [
        ox.Triple(node, ox.NamedNode(SCHEMA + "name"), t.object)
        for t in triples
        if t.predicate.value in NAMES and t.subject == node
    ]
    added += [
        ox.Triple(node, ox.NamedNode(SCHEMA + "description"), t.object)
        for t in triples
        if t.predicate.value == DESCRIPTION and t.subject == node and isinstance(t.object, ox.Literal)
    ]
    # With no public URL set, links are relative (a forged Host must not get in): the page's
    # address is then the published IRI itself, which resolves to this page.
    url = page_url if page_url.startswith(("http://", "https://")) else subject
    added.append(ox.Triple(node, ox.NamedNode(SCHEMA + "url"), ox.NamedNode(url)))
    out = io.BytesIO()
    ox.serialize(list(dict.fromkeys(triples + added)), out, ox.RdfFormat.JSON_LD)
    # "<" only occurs inside JSON strings, where \u003c means the same: the block cannot end
    # the script element or open a comment, whatever the data says.
    return Markup(out.getvalue().decode("utf-8").replace("<", "\\u003c"))
