"""``/query``: the researchers' query page, with the example gallery.

The page works without JavaScript: the form sends the query with GET (to ``#answer``, so the
browser lands on the answer), the URL is a permalink that reproduces it, and the server runs
the query and renders the answer: its row count and the time it took, a table whose IRIs show
their labels and link to their pages, and a bar chart or a timeline when the answer fits one
(:mod:`rograph.web.result_views`). An error names the line and column as typed
(:mod:`rograph.web.query_errors`); a query that runs out of time is answered with this page,
the query kept, and a hint.

The editor (``static/query-editor.js``, built from ``editor/`` by esbuild) enhances the form:
SPARQL highlighting, completion from this graph (:mod:`rograph.web.completion`), syntax errors
marked as you type, history in the browser; Run fetches this same page and puts its answer
in place. Downloads go to ``/sparql`` with ``format=``, in every result format.
"""

from __future__ import annotations

import json
import secrets
import time
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for

from rograph.examples import load_examples
from rograph.namespaces import PREFIXES
from rograph.store.base import QueryStopped, QuerySyntaxError, StoreTimeout
from rograph.web.context import context
from rograph.web.describe import Labeller
from rograph.web.pages import HTML_HEADERS, reader_language, root_url
from rograph.web.query_errors import SyntaxProblem, explain, normalise_line_endings
from rograph.web.responses import explain_query_error
from rograph.web.result_views import DATES, NUMBERS, Chart, views
from rograph.web.sansio import GRAPH_FORMATS, SOLUTION_FORMATS, QueryText
from rograph.web.ui_text import TEXT

bp = Blueprint("query_page", __name__)

#: Rows shown on the page; the downloads have them all.
SHOWN_ROWS = 500

DEFAULT_QUERY = """SELECT ?meeting ?date ?place WHERE {
  ?meeting a rg:ExpertMeeting ;
    schema:startDate ?date ;
    schema:location ?place .
}
ORDER BY ?date"""


class Answer:
    """A query's answer as the page shows it: columns and rows of shown terms (with the raw
    terms, for sorting and charts), a boolean, or a problem; and how long it took."""

    def __init__(
        self,
        columns=(),
        rows=(),
        raw=(),
        boolean=None,
        error=None,
        problem: SyntaxProblem | None = None,
        truncated=False,
        timed_out=False,
        milliseconds: float | None = None,
        status=200,
        headers: dict | None = None,
    ):
        self.columns, self.rows, self.raw, self.boolean = list(columns), list(rows), list(raw), boolean
        self.error, self.problem, self.truncated, self.timed_out = error, problem, truncated, timed_out
        self.milliseconds, self.status, self.headers = milliseconds, status, headers or {}
        self.views: dict[str, Chart] = {}

    def table(self) -> list[list[tuple]]:
        """Each row's cells with the key the table sorts them by: the literal's own value for
        numbers and dates (the shown text is formatted for reading), else none (by text)."""
        return [
            [(cell, _sort_key(term)) for cell, term in zip(shown, raw, strict=False)]
            for shown, raw in zip(self.rows, self.raw, strict=False)
        ]


def _sort_key(term) -> str | None:
    if isinstance(term, ox.Literal) and term.datatype.value in NUMBERS | DATES:
        return term.value
    return None


@bp.get("/query")
def query_page() -> Response:
    ctx = context()
    lang = reader_language()
    examples = load_examples(ctx.settings.project_dir)
    chosen = next((e for e in examples if e.name == request.args.get("example")), None)
    query = request.args.get("query") or (chosen.query if chosen else None)
    if not query:
        return _page(DEFAULT_QUERY, None, examples, chosen)
    query = normalise_line_endings(query)
    answer = _run(query, lang)
    return _page(query, answer, examples, chosen)


