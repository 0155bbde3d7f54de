"""``/reconcile`` as OpenRefine and other clients of the W3C Reconciliation Service API 0.2 use
it, on the real server (both back ends), checked against the specification's own JSON schemas
and examples (tests/fixtures/reconciliation-0.2, see its README)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import requests
from referencing import Registry
from referencing.jsonschema import DRAFT7

FIXTURES = Path(__file__).parent / "fixtures" / "reconciliation-0.2"
SPEC_BASE = "https://reconciliation-api.github.io/specs/0.2/schemas/"


def _registry() -> Registry:
    """The spec's schemas by their published addresses, so ``"$ref": "type.json"`` resolves."""
    return Registry().with_resources(
        (SPEC_BASE + path.name, DRAFT7.create_resource(json.loads(path.read_text(encoding="utf-8"))))
        for path in (FIXTURES / "schemas").glob("*.json")
    )


REGISTRY = _registry()


def validator(name: str) -> jsonschema.Draft7Validator:
    schema = json.loads((FIXTURES / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema, registry=REGISTRY)


def check(name: str, instance) -> None:
    errors = sorted(validator(name).iter_errors(instance), key=str)
    assert not errors, f"not a valid {name}: " + "; ".join(e.message for e in errors)


def examples(kind: str, validity: str) -> list[Path]:
    return sorted((FIXTURES / "examples" / kind / validity).glob("*.json"))


def test_the_schemas_tell_the_spec_examples_apart():
    """The vendored schemas work as the spec means them: its valid examples pass, its invalid fail."""
    for kind in ("reconciliation-query-batch", "reconciliation-result-batch"):
        for path in examples(kind, "valid"):
            check(kind, json.loads(path.read_text()))
        for path in examples(kind, "invalid"):
            assert list(validator(kind).iter_errors(json.loads(path.read_text()))), path


def reconcile(server, batch: dict, method: str = "post", **kwargs) -> requests.Response:
    send = requests.post if method == "post" else requests.get
    key = "data" if method == "post" else "params"
    return send(server.url + "/reconcile", **{key: {"queries": json.dumps(batch)}}, timeout=30, **kwargs)


def test_manifest(live_server):
    answer = requests.get(live_server.url + "/reconcile", timeout=10)
    assert answer.status_code == 200 and answer.headers["Access-Control-Allow-Origin"] == "*"
    assert answer.headers["Content-Type"].startswith("application/json")
    manifest = answer.json()
    check("manifest", manifest)
    assert manifest["versions"] == ["0.2"]
    assert manifest["identifierSpace"] == "https://w3id.org/rograph/"
    assert {t["id"] for t in manifest["defaultTypes"]} >= {"org:Organization", "schema:Place"}
    # Every service the manifest announces answers where it says.
    for kind in ("entity", "type", "property"):
        service = manifest["suggest"][kind]
        assert (
            requests.get(
                service["service_url"] + service["service_path"], params={"prefix": "v"}, timeout=10
            ).status_code
            == 200
        )
    preview = requests.get(
        manifest["preview"]["url"].replace("{{id}}", requests.utils.quote("place/valga", safe="")), timeout=10
    )
    assert preview.status_code == 200 and "Valga" in preview.text
    view = requests.get(manifest["view"]["url"].replace("{{id}}", "place/valga"), timeout=10)
    assert view.status_code == 200 and "Valga" in view.text


@pytest.mark.parametrize("path", examples("reconciliation-query-batch", "valid"), ids=lambda p: p.name)
def test_the_specs_valid_query_batches_get_valid_result_batches(live_server, path):
    batch = json.loads(path.read_text())
    for method in ("post", "get"):
        answer = reconcile(live_server, batch, method)
        assert answer.status_code == 200, answer.text
        assert answer.headers["Access-Control-Allow-Origin"] == "*"
        check("reconciliation-result-batch", answer.json())
        assert set(answer.json()) == set(batch)


@pytest.mark.parametrize("path", examples("reconciliation-query-batch", "invalid"), ids=lambda p: p.name)
def test_the_specs_invalid_query_batches_are_refused_with_what_and_where(live_server, path):
    batch = json.loads(path.read_text())
    answer = reconcile(live_server, batch)
    assert answer.status_code == 400
    assert answer.json()["error"].startswith(f'queries["{next(iter(batch))}"]')


# (query, options, expected first candidate)
REAL_QUERIES = [
    ("Valga", {}, "place/valga"),
    ("Valgā", {}, "place/valga"),  # Latvian locative
    ("Valgas", {}, "place/valga"),  # Latvian genitive, Estonian inessive
    ("Valgast", {}, "place/valga"),  # Estonian elative
    ("VALGA", {}, "place/valga"),
    ("valga vald", {}, "place/valga-parish"),  # Valga rural municipality, of which Valga town is part
    ("Jelgavā", {}, "place/jelgava"),
    ("Valmierā", {}, "place/valmiera"),
    ("Valkā", {}, "place/valka"),
    ("Läti", {}, "place/latvia"),  # Estonian label
    ("Igaunija", {}, "place/estonia"),  # Latvian label
    ("Valkas novada dome", {}, "organisation/valka-municipal-council"),
    ("Valkas novada domes Socialais dienests", {}, "organisation/valka-social-service"),  # no diacritics
    ("Latvian Ministry of Culture", {"type": "org:Organization"}, "organisation/latvia-ministry-of-culture"),
    ("Kultuuriministeerium", {}, "organisation/estonia-ministry-of-culture"),
    ("Eesti Vabariigi Kultuuriministeerium", {"type": ["rg:Ministry"]}, "organisation/estonia-ministry-of-culture"),
    ("Euroopa Liit", {}, "organisation/european-union"),
    ("Eiropas Savienība", {}, "organisation/european-union"),
    ("Valga Vallavalitsus", {}, "organisation/valga-city-government"),
    ("Valga", {"type": "rg:Municipality"}, "organisation/valga-city-government"),
    ("Latvijas romu platforma IV", {}, "project/latvian-roma-platform-iv"),
    ("Latvian Roma platform IV", {"type": "rg:Project"}, "project/latvian-roma-platform-iv"),
    ("Integratsiooni Sihtasutus", {}, "organisation/integration-foundation"),
    ("Nodarbinātības valsts aģentūra", {"type": "org:Organization"}, "organisation/latvia-state-employment-agency"),
    ("place/valga", {}, "place/valga"),  # an identifier finds its entity
    ("https://w3id.org/rograph/place/valga", {}, "place/valga"),
]


def test_a_batch_of_real_queries(live_server):
    batch = {f"q{i}": {"query": query, **options} for i, (query, options, _) in enumerate(REAL_QUERIES)}
    answer = reconcile(live_server, batch)
    assert answer.status_code == 200
    results = answer.json()
    check("reconciliation-result-batch", results)
    wrong = {}
    for i, (query, _options, expected) in enumerate(REAL_QUERIES):
        candidates = results[f"q{i}"]["result"]
        if not candidates or candidates[0]["id"] != expected:
            wrong[query] = [c["id"] for c in candidates[:3]]
        scores = [c["score"] for c in candidates]
        assert scores == sorted(scores, reverse=True), query
    assert not wrong, wrong
    valga = results["q1"]["result"][0]
    assert valga["match"] is True and valga["name"] == "Valga" and valga["score"] >= 95
    assert {"id": "schema:City", "name": "town or city"} in valga["type"]
    # A type is a hard constraint: no place among municipalities.
    municipalities = results[f"q{[q for q, *_ in REAL_QUERIES].index('Valga Vallavalitsus') + 1}"]["result"]
    assert all(t["id"] == "rg:Municipality" for c in municipalities for t in c["type"])


def test_labels_in_the_readers_language(live_server):
    answer = reconcile(live_server, {"q": {"query": "Valkas novada dome"}}, headers={"Accept-Language": "lv"})
    assert answer.json()["q"]["result"][0]["name"] == "Valkas novada dome"
    answer = reconcile(live_server, {"q": {"query": "Valkas novada dome"}}, headers={"Accept-Language": "en"})
    assert answer.json()["q"]["result"][0]["name"] == "Valka Municipality Council"


def test_property_constraints(live_server):
    batch = {
        # Two towns called Valga in Estonian; the country tells them apart.
        "by-id": {"query": "Valga", "properties": [{"pid": "schema:containedInPlace", "v": {"id": "place/estonia"}}]},
        "by-name": {"query": "Valga", "properties": [{"pid": "https://schema.org/containedInPlace", "v": "Eesti"}]},
        "only-properties": {
            "properties": [{"pid": "schema:currency", "v": "EUR"}, {"pid": "schema:value", "v": 64952.21}]
        },
        "number": {"properties": [{"pid": "schema:value", "v": 160}], "type": "rg:Figure"},
        "mismatch": {"query": "Valga", "properties": [{"pid": "schema:containedInPlace", "v": {"id": "place/latvia"}}]},
    }
    results = reconcile(live_server, batch).json()
    check("reconciliation-result-batch", results)
    for key in ("by-id", "by-name"):
        first = results[key]["result"][0]
        assert first["id"] == "place/valga" and first["match"] is True
        assert {"id": "property_match", "value": 1.0} in first["features"]
    assert results["only-properties"]["result"][0]["id"] == "budget/latvian-roma-platform-v"
    assert [c["id"] for c in results["number"]["result"]] == ["figure/valga-roma-residents-2020"]
    first = results["mismatch"]["result"][0]
    assert first["id"] == "place/valga" and first["match"] is False and first["score"] <= 80


def test_limits_and_bad_input(live_server):
    results = reconcile(live_server, {"q": {"query": "Valga", "limit": 1}}).json()
    assert len(results["q"]["result"]) == 1
    for batch, status, message in [
        ("not json", 400, "queries: not JSON"),
        ([{"query": "Valga"}], 400, "queries: a batch is a JSON object"),
        ({"q": {"query": "Valga", "limit": 0}}, 400, 'queries["q"].limit: a positive integer'),
        ({"q": {"query": "Valga", "type": 5}}, 400, 'queries["q"].type'),
        ({"q": {"query": "Valga", "properties": [{"pid": "schema:name"}]}}, 400, 'queries["q"].properties[0]'),
        ({f"q{i}": {"query": "Valga"} for i in range(51)}, 413, "at most 50"),
    ]:
        raw = batch if isinstance(batch, str) else json.dumps(batch)
        answer = requests.post(live_server.url + "/reconcile", data={"queries": raw}, timeout=10)
        assert answer.status_code == status, (batch, answer.text)
        assert message in answer.json()["error"]
        assert answer.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "kind, prefix, first",
    [
        ("entity", "valg", "place/valga"),
        ("entity", "Valgā", "place/valga"),
        ("entity", "latvijas republikas kult", "organisation/latvia-ministry-of-culture"),
        ("entity", "place/valka", "place/valka"),
        ("type", "pašvald", "rg:Municipality"),
        ("type", "omavalitsus", "rg:Municipality"),
        ("type", "minis", "rg:Ministry"),
        ("type", "rg:Ministry", "rg:Ministry"),
        ("property", "start", "schema:startDate"),
        ("property", "acts", "rg:actsAs"),
    ],
)
def test_suggest(live_server, kind, prefix, first):
    answer = requests.get(f"{live_server.url}/reconcile/suggest/{kind}", params={"prefix": prefix}, timeout=10)
    assert answer.status_code == 200 and answer.headers["Access-Control-Allow-Origin"] == "*"
    body = answer.json()
    check(
        {
            "entity": "suggest-entities-response",
            "type": "suggest-types-response",
            "property": "suggest-properties-response",
        }[kind],
        body,
    )
    assert body["result"] and body["result"][0]["id"] == first, body


