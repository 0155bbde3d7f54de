"""The web application: SPARQL endpoint and linked-data site on one store.

:func:`rograph.web.app.create_app` is the application factory; the views are blueprints, one
module each, that reach the app's settings and store through :mod:`rograph.web.context` and
answer errors through :mod:`rograph.web.responses`. ``sansio/`` holds the protocol logic, free
of I/O; ``describe/`` reads what the pages show from the store.
"""

from rograph.web.app import create_app

__all__ = ["create_app"]
