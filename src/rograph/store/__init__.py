"""Stores: where the validated graph lives and where SPARQL runs.

:class:`~rograph.store.base.Store` is the one interface the web layer and the CLI use, and
:func:`open_store` the one way to get one: the embedded pyoxigraph store
(:mod:`rograph.store.embedded`) or a remote SPARQL 1.1 store (:mod:`rograph.store.remote`),
as ``ROGRAPH_STORE`` says. No code outside this package knows which one runs.
"""

from __future__ import annotations

from collections.abc import Sequence

from rograph.config import Settings
from rograph.sources import ProjectFiles, SourceFile, discover
from rograph.store.base import QueryResults, QuerySyntaxError, Store, StoreMisconfigured, StoreTimeout, StoreUnavailable
from rograph.store.build import ensure_build

__all__ = ["QueryResults", "QuerySyntaxError", "Store", "StoreMisconfigured", "StoreTimeout", "StoreUnavailable", "open_store"]


def open_store(settings: Settings, *, data: Sequence[SourceFile] = (), validate: bool = True) -> Store:
    """Build (if the sources changed) and open the store to serve.

    The build, validated unless ``validate`` is false, is made in every case: it is what the
    embedded store loads, and what a remote store was published from (its dumps and dataset
    description are served either way). ``data``: files to serve instead of the project's data.
    """
    files = discover(settings.project_dir)
    if data:
        files = ProjectFiles(ontology=files.ontology, shapes=files.shapes, data=tuple(data))
    build = ensure_build(files, settings.var_dir, validate=validate)
    if settings.store.startswith(("http://", "https://")):
        from rograph.store.remote import RemoteStore

        return RemoteStore(settings, build)
    from rograph.store.embedded import EmbeddedStore

    return EmbeddedStore.from_build(build, memory_budget=settings.memory_budget, processes=settings.workers + 1)
