"""Each client's fair share of the query executors, without I/O: how many of its queries run at
once, and how many seconds of execution it used in the last minute.

The broker is the only process that sees every query of every HTTP worker, so it keeps these
counts, exact across workers and untouched when a worker crashes. The clock is passed in, so
the rules are tested as plain calls.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from dataclasses import dataclass

#: The window of the time budget, in seconds.
WINDOW = 60.0


@dataclass(frozen=True)
class Refusal:
    """Why a query may not start now, and how long until it could."""

    message: str
    retry_after: int


class FairShare:
    """Queries in flight and seconds used per client, against ``max_in_flight`` and
    ``seconds_per_minute`` (either 0 turns that rule off)."""

    def __init__(self, max_in_flight: int, seconds_per_minute: float):
        self.max_in_flight, self.seconds_per_minute = max_in_flight, seconds_per_minute
        self.running: dict[str, dict[int, float]] = defaultdict(dict)
        self._spent: dict[str, deque[tuple[float, float]]] = defaultdict(deque)
        #: The sum of each client's ``_spent`` seconds, kept with it (summing per query grew with the load).
        self._spent_total: dict[str, float] = defaultdict(float)

    def refusal(self, client: str, now: float) -> Refusal | None:
        """Why ``client`` may not start another query at ``now``; None if it may."""
        if self.max_in_flight and len(self.running.get(client, ())) >= self.max_in_flight:
            return Refusal(
                f"you already have {self.max_in_flight} queries running on this endpoint, its limit per client; "
                "wait for one to finish",
                1,
            )
        if self.seconds_per_minute:
            used = self.used(client, now)
            if used >= self.seconds_per_minute:
                return Refusal(
                    f"your queries used {used:.0f} s of execution in the last minute, this endpoint's budget "
                    f"of {self.seconds_per_minute:g} s per client per minute",
                    self._wait(client, now, used),
                )
        return None

    def used(self, client: str, now: float) -> float:
        """Seconds of execution ``client`` used in the last :data:`WINDOW`, running queries included."""
        spent = self._spent.get(client)
        finished = 0.0
        if spent:
            while spent and spent[0][0] <= now - WINDOW:
                self._spent_total[client] -= spent.popleft()[1]
            if not spent:  # exactly 0 once nothing is left, whatever rounding the subtractions left behind
                self._spent_total[client] = 0.0
            finished = self._spent_total[client]
        return finished + sum(now - started for started in self.running.get(client, {}).values())

    def start(self, client: str, query_id: int, now: float) -> None:
        self.running[client][query_id] = now

    def finish(self, client: str, query_id: int, now: float) -> float:
        """Record the end of a query; its seconds."""
        started = self.running[client].pop(query_id)
        if not self.running[client]:
            del self.running[client]
        seconds = now - started
        self._spent[client].append((now, seconds))
        self._spent_total[client] += seconds
        self.used(client, now)  # drops what left the window: memory stays bounded for every client
        if not self._spent[client]:
            del self._spent[client], self._spent_total[client]
        return seconds

    def in_flight(self, client: str) -> int:
        return len(self.running.get(client, ()))

    def _wait(self, client: str, now: float, used: float) -> int:
        """Seconds until enough of the client's spent time leaves the window."""
        excess = used - self.seconds_per_minute
        for ended, seconds in self._spent.get(client, ()):
            excess -= seconds
            if excess < 0:
                return max(1, math.ceil(ended + WINDOW - now))
        return max(1, math.ceil(WINDOW))
