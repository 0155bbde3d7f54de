"""Start the query executor pool: the broker process and its executors, before the HTTP front.

:func:`start_pool` forks the broker, which opens the store (loading it in memory, or leaving the
on-disk database for each executor to open after its own fork: a process that forks must never
have opened RocksDB), checks it, forks the executors and says when they are ready and whether
they have lost their network. The process that called it, and so the whole HTTP front, never
holds the data: it reaches the pool through the unix socket at :attr:`Pool.socket_path`.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import select
import shutil
import signal
import socket
import tempfile
import time
from dataclasses import dataclass, field

from rograph.config import Settings
from rograph.executor import broker, executor, isolation
from rograph.executor.federation import FederationRule
from rograph.store.build import Build

log = logging.getLogger("rograph.executor")

#: Seconds the executors may take to start once the broker has opened the store. Opening it is
#: not counted: at 10M quads the first start writes the on-disk database for about ten minutes,
#: which is progress, not a hang, and a broker that fails while opening says so itself.
START_SECONDS = 600


class PoolFailed(RuntimeError):
    """The pool could not start; the message says why, for the operator."""


@dataclass
class Pool:
    socket_path: str
    pid: int
    #: Whether the executors have no network (False for a remote store, or where the OS refused).
    isolated: bool
    #: What the store's check found (see :meth:`rograph.store.Store.check`).
    problems: list[str]
    #: The process that started the pool: only it stops it.
    owner: int = field(default_factory=os.getpid)

    def stop(self) -> None:
        """Stop the broker and its executors. A no-op in a forked HTTP worker: a gunicorn worker
        that ends unwinds through ``rograph serve``'s ``finally`` and must not end the pool of all."""
        if os.getpid() != self.owner:
            return
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        shutil.rmtree(os.path.dirname(self.socket_path), ignore_errors=True)


def start_pool(settings: Settings, build: Build, *, executors: int | None = None) -> Pool:
    """Fork the broker and wait until its executors are ready. Raises :class:`PoolFailed` (or
    the store's own errors, e.g. :class:`~rograph.store.StoreMisconfigured`, as text) if not."""
    directory = tempfile.mkdtemp(prefix="rograph-")  # short (unix socket paths are limited) and private
    path = os.path.join(directory, "pool.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1024)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        status = 1
        try:
            _broker_main(listener, settings, build, executors or settings.workers, write_end)
        except BaseException as error:  # told to the parent, which reports it in one line
            _tell(write_end, {"error": str(error) or type(error).__name__, "kind": type(error).__name__})
        finally:
            os._exit(status)
    listener.close()
    os.close(write_end)
    started = time.monotonic()
    messages = _Messages(read_end)
    try:
        message = messages.next()  # the store opening: as long as it takes, while the broker lives
        if "error" not in message:
            log.info("store open in %.1f s; starting the query executors", time.monotonic() - started)
            message = messages.next(START_SECONDS)
    except TimeoutError:
        message = {"error": f"the query executors did not start within {START_SECONDS:g} s"}
    os.close(read_end)
    if "error" in message:
        _end(pid)
        shutil.rmtree(directory, ignore_errors=True)
        raise PoolFailed(message["error"])
    return Pool(path, pid, message["isolated"], message["problems"])


def _broker_main(listener: socket.socket, settings: Settings, build: Build, count: int, tell: int) -> None:
    from rograph.store import open_store

    isolation.die_with_parent()
    isolation.name_process(b"rograph-broker")
    store = open_store(settings, build)
    _tell(tell, {"opened": True})
    problems = store.check()
    remote = settings.store.startswith(("http://", "https://"))
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    probe.listen(16)
    executor_config = executor.ExecutorConfig(
        query_memory=settings.query_memory,
        # The listed endpoints must be reachable; a remote store too. Then the parsed-query rule decides.
        isolate=not remote and not settings.service_allowlist,
        probe=probe.getsockname(),
        federation=FederationRule(frozenset(settings.service_allowlist)),
    )
    if not executor_config.isolate:
        executor_config.federation.warm_up()
    config = broker.BrokerConfig(
        count, settings.query_timeout, settings.query_memory, settings.client_queries, settings.client_query_seconds
    )
    the_broker = broker.Broker(listener, lambda: store, config, executor_config)

    def stop(signum, frame):
        for worker in list(the_broker.executors.values()):
            try:
                os.kill(worker.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C reaches the front, which stops the pool
    # Out of the collector's reach, every object inherited from the parent or built so far: a
    # collection here would write to each one's header and so copy the pages the broker shares
    # with ``rograph serve`` (the broker grew ~9 MiB at its first full collection under
    # tests/test_soak.py's load), and the executors forked below inherit the frozen set.
    gc.freeze()
    for _ in range(count):
        the_broker.start_executor()
    reports = the_broker.wait_until_ready(time.monotonic() + START_SECONDS)
    probe.close()
    isolated = all(r["isolated"] for r in reports)
    if executor_config.isolate and isolated:
        log.info(
            "%d query executors started without network (own network namespace): no query can open a "
            "connection; memory ceiling %d MiB per query",
            count,
            settings.query_memory // (1024 * 1024),
        )
    elif executor_config.isolate:
        log.warning(
            "cannot cut the query executors off the network (%s): every query containing the word SERVICE "
            "is refused instead",
            reports[0]["why"],
        )
    else:
        log.info(
            "%d query executors started with network (%s): SERVICE is decided on the parsed query",
            count,
            "remote store" if remote else "ROGRAPH_SERVICE_ALLOWLIST is set",
        )
    _tell(tell, {"isolated": isolated, "problems": problems})
    os.close(tell)
    the_broker.serve_forever()


def _tell(fd: int, message: dict) -> None:
    try:
        os.write(fd, json.dumps(message).encode() + b"\n")
    except OSError:
        pass


class _Messages:
    """The broker's messages to the process that started it: one JSON object a line, on a pipe."""

    def __init__(self, fd: int):
        self.fd, self.pending = fd, b""

    def next(self, seconds: float | None = None) -> dict:
        """The next message, waited for ``seconds`` at most (``None``: as long as the broker
        lives); an error message if the broker ends first. Raises ``TimeoutError``."""
        deadline = None if seconds is None else time.monotonic() + seconds
        while b"\n" not in self.pending:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self.fd], [], [], wait)
            if not ready:
                raise TimeoutError
            chunk = os.read(self.fd, 65536)
            if not chunk:
                return {"error": "the query broker ended while starting (see the log above)"}
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return json.loads(line)


def _end(pid: int) -> None:
    """Stop a broker that failed to start (it may still be running: one whose executors missed
    the deadline) and collect it."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
