"""The error answers every route gives: one plain-text response, readable from any origin, and
one mapping of what the store and the query executors raise to a status, a message and headers.

A client of the SPARQL endpoint, a page and the query page are told the same thing, with the
same ``Retry-After``, whichever of them ran the query.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import Response

from rograph.store.base import QueryRefused, QueryStopped, QuerySyntaxError, StoreTimeout, StoreUnavailable
from rograph.web.context import context

log = logging.getLogger(__name__)

#: What lets a script on any origin read an answer (and the headers that say what it is).
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Content-Type, Content-Length, X-Request-Id, X-Cache",
}


def plain_text_error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """The one plain-text error response: ``message`` and a line feed, as UTF-8 text, readable
    from any origin, with ``headers`` added."""
    response = Response(message.rstrip() + "\n", status=status, content_type="text/plain; charset=utf-8")
    response.headers.update(CORS_HEADERS)
    response.headers.update(headers or {})
    return response


def query_error(error: Exception) -> Response:
    """The plain-text response for a query that was not answered."""
    status, message, headers = explain_query_error(error)
    return plain_text_error(status, message, headers)


def explain_query_error(error: Exception) -> tuple[int, str, dict[str, str] | None]:
    """Status, message and extra headers for a query that was not answered: the same for every
    route that runs one (``/sparql``, ``/query``, every page)."""
    if isinstance(error, QuerySyntaxError):
        return 400, f"SPARQL syntax error: {error}", None
    if isinstance(error, QueryRefused):
        return error.status, error.message, {"Retry-After": str(error.retry_after)} if error.retry_after else None
    if isinstance(error, QueryStopped):
        if error.timed_out:
            return (
                503,
                (
                    f"The query ran longer than this endpoint's limit of {context().settings.query_timeout:g} seconds "
                    "and was stopped.\nNarrow it (more specific patterns, LIMIT) or run it on a copy of the data "
                    "(see /dataset dumps)."
                ),
                {"Retry-After": "1"},
            )
        return error.status, error.message, None
    if isinstance(error, StoreTimeout):
        return (
            504,
            (
                f"The store behind this endpoint did not answer in time: {error}. Narrow the query "
                "(more specific patterns, LIMIT) or run it on a copy of the data (see /dumps/)."
            ),
            {"Retry-After": "1"},
        )
    if isinstance(error, StoreUnavailable):
        log.warning("store unavailable: %s", error)
        return 502, f"The store behind this endpoint did not answer properly: {error}", {"Retry-After": "5"}
    if isinstance(error, (OSError, RuntimeError, ValueError)):
        log.warning("query failed during evaluation: %s", error)
        return 500, f"the query failed while running: {error}", None
    raise error
