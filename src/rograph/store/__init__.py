"""Stores: where the validated graph lives and where SPARQL runs.

:class:`~rograph.store.base.Store` is the one interface the web layer and the CLI use, and
:func:`open_store` the one way to get one: the embedded pyoxigraph store
(:mod:`rograph.store.embedded`) or a remote SPARQL 1.1 store (:mod:`rograph.store.remote`),
as ``ROGRAPH_STORE`` says. No code outside this package knows which one runs.
"""

from __future__ import annotations

from rograph.config import Settings
from rograph.store.base import (
    QuerySyntaxError,
    Store,
    StoreMisconfigured,
    StoreTimeout,
    StoreUnavailable,
)
from rograph.store.build import Build
from rograph.store.queries import QueryResults

__all__ = [
    "QueryResults",
    "QuerySyntaxError",
    "Store",
    "StoreMisconfigured",
    "StoreTimeout",
    "StoreUnavailable",
    "open_store",
]


def open_store(settings: Settings, build: Build) -> Store:
    """Open the store that serves ``build``.

    The build is there in every case: it is what the embedded store loads, and what a remote
    store was published from (its dumps and dataset description are served either way). It is
    made by the caller (``rograph serve``, ``rograph query``), never here: opening a store
    builds nothing.
    """
    if settings.store.startswith(("http://", "https://")):
        from rograph.store.remote import RemoteStore

        return RemoteStore(settings, build)
    from rograph.store.embedded import EmbeddedStore

    return EmbeddedStore.from_build(build, memory_budget=settings.memory_budget, processes=settings.workers + 1)
