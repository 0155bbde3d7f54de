"""The HTTP worker's side of the pool: a :class:`~rograph.store.Store` whose queries run in the
executors.

Every call opens its own connection to the broker, so any WSGI server works (processes or
threads, forked or freshly started: only the socket's path is needed). The client a query is
counted against is :data:`client_id`, which the web layer sets for each request.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator, Sequence
from contextvars import ContextVar

import pyoxigraph as ox

from rograph.executor import protocol
from rograph.executor.executor import INTERNAL_TRIPLES
from rograph.store.base import QueryRefused, QueryResults, QueryStopped, QuerySyntaxError, Store, StoreTimeout, StoreUnavailable
from rograph.store.build import Build

#: Who the current query is for: (the client's address, whether it is exempt from the fair-share
#: limits). Local use (the CLI, start-up checks) is exempt.
client_id: ContextVar[tuple[str, bool]] = ContextVar("rograph_client", default=("local", True))

CHUNK = 64 * 1024


class Answer:
    """The bytes of one query's answer as the executor writes them, and how it ended.

    ``head(limit)`` reads the first ``limit`` bytes or the whole answer if shorter (so the caller
    can choose between a complete response and a streamed one); ``rest()`` the remainder. Either
    raises the query's error once the executor has reported it.
    """

    def __init__(self, socket_path: str, message: dict, *, timeout: float):
        self.control = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.data, theirs = socket.socketpair()
        try:
            self.control.connect(socket_path)
            protocol.send(self.control, message, fd=theirs.fileno())
        except OSError as error:
            self.close()
            raise StoreUnavailable(f"the query executors cannot be reached ({error}); is rograph serve running?") from None
        finally:
            theirs.close()
        self.timeout = timeout
        self.data.settimeout(timeout)
        self.sent = 0

    def head(self, limit: int) -> tuple[bytes, bool]:
        parts: list[bytes] = []
        size = 0
        while size < limit:
            chunk = self._next()
            if chunk is None:
                return b"".join(parts), True
            parts.append(chunk)
            size += len(chunk)
        return b"".join(parts), False

    def rest(self) -> Iterator[bytes]:
        while (chunk := self._next()) is not None:
            yield chunk

    def read(self) -> bytes:
        return self.head(1 << 62)[0]

    def _next(self) -> bytes | None:
        try:
            chunk = self.data.recv(CHUNK)
        except socket.timeout:
            raise QueryStopped("the query executor stopped sending its answer", 500) from None
        if chunk:
            self.sent += len(chunk)
            return chunk
        self._raise_if_failed()
        return None

    def _raise_if_failed(self) -> None:
        self.control.settimeout(self.timeout)
        try:
            report, _ = protocol.receive(self.control)
        except (protocol.ChannelClosed, OSError):
            raise QueryStopped("the query broker went away while the query ran; try again", 503) from None
        finally:
            self.close()
        if report.get("ok"):
            return
        raise _error(report)

    def close(self) -> None:
        self.data.close()
        self.control.close()


def _error(report: dict) -> Exception:
    kind, message = report.get("error"), report.get("message", "")
    if kind == "syntax":
        return QuerySyntaxError(message, report.get("line"), report.get("column"))
    if kind == "refused":
        return QueryRefused(message, report.get("status", 400), report.get("retry_after"))
    if kind == "timeout":
        return QueryStopped(message, 503, timed_out=True)
    if kind in ("memory", "too_large"):
        return QueryStopped(message, 400)
    if kind == "store_timeout":
        return StoreTimeout(message)
    if kind == "store_unavailable":
        return StoreUnavailable(message)
    if kind == "failed":
        return RuntimeError(message)
    return QueryStopped(message or "the query was not answered", 500)


class PoolStore(Store):
    """The store as the HTTP workers see it: the build's facts here, the queries in the pool."""

    def __init__(self, build: Build, socket_path: str, *, max_response_bytes: int, query_timeout: float):
        self.build, self.version, self.built = build, build.version, build.built
        self.socket_path, self.max_response_bytes = socket_path, max_response_bytes
        # The broker ends every query at its deadline; waiting longer only covers a lost broker.
        self.wait = query_timeout + 30

    def answer(self, sparql: str, media_type: str | None, *, default_graph_uris: Sequence[str] = (),
               named_graph_uris: Sequence[str] = (), cap: int | None = None) -> Answer:
        """Run ``sparql`` and stream its answer serialised as ``media_type`` (by pyoxigraph, in the executor)."""
        client, exempt = client_id.get()
        message = {"query": sparql, "default": list(default_graph_uris), "named": list(named_graph_uris),
                   "format": media_type, "cap": self.max_response_bytes if cap is None else cap,
                   "client": client, "exempt": exempt}
        return Answer(self.socket_path, message, timeout=self.wait)

    def query(self, sparql: str, *, default_graph_uris: Sequence[str] = (), named_graph_uris: Sequence[str] = ()) -> QueryResults:
        body = self.answer(sparql, None, default_graph_uris=default_graph_uris, named_graph_uris=named_graph_uris).read()
        if body[:1] == INTERNAL_TRIPLES:
            return _as_query_triples(ox.parse(body[1:], format=ox.RdfFormat.N_TRIPLES))
        return ox.parse_query_results(body[1:], format=ox.QueryResultsFormat.JSON)


def _as_query_triples(triples) -> ox.QueryTriples:
    from rograph.store.remote import _as_query_triples as convert

    return convert(triples)
