"""The Flask app: the factory, which registers the views, and what every request goes through
(an id, the limits, one log line, the error handlers)."""

from __future__ import annotations

import itertools
import logging
import os
import re
import secrets
import time

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from rograph.config import Settings
from rograph.store import Store
from rograph.web.cache import AnswerCache
from rograph.web.context import WebContext, context
from rograph.web.responses import plain_text_error, query_error

log = logging.getLogger("rograph.requests")


def create_app(settings: Settings | None = None, store: Store | None = None) -> Flask:
    """Build the Flask app for ``store``; by default (a front started apart from ``rograph
    serve``) the executor pool at ROGRAPH_EXECUTOR_SOCKET with the build that ``rograph serve``
    made. Nothing is built here: without a build to serve this is an error."""
    settings = settings or Settings.from_env()
    if store is None:
        store = _pool_store(settings)
    app = Flask(__package__)  # rograph.web: its templates and static files
    app.extensions["rograph"] = WebContext(settings=settings, store=store, answers=AnswerCache(settings.cache_bytes))

    from rograph.web import completion, health, pages, query_page, reconcile, search, sparql

    app.register_blueprint(sparql.bp)
    app.register_blueprint(reconcile.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(query_page.bp)
    app.register_blueprint(completion.bp)
    app.register_blueprint(pages.bp)
    from rograph.web import limits

    # The request id first: even a request the limits refuse is logged with one.
    app.before_request(_start_request)
    limits.install(app, settings)
    app.after_request(_finish_request)
    app.register_error_handler(Exception, _unexpected_error)
    return app


def _pool_store(settings: Settings) -> Store:
    """The store of a running ``rograph serve``: its executor pool, serving its build."""
    from rograph.executor import PoolStore
    from rograph.store.build import current_build

    if not settings.executor_socket:
        raise RuntimeError(
            "no query executor pool: start the service with rograph serve (ROGRAPH_EXECUTOR_SOCKET is unset)"
        )
    build = current_build(settings.var_dir)
    if build is None:
        raise RuntimeError(
            f"no build in {settings.var_dir} (ROGRAPH_VAR_DIR): start the service with rograph serve, which builds first"
        )
    return PoolStore.for_settings(build, settings.executor_socket, settings)


#: A request id a client (or a proxy in front) may set: short, and safe to log and echo.
_CLIENT_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_request_ids: dict[int, tuple[str, itertools.count]] = {}


def _new_request_id() -> str:
    """A random prefix per worker process and a counter: unique, and cheaper than a UUID."""
    prefix, counter = _request_ids.get(os.getpid()) or _request_ids.setdefault(
        os.getpid(), (secrets.token_hex(4), itertools.count(1))
    )
    return f"{prefix}-{next(counter):x}"


def _start_request() -> None:
    given = request.headers.get("X-Request-Id", "")
    g.request_id = given if _CLIENT_REQUEST_ID.fullmatch(given) else _new_request_id()
    g.started = time.perf_counter()
    # Whom the queries of this request count against (the executors' fair share).
    from rograph.executor import client_id
    from rograph.web.limits import is_loopback

    exempt = not context().settings.rate_limit_loopback and is_loopback(request.remote_addr)
    client_id.set((request.remote_addr or "unknown", exempt))


def _finish_request(response: Response) -> Response:
    """Tag the response with its id and log one line when its last byte has gone out.

    Every response also says ``nosniff``: an error that echoes its input is text, never
    sniffed into markup or script.
    """
    response.headers["X-Request-Id"] = g.request_id
    response.headers["X-Content-Type-Options"] = "nosniff"
    request_id, started, method, path = g.request_id, g.started, request.method, request.path
    status = response.status_code
    sent = {"bytes": 0}
    if response.is_streamed:
        inner = response.response

        def counted():
            for chunk in inner:
                sent["bytes"] += len(chunk)
                yield chunk

        response.response = counted()
    else:
        sent["bytes"] = response.calculate_content_length() or 0

    def log_line() -> None:
        log.info(
            "id=%s method=%s path=%s status=%d duration_ms=%.1f bytes=%d",
            request_id,
            method,
            path,
            status,
            (time.perf_counter() - started) * 1000,
            sent["bytes"],
        )

    response.call_on_close(log_line)
    return response


def _unexpected_error(error: Exception) -> Response | HTTPException:
    from rograph.store import StoreTimeout, StoreUnavailable
    from rograph.store.base import QueryRefused, QueryStopped

    if isinstance(error, HTTPException):
        return error
    if isinstance(error, (QueryRefused, QueryStopped, StoreTimeout, StoreUnavailable)):
        # A page whose query the executors refused or stopped, or a remote store did not
        # answer: the answer /sparql gives.
        return query_error(error)
    log.exception("unexpected error in request %s", g.get("request_id", "-"))
    return plain_text_error(
        500, f"internal error (request id {g.get('request_id', '-')}); the server log has the details"
    )
