"""What protects the service from being flooded: per-client rate limits and request sizes.

Rate limits are Flask-Limiter's, counted in a store every worker shares
(:mod:`rograph.web.limit_storage`: a SQLite file in the var folder, or Redis through
``ROGRAPH_RATE_LIMIT_STORAGE``), so a client gets exactly ``ROGRAPH_RATE_LIMIT`` whichever
workers answer it, and a worker's crash resets nothing. How many queries a client runs at once
and for how long is the query broker's business (:mod:`rograph.executor.fairshare`). Loopback
clients are exempt unless ``ROGRAPH_RATE_LIMIT_LOOPBACK`` is set, so development and local tools are never throttled;
``/health`` is always exempt. Behind a reverse proxy, ``ROGRAPH_PROXY_HOPS`` says how many
``X-Forwarded-For`` entries to trust, so the client is the real one, not the proxy.
"""

from __future__ import annotations

import io
import ipaddress

from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

from rograph.config import Settings
from rograph.web.limit_storage import storage_uri
from rograph.web.responses import CORS_HEADERS, plain_text_error

#: Longest request line (method, target and protocol) accepted; longer is 414.
REQUEST_LINE_BYTES = 16 * 1024
#: Most bytes of request headers accepted, all header lines counted together; more is 431.
HEADER_BYTES = 8 * 1024


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
    if not settings.rate_limit:
        return
    from flask_limiter import Limiter

    limiter = Limiter(
        lambda: request.remote_addr or "unknown",
        app=app,
        # One budget per client across every route, not one per route.
        application_limits=[part.strip() for part in settings.rate_limit.split(";") if part.strip()],
        storage_uri=settings.rate_limit_storage or storage_uri(settings.var_dir / "rate-limits.sqlite"),
        strategy="moving-window",
        headers_enabled=True,
    )

    @limiter.request_filter
    def _exempt() -> bool:
        return request.path == "/health" or (not settings.rate_limit_loopback and is_loopback(request.remote_addr))

    app.register_error_handler(429, _too_many)


def _too_many(error) -> Response:
    response = plain_text_error(
        429,
        f"Too many requests from your address ({error.description}). Wait as long as Retry-After says, "
        "or download the dumps (/dumps/) to query a copy of the data as much as you like.",
    )
    # Flask-Limiter replaces this with the exact wait when it adds its headers.
    response.headers["Retry-After"] = "60"
    return response


def _too_large(error) -> Response:
    return plain_text_error(413, _too_large_text(current_app.config["MAX_CONTENT_LENGTH"]))
