"""The broker: owns the query executors, gives each query to one, and keeps each client's share.

One process, forked by ``rograph serve`` before the HTTP front starts, single-threaded (it forks
executors, so it must hold no threads). It listens on a unix socket; each HTTP thread keeps one
connection open and sends its queries on it, one at a time, each with the answer channel its
bytes should go to. The broker passes that channel to an idle executor, so answers, and how
they ended, flow from the executor to the HTTP worker without passing through here; the broker
replies on the connection only when the executor could not say it (a refusal, a deadline, a
crash), tagged with the query's ``id``.

Because every query of every HTTP worker passes here, the in-flight counts and time budgets of
:class:`~rograph.executor.fairshare.FairShare` are exact, and an HTTP worker's crash changes
nothing but its own queries (whose executors are stopped, freeing them). At a query's deadline
the broker kills its executor and starts another; an executor that dies by itself (a query past
the memory ceiling) is replaced the same way.
"""

from __future__ import annotations

import logging
import os
import select
import selectors
import signal
import socket
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from rograph.executor import executor, protocol
from rograph.executor.fairshare import FairShare
from rograph.store.base import Store

log = logging.getLogger("rograph.executor")

#: Seconds a query may wait for an idle executor before it is answered 503.
MAX_WAIT_FLOOR = 5.0


@dataclass(frozen=True)
class BrokerConfig:
    executors: int
    query_timeout: float
    query_memory: int
    client_queries: int
    client_query_seconds: float


@dataclass
class _Job:
    id: int
    conn: socket.socket
    client: str
    exempt: bool
    request: dict
    data_fd: int
    queued: float
    started: float | None = None


@dataclass
class _Executor:
    pid: int
    control: socket.socket
    ready: bool = False
    job: _Job | None = None
    deadline: float = 0.0
    #: Why the broker is ending it: "timeout" or "abandoned" (its HTTP worker went away).
    stopping: str | None = None
    info: dict = field(default_factory=dict)


