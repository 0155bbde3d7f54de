"""Parse an HTTP request into a SPARQL query request, or say precisely why it is not one.

Follows the SPARQL 1.1 Protocol's three ways to send a query (GET ``?query=``, POST of an
HTML form, POST of the query itself) and its dataset parameters. Anything else is a
:class:`ProtocolError` carrying the HTTP status and a message a client developer can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"


class ProtocolError(Exception):
    """The request breaks the protocol. ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str):
        self.status, self.message = status, message
        super().__init__(message)


@dataclass(frozen=True)
class SparqlRequest:
    """A query request. ``query`` is ``None`` for a GET without one (the service description)."""

    query: str | None
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    #: Every ``format=`` value, in order; :func:`~rograph.web.sansio.negotiation.negotiate`
    #: decides whether they agree (it knows which formats the query's form has).
    formats: tuple[str, ...] = ()


def _decode(data: bytes, charset: str, what: str) -> str:
    try:
        return data.decode(charset)
    except UnicodeDecodeError as error:
        raise ProtocolError(
            400,
            f"the {what} is not valid {charset.upper()}: byte {error.object[error.start]:#04x} at offset {error.start}",
        ) from None


def _params(encoded: bytes | str, what: str) -> dict[str, list[str]]:
    text = _decode(encoded, "utf-8", what) if isinstance(encoded, bytes) else encoded
    try:
        return parse_qs(text, keep_blank_values=True, strict_parsing=False, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(400, f"the {what} has percent-encoded bytes that are not valid UTF-8") from None


def _content_type(header: str | None) -> tuple[str, dict[str, str]]:
    if not header:
        return "", {}
    mime, *params = header.split(";")
    options = {}
    for param in params:
        key, _, value = param.partition("=")
        options[key.strip().lower()] = value.strip().strip('"')
    return mime.strip().lower(), options


def parse_request(method: str, content_type: str | None, query_string: bytes | str, body: bytes) -> SparqlRequest:
    """Turn the parts of an HTTP request into a :class:`SparqlRequest`.

    Raises :class:`ProtocolError` for: a method other than GET/POST (405); an update in any
    form (403, the endpoint is read-only); a POST with a missing or wrong Content-Type (415);
    more than one query, a missing query in a POST, or a body that is not valid UTF-8 (400).
    """
    method = method.upper()
    url_params = _params(query_string, "URL query string")
    if method == "GET":
        params = url_params
    elif method == "POST":
        mime, options = _content_type(content_type)
        if mime == FORM:
            params = _merge(url_params, _params(body, "form body"))
        elif mime == DIRECT:
            if "query" in url_params:
                raise ProtocolError(400, "two queries: one in the request body and one in the URL's query parameter")
            _refuse_update(url_params)
            charset = options.get("charset", "utf-8").lower()
            if charset not in ("utf-8", "utf8"):
                raise ProtocolError(415, f"charset {charset} is not accepted: SPARQL queries are sent as UTF-8")
            params = dict(url_params)
            params["query"] = [_decode(body, "utf-8", "request body")]
        elif mime == UPDATE:
            raise ProtocolError(403, "SPARQL Update is not accepted: this endpoint is read-only")
        elif not mime:
            raise ProtocolError(
                415,
                f"a POST needs a Content-Type: {FORM} (an HTML form with query=…) or {DIRECT} (the query as the body)",
            )
        else:
            raise ProtocolError(415, f"Content-Type {mime} is not accepted; use {FORM} or {DIRECT}")
    else:
        raise ProtocolError(405, f"method {method} is not allowed; use GET or POST")

    _refuse_update(params)
    queries = params.get("query", [])
    if len(queries) > 1:
        raise ProtocolError(400, f"{len(queries)} query parameters: send exactly one query per request")
    if not queries:
        if method == "POST":
            raise ProtocolError(
                400, "no query: send the query in a 'query' parameter or as an application/sparql-query body"
            )
        query = None
    else:
        query = queries[0]
        if not query.strip():
            raise ProtocolError(400, "the query parameter is empty")
    for name in ("default-graph-uri", "named-graph-uri"):
        for value in params.get(name, []):
            if not _ABSOLUTE_IRI.match(value):
                raise ProtocolError(
                    400, f"{name}={value!r} is not an absolute IRI (such as https://w3id.org/rograph/graph/…)"
                )
    return SparqlRequest(
        query=query,
        default_graph_uris=tuple(params.get("default-graph-uri", [])),
        named_graph_uris=tuple(params.get("named-graph-uri", [])),
        formats=tuple(params.get("format", [])),
    )


#: An absolute IRI as RFC 3987 has it: a scheme, then no character an IRI may not hold.
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|\\^`]*$")


def _refuse_update(params: dict[str, list[str]]) -> None:
    if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
        if "query" in params:
            raise ProtocolError(
                400, "a request carries either a query or an update, not both; and updates are not accepted here"
            )
        raise ProtocolError(403, "SPARQL Update is not accepted: this endpoint is read-only")


def _merge(first: dict[str, list[str]], second: dict[str, list[str]]) -> dict[str, list[str]]:
    merged = {key: list(values) for key, values in first.items()}
    for key, values in second.items():
        merged.setdefault(key, []).extend(values)
    return merged
