"""The SPARQL 1.1 Protocol endpoint (``/sparql``): read-only, CORS-open, streaming.

The protocol rules live in :mod:`rograph.web.sansio`; this module moves bytes between them,
the query executors (where the query runs, without network, and its answer is serialised) and
the client, and adds a cache of small answers to repeated queries.
"""

from __future__ import annotations

import logging

import pyoxigraph as ox
import rdflib
from flask import Blueprint, Response, render_template, request

from rograph.executor import PoolStore
from rograph.store.base import QueryStopped
from rograph.web.context import context
from rograph.web.pages import HTML_HEADERS, service_root
from rograph.web.responses import CORS_HEADERS, plain_text_error, query_error
from rograph.web.sansio import (
    GRAPH_FORMATS,
    NotAcceptable,
    ProtocolError,
    QueryText,
    SparqlRequest,
    choose_format,
    negotiate,
    parse_request,
)
from rograph.web.sansio.linked_data import HTML
from rograph.web.service_description import service_description

log = logging.getLogger(__name__)
bp = Blueprint("sparql", __name__)

#: Results up to this size are sent whole, with Content-Length, and may be cached.
WHOLE_RESPONSE_BYTES = 1024 * 1024


@bp.after_request
def _cors(response: Response) -> Response:
    response.headers.update(CORS_HEADERS)
    return response


@bp.route("/sparql", methods=["OPTIONS"])
def preflight() -> Response:
    response = Response(status=204)
    response.headers.update(
        {
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type, Accept",
            "Access-Control-Max-Age": "86400",
            "Allow": "GET, POST, OPTIONS",
        }
    )
    return response


@bp.route("/sparql", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
def endpoint() -> Response:
    try:
        parsed = parse_request(
            request.method, request.headers.get("Content-Type"), request.query_string, request.get_data(cache=False)
        )
    except ProtocolError as error:
        headers = {"Allow": "GET, POST, OPTIONS"} if error.status == 405 else None
        return plain_text_error(error.status, error.message, headers)
    if parsed.query is None:
        return _describe_service(parsed)
    return _answer(parsed)


def _describe_service(parsed: SparqlRequest) -> Response:
    """The service description; a browser (which prefers HTML to every RDF format) gets a
    page about the endpoint instead, the way on to the query page. Ties go to RDF, so a
    client that accepts anything gets the description."""
    try:
        fmt = negotiate(request.headers.get("Accept"), GRAPH_FORMATS + (HTML,), parsed.formats)
    except NotAcceptable as error:
        return plain_text_error(406, str(error))
    except ProtocolError as error:
        return plain_text_error(error.status, error.message)
    ctx = context()
    if fmt is HTML:
        formats = [(f, f"?format={f.names[0]}") for f in GRAPH_FORMATS]
        body = render_template("service.html", endpoint=_endpoint_url(ctx.settings), formats=formats)
        return Response(body, content_type=HTML.content_type, headers={**HTML_HEADERS, "Vary": "Accept"})
    graph = service_description(_endpoint_url(ctx.settings), ctx.store, ctx.settings, ctx.store.graph_counts())
    assert isinstance(fmt.writer, ox.RdfFormat)  # negotiated among GRAPH_FORMATS
    if fmt.writer.supports_datasets:  # rdflib writes TriG and N-Quads from a dataset only
        dataset = rdflib.Dataset()
        dataset.namespace_manager = graph.namespace_manager
        dataset.default_graph += graph
        graph = dataset
    serialized = graph.serialize(format=_RDFLIB_NAMES[fmt.media_type], encoding="utf-8")
    return Response(serialized, content_type=fmt.content_type, headers={"Vary": "Accept"})


def _endpoint_url(settings) -> str:
    """The endpoint's absolute URL for its description (:func:`service_root`)."""
    return service_root().rstrip("/") + "/sparql"


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
    assert parsed.query is not None  # a request without one gets the service description
    # The endpoint streams answers the executors serialise: only the pool's store offers that.
    assert isinstance(store, PoolStore), "the SPARQL endpoint answers through the executor pool"
    try:
        fmt = choose_format(request.headers.get("Accept"), QueryText(parsed.query).form, parsed.formats)
    except NotAcceptable as error:
        return plain_text_error(406, str(error))
    except ProtocolError as error:
        return plain_text_error(error.status, error.message)

    key = (parsed.query, parsed.default_graph_uris, parsed.named_graph_uris, fmt.media_type, store.version)
    cached = ctx.answers.get(key)
    if cached is not None:
        return Response(cached[0], content_type=cached[1], headers={"Vary": "Accept", "X-Cache": "hit"})

    # pyoxigraph serialises the answer in the executor; the bytes only pass through here.
    answer = store.answer(
        parsed.query,
        fmt.media_type,
        default_graph_uris=parsed.default_graph_uris,
        named_graph_uris=parsed.named_graph_uris,
        cap=settings.max_response_bytes,
    )
    try:
        head, complete = answer.head(min(WHOLE_RESPONSE_BYTES, settings.max_response_bytes + 1))
    except Exception as error:
        answer.close()
        return query_error(error)
    if complete:
        ctx.answers.put(key, head, fmt.content_type)
        return Response(head, content_type=fmt.content_type, headers={"Vary": "Accept", "X-Cache": "miss"})

    def body():
        try:
            yield head
            yield from answer.rest()
        except (QueryStopped, RuntimeError) as error:
            # Headers are gone: end the connection without the final chunk, so the client sees
            # an incomplete response rather than a silently shortened one.
            log.warning("response cut off: %s", error)
            raise
        finally:
            answer.close()

    response = Response(body(), content_type=fmt.content_type, headers={"Vary": "Accept", "X-Cache": "miss"})
    response.call_on_close(answer.close)
    return response
