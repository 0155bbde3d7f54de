"""A per-worker cache of complete answers, for repeated identical queries.

Keys include the store's version, so a new build never serves an old answer; each worker
process has its own cache (they share nothing but the store's memory pages).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from threading import Lock

#: What an answer is cached under: the query, its dataset, the media type, the data's version.
Key = tuple[Hashable, ...]


class AnswerCache:
    """Complete small answers, least recently used first out, within a byte budget."""

    def __init__(self, budget: int):
        self.budget, self.size = budget, 0
        self.entries: OrderedDict[Key, tuple[bytes, str]] = OrderedDict()
        self.lock = Lock()

    def get(self, key: Key) -> tuple[bytes, str] | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: Key, body: bytes, content_type: str) -> None:
        if len(body) > self.budget // 4:
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = (body, content_type)
            self.size += len(body)
            while self.size > self.budget:
                _, (old, _) = self.entries.popitem(last=False)
                self.size -= len(old)
