"""``rograph serve``: the app under its HTTP front (``ROGRAPH_SERVER``), with hard query timeouts.

The default front is waitress (:mod:`rograph.front`); gunicorn's sync workers stay selectable
(``ROGRAPH_SERVER=gunicorn``) for a site behind a buffering proxy. Both run the same watchdog.

Why gunicorn's sync workers with ``preload_app``: the master process loads the store once;
each worker is forked from it and shares the store's memory copy-on-write, and answers one
request at a time. pyoxigraph cannot cancel a query, but it releases the GIL while it runs, so
a watchdog thread in each worker can act at the deadline: it writes a 503 to the client (if no
response has started) and ends the worker process, which frees the CPU at once. gunicorn forks
a replacement from the master, store already in memory, in milliseconds. Only the request
that ran too long is lost.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from dataclasses import dataclass

from gunicorn.app.base import BaseApplication

from rograph.config import Settings

log = logging.getLogger(__name__)

EXIT_TIMED_OUT = 75


@dataclass
class _Watched:
    """One request under watch: its deadline, its client's socket, whether its answer began."""

    deadline: float
    client: socket.socket | None
    started_response: bool = False


class Watchdog:
    """Ends this worker process when a request in it passes its deadline.

    Each request in flight (one per thread) has its own deadline. The watching thread polls
    (every :data:`POLL_SECONDS`) rather than being woken per request: arming and disarming are
    then a dictionary write under an uncontended lock, which matters when a cached answer takes
    a fraction of a millisecond. Ending the process ends every request in it: with threads,
    those running beside the one that ran too long are lost too (docs/serving.md).
    """

    POLL_SECONDS = 0.1

    def __init__(self, timeout: float):
        self.timeout = timeout
        self._lock = threading.Lock()
        self._requests: dict[int, _Watched] = {}
        self._pid = os.getpid()
        threading.Thread(target=self._watch, daemon=True, name="rograph-watchdog").start()

    def arm(self, client: socket.socket | None) -> _Watched:
        watched = _Watched(time.monotonic() + self.timeout, client)
        with self._lock:
            self._requests[id(watched)] = watched
        return watched

    def disarm(self, watched: _Watched) -> None:
        with self._lock:
            self._requests.pop(id(watched), None)

    def _watch(self) -> None:
        while True:
            time.sleep(self.POLL_SECONDS)
            with self._lock:
                now = time.monotonic()
                for watched in self._requests.values():
                    if now >= watched.deadline:
                        self._expire(watched)

    def _expire(self, watched: _Watched) -> None:
        if watched.client is not None and not watched.started_response:
            message = (
                f"The query ran longer than this endpoint's limit of {self.timeout:g} seconds and was stopped.\n"
                "Narrow it (more specific patterns, LIMIT) or run it on a copy of the data (see /dataset dumps).\n"
            ).encode()
            head = (
                "HTTP/1.1 503 Service Unavailable\r\n"
                "Content-Type: text/plain; charset=utf-8\r\n"
                f"Content-Length: {len(message)}\r\n"
                "Access-Control-Allow-Origin: *\r\n"
                "Retry-After: 1\r\n"
                "Connection: close\r\n\r\n"
            ).encode()
            try:
                watched.client.sendall(head + message)
                watched.client.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        logging.getLogger("rograph.requests").warning(
            "worker %d: request passed the %g s deadline; ending the worker to free the CPU", self._pid, self.timeout
        )
        logging.shutdown()
        os._exit(EXIT_TIMED_OUT)


class DeadlineMiddleware:
    """Arms the worker's watchdog for the life of each request, body included."""

    def __init__(self, app, timeout: float):
        self.app, self.timeout = app, timeout
        self._watchdog: Watchdog | None = None

    def _dog(self) -> Watchdog:
        # Threads do not survive fork: each worker starts its own watchdog on first use.
        if self._watchdog is None or self._watchdog._pid != os.getpid():
            self._watchdog = Watchdog(self.timeout)
        return self._watchdog

    def __call__(self, environ, start_response):
        dog = self._dog()
        watched = dog.arm(_client_socket(environ))

        def watched_start_response(status, headers, exc_info=None):
            watched.started_response = True
            return start_response(status, headers, exc_info)

        try:
            body = self.app(environ, watched_start_response)
        except BaseException:
            dog.disarm(watched)
            raise
        return _ClosingIterable(body, lambda: dog.disarm(watched))


def _client_socket(environ) -> socket.socket | None:
    """The client's socket, where the watchdog writes its 503: gunicorn hands it over; waitress
    keeps it on the channel whose disconnect check it hands over."""
    if "gunicorn.socket" in environ:
        return environ["gunicorn.socket"]
    channel = getattr(environ.get("waitress.client_disconnected"), "__self__", None)
    return getattr(channel, "socket", None)


class _ClosingIterable:
    def __init__(self, body, on_close):
        self.body, self.on_close = body, on_close

    def __iter__(self):
        return iter(self.body)

    def close(self):
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.on_close()


class _Server(BaseApplication):
    def __init__(self, app, options: dict):
        self.application, self.options = app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def serve(settings: Settings, app) -> None:
    """Run ``app`` (already holding its store) under the configured front until stopped."""
    watched = DeadlineMiddleware(app, settings.query_timeout)
    if settings.server == "waitress":
        from rograph.front import serve_waitress

        serve_waitress(settings, watched)
        return
    _serve_gunicorn(settings, watched)


def _serve_gunicorn(settings: Settings, app) -> None:
    from rograph.web.limits import HEADER_BYTES

    options = {
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.workers,
        "worker_class": "sync",
        "preload_app": True,
        # gunicorn's own timeout is only a backstop behind the watchdog.
        "timeout": int(settings.query_timeout + 30),
        "graceful_timeout": 10,
        "keepalive": 2,
        "accesslog": None,
        "loglevel": settings.log_level.lower(),
        "proc_name": "rograph",
        # Administration happens through the CLI only; and several servers may share a machine.
        "control_socket_disable": True,
        # The app enforces the documented limits (web/limits.py). gunicorn's own sit above them,
        # except the request line: gunicorn allows at most 8190 bytes (or no limit at all).
        "limit_request_line": 8190,
        "limit_request_field_size": HEADER_BYTES + 1024,
        # X-Forwarded-* only through ROGRAPH_PROXY_HOPS, never because a request came from loopback.
        "forwarded_allow_ips": "",
    }
    log.info("rograph serving on http://%s:%d/ with gunicorn sync workers", settings.host, settings.port)
    _Server(app, options).run()
