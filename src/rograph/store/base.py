"""The store interface: what the web layer and the CLI may ask of a store."""

from __future__ import annotations

import re
from datetime import datetime

from rograph.store.build import Build
from rograph.store.queries import SparqlQueries


class QuerySyntaxError(ValueError):
    """The query does not parse. Carries the parser's message and, where known, position."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.message, self.line, self.column = message, line, column
        where = "" if line is None else f" at line {line}" + ("" if column is None else f", column {column}")
        super().__init__(f"{message}{where}")

    @classmethod
    def from_parser(cls, text: str) -> QuerySyntaxError:
        """From a parser's message, with the position taken out of it where it has one in a
        known form: Oxigraph's ``error at 1:25: …``, Jena's ``… at line 1, column 25``,
        Virtuoso's ``… SPARQL compiler, line 1: …`` (a line, no column; the query it echoes
        after the message is dropped)."""
        match = _OXIGRAPH_POSITION.match(text)
        if match:
            return cls(text[match.end() :], int(match[1]), int(match[2]))
        match = _VIRTUOSO_POSITION.search(text)
        if match:
            return cls(match[2].strip(), int(match[1]))
        match = _JENA_POSITION.search(text)
        if match:
            return cls((text[: match.start()] + text[match.end() :]).strip(" .:"), int(match[1]), int(match[2]))
        return cls(text)


_OXIGRAPH_POSITION = re.compile(r"^error at (\d+):(\d+): ")
_JENA_POSITION = re.compile(r",? at line (\d+), column (\d+)")
_VIRTUOSO_POSITION = re.compile(r"SPARQL compiler, line (\d+): (.*?)(?:\n\s*\nSPARQL query:.*)?$", re.DOTALL)


class StoreUnavailable(Exception):
    """A remote store could not be reached or gave an answer that is not SPARQL (502)."""


class StoreTimeout(Exception):
    """A remote store did not answer within the query time limit (503, as a local timeout)."""


class QueryRefused(Exception):
    """The query may not run here (a SERVICE outside the allow-list: 400; the client's fair share
    used up: 429 with ``retry_after`` seconds; every executor busy for too long: 503)."""

    def __init__(self, message: str, status: int = 400, retry_after: int | None = None):
        self.message, self.status, self.retry_after = message, status, retry_after
        super().__init__(message)


class QueryStopped(Exception):
    """The query's executor stopped it: past the time limit (503, ``timed_out``), past the memory
    ceiling or the response size cap (400), or its process died (500). Its executor was replaced."""

    def __init__(self, message: str, status: int, *, timed_out: bool = False):
        self.message, self.status, self.timed_out = message, status, timed_out
        super().__init__(message)


class StoreMisconfigured(Exception):
    """The store is reachable but set up so that rograph cannot serve from it."""


class Store(SparqlQueries):
    """A read-only view of the knowledge graph that answers SPARQL.

    The default graph of a query is the union of all named graphs unless the request names
    default graphs itself.
    """

    #: Identifies the data served (the sources' content hash): keys caches and ETags.
    version: str
    #: When the data served was built.
    built: datetime
    #: The build this store serves, whose dumps and dataset description the site publishes.
    build: Build

    def graph_counts(self) -> dict[str, int]:
        """The named graphs served, each with its number of triples (from the build)."""
        return self.build.graph_counts

    def quad_count(self) -> int:
        """Number of quads served (from the build)."""
        return self.build.quad_count

    def check(self) -> list[str]:
        """Before serving: what would make the service answer from other data than the
        build's, in words an operator can act on (empty: ready). Raises
        :class:`StoreMisconfigured` or :class:`StoreUnavailable` when serving cannot work."""
        return []
