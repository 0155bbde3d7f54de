"""``rograph serve``: the HTTP front (``ROGRAPH_SERVER``) in front of the query executor pool.

The queries do not run here: :func:`rograph.executor.start_pool` started the executors before
this (each without network, under a memory ceiling, killed and replaced at the query deadline),
and the workers reach them through :class:`rograph.executor.PoolStore`. A front worker is
therefore never killed for a slow query, and holds none of the data. The default front is
waitress (:mod:`rograph.front`), which slow clients cannot hold; gunicorn's sync workers stay
selectable (``ROGRAPH_SERVER=gunicorn``) for a site behind a buffering proxy. See docs/serving.md.
"""

from __future__ import annotations

import logging

from gunicorn.app.base import BaseApplication

from rograph.config import Settings

log = logging.getLogger(__name__)


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
    if settings.server == "waitress":
        from rograph.front import serve_waitress

        serve_waitress(settings, app)
        return
    _serve_gunicorn(settings, app)


def _serve_gunicorn(settings: Settings, app) -> None:
    from rograph.web.limits import HEADER_BYTES

    options = {
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.workers,
        "worker_class": "sync",
        "preload_app": True,
        # gunicorn's own timeout is only a backstop: the broker ends a query at its deadline.
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
