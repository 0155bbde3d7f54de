"""One query executor process: runs one query at a time and writes its answer, serialised by
pyoxigraph, to the socket the HTTP worker reads, then how it ended (see :mod:`protocol`).

Started by the broker (:mod:`rograph.executor.broker`) with :func:`run`: it loses its network,
opens the store, caps its memory and then serves queries from the broker until it is killed
(at a query's deadline) or its broker goes away.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from rograph.executor import isolation, protocol
from rograph.executor.federation import FederationRule
from rograph.result_formats import GRAPH_FORMATS, SOLUTION_FORMATS
from rograph.sparql_text import NESTING_LIMIT, QueryText
from rograph.store.base import QueryRefused, QuerySyntaxError, Store, StoreTimeout, StoreUnavailable

log = logging.getLogger("rograph.executor")

#: The stack the parser and evaluator run on: deep enough for any query within the nesting limit.
STACK_BYTES = 64 * 1024 * 1024
#: Bytes of answer in one record of the answer channel.
CHUNK = protocol.RECORD - 1
#: Answer formats by media type; "internal" answers (for pages) are SPARQL JSON or N-Triples.
_FORMATS = {f.media_type: f for f in SOLUTION_FORMATS + GRAPH_FORMATS}
#: What an isolated executor checks for a clear refusal of plain SERVICE spellings.
_COURTESY = FederationRule(frozenset(), lexical_only=True)
#: First byte of an internal answer: what follows.
INTERNAL_SOLUTIONS, INTERNAL_TRIPLES = b"J", b"T"


@dataclass(frozen=True)
class ExecutorConfig:
    query_memory: int
    #: Drop the network (the embedded store); a remote store needs it to be reached.
    isolate: bool
    #: Where the front listens, to prove the network is gone.
    probe: tuple[str, int]
    federation: FederationRule


class ResultTooLarge(Exception):
    def __init__(self, cap: int):
        self.cap = cap
        super().__init__(
            f"the result is larger than the {cap:,} bytes this endpoint sends; narrow the query or add LIMIT"
        )


def memory_message(query_memory: int) -> str:
    return (
        f"the query needed more memory than the {query_memory // (1024 * 1024):,} MiB a query may use "
        "on this endpoint (ROGRAPH_QUERY_MEMORY) and was stopped; narrow it (more specific patterns, LIMIT) or "
        "run it on a copy of the data (see /dumps/)"
    )


class _CappedWriter:
    """A binary file for pyoxigraph's writers: sends to the answer channel in records of
    :data:`CHUNK` bytes, and stops the serialisation (by raising) past ``cap`` bytes or when the
    reader has gone."""

    def __init__(self, out: socket.socket, cap: int):
        self.out, self.cap, self.written, self.buffer = out, cap, 0, bytearray(protocol.DATA)

    def write(self, data) -> int:
        self.written += len(data)
        if self.written > self.cap:
            raise ResultTooLarge(self.cap)
        self.buffer += data
        if len(self.buffer) > CHUNK:
            self._send_full_records()
        return len(data)

    def _send_full_records(self) -> None:
        view = memoryview(self.buffer)
        start = 1
        while len(self.buffer) - start >= CHUNK:
            self.out.sendall(protocol.DATA + view[start : start + CHUNK])
            start += CHUNK
        view.release()
        del self.buffer[1:start]

    def flush(self) -> None:
        if len(self.buffer) > 1:
            self.out.sendall(self.buffer)
            del self.buffer[1:]


def run(control: socket.socket, open_store: Callable[[], Store], config: ExecutorConfig) -> None:
    """The executor's life; never returns."""
    isolation.die_with_parent()
    isolation.name_process(b"rograph-exec")
    os.environ["RUST_BACKTRACE"] = "0"  # an allocation failure prints one line, not a backtrace
    isolated, why = False, "the store is remote"
    if config.isolate:
        try:
            isolation.drop_network()
            if isolation.network_reachable(*config.probe):
                why = f"a connection to {config.probe[0]}:{config.probe[1]} still succeeded after unshare"
            else:
                isolated, why = True, ""
        except isolation.IsolationUnavailable as error:
            why = str(error)
    try:
        store = open_store()
        if hasattr(store, "_store"):
            _ = store._store  # an on-disk store opens its database now, before the memory cap
    except Exception as error:  # reported to the broker, which logs it and stops
        protocol.send(control, {"ready": False, "error": f"cannot open the store: {error}"})
        os._exit(1)
    threading.stack_size(STACK_BYTES)
    worker = threading.Thread(target=_serve, args=(control, store, config, isolated, why), name="rograph-executor")
    worker.start()
    worker.join()
    os._exit(0)


