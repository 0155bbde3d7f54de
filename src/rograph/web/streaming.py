"""Write query results as a stream of bytes, with bounded memory and a size cap.

pyoxigraph serialises results itself (fast, in Rust) into a file-like object. A producer
thread gives it a writer that hands chunks to a small bounded queue; the WSGI response drains
the queue. Memory stays at a few chunks whatever the result size, and when the client goes
away the writer raises, which stops the serialisation (and the query feeding it).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator

CHUNK = 64 * 1024
_DONE = object()


class ResultTooLarge(Exception):
    def __init__(self, cap: int):
        self.cap = cap
        super().__init__(f"the result is larger than the {cap:,} bytes this endpoint sends; narrow the query or add LIMIT")


class _Cancelled(Exception):
    pass


class _QueueWriter:
    """A binary file-like object that batches writes into chunks on a bounded queue."""

    def __init__(self, chunks: "queue.Queue", cancelled: threading.Event):
        self.chunks, self.cancelled, self.buffer = chunks, cancelled, bytearray()

    def write(self, data) -> int:
        if self.cancelled.is_set():
            raise _Cancelled()
        self.buffer += data
        if len(self.buffer) >= CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buffer:
            self._put(bytes(self.buffer))
            self.buffer.clear()

    def _put(self, item) -> None:
        while True:
            if self.cancelled.is_set():
                raise _Cancelled()
            try:
                self.chunks.put(item, timeout=0.5)
                return
            except queue.Full:
                continue


class ResultStream:
    """Runs ``serialize(writer)`` in a thread and yields what it writes.

    ``head(limit)`` waits for the first ``limit`` bytes (or the end) so the caller can choose
    between a complete response with Content-Length and a streamed one. Errors raised by
    ``serialize`` (a query failing during evaluation) are raised again to the reader.
    """

    def __init__(self, serialize: Callable[[object], None], cap: int):
        self.cap, self.sent = cap, 0
        self._chunks: queue.Queue = queue.Queue(maxsize=8)
        self._cancelled = threading.Event()
        self._error: BaseException | None = None
        self._finished = False
        self._thread = threading.Thread(target=self._produce, args=(serialize,), daemon=True, name="rograph-results")
        self._thread.start()

    def _produce(self, serialize) -> None:
        writer = _QueueWriter(self._chunks, self._cancelled)
        try:
            serialize(writer)
            writer.flush()
        except _Cancelled:
            return
        except BaseException as error:  # handed to the reader, who answers the client
            self._error = error
        try:
            writer._put(_DONE)
        except _Cancelled:
            pass

    def _next(self) -> bytes | None:
        if self._finished:
            return None
        item = self._chunks.get()
        if item is _DONE:
            self._finished = True
            if self._error is not None:
                raise self._error
            return None
        self.sent += len(item)
        if self.sent > self.cap:
            self.close()
            raise ResultTooLarge(self.cap)
        return item

    def head(self, limit: int) -> tuple[bytes, bool]:
        """The first ``limit`` bytes or more, and whether that is everything."""
        parts, size = [], 0
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

    def close(self) -> None:
        self._cancelled.set()
