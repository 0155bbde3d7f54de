"""What protects the service from being flooded: per-client rate limits and request sizes.

Rate limits are counted by the ``limits`` library in a store every worker shares
(:mod:`rograph.web.limit_storage`: a SQLite file in the var folder, or Redis through
``ROGRAPH_RATE_LIMIT_STORAGE``), so a client gets exactly ``ROGRAPH_RATE_LIMIT`` whichever
workers answer it, and a worker's crash resets nothing. How many queries a client runs at once
and for how long is the query broker's business (:mod:`rograph.executor.fairshare`). Loopback
clients are exempt unless ``ROGRAPH_RATE_LIMIT_LOOPBACK`` is set, so development and local tools are never throttled;
``/health`` is always exempt. Behind a reverse proxy, ``ROGRAPH_PROXY_HOPS`` says how many
``X-Forwarded-For`` entries to trust, so the client is the real one, not the proxy.
"""

from __future__ import annotations

import functools
import io
import ipaddress
import math
import time

from flask import Flask, Response, current_app, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from rograph.config import Settings
from rograph.web.limit_storage import storage_uri
from rograph.web.responses import CORS_HEADERS, plain_text_error

#: Longest request line (method, target and protocol) accepted; longer is 414.
REQUEST_LINE_BYTES = 16 * 1024
#: Most bytes of request headers accepted, all header lines counted together; more is 431.
HEADER_BYTES = 8 * 1024


@functools.lru_cache(maxsize=4096)  # a few addresses make most requests; parsing one: 5.5-8.5 µs (timeit)
def is_loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False


class RequestLimits:
    """WSGI middleware that enforces the documented request limits whatever server runs the app.

    The request line and the headers are measured as the client sent them (the headers all
    together, not line by line); a body is read whole, chunked or not, up to
    ``ROGRAPH_MAX_REQUEST_BYTES`` and refused with 413 if there is more, so the application
    never sees a body cut at the limit.
    """

    def __init__(self, app, max_body: int):
        self.app, self.max_body = app, max_body

    def __call__(self, environ, start_response):
        target = (
            environ.get("REQUEST_URI")
            or environ.get("RAW_URI")
            or (environ.get("PATH_INFO", "") + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else ""))
        )
        line = len(environ.get("REQUEST_METHOD", "")) + len(target) + len(environ.get("SERVER_PROTOCOL", "")) + 2
        if line > REQUEST_LINE_BYTES:
            return _refuse(
                start_response,
                "414 URI Too Long",
                f"The request line is {line} bytes; this server accepts {REQUEST_LINE_BYTES}. POST long queries instead.",
            )
        headers = sum(len(key) - 5 + len(value) + 4 for key, value in environ.items() if key.startswith("HTTP_"))
        headers += sum(
            len(key) + len(environ[key]) + 4 for key in ("CONTENT_TYPE", "CONTENT_LENGTH") if environ.get(key)
        )
        if headers > HEADER_BYTES:
            return _refuse(
                start_response,
                "431 Request Header Fields Too Large",
                f"The request headers are {headers} bytes together; this server accepts {HEADER_BYTES}.",
            )
        declared = environ.get("CONTENT_LENGTH") or ""
        if declared.isdigit() and int(declared) > self.max_body:
            return _refuse(start_response, "413 Content Too Large", _too_large_text(self.max_body))
        if not declared and "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            body = environ["wsgi.input"].read(self.max_body + 1)
            if len(body) > self.max_body:
                return _refuse(start_response, "413 Content Too Large", _too_large_text(self.max_body))
            # From here on the body is a plain one of known length.
            environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
            environ.pop("wsgi.input_terminated", None)
            environ.pop("HTTP_TRANSFER_ENCODING", None)
        return self.app(environ, start_response)


def _refuse(start_response, status: str, message: str) -> list[bytes]:
    body = (message + "\n").encode()
    start_response(
        status,
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("X-Content-Type-Options", "nosniff"),
            *CORS_HEADERS.items(),
        ],
    )
    return [body]


def _too_large_text(limit: int) -> str:
    return f"The request body is larger than this server accepts ({limit} bytes)."


def install(app: Flask, settings: Settings) -> None:
    """Put the limits around ``app``."""
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    if settings.proxy_hops:
        # Flask's documented way to add WSGI middleware; mypy sees wsgi_app as a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=settings.proxy_hops, x_proto=settings.proxy_hops, x_host=settings.proxy_hops
        )
    app.wsgi_app = RequestLimits(app.wsgi_app, settings.max_request_bytes)  # type: ignore[method-assign]
    app.register_error_handler(413, _too_large)
    if settings.rate_limit:
        RateLimit(settings).install(app)


class RateLimit:
    """``ROGRAPH_RATE_LIMIT``: one budget per client address across every route, counted with
    the `limits <https://limits.readthedocs.io>`_ library's moving window in the shared store.

    Checked before the view: a request that counts takes one from each limit, shortest window
    first, and the first limit it finds spent answers 429 with ``Retry-After`` (the wait until
    that window has room) without taking from the longer ones. Counted answers carry the
    shortest limit's ``X-RateLimit-Limit``, ``-Remaining``, ``-Reset`` and ``Retry-After``.
    A request that is exempt (``/health``; loopback unless ``ROGRAPH_RATE_LIMIT_LOOPBACK``)
    costs nothing here: the rules are parsed once, when the app is made, not per request.
    """

    def __init__(self, settings: Settings):
        from limits import parse_many
        from limits.storage import storage_from_string
        from limits.strategies import MovingWindowRateLimiter

        self.limits = sorted(parse_many(settings.rate_limit))
        storage = storage_from_string(
            settings.rate_limit_storage or storage_uri(settings.var_dir / "rate-limits.sqlite")
        )
        self.counter = MovingWindowRateLimiter(storage)
        self.loopback_counts = settings.rate_limit_loopback

    def install(self, app: Flask) -> None:
        app.before_request(self.check)
        app.after_request(self.add_headers)

    def check(self) -> Response | None:
        if request.path == "/health" or (not self.loopback_counts and is_loopback(request.remote_addr)):
            return None
        client = request.remote_addr or "unknown"
        for limit in self.limits:
            if not self.counter.hit(limit, "rograph", client):
                g.rate_limit = (limit, client)
                return _too_many(limit)
        g.rate_limit = (self.limits[0], client)
        return None

    def add_headers(self, response: Response) -> Response:
        counted = g.pop("rate_limit", None)
        if counted is None:
            return response
        limit, client = counted
        stats = self.counter.get_window_stats(limit, "rograph", client)
        reset = int(stats.reset_time)
        response.headers["X-RateLimit-Limit"] = str(limit.amount)
        response.headers["X-RateLimit-Remaining"] = str(max(0, stats.remaining))
        response.headers["X-RateLimit-Reset"] = str(reset)
        response.headers["Retry-After"] = str(max(1, math.ceil(stats.reset_time - time.time())))
        return response


def _too_many(limit) -> Response:
    return plain_text_error(
        429,
        f"Too many requests from your address ({limit}). Wait as long as Retry-After says, "
        "or download a dump (/dumps/dataset.nq, the others listed on the home page) to query a copy of the "
        "data as much as you like.",
    )


def _too_large(error) -> Response:
    return plain_text_error(413, _too_large_text(current_app.config["MAX_CONTENT_LENGTH"]))
