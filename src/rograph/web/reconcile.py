"""``/reconcile``: the W3C Reconciliation Service API 0.2 over the graph, so that OpenRefine (or
any client of the API) matches a spreadsheet of organisations or towns against it.

Entity ids are the part of an IRI after the base (``place/valga``), so that the manifest's
``identifierSpace`` plus an id is the IRI and ``view`` opens its page on this server; a full
IRI is accepted wherever an id is. Types and properties are given by prefixed name
(``schema:City``) and accepted as full IRIs too. The protocol's parsing is in
:mod:`rograph.web.sansio.reconcile`, the matching in :mod:`rograph.web.matching`.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from rograph import __version__
from rograph.namespaces import BASE, PREFIXES, RG, prefixed
from rograph.web.context import context
from rograph.web.entity_index import EntityIndex, Entry, index_of
from rograph.web.matching import fold, score, stems
from rograph.web.pages import HTML_HEADERS, reader_language, service_root
from rograph.web.responses import CORS_HEADERS, plain_text_error
from rograph.web.sansio.linked_data import address_of
from rograph.web.sansio.reconcile import (
    PREVIEW_HEIGHT,
    PREVIEW_WIDTH,
    SUGGEST_PAGE,
    PropertyConstraint,
    Query,
    ReconcileError,
    cursor_of,
    manifest,
    parse_batch,
)

bp = Blueprint("reconcile", __name__, url_prefix="/reconcile")

#: Types offered to a client that has not chosen one.
DEFAULT_TYPES = (
    PREFIXES["org"] + "Organization",
    PREFIXES["schema"] + "Place",
    RG + "Project",
    RG + "Meeting",
    RG + "RomaMediatorPost",
)
#: Candidates looked at per query before properties are compared.
CANDIDATE_POOL = 50
#: A property value matches a text value from this name score up.
PROPERTY_MATCH = 0.8
#: Weight of the name in the score when properties are given too.
NAME_SHARE = 0.8


def _json(body: dict, status: int = 200) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
        headers=CORS_HEADERS,
    )


def _error(error: ReconcileError) -> Response:
    return _json({"error": str(error)}, error.status)


def entity_id(iri: str) -> str:
    return iri[len(BASE) :] if iri.startswith(BASE) else iri


def entity_iri(identifier: str) -> str:
    return identifier if identifier.startswith(("http://", "https://")) else BASE + identifier.lstrip("/")


def term_iri(identifier: str) -> str:
    """``schema:City`` or a full IRI → the IRI."""
    prefix, sep, local = identifier.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return identifier


def _type_objects(index: EntityIndex, types: list[str], lang: str) -> list[dict]:
    return [
        {"id": prefixed(t), "name": index.classes[t].label(lang) if t in index.classes else prefixed(t)} for t in types
    ]


@bp.route("", methods=["GET", "POST"])
def endpoint() -> Response:
    raw = request.values.get("queries")
    index = index_of(context().store)
    lang = reader_language()
    if raw is None:
        default_types = [
            {"id": prefixed(t), "name": index.classes[t].label(lang) if t in index.classes else prefixed(t)}
            for t in DEFAULT_TYPES
        ]
        return _json(
            manifest(
                root=service_root(),
                name="rograph: actors in Roma integration",
                identifier_space=BASE,
                schema_space=str(RG),
                version=__version__,
                default_types=default_types,
            )
        )
    try:
        queries = parse_batch(raw)
    except ReconcileError as error:
        return _error(error)
    return _json({query.key: {"result": _reconcile(index, query, lang)} for query in queries})


def _reconcile(index: EntityIndex, query: Query, lang: str) -> list[dict]:
    types = {term_iri(t) for t in query.types}
    if query.text:
        hits = index.match(query.text, types=types or None)[:CANDIDATE_POOL]
        # An identifier as the query finds its entity (the spec's expectation).
        by_id = index.entities.get(entity_iri(query.text))
        name_scores = {hit.entry.iri: hit.score for hit in hits}
        candidates = [hit.entry for hit in hits]
        if by_id is not None and (not types or index.subclasses_of(types) & set(by_id.types)):
            name_scores[by_id.iri] = 1.0
            candidates = [by_id] + [c for c in candidates if c is not by_id]
    else:
        allowed = index.subclasses_of(types) if types else None
        candidates = [e for e in index.entities.values() if allowed is None or allowed & set(e.types)]
        name_scores = {}
    property_scores = _property_scores(index, candidates, query.properties) if query.properties else {}

    results = []
    for entry in candidates:
        name = name_scores.get(entry.iri, 0.0)
        prop = property_scores.get(entry.iri, 0.0)
        if query.text and query.properties:
            total = NAME_SHARE * name + (1 - NAME_SHARE) * prop
        else:
            total = name if query.text else prop
        if total <= 0:
            continue
        results.append((total, entry, name, prop))
    results.sort(key=lambda r: (-r[0], r[1].label("en").lower(), r[1].iri))
    results = results[: query.limit]
    out = []
    for position, (total, entry, name, prop) in enumerate(results):
        runner_up = results[position + 1][0] if position + 1 < len(results) else 0.0
        features = [
            {"id": "name_match", "value": round(name, 4)},
            {"id": "popularity", "value": round(entry.popularity, 4)},
        ]
        if query.properties:
            features.append({"id": "property_match", "value": round(prop, 4)})
        if types:
            features.append({"id": "type_match", "value": True})
        candidate = {
            "id": entity_id(entry.iri),
            "name": entry.label(lang),
            "score": round(100 * total, 2),
            "type": _type_objects(index, entry.types, lang),
            "features": features,
            "match": position == 0
            and total >= 0.95
            and total - runner_up >= 0.1
            and (not query.properties or prop == 1.0),
        }
        description = entry.description(lang)
        if description:
            candidate["description"] = description
        out.append(candidate)
    return out


def _property_scores(
    index: EntityIndex, candidates: list[Entry], constraints: tuple[PropertyConstraint, ...]
) -> dict[str, float]:
    """For each candidate, the share of the query's properties it has a matching value for."""
    store = context().store
    matched: dict[str, int] = {}
    for constraint in constraints:
        pid = term_iri(constraint.pid)
        try:
            predicate = ox.NamedNode(pid)
        except ValueError:
            continue
        values: dict[str, list] = {}
        for start in range(0, len(candidates), 200):
            batch = " ".join(str(ox.NamedNode(c.iri)) for c in candidates[start : start + 200])
            for row in store.select(
                f"SELECT ?s ?o WHERE {{ VALUES ?s {{ {batch} }} GRAPH ?g {{ ?s {predicate} ?o }} }}"
            ):
                values.setdefault(row["s"].value, []).append(row["o"])
        wanted_ids = {entity_iri(i) for i in constraint.ids}
        for iri, found in values.items():
            if any(_value_matches(index, value, constraint.values, wanted_ids) for value in found):
                matched[iri] = matched.get(iri, 0) + 1
    return {iri: count / len(constraints) for iri, count in matched.items()}


