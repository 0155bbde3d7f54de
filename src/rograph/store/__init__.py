"""Stores: where the validated graph lives and where SPARQL runs.

:class:`~rograph.store.base.Store` is the one interface the web layer and the CLI use;
no code outside this package knows which implementation runs.
"""

from rograph.store.base import QueryResults, QuerySyntaxError, Store

__all__ = ["QueryResults", "QuerySyntaxError", "Store"]
