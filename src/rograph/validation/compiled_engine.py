"""The compiled engine: the shapes' checks (:mod:`rograph.validation.compiled`) run on pyoxigraph,
and pyshacl for the shapes that do not compile.

Each check is one query, so a run is as many queries as there are constraints, run as many at
a time as there are cores (pyoxigraph lets go of the GIL while it evaluates).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox

from rograph.validation import pyshacl_engine
from rograph.validation.compiled import SPARQL_COMPONENT, Check, compile_shapes
from rograph.validation.model import Found, Severity
from rograph.validation.parsed import Parsed


def find(parsed: Parsed, store: ox.Store, progress: Callable[[int, int, str], None] | None = None) -> list[Found]:
    """Every compiled check of ``parsed``'s shapes on ``store`` (its union), and pyshacl's
    results for the shapes that do not compile."""
    checks, left = compile_shapes(parsed.shapes_quads)
    found = run_checks(store, checks, progress=progress)
    if left:
        found += pyshacl_engine.find(parsed, only=left)
    return found


def run_checks(
    store: ox.Store,
    checks: list[Check],
    focus: set[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[Found]:
    """Run ``checks`` on ``store``. ``focus``: only these focus nodes, except for checks of
    global scope, which always run whole. ``progress(done, total, shape)`` is told after each
    check."""
    found: list[Found] = []
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        batches = pool.map(lambda c: (c, run_check(store, c, None if c.global_scope else focus)), checks)
        for done, (check, rows) in enumerate(batches, start=1):
            found += [_found(check, row) for row in rows]
            if progress is not None:
                progress(done, len(checks), check.shape.rsplit("#", 1)[-1])
    return found


def run_check(store: ox.Store, check: Check, focus: Iterable[str] | None = None) -> list[dict]:
    """Rows of violations: ``this``, ``value`` (or None) and ``path`` (SPARQL constraints)."""
    query = check.query.replace("{focus}", focus_values(focus))
    rows = store.query(query, use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)  # the compiler writes SELECT queries
    return [{"this": row["this"], "value": _get(row, "value"), "path": _get(row, "path")} for row in rows]


def focus_values(nodes: Iterable[str] | None) -> str:
    """The ``VALUES`` clause restricting a check to ``nodes`` (IRIs), or nothing."""
    if nodes is None:
        return ""
    return "VALUES ?this { " + " ".join(f"<{n}>" for n in nodes) + " }"


def _get(row: ox.QuerySolution, name: str):
    try:
        return row[name]
    except (KeyError, IndexError):
        return None


def _found(check: Check, row: dict) -> Found:
    this, value, path = row["this"], row["value"], row["path"]
    if value is None and check.component == SPARQL_COMPONENT:
        value = this  # SHACL: a SPARQL constraint's result without ?value has the focus node as value
    shown_path = check.path if check.path is not None else (path.value if isinstance(path, ox.NamedNode) else None)
    return Found(
        severity=Severity.parse(check.severity),
        focus_node=pyshacl_engine.show_term(this),
        shape=check.shape,
        constraint=check.component,
        message=check.message or "(no message)",
        path=shown_path,
        value=pyshacl_engine.show_term(value) if value is not None else None,
        focus_iri=isinstance(this, ox.NamedNode),
    )
