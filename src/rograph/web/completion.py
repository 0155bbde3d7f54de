"""What the query editor completes from: this graph's own vocabulary and entities, as JSON.

* ``/query/terms?lang=`` — the predefined prefixes, and every class and property the ontology,
  the shapes and the data use, each with its prefixed name and its label in the reader's
  language. One answer per build and language, cached like any repeated answer.
* ``/query/entities?search=&lang=`` — up to 20 entities whose name (in any language)
  starts with, has a word starting with, or contains what is typed, shown with their label
  and type in the reader's language. They come from the entity index the search page and the
  reconciliation service use (``web/entity_index.py``): one index of names per build.

Both are built from the store with SPARQL, so they work on every back end, and the browser asks
only this server: no outside service. What is typed never enters a query.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, request

from rograph.namespaces import PREFIXES, prefixed
from rograph.web.context import context
from rograph.web.describe import Labeller
from rograph.web.entity_index import index_of
from rograph.web.matching import fold
from rograph.web.pages import reader_language, root_url

bp = Blueprint("completion", __name__)

#: Most entities one search returns, and the longest search text taken.
MOST_ENTITIES = 20
LONGEST_SEARCH = 100

_P = {name: f"<{namespace}" for name, namespace in PREFIXES.items()}

_CLASSES = f"""SELECT DISTINCT ?term WHERE {{
  {{ ?term a {_P["owl"]}Class> }} UNION {{ ?term a {_P["rdfs"]}Class> }} UNION {{ ?thing a ?term }}
  UNION {{ ?term {_P["rdfs"]}subClassOf> ?other }} UNION {{ ?other {_P["rdfs"]}subClassOf> ?term }}
  UNION {{ ?shape {_P["sh"]}targetClass> ?term }} UNION {{ ?shape {_P["sh"]}class> ?term }}
  FILTER(isIRI(?term))
}}"""

_PROPERTIES = f"""SELECT DISTINCT ?term WHERE {{
  {{ ?term a {_P["owl"]}ObjectProperty> }} UNION {{ ?term a {_P["owl"]}DatatypeProperty> }}
  UNION {{ ?term a {_P["rdf"]}Property> }} UNION {{ ?thing ?term ?value }} UNION {{ ?shape {_P["sh"]}path> ?term }}
  FILTER(isIRI(?term))
}}"""


def name_in_query(iri: str) -> str:
    """How the IRI is written in a query: a prefixed name where a predefined prefix covers it
    and the rest is a plain local name, else the IRI in angle brackets."""
    short = prefixed(iri)
    local = short.split(":", 1)[1] if short != iri else ""
    return short if local and all(c.isalnum() or c in "_-" for c in local) else f"<{iri}>"


def _json(body: dict) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        headers={"Cache-Control": "public, max-age=300"},
    )


@bp.get("/query/terms")
def terms() -> Response:
    ctx, lang = context(), reader_language()
    key = ("query-terms", ctx.store.version, lang)
    cached = ctx.answers.get(key)
    if cached is not None:
        return Response(cached[0], content_type=cached[1], headers={"Cache-Control": "public, max-age=300"})
    labeller = Labeller(ctx.store, lang, root_url())
    found = {
        kind: sorted({row["term"].value for row in ctx.store.select(query)})
        for kind, query in (("classes", _CLASSES), ("properties", _PROPERTIES))
    }
    labeller.fetch(iri for iris in found.values() for iri in iris)
    body: dict[str, Any] = {"prefixes": PREFIXES}
    for kind, iris in found.items():
        body[kind] = [{"iri": iri, "name": name_in_query(iri), "label": labeller.label(iri)} for iri in iris]
    response = _json(body)
    ctx.answers.put(key, response.get_data(), response.content_type)
    return response


@bp.get("/query/entities")
def entities() -> Response:
    """The entities of the search page and the reconciliation service (one index of names)
    and the ontology's concepts, matched as the editor needs: a name starting with what is
    typed, then a word of it, then anywhere inside it, in any language, inflection or spelling
    without diacritics; names in the reader's language first among the first."""
    ctx, lang = context(), reader_language()
    search = " ".join(request.args.get("search", "").split())[:LONGEST_SEARCH]
    if len(fold(search)) < 2:
        return _json({"entities": []})
    index = index_of(ctx.store)
    found = []
    pool = {**index.entities, **index.concepts}
    for entry in index.suggest(pool, search, inside_words=True, lang=lang)[:MOST_ENTITIES]:
        cls = index.main_type(entry)
        type_label = (index.classes[cls].label(lang) if cls in index.classes else prefixed(cls)) if cls else ""
        found.append(
            {"iri": entry.iri, "name": name_in_query(entry.iri), "label": entry.label(lang), "type": type_label}
        )
    return _json({"entities": found})
