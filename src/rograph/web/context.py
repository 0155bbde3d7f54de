"""What every view reaches for: the app's settings, store and answer cache.

The app keeps them in ``app.extensions["rograph"]`` (a :class:`WebContext`); views reach them
through :func:`context`, never through module globals, so tests can run several apps side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from rograph.config import Settings
from rograph.store import Store
from rograph.web.cache import AnswerCache


@dataclass(frozen=True)
class WebContext:
    settings: Settings
    store: Store
    answers: AnswerCache


def context() -> WebContext:
    """The settings, store and cache of the app handling the current request."""
    ctx: WebContext = current_app.extensions["rograph"]
    return ctx
