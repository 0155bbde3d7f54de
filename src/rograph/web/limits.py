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

import ipaddress

from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

from rograph.config import Settings
from rograph.web.limit_storage import storage_uri


def is_loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False


def install(app: Flask, settings: Settings) -> None:
    """Put the limits around ``app``."""
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    if settings.proxy_hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_hops, x_proto=settings.proxy_hops, x_host=settings.proxy_hops)
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
    response = Response(
        f"Too many requests from your address ({error.description}). Wait as long as Retry-After says, "
        "or download the dumps (/dumps/) to query a copy of the data as much as you like.\n",
        status=429, content_type="text/plain; charset=utf-8", headers={"Access-Control-Allow-Origin": "*"},
    )
    # Flask-Limiter replaces this with the exact wait when it adds its headers.
    response.headers["Retry-After"] = "60"
    return response


def _too_large(error) -> Response:
    return Response(
        f"The request body is larger than this server accepts ({current_app.config['MAX_CONTENT_LENGTH']} bytes).\n",
        status=413, content_type="text/plain; charset=utf-8", headers={"Access-Control-Allow-Origin": "*"},
    )