def _value_matches(index: EntityIndex, value, plain: tuple, wanted_ids: set[str]) -> bool:
    if isinstance(value, ox.NamedNode):
        if value.value in wanted_ids:
            return True
        entry = index.entities.get(value.value)
        names = entry.names if entry else []
        texts = [str(v) for v in plain if isinstance(v, str)]
        return any(v == entity_id(value.value) or v == value.value for v in texts) or any(
            score(fold(text), stems(text), name, index.weights) >= PROPERTY_MATCH for text in texts for name in names
        )
    if isinstance(value, ox.Literal):
        for wanted in plain:
            if isinstance(wanted, bool):
                if value.value == ("true" if wanted else "false"):
                    return True
            elif isinstance(wanted, (int, float)):
                try:
                    if float(value.value) == float(wanted):
                        return True
                except ValueError:
                    continue
            elif fold(wanted) == fold(value.value) or (stems(wanted) and stems(wanted) == stems(value.value)):
                return True
    return False


# ------------------------------------------------------------------------------ suggest


@bp.get("/suggest/<kind>")
def suggest(kind: str) -> Response:
    index = index_of(context().store)
    pools = {"entity": index.entities, "type": index.classes, "property": index.properties}
    if kind not in pools:
        return _json({"error": f"no suggest service for {kind!r}; there are entity, type and property"}, 404)
    try:
        cursor = cursor_of(request.args.get("cursor"))
    except ReconcileError as error:
        return _error(error)
    prefix = request.args.get("prefix", "")
    lang = reader_language()
    pool = pools[kind]
    if kind != "entity":
        prefix = term_iri(prefix) if ":" in prefix and prefix.split(":", 1)[0] in PREFIXES else prefix
    found = index.suggest(pool, prefix)[cursor : cursor + SUGGEST_PAGE]
    result = []
    for entry in found:
        item: dict[str, Any] = {
            "id": entity_id(entry.iri) if kind == "entity" else prefixed(entry.iri),
            "name": entry.label(lang),
        }
        description = entry.description(lang)
        if description:
            item["description"] = description
        if kind == "entity":
            item["notable"] = _type_objects(index, entry.types, lang)
        result.append(item)
    return _json({"result": result})


# ------------------------------------------------------------------------------ preview


@bp.get("/preview")
def preview() -> Response:
    index = index_of(context().store)
    identifier = request.args.get("id", "")
    entry = index.entities.get(entity_iri(identifier))
    headers = {
        **HTML_HEADERS,
        **CORS_HEADERS,
        # Shown in an iframe of the client (OpenRefine), unlike every other page.
        "Content-Security-Policy": HTML_HEADERS["Content-Security-Policy"].replace(
            "frame-ancestors 'none'", "frame-ancestors *"
        ),
    }
    if entry is None:
        return plain_text_error(404, f"no entity with id {identifier!r}")
    lang = reader_language()
    body = render_template(
        "reconcile_preview.html",
        entry=entry,
        label=entry.label(lang),
        description=entry.description(lang),
        types=[t["name"] for t in _type_objects(index, entry.types, lang)],
        href=address_of(entry.iri, service_root()),
        width=PREVIEW_WIDTH,
        height=PREVIEW_HEIGHT,
    )
    return Response(body, content_type="text/html; charset=utf-8", headers=headers)
