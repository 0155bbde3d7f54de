"""Choose a response format from ``Accept`` (RFC 9110 §12.5.1), with a ``format=`` override.

The server's own order of preference breaks ties, so ``*/*`` and a missing header get the
first format offered: SPARQL JSON for solutions, Turtle for graphs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class ResultFormat:
    """One way to write results: the media type sent, the pyoxigraph format, the short names."""

    media_type: str
    writer: ox.QueryResultsFormat | ox.RdfFormat | None
    names: tuple[str, ...]
    also_accepted: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        text = self.media_type.startswith("text/") or self.media_type.endswith(("+json", "+xml", "/json", "/xml"))
        return f"{self.media_type}; charset=utf-8" if text else self.media_type


#: For SELECT and ASK, in the server's order of preference.
SOLUTION_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("application/sparql-results+json", ox.QueryResultsFormat.JSON, ("json", "srj"), ("application/json",)),
    ResultFormat("application/sparql-results+xml", ox.QueryResultsFormat.XML, ("xml", "srx"), ("application/xml", "text/xml")),
    ResultFormat("text/csv", ox.QueryResultsFormat.CSV, ("csv",)),
    ResultFormat("text/tab-separated-values", ox.QueryResultsFormat.TSV, ("tsv",)),
)

#: For CONSTRUCT and DESCRIBE (and the service description), in the server's order of preference.
GRAPH_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("text/turtle", ox.RdfFormat.TURTLE, ("ttl", "turtle")),
    ResultFormat("application/n-triples", ox.RdfFormat.N_TRIPLES, ("nt", "ntriples", "n-triples"), ("text/plain",)),
    ResultFormat("application/rdf+xml", ox.RdfFormat.RDF_XML, ("rdf", "rdfxml", "xml", "rdf+xml"), ("application/xml", "text/xml")),
    ResultFormat("application/ld+json", ox.RdfFormat.JSON_LD, ("jsonld", "json-ld", "json"), ("application/json",)),
    ResultFormat("application/trig", ox.RdfFormat.TRIG, ("trig",)),
    ResultFormat("application/n-quads", ox.RdfFormat.N_QUADS, ("nq", "nquads", "n-quads")),
)


class NotAcceptable(Exception):
    """Nothing offered matches; the message lists what is."""

    def __init__(self, offered: tuple[ResultFormat, ...], asked: str):
        self.offered = offered
        available = ", ".join(f.media_type for f in offered)
        super().__init__(f"cannot answer with {asked}; available: {available}")


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """Specificity of the match (3 exact, 2 type/*, 1 */*), 0 if none."""
        main, _, sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 1
        if self.type == main and self.subtype == "*":
            return 2
        if self.type == main and self.subtype == sub:
            return 3
        return 0


def parse_accept(header: str) -> list[_Range]:
    """The media ranges of an Accept header; malformed parts are skipped, as browsers expect."""
    ranges = []
    for part in header.split(","):
        mime, *params = part.strip().split(";")
        main, slash, sub = mime.strip().lower().partition("/")
        if not slash or not main or not sub:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append(_Range(main, sub, q))
    return ranges


def _quality(ranges: list[_Range], media_type: str, *, exact_only: bool = False) -> float:
    """The q of the most specific range matching ``media_type`` (RFC 9110: specificity wins)."""
    matching = [(r.matches(media_type), r.q) for r in ranges if r.matches(media_type) >= (3 if exact_only else 1)]
    return max(matching)[1] if matching else 0.0


def negotiate(accept: str | None, offered: tuple[ResultFormat, ...], override: str | None = None) -> ResultFormat:
    """The best of ``offered`` for this ``Accept`` header, or the one ``override`` names.

    ``override`` is a short name (``json``, ``ttl``…) or a media type; it wins over Accept so
    that a browser link can ask for CSV. Raises :class:`NotAcceptable`.
    """
    if override:
        wanted = override.strip().lower()
        for fmt in offered:
            if wanted in fmt.names or wanted == fmt.media_type or wanted in fmt.also_accepted:
                return fmt
        raise NotAcceptable(offered, f"format={override}")
    if not accept or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offered[0]
    best, best_q = None, 0.0
    for fmt in offered:
        # Other names of a format (application/json for SPARQL JSON) count only when the client
        # names them exactly; a wildcard such as text/* reaches a format by its own type.
        q = max([_quality(ranges, fmt.media_type)] + [_quality(ranges, t, exact_only=True) for t in fmt.also_accepted])
        if q > best_q:
            best, best_q = fmt, q
    if best is None:
        raise NotAcceptable(offered, f"Accept: {accept}")
    return best


def choose_format(accept: str | None, form: str | None, override: str | None = None) -> ResultFormat:
    """The response format for a query of ``form`` (``SELECT``, ``CONSTRUCT``…).

    One leniency, as Fuseki and Virtuoso have it: a client that accepts only SPARQL result
    formats but sends a CONSTRUCT or DESCRIBE (rdflib's SPARQLStore does) gets Turtle rather
    than a 406, since it plainly speaks SPARQL and did not know the query's form.
    """
    if form in ("CONSTRUCT", "DESCRIBE"):
        try:
            return negotiate(accept, GRAPH_FORMATS, override)
        except NotAcceptable:
            ranges = parse_accept(accept or "")
            if not override and ranges and all(r.subtype.startswith("sparql-results") for r in ranges if r.q > 0):
                return GRAPH_FORMATS[0]
            raise
    return negotiate(accept, SOLUTION_FORMATS, override)
