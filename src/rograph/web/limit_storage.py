"""Rate-limit counters in a SQLite file, shared by every worker process on the machine.

A `limits <https://limits.readthedocs.io>`_ storage (scheme ``rograph-sqlite``), so the rate
limit (:mod:`rograph.web.limits`) counts through it exactly as through the library's own memory
or Redis storages. Each hit is one short ``BEGIN IMMEDIATE`` transaction: the check and the
count happen under the database's write lock, so two workers never both take the last request
of a window, and a worker that crashes loses nothing already counted (the file outlives it; WAL
mode keeps readers and the writer apart). For several machines, set ``ROGRAPH_RATE_LIMIT_STORAGE`` to a Redis URL.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time

from limits.storage import Storage
from limits.storage.base import MovingWindowSupport

SCHEME = "rograph-sqlite"


def storage_uri(path: os.PathLike | str) -> str:
    return f"{SCHEME}://{os.path.abspath(path)}"


class SQLiteStorage(Storage, MovingWindowSupport):
    """Fixed-window counters and moving-window events in one SQLite file."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options):
        self.path = uri[len(SCHEME) + 3 :]
        self._local = threading.local()
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        with self._transaction() as db:
            db.execute("CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, value INTEGER, expires REAL)")
            db.execute("CREATE TABLE IF NOT EXISTS events (key TEXT, at REAL)")
            db.execute("CREATE INDEX IF NOT EXISTS events_by_key ON events (key, at)")
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        # One connection per process and thread: connections must not cross a fork.
        if getattr(self._local, "pid", None) != os.getpid():
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db, self._local.pid = db, os.getpid()
        return self._local.db

    class _Transaction:
        def __init__(self, db: sqlite3.Connection):
            self.db = db

        def __enter__(self) -> sqlite3.Connection:
            self.db.execute("BEGIN IMMEDIATE")
            return self.db

        def __exit__(self, kind, value, traceback) -> None:
            self.db.execute("COMMIT" if kind is None else "ROLLBACK")

    def _transaction(self) -> _Transaction:
        return self._Transaction(self._connection())

    # ------------------------------------------------------------ fixed windows

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        with self._transaction() as db:
            db.execute("DELETE FROM counters WHERE key = ? AND expires <= ?", (key, now))
            db.execute(
                "INSERT INTO counters VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = value + excluded.value",
                (key, amount, now + expiry),
            )
            return db.execute("SELECT value FROM counters WHERE key = ?", (key,)).fetchone()[0]

    def get(self, key: str) -> int:
        row = (
            self._connection()
            .execute("SELECT value FROM counters WHERE key = ? AND expires > ?", (key, time.time()))
            .fetchone()
        )
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._connection().execute("SELECT expires FROM counters WHERE key = ?", (key,)).fetchone()
        return row[0] if row else time.time()

    def check(self) -> bool:
        try:
            self._connection().execute("SELECT 1")
            return True
        except sqlite3.Error:
            return False

    def reset(self) -> int | None:
        with self._transaction() as db:
            removed = db.execute("DELETE FROM counters").rowcount + db.execute("DELETE FROM events").rowcount
        return removed

    def clear(self, key: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM counters WHERE key = ?", (key,))
            db.execute("DELETE FROM events WHERE key = ?", (key,))

    # ------------------------------------------------------------ moving windows

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now = time.time()
        with self._transaction() as db:
            db.execute("DELETE FROM events WHERE key = ? AND at <= ?", (key, now - expiry))
            (count,) = db.execute("SELECT COUNT(*) FROM events WHERE key = ?", (key,)).fetchone()
            if count + amount > limit:
                return False
            db.executemany("INSERT INTO events VALUES (?, ?)", [(key, now)] * amount)
            return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = time.time()
        oldest, count = (
            self._connection()
            .execute("SELECT MIN(at), COUNT(*) FROM events WHERE key = ? AND at > ?", (key, now - expiry))
            .fetchone()
        )
        return (oldest, count) if count else (now, 0)
