"""What protects the service from being flooded: per-client rate limits and request sizes.

Rate limits are Flask-Limiter's, counted in each worker process's memory. The kernel spreads
a client's connections over the workers, so each worker allows its share of the configured
limit (``ROGRAPH_RATE_LIMIT`` divided by the number of workers, rounded up): a client sees
about the configured rate in total. Loopback clients are exempt unless
``ROGRAPH_RATE_LIMIT_LOOPBACK`` is set, so development and local tools are never throttled;
``/health`` is always exempt. Behind a reverse proxy, ``ROGRAPH_PROXY_HOPS`` says how many
``X-Forwarded-For`` entries to trust, so the client is the real one, not the proxy.
"""

from __future__ import annotations

import ipaddress
import math
import re

from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

from rograph.config import Settings

_LIMIT = re.compile(r"^\s*(\d+)\s*(?:/|per)\s*(.+?)\s*$")


def per_worker(limits: str, workers: int) -> list[str]:
    """``"120/minute;2000/hour"`` as each worker's share: ``["30/minute", "500/hour"]`` for 4."""
    shares = []
    for part in limits.split(";"):
        match = _LIMIT.match(part)
        if not match:
            raise ValueError(f"ROGRAPH_RATE_LIMIT: {part.strip()!r} is not a limit such as 120/minute")
        shares.append(f"{math.ceil(int(match[1]) / max(1, workers))}/{match[2]}")
    return shares


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
        application_limits=per_worker(settings.rate_limit, settings.workers),
        storage_uri="memory://",
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
