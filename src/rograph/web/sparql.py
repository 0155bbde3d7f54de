"""The SPARQL 1.1 Protocol endpoint (``/sparql``): read-only, CORS-open, streaming.

The protocol rules live in :mod:`rograph.web.sansio`; this module moves bytes between them,
the store and the client, and adds what a public endpoint needs: a refusal of federation, a
cap on response size, and a cache of small answers to repeated queries.
"""

from __future__ import annotations

import logging
import pyoxigraph as ox
import rdflib
from flask import Blueprint, Response, render_template, request

from rograph.store.base import QuerySyntaxError, StoreTimeout, StoreUnavailable
from rograph.web import context
from rograph.web.sansio import (
    GRAPH_FORMATS,
    NotAcceptable,
    ProtocolError,
    ResultFormat,
    SparqlRequest,
    choose_format,
    federation_refusal,
    negotiate,
    parse_request,
    query_form,
)
from rograph.web.pages import HTML_HEADERS
from rograph.web.sansio.linked_data import HTML
from rograph.web.service_description import service_description
from rograph.web.streaming import ResultStream, ResultTooLarge

log = logging.getLogger(__name__)
bp = Blueprint("sparql", __name__)

#: Results up to this size are sent whole, with Content-Length, and may be cached.
WHOLE_RESPONSE_BYTES = 1024 * 1024

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Content-Type, Content-Length, X-Request-Id, X-Cache",
}


def _error(status: int, message: str, extra: dict | None = None) -> Response:
    response = Response(message.rstrip() + "\n", status=status, content_type="text/plain; charset=utf-8")
    response.headers.update(CORS_HEADERS)
    response.headers.update(extra or {})
    return response


@bp.after_request
def _cors(response: Response) -> Response:
    response.headers.update(CORS_HEADERS)
    return response


@bp.route("/sparql", methods=["OPTIONS"])
def preflight() -> Response:
    response = Response(status=204)
    response.headers.update({
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, Accept",
        "Access-Control-Max-Age": "86400",
        "Allow": "GET, POST, OPTIONS",
    })
    return response


@bp.route("/sparql", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
def endpoint() -> Response:
    try:
        parsed = parse_request(request.method, request.headers.get("Content-Type"), request.query_string, request.get_data(cache=False))
    except ProtocolError as error:
        headers = {"Allow": "GET, POST, OPTIONS"} if error.status == 405 else None
        return _error(error.status, error.message, headers)
    if parsed.query is None:
        return _describe_service(parsed)
    refusal = federation_refusal(parsed.query, context().settings.service_allowlist)
    if refusal is not None:
        return _error(400, refusal)
    return _answer(parsed)


def _describe_service(parsed: SparqlRequest) -> Response:
    """The service description; a browser (which prefers HTML to every RDF format) gets a
    page about the endpoint instead, the way on to the query page. Ties go to RDF, so a
    client that accepts anything gets the description."""
    try:
        fmt = negotiate(request.headers.get("Accept"), GRAPH_FORMATS + (HTML,), parsed.format)
    except NotAcceptable as error:
        return _error(406, str(error))
    if fmt is HTML:
        formats = [(f, f"{request.base_url}?format={f.names[0]}") for f in GRAPH_FORMATS]
        body = render_template("service.html", endpoint=request.base_url, formats=formats)
        return Response(body, content_type=HTML.content_type, headers={**HTML_HEADERS, "Vary": "Accept"})
    ctx = context()
    graph = service_description(request.base_url, ctx.store, ctx.settings, ctx.store.graph_counts())
    if fmt.writer.supports_datasets:  # rdflib writes TriG and N-Quads from a dataset only
        dataset = rdflib.Dataset()
        dataset.namespace_manager = graph.namespace_manager
        dataset.default_graph += graph
        graph = dataset
    body = graph.serialize(format=_RDFLIB_NAMES[fmt.media_type], encoding="utf-8")
    return Response(body, content_type=fmt.content_type, headers={"Vary": "Accept"})


_RDFLIB_NAMES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/trig": "trig",
    "application/n-quads": "nquads",
}


def _answer(parsed: SparqlRequest) -> Response:
    ctx = context()
    store, settings = ctx.store, ctx.settings
    try:
        fmt = choose_format(request.headers.get("Accept"), query_form(parsed.query), parsed.format)
    except NotAcceptable as error:
        return _error(406, str(error))

    key = (parsed.query, parsed.default_graph_uris, parsed.named_graph_uris, fmt.media_type, store.version)
    cached = ctx.answers.get(key)
    if cached is not None:
        return Response(cached[0], content_type=cached[1], headers={"Vary": "Accept", "X-Cache": "hit"})

    def run(out) -> None:
        # pyoxigraph's results belong to the thread that made them: query and write here.
        results = store.query(parsed.query, default_graph_uris=parsed.default_graph_uris, named_graph_uris=parsed.named_graph_uris)
        _write(results, fmt, out)

    stream = ResultStream(run, settings.max_response_bytes)
    try:
        head, complete = stream.head(min(WHOLE_RESPONSE_BYTES, settings.max_response_bytes + 1))
    except QuerySyntaxError as error:
        return _error(400, f"SPARQL syntax error: {error}")
    except ResultTooLarge as error:
        return _error(400, str(error))
    except StoreTimeout as error:
        return _error(504, f"The store behind this endpoint did not answer in time: {error}. Narrow the query "
                           "(more specific patterns, LIMIT) or run it on a copy of the data (see /dumps/).", {"Retry-After": "1"})
    except StoreUnavailable as error:
        log.warning("store unavailable: %s", error)
        return _error(502, f"The store behind this endpoint did not answer properly: {error}", {"Retry-After": "5"})
    except (OSError, RuntimeError, ValueError) as error:
        stream.close()
        log.warning("query failed during evaluation: %s", error)
        return _error(500, f"the query failed while running: {error}")
    if complete:
        ctx.answers.put(key, head, fmt.content_type)
        return Response(head, content_type=fmt.content_type, headers={"Vary": "Accept", "X-Cache": "miss"})

    def body():
        try:
            yield head
            yield from stream.rest()
        except ResultTooLarge as error:
            # Headers are gone: end the connection without the final chunk, so the client sees
            # an incomplete response rather than a silently shortened one.
            log.warning("response cut off: %s", error)
            raise
        finally:
            stream.close()

    response = Response(body(), content_type=fmt.content_type, headers={"Vary": "Accept", "X-Cache": "miss"})
    response.call_on_close(stream.close)
    return response


def _write(results, fmt: ResultFormat, out) -> None:
    if isinstance(results, ox.QueryTriples) != (fmt in GRAPH_FORMATS):
        raise ValueError(f"the query's form does not match {fmt.media_type}")
    if isinstance(results, ox.QueryTriples) and fmt.writer in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        # Triples are a dataset with only a default graph; write them as quads.
        ox.serialize((ox.Quad(t.subject, t.predicate, t.object) for t in results), out, format=fmt.writer)
    else:
        results.serialize(out, format=fmt.writer)
