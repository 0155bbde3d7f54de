"""What the query editor completes from: this graph's own vocabulary and entities, as JSON.

* ``/query/terms?lang=`` — the predefined prefixes, and every class and property the ontology,
  the shapes and the data use, each with its prefixed name and its label in the reader's
  language. One answer per build and language, cached like any repeated answer.
* ``/query/entities?search=&lang=`` — up to 20 entities whose label (in any language)
  contains the words typed, shown with their label and type in the reader's language.

Both ask the store with SPARQL, so they work on every back end, and the browser asks only this
server: no outside service. What is typed enters a query only as a literal built by pyoxigraph.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
from flask import Blueprint, Response, request

from rograph.namespaces import PREFIXES, RG, RGSH
from rograph.web import context
from rograph.web.describe import Labeller, prefixed
from rograph.web.pages import reader_language, root_url

bp = Blueprint("completion", __name__)

#: Most entities one search returns, and the longest search text taken.
MOST_ENTITIES = 20
LONGEST_SEARCH = 100

_P = {name: f"<{namespace}" for name, namespace in PREFIXES.items()}

_CLASSES = f"""SELECT DISTINCT ?term WHERE {{
  {{ ?term a {_P['owl']}Class> }} UNION {{ ?term a {_P['rdfs']}Class> }} UNION {{ ?thing a ?term }}
  UNION {{ ?term {_P['rdfs']}subClassOf> ?other }} UNION {{ ?other {_P['rdfs']}subClassOf> ?term }}
  UNION {{ ?shape {_P['sh']}targetClass> ?term }} UNION {{ ?shape {_P['sh']}class> ?term }}
  FILTER(isIRI(?term))
}}"""

_PROPERTIES = f"""SELECT DISTINCT ?term WHERE {{
  {{ ?term a {_P['owl']}ObjectProperty> }} UNION {{ ?term a {_P['owl']}DatatypeProperty> }}
  UNION {{ ?term a {_P['rdf']}Property> }} UNION {{ ?thing ?term ?value }} UNION {{ ?shape {_P['sh']}path> ?term }}
  FILTER(isIRI(?term))
}}"""


def name_in_query(iri: str) -> str:
    """How the IRI is written in a query: a prefixed name where a predefined prefix covers it
    and the rest is a plain local name, else the IRI in angle brackets."""
    short = prefixed(iri)
    local = short.split(":", 1)[1] if short != iri else ""
    return short if local and all(c.isalnum() or c in "_-" for c in local) else f"<{iri}>"


def _json(body: dict) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), content_type="application/json",
                    headers={"Cache-Control": "public, max-age=300"})


@bp.get("/query/terms")
def terms() -> Response:
    ctx, lang = context(), reader_language()
    key = ("query-terms", ctx.store.version, lang)
    cached = ctx.answers.get(key)
    if cached is not None:
        return Response(cached[0], content_type=cached[1], headers={"Cache-Control": "public, max-age=300"})
    labeller = Labeller(ctx.store, lang, root_url())
    found = {kind: sorted({row["term"].value for row in ctx.store.query(query)})
             for kind, query in (("classes", _CLASSES), ("properties", _PROPERTIES))}
    labeller.fetch(iri for iris in found.values() for iri in iris)
    body = {"prefixes": PREFIXES}
    for kind, iris in found.items():
        body[kind] = [{"iri": iri, "name": name_in_query(iri), "label": labeller.label(iri)} for iri in iris]
    response = _json(body)
    ctx.answers.put(key, response.get_data(), response.content_type)
    return response


@bp.get("/query/entities")
def entities() -> Response:
    ctx, lang = context(), reader_language()
    search = " ".join(request.args.get("search", "").split())[:LONGEST_SEARCH]
    if len(search) < 2:
        return _json({"entities": []})
    text = ox.Literal(search.lower())
    rows = ctx.store.query(f"""SELECT ?entity (SAMPLE(?label) AS ?matched) WHERE {{
        ?entity {_P['rdfs']}label>|{_P['skos']}prefLabel> ?label .
        FILTER(isIRI(?entity) && CONTAINS(LCASE(STR(?label)), {text})
               && !STRSTARTS(STR(?entity), "{RG}") && !STRSTARTS(STR(?entity), "{RGSH}"))
    }} GROUP BY ?entity LIMIT {MOST_ENTITIES * 5}""")
    iris = sorted({row["entity"].value for row in rows})
    if not iris:
        return _json({"entities": []})
    labeller = Labeller(ctx.store, lang, root_url())
    types = _most_specific_types(iris)
    labeller.fetch([*iris, *types.values()])

    def rank(iri: str) -> tuple:
        label = labeller.label(iri).lower()
        return (not label.startswith(search.lower()), search.lower() not in label, len(label), iri)

    chosen = sorted(iris, key=rank)[:MOST_ENTITIES]
    return _json({"entities": [{"iri": iri, "name": name_in_query(iri), "label": labeller.label(iri),
                                "type": labeller.label(types[iri]) if iri in types else ""} for iri in chosen]})


def _most_specific_types(iris: list[str]) -> dict[str, str]:
    """Each entity's type with the most superclasses: ``rg:Municipality`` rather than the
    ``org:Organization`` the class hierarchy also gives it."""
    values = " ".join(str(ox.NamedNode(iri)) for iri in iris)
    rows = context().store.query(f"""SELECT ?entity ?type (COUNT(DISTINCT ?super) AS ?depth) WHERE {{
        VALUES ?entity {{ {values} }} ?entity a ?type . OPTIONAL {{ ?type {_P['rdfs']}subClassOf>+ ?super }}
    }} GROUP BY ?entity ?type""")
    best: dict[str, tuple[int, str]] = {}
    for row in rows:
        entity, candidate = row["entity"].value, (int(row["depth"].value), row["type"].value)
        if entity not in best or candidate > best[entity]:
            best[entity] = candidate
    return {entity: type_iri for entity, (_, type_iri) in best.items()}