class Broker:
    def __init__(
        self,
        listener: socket.socket,
        open_store: Callable[[], Store],
        config: BrokerConfig,
        executor_config: executor.ExecutorConfig,
    ):
        self.listener, self.open_store, self.config, self.executor_config = (
            listener,
            open_store,
            config,
            executor_config,
        )
        self.selector = selectors.DefaultSelector()
        self.share = FairShare(config.client_queries, config.client_query_seconds)
        self.executors: dict[socket.socket, _Executor] = {}
        self.waiting: deque[_Job] = deque()
        self.connections: set[socket.socket] = set()
        self._ids = 0
        self.max_wait = max(MAX_WAIT_FLOOR, config.query_timeout)

    # ----------------------------------------------------------------- executors

    def start_executor(self) -> _Executor:
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # the executor: keep only its own channel
            try:
                ours.close()
                self.selector.close()
                self.listener.close()
                for sock in list(self.connections) + list(self.executors):
                    sock.close()
                for job in self.waiting:
                    os.close(job.data_fd)
                executor.run(theirs, self.open_store, self.executor_config)
            finally:
                os._exit(1)
        theirs.close()
        worker = _Executor(pid, ours)
        self.executors[ours] = worker
        self.selector.register(ours, selectors.EVENT_READ, "executor")
        return worker

    def wait_until_ready(self, deadline: float) -> list[dict]:
        """Block until every executor said it is ready (at start); their ready messages."""
        reports = []
        for worker in list(self.executors.values()):
            worker.control.settimeout(max(0.1, deadline - time.monotonic()))
            report, _ = protocol.receive(worker.control)
            worker.control.settimeout(None)
            if not report.get("ready"):
                raise RuntimeError(report.get("error", "an executor did not start"))
            worker.ready, worker.info = True, report
            reports.append(report)
        return reports

    def _executor_message(self, worker: _Executor) -> None:
        try:
            report, _ = protocol.receive(worker.control)
        except (protocol.ChannelClosed, OSError):
            self._executor_died(worker)
            return
        if not worker.ready:
            worker.ready, worker.info = bool(report.get("ready")), report
            if not worker.ready:
                log.error("a query executor could not start: %s", report.get("error"))
            return
        if worker.stopping is not None:
            return  # killed meanwhile: its end reached the HTTP worker or not; _executor_died replies
        job, worker.job = worker.job, None
        if report.get("error") == "memory":
            log.warning("executor %d: a query passed the memory ceiling and was stopped; replacing it", worker.pid)
        if job is not None:  # the executor told the HTTP worker how it ended
            self.share.finish(job.client, job.id, time.monotonic())

    def _executor_died(self, worker: _Executor) -> None:
        self.selector.unregister(worker.control)
        worker.control.close()
        del self.executors[worker.control]
        _, status = os.waitpid(worker.pid, 0)
        job = worker.job
        if job is not None:
            if worker.stopping == "abandoned":
                report = {"error": "gone", "message": "the HTTP worker went away"}
            elif worker.stopping == "timeout":
                report = {
                    "error": "timeout",
                    "message": f"the query ran longer than this endpoint's limit of "
                    f"{self.config.query_timeout:g} seconds and was stopped",
                }
            elif (
                os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGABRT
            ):  # how Rust ends on a failed allocation
                report = {"error": "memory", "message": executor.memory_message(self.config.query_memory)}
                log.warning(
                    "executor %d: a query passed the memory ceiling and was stopped (signal %d); replacing it",
                    worker.pid,
                    os.WTERMSIG(status),
                )
            else:
                how = (
                    f"signal {os.WTERMSIG(status)}"
                    if os.WIFSIGNALED(status)
                    else f"exit status {os.WEXITSTATUS(status)}"
                )
                report = {
                    "error": "crashed",
                    "message": f"the query stopped the process running it ({how}); it was replaced",
                }
                log.warning("executor %d ended by %s while running a query; replacing it", worker.pid, how)
            self._finish(job, report)
        self.start_executor()

    # ----------------------------------------------------------------- queries

    def _accept(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        self.connections.add(conn)
        self.selector.register(conn, selectors.EVENT_READ, "query")

    def _query_message(self, conn: socket.socket) -> None:
        job = next((j for j in self._jobs() if j.conn is conn), None)
        if job is not None and job.started is not None:
            # The executor reports to the broker before it sends the answer's end, so a report
            # is waiting here if the HTTP worker already sends its next query (or hangs up).
            worker = next(w for w in self.executors.values() if w.job is job)
            if select.select([worker.control], [], [], 0)[0]:
                self._executor_message(worker)
                job = next((j for j in self._jobs() if j.conn is conn), None)
        try:
            conn.settimeout(5)
            request, fd = protocol.receive(conn, with_fd=True)
            conn.settimeout(None)
        except (protocol.ChannelClosed, OSError, ValueError):
            self._connection_gone(conn, job)
            return
        if job is not None or fd is None:  # one query at a time per connection, always with its answer channel
            if fd is not None:
                os.close(fd)
            self._connection_gone(conn, job)
            return
        self._ids += 1
        client = str(request.get("client") or "unknown")
        job = _Job(self._ids, conn, client, bool(request.get("exempt")), request, fd, time.monotonic())
        refusal = None if job.exempt else self.share.refusal(client, job.queued)
        if refusal is not None:
            os.close(fd)
            self._reply(
                job, {"error": "refused", "status": 429, "message": refusal.message, "retry_after": refusal.retry_after}
            )
            return
        self.waiting.append(job)

    def _connection_gone(self, conn: socket.socket, job: _Job | None) -> None:
        """The HTTP worker closed its connection (or died): forget its query, stop it if running."""
        if job is not None:
            if job in self.waiting:
                self.waiting.remove(job)
                os.close(job.data_fd)
            for worker in self.executors.values():
                if worker.job is job:
                    worker.stopping = "abandoned"
                    os.kill(worker.pid, signal.SIGKILL)  # its result has nowhere to go: free the CPU
        self._close(conn)

    def _jobs(self):
        yield from self.waiting
        for worker in self.executors.values():
            if worker.job is not None:
                yield worker.job

    def _dispatch(self) -> None:
        idle = [w for w in self.executors.values() if w.ready and w.job is None]
        while idle and self.waiting:
            # The waiting query of the client with the fewest running, oldest first among equals.
            job = min(self.waiting, key=lambda j: (self.share.in_flight(j.client), j.queued))
            self.waiting.remove(job)
            worker = idle.pop()
            now = time.monotonic()
            job.started = now
            message = {k: job.request[k] for k in ("query", "default", "named", "format", "cap") if k in job.request}
            try:
                protocol.send(worker.control, message, fd=job.data_fd)
            except OSError:
                self.waiting.appendleft(job)
                continue
            os.close(job.data_fd)
            job.data_fd = -1
            worker.job, worker.deadline, worker.stopping = job, now + self.config.query_timeout, None
            self.share.start(job.client, job.id, now)

    def _finish(self, job: _Job, report: dict) -> None:
        if job.started is not None:
            report["seconds"] = self.share.finish(job.client, job.id, time.monotonic())
        self._reply(job, report)

    def _reply(self, job: _Job, report: dict) -> None:
        if job.conn in self.connections:
            try:
                protocol.send(job.conn, dict(report, id=job.request.get("id")))
            except OSError:
                self._close(job.conn)

    def _close(self, conn: socket.socket) -> None:
        if conn in self.connections:
            self.connections.discard(conn)
            self.selector.unregister(conn)
            conn.close()

    def _enforce_deadlines(self) -> None:
        now = time.monotonic()
        for worker in list(self.executors.values()):
            if worker.job is not None and worker.stopping is None and now >= worker.deadline:
                worker.stopping = "timeout"
                log.warning(
                    "executor %d: query passed the %g s deadline; ending the executor to free the CPU",
                    worker.pid,
                    self.config.query_timeout,
                )
                os.kill(worker.pid, signal.SIGKILL)
        while self.waiting and now - self.waiting[0].queued >= self.max_wait:
            job = self.waiting.popleft()
            os.close(job.data_fd)
            self._reply(
                job,
                {
                    "error": "refused",
                    "status": 503,
                    "retry_after": 5,
                    "message": f"every query executor stayed busy for {self.max_wait:g} s; try again shortly",
                },
            )

    # ----------------------------------------------------------------- loop

    def serve_forever(self) -> None:
        self.selector.register(self.listener, selectors.EVENT_READ, "listener")
        while True:
            self._dispatch()
            running = [w.deadline for w in self.executors.values() if w.job is not None and w.stopping is None]
            timeout = max(0.0, min(running) - time.monotonic()) if running else None
            if self.waiting:
                timeout = min(timeout if timeout is not None else 1.0, 1.0)
            for key, _ in self.selector.select(timeout):
                if key.data == "listener":
                    self._accept()
                elif key.data == "executor":
                    worker = self.executors.get(key.fileobj) if isinstance(key.fileobj, socket.socket) else None
                    # Its report may have been read already, by _query_message in this same round.
                    if worker is not None and select.select([worker.control], [], [], 0)[0]:
                        self._executor_message(worker)
                elif key.fileobj in self.connections:
                    self._query_message(key.fileobj)
            self._enforce_deadlines()