def _page(query: str, answer: Answer | None, examples, chosen) -> Response:
    lang = reader_language()
    asked = query if answer is not None else None
    form = QueryText(asked).form if asked else None
    formats = GRAPH_FORMATS if form in ("CONSTRUCT", "DESCRIBE") else SOLUTION_FORMATS
    downloads = (
        [
            (fmt.names[0], url_for("sparql.endpoint") + "?" + urlencode({"query": asked, "format": fmt.names[0]}))
            for fmt in formats
        ]
        if asked
        else []
    )
    chart_links = {
        kind: url_for("query_page.chart") + "?" + urlencode({"query": asked, "view": kind, "lang": lang})
        for kind in (answer.views if answer else ())
    }
    # CodeMirror writes its styles into a <style> element: allowed by this response's nonce only.
    nonce = secrets.token_urlsafe(16)
    editor = {
        "prefixes": PREFIXES,
        "lang": lang,
        "nonce": nonce,
        "terms": url_for("completion.terms", lang=lang),
        "entities": url_for("completion.entities"),
        "text": {k: v for k, v in TEXT[lang].items() if k.startswith("editor_")},
    }
    body = render_template(
        "query.html",
        query=query,
        answer=answer,
        examples=examples,
        chosen=chosen,
        downloads=downloads,
        chart_links=chart_links,
        permalink=url_for("query_page.query_page") + "?" + urlencode({"query": asked}) if asked else None,
        prefixes=PREFIXES,
        timeout=context().settings.query_timeout,
        shown_rows=SHOWN_ROWS,
        rows_text=_rows_text(answer, lang) if answer else "",
        took=_took(answer) if answer else "",
        editor_settings=json.dumps(editor, ensure_ascii=False).replace("</", "<\\/"),
    )
    headers = {**HTML_HEADERS, "Vary": "Accept-Language", **(answer.headers if answer else {})}
    headers["Content-Security-Policy"] = HTML_HEADERS["Content-Security-Policy"].replace(
        "style-src 'self'", f"style-src 'self' 'nonce-{nonce}'"
    )
    return Response(
        body, status=answer.status if answer else 200, content_type="text/html; charset=utf-8", headers=headers
    )


def _timed_out(lang: str) -> Answer:
    seconds = context().settings.query_timeout
    return Answer(
        error=TEXT[lang]["timed_out"].format(seconds=f"{seconds:g}"),
        timed_out=True,
        status=503,
        headers={"Retry-After": "1"},
    )


def _rows_text(answer: Answer, lang: str) -> str:
    """ "1 row", "2 rows", in the reader's language (Latvian: 1, 21, 31… take the singular)."""
    count = len(answer.rows)
    singular = count % 10 == 1 and count % 100 != 11 if lang == "lv" else count == 1
    return f"{count} {TEXT[lang]['row'] if singular else TEXT[lang]['rows']}"


def _took(answer: Answer) -> str:
    ms = answer.milliseconds or 0.0
    if ms >= 1000:
        return f"{ms / 1000:.1f} s"
    return f"{ms:.0f} ms" if ms >= 10 else f"{ms:.1f} ms"


def _run(query: str, lang: str) -> Answer:
    ctx = context()
    started = time.perf_counter()
    try:
        results = ctx.store.query(query)
        if isinstance(results, ox.QueryBoolean):
            return Answer(boolean=bool(results), milliseconds=_since(started))
        if isinstance(results, ox.QueryTriples):
            columns = ["subject", "predicate", "object"]
            raw = [(t.subject, t.predicate, t.object) for _, t in zip(range(SHOWN_ROWS + 1), results, strict=False)]
        else:
            columns = [variable.value for variable in results.variables]
            raw = [tuple(row[c] for c in columns) for _, row in zip(range(SHOWN_ROWS + 1), results, strict=False)]
    except QuerySyntaxError as error:
        problem = explain(query, error.message, error.line, error.column)
        return Answer(error=problem.message, problem=problem, milliseconds=_since(started), status=400)
    except (StoreTimeout, QueryStopped) as error:
        if isinstance(error, StoreTimeout) or error.timed_out:
            return _timed_out(lang)
        return _failed(error, started)
    except Exception as error:
        return _failed(error, started)
    milliseconds = _since(started)
    labeller = Labeller(ctx.store, lang, root_url())
    labeller.fetch(term.value for row in raw for term in row if isinstance(term, ox.NamedNode))
    raw, truncated = raw[:SHOWN_ROWS], len(raw) > SHOWN_ROWS
    rows = [[labeller.show(term) if term is not None else None for term in row] for row in raw]
    answer = Answer(columns, rows, raw, truncated=truncated, milliseconds=milliseconds)
    if not truncated:
        answer.views = views(columns, raw, rows)
    return answer


def _failed(error: Exception, started: float) -> Answer:
    """Any other query that was not answered (refused, over the memory ceiling or the size cap,
    the store unreachable): the message and status every route gives (``explain_query_error``)."""
    status, message, headers = explain_query_error(error)
    return Answer(error=message, milliseconds=_since(started), status=status, headers=headers)


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


@bp.get("/query/chart.svg")
def chart() -> Response:
    """One chart of the page's answer as an SVG file (the page's "download" link)."""
    query, kind, lang = request.args.get("query", ""), request.args.get("view", ""), reader_language()
    answer = _run(normalise_line_endings(query), lang) if query else None
    view = answer.views.get(kind) if answer else None
    if view is None:
        name = {"bar": "a bar chart", "timeline": "a timeline"}.get(kind, f"view={kind!r}")
        return Response(
            f"This query's answer cannot be drawn as {name}: a bar chart needs a column of numbers and a "
            "column naming them, a timeline a column of dates, in every row (at most 40 and 100 rows).\n",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    body = render_template("result_view.svg", view=view)
    return Response(
        body,
        content_type="image/svg+xml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{kind}.svg"'},
    )
