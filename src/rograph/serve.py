"""``rograph serve``: the HTTP front (gunicorn) in front of the query executor pool.

The queries do not run here: :func:`rograph.executor.start_pool` started the executors before
this (each without network, under a memory ceiling, killed and replaced at the query deadline),
and the workers reach them through :class:`rograph.executor.PoolStore`. A worker is therefore
never killed for a slow query, and holds none of the data. Why gunicorn's sync workers with
``preload_app``: the app is built once in the master and forked; see docs/serving.md.
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
    """Run ``app`` (already holding its store) under gunicorn until stopped."""
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
        "limit_request_line": 16384,
    }
    _Server(app, options).run()
