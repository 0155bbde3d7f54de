"""Choose a response format from ``Accept`` (RFC 9110 §12.5.1), with a ``format=`` override.

The server's own order of preference breaks ties, so ``*/*`` and a missing header get the
first format offered: SPARQL JSON for solutions, Turtle for graphs.

``format=`` may come more than once, and a value may be a comma-separated list of media types:
SPARQLWrapper sends its format as ``format``, ``output`` and ``results``, and for TSV, RDF/XML
and JSON-LD adds its Accept header as a second ``format`` value. Values that all name the same
format are that format; values that name different ones are a 400.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rograph.result_formats import GRAPH_FORMATS, SOLUTION_FORMATS, ResultFormat
from rograph.web.sansio.request import ProtocolError


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


def quality_values(header: str) -> list[tuple[str, float]]:
    """The items of a header with quality values (``Accept``, ``Accept-Language``), each with
    its ``q`` (RFC 9110 §12.4.2): 1 when absent, clamped to 0..1, 0 when it is no number (so a
    malformed weight never wins). Other parameters are dropped; the item is as written."""
    items = []
    for part in header.split(","):
        item, *params = part.strip().split(";")
        q = 1.0
        for param in params:
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        items.append((item.strip(), q))
    return items


def parse_accept(header: str) -> list[_Range]:
    """The media ranges of an Accept header; malformed parts are skipped, as browsers expect."""
    ranges = []
    for mime, q in quality_values(header):
        main, slash, sub = mime.lower().partition("/")
        if not slash or not main or not sub:
            continue
        ranges.append(_Range(main, sub, q))
    return ranges


def _quality(ranges: list[_Range], media_type: str, *, exact_only: bool = False) -> float:
    """The q of the most specific range matching ``media_type`` (RFC 9110: specificity wins)."""
    matching = [(r.matches(media_type), r.q) for r in ranges if r.matches(media_type) >= (3 if exact_only else 1)]
    return max(matching)[1] if matching else 0.0


def _named(value: str, offered: tuple[ResultFormat, ...]) -> ResultFormat | None:
    """The format of ``offered`` that a ``format=`` value names: a short name (``json``,
    ``ttl``…), a media type, or a comma-separated list of media types (the first one offered)."""
    for item in value.split(","):
        wanted = item.split(";")[0].strip().lower()
        for fmt in offered:
            if wanted in fmt.names or wanted == fmt.media_type or wanted in fmt.also_accepted:
                return fmt
    return None


def negotiate(accept: str | None, offered: tuple[ResultFormat, ...], overrides: Sequence[str] = ()) -> ResultFormat:
    """The best of ``offered`` for this ``Accept`` header, or the one the ``format=`` values
    (``overrides``) name.

    ``overrides`` win over Accept, so that a browser link can ask for CSV. Raises
    :class:`NotAcceptable`, or :class:`ProtocolError` (400) when the values name different formats.
    """
    overrides = [value for value in overrides if value.strip()]  # an empty format= (a blank form field) says nothing
    if overrides:
        named: dict[str, ResultFormat] = {}
        for value in overrides:
            fmt = _named(value, offered)
            if fmt is None:
                raise NotAcceptable(offered, f"format={value}")
            named[value] = fmt
        if len({fmt.media_type for fmt in named.values()}) > 1:
            meanings = ", ".join(f"format={value} ({fmt.media_type})" for value, fmt in named.items())
            raise ProtocolError(400, f"the format parameters ask for different formats: {meanings}; send one")
        return named[overrides[0]]
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


def choose_format(accept: str | None, form: str | None, overrides: Sequence[str] = ()) -> ResultFormat:
    """The response format for a query of ``form`` (``SELECT``, ``CONSTRUCT``…).

    One leniency, as Fuseki and Virtuoso have it: a client that accepts only SPARQL result
    formats but sends a CONSTRUCT or DESCRIBE (rdflib's SPARQLStore does) gets Turtle rather
    than a 406, since it plainly speaks SPARQL and did not know the query's form.
    """
    if form in ("CONSTRUCT", "DESCRIBE"):
        try:
            return negotiate(accept, GRAPH_FORMATS, overrides)
        except NotAcceptable:
            ranges = parse_accept(accept or "")
            if not overrides and ranges and all(r.subtype.startswith("sparql-results") for r in ranges if r.q > 0):
                return GRAPH_FORMATS[0]
            raise
    return negotiate(accept, SOLUTION_FORMATS, overrides)
