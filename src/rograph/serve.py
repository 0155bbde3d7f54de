"""``rograph serve``: the app under gunicorn, with hard query timeouts.

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

from gunicorn.app.base import BaseApplication

from rograph.config import Settings
from rograph.web import TIMEOUT_RESPONSE_KEY

log = logging.getLogger(__name__)

EXIT_TIMED_OUT = 75


class Watchdog:
    """Ends this worker process when the current request passes its deadline.

    The watching thread polls (every :data:`POLL_SECONDS`) rather than being woken per
    request: arming and disarming are then two attribute writes under an uncontended lock,
    which matters when a cached answer takes a fraction of a millisecond.
    """

    POLL_SECONDS = 0.1

    def __init__(self, timeout: float):
        self.timeout = timeout
        self._lock = threading.Lock()
        self._deadline: float | None = None
        self._socket: socket.socket | None = None
        self._environ: dict = {}
        self._started_response = False
        self._pid = os.getpid()
        threading.Thread(target=self._watch, daemon=True, name="rograph-watchdog").start()

    def arm(self, client: socket.socket | None, environ: dict | None = None) -> None:
        """Watch the request now starting; ``environ`` is where the app may leave the page to
        send at the deadline (:data:`rograph.web.TIMEOUT_RESPONSE_KEY`)."""
        with self._lock:
            self._deadline = time.monotonic() + self.timeout
            self._socket, self._started_response, self._environ = client, False, environ or {}

    def response_started(self) -> None:
        self._started_response = True

    def disarm(self) -> None:
        with self._lock:
            self._deadline = self._socket = None

    def _watch(self) -> None:
        while True:
            time.sleep(self.POLL_SECONDS)
            with self._lock:
                if self._deadline is not None and time.monotonic() >= self._deadline:
                    self._expire()

    def _expire(self) -> None:
        if self._socket is not None and not self._started_response:
            headers, message = self._environ.get(TIMEOUT_RESPONSE_KEY) or ([("Content-Type", "text/plain; charset=utf-8")], (
                f"The query ran longer than this endpoint's limit of {self.timeout:g} seconds and was stopped.\n"
                "Narrow it (more specific patterns, LIMIT) or run it on a copy of the data (see /dataset dumps).\n"
            ).encode())
            head = (
                "HTTP/1.1 503 Service Unavailable\r\n"
                + "".join(f"{name}: {value}\r\n" for name, value in headers)
                + f"Content-Length: {len(message)}\r\n"
                "Access-Control-Allow-Origin: *\r\n"
                "Retry-After: 1\r\n"
                "Connection: close\r\n\r\n"
            ).encode()
            try:
                self._socket.sendall(head + message)
                self._socket.shutdown(socket.SHUT_RDWR)
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
        dog.arm(environ.get("gunicorn.socket"), environ)

        def watched_start_response(status, headers, exc_info=None):
            dog.response_started()
            return start_response(status, headers, exc_info)

        try:
            body = self.app(environ, watched_start_response)
        except BaseException:
            dog.disarm()
            raise
        return _ClosingIterable(body, dog.disarm)


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
    """Run ``app`` (already holding its store) under gunicorn until stopped."""
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
        "limit_request_line": 16384,
    }
    _Server(DeadlineMiddleware(app, settings.query_timeout), options).run()
