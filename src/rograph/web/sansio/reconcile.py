"""The W3C Reconciliation Service API, version 0.2, without I/O: reading a query batch, checking
it, and the manifest.

Spec: the Entity Reconciliation Community Group's final report, version 0.2
(https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/). A batch is a
JSON object of queries by id; each query has ``query`` and/or ``properties``, and may have
``type``, ``limit`` and ``type_strict``. Anything else is refused with a message naming the
query and the field, as the spec's schema does (``additionalProperties: false``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

#: Queries accepted in one batch (announced as the manifest's ``batchSize``; more is 413).
BATCH_SIZE = 50
DEFAULT_LIMIT = 5
MAX_LIMIT = 100
#: Suggestions per suggest response page.
SUGGEST_PAGE = 10
PREVIEW_WIDTH, PREVIEW_HEIGHT = 400, 160
_QUERY_FIELDS = {"query", "type", "limit", "properties", "type_strict"}


class ReconcileError(ValueError):
    """A query batch the service cannot answer; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class PropertyConstraint:
    pid: str
    #: Strings, numbers, booleans, or entity ids (from ``{"id": …}`` values).
    values: tuple[str | float | bool, ...]
    ids: tuple[str, ...]


@dataclass(frozen=True)
class Query:
    key: str
    text: str
    types: tuple[str, ...]
    limit: int
    properties: tuple[PropertyConstraint, ...]


def parse_batch(raw: str) -> list[Query]:
    """The queries of a ``queries=`` parameter, checked."""
    try:
        batch = json.loads(raw)
    except ValueError as error:
        raise ReconcileError(f"queries: not JSON ({error})") from None
    if not isinstance(batch, dict):
        raise ReconcileError('queries: a batch is a JSON object of queries by id, e.g. {"q0": {"query": "Valga"}}')
    if len(batch) > BATCH_SIZE:
        raise ReconcileError(
            f"queries: {len(batch)} queries in one batch; at most {BATCH_SIZE} (the manifest's batchSize)", 413
        )
    return [_parse_query(key, value) for key, value in batch.items()]


def _parse_query(key: str, value: object) -> Query:
    where = f"queries[{json.dumps(key)}]"
    if not isinstance(value, dict):
        raise ReconcileError(f'{where}: a query is an object with "query" and/or "properties"')
    unknown = sorted(set(value) - _QUERY_FIELDS)
    if unknown:
        raise ReconcileError(
            f"{where}: unknown field {', '.join(unknown)}; a query has {', '.join(sorted(_QUERY_FIELDS))}"
        )
    text = value.get("query", "")
    if not isinstance(text, str):
        raise ReconcileError(f"{where}.query: a string")
    types = value.get("type", [])
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise ReconcileError(f"{where}.type: a type id or a list of type ids")
    limit = value.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit < 1 or int(limit) != limit:
        raise ReconcileError(f"{where}.limit: a positive integer")
    if value.get("type_strict", "any") not in ("any", "should", "all"):
        raise ReconcileError(f"{where}.type_strict: one of any, should, all")
    properties = value.get("properties", [])
    if not isinstance(properties, list):
        raise ReconcileError(f'{where}.properties: a list of {{"pid": …, "v": …}}')
    constraints = tuple(_parse_property(f"{where}.properties[{index}]", p) for index, p in enumerate(properties))
    if not text.strip() and not constraints:
        raise ReconcileError(f'{where}: give a non-empty "query" or at least one property')
    return Query(key, text.strip(), tuple(types), min(int(limit), MAX_LIMIT), constraints)


def _parse_property(where: str, value: object) -> PropertyConstraint:
    if not isinstance(value, dict) or set(value) - {"pid", "v"} or "pid" not in value or "v" not in value:
        raise ReconcileError(f'{where}: an object with "pid" and "v"')
    if not isinstance(value["pid"], str):
        raise ReconcileError(f"{where}.pid: a property id")
    raw = value["v"] if isinstance(value["v"], list) else [value["v"]]
    plain, ids = [], []
    for item in raw:
        if isinstance(item, dict):
            if not isinstance(item.get("id"), str):
                raise ReconcileError(f'{where}.v: an entity value needs an "id" string')
            ids.append(item["id"])
        elif isinstance(item, (str, int, float, bool)):
            plain.append(item)
        else:
            raise ReconcileError(f'{where}.v: a string, number, boolean or {{"id": …}}')
    return PropertyConstraint(value["pid"], tuple(plain), tuple(ids))


def manifest(
    *, root: str, name: str, identifier_space: str, schema_space: str, version: str, default_types: list[dict[str, str]]
) -> dict[str, Any]:
    """The service manifest, answered to a GET without parameters. ``root`` ends with a slash."""
    service = root + "reconcile"
    return {
        "versions": ["0.2"],
        "name": name,
        "identifierSpace": identifier_space,
        "schemaSpace": schema_space,
        "documentation": root + "ontology",
        "serviceVersion": version,
        "defaultTypes": default_types,
        "view": {"url": root + "{{id}}"},
        "preview": {"url": service + "/preview?id={{id}}", "width": PREVIEW_WIDTH, "height": PREVIEW_HEIGHT},
        "suggest": {
            kind: {"service_url": service, "service_path": f"/suggest/{kind}"}
            for kind in ("entity", "type", "property")
        },
        "batchSize": BATCH_SIZE,
    }


def cursor_of(raw: str | None) -> int:
    if raw in (None, ""):
        return 0
    if not raw.isdigit():
        raise ReconcileError(f"cursor={raw!r}: a number of suggestions to skip (0, 10, …)")
    return int(raw)
