"""Linked-data requests without I/O: which IRI a path names, in which format and language,
where an IRI is served, and whether a client's copy is still fresh.

The published IRIs (``https://w3id.org/rograph/…``) and the server's own address are
different things: a page served on ``http://127.0.0.1:8000/`` or on a staging host must link
to that host. :func:`address_of` and :func:`iri_of` map one to the other, with the server's
root given by ``ROGRAPH_PUBLIC_URL`` or, when that is empty, by the request.

Policy (docs/linked-data.md): an IRI is answered **200 with Content-Location** naming the
document in the negotiated format (``/organisation/x.ttl``), not 303 See Other: one round trip,
and the same answer a suffix URL gives. Hash IRIs (ontology terms, shapes) resolve to their
document, as HTTP requires.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pyoxigraph as ox

from rograph.namespaces import BASE
from rograph.result_formats import ResultFormat
from rograph.web.sansio.negotiation import negotiate, quality_values

HTML = ResultFormat("text/html", None, ("html", "htm"), ("application/xhtml+xml",))

#: What an IRI can be fetched as, in the server's order of preference: a client that states no
#: preference (or */*) gets the page a person can read.
DOCUMENT_FORMATS: tuple[ResultFormat, ...] = (
    HTML,
    ResultFormat("text/turtle", ox.RdfFormat.TURTLE, ("ttl",)),
    ResultFormat("application/ld+json", ox.RdfFormat.JSON_LD, ("jsonld",), ("application/json",)),
    ResultFormat("application/rdf+xml", ox.RdfFormat.RDF_XML, ("rdf",)),
    ResultFormat("application/n-triples", ox.RdfFormat.N_TRIPLES, ("nt",)),
    ResultFormat("application/trig", ox.RdfFormat.TRIG, ("trig",)),
    ResultFormat("application/n-quads", ox.RdfFormat.N_QUADS, ("nq",)),
)

#: Languages the pages are written in; the first is the fallback.
LANGUAGES = ("en", "lv", "et")


@dataclass(frozen=True)
class DocumentRequest:
    """A request for the document about one IRI."""

    iri: str
    #: The path without a format suffix: where the IRI itself is served.
    path: str
    #: The format a suffix named (``.ttl``), or ``None`` when Accept decides.
    suffix_format: ResultFormat | None


def parse_document_path(path: str) -> DocumentRequest:
    """The IRI a server path names, and the format its suffix asks for.

    ``organisation/x.ttl`` names ``{BASE}organisation/x`` as Turtle; a final segment whose
    suffix is not a format (``v1.2``) is part of the IRI.
    """
    path = path.lstrip("/")
    stem, dot, extension = path.rpartition(".")
    if dot and "/" not in extension:
        for fmt in DOCUMENT_FORMATS:
            if extension.lower() == fmt.names[0]:
                return DocumentRequest(BASE + stem, stem, fmt)
    return DocumentRequest(BASE + path, path, None)


def choose_document_format(accept: str | None, request: DocumentRequest) -> ResultFormat:
    """The suffix's format if there is one, else the best for ``Accept`` (raises NotAcceptable)."""
    return request.suffix_format or negotiate(accept, DOCUMENT_FORMATS)


def address_of(iri: str, root: str) -> str:
    """Where ``iri`` is served on the server whose root URL is ``root``; IRIs we do not
    publish are returned unchanged."""
    if iri.startswith(BASE):
        return root.rstrip("/") + "/" + iri[len(BASE) :]
    return iri


def link_to(iri: str, root: str) -> str | None:
    """Where a page links for ``iri``: its address if that is an http(s) URL or a path on this
    server, else ``None`` (``javascript:``, ``data:``, ``urn:``…: pages show those as text)."""
    address = address_of(iri, root)
    if address.startswith("/"):
        return None if address.startswith(("//", "/\\")) else address
    parts = urlsplit(address)
    return address if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def document_address(request: DocumentRequest, fmt: ResultFormat, root: str) -> str:
    """The URL of the document about ``request.iri`` in ``fmt``: the Content-Location."""
    return root.rstrip("/") + "/" + request.path + "." + fmt.names[0]


def alternates(request: DocumentRequest, root: str) -> str:
    """A ``Link`` header value listing the document in every format."""
    return ", ".join(
        f'<{document_address(request, fmt, root)}>; rel="alternate"; type="{fmt.media_type}"'
        for fmt in DOCUMENT_FORMATS
    )


def choose_language(accept_language: str | None, asked: str | None) -> str:
    """``?lang=`` if it is one of :data:`LANGUAGES`, else the best of ``Accept-Language``
    (q-values honoured, ``lv-LV`` counts as ``lv``), else English."""
    if asked in LANGUAGES:
        return asked
    best, best_q = LANGUAGES[0], 0.0
    for tag, q in quality_values(accept_language or ""):
        primary = tag.lower().split("-")[0]
        if primary in LANGUAGES and q > best_q:
            best, best_q = primary, q
    return best


def entity_tag(*parts: str) -> str:
    """A strong ETag for a representation built from ``parts`` (store version, path, format,
    language, page): it changes exactly when any of them does."""
    return '"' + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32] + '"'


def is_fresh(if_none_match: str | None, if_modified_since: str | None, etag: str, last_modified: datetime) -> bool:
    """Whether the client's cached copy is current (RFC 9110 §13.1: If-None-Match, when sent,
    decides alone)."""
    if if_none_match:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and last_modified.replace(microsecond=0) <= since
    return False
