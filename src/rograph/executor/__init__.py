"""Query execution out of the HTTP front's reach: a pool of executor processes owned by
``rograph serve``, each without network, under a memory ceiling and a deadline.

The flow: :func:`start_pool` (the supervisor, before the front starts) forks the broker
(:mod:`~rograph.executor.broker`), which forks the executors (:mod:`~rograph.executor.executor`);
the front's workers run queries through :class:`PoolStore` (:mod:`~rograph.executor.client`).
docs/serving.md explains the design; SECURITY.md what it defends against.
"""

from rograph.executor.client import Answer, PoolStore, client_id
from rograph.executor.pool import Pool, PoolFailed, start_pool

__all__ = ["Answer", "Pool", "PoolFailed", "PoolStore", "client_id", "start_pool"]
