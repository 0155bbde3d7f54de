"""The HTTP worker's side of the pool: a :class:`~rograph.store.Store` whose queries run in the
executors.

Each thread keeps one connection to the broker (opened on its first query, again after a fork
or a failure) and sends its queries on it one at a time, so a query costs no connection set-up;
any WSGI server works (processes or threads, forked or freshly started: only the socket's path
is needed). The client a query is counted against is :data:`client_id`, which the web layer
sets for each request.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import threading
from collections.abc import Iterator, Sequence
from contextvars import ContextVar

import pyoxigraph as ox

from rograph.config import Settings
from rograph.executor import protocol
from rograph.executor.executor import INTERNAL_TRIPLES
from rograph.sparql_text import QueryText
from rograph.store.base import (
    QueryRefused,
    QueryStopped,
    QuerySyntaxError,
    Store,
    StoreTimeout,
    StoreUnavailable,
)
from rograph.store.build import Build
from rograph.store.queries import QueryResults, as_query_triples

#: Who the current query is for: (the client's address, whether it is exempt from the fair-share
#: limits). Local use (the CLI, start-up checks) is exempt.
client_id: ContextVar[tuple[str, bool]] = ContextVar("rograph_client", default=("local", True))


class _Connections(threading.local):
    """This thread's idle connection to the broker, and the process it was opened in."""

    idle: socket.socket | None = None
    pid: int = 0


class Answer:
    """The bytes of one query's answer as the executor writes them, and how it ended.

    ``head(limit)`` reads the first ``limit`` bytes or the whole answer if shorter (so the caller
    can choose between a complete response and a streamed one); ``rest()`` the remainder. Either
    raises the query's error once it is known. A connection whose answer ended as the protocol
    says goes back to its thread for the next query; any other is closed, which tells the broker
    to stop the query if it still runs.
    """

    def __init__(self, control: socket.socket, message: dict, *, timeout: float, release):
        # The connection is released (None) once the answer has ended, and never used again.
        self.control: socket.socket | None = control
        self.id, self.release = message["id"], release
        self.data, theirs = protocol.answer_channel()
        try:
            protocol.send(self.control, message, fd=theirs.fileno())
        except OSError as error:
            self.close()
            raise StoreUnavailable(
                f"the query executors cannot be reached ({error}); is rograph serve running?"
            ) from None
        finally:
            theirs.close()
        self.timeout = timeout
        self.data.settimeout(timeout)
        self.sent = 0
        self.ended = False

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
        if self.ended:
            return None
        try:
            record = self.data.recv(protocol.RECORD)
        except TimeoutError:
            self.close()
            raise QueryStopped("the query executor stopped sending its answer", 500) from None
        if record[:1] == protocol.DATA:
            self.sent += len(record) - 1
            return record[1:]
        if record[:1] == protocol.END:
            report = json.loads(record[1:])
        else:  # the channel ended without an end record: the broker says why
            report = self._broker_report()
        self.ended = True
        self.data.close()
        if self.control is not None:
            self.release(self.control)
            self.control = None
        if report.get("ok"):
            return None
        raise _error(report)

    def _broker_report(self) -> dict:
        control = self.control
        assert control is not None  # read before the answer ends, which is what releases it
        control.settimeout(self.timeout)
        try:
            while True:
                report, _ = protocol.receive(control)
                if report.get("id") == self.id:  # an earlier query's late word is dropped
                    control.settimeout(None)
                    return report
        except (protocol.ChannelClosed, OSError):
            self.close()
            raise QueryStopped("the query broker went away while the query ran; try again", 503) from None

    def close(self) -> None:
        """Give up on the answer (or release what is left of a finished one)."""
        self.data.close()
        if self.control is not None:
            self.control.close()
            self.control = None


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
        self._connections = _Connections()
        self._ids = itertools.count(1)

    @classmethod
    def for_settings(cls, build: Build, socket_path: str, settings: Settings) -> PoolStore:
        """The pool's store with the response cap and deadline ``settings`` give: how ``rograph
        serve``, ``rograph query`` and a front started apart make it."""
        return cls(
            build, socket_path, max_response_bytes=settings.max_response_bytes, query_timeout=settings.query_timeout
        )

    def _connection(self) -> socket.socket:
        """This thread's idle broker connection, taken out of its hands until the answer ends
        (a second answer opened meanwhile on the same thread gets a connection of its own)."""
        local = self._connections
        if local.pid != os.getpid():  # a connection inherited across a fork is the parent's
            if local.idle is not None:
                local.idle.close()
            local.idle, local.pid = None, os.getpid()
        control, local.idle = local.idle, None
        if control is None:
            control = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                control.connect(self.socket_path)
            except OSError as error:
                control.close()
                raise StoreUnavailable(
                    f"the query executors cannot be reached ({error}); is rograph serve running?"
                ) from None
        return control

    def _release(self, control: socket.socket) -> None:
        local = self._connections
        if local.idle is None and local.pid == os.getpid():
            local.idle = control
        else:
            control.close()

    def answer(
        self,
        sparql: str,
        media_type: str | None,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        cap: int | None = None,
    ) -> Answer:
        """Run ``sparql`` and stream its answer serialised as ``media_type`` (by pyoxigraph, in the executor)."""
        client, exempt = client_id.get()
        message = {
            "query": sparql,
            "default": list(default_graph_uris),
            "named": list(named_graph_uris),
            "format": media_type,
            "cap": self.max_response_bytes if cap is None else cap,
            "client": client,
            "exempt": exempt,
            "id": next(self._ids),
        }
        return Answer(self._connection(), message, timeout=self.wait, release=self._release)

    def query(
        self, sparql: str | QueryText, *, default_graph_uris: Sequence[str] = (), named_graph_uris: Sequence[str] = ()
    ) -> QueryResults:
        body = self.answer(
            QueryText.of(sparql).text, None, default_graph_uris=default_graph_uris, named_graph_uris=named_graph_uris
        ).read()
        if body[:1] == INTERNAL_TRIPLES:
            return as_query_triples(ox.parse(body[1:], format=ox.RdfFormat.N_TRIPLES))
        return ox.parse_query_results(body[1:], format=ox.QueryResultsFormat.JSON)
