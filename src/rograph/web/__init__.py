"""The web application: SPARQL endpoint and linked-data site on one store.

:func:`create_app` is the application factory. The app keeps its settings and its store in
``app.extensions["rograph"]`` (a :class:`WebContext`); views reach them through
:func:`context`, never through module globals, so tests can run several apps side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from rograph.config import Settings
from rograph.store import Store


@dataclass(frozen=True)
class WebContext:
    settings: Settings
    store: Store


def create_app(settings: Settings | None = None, store: Store | None = None) -> Flask:
    """Build the Flask app for ``store`` (default: the project's built embedded store)."""
    settings = settings or Settings.from_env()
    if store is None:
        from rograph.store.embedded import open_built_store

        store = open_built_store(settings)
    app = Flask(__name__)
    app.extensions["rograph"] = WebContext(settings=settings, store=store)

    from rograph.web import pages, sparql

    app.register_blueprint(sparql.bp)
    app.register_blueprint(pages.bp)
    return app


def context() -> WebContext:
    """The settings and store of the app handling the current request."""
    return current_app.extensions["rograph"]