def _serve(control: socket.socket, store: Store, config: ExecutorConfig, isolated: bool, why: str) -> None:
    # By construction when isolated; else the parsed-query rule, or refuse anything that might
    # name a service where isolation was wanted but the OS refused it.
    rule = None if isolated else FederationRule(frozenset(), refuse_any=True) if config.isolate else config.federation
    ceiling = isolation.cap_memory(config.query_memory)
    protocol.send(control, {"ready": True, "pid": os.getpid(), "isolated": isolated, "why": why, "ceiling": ceiling})
    while True:
        try:
            request, fd = protocol.receive(control, with_fd=True)
        except protocol.ChannelClosed:
            return
        out = socket.socket(fileno=fd) if fd is not None else None
        try:
            if out is None:  # every query request carries its answer socket (executor/protocol.py)
                report = {"error": "failed", "message": "the request came without its answer socket"}
            else:
                report = _execute(store, request, out, rule)
        except MemoryError:  # Python's own allocations past the ceiling (Rust's abort the process)
            report = {"error": "memory", "message": memory_message(config.query_memory)}
        # The broker's count first: the HTTP worker may send its next query as soon as it reads
        # the end record, and the broker must have seen this one finish by then.
        protocol.send(control, {"ok": bool(report.get("ok")), "error": report.get("error")})
        if out is not None:
            try:
                out.sendall(_end_record(report))
            except OSError:
                pass
            out.close()
        if report.get("error") == "memory":
            os._exit(0)  # start afresh: the broker replaces this process


def _execute(store: Store, request: dict, out: socket.socket, federation: FederationRule | None) -> dict:
    query = QueryText(request["query"])  # scanned once here, for every check and the store
    try:
        if query.exceeds_nesting_limit:
            raise QuerySyntaxError(
                f"the query nests groups, OPTIONALs or brackets deeper than this endpoint's "
                f"limit of {NESTING_LIMIT} levels"
            )
        if federation is not None:
            federation.check(query)
        elif "SERVICE" in query.text.upper():  # isolated: only to word the refusal (the namespace is the defence)
            _COURTESY.check(query)
        results = store.query(
            query, default_graph_uris=request.get("default", ()), named_graph_uris=request.get("named", ())
        )
        writer = _CappedWriter(out, request["cap"])
        _write(results, request.get("format"), writer)
        writer.flush()
    except QuerySyntaxError as error:
        return {"error": "syntax", "message": error.message, "line": error.line, "column": error.column}
    except QueryRefused as error:
        return {"error": "refused", "message": error.message, "status": error.status}
    except ResultTooLarge as error:
        return {"error": "too_large", "message": str(error)}
    except StoreTimeout as error:
        return {"error": "store_timeout", "message": str(error)}
    except StoreUnavailable as error:
        return {"error": "store_unavailable", "message": str(error)}
    except (BrokenPipeError, ConnectionResetError):
        return {"error": "gone", "message": "the reader went away"}
    except OSError as error:
        if federation is None and "os error 101" in str(error):  # an isolated executor tried the network
            return {
                "error": "refused",
                "status": 400,
                "message": "SERVICE cannot reach anything from this endpoint: "
                "queries run without network access (federation is off); no outbound request was made",
            }
        return {"error": "failed", "message": str(error)}
    except (RuntimeError, ValueError) as error:
        return {"error": "failed", "message": str(error)}
    return {"ok": True, "bytes": writer.written}


def _end_record(report: dict) -> bytes:
    record = protocol.end_record(report)
    if len(record) > protocol.RECORD:  # only an error message could be this long
        report = dict(report, message=report.get("message", "")[: CHUNK // 8] + " …")
        record = protocol.end_record(report)
    return record


def _write(results, media_type: str | None, out: _CappedWriter) -> None:
    graph = isinstance(results, ox.QueryTriples)
    if media_type is None:  # an internal answer, parsed again by the HTTP worker
        out.write(INTERNAL_TRIPLES if graph else INTERNAL_SOLUTIONS)
        # pyoxigraph only calls write() on ``out``; its stub asks for a whole IO[bytes].
        if graph:
            ox.serialize(results, out, format=ox.RdfFormat.N_TRIPLES)  # type: ignore[arg-type]
        else:
            results.serialize(out, format=ox.QueryResultsFormat.JSON)
        return
    fmt = _FORMATS[media_type]
    if graph != (fmt in GRAPH_FORMATS):
        raise ValueError(f"the query's form does not match {fmt.media_type}")
    if graph and isinstance(fmt.writer, ox.RdfFormat) and fmt.writer in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        # Triples are a dataset with only a default graph; write them as quads.
        quads = (ox.Quad(t.subject, t.predicate, t.object) for t in results)
        ox.serialize(quads, out, format=fmt.writer)  # type: ignore[arg-type]  # out: as above
    else:
        results.serialize(out, format=fmt.writer)
