"""The compiled engine against the W3C SHACL core test suite (w3c/data-shapes, as shipped in
pyshacl's source distribution; .ci/run fetches it from PyPI into test-artifacts/).

Every test whose shapes the compiler translates whole (no shape left to pyshacl) must give
exactly the expected validation report: focus node, path, value, source shape, constraint
component and severity of every result.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import PROJECT_DIR
from rograph.validation.compiled import compile_shapes
from rograph.validation.compiled_engine import run_checks
from rograph.validation.pyshacl_engine import show_term
from rograph.validation.shapes import ShapesGraph, shown_path

SUITE = Path(os.environ.get("ROGRAPH_SHACL_TESTS", PROJECT_DIR / "test-artifacts" / "shacl-core-tests"))
SH = "http://www.w3.org/ns/shacl#"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
DASH = "http://datashapes.org/dash#"
FILES = sorted(SUITE.rglob("*.ttl")) if SUITE.is_dir() else []


def _suite_present():
    if not FILES:
        if os.environ.get("ROGRAPH_REQUIRE_SHACL_TESTS"):
            pytest.fail(f"the SHACL core test suite is not at {SUITE} (.ci/run puts it there)")
        pytest.skip(f"the SHACL core test suite is not at {SUITE} (run .ci/run, or set ROGRAPH_SHACL_TESTS)")


def _one(store: ox.Store, subject, predicate: str):
    found = list(store.quads_for_pattern(subject, ox.NamedNode(predicate), None))
    return found[0].object if found else None


def _shown(store: ox.Store, term, *, path: bool = False) -> str | None:
    if term is None:
        return None
    if path and isinstance(term, ox.BlankNode):
        return shown_path(ShapesGraph(store.quads_for_pattern(None, None, None)), term)
    return show_term(term)


def _expected(store: ox.Store) -> Counter:
    report = _one(store, None, DASH + "expectedResult") or _one(store, None, MF + "result")
    results = [q.object for q in store.quads_for_pattern(report, ox.NamedNode(SH + "result"), None)]
    return Counter(
        (
            _shown(store, _one(store, r, SH + "focusNode")),
            _shown(store, _one(store, r, SH + "resultPath"), path=True),
            _shown(store, _one(store, r, SH + "value")),
            _shown(store, _one(store, r, SH + "sourceShape")),
            _one(store, r, SH + "sourceConstraintComponent").value,
            _one(store, r, SH + "resultSeverity").value,
        )
        for r in results
    )


def _run(path: Path):
    quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri()))
    checks, left = compile_shapes(quads)
    store = ox.Store()
    store.extend(quads)
    return store, checks, left


def _compiled_whole(path: Path) -> bool:
    _, checks, left = _run(path)
    return not left and bool(checks)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SUITE)) if FILES else "none")
def test_compiled_engine_gives_the_expected_report(path):
    _suite_present()
    store, checks, left = _run(path)
    if left or not checks:
        pytest.skip("uses constraints the compiler leaves to pyshacl")
    found = run_checks(store, checks)
    got = Counter(
        (
            f.focus_node,
            f.path,
            f.value,
            f.shape if f.shape.startswith(("_:", "http", "file")) else f.shape,
            f.constraint,
            {"Violation": SH + "Violation", "Warning": SH + "Warning", "Info": SH + "Info"}[f.severity.label],
        )
        for f in found
    )
    assert got == _expected(store)


def test_the_compiler_covers_most_of_the_core_suite():
    _suite_present()
    covered = [p for p in FILES if _compiled_whole(p)]
    assert len(covered) >= 60, f"only {len(covered)} of {len(FILES)} core tests compile whole"
