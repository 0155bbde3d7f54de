"""``/query``: the researchers' query page, with the example gallery.

The page works without JavaScript: the form sends the query with GET, so the URL is a
permalink that reproduces it, and the server runs it and renders the answer as a table whose
IRIs show their labels and link to their pages. The script (``static/query.js``) only adds
syntax highlighting and Ctrl+Enter. Downloads go to ``/sparql`` with ``format=``, in every
result format.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for

from rograph.examples import load_examples
from rograph.namespaces import PREFIXES
from rograph.web import context
from rograph.web.describe import Labeller
from rograph.web.pages import HTML_HEADERS, reader_language, root_url
from rograph.web.sansio import GRAPH_FORMATS, SOLUTION_FORMATS, query_form
from rograph.web.sparql import explain_query_error

bp = Blueprint("query_page", __name__)

#: Rows shown on the page; the downloads have them all.
SHOWN_ROWS = 500

DEFAULT_QUERY = """SELECT ?meeting ?date ?place WHERE {
  ?meeting a rg:ExpertMeeting ;
    schema:startDate ?date ;
    schema:location ?place .
}
ORDER BY ?date"""


@bp.get("/query")
def query_page() -> Response:
    ctx = context()
    lang = reader_language()
    examples = load_examples(ctx.settings.project_dir)
    chosen = next((e for e in examples if e.name == request.args.get("example")), None)
    query = request.args.get("query") or (chosen.query if chosen else None)
    answer = _run(query, lang) if query else None
    form = query_form(query) if query else None
    formats = GRAPH_FORMATS if form in ("CONSTRUCT", "DESCRIBE") else SOLUTION_FORMATS
    downloads = [(fmt.names[0], url_for("sparql.endpoint") + "?" + urlencode({"query": query, "format": fmt.names[0]}))
                 for fmt in formats] if query else []
    body = render_template(
        "query.html", query=query or DEFAULT_QUERY, answer=answer, examples=examples, chosen=chosen,
        downloads=downloads, permalink=url_for("query_page.query_page") + "?" + urlencode({"query": query}) if query else None,
        prefixes=PREFIXES, timeout=ctx.settings.query_timeout, shown_rows=SHOWN_ROWS,
    )
    return Response(body, status=answer.status if answer else 200, content_type="text/html; charset=utf-8",
                    headers={**HTML_HEADERS, "Vary": "Accept-Language"})


class Answer:
    """A query's answer as the page shows it: column names and rows of shown terms, or an error
    (with the status the page is sent with)."""

    def __init__(self, columns=(), rows=(), boolean=None, error=None, truncated=False, status=200):
        self.columns, self.rows, self.boolean, self.error, self.truncated = list(columns), list(rows), boolean, error, truncated
        self.status = status


def _run(query: str, lang: str) -> Answer:
    ctx = context()
    try:
        results = ctx.store.query(query)
        if isinstance(results, ox.QueryBoolean):
            return Answer(boolean=bool(results))
        if isinstance(results, ox.QueryTriples):
            columns = ["subject", "predicate", "object"]
            raw = [(t.subject, t.predicate, t.object) for _, t in zip(range(SHOWN_ROWS + 1), results, strict=False)]
        else:
            columns = [variable.value for variable in results.variables]
            raw = [tuple(row[c] for c in columns) for _, row in zip(range(SHOWN_ROWS + 1), results, strict=False)]
    except Exception as error:
        status, message, _ = explain_query_error(error)
        return Answer(error=message, status=status)
    labeller = Labeller(ctx.store, lang, root_url())
    labeller.fetch(term.value for row in raw for term in row if isinstance(term, ox.NamedNode))
    rows = [[labeller.show(term) if term is not None else None for term in row] for row in raw[:SHOWN_ROWS]]
    return Answer(columns, rows, truncated=len(raw) > SHOWN_ROWS)
