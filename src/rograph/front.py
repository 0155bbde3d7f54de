"""The default HTTP front: waitress in worker processes forked from ``rograph serve``.

Why waitress (docs/serving.md has the measurements): its I/O thread reads each request whole,
headers and body, before a worker thread sees it, and takes the answer into a buffer that it
writes out as fast as the client reads. A client that sends slowly or reads slowly therefore
holds a socket and a buffer, never a thread; gunicorn's sync and threaded workers and
granian's WSGI interface (which reads the body on the application's thread) let a few such
clients stop the service.

Waitress is one process; the parent here binds the listening socket, then forks
``ROGRAPH_WORKERS`` processes that share it (the kernel spreads connections over them), and
forks a replacement whenever one ends (a worker ended at the query deadline, or killed). The
parent forks after the app holds its store, so an in-memory store is shared copy-on-write, and
it never opens an on-disk store itself (see docs/serving.md).
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import signal
import socket
import time

import waitress.channel
import waitress.server
import waitress.task

from rograph.config import Settings
from rograph.web.limits import HEADER_BYTES, REQUEST_LINE_BYTES

log = logging.getLogger(__name__)

#: Open connections one worker process keeps (more wait in the kernel's backlog).
CONNECTIONS_PER_WORKER = 1000
#: Seconds a connection may make no progress (send nothing, read nothing) before it is closed.
IDLE_SECONDS = 30
#: glibc's mallopt() parameter for the most arenas a process may have (malloc.h).
_M_ARENA_MAX = -8
#: A worker that ends sooner than this after its start is not replaced at once (a crash loop).
RESPAWN_PAUSE_SECONDS = 1.0


class _ErrorTask(waitress.task.ErrorTask):
    """waitress's own error answers (a request it cannot parse) say ``nosniff`` like ours."""

    def execute(self):
        # waitress keeps a list here; its stub declares a read-only Sequence.
        self.response_headers.append(("X-Content-Type-Options", "nosniff"))  # type: ignore[attr-defined]
        super().execute()


class _Channel(waitress.channel.HTTPChannel):
    error_task_class = _ErrorTask


def serve_waitress(settings: Settings, app) -> None:
    """Run ``app`` under waitress in ``settings.workers`` processes until SIGTERM or SIGINT."""
    listener = socket.create_server(
        (settings.host, settings.port), backlog=2048, family=socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    )
    workers: dict[int, float] = {}
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(workers):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info(
        "rograph serving on http://%s:%d/ with waitress: %d worker processes, %d threads each",
        settings.host,
        settings.port,
        settings.workers,
        settings.threads,
    )
    # Move every object the app built so far out of the collector's reach: a collection in a
    # worker would otherwise write to each inherited object's header and so copy every page
    # it shares with the parent (each worker grew ~10 MiB, the parent ~9, in tests/test_soak.py).
    gc.freeze()
    for _ in range(settings.workers):
        workers[_fork_worker(settings, app, listener)] = time.monotonic()
    while workers:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        started = workers.pop(pid, None)
        if stopping or started is None:
            continue
        log.warning("worker %d ended (%s); starting a new one", pid, _exit_text(status))
        if time.monotonic() - started < RESPAWN_PAUSE_SECONDS:
            time.sleep(RESPAWN_PAUSE_SECONDS)
        workers[_fork_worker(settings, app, listener)] = time.monotonic()
    listener.close()


def _fork_worker(settings: Settings, app, listener: socket.socket) -> int:
    pid = os.fork()
    if pid:
        return pid
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    _limit_malloc_arenas()
    try:
        server = waitress.server.create_server(
            app,
            sockets=[listener],
            threads=settings.threads,
            ident="rograph",
            connection_limit=CONNECTIONS_PER_WORKER,
            asyncore_use_poll=True,
            channel_timeout=IDLE_SECONDS,
            # The app enforces the documented limits with its own messages (web/limits.py);
            # waitress's bounds sit just above them, so they only refuse what the app would.
            max_request_header_size=REQUEST_LINE_BYTES + HEADER_BYTES + 1024,
            max_request_body_size=settings.max_request_bytes + 1,
            # Take a whole answer into the buffer (spilling to a temporary file past 1 MiB), so
            # a client that reads slowly never holds a thread: up to the response size cap.
            outbuf_high_watermark=settings.max_response_bytes + 1024 * 1024,
            # X-Forwarded-* are read only from trusted proxy hops (ROGRAPH_PROXY_HOPS, by the
            # app's ProxyFix); with none, waitress drops them before the app sees them.
            trusted_proxy=None,
            clear_untrusted_proxy_headers=not settings.proxy_hops,
        )
        assert isinstance(server, waitress.server.BaseWSGIServer)  # one listening socket: one server
        server.channel_class = _Channel
        server.run()
    except BaseException:  # noqa: BLE001 - a worker must never return into the parent's loop
        logging.getLogger(__name__).exception("worker %d failed", os.getpid())
        logging.shutdown()
        os._exit(1)
    os._exit(0)


def _limit_malloc_arenas() -> None:
    """Let a worker's threads share one malloc arena (glibc's ``M_ARENA_MAX``).

    glibc gives each new thread its own arena, up to eight per core, and an arena keeps the
    pages of its thread's busiest moment: with ``ROGRAPH_THREADS`` threads a worker grew by
    about 11 MiB before it levelled off (tests/test_soak.py). The threads run Python under the
    GIL and queries run in the executors, so more arenas buy these processes no parallelism.
    Set here, after the fork, because the parent's own arenas do not matter and the
    executors (pyoxigraph's threads) keep glibc's default.
    """
    try:
        ctypes.CDLL(None).mallopt(_M_ARENA_MAX, 1)
    except (AttributeError, OSError):  # not glibc: its allocator decides
        pass


def _exit_text(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit {os.WEXITSTATUS(status)}"