def test_suggest_pages_with_a_cursor(live_server):
    url = live_server.url + "/reconcile/suggest/entity"
    first = requests.get(url, params={"prefix": "v"}, timeout=10).json()["result"]
    second = requests.get(url, params={"prefix": "v", "cursor": len(first)}, timeout=10).json()["result"]
    assert len(first) == 10 and second and not {r["id"] for r in first} & {r["id"] for r in second}
    bad = requests.get(url, params={"prefix": "v", "cursor": "x"}, timeout=10)
    assert bad.status_code == 400 and "cursor" in bad.json()["error"]
    assert (
        requests.get(live_server.url + "/reconcile/suggest/nothing", params={"prefix": "v"}, timeout=10).status_code
        == 404
    )


def test_preview(live_server):
    answer = requests.get(
        live_server.url + "/reconcile/preview", params={"id": "organisation/latvia-ministry-of-culture"}, timeout=10
    )
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/html")
    assert "Ministry of Culture of the Republic of Latvia" in answer.text
    # It is made to be shown in the client's iframe; other pages refuse to be framed.
    assert "frame-ancestors *" in answer.headers["Content-Security-Policy"]
    assert (
        "frame-ancestors 'none'" in requests.get(live_server.url + "/", timeout=10).headers["Content-Security-Policy"]
    )
    missing = requests.get(live_server.url + "/reconcile/preview", params={"id": "place/nowhere"}, timeout=10)
    assert missing.status_code == 404
